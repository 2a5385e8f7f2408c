"""dense-on-unreduced-tensor: put ``GlobalAveragePooling{1,2,3}D()`` before
the Dense head (UNSAFE: see docs/messages/dense-on-unreduced-tensor.md).

The head is the Dense/element-wise chain that ends at the model output; the
pooling goes before its first Dense, on the feature map it was left on:

* functional: ``Dense(1)(x)`` -> ``Dense(1)(GlobalAveragePooling2D()(x))``;
* ``Sequential([...])``: a new element before the Dense;
* ``model.add(Dense(1))``: ``model.add(GlobalAveragePooling2D())`` before it.

Only with the feature map's rank known (3, 4 or 5: 1D, 2D, 3D pooling),
channels last, one call of the head at that place in the source (not in a
loop, a helper called twice, a branch that may not run, a function never
called, or a subclassed model's ``call``), and the pooling layer spelled
the way the module spells the Dense.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from astroid import nodes

from shapelint.fixes import UNSAFE, FixInfo
from shapelint.fixes.edits import (InsertElementBefore, InsertStatementBefore, WrapArgument, source_text,
                                     span_of)
from shapelint.fixes.spelling import sibling
from shapelint.shapes.registry import lookup

_HEAD_FAMILIES = ("dense", "elementwise")


def _family(call) -> str:
    rule = lookup(call.config.class_name)
    return rule.family if rule else ""


def _single(graph, call) -> bool:
    """One application of this layer, at this one place in the source, met
    on every path the module runs."""
    if call.in_uncertain_branch or call.in_uncalled_function:
        return False
    return sum(1 for other in graph.calls if other.node is call.node or other.layer_id == call.layer_id) == 1


def _first_dense(graph, call):
    """Walk back from a Dense of the head to the head's first Dense (through
    Dense and element-wise layers of the same rank), as the check does."""
    first = call
    current = call
    while True:
        if len(current.input_tids) != 1:
            return first
        tid = current.input_tids[0]
        producer = graph.producer(tid)
        if producer is None or _family(producer) not in _HEAD_FAMILIES or len(producer.input_tids) != 1:
            return first
        shape, before = graph.shape(tid), graph.shape(producer.input_tids[0])
        if shape is None or before is None or len(shape) != len(before):
            return first
        if producer.class_name == "Dense":
            first = producer
        current = producer


def _in_class(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.ClassDef):
            return True
        parent = parent.parent
    return False


def _constructor(node) -> Optional[Any]:
    """The ``Dense(...)`` call of ``Dense(...)(x)``, or of ``head(x)`` after
    one ``head = Dense(...)`` in the same scope."""
    if not isinstance(node, nodes.Call):
        return None
    if isinstance(node.func, nodes.Call):
        return node.func
    if isinstance(node.func, nodes.Name):
        _scope, assignments = node.func.lookup(node.func.name)
        if len(assignments) == 1 and isinstance(assignments[0], nodes.AssignName) and \
                isinstance(assignments[0].parent, nodes.Assign) and \
                assignments[0].parent.targets == [assignments[0]] and \
                isinstance(assignments[0].parent.value, nodes.Call):
            return assignments[0].parent.value
    return None


def _sequential_call(node) -> bool:
    """Is the list holding ``node`` the layers argument of a call (Sequential([...]))?"""
    sequence = node.parent
    holder = sequence.parent
    if isinstance(holder, nodes.Keyword):
        return holder.arg == "layers" and isinstance(holder.parent, nodes.Call)
    return isinstance(holder, nodes.Call) and holder.args[:1] == [sequence]


def _edits_for(call, wrapper: str, lines: List[str]) -> Optional[Tuple]:
    node = call.node
    if not isinstance(node, nodes.Call):
        return None
    if not call.in_sequential:
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], nodes.Starred):
            return None
        return (WrapArgument(span_of(node, lines), wrapper),)
    parent = node.parent
    if isinstance(parent, (nodes.List, nodes.Tuple)) and _sequential_call(node):
        return (InsertElementBefore(span_of(node, lines), wrapper),)
    if isinstance(parent, nodes.Call) and isinstance(parent.func, nodes.Attribute) and \
            parent.func.attrname == "add" and parent.args == [node] and not parent.keywords and \
            isinstance(parent.parent, nodes.Expr):
        receiver = parent.func.expr.as_string()
        return (InsertStatementBefore(span_of(parent, lines), f"{receiver}.add({wrapper})"),)
    return None


def plan(graph, finding, lines: List[str]) -> Optional[Tuple[FixInfo, tuple]]:
    heads = [c for c in graph.calls if c.node is finding.node and c.class_name == "Dense"]
    if len(heads) != 1 or not _single(graph, heads[0]):
        return None
    first = _first_dense(graph, heads[0])
    if not _single(graph, first) or first.config.class_name != "Dense" or len(first.input_tids) != 1:
        return None
    feature_map = graph.shape(first.input_tids[0])
    if feature_map is None or not 3 <= len(feature_map) <= 5:
        return None
    producer = graph.producer(first.input_tids[0])
    if producer is not None and producer.config.get("data_format") == "channels_first":
        return None
    if _in_class(first.node):
        return None  # a layer created inside call() or __init__: the user's design, not ours
    constructor = first.node if first.in_sequential else _constructor(first.node)
    if not isinstance(constructor, nodes.Call):
        return None
    pooling = f"GlobalAveragePooling{len(feature_map) - 2}D"
    spelled = sibling(constructor.func, "keras.layers", pooling, lines)
    if spelled is None:
        return None
    edits = _edits_for(first, f"{spelled.text}()", lines)
    if edits is None:
        return None
    description = f"insert {pooling}() before {source_text(constructor, lines)}"
    return FixInfo(UNSAFE, description), edits + spelled.edits
