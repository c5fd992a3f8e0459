"""Step 5: the Kadis's consent, a signing session on the configured key, remote signing, batches."""
