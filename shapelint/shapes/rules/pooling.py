"""Rules for the pooling family (to be written)."""
