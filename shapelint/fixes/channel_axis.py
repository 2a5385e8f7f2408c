"""input-data-mismatch where the data shows a channel axis the ``Input``
lacks: ``Input(shape=(28, 28))`` fed ``(n, 28, 28, 3)`` images becomes
``Input(shape=(28, 28, 3))`` (UNSAFE: the model's weights change, and
changing the data instead may be what was meant; see
docs/messages/input-data-mismatch.md).

Only when it is certain: the data has exactly one more axis than the Input,
every other per-sample size is a known integer equal to the Input's, the
extra last axis is a known size above 1 (Keras itself drops a trailing 1),
the Input's shape is a tuple or list literal written at its one creation
(``Input(shape=...)``/``Input((...))`` or a first layer's ``input_shape=``),
and every fit/evaluate/predict of that model gives data of that same
per-sample shape.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from astroid import nodes

from shapelint.fixes import UNSAFE, FixInfo
from shapelint.fixes.edits import AppendElement, source_text, span_of
from shapelint.fixes.spelling import qualified_name


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _missing_channels(model_shape, data_shape) -> Optional[int]:
    """The size of the channel axis the data has and the Input lacks."""
    if model_shape is None or data_shape is None or len(data_shape) != len(model_shape) + 1:
        return None
    per_sample, declared = tuple(data_shape[1:]), tuple(model_shape[1:])
    if not all(_is_int(d) for d in per_sample + declared):
        return None
    if per_sample[:-1] != declared or per_sample[-1] <= 1:
        return None
    return per_sample[-1]


def _shape_literal(creation: Any) -> Optional[Any]:
    """The tuple/list literal that declares the Input's per-sample shape."""
    if not isinstance(creation, nodes.Call):
        return None
    keywords = {k.arg: k.value for k in creation.keywords or ()}
    if any(k in keywords for k in ("batch_shape", "batch_input_shape", "batch_size", "input_dim")):
        return None
    if qualified_name(creation.func) in ("keras.Input", "keras.layers.Input"):
        literal = keywords.get("shape", creation.args[0] if creation.args else None)
    else:
        literal = keywords.get("input_shape")
    return literal if isinstance(literal, (nodes.Tuple, nodes.List)) else None


def plan(graph, finding, lines: List[str]) -> Optional[Tuple[FixInfo, tuple]]:
    trainings = [tc for tc in graph.trainings if tc.node is finding.node]
    if len(trainings) != 1:
        return None
    tc = trainings[0]
    record = tc.record
    if not tc.x or len(tc.x) != len(record.inputs):
        return None
    candidates = []
    for tid, data in zip(record.inputs, tc.x):
        channels = _missing_channels(graph.shape(tid), getattr(data, "shape", None))
        if channels is not None:
            candidates.append((tid, channels))
    if len(candidates) != 1:
        return None
    tid, channels = candidates[0]
    index = record.inputs.index(tid)
    wanted = tuple(tc.x[index].shape[1:])
    # Every use of this model must agree on the new per-sample shape.
    for other in graph.trainings:
        if other.record is not record:
            continue
        data = other.x[index] if other.x and len(other.x) == len(record.inputs) else None
        if data is None or data.shape is None or tuple(data.shape[1:]) != wanted:
            return None
    creation = graph.g.nodes[("t", tid)].get("node")
    if creation is None or sum(
            1 for _, d in graph.g.nodes(data=True) if d.get("node") is creation and d.get("origin") == "input") != 1:
        return None
    literal = _shape_literal(creation)
    if literal is None or len(literal.elts) != len(graph.shape(tid)) - 1 or \
            any(isinstance(e, nodes.Starred) for e in literal.elts):
        return None
    description = f"add the channel axis to the Input: {source_text(literal, lines)} -> " \
                  f"{_extended(literal, channels, lines)}"
    return FixInfo(UNSAFE, description), (AppendElement(span_of(literal.elts[0], lines), str(channels)),)


def _extended(literal: Any, channels: int, lines: List[str]) -> str:
    inner = ", ".join(source_text(e, lines) for e in literal.elts)
    opening, closing = ("(", ")") if isinstance(literal, nodes.Tuple) else ("[", "]")
    return f"{opening}{inner}, {channels}{closing}"
