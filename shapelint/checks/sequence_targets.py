"""A recurrent layer that drops the time axis while the targets are one per
time step.

``LSTM(8)`` (no ``return_sequences=True``) outputs one vector per sequence;
targets of shape ``(n, steps, ...)`` with ``steps`` the LSTM's own input
length ask for one per step.  The model output and the targets then cannot
meet: Keras raises at ``fit`` (sparse categorical cross-entropy: "Argument
`output` must have rank (ndim) `target.ndim - 1`") or, for mse-like losses,
broadcasts ``(batch, 1)`` against ``(batch, steps, 1)`` silently (measured,
Keras 3.15).  The root cause is the recurrent layer, so the finding is
reported there, as ``output-target-mismatch``, with the fix
``return_sequences=True``; the generic output-vs-target finding of the same
``fit`` is then left out (``superseded``).
"""
from __future__ import annotations

from typing import Iterator, List, Optional, Set, Tuple

from shapelint.checks.policy import reported_error
from shapelint.findings import Finding
from shapelint.graph import LayerCall, ShapeGraph, TrainingCall
from shapelint.messages import OUTPUT_TARGET_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.registry import LayerConfig, canonical_name

_RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN")
# Layers that, between the recurrent layer and the output, act on each time
# step alike when given a 3-D tensor (Keras 3's Dense works on the last axis).
_PER_STEP = ("Dense", "Dropout", "Activation", "BatchNormalization", "LayerNormalization", "ReLU",
             "LeakyReLU", "Softmax", "ELU", "GaussianNoise", "GaussianDropout", "AlphaDropout",
             "ActivityRegularization", "Identity")
_SPARSE = ("sparse_categorical_crossentropy", "scce")
# Losses that broadcast output and target element by element (measured
# silent for mse with (batch, 1) against (batch, steps, 1)).
_ELEMENTWISE = ("mse", "mean_squared_error", "mae", "mean_absolute_error", "msle",
                "mean_squared_logarithmic_error", "huber", "log_cosh", "logcosh")


def _recurrent_config(call: LayerCall) -> Optional[LayerConfig]:
    cfg = call.config
    name = canonical_name(cfg.class_name)
    if name == "Bidirectional":
        inner = cfg.get("layer")
        return inner if isinstance(inner, LayerConfig) and canonical_name(inner.class_name) in _RECURRENT else None
    return cfg if name in _RECURRENT else None


def _dropping_rnn(graph: ShapeGraph, tid: int) -> Optional[Tuple[LayerCall, List[LayerCall]]]:
    """The recurrent call that made ``tid`` (through per-step layers only),
    when it returns one vector per sequence; and the per-step calls after it."""
    after: List[LayerCall] = []
    call = graph.producer(tid)
    while call is not None and call.kind == "layer" and len(call.input_tids) == 1:
        cfg = _recurrent_config(call)
        if cfg is not None:
            if cfg.get("return_sequences", False) is not False or reported_error(call) is not None:
                return None
            return call, after
        if canonical_name(call.config.class_name) not in _PER_STEP or reported_error(call) is not None:
            return None
        after.append(call)
        call = graph.producer(call.input_tids[0])
    return None


def _loss_name(tc: TrainingCall) -> str:
    loss = tc.loss
    if isinstance(loss, (list, tuple)) and len(loss) == 1:
        loss = loss[0]
    return getattr(loss, "name", "") or ""


def _per_step_targets(out: tuple, target: tuple, steps: int, sparse: bool) -> bool:
    if not target or target[0] != steps:
        return False
    if target == (steps,) + out:
        return True
    if sparse:
        return target in ((steps,), (steps, 1))
    return out == (1,) and target == (steps,)


def _findings(graph: ShapeGraph) -> Iterator[Tuple[Finding, Set[int]]]:
    for tc in graph.trainings:
        record = tc.record
        if tc.from_dataset or not tc.y or len(tc.y) != 1 or len(record.outputs) != 1 or tc.y[0] is None:
            continue
        out_shape = graph.shape(record.outputs[0])
        target = tuple(tc.y[0].shape)
        if out_shape is None or len(target) < 2 or not all(dims.is_int(d) for d in target[1:]):
            continue
        found = _dropping_rnn(graph, record.outputs[0])
        if found is None:
            continue
        rnn, after = found
        rnn_in = rnn.input_shapes[0] if rnn.input_shapes else None
        if rnn_in is None or len(rnn_in) != 3 or not dims.is_int(rnn_in[1]) or rnn_in[1] < 2:
            continue
        steps = rnn_in[1]
        out = tuple(out_shape[1:])
        loss = _loss_name(tc)
        sparse = loss in _SPARSE
        if not all(dims.is_int(d) for d in out) or not _per_step_targets(out, target[1:], steps, sparse):
            continue
        if sparse:
            outcome = "Keras raises at fit (\"Argument `output` must have rank (ndim) `target.ndim - 1`\")"
        elif loss in _ELEMENTWISE:
            outcome = ("Keras broadcasts the output against them silently and trains on a meaningless "
                       "loss (no error is raised)")
        else:
            outcome = "the output cannot meet them at fit"
        inner = _recurrent_config(rnn)
        name = inner.class_name if inner is not None else rnn.class_name
        fixed = dims.fmt_shape((None, steps) + out)
        spelled = name if inner is rnn.config else f"{rnn.class_name}({name})"
        message = (f"{spelled} drops the time axis (return_sequences is not True): the model outputs "
                   f"{dims.fmt_shape(out_shape)}, one per sequence, but {tc.method}() gets targets "
                   f"{dims.fmt_shape(target)}, one per time step ({steps} steps); {outcome}")
        fixes = [f"{name}(..., return_sequences=True): the model then outputs {fixed}, one per step"]
        superseded = {id(c.node) for c in after} | {id(tc.node)}
        yield Finding.at(rnn.node, OUTPUT_TARGET_MISMATCH, message, fixes), superseded


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for finding, _superseded in _findings(graph):
        yield finding


def superseded(graph: ShapeGraph) -> Set[int]:
    """ids of the nodes whose generic output-target-mismatch this check
    explains (the layers after the recurrent one, the fit call)."""
    nodes: Set[int] = set()
    for _finding, ids in _findings(graph):
        nodes |= ids
    return nodes
