"""Dimension algebra.

A dimension is one of:
  * an ``int`` (known size),
  * ``None`` (unknown, or the batch axis),
  * a sympy expression (a symbolic size such as ``h - 2``).

A shape is a tuple of dimensions, or ``None`` when not even the rank is
known.  sympy is imported lazily: programs that only use literal sizes never
pay for it.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Tuple, Union

Dim = Any  # int | None | sympy.Expr
Shape = Optional[Tuple[Dim, ...]]


def _sympy():
    import sympy  # pylint: disable=import-outside-toplevel

    return sympy


def symbol(name: str) -> Dim:
    """A positive integer symbol named after the source expression."""
    sp = _sympy()
    return sp.Symbol(name, integer=True, positive=True)


def is_symbolic(d: Dim) -> bool:
    """A sympy size (not an int, not None, not any other Python value)."""
    return d is not None and not isinstance(d, (int, float)) and hasattr(d, "free_symbols")


def is_int(value: Any) -> bool:
    """A Python int that is not a bool: a size, an axis, a count."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_size(value: Any) -> bool:
    """A size known to be an int at run time: an int or a sympy expression."""
    return is_int(value) or (is_symbolic(value) and hasattr(value, "free_symbols"))


def as_dim(value: Any) -> Dim:
    """A value as a dimension: an int or a sympy size, else None."""
    return value if is_size(value) else None


def _normalise(expr: Dim) -> Dim:
    if expr is None or isinstance(expr, int):
        return expr
    # sympy canonicalises sums and products on construction; no simplify()
    # (it costs milliseconds per call).
    if getattr(expr, "is_Integer", False):
        return int(expr)
    return expr


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    return _normalise(a + b)


def sub(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    return _normalise(a - b)


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    return _normalise(a * b)


def floordiv(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        if b == 0:
            return None
        return a // b
    sp = _sympy()
    return _normalise(sp.floor(sp.sympify(a) / b))


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
    diff = _normalise(sub(a, b))
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
