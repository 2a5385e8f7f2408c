"""label-encoding-mismatch: switch categorical <-> sparse categorical
cross-entropy to match the labels (SAFE: the same cross-entropy, read from
the encoding the labels already have; see
docs/messages/label-encoding-mismatch.md).

Fixed only when the finding proposes that loss, exactly one output's labels
have the other encoding (several outputs: a list of losses in output order,
and only that element changes), and every fit/evaluate that reaches this
``compile`` gives that output labels of the same, known encoding: integer
class ids within the output's classes (to ``sparse_categorical_crossentropy``)
or one-hot rows as wide as the output (to ``categorical_crossentropy``).  The
loss is rewritten where ``compile`` names it -- a string,
``keras.losses.CategoricalCrossentropy(...)`` or the
``categorical_crossentropy`` function, in the module's own spelling -- and
not when a metric names one encoding (``categorical_accuracy``), which would
then need changing too.
"""
from __future__ import annotations

import re
from typing import Any, List, Optional, Tuple

from astroid import nodes

from shapelint.fixes import SAFE, FixInfo
from shapelint.fixes.edits import RenameName, ReplaceString, span_of
from shapelint.fixes.spelling import qualified_name, sibling

_SPARSE, _CATEGORICAL = "sparse_categorical_crossentropy", "categorical_crossentropy"
_CLASSES = {_SPARSE: "SparseCategoricalCrossentropy", _CATEGORICAL: "CategoricalCrossentropy"}
_TRAINING = ("fit", "evaluate", "train_on_batch", "test_on_batch")
_CLASS_KEYWORDS = {"from_logits", "reduction", "dtype"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _encoding(y, output: tuple) -> Optional[str]:
    """'integer' or 'onehot' when the labels certainly are that for this output."""
    if y is None or y.shape is None or output is None or not _is_int(output[-1]) or output[-1] < 2:
        return None
    shape = tuple(y.shape)
    if y.onehot:
        return "onehot" if len(shape) == len(output) and shape[-1] == output[-1] else None
    if y.dtype != "int" and y.classes is None:
        return None
    if y.classes is not None and y.classes > output[-1]:
        return None  # labels outside the classes: the loss is not the only problem
    if len(shape) == len(output) - 1 or (len(shape) == len(output) and shape[-1] == 1):
        return "integer"
    return None


def _loss_expression(compile_node: Any) -> Optional[Any]:
    if not isinstance(compile_node, nodes.Call):
        return None
    for keyword in compile_node.keywords or ():
        if keyword.arg == "loss":
            return keyword.value
    return compile_node.args[1] if len(compile_node.args) > 1 else None


def _names_an_encoding(compile_node: Any, loss: Any) -> bool:
    """Does anything else in compile (metrics) name a categorical encoding?"""
    others = [k.value for k in compile_node.keywords or () if k.value is not loss]
    others += [a for a in compile_node.args if a is not loss]
    return any("categorical" in other.as_string().lower() for other in others)


def _rewrite(loss: Any, old: str, new: str, lines: List[str]) -> Optional[Tuple[tuple, str]]:
    """(edits, how the new loss reads) for the loss expression ``loss``."""
    if isinstance(loss, nodes.Const) and loss.value == old:
        return (ReplaceString(span_of(loss, lines), new),), f"loss='{new}'"
    if isinstance(loss, nodes.Call):  # keras.losses.CategoricalCrossentropy(...)
        func, old_name, new_name = loss.func, _CLASSES[old], _CLASSES[new]
        if len(loss.args) > 1 or any(k.arg not in _CLASS_KEYWORDS for k in loss.keywords or ()):
            return None  # label_smoothing, axis, ignore_class: no counterpart in the other loss
        if any(isinstance(a, nodes.Starred) for a in loss.args):
            return None
    elif isinstance(loss, (nodes.Name, nodes.Attribute)):  # the function itself
        func, old_name, new_name = loss, old, new
    else:
        return None
    if qualified_name(func) != f"keras.losses.{old_name}":
        return None
    spelled = sibling(func, "keras.losses", new_name, lines, replaces=True)
    if spelled is None:
        return None
    target = func.attrname if isinstance(func, nodes.Attribute) else func.name
    if target != old_name:
        return None  # an alias (``import ... as CCE``): renaming it would not say what it is
    edits = (RenameName(span_of(func, lines), new_name),) + spelled.edits
    return edits, spelled.text + ("(...)" if isinstance(loss, nodes.Call) else "")


_SWITCH = {_CATEGORICAL: ("integer", _SPARSE), _SPARSE: ("onehot", _CATEGORICAL)}


def _specs(spec, outputs: int) -> Optional[list]:
    """The loss of each output: a list given in order, or one loss for a single output."""
    if isinstance(spec, (list, tuple)):
        return list(spec) if len(spec) == outputs else None
    return [spec] if outputs == 1 and spec is not None else None


def _mismatched(graph, tc) -> List[int]:
    """The outputs of ``tc`` whose labels have the other encoding than their loss reads."""
    specs = _specs(tc.loss, len(tc.record.outputs))
    if specs is None or not tc.y or len(tc.y) != len(specs):
        return []
    found = []
    for index, (spec, y, tid) in enumerate(zip(specs, tc.y, tc.record.outputs)):
        switch = _SWITCH.get(getattr(spec, "name", None))
        if switch and _encoding(y, graph.shape(tid)) == switch[0]:
            found.append(index)
    return found


def _agree(graph, tc, index: int, wanted: str) -> bool:
    """Every fit/evaluate that reaches this compile gives output ``index``
    labels of the ``wanted`` encoding."""
    for other in graph.trainings:
        if other.compile_node is not tc.compile_node or other.method not in _TRAINING:
            continue
        outputs = other.record.outputs
        if len(outputs) != len(tc.record.outputs) or not other.y or len(other.y) != len(outputs):
            return False
        if _encoding(other.y[index], graph.shape(other.record.outputs[index])) != wanted:
            return False  # labels of another (or unknown) encoding reach the same compile
    return True


def plan(graph, finding, lines: List[str]) -> Optional[Tuple[FixInfo, tuple]]:
    trainings = [tc for tc in graph.trainings if tc.node is finding.node]
    if len(trainings) != 1 or trainings[0].compile_node is None:
        return None
    tc = trainings[0]
    mismatched = _mismatched(graph, tc)
    if len(mismatched) != 1:
        return None  # none, or several outputs: which one the finding means is not certain
    index = mismatched[0]
    specs = _specs(tc.loss, len(tc.record.outputs))
    name = specs[index].name
    wanted, new = _SWITCH[name]
    if not any(re.search(rf"(?<![a-z_]){new}", s) for s in finding.suggestions):
        return None  # the finding does not propose this loss (e.g. a class count to fix instead)
    if not _agree(graph, tc, index, wanted):
        return None
    loss = _loss_expression(tc.compile_node)
    if loss is None or _names_an_encoding(tc.compile_node, loss):
        return None
    if isinstance(tc.loss, (list, tuple)):
        if not isinstance(loss, (nodes.List, nodes.Tuple)) or len(loss.elts) != len(specs):
            return None
        loss = loss.elts[index]
    rewritten = _rewrite(loss, name, new, lines)
    if rewritten is None:
        return None
    edits, reads = rewritten
    labels = "integer class ids" if wanted == "integer" else "one-hot rows"
    where = f" for output {index + 1}" if len(specs) > 1 else ""
    return FixInfo(SAFE, f"use {reads}{where}: the labels are {labels}"), edits
