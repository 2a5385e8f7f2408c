"""Layers Keras itself would refuse: the rule raised a ShapeError."""
from __future__ import annotations

from typing import Iterator

from shapelint.checks.policy import reported_error
from shapelint.findings import Finding
from shapelint.graph import ShapeGraph


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for call in graph.calls:
        error = reported_error(call)
        if error is None:
            continue
        suggestions = [error.fix] if error.fix else []
        yield Finding.at(call.node, error.kind, error.message, suggestions)
