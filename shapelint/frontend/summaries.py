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
  library references, local functions, numpy arrays (by what the analysis
  knows of them), and instances of the program's classes, layer objects and
  models (by identity and what the analysis keeps on them: a method's
  ``self``); lists, dicts and arrays must come out of the call unchanged and
  not be returned;
* every name it reads from outside its own scopes is recorded with its value
  (a constant, a tensor, a library reference, a local function, a project
  module, an instance, a layer or model object), and so is every attribute
  of an instance it reads; a replay first checks those names and attributes
  still hold the same values, and those objects are as they were (a layer
  not built since, an instance not called for the first time since);
* it adds no model, training call or Sequential; an instance of the
  program's classes it makes stays its own (not returned, stored nowhere
  outside the call); it sets no attribute of a class or of an instance
  made before it, changes no object it met (it builds no layer made before
  it), does not change the module's settings, and returns only tensors and
  constants;
* none of its calls was cut by a bound (inline depth, recursion, the calls
  per function, the loop-nest bound); a replay checks that the same calls
  would not be cut where it happens, and that the statement budget allows
  the steps the body took.

Anything else is simply analysed again, as before.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from astroid import nodes

from shapelint.frontend.resolve import Ref, classify
from shapelint.frontend.scope import MISSING, Env
from shapelint.frontend.values import (RUNTIME, SOME_STR, Array, BoundMethod, Instance, LayerObj, LocalClass,
                                       LocalFunction, ModelObj, ProjectModule, Tensor)
from shapelint.frontend.walk import nodes_of
from shapelint.shapes import dims, registry
from shapelint.shapes.registry import LayerConfig
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:  # pragma: no cover
    from shapelint.frontend.evaluator import Evaluator

ENABLED = True  # tests switch it off to compare the two analyses

_PLAIN = (int, float, str, bool, bytes, type(None), range)
_PLAIN_TYPES = frozenset(_PLAIN)  # exactly these types (_Key.of's first answer; subclasses ask it)


def _singleton(value: Any) -> bool:
    """One of the abstract values a replay checks by identity."""
    return value is UNKNOWN or value is SOME_STR or value is MISSING or value is RUNTIME


# Recordings in a row of one function that gave no summary, after which its
# calls are no longer recorded (only the time to record them is saved: a
# call is analysed, or replayed, as before).
_GIVE_UP = 8
# Summaries of one method recorded without any of them replayed, after which
# its calls are no longer recorded (ShiftViT's 32 blocks each call their own
# ``get_shift_pad`` 4 times, each with another ``self`` or mode): a summary
# only saves time when it is met again.  (A function is recorded whatever
# it gave before: DenseNet121's 58 ``conv_block`` calls are each on another
# number of channels, met again by DenseNet169's and DenseNet201's.)
_UNUSED = 16
_CONTAINER = 2  # note_read's "readable": a plain list or dict
_UNASKED = object()  # a _Key's generic key, not computed yet


class NotSummarisable(Exception):
    """A value a summary cannot stand for."""


class _Key:
    """The abstract key of a call's arguments, and the tensors and
    containers met while computing it (in a fixed order)."""

    def __init__(self, ev: "Evaluator"):
        self.ev = ev
        self.tids: List[int] = []
        self.containers: List[Any] = []
        self.objects: List[Any] = []  # instances and classes of the program, layer and model objects met
        # what ``generic`` is computed from, when first asked
        self._call: Optional[tuple] = None
        self._generic: Any = _UNASKED

    @property
    def generic(self) -> Optional[Tuple[tuple, List[Any], set, set]]:
        """(generic key, float objects, call nodes they are passed to, closure
        names) or None.  Computed when first asked -- only a call whose key
        has no summary asks (a replay by the exact key, and the key taken
        again when a recording ends, never do) -- and then at the same point
        of the analysis as the key itself (nothing runs in between)."""
        if self._generic is _UNASKED:
            self._generic = None
            if self._call is not None:
                func, args, kwargs, cache = self._call
                self._call = None
                try:
                    self._generic = _generic_key(self, func, args, kwargs, cache)
                except Exception:  # pylint: disable=broad-except
                    self._generic = None  # keyed by every argument's value, as any other call
        return self._generic

    def of(self, value: Any) -> Any:
        if value is None or isinstance(value, _PLAIN):
            return (type(value).__name__, value)
        if isinstance(value, Tensor):
            tid = value.tid
            data = self.ev.graph.tensor_data(tid)  # its shape, exactness and origin, in one look
            first = self.tids.index(tid) if tid in self.tids else -1
            self.tids.append(tid)
            return ("T", data["shape"], data["exact"], data["origin"], tid in self.ev.symbolic.tids, first)
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
        if isinstance(value, _OBJECTS):
            self.objects.append(value)
            return ("I", id(value), _object_state(value))
        if type(value) is Array:  # pylint: disable=unidiomatic-typecheck
            self.containers.append(value)  # (its content is asked again when the call ends)
            part = ("A", id(value.node), value.shape, value.dtype, value.classes, value.onehot, value.distinct,
                    value.exact, value.values)
            hash(part)  # (TypeError: not a key)
            return part
        raise NotSummarisable()


def _object_state(value: Any) -> tuple:
    """What the analysis keeps on an instance of a class of the program
    or a layer object, besides an instance's attributes (their reads are
    recorded one by one): a call reading one is replayed only while this
    is as it was, and is not a summary when the call itself changes it."""
    if isinstance(value, Instance):
        return (value.keras, value.built, value.weight_params, value.layer_id, value.params, id(value.model),
                id(value.pending_compile), value.attrs_unknown, id(value.base_args), value.base_params_counted,
                tuple(sorted(value.traced_steps)))
    if isinstance(value, LocalClass):
        return ()  # (its attributes set since: Recording.class_version)
    if isinstance(value, ModelObj):
        return (id(value.record), len(value.layers), id(value.input_tensor), id(value.output_tensor),
                id(value.inputs), id(value.outputs), id(value.backbone), id(value.loss), id(value.compile_node),
                value.layer_id, value.display)
    return (id(value.built_input), id(value.config), value.display, value.own_weights)


def _array_state(value: Array) -> tuple:
    """What the analysis knows of a numpy array (compared by value)."""
    return (value.shape, value.dtype, value.classes, value.onehot, id(value.node), value.distinct, value.exact,
            value.values)


class _Attributes:
    """An instance's attributes seen as a scope a call reads (``reads``'
    holder): an attribute the instance itself does not hold (a method, a
    class attribute) reads as ``_ELSEWHERE`` while it still does not."""

    serial = -1

    def __init__(self, inst: Instance):
        self.inst = inst
        self.vars = self

    def get(self, name: str, default: Any = None) -> Any:  # pylint: disable=unused-argument
        return self.inst.attrs.get(name, _ELSEWHERE)


_ELSEWHERE = object()


def _sets_own_attribute(fnode: Any, cache: Dict[Any, bool]) -> bool:
    """``fnode``'s own body assigns an attribute of its first parameter
    (``self.w = ...``): a call of it as a method would set an attribute of
    the instance, which no summary does."""
    found = cache.get(fnode)
    if found is None:
        found = False
        params = fnode.args.args if isinstance(fnode, nodes.FunctionDef) and fnode.args.args else None
        if params:
            first = params[0].name
            found = any(isinstance(node.expr, nodes.Name) and node.expr.name == first
                        for stmt in fnode.body for node in nodes_of(stmt, nodes.AssignAttr))
        cache[fnode] = found
    return found


def _readable(value: Any) -> bool:
    """A value read from outside the call that a replay can check by
    identity or equality and that the call cannot change."""
    if type(value) in _READABLE_TYPES:  # the common answers, by exact type first
        return True
    if value is None or isinstance(value, _PLAIN) or _singleton(value):
        return True
    if isinstance(value, tuple):
        return all(_readable(v) for v in value)
    return isinstance(value, (Tensor, Ref, LocalFunction, ProjectModule, Instance, LayerObj, ModelObj, LocalClass)) \
        or dims.is_symbolic(value)


# Types every value of which is readable (_readable's isinstance tests, for
# the exact types they name).
_READABLE_TYPES = frozenset(_PLAIN + (Tensor, Ref, LocalFunction, ProjectModule, Instance, LayerObj, ModelObj,
                                      LocalClass))
_OBJECTS = (Instance, LayerObj, ModelObj, LocalClass)  # read by identity, and their state watched (_object_state)
# What a closure's scopes may not hold for a generic key (``_closure_generic``).
_NOT_IN_CLOSURE_KEY = (Tensor, list, dict, Array) + _OBJECTS

_MAX_FROZEN = 256  # leaves of a list or dict read from outside a summarised call


def _plain_container(value: Any) -> bool:
    """A list or dict of plain constants only (nested lists, dicts and
    tuples of them too), small: Keras' ``CONV_KERNEL_INITIALIZER = {"class_name":
    "VarianceScaling", "config": {...}}``, read by every block of
    EfficientNet.  A call reading one is summarised with the object (a replay
    checks it is the same one) and its content when first read (a replay
    checks it is unchanged; a call that changes it is not summarised)."""
    if not isinstance(value, (list, dict)):
        return False
    budget = _MAX_FROZEN  # items looked at (a dict's keys too), whatever the order
    stack = [value]
    while stack:
        v = stack.pop()
        budget -= 1
        if budget < 0:
            return False
        if type(v) in _PLAIN_TYPES or isinstance(v, _PLAIN):
            continue
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                stack.append(k)
                stack.append(x)
        else:
            return False
    return True


def _freeze(value: Any) -> Any:
    """The content of a plain list or dict, compared by type and value."""
    kind = type(value)
    if kind in _PLAIN_TYPES:  # a leaf (the isinstance tests below would all fail)
        return (kind, value)
    if isinstance(value, list):
        return ("list", tuple([_freeze(v) for v in value]))
    if isinstance(value, tuple):
        return ("tuple", tuple([_freeze(v) for v in value]))
    if isinstance(value, dict):
        return ("dict", tuple([(_freeze(k), _freeze(v)) for k, v in value.items()]))
    return (kind, value)


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

    def __init__(self, ev: "Evaluator", key: tuple, arg_tids: List[int], containers: List[Any],
                 objects: List[Any]):
        graph = ev.graph
        self.key = key
        self.arg_tids = arg_tids
        self.containers = containers
        # id -> (instance or layer object met, its state when first met)
        self.objects: Dict[int, Tuple[Any, tuple]] = {id(o): (o, _object_state(o)) for o in objects}
        self.class_version = ev.classes.class_version
        self.raised_at = ev.symbolic.raised_at
        self.instances0 = ev.classes.instances_made  # an instance of a higher serial is the call's own
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
        # id -> (list or dict read from outside, its content when first read)
        self.frozen: Dict[int, Tuple[Any, Any]] = {}
        self.nested: List[Tuple[Any, int]] = []  # (function node, stack depth when called, relative)
        self.ok = True
        # A call keyed for any value of some float arguments (_Generic): the
        # generic key, the arguments' objects, and what watches their use.
        self.generic: Optional[_Generic] = None
        self.fnode: Any = None  # the function called
        # A loop pass's recording (loop_passes.PassWatch): id -> (numpy array read
        # from outside, its state when first read).  None: an array read refuses it.
        self.arrays: Optional[Dict[int, Tuple[Any, tuple]]] = None


def _effects(ev: "Evaluator") -> tuple:
    graph = ev.graph
    # (an instance of the program's classes the call made is its own: it cannot leave the call
    # -- not returned, stored into no object, list or dict from outside -- so a replay that
    # makes none is the same, its layer ids renumbered as the call's layers are)
    return (len(graph.models), len(graph.trainings), len(ev.keras.sequentials), ev.state.data_format_key())


class Summary:  # pylint: disable=too-many-instance-attributes
    """What one call did, ready to be replayed."""

    def __init__(self, ev: "Evaluator", rec: Recording, result: Any):
        graph = ev.graph
        self.arg_tids = rec.arg_tids
        # reads, calls and tensors: filled by complete() when the summary is first used (most
        # are never: what they are made of stays as it is, the recording is over)
        self.reads: List[Tuple[Env, str, Any]] = []
        self.calls: Dict[int, Any] = {}
        self.tensors: Dict[int, Any] = {}
        self._rec: Optional[Recording] = rec
        self._graph: Any = graph
        self.fnode = rec.fnode
        self.frozen = list(rec.frozen.values())
        self.objects = list(rec.objects.values())
        self.class_version = rec.class_version
        self.nested = rec.nested
        self.steps = ev.steps - rec.steps0
        self.product = rec.max_product // max(rec.product0, 1)
        self.tid0 = rec.tid0
        self.tape = rec.tape
        self.layer_ids = list(range(rec.layer0, ev.layer_count))
        self.layer_objs = {i: _clone(ev.keras.layer_objs[i]) for i in self.layer_ids if i in ev.keras.layer_objs}
        self.errors = list(graph.construction_errors[rec.errors0:])
        self.notes = list(graph.keras1_notes[rec.notes0:])
        self.marked = [tid for kind, tid in rec.tape if kind == "t" and tid in ev.symbolic.tids]
        self.result = result
        self.floats: List[Any] = []  # a generic summary's float arguments, as recorded
        self.pending: Optional[_Generic] = None  # a generic one not yet checked (Summaries._settled)
        self._float_configs: Optional[set] = None

    def complete(self) -> None:
        """Fill the reads (without repeats), the applications and the
        tensors of the call from its recording: the graph's own records,
        which do not change once made (a tensor's data and predecessors,
        a LayerCall), and the reads the recording ended with."""
        rec, graph = self._rec, self._graph
        if rec is None:
            return
        self._rec = self._graph = None
        self.reads = _distinct_reads(rec.reads)
        self.calls = {index: graph.calls[index] for kind, index in rec.tape if kind == "c"}
        record = graph.tensor_record
        self.tensors = {tid: record(tid) for kind, tid in rec.tape if kind == "t"}

    def float_configs(self) -> set:
        """The ids of the recorded configs that hold one of ``floats`` as an
        argument (``_with_floats`` gives any other config back unchanged)."""
        if self._float_configs is None:
            chosen = {id(f) for f in self.floats}
            self._float_configs = {
                id(cfg) for cfg in [call.config for call in self.calls.values()]
                + [layer.config for layer in self.layer_objs.values()]
                if type(cfg) is LayerConfig and any(id(v) in chosen for v in cfg.args.values())}  # pylint: disable=unidiomatic-typecheck
        return self._float_configs


def _clone(record: Any) -> Any:
    """A shallow copy of a plain record (a LayerCall, a LayerObj): what
    ``copy.copy`` makes, without its generic reduce protocol (a third of a
    replay's time on Keras' NASNet)."""
    fresh = object.__new__(type(record))
    fresh.__dict__ = record.__dict__.copy()  # half the time of __dict__.update
    return fresh


class Summaries:
    """The summaries of one module's analysis, and the recordings under way."""

    def __init__(self, ev: "Evaluator"):
        self.ev = ev
        self.table: Dict[tuple, Summary] = {}
        self.generic_table: Dict[tuple, Summary] = {}
        self._float_params: Dict[Any, Dict[str, Tuple[list, list]]] = {}
        self.active: List[Recording] = []
        # call node -> the generic recordings under way that pass a float there
        self.call_watch: Dict[Any, List["_Generic"]] = {}
        self.replays = 0
        self.recorded = 0
        # function node -> its recordings in a row that gave no summary
        self.failures: Dict[Any, int] = {}
        # function node -> its summaries recorded while none of them was replayed
        self.unused: Dict[Any, int] = {}
        self.reused: set = set()  # the function nodes a replay was of
        self._setters: Dict[Any, bool] = {}  # function node -> _sets_own_attribute
        self._views: Dict[int, _Attributes] = {}  # id(instance) -> its attributes as a scope

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
                if id(value) in rec.frozen:
                    # a list or dict it read before: plain then, and a change since
                    # (to anything) refuses the summary when the call ends
                    rec.reads.append((holder, name, value))
                    continue
                if readable is None:
                    readable = _readable(value) or (_plain_container(value) and _CONTAINER)
                if readable:
                    rec.reads.append((holder, name, value))
                    if readable is _CONTAINER and id(value) not in rec.frozen:
                        rec.frozen[id(value)] = (value, _freeze(value))
                    elif isinstance(value, _OBJECTS) and id(value) not in rec.objects:
                        rec.objects[id(value)] = (value, _object_state(value))
                elif rec.arrays is not None and type(value) is Array:  # pylint: disable=unidiomatic-typecheck
                    if id(value) not in rec.arrays:
                        rec.arrays[id(value)] = (value, _array_state(value))
                else:
                    rec.ok = False
        if readable is False:
            self._stop_failed()

    def note_attribute(self, inst: Instance, name: str, value: Any, own: bool) -> None:
        """``inst.name`` read ``value``: an attribute the instance holds
        (``own``), or else its method, class attribute or a default."""
        view = self._views.get(id(inst))
        if view is None or view.inst is not inst:
            view = self._views[id(inst)] = _Attributes(inst)
        serial = inst.serial
        for rec in self.active:
            if serial > rec.instances0:
                continue  # an instance the call made: what it reads of it is the call's own
            if id(inst) not in rec.objects:
                rec.objects[id(inst)] = (inst, _object_state(inst))
            if not own and (type(value) is BoundMethod or _readable(value)):  # pylint: disable=unidiomatic-typecheck
                rec.reads.append((view, name, _ELSEWHERE))  # (BoundMethod: made again at each read)
                continue
            readable = own and (_readable(value) or (_plain_container(value) and _CONTAINER))
            if not readable:
                rec.ok = False
                continue
            rec.reads.append((view, name, value))
            if readable is _CONTAINER and id(value) not in rec.frozen:
                rec.frozen[id(value)] = (value, _freeze(value))
            elif isinstance(value, _OBJECTS) and id(value) not in rec.objects:
                rec.objects[id(value)] = (value, _object_state(value))
        self._stop_failed()

    def note_store(self, owner: Any) -> None:
        """An attribute of ``owner``, an instance or class of the program,
        was set: what the calls under way did is not replayed -- unless the
        instance is one the call made."""
        serial = owner.serial if isinstance(owner, Instance) else -1
        for rec in self.active:
            if serial <= rec.instances0:
                rec.ok = False
        self._stop_failed()

    def note_write(self, holder: Env) -> None:
        """A ``global`` assignment into ``holder``: a call that made it
        outside its own scopes changed what others see."""
        for rec in self.active:
            if holder.serial < rec.env_serial:
                rec.ok = False
        self._stop_failed()

    def note_copy(self, holder: Env) -> None:
        """The branches of an undecided ``if`` run on copies of ``holder``,
        joined back into it after: a loop pass that did so in a scope from
        before it changed names it did not assign (a function's recording
        only ever copies its own scopes)."""
        for rec in self.active:
            if rec.arrays is not None and holder.serial < rec.env_serial:
                rec.ok = False
        self._stop_failed()

    def note_call(self, fnode: Any, depth: int) -> None:
        for rec in self.active:
            rec.nested.append((fnode, depth - rec.depth0))

    def note_cut(self) -> None:
        """A bound decided what happened here: the call depends on its context."""
        for rec in self.active:
            rec.ok = False
        self._stop_failed()

    def _stop_failed(self) -> None:
        """Stop the recordings that can no longer give a summary (``end``
        would refuse them): what they would still note costs time for
        nothing -- EfficientNetV2's builder reads an unreadable value first
        and then makes a whole model.  ``end`` still counts their failure."""
        for rec in [r for r in self.active if not r.ok]:
            self.abandon(rec)

    def note_callee(self, node: Any, func: Any) -> None:
        """The callee of ``node``, a call some generic recording passes one
        of its floats to: it must make a Keras layer (the float is then one
        of the layer's arguments)."""
        kind = classify(func.qualname) if isinstance(func, Ref) else None
        if kind is None or kind[0] != "layer":
            for generic in self.call_watch.get(node, ()):
                generic.bad = True

    def note_unroll(self, product: int) -> None:
        for rec in self.active:
            rec.max_product = max(rec.max_product, product)

    # --- recording and replaying --------------------------------------------
    def key(self, func: LocalFunction, args, kwargs) -> Optional[_Key]:
        ev = self.ev
        if not ENABLED or ev.loops.ranges:
            return None
        if self.failures.get(func.node, 0) >= _GIVE_UP:
            return None  # its calls are not summaries (EfficientNetV2's block builders return closures)
        if args and type(args[0]) is Instance:  # pylint: disable=unidiomatic-typecheck
            if _sets_own_attribute(func.node, self._setters):
                return None  # a method that sets an attribute of its instance (__init__, build) is no summary
            if self.unused.get(func.node, 0) >= _UNUSED and func.node not in self.reused:
                return None  # its summaries are not met again (one per instance): not recorded
        k = _Key(ev)
        of = k.of
        plain = _PLAIN_TYPES
        try:  # k.of(v) for each value, its answer for a plain constant inlined (most of them)
            # (in a branch the analysis could not decide, a call's applications and errors are
            # marked so, and a library model may change a frame only where it is certain)
            k.value = (id(func.node), id(func.env), (ev.standalone, ev.uncertain > 0), ev.state.data_format_key(),
                       tuple([(n, (type(v).__name__, v) if type(v) in plain else of(v))
                              for n, v in (func.defaults or {}).items()]),
                       (ev.symbolic.trace_depth, ev.symbolic.graph_depth), ev.imports.importing,
                       tuple([(type(a).__name__, a) if type(a) in plain else of(a) for a in args]),
                       tuple([(n, (type(v).__name__, v) if type(v) in plain else of(v)) for n, v in kwargs.items()]))
        except (NotSummarisable, TypeError):
            return None
        k._call = (func, args, kwargs, self._float_params)  # pylint: disable=protected-access
        return k

    def replay(self, key: _Key) -> Tuple[bool, Any]:
        summary = self.table.get(key.value)
        floats: Dict[int, Any] = {}
        if summary is None and key.generic is not None:
            summary = self.generic_table.get(key.generic[0])
            if summary is not None and summary.pending is not None:
                summary = self._settled(key.generic[0], summary)
            if summary is not None:
                floats = {id(old): new for old, new in zip(summary.floats, key.generic[1])}
        if summary is None:
            return False, None
        summary.complete()
        if not self._valid(summary):
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
        configs: Dict[int, Any] = {}  # a generic replay's configs, each with this call's floats
        # the recorded configs a float of the call is an argument of (the others are kept as they are)
        with_floats = summary.float_configs() if floats else ()
        layer_objs = ev.keras.layer_objs
        for old, layer in summary.layer_objs.items():
            fresh = _clone(layer)
            fresh.layer_id = lmap[old]
            if id(fresh.config) in with_floats:
                fresh.config = _with_floats(fresh.config, floats, configs)
            layer_objs[fresh.layer_id] = fresh
        cmap: Dict[int, int] = {}
        uncertain = ev.in_uncertain_branch
        calls, tensors = summary.calls, summary.tensors
        add_call, copy_tensor = graph.add_call, graph.copy_tensor
        new = object.__new__
        for kind, ref in summary.tape:
            if kind == "c":
                recorded = calls[ref]  # _clone(recorded), inlined
                call = new(type(recorded))
                call.__dict__ = recorded.__dict__.copy()
                if id(call.config) in with_floats:
                    call.config = _with_floats(call.config, floats, configs)
                call.layer_id = lmap.get(call.layer_id, call.layer_id)
                if call.error is not None:
                    call.error = copy.copy(call.error)
                if uncertain:
                    call.in_uncertain_branch = True
                add_call(call, [tmap.get(t, t) for t in call.input_tids])
                cmap[ref] = call.index
            else:
                data, producer, op_inputs = tensors[ref]
                tmap[ref] = copy_tensor(data, None if producer is None else cmap[producer],
                                        [tmap.get(t, t) for t in op_inputs] if op_inputs else None)
        for tid in summary.marked:
            ev.symbolic.tids.add(tmap[tid])
        for error in summary.errors:
            fresh = copy.copy(error)
            fresh.in_uncertain_branch = error.in_uncertain_branch or uncertain
            graph.construction_errors.append(fresh)
        graph.keras1_notes.extend(summary.notes)
        self.replays += 1
        self.reused.add(summary.fnode)
        return True, _rebuild(summary.result, tmap)

    def _valid(self, summary: Summary) -> bool:
        ev = self.ev
        if ev.steps + summary.steps > ev.max_steps:
            return False
        if ev.unroll_product * summary.product > ev.max_unroll_product:
            return False
        depth = len(ev.inline_stack)
        counts: Dict[Any, int] = {}
        for fnode, rel in summary.nested:
            counts[fnode] = counts.get(fnode, 0) + 1
            if (depth + rel >= ev.max_inline_depth or fnode in ev.inline_stack
                    or ev.inline_counts.get(fnode, 0) + counts[fnode] > ev.max_inlines):
                return False
        for env, name, value in summary.reads:
            if not _same(env.vars.get(name, MISSING), value):
                return False
        for value, frozen in summary.frozen:
            if _freeze(value) != frozen:
                return False  # the same list or dict, changed since
        if summary.objects:
            if ev.classes.class_version != summary.class_version:
                return False  # a class attribute was set since
            for value, state in summary.objects:
                if _object_state(value) != state:
                    return False
        return True

    def begin(self, key: Optional[_Key], fnode: Any = None) -> Optional[Recording]:
        if key is None or key.value in self.table:
            return None
        rec = Recording(self.ev, key.value, list(key.tids), key.containers, key.objects)
        rec.fnode = fnode
        if key.generic is not None and key.generic[0] not in self.generic_table:
            rec.generic = _Generic(key.generic[0], key.generic[1], key.generic[2], key.generic[3])
            rec.generic.start(self)
        self.active.append(rec)
        self.ev.graph.tapes.append(rec.tape)
        Env.observer = self
        Env.watch_below = rec.env_serial  # the innermost recording's: the largest
        return rec

    def abandon(self, rec: Optional[Recording]) -> None:
        if rec is not None and rec.generic is not None:
            rec.generic.stop(self)
        if rec is not None and rec in self.active:
            self.active.remove(rec)
            tapes = self.ev.graph.tapes
            for i in range(len(tapes) - 1, -1, -1):
                if tapes[i] is rec.tape:
                    del tapes[i]
                    break
            if not self.active:
                Env.observer = None
            Env.watch_below = self.active[-1].env_serial if self.active else 0

    def end(self, rec: Optional[Recording], result: Any, key_again) -> None:
        """The call returned ``result``: keep its summary if it is one."""
        if rec is None:
            return
        self.abandon(rec)
        self.failures[rec.fnode] = self.failures.get(rec.fnode, 0) + 1  # until it gives one
        ev = self.ev
        if not rec.ok:
            return
        effects = _effects(ev)
        if effects != rec.effects0:
            if effects[0] != rec.effects0[0]:
                # It made a model: a builder (Keras' EfficientNet(...), called 8 times, each
                # call a whole model), whose calls will make one again.  Not recorded again.
                self.failures[rec.fnode] = _GIVE_UP
            return
        if rec.containers and key_again() != rec.key:  # an argument list or dict was changed
            return
        # (with none, the key cannot have changed: a tensor's shape, exactness and origin are
        # set once, a mark made since is refused below, and the rest are ids and constants)
        if any(_freeze(value) != frozen for value, frozen in rec.frozen.values()):
            return  # it changed a list or dict it read from outside
        if any(_object_state(value) != state for value, state in rec.objects.values()) \
                or ev.classes.class_version != rec.class_version or ev.symbolic.raised_at != rec.raised_at:
            return  # it built a layer or changed an instance it met; or TensorFlow raised in a trace
        graph = ev.graph
        made = {tid for kind, tid in rec.tape if kind == "t"}
        used: List[int] = []  # the tensors the applications and ops of the call took
        calls, op_inputs = graph.calls, graph.op_inputs
        for kind, ref in rec.tape:
            used.extend(calls[ref].input_tids if kind == "c" else op_inputs(ref))
        known = set(rec.arg_tids)  # an argument's tensors, and those read from outside
        for _, _, value in rec.reads:
            if isinstance(value, Tensor):
                known.add(value.tid)
            elif isinstance(value, tuple):
                known.update(t.tid for t in _tensors(value))
        if not set(used) - made <= known:
            return
        if len(ev.symbolic.tids) - len(made & ev.symbolic.tids) != rec.marks0:
            return  # a tensor from before the call was marked
        if not _returnable(result, made | known, {id(c) for c in rec.containers}, rec.env_serial):
            return
        summary = self.table[rec.key] = Summary(ev, rec, result)
        self.recorded += 1
        self.failures[rec.fnode] = 0
        self.unused[rec.fnode] = self.unused.get(rec.fnode, 0) + 1
        if rec.generic is not None:
            # Whether it holds is asked when a call first looks the generic key up (most
            # never are: Keras' EfficientNet records 110 blocks, the first of each stage's
            # repeats never met again); what it looks at is the summary's, as kept now.
            summary.pending = rec.generic
            summary.floats = list(rec.generic.values)
            self.generic_table[rec.generic.key] = summary

    def _settled(self, generic_key: tuple, summary: Summary) -> Optional[Summary]:
        """The generic summary under ``generic_key``, once its recording's use
        of its floats is checked (``_Generic.holds``); None, and no longer in
        the table, when it is not one."""
        generic, summary.pending = summary.pending, None
        summary.complete()
        if generic.holds(summary, None):
            return summary
        del self.generic_table[generic_key]
        summary.floats = []
        return None


def _distinct_reads(reads: List[Tuple[Env, str, Any]]) -> List[Tuple[Env, str, Any]]:
    """``reads`` without repeats (a name read again to the same object is
    checked once before a replay; Keras' EfficientNet block reads ``layers``
    and ``CONV_KERNEL_INITIALIZER`` a dozen times each)."""
    last: Dict[Tuple[int, str], Any] = {}
    out = []
    for holder, name, value in reads:
        key = (id(holder), name)
        if key not in last or last[key] is not value:
            last[key] = value
            out.append((holder, name, value))
    return out


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
    return _readable(value) and not isinstance(value, _OBJECTS)


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


# --- summaries for any value of some float arguments ---------------------------
#
# Keras' EfficientNet calls its ``block(x, activation, drop_rate, ...)`` 259
# times, each with another drop rate (``drop_connect_rate * b / blocks``): no
# two calls share a key, though all that the rate does in the block is decide
# ``if drop_rate > 0`` and become ``layers.Dropout(drop_rate, ...)``'s rate.
# Such a float parameter is left out of the key -- replaced by the outcome of
# each comparison the body makes of it -- when
#
# * statically, in the function's own body (no nested scope mentions it),
#   the parameter is never assigned and is only read as the test of an
#   ``if`` (or a conditional expression), compared there with a number
#   literal, or passed as an argument to a call;
# * while the call is recorded, each of those calls makes a Keras layer, and
#   no read of a layer's arguments (the shape rules, the weight checks)
#   meets the float object; the call records no construction error and no
#   Keras 1 note; the float is nowhere in the result, in what the call read
#   from outside, in a shape, nor nested inside a layer argument.
#
# Then the call's path depends on the float only through those comparisons,
# and the float itself ends up only as a top-level argument of the layers it
# made: a replay for another float with the same comparison outcomes is the
# same analysis with the other float in those layers' arguments (substituted
# by object identity: the floats of one call are distinct objects, found
# nowhere else in its key).

_GUARD_OPS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__,
              "==": float.__eq__, "!=": float.__ne__}


def _float_params(fnode: Any, cache: Dict[Any, Dict[str, Tuple[list, list]]]) -> Dict[str, Tuple[list, list]]:
    """Name -> (its guards, the call nodes it is passed to), for the names
    (parameters, or names of the closure's scope) the body of ``fnode``
    uses only as described above."""
    found = cache.get(fnode)
    if found is not None:
        return found
    found = {}
    cache[fnode] = found
    if not isinstance(fnode, nodes.FunctionDef) or isinstance(fnode.parent, nodes.ClassDef) \
            or fnode.args.posonlyargs:
        return found
    uses: Dict[str, list] = {}
    banned = set()
    for stmt in fnode.body:
        for node in nodes_of(stmt, (nodes.Name, nodes.AssignName, nodes.DelName, nodes.Global,
                                           nodes.Nonlocal)):
            if isinstance(node, (nodes.Global, nodes.Nonlocal)):
                banned.update(node.names)
            else:
                uses.setdefault(node.name, []).append(node)
    for name, occurrences in uses.items():
        if name in banned or not occurrences:
            continue
        guards: list = []
        calls: list = []
        for node in occurrences:
            if not isinstance(node, nodes.Name) or node.scope() is not fnode:
                break
            parent = node.parent
            if isinstance(parent, (nodes.If, nodes.IfExp)) and parent.test is node:
                guards.append(("truth", None))
            elif (isinstance(parent, nodes.Compare) and parent.left is node and len(parent.ops) == 1
                  and parent.ops[0][0] in _GUARD_OPS and isinstance(parent.ops[0][1], nodes.Const)
                  and type(parent.ops[0][1].value) in (int, float)  # pylint: disable=unidiomatic-typecheck
                  and isinstance(parent.parent, (nodes.If, nodes.IfExp)) and parent.parent.test is parent):
                guards.append((parent.ops[0][0], parent.ops[0][1].value))
            elif isinstance(parent, nodes.Call) and any(a is node for a in parent.args):
                calls.append(parent)
            elif isinstance(parent, nodes.Keyword) and parent.arg is not None and isinstance(parent.parent, nodes.Call):
                calls.append(parent.parent)
            else:
                break
        else:
            found[name] = (guards, calls)
    return found


def _outcomes(guards: list, value: float) -> tuple:
    return tuple(bool(value) if op == "truth" else bool(_GUARD_OPS[op](value, float(const)))
                 for op, const in guards)


def _nested_chosen(value: Any, chosen: set) -> bool:
    """One of the ``chosen`` floats is a leaf of ``value``'s tuples, lists
    or dict values (at any depth): the only leaves that can be one (each is
    of type float), which is all ``_generic_key`` asks of them.  A value that
    is no container holds none."""
    if isinstance(value, (tuple, list)):
        items: Any = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return False
    for v in items:
        kind = type(v)
        if kind is float:
            if id(v) in chosen:
                return True
        elif kind not in _SCALARS and _nested_chosen(v, chosen):
            return True
    return False


def _chosen_elsewhere(values: Any, chosen: set, top: bool) -> bool:
    """One of ``chosen`` is in ``values`` elsewhere than as one of its own
    items: nested in one (``_nested_chosen``), or, with ``top``, an item
    itself too."""
    for v in values:
        kind = type(v)
        if kind is float:
            if top and id(v) in chosen:
                return True
        elif kind not in _SCALARS and _nested_chosen(v, chosen):
            return True
    return False


def _param_names(fnode: Any, cache: Dict[Any, Any]) -> Tuple[set, list]:
    """(the names of ``fnode``'s parameters that a keyword can give, its
    positional parameters in order), found once per function (in ``cache``,
    beside ``_float_params``' entries)."""
    found = cache.get((fnode, "names"))
    if found is None:
        if isinstance(fnode, nodes.FunctionDef):
            positional = [a.name for a in fnode.args.args or []]
            found = (set(positional) | {a.name for a in fnode.args.kwonlyargs or []}, positional)
        else:
            found = (set(), [])
        cache[(fnode, "names")] = found
    return found


def _generic_key(key: "_Key", func: LocalFunction, args, kwargs,
                 cache) -> Optional[Tuple[tuple, List[Any], set, set]]:
    """(generic key, the float objects left out of it, the call nodes they
    are passed to, the (scope id, name) of those read from the closure) for
    a call that may share a summary with calls of other float values or of
    another closure with the same content; None for any other."""
    value = key.value
    closure = func.env is not None
    if not closure and not any(type(a) is float for a in args) and not any(  # pylint: disable=unidiomatic-typecheck
            type(a) is float for a in kwargs.values()):  # pylint: disable=unidiomatic-typecheck
        return None
    params = _float_params(func.node, cache)
    if not params and not closure:
        return None
    fnode = func.node
    names, positional = _param_names(fnode, cache)
    floats: List[Any] = []
    calls: set = set()
    skip: set = set()
    generic = list(value)
    if closure:
        scopes = _closure_generic(key.ev, func, params, names, floats, calls, skip)
        if scopes is None:
            return None
        generic[1] = scopes
    arg_keys = list(value[7])
    for i, arg in enumerate(args):
        name = positional[i] if i < len(positional) else None
        if type(arg) is float and name in params and name not in kwargs:  # pylint: disable=unidiomatic-typecheck
            guards, at = params[name]
            arg_keys[i] = ("f?", _outcomes(guards, arg))
            floats.append(arg)
            calls.update(at)
    kw_keys = list(value[8])
    for j, (name, arg) in enumerate(kwargs.items()):
        if type(arg) is float and name in params and name in names:  # pylint: disable=unidiomatic-typecheck
            guards, at = params[name]
            kw_keys[j] = (name, ("f?", _outcomes(guards, arg)))
            floats.append(arg)
            calls.update(at)
    if not floats and not closure:
        return None
    chosen = {id(f) for f in floats}
    if len(chosen) != len(floats):
        return None  # one float object in two places
    if chosen:  # none of them anywhere else: in another argument, a default, or the closure's scopes
        if _chosen_elsewhere(args, chosen, False) or _chosen_elsewhere(kwargs.values(), chosen, False) \
                or _chosen_elsewhere((func.defaults or {}).values(), chosen, True):
            return None
        scope = func.env
        while scope is not None and scope.parent is not None:
            if _chosen_elsewhere(scope.vars.values(), chosen, False):
                return None
            scope = scope.parent
    generic[7], generic[8] = tuple(arg_keys), tuple(kw_keys)
    return tuple(generic), floats, calls, skip


def _closure_generic(ev: "Evaluator", func: LocalFunction, uses, params: set, floats: List[Any], calls: set,
                     skip: set) -> Any:
    """The key of a closure's function scopes by what they hold (each a
    builder call's: EfficientNetV2's ``MBConvBlock`` defines an ``apply``
    per call), or None.  Only scopes of plain values: constants, library
    references, the function itself -- no tensor, list, dict, instance or
    other function (another function of those scopes could read them too).
    A float of the innermost scope the body uses only as described above
    is left out, as a float argument is."""
    chain = []
    scope = func.env
    while scope.parent is not None:
        chain.append(scope)
        scope = scope.parent
    if not chain:
        return None
    k = _Key(ev)
    parts = []
    for depth, frame in enumerate(chain):
        items = []
        for name, value in frame.vars.items():
            if isinstance(value, LocalFunction):
                if value is func or (value.node is func.node and value.env is func.env
                                     and value.defaults is func.defaults):
                    items.append((name, ("self",)))
                    continue
                return None
            if isinstance(value, _NOT_IN_CLOSURE_KEY):
                return None
            if depth == 0 and type(value) is float and name in uses and name not in params:  # pylint: disable=unidiomatic-typecheck
                guards, at = uses[name]
                items.append((name, ("f?", _outcomes(guards, value))))
                floats.append(value)
                calls.update(at)
                skip.add((id(frame), name))
                continue
            items.append((name, (type(value).__name__, value) if type(value) in _PLAIN_TYPES else k.of(value)))
        parts.append(tuple(items))
    if k.tids or k.containers:
        return None
    return ("closure", tuple(parts), id(scope))


class _Generic:
    """A recording keyed for any value of some float arguments: watches
    every read of those float objects through a layer's arguments and the
    callee of every call they are passed to."""

    def __init__(self, key: tuple, values: List[Any], calls: set, skip: set):
        self.key = key
        self.values = values
        self.calls = calls
        self.skip = skip  # (scope id, name): the closure's floats, read where they are
        self.flags = {id(v): [False] for v in values}
        self.bad = False
        self.started: List[int] = []

    def start(self, summaries: "Summaries") -> None:
        for ident, flag in self.flags.items():
            if ident in registry.WATCHED:
                self.bad = True  # watched by an outer recording too: not told apart
                continue
            registry.WATCHED[ident] = flag
            self.started.append(ident)
        for node in self.calls:
            summaries.call_watch.setdefault(node, []).append(self)

    def stop(self, summaries: "Summaries") -> None:
        for ident in self.started:
            registry.WATCHED.pop(ident, None)
        self.started = []
        for node in self.calls:
            watching = summaries.call_watch.get(node)
            if watching is not None:
                watching[:] = [g for g in watching if g is not self]
                if not watching:
                    del summaries.call_watch[node]

    def holds(self, summary: Summary, rec: Optional[Recording]) -> bool:
        """The recorded call used its floats only as described above."""
        if self.bad or any(flag[0] for flag in self.flags.values()) or summary.errors or summary.notes:
            return False
        chosen = set(self.flags)
        seen: set = set()  # containers and configs looked into already
        if _holds_any(summary.result, chosen, seen):
            return False
        skip = self.skip
        if any(id(value) in chosen or (isinstance(value, _LOOKED_INTO) and _holds_any(value, chosen, seen))
               for holder, name, value in summary.reads if (id(holder), name) not in skip):
            return False
        for data, _, _ in summary.tensors.values():
            shape = data["shape"]
            if shape is not None and not chosen.isdisjoint(map(id, shape)):
                return False
        configs = [call.config for call in summary.calls.values()] + \
            [layer.config for layer in summary.layer_objs.values()]
        for cfg in configs:
            if not isinstance(cfg, LayerConfig):
                return False
            if id(cfg) in seen:
                continue
            seen.add(id(cfg))
            if cfg.call_kwargs and _holds_any(cfg.call_kwargs, chosen, seen):
                return False
            for value in cfg.args.values():
                if id(value) in chosen:
                    if type(cfg) is not LayerConfig:  # pylint: disable=unidiomatic-typecheck
                        return False
                elif isinstance(value, _LOOKED_INTO) and _holds_any(value, chosen, seen):
                    return False
        return True


_ATOMS = (int, str, bool, type(None))
# Exact types _holds_any answers False for unless the value is itself chosen.
_SCALARS = frozenset(_ATOMS + (float,))
# What _holds_any looks into; of any other value it only asks whether it is chosen.
_LOOKED_INTO = (tuple, list, dict, LayerConfig)


def _holds_any(value: Any, chosen: set, seen: set) -> bool:
    """One of the ``chosen`` objects is ``value`` or a leaf of it (a nested
    layer config's arguments included); each container is looked into once."""
    if id(value) in chosen:
        return True
    if isinstance(value, _ATOMS) or type(value) is float:  # pylint: disable=unidiomatic-typecheck
        return False
    if id(value) in seen:
        return False
    if isinstance(value, LayerConfig):
        seen.add(id(value))
        return (any(_holds_any(v, chosen, seen) for v in value.args.values())
                or any(_holds_any(v, chosen, seen) for v in value.call_kwargs.values()))
    if isinstance(value, (tuple, list)):
        seen.add(id(value))
        return any(_holds_any(v, chosen, seen) for v in value)
    if isinstance(value, dict):
        seen.add(id(value))
        return any(_holds_any(v, chosen, seen) for v in value.values())
    return False


def _with_floats(cfg: Any, floats: Dict[int, Any], made: Dict[int, Any]) -> Any:
    """``cfg`` with a generic replay's floats for the recorded ones (one new
    config per recorded config: a layer and its applications keep sharing it)."""
    fresh = made.get(id(cfg))
    if fresh is not None:
        return fresh
    fresh = cfg
    if type(cfg) is LayerConfig:  # pylint: disable=unidiomatic-typecheck
        for value in cfg.args.values():
            if id(value) in floats:
                fresh = registry.new_config(cfg.class_name, {k: floats.get(id(v), v) for k, v in cfg.args.items()},
                                            cfg.call_kwargs)
                break
    made[id(cfg)] = fresh
    return fresh
