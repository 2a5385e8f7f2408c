"""Shapes of common tensor operations called on Keras tensors outside layers:
``tf.nn.relu(x)``, ``keras.ops.mean(x, axis=1)``, ``tf.concat([a, b], -1)``,
``ops.expand_dims(x, 1)`` ...  Anything else gives an unknown shape."""
from __future__ import annotations

from typing import Any, Callable, List, Optional

from shapelint.shapes import dims

_PREFIXES = ("tensorflow.", "keras.ops.", "keras.activations.", "keras.backend.")

ELEMENTWISE = {
    "relu", "relu6", "gelu", "swish", "silu", "sigmoid", "tanh", "softmax", "log_softmax", "elu",
    "selu", "softplus", "softsign", "exp", "log", "log1p", "sqrt", "rsqrt", "square", "abs",
    "negative", "sign", "cast", "identity", "stop_gradient", "clip_by_value", "clip",
    "l2_normalize", "normalize", "dropout", "erf", "floor", "ceil", "round", "leaky_relu",
    "hard_sigmoid", "hard_swish", "mish", "sin", "cos", "reciprocal", "convert_to_tensor",
}
REDUCTIONS = {
    "reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_std",
    "mean", "sum", "max", "min", "prod", "std", "var", "logsumexp", "reduce_logsumexp",
}
BINARY = {"add", "subtract", "multiply", "divide", "maximum", "minimum", "pow", "true_divide"}


def reduced_shape(shape, axis, keepdims) -> Optional[tuple]:
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    if not all(isinstance(a, int) and -len(shape) <= a < len(shape) for a in axes):
        return None
    picked = {a % len(shape) for a in axes}
    if keepdims:
        return tuple(1 if i in picked else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in picked)


def broadcast(a, b) -> Optional[tuple]:
    if a is None or b is None:
        return None
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif dims.equal(x, y):
            out.append(x)
        else:
            out.append(None)
    return tuple(out)


def op_shape(qualname: str, args: List[Any], kwargs: dict, shape_of: Callable[[Any], Any]) -> Any:
    """The output shape of ``qualname(*args, **kwargs)``, or None if unknown.
    ``shape_of(value)`` gives a tensor's shape (None when not a tensor)."""
    if not qualname.startswith(_PREFIXES):
        return None
    name = qualname.split(".")[-1]
    first = args[0] if args else kwargs.get("x", kwargs.get("input", kwargs.get("features")))
    shape = shape_of(first)
    if name in ELEMENTWISE:
        return shape
    if name in BINARY and len(args) >= 2:
        other = args[1]
        other_shape = shape_of(other)
        if other_shape is None and isinstance(other, (int, float)) and not isinstance(other, bool):
            other_shape = ()
        if shape is None and isinstance(first, (int, float)) and not isinstance(first, bool):
            shape = ()
        return broadcast(shape, other_shape)
    if shape is None:
        if name in ("concat", "concatenate") and isinstance(first, (list, tuple)):
            return _concat([shape_of(t) for t in first], kwargs.get("axis", args[1] if len(args) > 1 else 0))
        return None
    if name in REDUCTIONS:
        axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
        keepdims = kwargs.get("keepdims", kwargs.get("keep_dims", args[2] if len(args) > 2 else False))
        return reduced_shape(shape, axis, keepdims is True)
    if name == "expand_dims":
        axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
        if isinstance(axis, int):
            pos = axis if axis >= 0 else len(shape) + 1 + axis
            if 0 <= pos <= len(shape):
                return tuple(shape[:pos]) + (1,) + tuple(shape[pos:])
        return None
    if name == "squeeze":
        axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
        if isinstance(axis, int) and -len(shape) <= axis < len(shape) and shape[axis] == 1:
            out = list(shape)
            del out[axis]
            return tuple(out)
        return None
    if name == "transpose":
        perm = kwargs.get("perm", kwargs.get("axes", args[1] if len(args) > 1 else None))
        if perm is None:
            return tuple(reversed(shape))
        if isinstance(perm, (list, tuple)) and sorted(perm) == list(range(len(shape))):
            return tuple(shape[i] for i in perm)
        return None
    if name == "reshape":
        target = kwargs.get("shape", kwargs.get("newshape", args[1] if len(args) > 1 else None))
        if isinstance(target, (list, tuple)):
            # Sizes read at run time (ops.shape(x)[0]) are unknown; the rank is not.
            return tuple(d if (isinstance(d, int) and not isinstance(d, bool) and d != -1)
                         or dims.is_symbolic(d) and hasattr(d, "free_symbols") else None
                         for d in target)
        return None
    if name == "matmul" and len(args) >= 2:
        other = shape_of(args[1])
        if other is None or len(shape) < 2 or len(other) < 2:
            return None
        batch = broadcast(tuple(shape[:-2]), tuple(other[:-2]))
        if batch is None:
            return None
        return batch + (shape[-2], other[-1])
    return None


def _concat(shapes, axis) -> Optional[tuple]:
    if not shapes or any(s is None for s in shapes) or not isinstance(axis, int):
        return None
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes) or not -rank <= axis < rank:
        return None
    axis %= rank
    out = list(shapes[0])
    for other in shapes[1:]:
        out[axis] = dims.add(out[axis], other[axis])
        for i in range(rank):
            if i != axis:
                out[i] = dims.merge(out[i], other[i])
    return tuple(out)
