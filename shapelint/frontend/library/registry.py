"""The registry of library models: every non-Keras-layer API the analysis
understands is one handler registered under its qualified name.

    @handles("numpy.eye", "numpy.identity")
    def eye(ctx: Context, call: LibraryCall) -> Any: ...

Names are normalised (``tensorflow.keras.utils.x`` is ``keras.utils.x``);
methods are registered under their type's name (``numpy.ndarray.reshape``,
``tensorflow.data.Dataset.batch``, ``builtins.list.append``).  A family of
names that cannot be listed (``keras.datasets.<name>.load_data``) registers a
predicate with ``handles_matching``.

A handler returns the call's abstract value, or ``DECLINE`` when the call is
not one it models (a tensor where it expects numbers): the next handler for
that name is tried.  Handlers are tried family by family in the order of
``shapelint.frontend.library.FAMILIES`` (so a plain-number model of
``tf.cast`` is tried before the tensor-op model of the same name), and within
a family in registration order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Tuple

from shapelint.frontend.context import Context, LibraryCall

Handler = Callable[[Context, LibraryCall], Any]


class _Decline:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DECLINE"


DECLINE = _Decline()


@dataclass(frozen=True)
class Entry:
    handler: Handler
    family: str  # the module that registered it
    seq: int  # registration order


_EXACT: Dict[str, List[Entry]] = {}
_PATTERNS: List[Tuple[Callable[[str], bool], Entry]] = []
_FAMILY_RANK: Dict[str, int] = {}
_SEQ = [0]


def _entry(func: Handler) -> Entry:
    # A handler outside the listed families would be tried in no defined
    # order (and never loaded by ``load``): refuse it at import time.
    if func.__module__ not in _FAMILY_RANK:
        raise ValueError(f"{func.__module__} is not a library family: list it in "
                         "shapelint.frontend.library.FAMILIES")
    _SEQ[0] += 1
    return Entry(func, func.__module__, _SEQ[0])


def handles(*qualnames: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the model of each dotted name."""

    def decorate(func: Handler) -> Handler:
        entry = _entry(func)
        for name in qualnames:
            _EXACT.setdefault(name, []).append(entry)
        _CANDIDATES.clear()
        return func

    return decorate


def handles_matching(predicate: Callable[[str], bool]) -> Callable[[Handler], Handler]:
    """Register the decorated function for every name ``predicate`` accepts."""

    def decorate(func: Handler) -> Handler:
        _PATTERNS.append((predicate, _entry(func)))
        _CANDIDATES.clear()
        return func

    return decorate


def set_family_order(modules: List[str]) -> None:
    _FAMILY_RANK.clear()
    _FAMILY_RANK.update({name: rank for rank, name in enumerate(modules)})
    _CANDIDATES.clear()


_CANDIDATES: Dict[str, List[Entry]] = {}  # qualname -> its handlers, in order (a cache)


def candidates(qualname: str) -> List[Entry]:
    """The handlers of ``qualname`` in the order they are tried (every
    pattern tested once per name: a module calls the same names again and
    again)."""
    try:
        return _CANDIDATES[qualname]
    except KeyError:
        pass
    found = list(_EXACT.get(qualname, ()))
    found += [entry for predicate, entry in _PATTERNS if predicate(qualname)]
    if len(found) > 1:
        found.sort(key=lambda e: (_FAMILY_RANK.get(e.family, len(_FAMILY_RANK)), e.seq))
    _CANDIDATES[qualname] = found
    return found


def dispatch(ctx: Context, call: LibraryCall) -> Any:
    """The first handler's answer for ``call``, or DECLINE when none models it."""
    for entry in candidates(call.qualname):
        result = entry.handler(ctx, call)
        if result is not DECLINE:
            return result
    return DECLINE


def registered_names() -> List[str]:
    return sorted(_EXACT)
