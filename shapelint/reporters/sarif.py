"""SARIF 2.1.0 for code-scanning UIs: stable ruleIds (the message symbols),
1-based columns, rules with help text and a link to their docs page."""
from __future__ import annotations

import json
import os
import pathlib
import urllib.parse
from typing import Iterable

from shapelint import __version__
from shapelint.engine import FileResult
from shapelint.messages import KINDS, SYNTAX_ERROR
from shapelint.reporters.entries import FileError, cell_and_line

_LEVEL = {"E": "error", "W": "warning", "C": "note", "R": "note", "I": "note", "F": "error"}


def _rules():
    rules = []
    for m in KINDS + (SYNTAX_ERROR,):
        rules.append({
            "id": m.symbol,
            "name": "".join(w.capitalize() for w in m.symbol.split("-")),
            "shortDescription": {"text": m.title},
            "fullDescription": {"text": m.description},
            "help": {"text": m.description},
            "helpUri": m.docs_url,
            "defaultConfiguration": {"level": _LEVEL.get(m.msg_id[0], "warning")},
            "properties": {"msgId": m.msg_id},
        })
    return rules


def _uri(path: str) -> str:
    """A URI reference, as SARIF's artifactLocation.uri must be: a
    ``file://`` URI for an absolute path, else a relative reference with
    ``/`` separators and characters outside RFC 3986 percent-encoded."""
    if os.path.isabs(path):
        return pathlib.Path(path).as_uri()
    return urllib.parse.quote(path.replace("\\", "/"), safe="/")


def _region(result, f) -> dict:
    """1-based lines and columns; in a notebook, relative to the cell, which
    the region's property bag names (1-based among all cells)."""
    cell, line = cell_and_line(result, f.line)
    region = {
        "startLine": line,
        "startColumn": f.col + 1,
        "endLine": f.end_line - (f.line - line),
        "endColumn": f.end_col + 1,
    }
    if cell is not None:
        region["properties"] = {"cell": cell}
    return region


def _notification(error: FileError) -> dict:
    """A file that could not be read: a tool execution notification."""
    return {
        "level": "error",
        "message": {"text": f"{error.path}: {error.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(error.path)}}}],
        "descriptor": {"id": "file-error"},
    }


def document(results: Iterable[FileResult]) -> dict:
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    sarif_results, notifications = [], []
    for result in results:
        if isinstance(result, FileError):
            notifications.append(_notification(result))
            continue
        for f in result.findings:
            text = f.message
            if f.suggestions:
                text += "\n" + "\n".join(f"fix: {s}" for s in f.suggestions)
            sarif_results.append({
                "ruleId": f.symbol,
                "ruleIndex": index[f.symbol],
                "level": rules[index[f.symbol]]["defaultConfiguration"]["level"],
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(result.path)},
                        "region": _region(result, f),
                    }
                }],
            })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "shapelint",
                "version": __version__,
                "informationUri": "https://github.com/shapelint/shapelint",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
            }],
            "results": sarif_results,
        }],
    }


def render(results: Iterable[FileResult]) -> str:
    return json.dumps(document(results), indent=1) + "\n"
