"""The office's staff: accounts, passwords, the demo office and Pintu's own system account."""
