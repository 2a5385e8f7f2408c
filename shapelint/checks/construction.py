"""Errors Keras raises while the program builds its layers and models,
outside any layer's shape rule: a shape given as a bare int, weights of
another shape than the layer's, a TensorFlow function on a symbolic tensor,
a tensor operation given operands it refuses.  The front end records them
(``graph.construction_errors``); the same reporting policy as for layer
errors applies (checks/policy.py)."""
from __future__ import annotations

from typing import Iterator

from shapelint.findings import Finding
from shapelint.checks.policy import reported_construction_error
from shapelint.graph import ShapeGraph
from shapelint.messages import TF_OP_ON_KERAS_TENSOR


def check(graph: ShapeGraph) -> Iterator[Finding]:
    # One finding per root cause: Keras 3 refuses a KerasTensor given to a
    # TensorFlow function before that function looks at its shapes.
    refused_tf_call = {id(r.node) for r in graph.construction_errors if r.error.kind is TF_OP_ON_KERAS_TENSOR}
    for recorded in graph.construction_errors:
        if recorded.error.kind is not TF_OP_ON_KERAS_TENSOR and id(recorded.node) in refused_tf_call:
            continue
        error = reported_construction_error(recorded)
        if error is None:
            continue
        yield Finding.at(recorded.node, error.kind, error.message, [error.fix] if error.fix else [])
