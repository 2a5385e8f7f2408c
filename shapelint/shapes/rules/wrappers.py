"""Rules for the wrappers family (to be written)."""
