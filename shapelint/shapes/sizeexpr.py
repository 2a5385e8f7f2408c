"""Symbolic sizes: the small algebra shapelint's dimension arithmetic needs.

A symbolic size is one of

* ``Size``: a positive integer named after the source expression (``h``),
* ``Floor``: ``floor(x)`` of a sum that is not known to be an integer
  (``floor(h/2)``, ``floor(h/2 - 1/2)``),
* ``Sum``: any other sum, product or power of those with rational
  coefficients (``h - 2``, ``3*h*w``, ``(h - 2)*(w - 2)``, ``h/2``).

Known numbers stay Python ``int`` (a non-integer constant a ``Fraction``).

Every value is built in the canonical form sympy's automatic evaluation gives
for ``Symbol(name, integer=True, positive=True)`` (shapelint used sympy until
it measured what importing it costs a linter): sums collect like terms,
products collect like bases, a number distributes over a sum it multiplies on
its own (``2*(h + 1)`` is ``2*h + 2``) but a product of sums is not expanded
(``(h - 2)*(w - 2)``), and ``floor`` takes out what it knows to be an integer
(``floor(h/2 + 1)`` is ``floor(h/2) + 1``, ``floor(2*h/2)`` is ``h``).  So
``==`` is sympy's structural equality, and ``str()`` prints what sympy's
``str()`` prints (its term and factor order, signs and parentheses).
tests/test_sizeexpr.py checks both against sympy on thousands of random
expressions.

Comparisons (``h > 0``) answer a Python bool when the bounds every size has
decide them (a ``Size`` is at least 1, ``floor(x)`` lies between the floors
of x's bounds: ``floor(h/2) >= 0``), else an undecided relation whose
``bool()`` raises ``TypeError``, as sympy's does (``h > 2``).  sympy decides
a few comparisons the bounds leave open (powers of a floor that may be
negative: ``h > floor(-3/w)**3``) and the bounds a few that sympy leaves
open (``floor(x) < floor(x)``); none is one shapelint's rules ask.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Dict, FrozenSet, Optional, Tuple

Number = Any  # int | Fraction
Mono = FrozenSet[Tuple[Any, int]]  # {(base, exponent)}: a product of powers of bases


class Expr:
    """What every symbolic size does: Python's operators, as sympy's."""

    __slots__ = ()

    # --------------------------------------------------------- arithmetic
    def __add__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else add(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else add(self, mul(-1, other))

    def __rsub__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else add(other, mul(-1, self))

    def __mul__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else mul(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else div(self, other)

    def __rtruediv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else div(other, self)

    def __floordiv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else floor(div(self, other))

    def __rfloordiv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else floor(div(other, self))

    def __pow__(self, exponent):
        if type(exponent) is not int:  # pylint: disable=unidiomatic-typecheck
            return NotImplemented
        return power(self, exponent)

    def __neg__(self):
        return mul(-1, self)

    def __pos__(self):
        return self

    def __int__(self):
        raise TypeError(f"cannot convert the symbolic size {self} to int")

    __index__ = __int__  # range(h), [0] * h: not an int Python knows

    def __float__(self):
        raise TypeError(f"cannot convert the symbolic size {self} to float")

    # -------------------------------------------------------- comparisons
    def __lt__(self, other):
        return _compare(other, self, True, "<", self, other)

    def __gt__(self, other):
        return _compare(self, other, True, ">", self, other)

    def __le__(self, other):
        return _compare(other, self, False, "<=", self, other)

    def __ge__(self, other):
        return _compare(self, other, False, ">=", self, other)

    # ------------------------------------------------------------ queries
    @property
    def is_integer(self) -> Optional[bool]:
        """True when provably an integer (None: not known)."""
        return True if is_integer(self) else None

    @property
    def free_symbols(self) -> set:
        out: set = set()
        _symbols(self, out)
        return out

    def subs(self, mapping, value=None):
        """The size with symbols replaced (``e.subs(h, 5)``, ``e.subs({h: 5})``)."""
        if value is not None or not isinstance(mapping, dict):
            mapping = {mapping: value}
        names = {(k.name if isinstance(k, Size) else str(k)): v for k, v in mapping.items()}
        return _substitute(self, names)

    def __str__(self) -> str:
        return _print(self)

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Size(Expr):
    """A positive integer size named after the source expression."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __hash__(self) -> int:
        return hash(("Size", self.name))

    def __eq__(self, other):
        return type(other) is Size and other.name == self.name  # pylint: disable=unidiomatic-typecheck

    def __ne__(self, other):
        return not self.__eq__(other)

    def __str__(self) -> str:
        return self.name

    __repr__ = __str__


class Floor(Expr):
    """``floor(arg)``, arg a sum not known to be an integer (see ``floor``)."""

    __slots__ = ("arg", "_hash")

    def __init__(self, arg: Expr):
        self.arg = arg
        self._hash = hash(("Floor", arg))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other):
        return type(other) is Floor and other._hash == self._hash and other.arg == self.arg  # pylint: disable=unidiomatic-typecheck,protected-access

    def __ne__(self, other):
        return not self.__eq__(other)


class Sum(Expr):
    """``const + sum(coeff * mono)``: a sum of terms, or a single product or
    power (``const`` 0, one term).  Built only by ``_make``, which keeps the
    canonical form."""

    __slots__ = ("const", "terms", "_hash", "_str")

    def __init__(self, const: Number, terms: Dict[Mono, Number]):
        self.const = const
        self.terms = terms
        self._hash = hash((const, frozenset(terms.items())))
        self._str: Optional[str] = None

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other):
        return (type(other) is Sum and other._hash == self._hash  # pylint: disable=unidiomatic-typecheck,protected-access
                and other.const == self.const and other.terms == self.terms)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __str__(self) -> str:
        if self._str is None:
            self._str = _print(self)
        return self._str

    __repr__ = __str__

    @property
    def is_add(self) -> bool:
        return bool(self.const) or len(self.terms) > 1


class Relation:
    """A comparison of sizes the bounds do not decide (``h > 2``): as sympy's
    relational, it is no bool."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __bool__(self):
        raise TypeError(f"cannot determine truth value of {self.text}")

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


# ---------------------------------------------------------------- building
def _coerce(value):
    """An operand sizes compute with: a size, an int or a Fraction."""
    if isinstance(value, Expr) or type(value) in (int, Fraction):  # pylint: disable=unidiomatic-typecheck
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return NotImplemented


def number(value: Number) -> Number:
    """A whole Fraction as an int."""
    if type(value) is Fraction and value.denominator == 1:  # pylint: disable=unidiomatic-typecheck
        return value.numerator
    return value


def _parts(e) -> Tuple[Number, Dict[Mono, Number]]:
    """A value as ``(const, {mono: coeff})``."""
    if isinstance(e, Sum):
        return e.const, e.terms
    if isinstance(e, Expr):
        return 0, {frozenset(((e, 1),)): 1}
    return e, {}


def _make(const: Number, terms: Dict[Mono, Number]):
    """The canonical value of ``const + sum(coeff * mono)``."""
    # A number times a sum on its own distributes (sympy: 2*(h + 1) -> 2*h + 2).
    for mono in [m for m in terms if len(m) == 1]:
        ((base, exp),) = mono
        if exp == 1 and isinstance(base, Sum) and base.is_add:
            coeff = terms.pop(mono)
            const = const + coeff * base.const
            for m, c in base.terms.items():
                terms[m] = terms.get(m, 0) + coeff * c
    terms = {m: number(c) for m, c in terms.items() if c != 0}
    const = number(const)
    if not terms:
        return const
    if not const and len(terms) == 1:
        ((mono, coeff),) = terms.items()
        if coeff == 1 and len(mono) == 1:
            ((base, exp),) = mono
            if exp == 1:
                return base
    return Sum(const, terms)


def add(a, b):
    ca, ta = _parts(a)
    cb, tb = _parts(b)
    if not tb:
        if not cb:
            return a
        return _make(ca + cb, dict(ta))
    terms = dict(ta)
    for m, c in tb.items():
        terms[m] = terms.get(m, 0) + c
    return _make(ca + cb, terms)


def _as_product(e) -> Tuple[Number, Dict[Any, int]]:
    """A value as ``coeff * prod(base**exp)`` (a sum is one base)."""
    if isinstance(e, Sum):
        if e.is_add:
            return 1, {e: 1}
        ((mono, coeff),) = e.terms.items()
        return coeff, dict(mono)
    if isinstance(e, Expr):
        return 1, {e: 1}
    return e, {}


def mul(a, b):
    if not isinstance(a, Expr):
        a, b = b, a
    if not isinstance(b, Expr):  # a number: scales every term
        if b == 0:
            return 0
        if b == 1:
            return a
        const, terms = _parts(a)
        return _make(const * b, {m: c * b for m, c in terms.items()})
    ca, fa = _as_product(a)
    cb, fb = _as_product(b)
    factors = dict(fa)
    for base, exp in fb.items():
        factors[base] = factors.get(base, 0) + exp
    mono = frozenset((base, exp) for base, exp in factors.items() if exp)
    if not mono:
        return number(ca * cb)
    return _make(0, {mono: ca * cb})


def power(a, n: int):
    if n == 0:
        return 1
    if n < 0:
        return div(1, power(a, -n))
    if not isinstance(a, Expr):
        return number(Fraction(a) ** n)
    coeff, factors = _as_product(a)
    return _make(0, {frozenset((b, e * n) for b, e in factors.items()): number(Fraction(coeff) ** n)})


def div(a, b):
    if not isinstance(b, Expr):
        if b == 0:
            raise ZeroDivisionError("division of a size by zero")
        if not isinstance(a, Expr):
            return number(Fraction(a) / b)
        return mul(a, Fraction(1, b) if type(b) is int else 1 / b)  # pylint: disable=unidiomatic-typecheck
    coeff, factors = _as_product(b)
    inverse = _make(0, {frozenset((base, -exp) for base, exp in factors.items()): 1 / Fraction(coeff)})
    return mul(a, inverse)


def floor(x):
    """sympy's ``floor(x)``: a number's floor; an integer itself; else the
    integer terms taken out (``floor(h/2 + w + 1)`` is ``w + floor(h/2) + 1``)
    and the rest, with its constant, under the floor."""
    if not isinstance(x, Expr):
        return math.floor(x)
    small = _small_floor(x)
    if small is not None:
        return small
    if is_integer(x):
        return x
    const, terms = _parts(x)
    inside = {m: c for m, c in terms.items() if not _term_is_integer(m, c)}
    outside = {m: c for m, c in terms.items() if m not in inside}
    if type(const) is int:  # pylint: disable=unidiomatic-typecheck
        out_const, in_const = const, 0
    else:
        out_const, in_const = 0, const
    if not inside:
        out_const += math.floor(in_const)
        in_const = 0
    rest = _make(in_const, inside) if inside else 0
    return _make(out_const, dict(outside)) if not inside else add(_make(out_const, dict(outside)), Floor(rest))


def _numer_denom(x) -> Tuple[Any, Any]:
    """``x`` as numerator / denominator (the denominator positive when every
    divisor is)."""
    if not isinstance(x, Expr):
        x = Fraction(x)
        return x.numerator, x.denominator
    if not isinstance(x, Sum):
        return x, 1
    num, den = Fraction(x.const).numerator, Fraction(x.const).denominator
    for mono, coeff in x.terms.items():
        coeff = Fraction(coeff)
        tn, td = coeff.numerator, coeff.denominator
        for base, exp in mono:
            if exp > 0:
                tn = mul(tn, power(base, exp))
            else:
                td = mul(td, power(base, -exp))
        num, den = add(mul(num, td), mul(tn, den)), mul(den, td)
    return num, den


def _small_floor(x) -> Optional[int]:
    """sympy's ``floor._eval_const_number``: 0 for ``0 < x < 1``, 1 for
    ``1 <= x < 2`` (-1, -2 alike) when the bounds show it."""
    if not _real(x):
        return None
    positive = _positive(x)
    negative = not positive and _positive(mul(-1, x))
    if not (positive or negative):
        return None
    num, den = _numer_denom(x)
    if positive:
        if _weakly_decided(den, num, True):
            return 0
        if _weakly_decided(num, den, False) and _weakly_decided(mul(2, den), num, True):
            return 1
        return None
    if _weakly_decided(num, mul(-1, den), False):
        return -1
    if _weakly_decided(num, mul(-2, den), False) and _weakly_decided(mul(-1, den), num, True):
        return -2
    return None


# -------------------------------------------------------------- assumptions
def is_integer(e) -> bool:
    """Provably an integer, as sympy's ``is_integer`` is True."""
    if type(e) is int:  # pylint: disable=unidiomatic-typecheck
        return True
    if isinstance(e, Size):
        return True
    if isinstance(e, Floor):  # floor(h/floor(w/2)) is no number when floor(w/2) is 0
        return _real(e.arg)
    if isinstance(e, Sum):
        return type(e.const) is int and all(_term_is_integer(m, c) for m, c in e.terms.items())  # pylint: disable=unidiomatic-typecheck
    return False


def _real(e) -> bool:
    """Provably a real number: no division by what may be 0 (a floor, a sum
    not provably positive)."""
    if isinstance(e, Size) or not isinstance(e, Expr):
        return True
    if isinstance(e, Floor):
        return _real(e.arg)
    for mono in e.terms:
        for base, exp in mono:
            if not _real(base):
                return False
            if exp < 0 and not (isinstance(base, Size) or (
                    isinstance(base, Sum) and (_lower_bound(base) or 0) > 0)):
                return False
    return True


def _parity(e) -> Optional[int]:
    """0 even, 1 odd, None not known (sympy's is_even/is_odd)."""
    if type(e) is int:  # pylint: disable=unidiomatic-typecheck
        return e % 2
    if isinstance(e, Sum):
        if e.is_add:
            total = e.const % 2 if type(e.const) is int else None  # pylint: disable=unidiomatic-typecheck
            for m, c in e.terms.items():
                p = _term_parity(m, c)
                if p is None or total is None:
                    return None
                total = (total + p) % 2
            return total
        ((m, c),) = e.terms.items()
        return _term_parity(m, c)
    return None


def _term_parity(mono: Mono, coeff: Number) -> Optional[int]:
    if type(coeff) is not int or not _term_is_integer(mono, coeff):  # pylint: disable=unidiomatic-typecheck
        return None
    parities = [coeff % 2] if abs(coeff) != 1 else []
    for base, exp in mono:
        if exp < 0:
            return None
        parities.append(_parity(base))
    if 0 in parities:
        return 0
    return None if None in parities else 1


def _trailing(n: int) -> int:
    return (n & -n).bit_length() - 1


def _term_is_integer(mono: Mono, coeff: Number) -> bool:
    """sympy's ``Mul._eval_is_integer`` (and ``Pow``'s) is True."""
    if len(mono) == 1 and coeff == 1:
        ((base, exp),) = mono
        return exp > 0 and is_integer(base)
    numerators, denominators = [], []  # (value, parity, exponent)
    if type(coeff) is not int:  # pylint: disable=unidiomatic-typecheck
        if not isinstance(coeff, Fraction):
            return False
        n, d = coeff.numerator, coeff.denominator
        if abs(n) != 1:
            numerators.append((n % 2, 1, n))
        denominators.append((d % 2, 1, d))
    elif abs(coeff) != 1:
        numerators.append((coeff % 2, 1, coeff))
    for base, exp in mono:
        integer = is_integer(base)
        if exp > 0:
            if not integer:
                return False  # sympy: unknown
            numerators.append((_parity(base), exp, None))
        else:
            if not integer:
                return False
            denominators.append((_parity(base), -exp, None))
    if not denominators:
        return True
    if any(p == 0 for p, _, _ in numerators) and len(denominators) == 1 and denominators[0][2] == 2:
        return True
    if len(denominators) == 1 and denominators[0][2] is not None and denominators[0][0] == 0:
        evens = sum(e for p, e, _ in numerators if p == 0)
        return evens - _trailing(denominators[0][2]) >= 0
    return False


# ------------------------------------------------------------ comparisons
def _lower_bound(e) -> Optional[Number]:
    """A number the size is never below, when one is known: a ``Size`` is at
    least 1, ``floor(x)`` at least ``floor`` of x's bound, a sum of terms
    with non-negative coefficients and no division at least the sum of
    their bounds."""
    if not isinstance(e, Expr):
        return e
    if isinstance(e, Size):
        return 1
    if isinstance(e, Floor):
        low = _lower_bound(e.arg)
        return None if low is None else math.floor(low)
    total = e.const
    for mono, coeff in e.terms.items():
        if coeff < 0:
            return None
        low = coeff
        for base, exp in mono:
            b = _lower_bound(base)
            if exp < 0 or b is None or b < 0:
                return None
            low = low * b ** exp
        total += low
    return total


def _positive(x) -> bool:
    """Provably > 0 (``3/(4*h**2)`` too, whose lower bound is 0)."""
    if not isinstance(x, Expr):
        return x > 0
    if (_lower_bound(x) or 0) > 0:
        return True
    return isinstance(x, Sum) and x.const >= 0 and all(
        coeff > 0 and all(_positive(base) for base, _ in mono) for mono, coeff in x.terms.items())


def _bounds(e) -> Tuple[Optional[Number], Optional[Number]]:
    """Numbers the size is never below / above (None: no bound known): a
    ``Size`` is at least 1, ``floor(x)`` lies between the floors of x's
    bounds, a product of non-negative factors between the products of theirs."""
    if not isinstance(e, Expr):
        return e, e
    if isinstance(e, Size):
        return 1, None
    if isinstance(e, Floor):
        low, high = _bounds(e.arg)
        return (None if low is None else math.floor(low)), (None if high is None else math.floor(high))
    low: Optional[Number] = e.const
    high: Optional[Number] = e.const
    for mono, coeff in e.terms.items():
        t_low: Optional[Number] = 1
        t_high: Optional[Number] = 1
        for base, exp in mono:
            b_low, b_high = _bounds(base)
            if len(mono) == 1 and exp == 1:  # coeff * base: the base's bounds, of either sign
                t_low, t_high = b_low, b_high
                break
            if b_low is None or b_low < 0 or (exp < 0 and b_low == 0):
                return None, None  # a factor of either sign, or a division by what may be 0
            if exp > 0:
                f_low, f_high = b_low ** exp, (None if b_high is None else b_high ** exp)
            else:
                f_low = 0 if b_high is None else Fraction(1) / Fraction(b_high) ** -exp
                f_high = Fraction(1) / Fraction(b_low) ** -exp
            t_low = t_low * f_low
            t_high = None if t_high is None or f_high is None else t_high * f_high
        if coeff < 0:
            t_low, t_high = (None if t_high is None else coeff * t_high), (None if t_low is None else coeff * t_low)
        else:
            t_low, t_high = (None if t_low is None else coeff * t_low), (None if t_high is None else coeff * t_high)
        low = None if low is None or t_low is None else low + t_low
        high = None if high is None or t_high is None else high + t_high
    return low, high


def _compare(a, b, strict: bool, op: str, left, right):
    """``a > b`` (strict) or ``a >= b``: a bool when the bounds decide it
    (``left op right`` is the comparison as written)."""
    a, b = _coerce(a), _coerce(b)
    if a is NotImplemented or b is NotImplemented:
        return NotImplemented
    diff = add(a, mul(-1, b))
    if not isinstance(diff, Expr):
        return diff > 0 if strict else diff >= 0
    low, high = _bounds(diff)
    if low is not None and (low > 0 if strict else low >= 0):
        return True
    if high is not None and (high <= 0 if strict else high < 0):
        return False
    return Relation(f"{left} {op} {right}")


def _weakly_decided(a, b, strict: bool) -> bool:
    """``a > b`` (``>=``) shown by lower bounds alone: what ``floor`` may use
    to give 0 or 1, no more than sympy's own ``floor`` evaluation shows."""
    diff = add(a, mul(-1, b))
    low = _lower_bound(diff)
    return low is not None and (low > 0 if strict else low >= 0)


# -------------------------------------------------------------- utilities
def _symbols(e, out: set) -> None:
    if isinstance(e, Size):
        out.add(e)
    elif isinstance(e, Floor):
        _symbols(e.arg, out)
    elif isinstance(e, Sum):
        for mono in e.terms:
            for base, _ in mono:
                _symbols(base, out)


def _substitute(e, values: Dict[str, Any]):
    if isinstance(e, Size):
        return values.get(e.name, e)
    if isinstance(e, Floor):
        return floor(_substitute(e.arg, values))
    if not isinstance(e, Sum):
        return e
    total = e.const
    for mono, coeff in e.terms.items():
        term = coeff
        for base, exp in mono:
            term = mul(term, power(_substitute(base, values), exp))
        total = add(total, term)
    return total


# ---------------------------------------------------------------- printing
# sympy's StrPrinter, for these expressions: its sort keys (class key,
# arguments, exponent, coefficient), its term order (as_ordered_terms: by
# the monomial's exponents over the sorted bases, highest first), its
# precedences (Add 40, Mul 50, Pow 60, functions 70, atoms 1000).
_NUMBER_CLASS = (1, 0, "Number")
_ONE_KEY = (_NUMBER_CLASS, (0, ()), (), 1)


def _number_key(n: Number):
    return (_NUMBER_CLASS, (0, ()), (), n)


def _base_key(base) -> tuple:
    """A base's class key and arguments (sympy's sort_key, first two parts)."""
    if isinstance(base, Size):
        return (2, 0, "Symbol"), (1, (base.name,))
    if isinstance(base, Floor):
        return (4, 10000, "floor"), (1, (_sort_key(base.arg),))
    terms = _ordered_terms(base)
    return (3, 1, "Add"), (len(terms), tuple(_term_key(t) for t in terms))


def _factor_key(base, exp: int) -> tuple:
    cls, args = _base_key(base)
    return cls, args, _number_key(exp), 1


def _term_key(term) -> tuple:
    """sort_key of one term: a number or ``(mono, coeff)``."""
    if not isinstance(term, tuple):
        return _number_key(term)
    mono, coeff = term
    if len(mono) == 1:
        ((base, exp),) = mono
        cls, args = _base_key(base)
        return cls, args, _number_key(exp), coeff
    factors = sorted(_factor_key(b, e) for b, e in mono)
    return (3, 0, "Mul"), (len(factors), tuple(factors)), _ONE_KEY, coeff


def _sort_key(e) -> tuple:
    if isinstance(e, Sum) and e.is_add:
        terms = _ordered_terms(e)
        return (3, 1, "Add"), (len(terms), tuple(_term_key(t) for t in terms)), _ONE_KEY, 1
    if isinstance(e, Sum):
        ((mono, coeff),) = e.terms.items()
        return _term_key((mono, coeff))
    if isinstance(e, Expr):
        return _term_key((frozenset(((e, 1),)), 1))
    return _number_key(e)


def _ordered_terms(e: Sum) -> list:
    """sympy's ``as_ordered_terms()``: the terms (``(mono, coeff)``, and the
    constant) as ``str()`` prints them."""
    terms: list = list(e.terms.items())
    if e.const:
        # Number + (negative number)*x, two arguments each: "3 - h"
        if len(terms) == 1 and e.const > 0:
            mono, coeff = terms[0]
            if coeff < 0 and len(mono) == 1:
                return [e.const, terms[0]]
        terms.append(e.const)
    gens = sorted({base for t in terms if isinstance(t, tuple) for base, _ in t[0]}, key=_sort_key)
    index = {g: i for i, g in enumerate(gens)}

    def key(term):
        monom = [0] * len(gens)
        if isinstance(term, tuple):
            for base, exp in term[0]:
                monom[index[base]] = exp
            coeff = term[1]
        else:
            coeff = term
        return tuple(-m for m in monom), float(coeff)
    return sorted(terms, key=key)


def _precedence(e) -> int:
    if type(e) is int:  # pylint: disable=unidiomatic-typecheck
        return 40 if e < 0 else 1000
    if isinstance(e, Fraction):
        return 40 if e < 0 else 50
    if isinstance(e, Size):
        return 1000
    if isinstance(e, Floor):
        return 70
    if e.is_add:
        return 40
    ((mono, coeff),) = e.terms.items()
    if coeff == 1 and len(mono) == 1:
        return 60  # a power
    return 40 if coeff < 0 else 50


def _paren(e, level: int) -> str:
    text = _print(e)
    return f"({text})" if _precedence(e) <= level else text


def _print_power(base, exp: int) -> str:
    if exp == -1:
        return "1/" + _paren(base, 60)
    return _paren(base, 60) + "**" + (str(exp) if exp > 0 else f"({exp})")


def _power(base, exp: int):
    return base if exp == 1 else Sum(0, {frozenset(((base, exp),)): 1})


def _print_term(mono: Mono, coeff: Number) -> str:
    if coeff == 1 and len(mono) == 1:
        ((base, exp),) = mono
        return _print(base) if exp == 1 else _print_power(base, exp)
    sign, level = ("-", 40) if coeff < 0 else ("", 50)
    coeff = abs(Fraction(coeff))
    numer: list = []
    denom: list = []
    if coeff.numerator != 1:
        numer.append(coeff.numerator)
    if coeff.denominator != 1:
        denom.append(coeff.denominator)
    for base, exp in sorted(mono, key=lambda f: _factor_key(*f)):
        if exp < 0:
            denom.append(_power(base, -exp))
        else:
            numer.append(_power(base, exp))
    text = "*".join(_paren(x, level) for x in numer or [1])
    if not denom:
        return sign + text
    if len(denom) == 1:
        return sign + text + "/" + _paren(denom[0], level)
    return sign + text + "/(" + "*".join(_paren(x, level) for x in denom) + ")"


def _print(e) -> str:
    if not isinstance(e, Expr):
        return str(e)
    if isinstance(e, Size):
        return e.name
    if isinstance(e, Floor):
        return f"floor({_print(e.arg)})"
    if not e.is_add:
        ((mono, coeff),) = e.terms.items()
        return _print_term(mono, coeff)
    out: list = []
    for term in _ordered_terms(e):
        text = _print_term(*term) if isinstance(term, tuple) else str(term)
        if text.startswith("-"):
            out.extend(("-", text[1:]))
        else:
            out.extend(("+", text))
    sign = out.pop(0)
    return ("" if sign == "+" else sign) + " ".join(out)
