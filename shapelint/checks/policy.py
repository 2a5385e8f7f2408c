"""Which layer errors the checks report.

The front end records every ``ShapeError`` a layer raised (``call.error``)
and where it met the call (``in_uncertain_branch``, ``in_uncalled_function``);
whether that error becomes a finding is decided here, once, for every check.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from shapelint.graph import ConstructionError, LayerCall
from shapelint.messages import TF_OP_ON_KERAS_TENSOR, UNDEFINED_FEATURE_DIMENSION
from shapelint.shapes.registry import ShapeError


def reported_error(call: LayerCall) -> Optional[ShapeError]:
    """``call.error`` when it should be reported, else None.

    * Inside a branch whose condition the front end could not decide, the
      branch may never run (the condition may exclude this very input).
    * Inside a function the module never calls, parameters come from their
      defaults: a None axis there may be a default (``seq_len=None``) that
      the real callers override, so an undefined-feature-dimension error is
      not reported; any other error holds whatever the callers pass.
    """
    error = call.error
    if error is None or call.in_uncertain_branch:
        return None
    if call.in_uncalled_function and error.kind is UNDEFINED_FEATURE_DIMENSION:
        return None
    return error


def reported_construction_error(recorded: ConstructionError) -> Optional[ShapeError]:
    """A construction error (graph.construction_errors) when it should be
    reported: not inside a branch that may never run; inside a function the
    module never calls only a TensorFlow function on a symbolic tensor (a
    KerasTensor there comes from the function's own Input, never from a
    parameter's default, while an int shape or a weight array may be a
    default its real callers override)."""
    if recorded.in_uncertain_branch:
        return None
    if recorded.in_uncalled_function and recorded.error.kind is not TF_OP_ON_KERAS_TENSOR:
        return None
    return recorded.error


def reported_construction_errors(recorded: Sequence[ConstructionError]) -> List[Tuple[object, ShapeError]]:
    """(node, error) of each construction error to report, in order: those
    ``reported_construction_error`` keeps, one per root cause -- at a call
    that gives a TensorFlow function a KerasTensor, Keras 3 raises that
    before the function looks at its operands' shapes, so no other error
    recorded at that call is reported."""
    refused_tf_call = {id(r.node) for r in recorded if r.error.kind is TF_OP_ON_KERAS_TENSOR}
    out = []
    for one in recorded:
        if one.error.kind is not TF_OP_ON_KERAS_TENSOR and id(one.node) in refused_tf_call:
            continue
        error = reported_construction_error(one)
        if error is not None:
            out.append((one.node, error))
    return out


def data_origin(data) -> str:
    """Where training data got its shape, for a finding's message:
    `` from np.eye(...) at line 9`` when a library call the analysis
    modelled made it (``DataInfo.node``), else nothing."""
    node = getattr(data, "node", None)
    func = getattr(node, "func", None)
    line = getattr(node, "lineno", None)
    if func is None or not line:
        return ""
    try:
        callee = func.as_string()
    except Exception:  # pylint: disable=broad-except
        return ""
    if len(callee) > 40:
        callee = callee.rsplit(".", 1)[-1]
    return f" from {callee}(...) at line {line}"
