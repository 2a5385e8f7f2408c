"""Rules for the recurrent family (to be written)."""
