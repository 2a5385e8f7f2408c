"""Reporters turn engine results into text, JSON or summaries."""
