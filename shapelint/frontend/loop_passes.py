"""Loop passes that repeat: a ``for`` loop over items the code shows whose
every pass does the same thing runs twice, not once per item.

keras-io's ``addition_rnn.py`` fits its model 29 times in a loop, and each
time runs 10 passes of a loop that predicts on one random validation row
and decodes it: 290 passes that apply no layer and that differ only in
values the analysis cannot tell apart.  Running them all costs most of the
file's analysis; what the 3rd and later passes do is what the 2nd did.

A pass after the 2nd is skipped only when both of these show it would be
the 2nd again:

* **The loop's text** (``repeats``): its target is read nowhere but in
  ``print(...)`` of names and constants; every name the body assigns and
  reads is assigned earlier in the same pass (in straight-line code, not
  only in a branch or an inner loop), so no pass reads what an earlier one
  left; and the body assigns names only (no attribute, item, ``global``,
  ``del``, augmented assignment), defines nothing, and has no ``break``,
  ``continue``, ``return``, ``yield``, ``while``, ``with`` or ``try``.
* **What its 2nd pass did** (``PassWatch``), observed as a function summary's
  recording observes a call (``summaries.py``): every name and attribute
  it read from outside, every list and dict it read unchanged at its end,
  every instance, layer and model it met in the same state, numpy arrays
  too; no attribute set on an object made before it, no ``global``
  assignment, no bound cut a call; and it made no layer, layer
  application, model, Sequential, construction error, Keras 1 note, marked
  (symbolic) tensor or note, nor changed the module's settings.  It may
  record training calls (``fit``/``predict``): the same ones, again.

Then the skipped passes are accounted for as if they ran: the statements
they would have taken count against the statement budget, the calls of
each local function against its bound (a pass is not skipped where either
bound would have cut one), their training calls are recorded, and the
target holds the last item.  The names the body assigns hold what the 2nd
pass gave them: what the last pass would have given (new objects, the same
values).  Nothing else differs, so the findings and layer rows do not.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Set

from astroid import nodes

from shapelint.frontend.scope import Env
from shapelint.frontend.summaries import Recording, _array_state, _freeze, _object_state

if TYPE_CHECKING:  # pragma: no cover
    from shapelint.frontend.evaluator import Evaluator

ENABLED = True  # tests switch it off to compare the two analyses
MIN_ITEMS = 3  # a loop of fewer passes has none to skip

# The statements a repeating body may hold (any other, or a nested one of
# another kind, and the loop runs pass by pass).
_STATEMENTS = (nodes.Assign, nodes.Expr, nodes.If, nodes.For, nodes.Pass)
# Expressions that bind a name, define a function or suspend the body.
_BINDING = (nodes.NamedExpr, nodes.Lambda, nodes.Yield, nodes.YieldFrom, nodes.Await)
_COMPREHENSIONS = (nodes.ListComp, nodes.SetComp, nodes.DictComp, nodes.GeneratorExp)
# What a print argument reading the loop's target may be made of.
_QUOTABLE = (nodes.Name, nodes.Const, nodes.JoinedStr, nodes.FormattedValue)


def repeats(stmt: nodes.For) -> bool:
    """The loop's passes cannot tell their items apart, nor read what an
    earlier pass assigned (the first condition above)."""
    targets = _target_names(stmt.target)
    if targets is None or stmt.orelse:
        return False
    assigned: Set[str] = set()
    if not _collect_assigned(stmt.body, assigned):
        return False
    return _check_block(stmt.body, set(targets), assigned, set())


def _target_names(target: Any) -> Optional[List[str]]:
    """The names a target binds; None for anything but names (an attribute,
    an item, a starred name)."""
    if isinstance(target, nodes.AssignName):
        return [target.name]
    if isinstance(target, (nodes.Tuple, nodes.List)):
        out: List[str] = []
        for elt in target.elts:
            names = _target_names(elt)
            if names is None:
                return None
            out.extend(names)
        return out
    return None


def _collect_assigned(body: List[Any], out: Set[str]) -> bool:
    """The names the statements assign (inner loops' targets too); False
    when one is not a statement a repeating body may hold."""
    for stmt in body:
        if not isinstance(stmt, _STATEMENTS):
            return False
        if isinstance(stmt, nodes.Assign):
            for target in stmt.targets:
                names = _target_names(target)
                if names is None:
                    return False
                out.update(names)
        elif isinstance(stmt, nodes.If):
            if not (_collect_assigned(stmt.body, out) and _collect_assigned(stmt.orelse, out)):
                return False
        elif isinstance(stmt, nodes.For):
            names = _target_names(stmt.target)
            if names is None or stmt.orelse or not _collect_assigned(stmt.body, out):
                return False
            out.update(names)
    return True


def _check_block(body: List[Any], targets: Set[str], assigned: Set[str], done: Set[str]) -> bool:
    """Every read in ``body`` is of a name the loop does not assign, or of
    one ``done`` (assigned before in this pass) or that the block assigns
    before the read; the loop's own targets only in a quoting print."""
    done = set(done)
    for stmt in body:
        if isinstance(stmt, nodes.Pass):
            continue
        if isinstance(stmt, nodes.Expr) and _quoting_print(stmt):
            continue  # a print of names and constants: it changes nothing, whatever it reads
        if isinstance(stmt, nodes.Assign):
            if not _reads_ok(stmt.value, targets, assigned, done):
                return False
            for target in stmt.targets:
                done.update(_target_names(target) or ())
        elif isinstance(stmt, nodes.Expr):
            if not _reads_ok(stmt.value, targets, assigned, done):
                return False
        elif isinstance(stmt, nodes.If):
            if not (_reads_ok(stmt.test, targets, assigned, done)
                    and _check_block(stmt.body, targets, assigned, done)
                    and _check_block(stmt.orelse, targets, assigned, done)):
                return False  # (what only a branch assigns is not done after it)
        elif isinstance(stmt, nodes.For):
            inner = _target_names(stmt.target) or []
            if not (_reads_ok(stmt.iter, targets, assigned, done)
                    and _check_block(stmt.body, targets, assigned, done | set(inner))):
                return False  # (an inner loop may run no pass: what it assigns is not done after it)
        else:
            return False
    return True


def _quoting_print(stmt: nodes.Expr) -> bool:
    """``print(...)`` whose arguments are names, constants and f-strings of
    them: it evaluates them and changes nothing (``print`` itself is the
    builtin: ``Evaluator._repeating`` checks no scope binds it)."""
    call = stmt.value
    if not (isinstance(call, nodes.Call) and isinstance(call.func, nodes.Name) and call.func.name == "print"):
        return False
    parts = list(call.args) + [k.value for k in call.keywords or []]
    return all(isinstance(node, _QUOTABLE) for part in parts for node in _subtree(part))


def _subtree(node: Any) -> List[Any]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.get_children())
    return out


def _reads_ok(expr: Any, targets: Set[str], assigned: Set[str], done: Set[str],
              local: frozenset = frozenset()) -> bool:
    """No read in ``expr`` of the loop's target or of a name the loop
    assigns that this pass has not (``local``: a comprehension's own)."""
    if isinstance(expr, nodes.Name):
        name = expr.name
        if name in local:
            return True
        return name not in targets and (name not in assigned or name in done)
    if isinstance(expr, _BINDING):
        return False
    if isinstance(expr, _COMPREHENSIONS):
        inner = set(local)
        for i, gen in enumerate(expr.generators):
            # the first iterable is evaluated outside the comprehension
            if not _reads_ok(gen.iter, targets, assigned, done, local if i == 0 else frozenset(inner)):
                return False
            names = _target_names(gen.target)
            if names is None:
                return False
            inner.update(names)
            if not all(_reads_ok(cond, targets, assigned, done, frozenset(inner)) for cond in gen.ifs):
                return False
        parts = [expr.key, expr.value] if isinstance(expr, nodes.DictComp) else [expr.elt]
        return all(_reads_ok(part, targets, assigned, done, frozenset(inner)) for part in parts)
    return all(_reads_ok(child, targets, assigned, done, local) for child in expr.get_children())


class Observed(NamedTuple):
    """What a pass did that later passes repeat."""

    steps: int  # statements it took
    calls: Dict[Any, int]  # local function node -> its calls (replays too) in the pass
    trainings: List[Any]  # the training calls it recorded


class PassWatch:
    """A loop's 2nd pass under way, observed as a recorded call is
    (``Summaries.note_read`` and the other notes go to its recording)."""

    def __init__(self, ev: "Evaluator"):
        self.ev = ev
        self.rec = rec = Recording(ev, ("pass",), [], [], [])
        rec.arrays = {}  # numpy arrays read from outside are compared too
        self.trainings0 = len(ev.graph.trainings)
        self.info0 = len(ev.info)
        self.counts0 = dict(ev.inline_counts)
        self.settings0 = dict(vars(ev.state))
        summaries = ev.summaries
        summaries.active.append(rec)
        Env.observer = summaries
        Env.watch_below = rec.env_serial

    def stop(self) -> None:
        """The pass is over (or was cut short): nothing more is noted."""
        self.ev.summaries.abandon(self.rec)

    def repeated(self) -> Optional[Observed]:
        """What the pass did, after ``stop``; None when a later pass may
        differ from it."""
        ev, rec = self.ev, self.rec
        if not (rec.ok and self._made_nothing()):
            return None
        if any(_freeze(value) != frozen for value, frozen in rec.frozen.values()):
            return None
        if any(_object_state(value) != state for value, state in rec.objects.values()):
            return None
        if any(_array_state(value) != state for value, state in rec.arrays.values()):
            return None
        counts0 = self.counts0
        calls = {fnode: n - counts0.get(fnode, 0) for fnode, n in ev.inline_counts.items()
                 if n != counts0.get(fnode, 0)}
        return Observed(ev.steps - rec.steps0, calls, ev.graph.trainings[self.trainings0:])

    def _made_nothing(self) -> bool:
        """No layer, application, model, Sequential, error, note or marked
        tensor made; no class attribute set; the module's settings kept."""
        ev, rec = self.ev, self.rec
        graph = ev.graph
        made = (len(graph.calls) - rec.call0, ev.layer_count - rec.layer0,
                len(graph.construction_errors) - rec.errors0, len(graph.keras1_notes) - rec.notes0,
                len(ev.symbolic.tids) - rec.marks0, len(ev.info) - self.info0,
                len(graph.models) - rec.effects0[0], len(ev.keras.sequentials) - rec.effects0[2])
        return not any(made) and ev.classes.class_version == rec.class_version \
            and ev.symbolic.raised_at == rec.raised_at and vars(ev.state) == self.settings0


def account(ev: "Evaluator", passes: int, observed: Observed, max_steps: int, max_inlines: int) -> bool:
    """Count ``passes`` more passes like the observed one, as if they ran;
    False (and nothing counted) when a bound would have cut one of them."""
    if ev.steps + observed.steps * passes > max_steps:
        return False
    counts = ev.inline_counts
    if any(counts.get(fnode, 0) + n * passes > max_inlines for fnode, n in observed.calls.items()):
        return False
    ev.steps += observed.steps * passes
    for fnode, n in observed.calls.items():
        counts[fnode] = counts.get(fnode, 0) + n * passes
    for _ in range(passes):
        ev.graph.trainings.extend(copy.copy(call) for call in observed.trainings)
    return True
