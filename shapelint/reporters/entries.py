"""What reporters are given besides engine results, and where a finding is
shown: a file that could not be read (a file-level error entry) and, for a
notebook, the cell and the line within it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from shapelint.notebook import NotebookResult


@dataclass(frozen=True)
class FileError:
    """A file shapelint could not lint: missing, unreadable, undecodable, not
    a valid notebook.  The run goes on; the exit status is 2."""

    path: str
    message: str


def cell_and_line(result, line: int) -> Tuple[Optional[int], int]:
    """(cell, line) as the user sees them: a notebook's cell number and the
    line within that cell, or (None, line) for a Python file."""
    if isinstance(result, NotebookResult) and result.notebook is not None:
        return result.notebook.locate(line)
    return None, line
