"""Rules for the embedding family (to be written)."""
