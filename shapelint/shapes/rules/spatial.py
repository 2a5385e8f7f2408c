"""Rules for the spatial family (to be written)."""
