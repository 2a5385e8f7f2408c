"""Layers Keras itself would refuse: the rule raised a ShapeError."""
from __future__ import annotations

from typing import Iterator, Optional

from astroid import nodes

from shapelint.checks.policy import reported_error
from shapelint.findings import Finding
from shapelint.graph import LayerCall, ShapeGraph
from shapelint.messages import INCOMPATIBLE_INPUT_RANK
from shapelint.shapes import dims
from shapelint.shapes.registry import lookup


def _data_name(graph: ShapeGraph, call: LayerCall) -> str:
    """The name the program gives the data its model is fed (``X``)."""
    for tc in graph.trainings:
        if call.index in tc.record.calls and isinstance(tc.node, nodes.Call) and tc.node.args \
                and isinstance(tc.node.args[0], nodes.Name):
            return tc.node.args[0].name
    return "X"


def _sequence_fix(graph: ShapeGraph, call: LayerCall) -> Optional[str]:
    """An RNN/Conv1D declared on 2-D samples (``input_shape=(10,)``): the
    concrete fix is one feature per timestep, in the model and the data."""
    rule = lookup(call.config.class_name)
    shape = call.input_shapes[0] if call.input_shapes else None
    if rule is None or shape is None or len(shape) != 2 or not dims.is_int(shape[1]) \
            or not call.input_tids or graph.origin(call.input_tids[0]) != "input":
        return None
    if rule.family != "recurrent" and call.config.class_name not in ("Conv1D", "SeparableConv1D"):
        return None
    steps = shape[1]
    return (f"declare input_shape=({steps}, 1) ({steps} timesteps of 1 feature) and feed "
            f"{_data_name(graph, call)}.reshape(-1, {steps}, 1)")


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for call in graph.calls:
        error = reported_error(call)
        if error is None:
            continue
        fix = _sequence_fix(graph, call) if error.kind is INCOMPATIBLE_INPUT_RANK else None
        suggestions = [fix] if fix else ([error.fix] if error.fix else [])
        yield Finding.at(call.node, error.kind, error.message, suggestions)
