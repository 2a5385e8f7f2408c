"""Errors Keras raises while the program builds its layers and models,
outside any layer's shape rule: a shape given as a bare int, weights of
another shape than the layer's, a TensorFlow function on a symbolic tensor.
The front end records them (``graph.construction_errors``); the same
reporting policy as for layer errors applies (checks/policy.py)."""
from __future__ import annotations

from typing import Iterator

from shapelint.findings import Finding
from shapelint.checks.policy import reported_construction_error
from shapelint.graph import ShapeGraph


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for recorded in graph.construction_errors:
        error = reported_construction_error(recorded)
        if error is None:
            continue
        yield Finding.at(recorded.node, error.kind, error.message, [error.fix] if error.fix else [])
