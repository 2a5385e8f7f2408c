"""Errors Keras raises while the program builds its layers and models,
outside any layer's shape rule: a shape given as a bare int, weights of
another shape than the layer's, a TensorFlow function on a symbolic tensor,
a tensor operation given operands it refuses.  The front end records them
(``graph.construction_errors``); the same reporting policy as for layer
errors applies (checks/policy.py)."""
from __future__ import annotations

from typing import Iterator

from shapelint.findings import Finding
from shapelint.checks.policy import reported_construction_errors
from shapelint.graph import ShapeGraph


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for node, error in reported_construction_errors(graph.construction_errors):
        yield Finding.at(node, error.kind, error.message, [error.fix] if error.fix else [])
