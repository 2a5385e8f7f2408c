"""Function summaries: a local function analysed once per distinct abstract
input, its effects replayed at every later call with that input.

Real builders are called many times with the same shapes and sizes
(Keras' DenseNet calls ``conv_block`` 58 times); re-interpreting the body
each time cost most of the analysis.  A *summary* is recorded the first time
a call's key is met: the key is the function (and its closure) with the
abstract value of every argument -- a tensor by its shape, exactness, origin
and whether it is a symbolic Keras tensor, a constant by its value.  What the
call did is its *tape*: the tensors and layer applications it added to the
graph, in order, plus the construction errors, Keras 1 notes, layers and
KerasTensor marks that came with them.  A later call with the same key gets
the tape replayed on its own argument tensors: every layer application is
still recorded (the JSON lists each one, at the same line and column), with
fresh tensors and fresh layer instances, but the body is not re-interpreted.

A replay must be indistinguishable from re-running the body.  So a call is
summarised only when nothing else can tell the two apart:

* its arguments are tensors, constants, tuples, lists and dicts of those,
  library references and local functions; lists and dicts must come out of
  the call unchanged and not be returned;
* every name it reads from outside its own scopes is recorded with its value
  (a constant, a tensor, a library reference, a local function, a project
  module) and a replay first checks those names still hold the same values;
* it adds no model, training call, Sequential or local class instance, does
  not change the module's settings, and returns only tensors and constants;
* none of its calls was cut by a bound (inline depth, recursion, the calls
  per function, the loop-nest bound); a replay checks that the same calls
  would not be cut where it happens, and that the statement budget allows
  the steps the body took.

Anything else is simply analysed again, as before.
"""
from __future__ import annotations

import copy
from collections import Counter
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from shapelint.frontend.resolve import Ref
from shapelint.frontend.scope import MISSING, Env
from shapelint.frontend.values import RUNTIME, SOME_STR, LocalFunction, ProjectModule, Tensor
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:  # pragma: no cover
    from shapelint.frontend.evaluator import Evaluator

ENABLED = True  # tests switch it off to compare the two analyses

_PLAIN = (int, float, str, bool, bytes, type(None), range)


def _singleton(value: Any) -> bool:
    """One of the abstract values a replay checks by identity."""
    return value is UNKNOWN or value is SOME_STR or value is MISSING or value is RUNTIME


class NotSummarisable(Exception):
    """A value a summary cannot stand for."""


class _Key:
    """The abstract key of a call's arguments, and the tensors and
    containers met while computing it (in a fixed order)."""

    def __init__(self, ev: "Evaluator"):
        self.ev = ev
        self.tids: List[int] = []
        self.containers: List[Any] = []

    def of(self, value: Any) -> Any:
        if value is None or isinstance(value, _PLAIN):
            return (type(value).__name__, value)
        if isinstance(value, Tensor):
            graph = self.ev.graph
            tid = value.tid
            first = self.tids.index(tid) if tid in self.tids else -1
            self.tids.append(tid)
            return ("T", graph.shape(tid), graph.exact(tid), graph.origin(tid),
                    tid in self.ev.symbolic.tids, first)
        if isinstance(value, tuple):
            return ("tuple",) + tuple(self.of(v) for v in value)
        if isinstance(value, list):
            self.containers.append(value)
            return ("list",) + tuple(self.of(v) for v in value)
        if isinstance(value, dict):
            self.containers.append(value)
            return ("dict",) + tuple((self.of(k), self.of(v)) for k, v in value.items())
        if _singleton(value):
            return ("S", id(value))
        if isinstance(value, Ref):
            return ("R", value.qualname)
        if isinstance(value, LocalFunction):
            return ("F", id(value.node), id(value.env))
        if isinstance(value, ProjectModule):
            return ("M", id(value))
        if dims.is_symbolic(value):
            return ("X", str(value))
        raise NotSummarisable()


def _readable(value: Any) -> bool:
    """A value read from outside the call that a replay can check by
    identity or equality and that the call cannot change."""
    if value is None or isinstance(value, _PLAIN) or _singleton(value):
        return True
    if isinstance(value, tuple):
        return all(_readable(v) for v in value)
    return isinstance(value, (Tensor, Ref, LocalFunction, ProjectModule)) or dims.is_symbolic(value)


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a.tid == b.tid
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, _PLAIN) and type(a) is type(b):
        return a == b
    return False


class Recording:  # pylint: disable=too-many-instance-attributes
    """One call being analysed for the first time with its key."""

    def __init__(self, ev: "Evaluator", key: tuple, arg_tids: List[int], containers: List[Any]):
        graph = ev.graph
        self.key = key
        self.arg_tids = arg_tids
        self.containers = containers
        self.env_serial = Env.serial
        self.tid0 = graph.next_tensor_id
        self.call0 = len(graph.calls)
        self.layer0 = ev.layer_count
        self.errors0 = len(graph.construction_errors)
        self.notes0 = len(graph.keras1_notes)
        self.marks0 = len(ev.symbolic.tids)
        self.steps0 = ev.steps
        self.depth0 = len(ev.inline_stack)
        self.product0 = ev.unroll_product
        self.max_product = ev.unroll_product
        self.effects0 = _effects(ev)
        self.tape: List[Tuple[str, int]] = []
        self.reads: List[Tuple[Env, str, Any]] = []
        self.nested: List[Tuple[Any, int]] = []  # (function node, stack depth when called, relative)
        self.ok = True


def _effects(ev: "Evaluator") -> tuple:
    graph = ev.graph
    return (len(graph.models), len(graph.trainings), len(ev.keras.sequentials), ev.classes.instances_made,
            ev.state.image_data_format_set)


class Summary:  # pylint: disable=too-many-instance-attributes
    """What one call did, ready to be replayed."""

    def __init__(self, ev: "Evaluator", rec: Recording, result: Any):
        graph = ev.graph
        self.arg_tids = rec.arg_tids
        self.reads = rec.reads
        self.nested = rec.nested
        self.steps = ev.steps - rec.steps0
        self.product = rec.max_product // max(rec.product0, 1)
        self.tid0 = rec.tid0
        self.tape = rec.tape
        self.calls = {index: graph.calls[index] for kind, index in rec.tape if kind == "c"}
        self.tensors = {tid: (graph.g.nodes[("t", tid)], _producer(graph, tid), graph.op_inputs(tid))
                        for kind, tid in rec.tape if kind == "t"}
        self.layer_ids = list(range(rec.layer0, ev.layer_count))
        self.layer_objs = {i: _clone(ev.keras.layer_objs[i]) for i in self.layer_ids if i in ev.keras.layer_objs}
        self.errors = list(graph.construction_errors[rec.errors0:])
        self.notes = list(graph.keras1_notes[rec.notes0:])
        self.marked = [tid for kind, tid in rec.tape if kind == "t" and tid in ev.symbolic.tids]
        self.result = result


def _clone(record: Any) -> Any:
    """A shallow copy of a plain record (a LayerCall, a LayerObj): what
    ``copy.copy`` makes, without its generic reduce protocol (a third of a
    replay's time on Keras' NASNet)."""
    fresh = object.__new__(type(record))
    fresh.__dict__.update(record.__dict__)
    return fresh


def _producer(graph, tid: int) -> Optional[int]:
    for pred in graph.g.predecessors(("t", tid)):
        if pred[0] == "c":
            return pred[1]
    return None


class Summaries:
    """The summaries of one module's analysis, and the recordings under way."""

    def __init__(self, ev: "Evaluator"):
        self.ev = ev
        self.table: Dict[tuple, Summary] = {}
        self.active: List[Recording] = []
        self.replays = 0
        self.recorded = 0

    # --- what the evaluator tells the recordings under way ----------------
    def note_read(self, holder: Env, name: str, value: Any) -> None:
        """A lookup found ``name`` in ``holder`` (MISSING: in no scope, the
        outermost being ``holder``): record it where that scope is outside
        a recorded call's own.  (Whether the value is readable is asked once,
        and only when some recording is outside: most reads are of a call's
        own locals.)"""
        readable = None
        for rec in self.active:
            if holder.serial < rec.env_serial:
                if readable is None:
                    readable = _readable(value)
                if readable:
                    rec.reads.append((holder, name, value))
                else:
                    rec.ok = False

    def note_write(self, holder: Env) -> None:
        """A ``global`` assignment into ``holder``: a call that made it
        outside its own scopes changed what others see."""
        for rec in self.active:
            if holder.serial < rec.env_serial:
                rec.ok = False

    def note_call(self, fnode: Any, depth: int) -> None:
        for rec in self.active:
            rec.nested.append((fnode, depth - rec.depth0))

    def note_cut(self) -> None:
        """A bound decided what happened here: the call depends on its context."""
        for rec in self.active:
            rec.ok = False

    def note_unroll(self, product: int) -> None:
        for rec in self.active:
            rec.max_product = max(rec.max_product, product)

    # --- recording and replaying --------------------------------------------
    def key(self, func: LocalFunction, args, kwargs) -> Optional[_Key]:
        ev = self.ev
        if not ENABLED or ev.uncertain or ev.loops.ranges:
            return None
        k = _Key(ev)
        try:
            k.value = (id(func.node), id(func.env), ev.standalone, ev.state.image_data_format_set,
                       tuple((n, k.of(v)) for n, v in (func.defaults or {}).items()),
                       ev.symbolic.trace_depth, ev.imports.importing,
                       tuple(k.of(a) for a in args), tuple((n, k.of(v)) for n, v in kwargs.items()))
        except (NotSummarisable, TypeError):
            return None
        return k

    def replay(self, key: _Key) -> Tuple[bool, Any]:
        summary = self.table.get(key.value)
        if summary is None or not self._valid(summary):
            return False, None
        ev = self.ev
        graph = ev.graph
        ev.steps += summary.steps
        depth = len(ev.inline_stack)
        for fnode, rel in summary.nested:
            ev.inline_counts[fnode] = ev.inline_counts.get(fnode, 0) + 1
            ev.called_functions.add(fnode)
            self.note_call(fnode, depth + rel)
        self.note_unroll(ev.unroll_product * summary.product)
        tmap = dict(zip(summary.arg_tids, key.tids))
        lmap = {old: ev.next_layer_id() for old in summary.layer_ids}
        for old, layer in summary.layer_objs.items():
            fresh = _clone(layer)
            fresh.layer_id = lmap[old]
            ev.keras.layer_objs[fresh.layer_id] = fresh
        cmap: Dict[int, int] = {}
        uncertain = ev.in_uncertain_branch
        for kind, ref in summary.tape:
            if kind == "c":
                call = _clone(summary.calls[ref])
                call.layer_id = lmap.get(call.layer_id, call.layer_id)
                call.error = copy.copy(call.error)
                call.in_uncertain_branch = call.in_uncertain_branch or uncertain
                graph.add_call(call, [tmap.get(t, t) for t in call.input_tids])
                cmap[ref] = call.index
            else:
                data, producer, op_inputs = summary.tensors[ref]
                tmap[ref] = graph.new_tensor(
                    data["shape"], producer=None if producer is None else cmap[producer], origin=data["origin"],
                    node=data["node"], exact=data["exact"], op_inputs=[tmap.get(t, t) for t in op_inputs])
        for tid in summary.marked:
            ev.symbolic.tids.add(tmap[tid])
        for error in summary.errors:
            fresh = copy.copy(error)
            fresh.in_uncertain_branch = error.in_uncertain_branch or uncertain
            graph.construction_errors.append(fresh)
        graph.keras1_notes.extend(summary.notes)
        self.replays += 1
        return True, _rebuild(summary.result, tmap)

    def _valid(self, summary: Summary) -> bool:
        ev = self.ev
        if ev.steps + summary.steps > ev.max_steps:
            return False
        if ev.unroll_product * summary.product > ev.max_unroll_product:
            return False
        depth = len(ev.inline_stack)
        counts: Counter = Counter()
        for fnode, rel in summary.nested:
            counts[fnode] += 1
            if (depth + rel >= ev.max_inline_depth or fnode in ev.inline_stack
                    or ev.inline_counts.get(fnode, 0) + counts[fnode] > ev.max_inlines):
                return False
        for env, name, value in summary.reads:
            if not _same(env.vars.get(name, MISSING), value):
                return False
        return True

    def begin(self, key: Optional[_Key]) -> Optional[Recording]:
        if key is None or key.value in self.table:
            return None
        rec = Recording(self.ev, key.value, list(key.tids), key.containers)
        self.active.append(rec)
        self.ev.graph.tapes.append(rec.tape)
        Env.observer = self
        return rec

    def abandon(self, rec: Optional[Recording]) -> None:
        if rec is not None and rec in self.active:
            self.active.remove(rec)
            tapes = self.ev.graph.tapes
            for i in range(len(tapes) - 1, -1, -1):
                if tapes[i] is rec.tape:
                    del tapes[i]
                    break
            if not self.active:
                Env.observer = None

    def end(self, rec: Optional[Recording], result: Any, key_again) -> None:
        """The call returned ``result``: keep its summary if it is one."""
        if rec is None:
            return
        self.abandon(rec)
        ev = self.ev
        if not rec.ok or _effects(ev) != rec.effects0:
            return
        if key_again() != rec.key:  # an argument list or dict was changed
            return
        known = set(rec.arg_tids) | {v.tid for _, _, v in rec.reads if isinstance(v, Tensor)}
        for _, _, value in rec.reads:
            if isinstance(value, tuple):
                known |= {t.tid for t in _tensors(value)}
        graph = ev.graph
        made = {tid for kind, tid in rec.tape if kind == "t"}
        for kind, ref in rec.tape:
            used = graph.calls[ref].input_tids if kind == "c" else graph.op_inputs(ref)
            if any(t not in made and t not in known for t in used):
                return
        if len(ev.symbolic.tids) - sum(1 for t in made if t in ev.symbolic.tids) != rec.marks0:
            return  # a tensor from before the call was marked
        if not _returnable(result, made | known, {id(c) for c in rec.containers}, rec.env_serial):
            return
        self.table[rec.key] = Summary(ev, rec, result)
        self.recorded += 1


def _tensors(value: Any) -> List[Tensor]:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v)]
    return []


def _returnable(value: Any, tids: set, arg_containers: set, serial: int) -> bool:
    """A result a replay can rebuild: tensors it knows, constants, and
    fresh containers of those (never an argument's own list or dict, nor a
    function defined inside the call)."""
    if isinstance(value, Tensor):
        return value.tid in tids
    if isinstance(value, (list, dict)) and id(value) in arg_containers:
        return False
    if isinstance(value, (tuple, list)):
        return all(_returnable(v, tids, arg_containers, serial) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, _PLAIN) and _returnable(v, tids, arg_containers, serial)
                   for k, v in value.items())
    if isinstance(value, LocalFunction):
        return value.env is None or value.env.serial < serial
    return _readable(value)


def _rebuild(value: Any, tmap: Dict[int, int]) -> Any:
    if isinstance(value, Tensor):
        return Tensor(tmap.get(value.tid, value.tid))
    if isinstance(value, tuple):
        return tuple(_rebuild(v, tmap) for v in value)
    if isinstance(value, list):
        return [_rebuild(v, tmap) for v in value]
    if isinstance(value, dict):
        return {k: _rebuild(v, tmap) for k, v in value.items()}
    return value
