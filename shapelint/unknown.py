"""The one value every stage shares: ``UNKNOWN``, what the analysis could
not tell (an argument the front end could not evaluate, a size the code does
not show).  Unknown is a valid answer; rules and checks stay silent on it."""
from __future__ import annotations


class _Unknown:
    """An argument value the front end could not evaluate."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()
