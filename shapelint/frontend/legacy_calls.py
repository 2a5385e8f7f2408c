"""The library calls the evaluator models, as one if-chain (interim: these
move into the registry of ``frontend/library/``, one handler per name)."""
from __future__ import annotations

import math
from typing import Any

from shapelint.frontend import data, ops
from shapelint.frontend.library import DECLINE
from shapelint.frontend.resolve import Ref, normalise
from shapelint.frontend.values import Array, Dataset, Tensor, flatten, iter_values
from shapelint.unknown import UNKNOWN

_COMPARISONS = {
    "equal": lambda a, b: a == b, "not_equal": lambda a, b: a != b,
    "greater": lambda a, b: a > b, "less": lambda a, b: a < b,
    "greater_equal": lambda a, b: a >= b, "less_equal": lambda a, b: a <= b,
}


def call_library(ctx, ref: Ref, args, kwargs, node) -> Any:
    qual = ref.qualname
    last = qual.split(".")[-1]
    if last in _COMPARISONS and len(args) == 2 and all(
        isinstance(a, (int, float)) and not isinstance(a, bool) for a in args
    ) and normalise(qual).startswith(("tensorflow.", "keras.ops.", "numpy.")):
        return _COMPARISONS[last](args[0], args[1])  # tf.math.equal(x.shape[-1], 64)
    norm_q = normalise(qual)
    if norm_q in ("keras.ops.arange", "tensorflow.range"):
        bounds = list(args) + [kwargs[k] for k in ("start", "stop", "limit", "step", "delta")
                               if k in kwargs]
        if bounds and len(bounds) <= 3 and all(isinstance(a, int) and not isinstance(a, bool)
                                               for a in bounds):
            # Position indices (positional embeddings): a tensor without batch axis.
            return Tensor(ctx.graph.new_tensor((len(range(*bounds)),), origin="op", node=node))
        if bounds and len(bounds) <= 3:
            # A bound read from a dynamic axis (ops.shape(x)[-1] of a (None, None)
            # input) gives a dynamic length; one shapelint cannot tell, an unknown one.
            dynamic = all(a is None or isinstance(a, int) and not isinstance(a, bool) for a in bounds)
            return Tensor(ctx.graph.new_tensor((None,), origin="op", node=node, exact=dynamic))
    if qual in ("builtins.range",) and all(isinstance(a, int) for a in args) and 1 <= len(args) <= 3:
        return range(*args)  # lazy: materialised only when small
    if qual in ("builtins.enumerate", "builtins.zip", "builtins.reversed", "builtins.sorted") and args:
        seqs = [iter_values(a) for a in args]
        if any(v is None for v in seqs):
            return UNKNOWN
        if qual == "builtins.enumerate":
            start = kwargs.get("start", 0)
            return [(i + start, v) for i, v in enumerate(seqs[0])] if isinstance(start, int) else UNKNOWN
        if qual == "builtins.zip":
            return [tuple(t) for t in zip(*seqs)]
        if qual == "builtins.reversed":
            return list(reversed(seqs[0]))
        try:
            return sorted(seqs[0]) if not kwargs else UNKNOWN
        except TypeError:
            return UNKNOWN
    if qual in ("builtins.len",) and len(args) == 1:
        values = iter_values(args[0])
        return len(values) if values is not None else UNKNOWN
    if qual in ("builtins.tuple", "builtins.list") and len(args) == 1:
        values = iter_values(args[0])
        if values is None:
            return UNKNOWN
        return tuple(values) if qual.endswith("tuple") else list(values)
    if qual == "builtins.int" and len(args) == 1 and isinstance(args[0], (int, float)):
        return int(args[0])
    if qual in ("builtins.min", "builtins.max") and args and all(
        isinstance(a, (int, float)) for a in args
    ):
        return min(args) if qual.endswith("min") else max(args)
    norm = normalise(qual)
    if last == "set_image_data_format":
        ctx.state.image_data_format_set = True
        return None
    if last == "image_data_format" and norm.startswith(("keras.backend.", "keras.config.")):
        return UNKNOWN if ctx.state.image_data_format_set else "channels_last"  # Keras' default
    if norm in ("tensorflow.io.read_file", "tensorflow.read_file"):
        return Tensor(ctx.graph.new_tensor((), origin="data", node=node, exact=True))  # a string scalar
    if last in ("decode_jpeg", "decode_png") and norm.startswith(("tensorflow.image.", "tensorflow.io.")):
        channels = kwargs.get("channels", args[1] if len(args) > 1 else 0)
        if isinstance(channels, int) and not isinstance(channels, bool) and 1 <= channels <= 4:
            return Tensor(ctx.graph.new_tensor((None, None, channels), origin="data", node=node, exact=True))
        return Tensor(ctx.graph.new_tensor((None, None, None), origin="data", node=node))
    if norm.endswith("imagenet_utils.correct_pad"):
        return correct_pad(ctx, args, kwargs)
    if norm.endswith("imagenet_utils.obtain_input_shape"):
        return _obtain_input_shape(args, kwargs)
    scalar = _scalar_call(norm, args, kwargs)
    if scalar is not UNKNOWN:
        return scalar
    if (last in ("shape", "int_shape") and len(args) == 1 and isinstance(args[0], Tensor)
            and norm.startswith(("tensorflow.", "keras.ops.", "keras.backend."))):
        return ctx.shape_value(args[0])  # ops.shape(x), tf.shape(x), K.int_shape(x)
    value = data.library_call(qual, args, kwargs)
    if value is not UNKNOWN:
        if isinstance(value, Array):
            value.node = node
        return value
    if any(isinstance(a, Tensor) for a in flatten(list(args) + list(kwargs.values()))):
        shape, exact = ops.op_result(norm, list(args), kwargs, ctx.shape_of, ctx.exact_of)
        return Tensor(ctx.graph.new_tensor(shape, origin="op", node=node, exact=exact))
    return DECLINE

def correct_pad(ctx, args, kwargs) -> Any:
    """``imagenet_utils.correct_pad(inputs, kernel_size)`` (channels_last)."""
    inputs = args[0] if args else kwargs.get("inputs")
    kernel = args[1] if len(args) > 1 else kwargs.get("kernel_size")
    if ctx.state.image_data_format_set or not isinstance(inputs, Tensor):
        return UNKNOWN
    shape = ctx.shape_value(inputs)
    if isinstance(kernel, int) and not isinstance(kernel, bool):
        kernel = (kernel, kernel)
    if shape is UNKNOWN or len(shape) != 4 or not (
            isinstance(kernel, (tuple, list)) and len(kernel) == 2 and all(isinstance(k, int) for k in kernel)):
        return UNKNOWN
    size = shape[1:3]
    if size[0] is None:
        adjust = (1, 1)
    elif all(isinstance(d, int) for d in size):
        adjust = (1 - size[0] % 2, 1 - size[1] % 2)
    else:
        return UNKNOWN
    correct = (kernel[0] // 2, kernel[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


_MATH = {"log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp, "sqrt": math.sqrt,
         "floor": math.floor, "ceil": math.ceil, "pow": math.pow, "prod": math.prod}
# Tensor functions that, given a plain number, give a scalar: for shapes the
# same as the number (it broadcasts like ``()``).
_SCALAR_FUNCS = {"cast": float, "convert_to_tensor": float, "constant": float, "sqrt": math.sqrt,
                 "rsqrt": lambda v: 1 / math.sqrt(v), "exp": math.exp, "log": math.log}


def _scalar_call(qual: str, args, kwargs) -> Any:
    """``math.log(10000)``, ``tf.cast(ctx.units, tf.float32)``: numbers."""
    if not args or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args[:1]):
        return UNKNOWN
    root, _, name = qual.rpartition(".")
    try:
        if root == "math" and name in _MATH and all(isinstance(a, (int, float)) for a in args) and not kwargs:
            return _MATH[name](*args)
        if root in ("tensorflow", "tensorflow.math", "keras.ops", "numpy") and name in _SCALAR_FUNCS:
            return _SCALAR_FUNCS[name](args[0])
    except (ValueError, OverflowError, TypeError, ZeroDivisionError):
        return UNKNOWN
    return UNKNOWN


def _obtain_input_shape(args, kwargs) -> Any:
    """``imagenet_utils.obtain_input_shape``, channels_last: the given shape,
    else the default size (or (None, None, 3) when no Flatten needs it)."""
    names = ("input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights")
    values = dict(zip(names, args))
    values.update({k: v for k, v in kwargs.items() if k in names})
    input_shape, size = values.get("input_shape"), values.get("default_size")
    flatten, weights = values.get("require_flatten"), values.get("weights")
    if values.get("data_format") != "channels_last" or not isinstance(size, int) or not isinstance(flatten, bool) \
            or any(v is UNKNOWN for v in (input_shape, weights)):
        return UNKNOWN
    if input_shape is not None and not isinstance(input_shape, (tuple, list)):
        return UNKNOWN
    channels = input_shape[-1] if weights != "imagenet" and input_shape and len(input_shape) == 3 else 3
    default = (size, size, channels)
    if weights == "imagenet" and flatten:
        return default if input_shape is None or tuple(input_shape) == default else UNKNOWN
    shape = tuple(input_shape) if input_shape else (default if flatten else (None, None, 3))
    if flatten and None in shape:
        return UNKNOWN  # Keras raises
    return shape




def call_value_method(obj: Any, name: str, args, kwargs) -> Any:
    if isinstance(obj, (Array, Dataset)):
        return data.method_call(obj, name, args, kwargs)
    if isinstance(obj, list) and name == "append" and len(args) == 1:
        obj.append(args[0])
        return None
    if isinstance(obj, list) and name == "extend" and len(args) == 1:
        values = iter_values(args[0])
        if values is not None:
            obj.extend(values)
        return None
    if isinstance(obj, list) and name == "pop" and len(args) <= 1 and obj:
        index = args[0] if args else -1
        if isinstance(index, int) and not isinstance(index, bool) and -len(obj) <= index < len(obj):
            return obj.pop(index)  # skips.pop() in a U-Net decoder
        return UNKNOWN
    if isinstance(obj, list) and name == "insert" and len(args) == 2 and isinstance(args[0], int):
        obj.insert(args[0], args[1])
        return None
    if isinstance(obj, list) and name == "reverse" and not args:
        obj.reverse()
        return None
    if isinstance(obj, (list, dict)) and name == "copy" and not args:
        return obj.copy()
    if isinstance(obj, dict) and name in ("keys", "values", "items") and not args:
        return list(getattr(obj, name)())
    if isinstance(obj, dict) and name == "get" and args:
        try:
            return obj.get(args[0], args[1] if len(args) > 1 else None)
        except TypeError:
            return UNKNOWN
    return DECLINE
