"""What reporters are given besides engine results: a file that could not
be read (a file-level error entry)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileError:
    """A file shapelint could not lint: missing, unreadable, undecodable.
    The run goes on; the exit status is 2."""

    path: str
    message: str
