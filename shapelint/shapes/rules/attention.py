"""Rules for the attention family (to be written)."""
