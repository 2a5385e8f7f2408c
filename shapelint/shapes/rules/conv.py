"""Rules for the conv family (to be written)."""
