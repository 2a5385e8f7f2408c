"""Loops over data too long to unroll, followed in one pass: the target of a
loop over a long range (``for i in range(w, len(x))``) is remembered, so that
a slice of data indexed by it (``x[i - w:i]``, sliding windows) is sized at
the range's ends; a comprehension over a long range or over an array gives a
list of items of one shape (``ListOf``) that ``np.array`` turns into data.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Optional

from astroid import nodes

from shapelint.frontend.library import numpy_arrays
from shapelint.frontend.library.numpy_arrays import subscript
from shapelint.frontend.resolve import Ref
from shapelint.frontend.scope import Env
from shapelint.frontend.values import Array, Tensor
from shapelint.frontend.walk import nodes_of
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.evaluator import Evaluator


@dataclass
class LoopRange:
    """The target of a loop over a long range, followed in one pass: its
    name, the scope it lives in, and the range -- as (names rebound, range)
    variants: one for a range the code shows; two for a range up to an
    array's unknown length (that array rebound with a length M, then M + 1)."""

    name: str
    scope: Env
    variants: List[tuple]


# An array length the code does not show, when sizing a loop over it.
_PROBE_LENGTH = 1_000_003


class DataLoops:
    """The long loops being followed right now, and what slicing by their
    targets gives."""

    def __init__(self, ctx: "Evaluator"):
        self.ctx = ctx
        self.ranges: List[LoopRange] = []

    def pop(self, pushed: int) -> None:
        """Forget the ``pushed`` innermost loops (the loop is over)."""
        del self.ranges[len(self.ranges) - pushed:]

    def push(self, target, iterable: Any, iter_node, env: Env) -> int:
        """Remember the target of a loop over a long range (1 if pushed): a
        range the code shows, or one up to an array's length the code does
        not show (``range(w, len(data))``)."""
        if not isinstance(target, nodes.AssignName):
            return 0
        if isinstance(iterable, range) and len(iterable):
            self.ranges.append(LoopRange(target.name, env, [({}, iterable)]))
            return 1
        variants = self.range_over_unknown_length(iter_node, env) if iterable is UNKNOWN else None
        if variants:
            self.ranges.append(LoopRange(target.name, env, variants))
            return 1
        return 0

    def range_over_unknown_length(self, node, env: Env) -> Optional[list]:
        """``range(a, len(data) - c)`` where ``data``'s length is not shown:
        the range as it would be were that length M or M + 1 (a large M),
        with ``data`` of that length, when the range's stop moves with the
        length and nothing else does.  A slice then sized the same at both
        ends of both is sized so whatever the length (``data[i - w:i]``)."""
        if not (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name) and node.func.name == "range"
                and self.ctx.eval(node.func, env) == Ref("builtins.range") and not node.keywords):
            return None
        calls = nodes_of(node, nodes.Call)[1:]
        if any(not (isinstance(c.func, nodes.Name) and c.func.name == "len") for c in calls):
            return None
        arrays = {n.name: env.lookup(n.name) for n in nodes_of(node, nodes.Name)}
        arrays = {k: v for k, v in arrays.items()
                  if isinstance(v, Array) and v.shape and v.shape[0] is None}
        if len(arrays) != 1:
            return None
        (name, array), = arrays.items()
        variants = []
        for size in (_PROBE_LENGTH, _PROBE_LENGTH + 1):
            probe = Env(env)
            sized = Array((size,) + tuple(array.shape[1:]), array.dtype, array.classes, array.onehot)
            probe.set(name, sized)
            values = self.ctx.eval(node, probe)
            if not isinstance(values, range) or not len(values) or values.step != 1:
                return None
            variants.append(({name: sized}, values))
        (_, first), (_, second) = variants
        if first.start != second.start or second.stop - first.stop != 1:
            return None
        return variants


    def subscript(self, node: nodes.Subscript, env: Env, base: Array) -> Any:
        """``x[i:i + w]`` with ``i`` the target of a loop over a long range:
        the index at the range's first, middle and last values; the shape
        they all give (numpy slice lengths are monotonic in a shifted
        index), else UNKNOWN; None when the index reads no such target."""
        names = {n.name for n in nodes_of(node.slice, nodes.Name)}
        if isinstance(node.slice, nodes.Name):
            names.add(node.slice.name)
        loops = [loop for loop in self.ranges
                 if loop.name in names and _binding_scope(env, loop.name) is loop.scope
                 and loop.scope.vars[loop.name] is UNKNOWN]
        if not loops:
            return None
        if len(loops) > 2 or nodes_of(node.slice, nodes.Call):
            return UNKNOWN  # the index is probed again: only arithmetic
        found = None
        for variants in itertools.product(*(loop.variants for loop in loops)):
            substitutes = {k: v for sizes, _ in variants for k, v in sizes.items()}
            ends = [sorted({values[0], values[len(values) // 2], values[-1]}) for _, values in variants]
            for combo in itertools.product(*ends):
                probe = Env(env)
                probe.vars.update(substitutes)
                for loop, value in zip(loops, combo):
                    probe.set(loop.name, value)
                probe_base = base
                if substitutes:
                    if nodes_of(node.value, nodes.Call):
                        return UNKNOWN
                    probe_base = self.ctx.eval(node.value, probe)
                index = self.ctx.eval_slice(node.slice, probe)
                sliced = subscript(probe_base, index) if index is not UNKNOWN and isinstance(
                    probe_base, Array) else UNKNOWN
                if not isinstance(sliced, Array) or (found is not None and sliced.shape != found.shape):
                    return UNKNOWN
                found = found or sliced
        return found


    def eager_rows(self, value: Any) -> Any:
        """An eager tensor of known shape iterates over its rows as an array
        does (``[r for r in tf.linspace(0.0, 0.1, 12)]``); a Keras tensor
        cannot be iterated, and anything else is returned as it is."""
        if isinstance(value, Tensor) and not self.ctx.symbolic.is_symbolic(value) \
                and not self.ctx.symbolic.trace_depth:
            shape = self.ctx.graph.shape(value.tid)
            if shape:
                return Array(tuple(shape))
        return value

    def comprehension(self, node: nodes.ListComp, gen, iterable: Any, env: Env) -> Any:
        """``[x[i:i + w] for i in range(n - w)]``, ``[row / 255 for row in
        x]``, ``[cv2.imread(p) for p in paths]``: a comprehension over a long
        range, over an array or over items the code does not show, followed
        once (the target an array's row, the range's index, or unknown), as
        a ``for`` loop over them is.  A list of data items of one shape
        (``ListOf``, of a count not shown unless the range or array tells it)
        when the element is data, else UNKNOWN."""
        if isinstance(iterable, range):
            row, count = UNKNOWN, len(iterable)
        elif iterable is UNKNOWN:
            row, count = UNKNOWN, None
        else:
            iterable = self.eager_rows(iterable)
            row, count = numpy_arrays.element_of(iterable), numpy_arrays.count_of(iterable)
            if row is None:
                return UNKNOWN
        inner = Env(env)
        self.ctx.assign(gen.target, row, inner)
        pushed = self.push(gen.target, iterable, gen.iter, inner)
        try:
            element = self.ctx.eval(node.elt, inner)
        finally:
            self.pop(pushed)
        return numpy_arrays.list_of([element], None if gen.ifs else count)


def _binding_scope(env: Env, name: str) -> Optional[Env]:
    """The scope in ``env``'s chain that binds ``name``."""
    scope: Optional[Env] = env
    while scope is not None and name not in scope.vars:
        scope = scope.parent
    return scope
