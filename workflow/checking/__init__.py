"""Step 3, automated: reading the documents, the rules in force, the checks, the folder check."""
