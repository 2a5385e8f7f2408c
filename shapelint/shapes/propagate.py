"""Apply a layer's rule to its input shapes, never raising anything but
``ShapeError`` (which a check turns into a finding)."""
from __future__ import annotations

from typing import Any, List

from shapelint.messages import INPUT_DATA_MISMATCH, UNDEFINED_FEATURE_DIMENSION
from shapelint.shapes import applications
from shapelint.shapes.dims import Shape, fmt_shape
from shapelint.shapes.registry import LayerConfig, Out, ShapeError, apply_found, lookup

_LOOK_UP = object()  # infer's ``rule`` when the caller has not looked it up


def infer(cfg: LayerConfig, inputs: List[Shape], exact: bool = False, rule: Any = _LOOK_UP) -> Out:
    """The output shape(s) and params of ``cfg`` applied to ``inputs``.

    ``exact``: every None in ``inputs`` (the batch axis aside) is a dynamic
    axis in Keras too, so a weight axis that is None is a build error.
    Unknown layers, unknown input ranks and any internal slip give an unknown
    output: unknown is a valid answer, a crash is not.  ``rule``: ``lookup(cfg.class_name)``,
    when the caller has it.
    """
    if rule is _LOOK_UP:
        rule = lookup(cfg.class_name)
    out = apply_found(rule, cfg, inputs)
    if out is None:
        return Out([None], None)
    if exact and rule.defined_axes is not None:
        _require_defined(cfg, rule.defined_axes(cfg, list(inputs)), inputs)
    return out


def _require_defined(cfg: LayerConfig, axes, inputs: List[Shape]) -> None:
    """Keras creates weights from these axes' sizes: a None one cannot be built."""
    for index, axis in axes:
        shape = inputs[index] if index < len(inputs) else None
        if shape is None or not -len(shape) <= axis < len(shape) or axis % len(shape) == 0:
            continue
        if shape[axis] is None:
            where = "last axis" if axis % len(shape) == len(shape) - 1 else f"axis {axis % len(shape)}"
            raise ShapeError(
                UNDEFINED_FEATURE_DIMENSION,
                f"{cfg.class_name} sees {fmt_shape(shape)}: its {where} is None (a size known only at "
                f"run time), but {cfg.class_name} needs that size to create its weights",
                "give the Input a fixed size on that axis, or reduce the variable axes first "
                "(GlobalAveragePooling/GlobalMaxPooling instead of Flatten)",
            )


class _Undecided:
    """What ``replay`` gives when a layer's output on the new shapes cannot
    be told: whether every layer accepts them is not known."""

    def __repr__(self) -> str:
        return "UNDECIDED"


UNDECIDED = _Undecided()


def _replay_call(call, ins: List[Shape]) -> Out:
    """One application again on other input shapes: its rule, or for a
    keras.applications backbone applied like a layer its output computed
    again (Keras runs its layers on the new shape); unknown for any other
    model."""
    if call.kind != "model":
        return infer(call.config, ins)
    if call.backbone is None or len(ins) != 1 or ins[0] is None:
        return Out([None], None)
    name, options = call.backbone
    result = applications.backbone_output(name, **dict(options, input_shape=tuple(ins[0][1:])))
    if result is None:
        return Out([None], None)
    shape, params = result
    return Out([shape], params)


def replay(graph, record, new_inputs):
    """Propagate a built model again with other input shapes.

    ``new_inputs`` maps input tensor ids to shapes.  Returns ``(call, error)``
    for the first layer Keras would refuse -- its rule raises, or its weights
    were built for another size (the parameter count would change) -- else
    None when every layer takes the new shapes, or ``UNDECIDED`` when some
    layer's output on them cannot be told (a model that is not a known
    backbone, a layer without a rule).  The graph itself is not changed.
    """
    shapes = dict(new_inputs)
    for index in record.calls:
        call = graph.calls[index]
        ins = [shapes.get(t, graph.shape(t)) for t in call.input_tids]
        outs = graph.outputs_of(call)
        if ins == list(call.input_shapes):
            for t in outs:
                shapes.setdefault(t, graph.shape(t))
            continue
        try:
            out = _replay_call(call, ins)
        except ShapeError as exc:
            return call, exc, ins
        if call.params is not None and out.params is not None and out.params != call.params:
            return call, ShapeError(
                INPUT_DATA_MISMATCH,
                f"{call.class_name} was built for inputs {fmt_shape(call.input_shapes[0])} and "
                f"its weights do not fit {fmt_shape(ins[0])}",
            ), ins
        if any(shape is None for shape in out.shapes):
            return UNDECIDED
        for t, shape in zip(outs, out.shapes):
            shapes[t] = shape
    return None
