"""Apply a layer's rule to its input shapes, never raising anything but
``ShapeError`` (which a check turns into a finding)."""
from __future__ import annotations

from typing import List

from shapelint.shapes.dims import Shape
from shapelint.shapes.registry import LayerConfig, Out, ShapeError, lookup


def infer(cfg: LayerConfig, inputs: List[Shape]) -> Out:
    """The output shape(s) and params of ``cfg`` applied to ``inputs``.

    Unknown layers, unknown input ranks and any internal slip give an unknown
    output: unknown is a valid answer, a crash is not.
    """
    rule = lookup(cfg.class_name)
    if rule is None:
        return Out([None], None)
    if not rule.handles_unknown_rank and (not inputs or any(s is None for s in inputs)):
        return Out([None], None)
    try:
        out = rule.func(cfg, list(inputs))
    except ShapeError:
        raise
    except Exception:  # pylint: disable=broad-except
        return Out([None], None)
    if not isinstance(out, Out):
        return Out([None], None)
    return out
