"""The JSON contract (see README): files -> layers and findings."""
from __future__ import annotations

import json
from typing import Iterable

from shapelint.engine import FileResult


def document(results: Iterable[FileResult]) -> dict:
    return {"files": [r.to_json() for r in results]}


def render(results: Iterable[FileResult]) -> str:
    return json.dumps(document(results)) + "\n"
