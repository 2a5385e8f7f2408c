"""Training-time checks: the data and labels that reach fit/evaluate/predict
against the model's inputs, outputs, and loss.

Mirrors what Keras 3 does (measured, see docs/keras3-training-behaviour.md):
the input adapter quietly adds or drops one trailing axis of size 1; any
other rank difference, or a size a built layer cannot take, raises.  A
length that differs but that every layer accepts only makes Keras warn.
"""
from __future__ import annotations

from typing import Iterator, Optional

from shapelint.checks import losses
from shapelint.findings import Finding
from shapelint.graph import DataInfo, ShapeGraph, TrainingCall
from shapelint.shapes import dims
from shapelint.shapes.propagate import replay


def _per_sample(shape) -> str:
    return dims.fmt_shape(tuple(shape[1:]))


def _trailing_one_adjusts(model_shape, data_shape) -> bool:
    """Keras' _adjust_input_rank: one trailing axis of size 1 is added to
    (or dropped from) the data when that makes the ranks agree."""
    if len(data_shape) + 1 == len(model_shape) and model_shape[-1] == 1:
        inner = model_shape[:-1]
        return all(dims.equal(a, b) is not False for a, b in zip(inner[1:], data_shape[1:]))
    if len(data_shape) == len(model_shape) + 1 and data_shape[-1] == 1:
        inner = data_shape[:-1]
        return all(dims.equal(a, b) is not False for a, b in zip(model_shape[1:], inner[1:]))
    return False


def _check_input(graph: ShapeGraph, tc: TrainingCall, tid: int, data: DataInfo) -> Optional[Finding]:
    model_shape = graph.shape(tid)
    shape = data.shape
    if model_shape is None or shape is None or not shape:
        return None
    what = f"{tc.method}() gets data of shape {dims.fmt_shape(shape)}"
    expects = f"the model's Input takes {dims.fmt_shape(model_shape)}"
    if len(shape) == len(model_shape):
        if all(dims.equal(a, b) is not False for a, b in zip(shape[1:], model_shape[1:])):
            return None
        outcome = replay(graph, tc.record, {tid: (None,) + tuple(shape[1:])})
        if outcome is None:
            return Finding.at(
                tc.node, "input-length-differs",
                f"{what}, but {expects}; every layer still accepts it, so Keras only warns "
                f"and runs the model on samples of {_per_sample(shape)}",
                [f"build the Input for the data: shape={_per_sample(shape)}, or pad/truncate the "
                 f"data to {_per_sample(model_shape)}"], "INFERENCE")
        call, error, _ins = outcome
        return Finding.at(
            tc.node, "input-data-mismatch",
            f"{what}, but {expects}: Keras raises at {tc.method} "
            f"({call.class_name} on line {call.node.lineno}: {error.message})",
            [f"make the data's per-sample shape {_per_sample(model_shape)}, or build the Input "
             f"with shape={_per_sample(shape)}"])
    if _trailing_one_adjusts(model_shape, shape):
        return None  # Keras adds/drops the trailing 1 itself: not a bug
    if len(shape) + 1 == len(model_shape) and all(
        dims.equal(a, b) is not False for a, b in zip(shape, model_shape[1:])
    ):
        fix = ("the Input includes the sample axis (input_shape=X.shape?): use X.shape[1:]"
               if isinstance(shape[0], int) and shape[0] > 1 and dims.equal(shape[0], model_shape[1])
               else "the data has no batch axis: pass x[:1] or np.expand_dims(x, 0)")
        return Finding.at(
            tc.node, "input-data-mismatch",
            f"{what}, but {expects}: the data is one axis short, so Keras takes its first "
            f"axis as the batch and raises at {tc.method}", [fix])
    return Finding.at(
        tc.node, "input-data-mismatch",
        f"{what}, but {expects}: a {len(shape)}-D array cannot feed a {len(model_shape)}-D "
        f"Input, Keras raises at {tc.method}",
        [f"reshape the data to (n,) + {_per_sample(model_shape)}"
         if not (len(shape) + 1 == len(model_shape)) else "add the missing axis with np.expand_dims"])


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for tc in graph.trainings:
        record = tc.record
        if tc.x and len(tc.x) == len(record.inputs):
            for tid, data in zip(record.inputs, tc.x):
                if data is None:
                    continue
                finding = _check_input(graph, tc, tid, data)
                if finding is not None:
                    yield finding
        if tc.y and tc.method not in ("predict", "predict_on_batch"):
            yield from losses.check(graph, tc)

