"""Step 8: the dossier in the locked archive, its index, the fixity audit and the LTV upkeep."""
