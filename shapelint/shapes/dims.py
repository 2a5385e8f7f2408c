"""Dimension algebra.

A dimension is one of:
  * an ``int`` (known size),
  * ``None`` (unknown, or the batch axis),
  * a symbolic size (``shapes.sizeexpr``): a ``Size`` named after the source
    expression (``h``), or what arithmetic made of sizes (``h - 2``,
    ``floor(h/2)``).

A shape is a tuple of dimensions, or ``None`` when not even the rank is
known.  Symbolic sizes are shapelint's own small expression type, printed
and compared as sympy would (sympy is the oracle of its tests, never
imported at lint time).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable, Optional, Tuple, Union

from shapelint.shapes import sizeexpr
from shapelint.shapes.sizeexpr import Expr, Size

Dim = Any  # int | None | sizeexpr.Expr
Shape = Optional[Tuple[Dim, ...]]

__all__ = ["Size", "Dim", "Shape"]


def symbol(name: str) -> Dim:
    """A positive integer symbol named after the source expression."""
    return Size(name)


def is_symbolic(d: Dim) -> bool:
    """A symbolic size (not an int, not None, not any other Python value)."""
    return isinstance(d, Expr)


def is_int(value: Any) -> bool:
    """A Python int that is not a bool: a size, an axis, a count."""
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def is_size(value: Any) -> bool:
    """A size known to be an int at run time: an int or a symbolic size."""
    return is_int(value) or isinstance(value, Expr)


def as_dim(value: Any) -> Dim:
    """A value as a dimension: an int or a symbolic size, else None."""
    return value if is_size(value) else None


def _symbolic_operands(a: Dim, b: Dim) -> Optional[bool]:
    """True: sizeexpr computes ``a op b`` (a symbolic size with an int, a
    Fraction or another one); False: Python does (no symbolic size); None:
    no size (a float with a symbolic size: ``0.5 * h`` is not one)."""
    if not isinstance(a, Expr) and not isinstance(b, Expr):
        return False
    return (isinstance(a, (Expr, int, Fraction)) and isinstance(b, (Expr, int, Fraction))
            and not isinstance(a, bool) and not isinstance(b, bool)) or None


def _plain(value: Any) -> Any:
    """A number Python computed; a whole Fraction (left by sizes that
    cancelled: ``h/2 + 1/2 - h/2``) as an int."""
    return sizeexpr.number(value) if isinstance(value, Fraction) else value


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    symbolic = _symbolic_operands(a, b)
    return sizeexpr.add(a, b) if symbolic else (_plain(a + b) if symbolic is False else None)


def sub(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    symbolic = _symbolic_operands(a, b)
    return sizeexpr.add(a, sizeexpr.mul(-1, b)) if symbolic else (_plain(a - b) if symbolic is False else None)


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    symbolic = _symbolic_operands(a, b)
    return sizeexpr.mul(a, b) if symbolic else (_plain(a * b) if symbolic is False else None)


def floordiv(a: Dim, b: Dim) -> Dim:
    """``floor(a / b)``: an int for numbers (floats too), None for a zero ``b``."""
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        if b == 0:
            return None
        return a // b
    symbolic = _symbolic_operands(a, b)
    if symbolic is None or (not isinstance(b, Expr) and b == 0):
        return None
    if not symbolic:
        try:
            return math.floor(a / b)
        except (TypeError, ValueError, OverflowError):
            return None
    return sizeexpr.floor(sizeexpr.div(a, b))


def exact_div(a: Dim, b: Dim) -> Dim:
    """``a // b`` when ``b`` provably divides ``a``, else None."""
    if is_int(a) and is_int(b):
        return a // b if b and a % b == 0 else None
    if a is None or b is None or b == 0 or not _symbolic_operands(a, b):
        return None
    q = sizeexpr.div(a, b)
    return q if isinstance(q, int) or sizeexpr.is_integer(q) else None


def product(dims: Iterable[Dim]) -> Dim:
    total: Dim = 1
    for d in dims:
        total = mul(total, d)
        if total is None:
            return None
    return total


def equal(a: Dim, b: Dim) -> Optional[bool]:
    """True/False when provable, None when it cannot be told."""
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    diff = sub(a, b)
    if isinstance(diff, int):
        return diff == 0
    return None


def differs(a: Dim, b: Dim) -> bool:
    """Provably different (never guesses)."""
    return equal(a, b) is False


def provably_non_positive(d: Dim) -> bool:
    if isinstance(d, int):
        return d <= 0
    return False


def merge(a: Dim, b: Dim) -> Dim:
    """What is certain of a dimension that is either ``a`` or ``b``."""
    return a if equal(a, b) else None


def merge_shapes(a: Shape, b: Shape) -> Shape:
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(merge(x, y) for x, y in zip(a, b))


def to_json(d: Dim) -> Union[int, str, None]:
    if d is None or isinstance(d, int):
        return d
    return str(d)


def shape_to_json(shape: Shape):
    if shape is None:
        return None
    return [to_json(d) for d in shape]


def shape_from_json(data) -> Shape:
    """A shape ``shape_to_json`` gave; a symbolic size stays its text."""
    return None if data is None else tuple(data)


def fmt_dim(d: Dim) -> str:
    return "None" if d is None else str(d)


def fmt_shape(shape: Shape) -> str:
    if shape is None:
        return "(unknown)"
    inner = ", ".join(fmt_dim(d) for d in shape)
    if len(shape) == 1:
        inner += ","
    return f"({inner})"


def fully_known(shape: Shape) -> bool:
    """Rank known and every non-batch dimension an int."""
    return shape is not None and all(is_int(d) for d in shape[1:])
