"""Plain numbers: ``math.*``, and TensorFlow/keras.ops/numpy functions given
a Python number rather than a tensor (``tf.cast(self.units, tf.float32)``,
``tf.math.equal(x.shape[-1], 64)``).  Layer sizes are computed with them, so
the result is the number itself.

Every handler here declines when an argument is not a number: the same names
then reach the data and tensor-op families.
"""
from __future__ import annotations

import math
from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching


def is_number(value: Any) -> bool:
    """An int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# tf.math.equal / keras.ops.greater / np.less_equal ... of two numbers.
_COMPARISONS = {
    "equal": lambda a, b: a == b, "not_equal": lambda a, b: a != b,
    "greater": lambda a, b: a > b, "less": lambda a, b: a < b,
    "greater_equal": lambda a, b: a >= b, "less_equal": lambda a, b: a <= b,
}
_COMPARING_MODULES = ("tensorflow.", "keras.ops.", "numpy.")


def _is_comparison(qualname: str) -> bool:
    return qualname.startswith(_COMPARING_MODULES) and qualname.rpartition(".")[2] in _COMPARISONS


@handles_matching(_is_comparison)
def compare(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.math.equal(64, x.shape[-1])`` on two numbers is the Python
    comparison (``tf.equal``/``keras.ops.equal``/``np.equal`` agree on
    scalars), under any module of TensorFlow, keras.ops or numpy."""
    if len(call.args) != 2 or not all(is_number(a) for a in call.args):
        return DECLINE
    return _COMPARISONS[call.name](call.args[0], call.args[1])


_MATH = {"log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp, "sqrt": math.sqrt,
         "floor": math.floor, "ceil": math.ceil, "pow": math.pow, "prod": math.prod}


@handles(*(f"math.{name}" for name in _MATH))
def math_function(_ctx: Context, call: LibraryCall) -> Any:
    """Python's ``math.log(10000)``, ``math.ceil(n / 2)`` ..., called with
    positional numbers only."""
    args = call.args
    if not args or not is_number(args[0]) or call.kwargs or not all(isinstance(a, (int, float)) for a in args):
        return DECLINE
    try:
        return _MATH[call.name](*args)
    except (ValueError, OverflowError, TypeError, ZeroDivisionError):
        return DECLINE  # the call raises: leave it to the fallback


# Tensor functions that, given a plain number, give a scalar: for shapes the
# same as the number (it broadcasts like ``()``).
_SCALAR_FUNCS = {"cast": float, "convert_to_tensor": float, "constant": float, "sqrt": math.sqrt,
                 "rsqrt": lambda v: 1 / math.sqrt(v), "exp": math.exp, "log": math.log,
                 # halves to even, as numpy, TensorFlow and Python's round do
                 "round": lambda v: float(round(v)), "around": lambda v: float(round(v)),
                 "floor": lambda v: float(math.floor(v)), "ceil": lambda v: float(math.ceil(v)),
                 "square": lambda v: float(v * v)}


_CASTS = ("cast", "convert_to_tensor", "constant")  # their second argument is a dtype


@handles(*(f"{module}.{name}" for module in ("tensorflow", "tensorflow.math", "keras.ops", "numpy")
           for name in _SCALAR_FUNCS))
def scalar_function(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.cast(self.units, tf.float32)``, ``tf.constant(3)``,
    ``tf.math.sqrt(float(d))``, ``np.log(10000)``: the first argument a
    number, the result that number (cast) or its function, as a float
    (TensorFlow's and numpy's float scalars)."""
    if not call.args or not is_number(call.args[0]) or (len(call.args) > 1 and call.name not in _CASTS) \
            or set(call.kwargs) - {"dtype", "name"}:  # tf.constant(0.0, shape=...) is no scalar
        return DECLINE
    try:
        return _SCALAR_FUNCS[call.name](call.args[0])
    except (ValueError, OverflowError, TypeError, ZeroDivisionError):
        return DECLINE
