"""The JSON contract (see README): files -> layers and findings."""
from __future__ import annotations

import json
from typing import Iterable

from shapelint.engine import FileResult
from shapelint.reporters.entries import FileError, cell_and_line


# --- Where the JSON differs from the engine's records (kept in one place) ---
# A notebook's layers and findings gain "cell" (1-based among all cells) and
# their line/end_line become lines within that cell; a file that could not be
# read is an entry with "error" and no layers or findings.

def _in_cell(result, entry: dict) -> dict:
    cell, line = cell_and_line(result, entry["line"])
    if cell is None:
        return entry
    located = {"cell": cell, **entry, "line": line}
    if "end_line" in entry:
        located["end_line"] = entry["end_line"] - (entry["line"] - line)
    return located


def _file_entry(r) -> dict:
    if isinstance(r, FileError):
        return {"path": r.path, "error": r.message, "layers": [], "findings": []}
    return {
        "path": r.path,
        "layers": [_in_cell(r, layer.to_json()) for layer in r.layers],
        "findings": [_in_cell(r, f.to_json()) for f in r.findings],
    }


def document(results: Iterable[FileResult]) -> dict:
    return {"files": [_file_entry(r) for r in results]}


def render(results: Iterable[FileResult]) -> str:
    return json.dumps(document(results)) + "\n"
