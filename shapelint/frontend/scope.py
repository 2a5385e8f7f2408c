"""Scopes, and what branches and loops join to (mypy's ``binder.py`` plays
this part there).

An ``Env`` maps names to abstract values, with a parent for lookups.  After an
``if`` whose condition is unknown both branches are followed and their
scopes joined: a value both agree on is kept, two tensors become one whose
shape keeps what is certain, anything else becomes UNKNOWN.  After a loop
whose trip count is unknown, every value the body changed is widened (rank
kept, sizes forgotten); a list the body appended data of one shape to
becomes a ``ListOf`` (numpy's ``np.array(rows)`` then has that shape), any
other list it filled becomes unknown.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from shapelint.frontend.library import numpy_arrays
from shapelint.frontend.resolve import Ref
from shapelint.frontend.values import (
    Array,
    Choice,
    Instance,
    LayerHandle,
    LayerObj,
    ListOf,
    LocalClass,
    LocalFunction,
    ModelObj,
    Tensor,
)
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN


class Missing:
    """A name no scope binds (distinct from a name bound to None)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


class ReturnSignal(Exception):
    """A ``return`` statement unwinding to the inlined call."""

    def __init__(self, value):
        super().__init__()
        self.value = value


class YieldSignal(ReturnSignal):
    """The first ``yield`` of a generator run for its first item: the run
    stops there, as a ``return`` of that item would (a ``return`` in a
    generator ends it with no item)."""


class BreakSignal(Exception):
    """A ``break`` unwinding to its loop."""


class ContinueSignal(Exception):
    """A ``continue`` unwinding to its loop."""


class BudgetExceeded(Exception):
    """The module is too large to follow completely."""


class Env:
    """A scope: names to abstract values, with a parent for lookups."""

    serial = 0  # how many scopes were made so far (a scope's own: its number)
    # The function summaries recording now (frontend/summaries.py): told of
    # every name a lookup resolves, and in which scope.
    observer: Any = None
    # A lookup tells the observer only of scopes numbered below this: the
    # innermost recording's first scope (the recordings are nested, so a
    # scope no recording is outside of concerns none of them).  0 with no
    # recording under way.
    watch_below = 0

    def __init__(self, parent: Optional["Env"] = None):
        self.parent = parent
        self.vars: Dict[str, Any] = {}
        self.star_modules: List[str] = [] if parent is None else parent.star_modules
        self.serial = Env.serial
        Env.serial += 1
        # ``global x`` in a function: x is assigned in this module scope
        self.global_names: Dict[str, "Env"] = {}
        self.in_branch = False  # a copy for one branch of an if
        # a branch's copies of the scope's lists and dicts: id(copy) -> the original
        self.copied_from: Dict[int, Any] = {}

    def lookup(self, name: str) -> Any:
        env: Env = self
        while True:
            if name in env.vars:
                value = env.vars[name]
                if env.serial < Env.watch_below:
                    Env.observer.note_read(env, name, value)
                return value
            if env.parent is None:
                if env.serial < Env.watch_below:
                    Env.observer.note_read(env, name, MISSING)
                return MISSING
            env = env.parent

    def set(self, name: str, value: Any) -> None:
        target = self.global_names.get(name)
        if target is not None and target is not self:
            if Env.observer is not None:
                Env.observer.note_write(target)
            # a branch cannot tell the module which value it will hold
            target.vars[name] = UNKNOWN if self.in_branch else value
            return
        self.vars[name] = value

    def declare_global(self, names, module_env: "Env") -> None:
        """``global a, b``: assignments to them go to ``module_env``."""
        for name in names:
            self.global_names[name] = module_env

    def declare_nonlocal(self, names) -> None:
        """``nonlocal n``: assignments to it go to the nearest enclosing
        function scope that has it (a closure's)."""
        for name in names:
            env = self.parent
            while env is not None and env.parent is not None and name not in env.vars:
                env = env.parent
            if env is not None and env.parent is not None:
                self.global_names[name] = env

    def copy(self) -> "Env":
        """A branch's view: containers are copied too, so an append in one
        branch of an ``if`` does not leak into the other."""
        if self.serial < Env.watch_below:
            Env.observer.note_copy(self)  # (its branches are joined back into it)
        new = Env(self.parent)
        new.vars = copied = dict(self.vars)
        for k, v in copied.items():  # values replaced in place: the keys and their order stay
            if isinstance(v, (list, dict)):
                copied[k] = list(v) if isinstance(v, list) else dict(v)
                new.copied_from[id(copied[k])] = v
        new.star_modules = self.star_modules
        new.global_names = self.global_names
        new.in_branch = True
        return new


def join(graph, a: Any, b: Any) -> Any:
    """A value that is either ``a`` or ``b``: keep what is certain."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        sa, sb = graph.shape(a.tid), graph.shape(b.tid)
        exact = sa == sb and graph.exact(a.tid) and graph.exact(b.tid)
        return Tensor(graph.new_tensor(dims.merge_shapes(sa, sb), origin="join", exact=exact))
    try:
        if type(a) is type(b) and a == b and not isinstance(a, (LayerObj, ModelObj)):
            return a
    except Exception:  # pylint: disable=broad-except
        pass
    return choice(a, b)


# What a program calls: a layer, a model, a function, a class (its
# constructor), a subclass instance, a library callable.
_CALLABLES = (LayerObj, LayerHandle, ModelObj, LocalFunction, LocalClass, Instance, Ref, Choice)


def choice(a: Any, b: Any) -> Any:
    """Two callables either of which the code may hold: a ``Choice`` of both
    (nested choices flattened, each option once); UNKNOWN for anything else
    or for more than ``Choice.MAX_OPTIONS`` options."""
    if not isinstance(a, _CALLABLES) or not isinstance(b, _CALLABLES):
        return UNKNOWN
    options: List[Any] = []
    for value in (a, b):
        for option in value.options if isinstance(value, Choice) else (value,):
            if not any(option is o or (isinstance(option, Ref) and option == o) for o in options):
                options.append(option)
    if len(options) > Choice.MAX_OPTIONS:
        return UNKNOWN
    return options[0] if len(options) == 1 else Choice(tuple(options))


def merge_into(graph, env: Env, a: Env, b: Env) -> None:
    """``env`` after an if/else whose branches left ``a`` and ``b``."""
    for name in set(a.vars) | set(b.vars):
        va, vb = a.vars.get(name, MISSING), b.vars.get(name, MISSING)
        if va is vb:
            env.vars[name] = va
        elif va is MISSING or vb is MISSING:
            env.vars[name] = written_back(vb, b) if va is MISSING else written_back(va, a)
        else:
            joined = join(graph, va, vb)
            env.vars[name] = written_back(joined, a if joined is va else b)


def written_back(value: Any, branch: Env) -> Any:
    """``value`` as the scope holds it after ``branch``: a list the branch
    worked on a copy of is the scope's own object again, holding what the
    branch left in it (the loop that appends to it, and any other name bound
    to it, keep seeing one list, as in Python).  A dict stays the copy: a
    store under a key the code does not show leaves no trace in it, so a
    loop must not take it for unchanged."""
    original = branch.copied_from.get(id(value)) if isinstance(value, list) else None
    if original is None or original is value:
        return value
    original[:] = value
    return original


class LoopWidening:
    """Follow a loop whose trip count is unknown: snapshot the scope, run the
    body once, then ``widen`` every value the pass changed."""

    def __init__(self, env: Env):
        self.env = env
        self.before = dict(env.vars)
        self.contents = {name: list(v) if isinstance(v, list) else dict(v)
                         for name, v in env.vars.items() if isinstance(v, (list, dict))}

    def widen(self, graph) -> None:
        env = self.env
        for name, value in list(env.vars.items()):
            old = self.before.get(name, MISSING)
            if value is old:
                if name in self.contents and _changed(self.contents[name], value):
                    # filled an unknown number of times: data rows of one
                    # shape stay that (a ListOf), anything else is unknown
                    before = self.contents[name]
                    env.vars[name] = (numpy_arrays.filled_list(before, value) if isinstance(value, list)
                                      else UNKNOWN)
                continue
            if isinstance(value, Tensor):
                env.vars[name] = _widened_tensor(graph, value, old)
            elif isinstance(value, ListOf):
                # an inner loop's rows; the list it fills may be the outer loop's too
                env.vars[name] = numpy_arrays.widened_list(old, value)
            elif isinstance(value, Array) and isinstance(old, Array):
                env.vars[name] = _widened_array(value, old)
            elif isinstance(value, (ModelObj, LayerObj, LocalFunction, LocalClass, Ref)):
                continue
            else:
                env.vars[name] = UNKNOWN


def _widened_tensor(graph, value: Tensor, old: Any) -> Tensor:
    shape = graph.shape(value.tid)
    old_shape = graph.shape(old.tid) if isinstance(old, Tensor) else None
    if old_shape is not None and shape is not None and len(old_shape) == len(shape):
        widened = dims.merge_shapes(shape, old_shape)
    else:
        widened = None
    exact = (widened == shape and graph.exact(value.tid)
             and isinstance(old, Tensor) and graph.exact(old.tid))
    return Tensor(graph.new_tensor(widened, origin="loop", exact=exact))


def _widened_array(value: Array, old: Array) -> Any:
    """An array reassigned in the loop (``x = x[1:]``): the rank kept, a size
    kept where the pass did not change it (as for tensors)."""
    if value.shape is None or old.shape is None or len(value.shape) != len(old.shape):
        return UNKNOWN
    same = value.dtype == old.dtype and value.classes == old.classes and value.onehot == old.onehot
    return Array(dims.merge_shapes(value.shape, old.shape), value.dtype if value.dtype == old.dtype else None,
                 value.classes if same else None, value.onehot and same)


def _changed(before: Any, after: Any) -> bool:
    if isinstance(after, list):
        return len(before) != len(after) or any(a is not b for a, b in zip(before, after))
    if isinstance(after, dict):
        return before.keys() != after.keys() or any(before[k] is not after[k] for k in after)
    return False
