"""The JSON contract (see README): files -> layers and findings."""
from __future__ import annotations

import json
from typing import Iterable, Optional

from shapelint.engine import FileResult
from shapelint.reporters.entries import FileError, cell_and_line


def finding_to_json(f) -> dict:
    return {
        "line": f.line,
        "col": f.col,
        "end_line": f.end_line,
        "end_col": f.end_col,
        "symbol": f.symbol,
        "msg_id": f.msg_id,
        "message": f.message,
        "suggestions": list(f.suggestions),
    }


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


# --- What --fix can do (added to each finding, kept apart from the engine's
# record): "fix" is null, or {"applicability": "safe"|"unsafe",
# "description": ...}; --fix applies safe ones, --unsafe-fixes both.

def fix_to_json(f) -> Optional[dict]:
    info = getattr(f, "fix", None)
    return None if info is None else info.to_json()


def _with_fix(f, entry: dict) -> dict:
    return {**entry, "fix": fix_to_json(f)}


def _file_entry(r) -> dict:
    if isinstance(r, FileError):
        return {"path": r.path, "error": r.message, "layers": [], "findings": []}
    return {
        "path": r.path,
        "layers": [_in_cell(r, layer.to_json()) for layer in r.layers],
        "findings": [_in_cell(r, _with_fix(f, finding_to_json(f))) for f in r.findings],
    }


def document(results: Iterable[FileResult]) -> dict:
    return {"files": [_file_entry(r) for r in results]}


def render(results: Iterable[FileResult]) -> str:
    return json.dumps(document(results)) + "\n"
