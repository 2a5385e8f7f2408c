"""Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum,
Minimum, Dot.  Mirrors keras/src/layers/merging/*.py of Keras 3.

They are called on a list of tensors (``inputs="list"``).  What Keras checks
when the layer is built (``build`` + ``compute_output_shape``):

* element-wise layers (``Merge.build``): the non-batch shapes broadcast
  pairwise, right-aligned (``_compute_elemwise_op_output_shape``): a size 1
  broadcasts, an unknown size gives an unknown output size, anything else must
  be equal; distinct static batch sizes are refused.  One input is accepted
  (``Add()([x])``); Subtract needs exactly two.
* Concatenate: equal ranks, and equal sizes on every axis but the
  concatenation axis (unknown sizes are skipped).  Its output copies the
  *first* input's other sizes (``(None, None, 4)`` + ``(None, 5, 3)`` ->
  ``(None, None, 7)``), as Keras does.
* Dot: exactly two inputs whose sizes on the dot axes are equal; the output
  drops those axes and the second input's batch axis, and is padded to
  ``(batch, 1)`` when only the batch axis is left.

Deliberate differences, both to avoid false alarms or to catch certain ones:
Keras' ``Dot.build`` also refuses an unknown size against a known one
(``None != 5``) -- shapelint does not, since its ``None`` may only mean "not
known here" (the same leniency applies to every check on unknown sizes).
A dot axis that is the batch axis (``axes=0``) passes Keras' build but always
fails in ``batch_dot`` when the model runs, so it is reported.
"""
from __future__ import annotations

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, MERGE_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    function,
    rule,
)

_ELEMWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")

for _cls in _ELEMWISE + ("Concatenate", "Dot"):
    function(_cls.lower(), _cls)

_PROJECT_FIX = (
    "pool/crop/pad one branch, or project with Dense/Conv to the same size"
)


def _fmt(shapes) -> str:
    return " and ".join(dims.fmt_shape(s) for s in shapes)


def _too_few(cfg: LayerConfig, shapes, wanted: str) -> ShapeError:
    return ShapeError(
        MERGE_SHAPE_MISMATCH,
        f"{cfg.class_name} must be called on {wanted}, but gets "
        f"{len(shapes)}: {_fmt(shapes) or '[]'}",
        f"pass a list of {wanted} tensors, e.g. {cfg.class_name}()([a, b])",
    )


def _check_batch(cfg: LayerConfig, shapes) -> None:
    known = [s[0] for s in shapes if s and s[0] is not None]
    for other in known[1:]:
        if dims.differs(known[0], other):
            raise ShapeError(
                MERGE_SHAPE_MISMATCH,
                f"{cfg.class_name} cannot merge tensors with different batch "
                f"sizes: {_fmt(shapes)} (axis 0 is {dims.fmt_dim(known[0])} vs "
                f"{dims.fmt_dim(other)})",
                "give every input the same batch_size",
            )


def _broadcast(cfg: LayerConfig, s1, s2, full1, full2):
    """Keras' ``Merge._compute_elemwise_op_output_shape`` on the non-batch
    shapes ``s1``, ``s2`` (``full1``/``full2`` are for the message)."""
    if len(s1) < len(s2):
        return _broadcast(cfg, s2, s1, full2, full1)  # pylint: disable=arguments-out-of-order
    if not s2:
        return tuple(s1)
    lead = len(s1) - len(s2)
    out = list(s1[:lead])
    for k, (i, j) in enumerate(zip(s1[lead:], s2)):
        if i is None or j is None:
            out.append(None)
        elif dims.equal(i, 1):
            out.append(j)
        elif dims.equal(j, 1):
            out.append(i)
        elif dims.differs(i, j):
            axis = k - len(s2)  # counted from the end
            raise ShapeError(
                MERGE_SHAPE_MISMATCH,
                f"{cfg.class_name} cannot merge shapes {dims.fmt_shape(full1)} and "
                f"{dims.fmt_shape(full2)}: axis {axis} is {dims.fmt_dim(i)} vs "
                f"{dims.fmt_dim(j)} (sizes must be equal or 1)",
                f"make axis {axis} equal (it is {dims.fmt_dim(i)} vs "
                f"{dims.fmt_dim(j)}): {_PROJECT_FIX}",
            )
        elif dims.equal(i, j):
            out.append(i)
        else:
            out.append(None)
    return tuple(out)


@rule(*_ELEMWISE, family="merge", inputs="list")
def elementwise(cfg: LayerConfig, inputs):
    shapes = list(inputs)
    if cfg.class_name == "Subtract" and len(shapes) != 2:
        raise _too_few(cfg, shapes, "exactly 2 inputs")
    if not shapes:
        raise _too_few(cfg, shapes, "a list of at least 1 input")
    _check_batch(cfg, shapes)
    out = tuple(shapes[0][1:])
    acc_full = shapes[0]
    for shape in shapes[1:]:
        out = _broadcast(cfg, out, tuple(shape[1:]), acc_full, shape)
        acc_full = (None,) + out
    batch = [s[0] for s in shapes if s and s[0] is not None]
    return Out([(batch[0] if batch else None,) + out], 0)


@rule("Concatenate", signature=("axis",), family="merge", inputs="list")
def concatenate(cfg: LayerConfig, inputs):
    shapes = list(inputs)
    if not shapes:
        raise _too_few(cfg, shapes, "a list of at least 1 input")
    axis = cfg.get("axis", -1)
    if not dims.is_int(axis):
        ranks = {len(s) for s in shapes}
        return Out([(None,) * ranks.pop() if len(ranks) == 1 else None], 0)
    for shape in shapes:
        if not -len(shape) <= axis < len(shape):
            raise ShapeError(
                INCOMPATIBLE_INPUT_RANK,
                f"Concatenate(axis={axis}): the axis is out of range for the "
                f"{len(shape)}-D input {dims.fmt_shape(shape)}",
                "use an axis that every input has, e.g. axis=-1 for the features",
            )
    ranks = [len(s) for s in shapes]
    if len(set(ranks)) > 1:
        first = shapes[0]
        other = next(s for s in shapes if len(s) != len(first))
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"Concatenate(axis={axis}) cannot join {dims.fmt_shape(first)} and "
            f"{dims.fmt_shape(other)}: their ranks differ ({len(first)} vs "
            f"{len(other)})",
            "give both branches the same rank: Reshape/Flatten one of them, or "
            "RepeatVector a vector to a sequence",
        )
    rank = ranks[0]
    cat = axis % rank
    for k in range(rank):
        if k == cat:
            continue
        known = [(s, s[k]) for s in shapes if s[k] is not None]
        for s, d in known[1:]:
            s0, d0 = known[0]
            if dims.differs(d0, d):
                shown = k if axis >= 0 else k - rank
                raise ShapeError(
                    MERGE_SHAPE_MISMATCH,
                    f"Concatenate(axis={axis}) cannot join {dims.fmt_shape(s0)} "
                    f"and {dims.fmt_shape(s)}: axis {shown} is {dims.fmt_dim(d0)} "
                    f"vs {dims.fmt_dim(d)}, and only the concatenation axis may "
                    "differ",
                    f"make the non-concatenation axes equal (they are "
                    f"{dims.fmt_dim(d0)} vs {dims.fmt_dim(d)} on axis {shown}): "
                    + _PROJECT_FIX,
                )
    out = list(shapes[0])
    for shape in shapes[1:]:
        out[cat] = dims.add(out[cat], shape[cat])
        if out[cat] is None:
            break
    return Out([tuple(out)], 0)


@rule("Dot", signature=("axes", "normalize"), family="merge", inputs="list")
def dot(cfg: LayerConfig, inputs):
    shapes = list(inputs)
    if len(shapes) != 2:
        raise _too_few(cfg, shapes, "exactly 2 inputs")
    s1, s2 = shapes
    # ``layers.dot(inputs, axes=-1)``: only the function has a default.
    axes = cfg.get("axes", -1)
    if dims.is_int(axes):
        if axes < 0:
            pair = [axes % len(s1), axes % len(s2)]
        else:
            pair = [axes, axes]
    elif (
        isinstance(axes, (list, tuple))
        and len(axes) == 2
        and all(dims.is_int(a) for a in axes)
    ):
        pair = list(axes)
    else:
        return Out([None], 0)
    for a, s in zip(pair, (s1, s2)):
        if not -len(s) <= a < len(s):
            raise ShapeError(
                INCOMPATIBLE_INPUT_RANK,
                f"Dot(axes={axes}): axis {a} is out of range for the "
                f"{len(s)}-D input {dims.fmt_shape(s)}",
                "use axes that both inputs have (the batch axis 0 excluded)",
            )
    if pair[0] % len(s1) == 0 or pair[1] % len(s2) == 0:
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"Dot(axes={axes}) on {_fmt(shapes)} takes the dot product over the "
            "batch axis 0, which batch_dot refuses when the model runs",
            "use a non-batch axis (e.g. axes=-1, or axes=(1, 1))",
        )
    d1, d2 = s1[pair[0]], s2[pair[1]]
    if dims.differs(d1, d2):
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"Dot(axes={axes}) cannot multiply {dims.fmt_shape(s1)} by "
            f"{dims.fmt_shape(s2)}: axis {pair[0]} of the first is "
            f"{dims.fmt_dim(d1)} but axis {pair[1]} of the second is "
            f"{dims.fmt_dim(d2)}",
            f"make the dot axes the same size (they are {dims.fmt_dim(d1)} vs "
            f"{dims.fmt_dim(d2)}): choose other axes, or project one branch "
            "with Dense to the other's size",
        )
    left = list(s1)
    left.pop(pair[0])
    right = list(s2)
    right.pop(pair[1])
    right.pop(0)
    out = left + right
    if len(out) == 1:
        out.append(1)
    return Out([tuple(out)], 0)

