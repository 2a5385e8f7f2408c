"""Losses against model outputs, targets and the output layer's activation.

Mirrors Keras 3 (keras/src/losses: LossFunctionWrapper, squeeze_or_expand_
to_same_rank; backend nn cross-entropies), as measured in
docs/keras3-training-behaviour.md:

* every built-in loss first aligns ranks: a trailing 1 on the side with one
  more axis is squeezed, or a (B,) target is expanded to (B, 1);
* element-wise losses (mse, mae, hinge, ...) then broadcast like numpy:
  differing fixed sizes raise, anything else broadcasts *silently*;
* binary/categorical cross-entropy demand equal rank and equal sizes;
* sparse categorical cross-entropy squeezes a trailing 1 of the target and
  demands target rank = output rank - 1 and equal leading sizes.
"""
from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

from shapelint.checks.policy import data_origin
from shapelint.findings import Finding
from shapelint.graph import DataInfo, ShapeGraph, TrainingCall
from shapelint.messages import LABEL_ENCODING_MISMATCH, LOSS_ACTIVATION_MISMATCH, OUTPUT_TARGET_MISMATCH
from shapelint.shapes import dims

ELEMENTWISE = {
    "mse", "mean_squared_error", "mae", "mean_absolute_error", "mape",
    "mean_absolute_percentage_error", "msle", "mean_squared_logarithmic_error",
    "huber", "huber_loss", "hinge", "squared_hinge", "categorical_hinge", "kld", "kl_divergence",
    "kullback_leibler_divergence", "poisson", "cosine_similarity", "log_cosh", "logcosh",
}
BINARY = {"binary_crossentropy", "binary_focal_crossentropy", "bce"}
CATEGORICAL = {"categorical_crossentropy", "categorical_focal_crossentropy", "cce"}
SPARSE = {"sparse_categorical_crossentropy", "scce"}
AUTO = {"crossentropy", "ce"}

B = "B"  # the batch axis, the same on both sides within a step


def _family(name: str) -> Optional[str]:
    name = name.lower()
    for family, names in (("elementwise", ELEMENTWISE), ("binary", BINARY),
                          ("categorical", CATEGORICAL), ("sparse", SPARSE), ("auto", AUTO)):
        if name in names:
            return family
    return None


def _align(target: tuple, output: tuple) -> Tuple[tuple, tuple, bool]:
    """squeeze_or_expand_to_same_rank(y_true, y_pred); also says whether the
    prediction was squeezed (a cross-entropy then reads the wrong axis)."""
    t, p = list(target), list(output)
    squeezed_pred = False
    if len(t) == len(p) + 1 and t[-1] == 1:
        if len(p) == 1:
            p = p + [1]
        else:
            t = t[:-1]
    elif len(p) == len(t) + 1 and p[-1] == 1:
        if len(t) == 1:
            t = t + [1]
        else:
            p = p[:-1]
            squeezed_pred = True
    return tuple(t), tuple(p), squeezed_pred


def _broadcast_outcome(t: tuple, p: tuple) -> Optional[str]:
    """'ok', 'raises', 'broadcast', or None when it cannot be told."""
    if len(t) == len(p) and all(dims.equal(a, b) for a, b in zip(t[1:], p[1:])):
        return "ok"
    n = max(len(t), len(p))
    tt = (None,) * (n - len(t)) + t
    pp = (None,) * (n - len(p)) + p
    unknown = False
    broadcast = len(t) != len(p)
    for i, (a, b) in enumerate(zip(tt, pp)):
        a_missing, b_missing = i < n - len(t), i < n - len(p)
        if a_missing or b_missing:
            continue
        if a == B and b == B:
            continue
        if a == B or b == B:
            other = b if a == B else a
            if dims.is_int(other) and other != 1:
                return "raises"  # the batch size meets a fixed size
            if other == 1:
                broadcast = True
            else:
                unknown = True
            continue
        if dims.is_int(a) and dims.is_int(b):
            if a == b:
                continue
            if a == 1 or b == 1:
                broadcast = True
                continue
            return "raises"
        unknown = True
    if unknown:
        return None
    return "broadcast" if broadcast else "ok"


def _with_batch(shape: tuple) -> tuple:
    return (B,) + tuple(shape[1:])


def _activation(graph: ShapeGraph, tid: int) -> Tuple[Optional[str], object]:
    """The output layer's activation name (lower case) and that call."""
    call = graph.producer(tid)
    if call is None:
        return None, None
    name = call.class_name
    if name == "Softmax":
        return "softmax", call
    if name in ("ReLU", "LeakyReLU", "ELU", "PReLU"):
        return name.lower(), call
    if name == "Activation" or "activation" in call.config.args or name in ("Dense", "EinsumDense") \
            or name.startswith("Conv"):
        value = call.config.get("activation", None)
        if value is None:
            return "linear", call
        if isinstance(value, str):
            return value.lower(), call
        qual = getattr(value, "qualname", None)
        if qual:
            return qual.split(".")[-1].lower(), call
        return None, call
    return None, call


def _spec_for(loss, index: int, count: int):
    if isinstance(loss, (list, tuple)):
        return loss[index] if index < len(loss) else None
    if isinstance(loss, dict):
        return None  # keyed by output name: not followed
    return loss if count >= 1 else None


def loss_family(tc: TrainingCall, index: int) -> Optional[str]:
    """The family of the Keras loss the output ``index`` is trained with
    ('elementwise', 'binary', 'categorical', 'sparse', 'auto'); None for a
    custom or unknown loss."""
    spec = _spec_for(tc.loss, index, len(tc.record.outputs))
    return None if spec is None else _family(getattr(spec, "name", "") or "")


def _target_kind(y: DataInfo, output: tuple) -> str:
    """'int-labels', 'onehot', or 'values'."""
    if y.onehot:
        return "onehot"
    if y.dtype == "int" or y.classes is not None:
        shape = y.shape
        if len(shape) == 1 or (len(shape) == len(output) and shape[-1] == 1 and output[-1] != 1) \
                or len(shape) == len(output) - 1:
            return "int-labels"
    return "values"


def check(graph: ShapeGraph, tc: TrainingCall, settled=frozenset()) -> Iterator[Finding]:
    """Findings on the loss and targets of each output.  ``settled``: outputs
    whose shape mismatch with the targets another check already reports at
    its root (a Dense head on an unreduced map)."""
    outputs = tc.record.outputs
    ys = tc.y or []
    for index, tid in enumerate(outputs):
        spec = _spec_for(tc.loss, index, len(outputs))
        output = graph.shape(tid)
        y = ys[index] if index < len(ys) and len(ys) == len(outputs) else None
        activation, out_call = _activation(graph, tid)
        if spec is None or output is None or out_call is None:
            continue
        family = _family(getattr(spec, "name", ""))
        if family is None:
            continue
        yield from _activation_findings(spec, family, output, activation, out_call, y)
        if y is None or y.shape is None:
            continue
        for finding in _target_findings(tc, spec.name, family, output, y, out_call):
            if tid in settled and finding.kind is OUTPUT_TARGET_MISMATCH:
                continue
            yield finding


def _activation_findings(spec, family, output, activation, out_call, y) -> Iterator[Finding]:
    units = output[-1]
    node = out_call.node
    if activation == "softmax" and units == 1:
        yield Finding.at(node, LOSS_ACTIVATION_MISMATCH,
                         f"softmax over a single unit always outputs 1.0, so the predictions of "
                         f"{out_call.class_name} {dims.fmt_shape(output)} never change whatever it "
                         f"learns (loss '{spec.name}')",
                         ["use activation='sigmoid' with binary_crossentropy for one unit, "
                          "or give the head one unit per class"])
        return
    if family == "categorical" and units == 1 and len(output) == 2:
        yield Finding.at(node, LOSS_ACTIVATION_MISMATCH,
                         f"categorical_crossentropy on a 1-unit head {dims.fmt_shape(output)}: the "
                         f"loss is always 0 and the model never learns",
                         ["for two classes use binary_crossentropy with Dense(1, activation='sigmoid'); "
                          "otherwise one unit per class with softmax"])
        return
    if family == "sparse" and units == 1 and len(output) == 2:
        yield Finding.at(node, LOSS_ACTIVATION_MISMATCH,
                         f"sparse_categorical_crossentropy on a 1-unit head {dims.fmt_shape(output)}: "
                         f"only class 0 exists, so any label 1 fails at fit",
                         ["for two classes use binary_crossentropy with Dense(1, activation='sigmoid'), "
                          "or Dense(2, activation='softmax')"])
        return
    if family == "binary" and activation == "softmax" and dims.is_int(units) and units > 1:
        yield Finding.at(node, LOSS_ACTIVATION_MISMATCH,
                         f"binary_crossentropy on a {units}-unit softmax head: softmax makes the units "
                         f"compete (one class per sample) while the loss scores each unit as an "
                         f"independent yes/no; accuracy is then misleading",
                         ["use categorical_crossentropy (one-hot labels) or "
                          "sparse_categorical_crossentropy (integer labels) with softmax; "
                          "keep binary_crossentropy only with sigmoid for multi-label"])
        return
    if getattr(spec, "from_logits", False) and activation in ("softmax", "sigmoid"):
        yield Finding.at(node, LOSS_ACTIVATION_MISMATCH,
                         f"the loss takes logits (from_logits=True) but the output already goes through "
                         f"{activation}: the loss is computed on probabilities as if they were logits "
                         f"(Keras' TensorFlow backend only warns and falls back; other backends apply "
                         f"{activation} twice)",
                         [f"remove activation='{activation}' from the output layer, or drop from_logits=True"])


def _target_findings(tc, loss_name, family, output, y: DataInfo, out_call) -> Iterator[Finding]:
    target = _with_batch(y.shape)
    pred = _with_batch(output)
    kind = _target_kind(y, output)
    if family == "auto":
        if output[-1] == 1:
            family = "binary"
        elif len(target) < len(pred) or (target[-1] == 1 and dims.is_int(pred[-1]) and pred[-1] > 1):
            family = "sparse"
        else:
            family = "categorical"
    t, p, squeezed = _align(target, pred)
    # Targets with more axes than a reduced head are the odd side: the
    # finding belongs where they are passed.
    where = tc.node if len(y.shape) > len(output) else out_call.node
    shapes = f"output {dims.fmt_shape(output)} vs targets {dims.fmt_shape(y.shape)}{data_origin(y)}"
    fit = tc.method
    if family == "elementwise":
        outcome = _broadcast_outcome(t, p)
        if outcome == "raises":
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"'{loss_name}' cannot compare {shapes}: Keras raises at {fit} "
                             f"(\"Dimensions must be equal\" / \"Incompatible shapes\"; it only "
                             f"broadcasts silently when the batch size happens to equal that size)",
                             _shape_fixes(output, y.shape))
        elif outcome == "broadcast":
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"'{loss_name}' on {shapes}: Keras broadcasts them silently and trains "
                             f"on a meaningless loss (no error is raised)",
                             _shape_fixes(output, y.shape))
        return
    if family in ("binary", "categorical"):
        same_after_squeeze = squeezed and len(t) == len(p) and not any(
            dims.is_int(a) and dims.is_int(b) and a != b for a, b in zip(t[1:], p[1:]))
        if family == "categorical" and same_after_squeeze:
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"Keras squeezes the output's trailing 1 to match {shapes}, so "
                             f"categorical_crossentropy reads axis -2 as the classes: it trains silently "
                             f"on a meaningless loss", _shape_fixes(output, y.shape))
            return
        if family == "categorical" and kind == "int-labels":
            yield Finding.at(tc.node, LABEL_ENCODING_MISMATCH,
                             f"categorical_crossentropy needs one-hot targets but gets integer labels "
                             f"{dims.fmt_shape(y.shape)}{data_origin(y)} for output {dims.fmt_shape(output)}; Keras "
                             f"raises at {fit}",
                             [f"one-hot encode: keras.utils.to_categorical(y, {dims.fmt_dim(output[-1])}), "
                              f"or use loss='sparse_categorical_crossentropy'"])
            return
        if family == "categorical" and kind == "onehot" and len(t) == len(p) and dims.is_int(t[-1]) \
                and dims.is_int(p[-1]) and t[-1] != p[-1]:
            yield Finding.at(tc.node, LABEL_ENCODING_MISMATCH,
                             f"one-hot targets have {t[-1]} classes but the output has {p[-1]} units "
                             f"({shapes}); Keras raises at {fit}",
                             [f"make the output Dense({t[-1]}) or encode with to_categorical(y, {p[-1]})"])
            return
        if len(t) != len(p):
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"{loss_name} needs targets of the output's rank: {shapes}; Keras raises "
                             f"at {fit} (\"target and output must have the same rank\")",
                             _shape_fixes(output, y.shape))
            return
        if any(dims.is_int(a) and dims.is_int(b) and a != b for a, b in zip(t[1:], p[1:])):
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"{loss_name} needs targets of the output's shape: {shapes}; Keras raises "
                             f"at {fit} (\"target and output must have the same shape\")",
                             _shape_fixes(output, y.shape))
            return
        return
    if family == "sparse":
        if len(t) == len(p) and t[-1] == 1:
            t = t[:-1]
        if kind == "onehot" or (len(t) == len(p) and dims.is_int(t[-1]) and t[-1] == p[-1] and t[-1] != 1):
            yield Finding.at(tc.node, LABEL_ENCODING_MISMATCH,
                             f"sparse_categorical_crossentropy needs integer labels but gets one-hot "
                             f"targets {dims.fmt_shape(y.shape)}{data_origin(y)}; Keras raises at {fit}",
                             ["pass the integer labels (y.argmax(-1)), or use loss='categorical_crossentropy'"])
            return
        if len(t) != len(p) - 1:
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"sparse_categorical_crossentropy needs one integer label per output "
                             f"position: {shapes}; Keras raises at {fit} (\"output must have rank "
                             f"target.ndim - 1\")", _shape_fixes(output, y.shape))
            return
        if any(dims.is_int(a) and dims.is_int(b) and a != b for a, b in zip(t[1:], p[1:-1])):
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"sparse_categorical_crossentropy: {shapes} differ before the class axis; "
                             f"Keras raises at {fit}", _shape_fixes(output, y.shape))
            return
        if squeezed:
            yield Finding.at(where, OUTPUT_TARGET_MISMATCH,
                             f"Keras squeezes the output's trailing 1 to match {shapes}, so the "
                             f"{dims.fmt_dim(p[-1])} positions of axis -2 become the classes: it trains "
                             f"silently on a meaningless loss", _shape_fixes(output, y.shape))
            return
        classes = p[-1]
        if y.classes is not None and dims.is_int(classes) and y.classes > classes:
            yield Finding.at(tc.node, LABEL_ENCODING_MISMATCH,
                             f"labels go up to {y.classes - 1} but the output has {classes} units "
                             f"(classes 0..{classes - 1}); Keras raises at {fit} (label outside the "
                             f"valid range)", [f"give the output {y.classes} units"])


def _shape_fixes(output: tuple, target: tuple) -> List[str]:
    fixes = []
    if len(output) > 2:
        k = len(output) - 2
        if 1 <= k <= 3:
            fixes.append(f"reduce the output to (None, {dims.fmt_dim(output[-1])}) with "
                         f"GlobalAveragePooling{k}D() or Flatten() before the head")
    per_sample = tuple(output[1:])
    if len(target) > len(output) and all(dims.is_int(d) for d in tuple(target[1:]) + per_sample) \
            and dims.product(target[1:]) == dims.product(per_sample):
        # (n, 1, 10) for a (None, 10) head: the targets carry an extra axis.
        fixes.append(f"drop the targets' extra axis: y.reshape(-1, {', '.join(str(d) for d in per_sample)}) "
                     f"gives {dims.fmt_shape((target[0],) + per_sample)}")
    elif len(target) != len(output) or any(
        dims.is_int(a) and dims.is_int(b) and a != b for a, b in zip(target[1:], output[1:])
    ):
        fixes.append(f"{'or ' if fixes else ''}make the targets match the output: per-sample shape "
                     f"{dims.fmt_shape(per_sample)}")
    return fixes
