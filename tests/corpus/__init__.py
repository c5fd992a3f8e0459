"""Generator of fictional Indonesian requirement documents with exact ground truth."""
