"""Rules for the merge family (to be written)."""
