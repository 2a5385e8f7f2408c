"""Dimension algebra.

A dimension is one of:
  * an ``int`` (known size),
  * ``None`` (unknown, or the batch axis),
  * a sympy expression (a symbolic size such as ``h - 2``), or a ``Size``:
    a named size no arithmetic has touched yet.

A shape is a tuple of dimensions, or ``None`` when not even the rank is
known.  sympy is imported lazily: programs that only use literal sizes never
pay for it, and neither do those whose symbolic sizes are only passed along
(``Dense(num_classes)`` in a builder analysed on its own) -- a ``Size``
becomes a sympy symbol only when arithmetic or a comparison reaches it.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Tuple, Union

Dim = Any  # int | None | sympy.Expr
Shape = Optional[Tuple[Dim, ...]]


def _sympy():
    import sympy  # pylint: disable=import-outside-toplevel

    return sympy


class Size:
    """A positive integer size named after the source expression, standing
    for ``sympy.Symbol(name, integer=True, positive=True)`` until something
    computes with it: every operator hands over to that symbol, so results
    are exactly sympy's."""

    __slots__ = ("name", "_symbol")
    is_Integer = False
    is_integer = True
    is_positive = True

    def __init__(self, name: str):
        self.name = name
        self._symbol = None

    def _sympy_(self):
        """The sympy symbol (also what ``sympy.sympify`` calls)."""
        if self._symbol is None:
            self._symbol = _sympy().Symbol(self.name, integer=True, positive=True)
        return self._symbol

    @property
    def free_symbols(self) -> set:
        return {self._sympy_()}

    def __str__(self) -> str:
        return self.name

    __repr__ = __str__

    def __hash__(self) -> int:
        return hash(("Size", self.name))

    def __eq__(self, other):
        if isinstance(other, Size):
            return self.name == other.name
        if other is None or isinstance(other, (int, float, str, bool, tuple, list)):
            return False
        return self._sympy_() == other

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result


def _sized(value):
    return value._sympy_() if isinstance(value, Size) else value


def _delegate(name: str):
    def method(self, *others):
        return getattr(self._sympy_(), name)(*(_sized(o) for o in others))
    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
              "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
              "__rpow__", "__neg__", "__pos__", "__abs__", "__lt__", "__le__", "__gt__", "__ge__",
              "__int__", "__float__"):
    setattr(Size, _name, _delegate(_name))


def _size_index(self):
    """``range(h)``, ``[0] * h``: as with the sympy symbol, not an int."""
    raise TypeError(f"the size {self.name} is not an integer Python knows")


def _size_attribute(self, name: str):
    """Any other sympy attribute (``subs``, ``is_number``...): the symbol's."""
    if name.startswith("__") or name in Size.__slots__:
        raise AttributeError(name)
    return getattr(self._sympy_(), name)


Size.__index__ = _size_index  # type: ignore[attr-defined]
Size.__getattr__ = _size_attribute  # type: ignore[attr-defined]


def symbol(name: str) -> Dim:
    """A positive integer symbol named after the source expression."""
    return Size(name)


def is_symbolic(d: Dim) -> bool:
    """A sympy size (not an int, not None, not any other Python value).  A
    ``Size`` is one without asking for its ``free_symbols``: that would make
    its sympy symbol (importing sympy) for a mere question."""
    if isinstance(d, Size):
        return True
    return d is not None and not isinstance(d, (int, float)) and hasattr(d, "free_symbols")


def is_int(value: Any) -> bool:
    """A Python int that is not a bool: a size, an axis, a count."""
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


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
    return _normalise(sp.floor(sp.sympify(_sized(a)) / _sized(b)))


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
