"""Training-time checks: the data and labels that reach fit/evaluate/predict
against the model's inputs, outputs, and loss.

Mirrors what Keras 3 does (measured, see docs/keras3-training-behaviour.md):
the input adapter quietly adds or drops one trailing axis of size 1; any
other rank difference, or a size a built layer cannot take, raises.  A
length that differs but that every layer accepts only makes Keras warn.
"""
from __future__ import annotations

from typing import Iterator, Optional, Tuple

from shapelint.checks import dense_head, losses
from shapelint.checks.policy import data_origin
from shapelint.findings import Finding
from shapelint.graph import DataInfo, ShapeGraph, TrainingCall
from shapelint.messages import INPUT_DATA_MISMATCH, INPUT_LENGTH_DIFFERS, OUTPUT_TARGET_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.propagate import UNDECIDED, replay


def _per_sample(shape) -> str:
    return dims.fmt_shape(tuple(shape[1:]))


def _strip_one(shape) -> tuple:
    return tuple(shape[:-1]) if shape and shape[-1] == 1 else tuple(shape)


def _missing_unit_axis(model_shape, shape) -> Optional[int]:
    """The axis (after the batch) where inserting a size-1 axis makes the
    data's samples the Input's, when there is one; None otherwise."""
    for axis in range(1, len(model_shape) - 1):
        if model_shape[axis] != 1:
            continue
        rest = tuple(model_shape[1:axis]) + tuple(model_shape[axis + 1:])
        if len(rest) == len(shape) - 1 and all(dims.equal(a, b) is True for a, b in zip(shape[1:], rest)):
            return axis
    return None


def _fix_for_rank(model_shape, shape, method: str) -> str:
    if len(shape) + 1 == len(model_shape):
        sample_axis_in_input = (
            not method.startswith("predict") and isinstance(shape[0], int) and shape[0] > 1
            and dims.equal(shape[0], model_shape[1])
        )
        if sample_axis_in_input:
            return "the Input includes the sample axis (input_shape=X.shape?): use X.shape[1:]"
        if all(dims.equal(a, b) is not False for a, b in zip(shape[1:], model_shape[1:-1])) \
                and not all(dims.equal(a, b) is not False for a, b in zip(shape, model_shape[1:])):
            # (n, 28, 28) for (None, 28, 28, 3): the samples lack the last axis.
            channels = model_shape[-1]
            one = tuple(shape[1:]) + (1,)
            if channels == 1:
                return f"add the last axis: np.expand_dims(x, -1) gives {dims.fmt_shape(tuple(shape) + (1,))}"
            return (f"the samples have no last axis of {dims.fmt_dim(channels)}: build the Input with "
                    f"shape={dims.fmt_shape(one)} and pass np.expand_dims(x, -1), or give the data "
                    f"{dims.fmt_dim(channels)} channels")
        inner = _missing_unit_axis(model_shape, shape)
        if inner is not None and not (method.startswith("predict") and shape[0] is not None
                                      and dims.equal(shape[0], model_shape[1])):
            # (n, 3) for (None, 1, 3): look-back windows with no timestep axis
            return (f"insert the missing axis of 1: np.expand_dims(x, {inner}) gives "
                    f"{dims.fmt_shape(tuple(shape[:inner]) + (1,) + tuple(shape[inner:]))}")
        return "the data has no batch axis (x[0]?): pass x[:1] or np.expand_dims(x, 0)"
    per_sample = tuple(model_shape[1:])
    wanted = dims.product(per_sample)
    if all(dims.is_int(d) for d in per_sample) and all(dims.is_int(d) for d in shape):
        sizes = ", ".join(str(d) for d in per_sample)
        if dims.product(shape[1:]) == wanted:
            return f"reshape the data: x.reshape(-1, {sizes}) gives (n,) + {_per_sample(model_shape)}"
        if dims.product(shape) == wanted:
            return f"the data is one sample without its batch axis: x.reshape(1, {sizes})"
    return f"reshape the data to (n,) + {_per_sample(model_shape)}"


def _input_texts(tc: TrainingCall, data: DataInfo, model_shape) -> Tuple[str, str, str]:
    """The parts of an input finding's message: what the call gets, what
    the model takes, and the fix that makes the sizes agree (made only for
    a finding: most training calls have none)."""
    shape = data.shape
    return (f"{tc.method}() gets data of shape {dims.fmt_shape(shape)}{data_origin(data)}",
            f"the model's Input takes {dims.fmt_shape(model_shape)}",
            f"make the data's per-sample shape {_per_sample(model_shape)}, or build the Input "
            f"with shape={_per_sample(shape)}")


def _check_input(graph: ShapeGraph, tc: TrainingCall, tid: int, data: DataInfo) -> Optional[Finding]:
    """Mirror Keras 3's input path: the functional model's own shape check,
    then _adjust_input_rank (one trailing 1 added or dropped), then each
    layer's own checks (replayed on the data's shape)."""
    model_shape = graph.shape(tid)
    shape = data.shape
    if model_shape is None or shape is None or not shape:
        return None
    if tc.record.kind == "functional":
        for a, b in zip(_strip_one(shape[1:]), _strip_one(model_shape[1:])):
            if dims.differs(a, b):
                what, expects, fix_sizes = _input_texts(tc, data, model_shape)
                return Finding.at(tc.node, INPUT_DATA_MISMATCH,
                                  f"{what}, but {expects}: Keras raises at {tc.method} "
                                  f"(\"Input ... is incompatible with the layer\")", [fix_sizes])
    if len(shape) + 1 == len(model_shape) and model_shape[-1] is None and not graph.exact(tid):
        return None  # Keras adds the axis when that size (unknown here) is 1
    if len(shape) == len(model_shape):
        adjusted = tuple(shape)
    elif len(shape) + 1 == len(model_shape) and model_shape[-1] == 1:
        adjusted = tuple(shape) + (1,)
    elif len(shape) == len(model_shape) + 1 and shape[-1] == 1:
        adjusted = tuple(shape[:-1])
    else:
        what, expects, _ = _input_texts(tc, data, model_shape)
        return Finding.at(tc.node, INPUT_DATA_MISMATCH,
                          f"{what}, but {expects}: a {len(shape)}-D array cannot feed a "
                          f"{len(model_shape)}-D Input; Keras raises at {tc.method} (\"Invalid input shape\")",
                          [_fix_for_rank(model_shape, shape, tc.method)])
    if all(dims.equal(a, b) is not False for a, b in zip(adjusted[1:], model_shape[1:])):
        return None  # equal, or Keras' own trailing-1 adjustment: not a bug
    outcome = replay(graph, tc.record, {tid: (None,) + tuple(adjusted[1:])})
    if outcome is UNDECIDED:
        return None  # whether some layer refuses the data cannot be told: no claim either way
    what, expects, fix_sizes = _input_texts(tc, data, model_shape)
    if outcome is not None:
        call, error, _ins = outcome
        return Finding.at(
            tc.node, INPUT_DATA_MISMATCH,
            f"{what}, but {expects}: Keras raises at {tc.method} "
            f"({call.class_name} on line {call.node.lineno}: {error.message})",
            [_fix_for_rank(model_shape, shape, tc.method) if len(shape) < len(model_shape) else fix_sizes])
    if len(shape) < len(model_shape):
        return Finding.at(
            tc.node, INPUT_DATA_MISMATCH,
            f"{what}, but {expects}: the data is one axis short, so Keras takes its first axis "
            f"({dims.fmt_dim(shape[0])}) as the batch and silently runs on samples of "
            f"{_per_sample(adjusted)}", [_fix_for_rank(model_shape, shape, tc.method)])
    return Finding.at(
        tc.node, INPUT_LENGTH_DIFFERS,
        f"{what}, but {expects}; every layer still accepts it, so Keras runs the model on "
        f"samples of {_per_sample(shape)} without an error",
        [f"build the Input for the data: shape={_per_sample(shape)}, or pad/truncate the "
         f"data to {_per_sample(model_shape)}"], "INFERENCE")


def _target_count(graph: ShapeGraph, tc: TrainingCall) -> Optional[Finding]:
    """A model of several outputs given another number of target arrays
    (one array, or a list of another length): Keras 3 matches y to the
    outputs by structure and raises ("y_true and y_pred have different
    structures"), whatever the loss (measured on Keras 3.15 with a list, a
    dict and a single loss).  Targets the code does not show (a dict, an
    unknown value) are not judged."""
    outputs = tc.record.outputs
    if len(outputs) < 2 or not tc.y or tc.from_dataset or tc.loss is None \
            or any(data is None for data in tc.y) or len(tc.y) == len(outputs):
        return None
    shapes = ", ".join(dims.fmt_shape(graph.shape(t)) for t in outputs)
    given = (f"one target array {dims.fmt_shape(tc.y[0].shape)}{data_origin(tc.y[0])}" if len(tc.y) == 1
             else f"{len(tc.y)} target arrays")
    return Finding.at(
        tc.node, OUTPUT_TARGET_MISMATCH,
        f"{tc.method}() gets {given} for a model of {len(outputs)} outputs ({shapes}): Keras raises at "
        f"{tc.method} (\"y_true and y_pred have different structures\")",
        [f"pass one target per output, in the order of the model's outputs: a list of {len(outputs)} arrays "
         f"(or a dict keyed by the output layers' names)"])


def check(graph: ShapeGraph) -> Iterator[Finding]:
    # A head dense-on-unreduced-tensor reports is that mismatch's root cause:
    # the targets it cannot match are named there, not again here.
    unreduced = {out_tid for _m, out_tid, _c, _f in dense_head.unreduced_heads(graph)}
    reported = set()  # one mismatch of a model's data, reported at its first call only
    for tc in graph.trainings:
        record = tc.record
        input_error = False
        if tc.x and len(tc.x) == len(record.inputs):
            for tid, data in zip(record.inputs, tc.x):
                if data is None:
                    continue
                finding = _check_input(graph, tc, tid, data)
                if finding is not None:
                    input_error = input_error or finding.kind is INPUT_DATA_MISMATCH
                    key = (id(record), tid, tuple(data.shape[1:]), finding.kind)
                    if key not in reported:
                        reported.add(key)
                        yield finding
        # Keras never reaches the loss when the inputs already fail.
        if tc.y and not input_error and tc.method not in ("predict", "predict_on_batch"):
            mismatch = _target_count(graph, tc)
            if mismatch is not None:
                yield mismatch
                continue
            for finding in losses.check(graph, tc, settled=unreduced):
                if finding.node is tc.node:
                    # Anchored on the call (the labels' side): the same labels
                    # given again to evaluate() are the same mistake.
                    key = (id(record), finding.kind)
                    if key in reported:
                        continue
                    reported.add(key)
                yield finding

