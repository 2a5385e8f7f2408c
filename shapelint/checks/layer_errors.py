"""Layers Keras itself would refuse: the rule raised a ShapeError."""
from __future__ import annotations

from typing import Iterator

from shapelint.findings import Finding
from shapelint.graph import ShapeGraph
from shapelint.messages import KINDS


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for call in graph.calls:
        error = call.error
        # INCOMPATIBLE_INPUT_SHAPE is raised but not registered yet: dropped.
        if error is None or error.kind not in KINDS:
            continue
        suggestions = [error.fix] if error.fix else []
        yield Finding.at(call.node, error.kind, error.message, suggestions)
