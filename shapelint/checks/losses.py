"""Losses against model outputs and labels (filled in below)."""
from __future__ import annotations


def check(graph, tc):
    return iter(())
