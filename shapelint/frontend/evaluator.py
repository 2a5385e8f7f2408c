"""The evaluator core: abstract interpretation of a module.

It walks statements in order with a scope of abstract values (``values.py``),
evaluates constants and simple arithmetic, follows imports lexically, inlines
local functions at each call (depth-bounded), and never raises: anything it
cannot follow becomes ``UNKNOWN``.  Statements, expressions and calls each
dispatch through a table (keyed by the astroid node class, or by the callee's
value type), as torch.fx's ``Interpreter`` has one method per node kind.

What the values *mean* lives elsewhere, each concern in one module:

* ``keras_models``  -- Input, layers, Sequential/functional models, backbones;
* ``local_classes`` -- classes defined in the module (subclassed layers/models);
* ``training``      -- compile/fit/evaluate/predict;
* ``library/``      -- numpy, keras.ops/tf ops, tf.data, builtins ... (one
  handler per qualified name).

They see the evaluator only through the ``Context`` protocol
(``context.py``), so none of them imports this module.
"""
from __future__ import annotations

import builtins
import math
from typing import Any, Callable, Dict, List, Optional

from astroid import nodes

from shapelint.frontend import library
from shapelint.frontend.context import LibraryCall, ModuleState
from shapelint.frontend.data_loops import DataLoops
from shapelint.frontend.keras_models import KerasModels
from shapelint.frontend.library import numpy_arrays, tf_data
from shapelint.frontend.library.numpy_arrays import binop as array_binop, broadcast_refused
from shapelint.frontend.library.numpy_arrays import subscript
from shapelint.frontend.library.tensor_ops import Refused, broadcast_result, matmul_result, refuse_broadcast
from shapelint.frontend.local_classes import LocalClasses
from shapelint.frontend import loop_passes, project
from shapelint.frontend.parsing import ModuleScan, keras_snippet_names, mentions_keras, scan
from shapelint.frontend.resolve import Ref, classify, is_keras_layers_module, missing_in_keras3, normalise
from shapelint.frontend.symbolic import SymbolicTensors, module_keras_version
from shapelint.frontend.scope import (
    MISSING,
    BreakSignal,
    BudgetExceeded,
    ContinueSignal,
    Env,
    LoopWidening,
    ReturnSignal,
    YieldSignal,
    join,
    merge_into,
    written_back,
)
from shapelint.frontend.summaries import Summaries
from shapelint.frontend.training import TrainingRecorder
from shapelint.frontend.values import (
    MAX_MATERIALISE,
    MORE_ITEMS,
    RUNTIME,
    SOME_STR,
    Array,
    BoundMethod,
    Partial,
    Super,
    Choice,
    Dataset,
    Generator,
    Instance,
    LayerHandle,
    LayerObj,
    LibraryObject,
    ListOf,
    LocalClass,
    LocalFunction,
    ModelObj,
    Opaque,
    ProjectModule,
    RUNTIME,
    ConstShapeTensor,
    ShapeTensor,
    Tensor,
    flatten,
    is_plain,
    is_text,
    iter_values,
    takes_tensor,
)
from shapelint.frontend.walk import nodes_of
from shapelint.graph import ShapeGraph
from shapelint.options import DEFAULT_OPTIONS, AnalysisOptions
from shapelint.messages import INCOMPATIBLE_OP_OPERANDS
from shapelint.shapes import dims
from shapelint.shapes.registry import ShapeError
from shapelint.unknown import UNKNOWN

MAX_INLINE_DEPTH = 8
MAX_UNROLL = 64
# Trips of one nest of unrolled loops (calls included): past it, an inner loop
# is followed in one widened pass, so nested loops cost the sum of their trip
# counts, not the product (a 64**3 data loop took 0.5 s).
MAX_UNROLL_PRODUCT = 1024
MAX_STEPS = 50_000  # statements interpreted per module, a safety bound
MAX_INLINES_PER_FUNCTION = 1024  # calls of one local function followed (replays are cheap)

_BUILTIN_NAMES = set(dir(builtins))
# Parameter names that stay unknown (not symbols) in a function analysed on
# its own: the tensor it is given.
_TENSOR_PARAMS = ("x", "inputs", "input_tensor", "tensor")

# The keyword a call gets when it unpacks a mapping shapelint cannot read
# (``f(**cfg)``): any parameter may be in it.
MORE_KWARGS = "**"


_CONST, _NAME = nodes.Const, nodes.Name  # exactly these types: Evaluator.eval's first tests
_ASSIGN_NAME = nodes.AssignName  # exec_assign's
# Exact node types that are neither a GeneratorExp nor a Starred (eval_elts' first test).
_PLAIN_ELEMENTS = frozenset((nodes.Const, nodes.Name, nodes.Call, nodes.Attribute, nodes.JoinedStr, nodes.BinOp,
                             nodes.Tuple, nodes.List, nodes.Subscript, nodes.Dict, nodes.Compare, nodes.IfExp,
                             nodes.BoolOp, nodes.UnaryOp))


class TypeTable(dict):
    """A dispatch table keyed by class that honours subclasses (an
    ``AsyncFor`` is a ``For``), resolved once per concrete type: indexed
    by a type (``table[type(node)]``, one dict lookup in C per dispatch, a
    type met first resolved by ``__missing__``), it gives the handler or None."""

    def __init__(self, table: Dict[type, Callable]):
        super().__init__()
        self.table = dict(table)

    def __missing__(self, kind: type) -> Optional[Callable]:
        found = next((self.table[k] for k in kind.__mro__ if k in self.table), None)
        self[kind] = found
        return found

    def get(self, kind: type, default: Any = None) -> Optional[Callable]:  # pylint: disable=unused-argument
        return self[kind]


class Evaluator:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """Evaluate one module; ``run()`` returns its ShapeGraph."""

    def __init__(self, module: nodes.Module, path: Optional[str] = None,
                 options: AnalysisOptions = DEFAULT_OPTIONS):
        self.module = module
        self.path = path if path is not None else getattr(module, "file", None)
        self.options = options
        self.graph = ShapeGraph()
        self.module_env = Env()
        self.imports = project.ProjectImports(self, module, self.path)
        self.state = ModuleState()
        self.snippet_names: Dict[str, str] = {}  # set by run()
        self.layer_count = 0  # layer instances made so far (their ids)
        self.steps = 0
        self.unroll_product = 1  # trips of the unrolled loops around this point
        self.info: List[str] = []  # what --verbose says of this analysis
        self.called_functions: set = set()
        # FunctionDef -> is it a generator (astroid walks the body to answer;
        # a builder called 500 times asked it 500 times)
        self._generator_defs: Dict[Any, bool] = {}
        self._signatures: Dict[Any, tuple] = {}  # function node -> _signature(node)
        self._inert_ifs: Dict[Any, bool] = {}  # If node -> both branches only print (_inert_branches)
        self._repeats: Dict[Any, bool] = {}  # For node -> loop_passes.repeats
        self.inline_stack: List[Any] = []
        # the closure (defining scope) each inlined function runs with, by
        # its place on inline_stack (None: a module-level function or method)
        self.inline_closures: List[Any] = []
        self.first_yield_of: List[Any] = []  # generator bodies run up to their first yield
        self.inline_counts: Dict[Any, int] = {}
        self.uncertain = 0  # inside branches whose condition is unknown
        self.widening = 0  # inside loops followed once, then widened
        # a break/continue in an undecided branch of the loop being unrolled
        self.loop_exit_uncertain = False
        self.loops = DataLoops(self)  # long loops over data, followed in one pass
        self.standalone = False  # analysing functions the module never calls
        self.keras = KerasModels(self)
        self.symbolic = SymbolicTensors(self, module_keras_version(module, options.keras_version))
        self.classes = LocalClasses(self)
        self.training = TrainingRecorder(self)
        self.summaries = Summaries(self)
        # the bounds, as summaries check them before a replay
        self.max_steps, self.max_unroll_product = MAX_STEPS, MAX_UNROLL_PRODUCT
        self.max_inline_depth, self.max_inlines = MAX_INLINE_DEPTH, MAX_INLINES_PER_FUNCTION
        self._statements = TypeTable({
            nodes.Import: self.imports.exec_import,
            nodes.ImportFrom: self.imports.exec_import_from,
            nodes.Assign: self.exec_assign,
            nodes.AnnAssign: self.exec_ann_assign,
            nodes.AugAssign: self.exec_aug_assign,
            nodes.Expr: lambda stmt, env: self.eval(stmt.value, env),
            nodes.If: self.exec_if,
            nodes.For: self.exec_for,
            nodes.While: self.exec_while,
            nodes.With: self.exec_with,
            nodes.Try: self.exec_try,
            nodes.FunctionDef: self.exec_function_def,
            nodes.ClassDef: lambda stmt, env: env.set(stmt.name, LocalClass(stmt)),
            nodes.Return: self.exec_return,
            nodes.Delete: self.exec_delete,
            nodes.Global: lambda stmt, env: env.declare_global(stmt.names, self.env_of(stmt)),
            nodes.Nonlocal: lambda stmt, env: env.declare_nonlocal(stmt.names),
            nodes.Break: _raise(BreakSignal),
            nodes.Continue: _raise(ContinueSignal),
            # Anything else (pass, raise, match, ...) changes no value we track.
        })
        self._expressions = TypeTable({
            nodes.Const: lambda node, env: node.value,
            nodes.Name: self.eval_name_node,
            nodes.Attribute: self.eval_attribute,
            nodes.Tuple: lambda node, env: tuple(self.eval_elts(node.elts, env)),
            nodes.List: lambda node, env: list(self.eval_elts(node.elts, env)),
            nodes.Set: self.eval_set,
            nodes.Dict: self.eval_dict,
            nodes.Call: self.eval_call,
            nodes.BinOp: lambda node, env: self.binop(node.op, self.eval(node.left, env),
                                                      self.eval(node.right, env), node),
            nodes.UnaryOp: self.eval_unaryop,
            nodes.Subscript: self.eval_subscript,
            nodes.ListComp: self.eval_comprehension,
            nodes.DictComp: self.eval_dict_comprehension,
            nodes.IfExp: self.eval_ifexp,
            nodes.Compare: self.eval_compare,
            nodes.BoolOp: self.eval_boolop,
            # some string: f"block{i}_" as its text would make every call of a
            # builder naming its layers a new function summary (NASNet +50%)
            nodes.JoinedStr: self.eval_joined_str,
            nodes.Lambda: self.define_function,
            nodes.Yield: self.eval_yield,
            nodes.YieldFrom: self.eval_yield_from,
        })
        self._callees = TypeTable({
            Ref: self.call_ref,
            LayerObj: self.keras.apply_layer,
            LayerHandle: self.keras.apply_handle,
            ModelObj: lambda model, args, kwargs, node: self.keras.apply_model(model, args, node),
            LocalFunction: self.call_local_function,
            LocalClass: self.classes.instantiate,
            Instance: self.classes.call_instance,
            BoundMethod: self.call_method,
            Choice: self.call_choice,
            Partial: lambda part, args, kwargs, node: self.call(
                part.func, list(part.args) + list(args), {**part.kwargs, **kwargs}, node),
        })
        self._attributes = TypeTable({
            Ref: lambda base, name: base.attr(name),
            Tensor: self.tensor_attribute,
            ModelObj: self.keras.model_attribute,
            LayerHandle: self.keras.handle_attribute,
            Instance: self.classes.instance_attribute,
            LocalClass: lambda base, name: self.classes.class_attrs(base).get(name, UNKNOWN),
            Array: numpy_arrays.array_attribute,
            ProjectModule: _module_attribute,
            LibraryObject: lambda base, name: base.attrs[name] if name in base.attrs else BoundMethod(base, name),
            LayerObj: BoundMethod, Dataset: BoundMethod, list: BoundMethod, dict: BoundMethod,
            tuple: self.tuple_attribute, ListOf: BoundMethod, Super: BoundMethod,
            str: lambda base, name: BoundMethod(base, name) if hasattr(str, name) else UNKNOWN,
        })
        self._receivers = TypeTable({
            Instance: self.classes.instance_method,
            Super: self.classes.super_method,
            ModelObj: self.keras.model_method,
            LayerObj: self.keras.layer_method,
            LayerHandle: self.keras.handle_method,
            Array: self.call_value_method,
            Dataset: self.call_value_method,
            LibraryObject: self.call_value_method,
            list: self.call_value_method,
            dict: self.call_value_method,
            ListOf: self.call_value_method,
            Tensor: self.call_value_method,
            tuple: self.call_value_method,
            str: self.call_value_method,
        })

    # ------------------------------------------------------------------ run
    def run(self) -> ShapeGraph:
        # Keras names used but never bound (a pasted snippet, a star import
        # shapelint cannot read, Conv2D used where Convolution2D was imported).
        self.snippet_names = keras_snippet_names(self.module)
        if not (mentions_keras(self.module) or self.snippet_names
                or project.imports_keras_module(self.module, self.path)):
            return self.graph  # nothing Keras can be built here: skip the walk
        try:
            self.exec_block(self.module.body, self.module_env)
        except ReturnSignal:
            pass
        except BudgetExceeded:
            self.budget_note()
        # Functions never called in the module are analysed once on their
        # own, parameters taking their defaults or becoming symbols; the ones
        # no other function names first, so that a builder its public
        # wrappers call (EfficientNet by EfficientNetB0) gets their arguments.
        # Methods of the module's other classes too (a unittest TestCase, a
        # trainer class another module drives), ``self`` an opaque object.
        for func in _callers_first(self._uncalled_candidates(), scan(self.module)):
            if func in self.called_functions:
                continue
            try:
                self.standalone = True
                defined = self.module_env.vars.get(func.name)
                value = defined if isinstance(defined, LocalFunction) and defined.node is func else LocalFunction(func)
                self.call_function(value, [], {}, standalone=True)
            except BudgetExceeded:
                self.budget_note()
                break
        self.keras.finish_sequentials()
        return self.graph

    def _uncalled_candidates(self) -> List[nodes.FunctionDef]:
        """The module's functions, then the plain methods of its classes
        Keras does not drive (a layer's or model's methods run when it is
        applied or trained, never on their own)."""
        funcs = [f for f in self.module.body if isinstance(f, nodes.FunctionDef)]
        for cls in self.module.body:
            if isinstance(cls, nodes.ClassDef) and not self.classes.keras_kind(LocalClass(cls)):
                funcs.extend(f for f in cls.body if isinstance(f, nodes.FunctionDef) and _plain_method(f))
        return funcs

    def budget_note(self) -> None:
        if self.info:
            return
        if self.steps > MAX_STEPS:
            self.info.append(f"the analysis stopped after {MAX_STEPS:,} statements (a bound on the time per "
                             f"file); code past that point was not followed")
        else:
            self.info.append("the analysis stopped where calls nest too deeply to follow; "
                             "code past that point was not followed")

    # ------------------------------------------------- the Context protocol
    def new_tensor(self, shape, node=None, *, origin: str = "op", exact: bool = False,
                   inputs: Any = ()) -> Tensor:
        sources = [v.tid for v in flatten(list(inputs)) if isinstance(v, Tensor)]
        return Tensor(self.graph.new_tensor(shape, origin=origin, node=node, exact=exact, op_inputs=sources))

    def shape_of(self, value: Any) -> Any:
        return self.graph.shape(value.tid) if isinstance(value, Tensor) else None

    def exact_of(self, value: Any) -> bool:
        return isinstance(value, Tensor) and self.graph.exact(value.tid)

    def shape_value(self, tensor: Tensor) -> Any:
        """``x.shape`` as the program sees it: Keras' None for a dynamic axis,
        UNKNOWN for a size shapelint could not tell."""
        shape = self.graph.shape(tensor.tid)
        if shape is None:
            return UNKNOWN
        if self.graph.exact(tensor.tid):
            return tuple(shape)
        return tuple(UNKNOWN if d is None else d for d in shape)

    def record_error(self, node, error) -> None:
        self.keras.record_construction_error(node, error)

    def keras_symbolic(self, values) -> bool:
        return not self.symbolic.trace_depth and self.symbolic.is_symbolic(values)

    def unknown_result(self, args, kwargs, node) -> Any:
        """A call we cannot follow: a tensor of unknown shape if it takes a
        tensor, otherwise an unknown value."""
        if takes_tensor(args, kwargs):
            result = self.new_tensor(None, node, inputs=[args, kwargs])
            self.symbolic.propagate([args, kwargs], result)
            return result
        return UNKNOWN

    def next_layer_id(self) -> int:
        self.layer_count += 1
        return self.layer_count - 1

    @property
    def in_uncertain_branch(self) -> bool:
        return self.uncertain > 0

    @property
    def in_uncalled_function(self) -> bool:
        return self.standalone

    # ------------------------------------------------------------ statements
    def exec_block(self, stmts, env: Env) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt, env: Env) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded()
        handler = self._statements[type(stmt)]
        if handler is None:
            return
        try:
            handler(stmt, env)
        except (ReturnSignal, BudgetExceeded, BreakSignal, ContinueSignal):
            raise
        except RecursionError:
            raise BudgetExceeded() from None
        except Exception:  # pylint: disable=broad-except
            # Code we cannot follow: forget what it assigns.
            for name in _assigned_names(stmt):
                env.set(name, UNKNOWN)

    def project_files(self) -> List[str]:
        """The project modules this analysis imported (absolute paths)."""
        return self.imports.files()

    def env_of(self, node) -> Env:
        """The module scope the code of ``node`` sees as its globals."""
        return self.imports.env_of(node)

    def exec_assign(self, stmt: nodes.Assign, env: Env) -> None:
        value = self.eval(stmt.value, env)
        for target in stmt.targets:
            if type(target) is _ASSIGN_NAME:  # assign's first case, at once (most assignments)
                env.set(target.name, value)
            else:
                self.assign(target, value, env)

    def exec_ann_assign(self, stmt: nodes.AnnAssign, env: Env) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value, env), env)

    def exec_aug_assign(self, stmt: nodes.AugAssign, env: Env) -> None:
        """``x += v``, ``self.units *= 2``, ``cfg["n"] //= 2``; on a list,
        ``+=`` extends the list itself (every name for it sees the items)."""
        target = stmt.target
        if isinstance(target, nodes.AssignName):
            current = env.lookup(target.name)
        elif isinstance(target, nodes.AssignAttr):
            current = self.attribute(self.eval(target.expr, env), target.attrname)
        elif isinstance(target, nodes.Subscript):
            current = self.eval_subscript(target, env)
        else:
            return
        value = self.eval(stmt.value, env)
        if stmt.op == "+=" and type(current) is list:  # pylint: disable=unidiomatic-typecheck
            items = iter_values(value)
            if items is None:
                current[:] = [UNKNOWN] * len(current)  # how many it gained is unknown too
                raise ValueError("unknown items added")
            current.extend(items)
            return
        self.assign(target, self.binop(stmt.op[:-1], current if current is not MISSING else UNKNOWN, value, stmt),
                    env)

    def exec_while(self, stmt: nodes.While, env: Env) -> None:
        """Unrolled while the condition is known each time (``while n > 8:
        ... n //= 2``), within the loop bounds; past that, or once a pass
        may have ended early, one widened pass."""
        outer, trips, bounded = self.unroll_product, [0], [False]

        def next_pass():
            cond = self.eval(stmt.test, env)
            if self.loop_exit_uncertain or cond is UNKNOWN or not isinstance(cond, _DECIDED):
                raise _Undecided()
            if not cond:
                return MISSING
            trips[0] += 1
            if trips[0] > MAX_UNROLL or outer * trips[0] > MAX_UNROLL_PRODUCT:
                bounded[0] = True
                raise _Undecided()
            self.unroll_product = outer * trips[0]
            self.summaries.note_unroll(self.unroll_product)
            return True

        try:
            self.unroll(stmt, env, next_pass)
        except _Undecided:
            if bounded[0]:
                self.summaries.note_cut()  # the bound decided what follows
            self.unroll_product = outer
            self.exec_loop_once(stmt.body, env)
            self.exec_block(stmt.orelse, env)
        finally:
            self.unroll_product = outer

    def exec_with(self, stmt: nodes.With, env: Env) -> None:
        for item, var in stmt.items:
            value = self.eval(item, env)
            if isinstance(value, LibraryObject):
                # what its __enter__ gives (``with tf.Session() as sess``)
                value = library.dispatch(self, LibraryCall(f"{value.type_name}.__enter__", [], {}, item,
                                                           receiver=value))
            if var is not None:
                self.assign(var, value if isinstance(value, (Tensor, ModelObj, LibraryObject)) else UNKNOWN, env)
        self.exec_block(stmt.body, env)

    def exec_try(self, stmt: nodes.Try, env: Env) -> None:
        self.exec_block(stmt.body, env)
        self.exec_block(stmt.orelse, env)
        self.exec_block(stmt.finalbody, env)

    def exec_function_def(self, stmt: nodes.FunctionDef, env: Env) -> None:
        env.set(stmt.name, self.define_function(stmt, env))

    def define_function(self, node, env: Env) -> LocalFunction:
        """A ``def`` or ``lambda`` met in ``env``: its closure, and its
        parameter defaults evaluated now, as Python does."""
        signature = self._signatures.get(node)
        if signature is None:
            signature = self._signatures[node] = _signature(node)
        defaults = {name: self.eval(default, env) for name, default in signature[2].items()}
        return LocalFunction(node, env if env is not self.env_of(node) else None, defaults)

    def exec_delete(self, stmt: nodes.Delete, env: Env) -> None:
        """``del frame["col"]``: a library object's ``__delitem__`` model."""
        for target in stmt.targets:
            if isinstance(target, nodes.Subscript):
                owner = self.eval(target.value, env)
                if isinstance(owner, LibraryObject):
                    index = self.eval_slice(target.slice, env)
                    library.dispatch(self, LibraryCall(f"{owner.type_name}.__delitem__", [index], {}, target,
                                                       receiver=owner))

    def exec_return(self, stmt: nodes.Return, env: Env) -> None:
        raise ReturnSignal(self.eval(stmt.value, env) if stmt.value is not None else None)

    def exec_if(self, stmt: nodes.If, env: Env) -> None:
        cond = self.eval(stmt.test, env)
        if _is_main_guard(stmt.test):
            cond = not self.imports.importing  # an imported module's main block does not run
        if self.certainly_true(cond):
            cond = True
        if cond is not UNKNOWN and isinstance(cond, _DECIDED):
            self.exec_block(stmt.body if cond else stmt.orelse, env)
            return
        # Unknown condition: follow both branches, then keep what is certain.
        # Calls met in a branch that may never run are marked as such: the
        # checks decide what to report of them.
        if self._inert_branches(stmt, env):
            # Nothing either branch does can bind a name or change a value
            # (``print(...)`` of plain expressions): both run on the scope
            # itself, without the copies and the join (a training loop's
            # ``if correct == guess: print(...) else: print(...)``).
            self.uncertain += 1
            try:
                self.exec_block(stmt.body, env)
                self.exec_block(stmt.orelse, env)
            finally:
                self.uncertain -= 1
            return
        branch_a, branch_b = env.copy(), env.copy()
        # A signal kept for later is kept without its traceback, and this
        # frame lets go of it as it raises it: a traceback holds this frame,
        # whose local would hold the signal again (a cycle keeping both
        # branches' environments and what they reach for the collector).
        returned = None
        self.uncertain += 1
        try:
            try:
                self.exec_block(stmt.body, branch_a)
            except (ReturnSignal, BreakSignal, ContinueSignal) as ret:
                returned = ret.with_traceback(None)
                branch_a = None
            try:
                self.exec_block(stmt.orelse, branch_b)
            except (ReturnSignal, BreakSignal, ContinueSignal) as ret:
                if returned is not None:
                    if type(returned) is not type(ret):  # pylint: disable=unidiomatic-typecheck
                        self.loop_exit_uncertain = True  # one path leaves, the other skips: both end the pass
                        raise ContinueSignal() from None
                    try:
                        raise returned from None
                    finally:
                        returned = None
                returned = ret.with_traceback(None)
                branch_b = None
        finally:
            self.uncertain -= 1
        if isinstance(returned, (BreakSignal, ContinueSignal)):
            self.loop_exit_uncertain = True  # the loop may end or skip here, or not
        if branch_a is None and branch_b is None:
            try:
                raise returned
            finally:
                returned = None
        if branch_a is None or branch_b is None:
            survivor = branch_a or branch_b
            env.vars.update((name, written_back(value, survivor)) for name, value in survivor.vars.items())
            return
        merge_into(self.graph, env, branch_a, branch_b)

    def _inert_branches(self, stmt: nodes.If, env: Env) -> bool:
        """Every statement of both branches is ``print(...)`` (the builtin:
        no scope binds the name, no star import could) or ``pass``, and the
        arguments call nothing and bind nothing: running them can change no
        name and no value, only evaluate (``_inert_statement``)."""
        inert = self._inert_ifs.get(stmt)
        if inert is None:
            inert = self._inert_ifs[stmt] = all(_inert_statement(s) for s in stmt.body + stmt.orelse)
        return inert and _builtin_print(env)

    def exec_for(self, stmt: nodes.For, env: Env) -> None:
        iterable = self.eval(stmt.iter, env)
        if isinstance(iterable, Generator):
            self.exhaust(iterable)  # its items are not followed one by one
            iterable = UNKNOWN
        items = iter_values(iterable)
        if items is not None and len(items) <= MAX_UNROLL and len(items) * self.unroll_product > MAX_UNROLL_PRODUCT:
            self.summaries.note_cut()  # the loops around decided it
            items = None
        if items is not None and len(items) <= MAX_UNROLL:
            outer = self.unroll_product
            self.unroll_product = outer * max(len(items), 1)
            self.summaries.note_unroll(self.unroll_product)
            try:
                if len(items) >= loop_passes.MIN_ITEMS and self._repeating(stmt, env):
                    self.unroll_repeating(stmt, env, items)
                else:
                    passes = iter(items)
                    self.unroll(stmt, env, lambda: next(passes, MISSING))
            finally:
                self.unroll_product = outer
            return
        # numpy: iterating over an array gives its rows.
        row = numpy_arrays.element_of(iterable)
        if row is None:
            row = tf_data.items_of(iterable)  # for images, labels in train_ds
        self.assign(stmt.target, UNKNOWN if row is None else row, env)
        pushed = self.loops.push(stmt.target, iterable, stmt.iter, env)
        try:
            self.exec_loop_once(stmt.body, env)
        finally:
            self.loops.pop(pushed)

    def unroll(self, stmt, env: Env, next_pass: Callable[[], Any]) -> None:
        """Run a loop's passes as Python does (``next_pass()`` gives each
        pass's item, MISSING when the loop ends): ``continue`` ends a pass,
        ``break`` the loop (its ``else`` then does not run).  Once a pass
        may have ended early (a break or continue in an undecided branch),
        the rest is conditional and what the loop leaves is widened, as for
        a loop whose trip count is unknown."""
        saved, self.loop_exit_uncertain = self.loop_exit_uncertain, False
        widening, uncertain, broke = LoopWidening(env), False, False
        try:
            while True:
                item = next_pass()
                if item is MISSING:
                    break
                if isinstance(stmt, nodes.For):
                    self.assign(stmt.target, item, env)
                try:
                    self.exec_block(stmt.body, env)
                except ContinueSignal:
                    pass
                except BreakSignal:
                    broke = True
                    break
                finally:
                    if self.loop_exit_uncertain and not uncertain:
                        uncertain = True
                        self.uncertain += 1
        finally:
            if uncertain:
                self.uncertain -= 1
                widening.widen(self.graph)
            self.loop_exit_uncertain = saved
        if not broke:
            self.exec_block(stmt.orelse, env)

    def unroll_repeating(self, stmt: nodes.For, env: Env, items: list) -> None:
        """``unroll`` for a loop ``_repeating`` says may repeat its passes
        (no ``break``, ``continue`` or ``else`` of its own): the 2nd pass is
        watched, and when the rest would repeat it they are counted, not run
        (``loop_passes``)."""
        saved, self.loop_exit_uncertain = self.loop_exit_uncertain, False
        try:
            for done, item in enumerate(items):
                self.assign(stmt.target, item, env)
                watch = loop_passes.PassWatch(self) if done == 1 and not self.summaries.active else None
                try:
                    self.exec_block(stmt.body, env)
                finally:
                    if watch is not None:
                        watch.stop()
                if watch is not None:
                    observed = watch.repeated()
                    if observed is not None and loop_passes.account(
                            self, len(items) - done - 1, observed, MAX_STEPS, MAX_INLINES_PER_FUNCTION):
                        self.assign(stmt.target, items[-1], env)  # where the last pass leaves it
                        return
        finally:
            self.loop_exit_uncertain = saved

    def _repeating(self, stmt, env: Env) -> bool:
        """``stmt``, a ``for`` loop, repeats its passes by its text
        (``loop_passes.repeats``), the builtin ``print`` is meant, and no
        loop around follows data in one widened pass."""
        if not loop_passes.ENABLED or self.widening or self.loops.ranges:
            return False
        known = self._repeats.get(stmt)
        if known is None:
            known = self._repeats[stmt] = isinstance(stmt, nodes.For) and loop_passes.repeats(stmt)
        return known and _builtin_print(env)

    def exec_loop_once(self, body, env: Env) -> None:
        """A loop whose trip count is unknown: one pass, then widen."""
        widening = LoopWidening(env)
        self.widening += 1
        try:
            self.exec_block(body, env)
        except (BreakSignal, ContinueSignal):
            pass
        finally:
            self.widening -= 1
        widening.widen(self.graph)

    def store_attribute(self, owner: Any, name: str, value: Any) -> None:
        """``owner.name = value`` on an instance or class of the program, or
        one of its modules.  Written where it may not run (an undecided
        branch) the attribute is either value; in a loop followed once, a
        value that changes is unknown."""
        if isinstance(owner, (Instance, LocalClass)) and Env.observer is not None:
            Env.observer.note_store(owner)  # (the calls under way changed an object they did not make)
        if isinstance(owner, Instance):
            attrs = owner.attrs
        elif isinstance(owner, LocalClass):
            attrs = self.classes.class_overrides(owner)
        elif isinstance(owner, ProjectModule):
            attrs = owner.env.vars
            if Env.observer is not None:
                Env.observer.note_write(owner.env)  # what other calls read there changed
        else:
            return
        old = attrs.get(name, MISSING)
        if isinstance(owner, LocalClass) and old is MISSING:
            old = self.classes.class_attrs(owner).get(name, MISSING)
        if old is not MISSING and self.widening:
            value = value if join(self.graph, old, value) is old else UNKNOWN
        elif old is not MISSING and self.uncertain:
            value = join(self.graph, old, value)
        attrs[name] = value
        if isinstance(owner, LocalClass):
            self.classes.forget_class_attrs()

    def assign(self, target, value, env: Env) -> None:
        if isinstance(target, nodes.AssignName):
            env.set(target.name, value)
        elif isinstance(target, (nodes.Tuple, nodes.List)):
            elts = target.elts
            values = iter_values(value)
            starred = [i for i, e in enumerate(elts) if isinstance(e, nodes.Starred)]
            if values is not None and not starred and len(values) == len(elts):
                for elt, val in zip(elts, values):
                    self.assign(elt, val, env)
            else:
                for elt in elts:
                    inner = elt.value if isinstance(elt, nodes.Starred) else elt
                    self.assign(inner, UNKNOWN, env)
        elif isinstance(target, nodes.AssignAttr):
            owner = self.eval(target.expr, env)
            if isinstance(owner, LibraryObject):
                # frame.columns = [...]: the library model updates the object.
                done = library.dispatch(self, LibraryCall(f"{owner.type_name}.__setattr__", [target.attrname, value],
                                                          {}, target, receiver=owner))
                if done is library.DECLINE:
                    owner.attrs[target.attrname] = value
            else:
                self.store_attribute(owner, target.attrname, value)
        elif isinstance(target, nodes.Subscript):
            # frame["col"] = ...: the library model updates the object;
            # d[k] = ... and xs[i] = ... update the dict or list.  Array
            # element assignments (x[:, 0] = ...) keep the array's shape.
            owner = self.eval(target.value, env)
            if isinstance(owner, LibraryObject):
                # each part of frame.loc[mask, "c"] as far as it is known
                index = (tuple(self.eval_slice(e, env) for e in target.slice.elts)
                         if isinstance(target.slice, nodes.Tuple) else self.eval_slice(target.slice, env))
                library.dispatch(self, LibraryCall(f"{owner.type_name}.__setitem__", [index, value], {}, target,
                                                   receiver=owner))
            elif isinstance(owner, (dict, list)):
                index = self.eval_slice(target.slice, env)
                _store_item(owner, index, value)
                if isinstance(owner, dict) and not _known_key(index):
                    self._forget_container(target.value, owner, env)

    def _forget_container(self, node, owner: dict, env: Env) -> None:
        """``d[key] = v`` with a key the code does not show (a loop filling
        a mapping from file lines): the dict may now hold any keys, which
        it cannot say, so the name or attribute that holds it becomes
        unknown where it is bound."""
        if isinstance(node, nodes.Name):
            scope: Optional[Env] = env
            while scope is not None and node.name not in scope.vars:
                scope = scope.parent
            if scope is not None and scope.vars[node.name] is owner:
                scope.vars[node.name] = UNKNOWN
                if scope is not env and Env.observer is not None:
                    Env.observer.note_write(scope)  # what other calls read there changed
        elif isinstance(node, nodes.Attribute):
            holder = self.eval(node.expr, env)
            if isinstance(holder, (Instance, LocalClass, ProjectModule)):
                self.store_attribute(holder, node.attrname, UNKNOWN)

    # ----------------------------------------------------------- expressions
    def eval(self, node, env: Env) -> Any:
        kind = type(node)
        if kind is _CONST:  # the commonest expressions first, without the table's handlers
            return node.value
        try:
            if kind is _NAME:  # eval_name_node, inlined
                value = env.lookup(node.name)
                return value if value is not MISSING else self._unbound_name(node.name, env)
            handler = self._expressions[kind]
            if handler is None:
                return UNKNOWN
            return handler(node, env)
        except (ReturnSignal, BudgetExceeded):
            raise
        except RecursionError:
            raise BudgetExceeded() from None
        except Exception:  # pylint: disable=broad-except
            return UNKNOWN

    def eval_elts(self, elts, env: Env) -> List[Any]:
        out: List[Any] = []
        for elt in elts:
            if type(elt) in _PLAIN_ELEMENTS:  # most arguments: the tests below, at once
                out.append(self.eval(elt, env))
            elif isinstance(elt, nodes.GeneratorExp):
                # f(x for x in xs): consumed by the call, as the list would be
                out.append(self.eval_comprehension(elt, env))
            elif isinstance(elt, nodes.Starred):
                values = iter_values(self.eval(elt.value, env))
                if values is None:
                    raise ValueError("unknown starred")
                out.extend(values)
            else:
                out.append(self.eval(elt, env))
        return out

    def eval_set(self, node: nodes.Set, env: Env) -> Any:
        """A set literal of keys the code shows (``{"relu", "gelu"}``), for
        ``in`` tests; UNKNOWN otherwise (and never iterated: its order is
        Python's hash order)."""
        items = self.eval_elts(node.elts, env)
        return frozenset(items) if all(_known_key(item) for item in items) else UNKNOWN

    def eval_dict(self, node: nodes.Dict, env: Env) -> Any:
        out = {}
        for key, value in node.items:
            k = self.eval(key, env)
            try:
                out[k] = self.eval(value, env)
            except TypeError:
                return UNKNOWN
        return out

    def eval_unaryop(self, node: nodes.UnaryOp, env: Env) -> Any:
        operand = self.eval(node.operand, env)
        if node.op == "-" and (isinstance(operand, (int, float)) or dims.is_symbolic(operand)):
            return -operand
        if node.op == "not" and is_plain(operand):
            return not operand
        if node.op == "+" and isinstance(operand, (int, float)):
            return operand
        if node.op == "-" and isinstance(operand, Tensor):
            # KerasTensor.__neg__ is keras.ops.negative, a TensorFlow
            # tensor's tf.negative: element-wise, the operand's shape
            # (unary + and ~ are left unknown: a KerasTensor has no
            # __pos__, and ~ depends on the dtype)
            result = self.new_tensor(self.graph.shape(operand.tid), node,
                                     exact=self.graph.exact(operand.tid), inputs=[operand])
            self.symbolic.propagate(operand, result)
            return result
        return UNKNOWN

    def eval_ifexp(self, node: nodes.IfExp, env: Env) -> Any:
        cond = self.eval(node.test, env)
        if self.certainly_true(cond):
            return self.eval(node.body, env)
        if is_plain(cond):
            return self.eval(node.body if cond else node.orelse, env)
        self.uncertain += 1
        try:
            return join(self.graph, self.eval(node.body, env), self.eval(node.orelse, env))
        finally:
            self.uncertain -= 1

    def eval_boolop(self, node: nodes.BoolOp, env: Env) -> Any:
        """Python's short circuit: ``a and b`` is ``a`` when ``a`` is a plain
        falsy value (``b`` is not evaluated: ``x and len(x) == 3`` of a None
        x), ``a or b`` is ``a`` when it is truthy."""
        values = []
        for operand in node.values:
            value = self.eval(operand, env)
            values.append(value)
            if node.op == "or" and self.certainly_true(value) and all(is_plain(v) for v in values[:-1]):
                return value  # every operand before it was falsy
            if is_plain(value) and (not value if node.op == "and" else value):
                if all(is_plain(v) for v in values):
                    return value
                break
        if all(is_plain(v) for v in values) and len(values) == len(node.values):
            result = values[0]
            for v in values[1:]:
                result = (result and v) if node.op == "and" else (result or v)
            return result
        return UNKNOWN

    def certainly_true(self, value: Any) -> bool:
        """An object Python holds true whatever it holds: a Keras layer or
        model (neither defines ``__bool__`` or ``__len__``: ``backbone if
        backbone else get_backbone()``), the program's own functions and
        classes, an instance of its Keras subclass that defines neither."""
        if isinstance(value, (LayerObj, LayerHandle, ModelObj, LocalFunction, LocalClass)):
            return True
        return isinstance(value, Instance) and bool(value.keras) and not any(
            self.classes.find_method(value.cls, name) is not None for name in ("__bool__", "__len__"))

    def eval_name_node(self, node: nodes.Name, env: Env) -> Any:
        """``eval_name(node.name, env)``, one call less (the commonest expression)."""
        value = env.lookup(node.name)
        if value is not MISSING:
            return value
        return self._unbound_name(node.name, env)

    def eval_name(self, name: str, env: Env) -> Any:
        value = env.lookup(name)
        if value is not MISSING:
            return value
        return self._unbound_name(name, env)

    def _unbound_name(self, name: str, env: Env) -> Any:
        """A name no scope binds: a star import's, a builtin, a snippet's Keras name."""
        for modname in env.star_modules:
            if is_keras_layers_module(modname) or classify(f"{modname}.{name}") is not None:
                ref = Ref(f"{modname}.{name}")
                if classify(ref.qualname) is not None:
                    return ref
        if name in _BUILTIN_NAMES:
            return Ref(f"builtins.{name}")
        if name in self.snippet_names:
            return Ref(self.snippet_names[name])
        return UNKNOWN

    def eval_attribute(self, node: nodes.Attribute, env: Env) -> Any:
        return self.attribute(self.eval(node.expr, env), node.attrname)

    def attribute(self, obj: Any, name: str) -> Any:
        handler = self._attributes[type(obj)]
        return UNKNOWN if handler is None else handler(obj, name)

    def tensor_attribute(self, base: Tensor, name: str) -> Any:
        if name == "shape":
            return self.shape_value(base)
        if name == "ndim":
            shape = self.graph.shape(base.tid)
            return len(shape) if shape is not None else UNKNOWN
        return BoundMethod(base, name)

    def tuple_attribute(self, base: tuple, name: str) -> Any:
        """``x.shape.rank`` / ``x.shape.ndims`` in a traced call(): Keras
        traces it with TensorFlow tensors, whose ``shape`` is a
        ``TensorShape`` (shapelint holds it as a tuple): its rank is its
        length.  A KerasTensor's shape outside a call() is a plain tuple,
        which has neither attribute (Python raises): left unknown."""
        if name in ("rank", "ndims") and self.symbolic.trace_depth:
            return len(base)
        return BoundMethod(base, name)

    def eval_joined_str(self, node: nodes.JoinedStr, env: Env) -> Any:
        """An f-string naming an attribute (``setattr(self, f"dec_layer_{i}",
        layer)``, ``getattr(self, f"dec_layer_{i}")``) of values the code
        shows: the string Python makes.  Any other f-string, or a part that
        is not a plain str or int or is formatted (a conversion or a format
        spec): SOME_STR -- a layer's ``name=f"block{b}"`` stays one value,
        so builder calls that differ only there share a summary."""
        call = node.parent
        if not (isinstance(call, nodes.Call) and isinstance(call.func, nodes.Name)
                and call.func.name in _ATTRIBUTE_FUNCTIONS and len(call.args) > 1 and call.args[1] is node):
            return SOME_STR
        parts = []
        for part in node.values:
            if isinstance(part, nodes.Const) and isinstance(part.value, str):
                parts.append(part.value)
                continue
            if not isinstance(part, nodes.FormattedValue) or part.format_spec is not None \
                    or part.conversion not in (None, -1):
                return SOME_STR
            value = self.eval(part.value, env)
            if not (isinstance(value, str) or dims.is_int(value)):
                return SOME_STR
            parts.append(str(value))
        return "".join(parts)

    def eval_subscript(self, node: nodes.Subscript, env: Env) -> Any:
        base = self.eval(node.value, env)
        if isinstance(base, Tensor):
            shape = self.graph.shape(base.tid)
            exact = self.graph.exact(base.tid)
            keras_tensor = self.symbolic.keras_version >= 3 and not self.symbolic.trace_depth \
                and self.symbolic.is_symbolic(base)
            if shape is not None and not keras_tensor:
                shape, index, exact = self._tensor_index(node.slice, env, tuple(shape), exact)
            else:
                index = self.eval_slice(node.slice, env)
            sliced = None
            if shape is not None and index is not UNKNOWN and not _indexes_with_arrays(index):
                sliced = subscript(Array(tuple(shape)), index)
            # numpy-style basic indexing keeps each remaining axis as it is.
            result = self.new_tensor(sliced.shape if isinstance(sliced, Array) else None, node,
                                     exact=exact, inputs=[base])
            self.symbolic.propagate(base, result)
            return result
        index = self.eval_slice(node.slice, env)
        if index is UNKNOWN:
            if isinstance(base, Array):
                found = self.loops.subscript(node, env, base)  # x[i:i + w] in a loop over i
                return found if found is not None else self._open_array_index(node.slice, env, base)
            if isinstance(base, LibraryObject) and isinstance(node.slice, nodes.Slice):
                key = self._open_slice(node.slice, env)
                if key is not UNKNOWN:  # frame[:split]: rows of a number the code does not show
                    value = library.dispatch(self, LibraryCall(f"{base.type_name}.__getitem__", [key], {}, node,
                                                               receiver=base))
                    return UNKNOWN if value is library.DECLINE else value
            if isinstance(base, dict):
                # d[key] with a key the code does not show: what every entry shares.
                return numpy_arrays.shared_value(list(base.values()))
            return UNKNOWN
        if isinstance(base, Array):
            return subscript(base, index)
        if isinstance(base, LibraryObject):
            value = library.dispatch(self, LibraryCall(f"{base.type_name}.__getitem__", [index], {}, node,
                                                       receiver=base))
            return UNKNOWN if value is library.DECLINE else value
        if isinstance(base, (tuple, list, str, dict)):
            if isinstance(base, list) and any(v is MORE_ITEMS for v in base):
                return UNKNOWN  # items.extend(<unknown>) made them unknown
            try:
                item = base[index]
            except Exception:  # pylint: disable=broad-except
                return UNKNOWN
            # a slice of tf.shape(x) is still a tensor (TensorFlow's strided_slice)
            return type(base)(item) if isinstance(base, ShapeTensor) and isinstance(index, slice) else item
        if isinstance(base, ListOf) and dims.is_int(index) and (
                base.count is None or -base.count <= index < base.count):
            return base.item  # one item of a list whose items share a shape
        return UNKNOWN

    def _tensor_index(self, node, env: Env, shape: tuple, exact: bool):
        """The index of a TensorFlow tensor (not a KerasTensor), which may
        hold sizes known at run time (``record[1:length + 1]``,
        ``x[:tf.shape(y)[0]]``, ``x[i]`` of a scalar tensor ``i``): a scalar
        tensor index drops its axis, and a slice with such a bound makes
        strided_slice's bounds a tensor TensorFlow's shape inference cannot
        read: every sliced axis but the whole ones (``:``) has size None.  A
        bound the code does not show keeps its axis too, of a size not known
        to be None.  (shape, index, exact) to index
        the shape with; the index is UNKNOWN when an item is none of these
        nor what ``eval_slice`` takes."""
        items = list(node.elts) if isinstance(node, nodes.Tuple) else [node]
        index: List[Any] = []
        runtime_axes: List[int] = []  # position in ``index`` of each item of run-time values
        for item in items:
            if isinstance(item, nodes.Slice):
                parts = [self.eval(p, env) if p is not None else None for p in (item.lower, item.upper, item.step)]
                if all(p is None or dims.is_int(p) for p in parts):
                    index.append(slice(*parts))
                    continue
                if parts[2] is not None or not all(p is None or dims.is_int(p) or self._runtime_int(p)
                                                   or p is UNKNOWN for p in parts):
                    return shape, UNKNOWN, exact
                exact = exact and UNKNOWN not in parts
                runtime_axes.append(len(index))
                index.append(slice(0, None))  # sliced: of size None below
                continue
            value = self.eval(item, env)
            if self._runtime_int(value):
                runtime_axes.append(len(index))
                value = 0  # an int index: the axis goes
            else:
                value = self._index_item(value)
                if value is UNKNOWN:
                    return shape, UNKNOWN, exact
            index.append(value)
        if not runtime_axes:
            return shape, tuple(index), exact
        consumed = sum(0 if i is None or i is Ellipsis else 1 for i in index)
        if index.count(Ellipsis) > 1 or consumed > len(shape):
            return shape, UNKNOWN, exact
        new_shape, axis = list(shape), 0
        for at, item in enumerate(index):
            if item is Ellipsis:
                axis += len(shape) - consumed
            elif item is not None:
                if isinstance(item, slice) and item != slice(None):
                    new_shape[axis] = None
                    index[at] = slice(None)
                axis += 1
        return tuple(new_shape), tuple(index), exact

    def _open_array_index(self, node, env: Env, base: Array) -> Any:
        """``x[:split]``, ``x[n_train:, 1:]`` with a bound the code does not
        show (a count computed from the data): numpy keeps a sliced axis
        whatever its bounds, so the array keeps its rank (and every axis
        the index does not slice); the sliced axes' sizes are not known."""
        if base.shape is None:
            items = node.elts if isinstance(node, nodes.Tuple) else [node]
            if all(isinstance(i, nodes.Slice) for i in items) and all(
                    self._open_slice(i, env) is not UNKNOWN for i in items):
                return Array(None, base.dtype)
            return UNKNOWN
        items = list(node.elts) if isinstance(node, nodes.Tuple) else [node]
        index: List[Any] = []
        for item in items:
            value = self._open_slice(item, env) if isinstance(item, nodes.Slice) else \
                self._index_item(self.eval(item, env))
            if value is UNKNOWN:
                return UNKNOWN
            index.append(value)
        consumed = sum(0 if i is None or i is Ellipsis else
                       len(i.shape) if isinstance(i, Array) and i.dtype == "bool" and i.shape else 1 for i in index)
        if index.count(Ellipsis) > 1 or consumed > len(base.shape):
            return UNKNOWN
        # Each sliced axis of a bound not shown: of unknown size, indexed as ``:``.
        shape, axis = list(base.shape), 0
        for at, item in enumerate(index):
            if item is Ellipsis:
                axis += len(base.shape) - consumed
            elif item is not None:
                if isinstance(item, slice) and UNKNOWN in (item.start, item.stop, item.step):
                    shape[axis] = None
                    index[at] = slice(None)
                if isinstance(item, Array) and item.dtype == "bool" and item.shape:
                    axis += len(item.shape)
                else:
                    axis += 1
        # the values a part of the array holds may be fewer (``distinct``)
        return subscript(Array(tuple(shape), base.dtype, base.classes, base.onehot), tuple(index))

    def _open_slice(self, node: nodes.Slice, env: Env) -> Any:
        """A slice whose bounds are ints, None, or ints the code does not
        show (UNKNOWN): as a ``slice`` (its unknown bounds UNKNOWN), else
        UNKNOWN."""
        parts = [self.eval(p, env) if p is not None else None for p in (node.lower, node.upper, node.step)]
        if not all(p is None or p is UNKNOWN or dims.is_int(p) for p in parts):
            return UNKNOWN
        return slice(*parts)

    def _runtime_int(self, value: Any) -> bool:
        """A scalar tensor (or ``tf.shape(x)[i]`` of a dynamic axis): an int
        TensorFlow knows at run time."""
        return value is RUNTIME or isinstance(value, Tensor) and self.graph.shape(value.tid) == ()

    def eval_slice(self, node, env: Env) -> Any:
        if isinstance(node, nodes.Tuple):
            parts = tuple(self.eval_slice(e, env) for e in node.elts)
            return UNKNOWN if any(p is UNKNOWN for p in parts) else parts
        if isinstance(node, nodes.Slice):
            parts = [self.eval(p, env) if p is not None else None for p in (node.lower, node.upper, node.step)]
            # ints, or labels (frame.loc[:, "a":"c"])
            if any(p is UNKNOWN or not (p is None or isinstance(p, (int, str))) for p in parts):
                return UNKNOWN
            return slice(*parts)
        return self._index_item(self.eval(node, env))

    @staticmethod
    def _index_item(value: Any) -> Any:
        """One item of an index, as numpy reads it; UNKNOWN for a value it
        does not take."""
        if isinstance(value, Ref) and normalise(value.qualname) in ("numpy.newaxis", "tensorflow.newaxis"):
            return None
        if value is None or value is Ellipsis:
            return value
        if isinstance(value, str) or dims.is_int(value):
            return value
        if isinstance(value, (Array, list)):
            return value  # numpy's integer-array and boolean indexing; frame["a", "b"]
        return UNKNOWN

    def eval_compare(self, node: nodes.Compare, env: Env) -> Any:
        left = self.eval(node.left, env)
        result = True
        for op, right_node in node.ops:
            right = self.eval(right_node, env)
            kinds = (type(left), type(right))
            if (kinds[0] in _NUMBERS and kinds[1] in _NUMBERS or kinds == _STRINGS) and op in _ORDERING:
                # two numbers or two strings (``if strides == 2``): what the tests below decide for them
                result = result and _COMPARE[op](left, right)
                left = right
                continue
            if (isinstance(left, Array) or isinstance(right, Array)) and len(node.ops) == 1 and op in _ORDERING:
                return numpy_arrays.compare(left, right)  # y == 1: a boolean array
            if op in ("is", "is not") and (left is None) != (right is None) and _not_none(
                    right if left is None else left):
                result = result and op == "is not"  # a tensor, a layer ... is not None
                left = right
                continue
            if op in ("is", "is not", "==", "!=") and _builtin_ref(left) and _builtin_ref(right):
                same = left.qualname == right.qualname  # type(n) is list
                result = result and (same if op in ("is", "==") else not same)
                left = right
                continue
            if op in ("in", "not in"):
                found = _contains(left, right)
                if found is UNKNOWN:
                    return UNKNOWN
                result = result and (found if op == "in" else not found)
                left = right
                continue
            if not (is_plain(left) and is_plain(right)) or op not in _COMPARE:
                return UNKNOWN
            if op in ("is", "is not") and not (left is None or right is None) \
                    and not (type(left) is bool and type(right) is bool):  # pylint: disable=unidiomatic-typecheck
                return UNKNOWN  # (True and False are singletons: ``batch_norm is True``)
            try:
                result = result and _COMPARE[op](left, right)
            except Exception:  # pylint: disable=broad-except
                return UNKNOWN
            left = right
        return result

    def eval_comprehension(self, node: nodes.ListComp, env: Env) -> Any:
        if len(node.generators) != 1:
            return UNKNOWN
        gen = node.generators[0]
        iterable = self.eval(gen.iter, env)
        items = iter_values(iterable)
        if items is None or len(items) > MAX_UNROLL:
            return self.loops.comprehension(node, gen, iterable, env)
        inner = Env(env)
        out = []
        for item in items:
            self.assign(gen.target, item, inner)
            conditions = [self.eval(cond, inner) for cond in gen.ifs]
            if any(c is UNKNOWN for c in conditions):
                # an item kept or not, the code does not tell: the list's
                # length and items are not known (dropping it claimed less)
                return self.loops.comprehension(node, gen, iterable, env)
            if not all(conditions):
                continue
            out.append(self.eval(node.elt, inner))
        return out

    def eval_dict_comprehension(self, node: nodes.DictComp, env: Env) -> Any:
        """``{k: v for ...}`` of one generator over items the code shows:
        the dict Python makes (a key it cannot tell, or a condition it cannot
        decide, makes the whole dict unknown)."""
        if len(node.generators) != 1:
            return UNKNOWN
        gen = node.generators[0]
        items = iter_values(self.eval(gen.iter, env))
        if items is None or len(items) > MAX_UNROLL:
            return UNKNOWN
        inner = Env(env)
        out: Dict[Any, Any] = {}
        for item in items:
            self.assign(gen.target, item, inner)
            conditions = [self.eval(cond, inner) for cond in gen.ifs]
            if any(c is UNKNOWN for c in conditions):
                return UNKNOWN
            if not all(conditions):
                continue
            key = self.eval(node.key, inner)
            if not _known_key(key):
                return UNKNOWN
            out[key] = self.eval(node.value, inner)
        return out

    def binop(self, op: str, left: Any, right: Any, node=None) -> Any:
        """``left op right``; ``node`` (the BinOp or AugAssign) is where an
        error the operation raises is reported."""
        if type(left) in _ARITHMETIC and type(right) in _ARITHMETIC:
            try:  # two numbers (``filters_in * expand_ratio``): what the tests below come to for them
                return _python_binop(op, left, right)
            except Exception:  # pylint: disable=broad-except
                return UNKNOWN
        left, right = _number_constant(left), _number_constant(right)
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self.tensor_binop(left, right, op, node)
        if isinstance(left, ShapeTensor) or isinstance(right, ShapeTensor):
            return _shape_tensor_binop(op, left, right)
        if op == "+" and (is_text(left) and (is_text(right) or right is UNKNOWN)
                          or is_text(right) and left is UNKNOWN) and not (
                              isinstance(left, str) and isinstance(right, str)):
            return SOME_STR  # "<start> " + token: still a string, content unknown
        if isinstance(left, Array) or isinstance(right, Array):
            refused = broadcast_refused(left, right, op)
            if refused is not None and node is not None:  # numpy raises: the program stops there
                self.record_error(node, ShapeError(
                    INCOMPATIBLE_OP_OPERANDS, f"{_operation_text(node, op)} {refused}",
                    "element-wise operands need equal sizes (or 1) on each axis counted from the last"))
            return array_binop(left, right, op)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        num = (int, float)
        if (isinstance(left, num) or dims.is_symbolic(left)) and (
            isinstance(right, num) or dims.is_symbolic(right)
        ):
            if isinstance(left, bool) or isinstance(right, bool):
                return UNKNOWN
            if dims.is_symbolic(left) or dims.is_symbolic(right):
                symbolic = _SYMBOLIC_OPS.get(op)
                return symbolic(left, right) if symbolic is not None else UNKNOWN
        try:
            return _python_binop(op, left, right)
        except Exception:  # pylint: disable=broad-except
            return UNKNOWN

    def tensor_binop(self, left: Any, right: Any, op: str = "+", node=None) -> Tensor:
        """``x + y`` on Keras tensors broadcasts like numpy.  Operands that
        cannot broadcast stop the program there (``KerasTensor.__add__`` is
        ``keras.ops.add``, a TensorFlow tensor's is ``tf.add``): the error is
        recorded at ``node`` and the result has no shape.  ``x @ y`` of two
        tensors is ``keras.ops.matmul`` on KerasTensors, else ``tf.matmul``."""
        shapes, exact = [], True
        for operand in (left, right):
            if isinstance(operand, Tensor):
                shapes.append(self.graph.shape(operand.tid))
                exact = exact and self.graph.exact(operand.tid)
            elif isinstance(operand, (int, float)) and not isinstance(operand, bool):
                shapes.append(())
            elif isinstance(operand, Array) and operand.shape is not None:
                shapes.append(tuple(operand.shape))  # data: a constant of its shape (a 0-d one: a number)
            else:
                shapes.append(None)
        symbolic = self.keras_symbolic([left, right])
        if op == "@":
            return self._tensor_matmul(left, right, shapes, exact, symbolic, node)
        if op in _BROADCASTING_OPERATORS:
            try:
                refuse_broadcast(shapes[0], shapes[1], tf=False)
            except Refused as refused:
                if node is not None:
                    self.record_error(node, refused.error(_operation_text(node, op), symbolic, call=False))
                shapes = [None, None]
        shape, exact_broadcast = broadcast_result(*shapes)
        result = self.new_tensor(shape, exact=exact and exact_broadcast, inputs=[left, right])
        self.symbolic.propagate([left, right], result)
        return result

    def _tensor_matmul(self, left, right, shapes, exact, symbolic, node) -> Tensor:
        """``x @ y``: Keras' matmul rule on KerasTensors (1-D operands
        promoted), TensorFlow's on its own tensors.  Only two tensors are
        multiplied (a numpy operand may be multiplied by numpy itself)."""
        shape, ok = None, False
        if isinstance(left, Tensor) and isinstance(right, Tensor) and None not in shapes:
            try:
                shape, ok = matmul_result(tuple(shapes[0]), tuple(shapes[1]), tf=not symbolic)
            except Refused as refused:
                if node is not None:
                    self.record_error(node, refused.error(_operation_text(node, "@"), symbolic, call=False))
        result = self.new_tensor(shape, exact=exact and ok, inputs=[left, right])
        self.symbolic.propagate([left, right], result)
        return result

    # ----------------------------------------------------------------- calls
    def eval_call(self, node: nodes.Call, env: Env) -> Any:
        func = self.eval(node.func, env)
        if self.summaries.call_watch and node in self.summaries.call_watch:
            self.summaries.note_callee(node, func)
        args = self.eval_elts(node.args, env)
        callee = node.func
        if (callee.attrname if isinstance(callee, nodes.Attribute) else getattr(callee, "name", "")) \
                == "get_submodules_from_kwargs":
            # keras_applications / segmentation_models (imported from their own
            # package too): the Keras modules passed in (library/keras_backend.py).
            func = Ref("keras_applications.get_submodules_from_kwargs")
        kwargs: Dict[str, Any] = {}
        for kw in node.keywords or []:
            if kw.arg is None:
                extra = self.eval(kw.value, env)
                if isinstance(extra, dict) and all(isinstance(k, str) for k in extra):
                    kwargs.update(extra)
                else:
                    kwargs[MORE_KWARGS] = UNKNOWN  # f(**cfg) with cfg unknown
                continue
            kwargs[kw.arg] = self.eval(kw.value, env)
        if isinstance(func, Ref) and func.qualname == "builtins.super":
            return self.classes.make_super(node, env, args)
        if MORE_KWARGS in kwargs and not isinstance(func, LocalFunction):
            # Any keyword may be in there (Conv2D(**cfg) with its strides):
            # only a function of the program can still be followed.
            return self.unknown_result(args, kwargs, node)
        return self.call(func, args, kwargs, node)

    def call(self, func: Any, args: List[Any], kwargs: Dict[str, Any], node) -> Any:
        handler = self._callees[type(func)]
        if handler is None:
            return self.unknown_result(args, kwargs, node)
        return handler(func, args, kwargs, node)

    def call_ref(self, ref: Ref, args, kwargs, node) -> Any:
        kind = classify(ref.qualname)
        if kind is not None:
            if kind[0] == "layer" and self.symbolic.keras_version >= 3 and missing_in_keras3(ref.qualname, kind[1]):
                return self.unknown_result(args, kwargs, node)  # Keras 3 raises AttributeError
            return self.keras.construct(kind, args, kwargs, node)
        return self.call_library(ref, args, kwargs, node)

    def call_library(self, ref: Ref, args, kwargs, node) -> Any:
        """Keras' own APIs first (backbones, loss objects), then the library
        models; a call nobody models gives the unknown result."""
        norm = normalise(ref.qualname)
        if norm.startswith("tensorflow."):  # (check_tf_call's own first test, asked here)
            self.symbolic.check_tf_call(norm, args, kwargs, node)
        value = library.DECLINE
        if norm.startswith("keras."):  # backbones and loss objects are keras.* names
            value = self.keras.call_keras_api(norm, args, kwargs, node)
            if value is library.DECLINE:
                value = self.training.call_keras_api(norm, args, kwargs, node)
        if value is library.DECLINE:
            value = library.dispatch(self, LibraryCall(norm, list(args), kwargs, node, spelled=ref.qualname))
        if value is library.DECLINE:
            return self.unknown_result(args, kwargs, node)
        self.symbolic.propagate([args, kwargs], value)
        return value

    def call_choice(self, chosen: Choice, args, kwargs, node) -> Any:
        """Each option called as in an uncertain branch, the results joined."""
        self.uncertain += 1
        try:
            results = [self.call(option, list(args), dict(kwargs), node) for option in chosen.options]
        finally:
            self.uncertain -= 1
        out = results[0]
        for result in results[1:]:
            out = join(self.graph, out, result)
        return out

    def call_method(self, method: BoundMethod, args, kwargs, node) -> Any:
        handler = self._receivers[type(method.obj)]
        if handler is None:
            return self.unknown_result(args, kwargs, node)
        return handler(method.obj, method.name, args, kwargs, node)

    def call_value_method(self, obj: Any, name: str, args, kwargs, node) -> Any:
        """A method of a value the library models (``x.reshape``,
        ``ds.batch``, ``layers.append``), by its type's qualified name."""
        owner = obj.type_name if isinstance(obj, LibraryObject) else _TYPE_NAMES[type(obj)]
        qualname = f"{owner}.{name}"
        value = library.dispatch(self, LibraryCall(qualname, list(args), kwargs, node, receiver=obj))
        if value is not library.DECLINE:
            return value
        if isinstance(obj, (Array, Dataset, LibraryObject)):
            return UNKNOWN  # data we cannot see is fine: the checks stay silent
        return self.unknown_result(args, kwargs, node)

    def call_local_function(self, func: LocalFunction, args, kwargs, node=None) -> Any:
        self.called_functions.add(func.node)
        if isinstance(func.node, nodes.FunctionDef) and self._is_generator(func.node):
            return Generator(func, list(args), dict(kwargs), node)  # its body runs when consumed
        return self.call_function(func, args, kwargs)

    def _is_generator(self, fnode: nodes.FunctionDef) -> bool:
        known = self._generator_defs.get(fnode)
        if known is None:
            known = self._generator_defs[fnode] = bool(fnode.is_generator())
        return known

    def first_item(self, gen: Generator) -> Any:
        """``next(gen)`` the first time: the body runs up to its first
        ``yield`` and that is the item (UNKNOWN when it ends first, or for a
        later item, which this analysis does not follow)."""
        gen.consumed += 1
        if gen.consumed > 1:
            return UNKNOWN
        fnode = gen.func.node
        if len(self.inline_stack) >= MAX_INLINE_DEPTH or fnode in self.inline_stack:
            return UNKNOWN
        scope = gen.func.env if gen.func.env is not None else self.env_of(fnode)
        env = Env(scope)
        self.bind_params(fnode, gen.args, gen.kwargs, env, False, scope, gen.func.defaults)
        self.inline_stack.append(fnode)
        self.inline_closures.append(gen.func.env)
        self.first_yield_of.append(fnode)
        try:
            self.exec_block(fnode.body, env)
        except YieldSignal as item:
            return item.value
        except (ReturnSignal, BreakSignal, ContinueSignal):
            return UNKNOWN
        finally:
            self.first_yield_of.pop()
            self.inline_stack.pop()
            self.inline_closures.pop()
        return UNKNOWN

    def exhaust(self, gen: Generator) -> None:
        """A generator iterated by a loop (or ``list(gen)``): its body runs
        once for what it builds, each ``yield`` giving UNKNOWN."""
        if gen.consumed:
            return
        gen.consumed += 1
        self.call_function(gen.func, gen.args, gen.kwargs)

    def eval_yield(self, node: nodes.Yield, env: Env) -> Any:
        value = self.eval(node.value, env) if node.value is not None else None
        self._yielded(value)
        return UNKNOWN  # what the consumer sends back

    def eval_yield_from(self, node: nodes.YieldFrom, env: Env) -> Any:
        source = self.eval(node.value, env)
        if self.first_yield_of and self.inline_stack and self.inline_stack[-1] is self.first_yield_of[-1]:
            if isinstance(source, Generator):
                item = self.first_item(source)
            else:
                items = iter_values(source)
                if items == []:
                    return UNKNOWN  # yields nothing: the run goes on
                item = items[0] if items else UNKNOWN
            raise YieldSignal(item)
        if isinstance(source, Generator):
            self.exhaust(source)
        return UNKNOWN

    def _yielded(self, value: Any) -> None:
        """A ``yield`` of the generator being run for its first item ends the run."""
        if self.first_yield_of and self.inline_stack and self.inline_stack[-1] is self.first_yield_of[-1]:
            raise YieldSignal(value)

    def call_function(self, func: LocalFunction, args, kwargs, standalone: bool = False) -> Any:
        """Inline a local function at its call (depth-bounded); a call whose
        abstract arguments were met before replays that call's summary."""
        fnode = func.node
        count = self.inline_counts.get(fnode, 0)
        if (len(self.inline_stack) >= MAX_INLINE_DEPTH or self._recursive(func)
                or count >= MAX_INLINES_PER_FUNCTION):
            self.summaries.note_cut()
            return self.unknown_result(args, kwargs, fnode)
        self.summaries.note_call(fnode, len(self.inline_stack))
        self.inline_counts[fnode] = count + 1
        key = None if standalone else self.summaries.key(func, args, kwargs)
        if key is not None:
            found, value = self.summaries.replay(key)
            if found:
                return value
        recording = self.summaries.begin(key, fnode)
        try:
            value = self._run_function(func, args, kwargs, standalone)
        except BaseException:
            self.summaries.abandon(recording)
            raise
        if recording is not None:
            self.summaries.end(recording, value, lambda: getattr(self.summaries.key(func, args, kwargs), "value", None))
        return value

    def _run_function(self, func: LocalFunction, args, kwargs, standalone: bool) -> Any:
        fnode = func.node
        scope = func.env if func.env is not None else self.env_of(fnode)
        env = Env(scope)
        self.bind_params(fnode, args, kwargs, env, standalone, scope, func.defaults)
        self.inline_stack.append(fnode)
        self.inline_closures.append(func.env)
        try:
            if isinstance(fnode, nodes.Lambda):
                return self.eval(fnode.body, env)
            self.exec_block(fnode.body, env)
        except ReturnSignal as ret:
            return ret.value
        finally:
            self.inline_stack.pop()
            self.inline_closures.pop()
        return None

    def _recursive(self, func: LocalFunction) -> bool:
        """A call of a function already running (not followed).  A nested
        function or lambda made by another call of its enclosing function
        is another closure: ``reduce(lambda f, g: lambda *a: g(f(*a)), fs)``
        calls the inner lambda of one step from that of the next."""
        fnode = func.node
        if fnode not in self.inline_stack:
            return False
        if func.env is None:
            return True
        return any(node is fnode and (closure is None or closure is func.env)
                   for node, closure in zip(self.inline_stack, self.inline_closures))

    def bind_params(self, fnode, args, kwargs, env: Env, standalone: bool, scope: Env,
                    defaults: Optional[Dict[str, Any]] = None) -> None:
        """Bind a call's arguments to the function's parameters, as Python
        does; a function analysed on its own is called with no arguments: its
        defaults, no ``*args`` or ``**kwargs``, and symbols for the sizes it
        is not given."""
        params = fnode.args
        signature = self._signatures.get(fnode)
        if signature is None:
            signature = self._signatures[fnode] = _signature(fnode)
        names, kwonly, default_map, is_method = signature
        self_bound = bool(args) and isinstance(args[0], Instance)
        more_kwargs = MORE_KWARGS in kwargs  # f(**cfg), cfg unknown: no default is sure
        for pos, name in enumerate(names):
            if is_method and pos == 0 and not self_bound:
                env.set(name, Opaque("self"))
                continue
            idx = pos - (1 if is_method and not self_bound else 0)
            if not standalone and idx < len(args) and name not in kwonly:
                env.set(name, args[idx])
            elif name in kwargs:
                env.set(name, kwargs[name])
            elif more_kwargs:
                env.set(name, UNKNOWN)
            elif defaults is not None and name in defaults:
                env.set(name, defaults[name])
            elif name in default_map:
                env.set(name, self.eval(default_map[name], scope))
            elif standalone and name not in _TENSOR_PARAMS:
                env.set(name, _symbolic(name))
            else:
                env.set(name, UNKNOWN)
        if params.vararg:
            offset = 1 if is_method and not self_bound else 0
            positional = len(names) - len(kwonly) - offset
            env.set(params.vararg, tuple(args[positional:]))  # on its own: called with none
        if params.kwarg:
            # Keyword arguments no parameter takes (Conv2D(**kwargs) in a wrapper).
            extra = {k: v for k, v in kwargs.items() if k not in names}
            env.set(params.kwarg, extra if not more_kwargs else UNKNOWN)


_COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
    "is": lambda a, b: a is b, "is not": lambda a, b: a is not b,
}

def _builtin_ref(value: Any) -> bool:
    """A builtin class or function (``list``, ``type(n)``): one object per name."""
    return isinstance(value, Ref) and value.qualname.startswith("builtins.")


# Values whose truth Python decides the way the program would see it (a
# float: ``if dropout_rate:`` of 0.0); a symbolic size, a dict (a store under
# a key the analysis cannot tell adds none) and the rest stay undecided.
_DECIDED = (bool, int, float, str, type(None), tuple, list)

# Comparisons numpy applies element-wise.
_ORDERING = ("==", "!=", "<", "<=", ">", ">=")
# Exact types eval_compare compares at once with those (no test of it applies to them).
_NUMBERS = frozenset((int, float, bool))
# Exact types binop computes with at once (a bool operand is left unknown below).
_ARITHMETIC = frozenset((int, float))
_STRINGS = (str, str)

_SYMBOLIC_OPS = {"+": dims.add, "-": dims.sub, "*": dims.mul, "//": dims.floordiv}

# The qualified type names library methods are registered under.
_TYPE_NAMES = {Array: "numpy.ndarray", Dataset: "tensorflow.data.Dataset", list: "builtins.list",
               dict: "builtins.dict", ListOf: "builtins.list", Tensor: "tensorflow.Tensor",
               tuple: "builtins.tuple", str: "builtins.str"}


# Values the evaluator only makes for objects that exist: never None.
_OBJECTS = (Tensor, LayerObj, ModelObj, LocalFunction, LocalClass, BoundMethod, Opaque, Array,
            ListOf, Dataset, ProjectModule, LibraryObject, Instance, LayerHandle)


def _not_none(value: Any) -> bool:
    """``value is None`` is surely False (``if p is None`` on a tensor)."""
    if isinstance(value, Choice):
        return all(_not_none(option) for option in value.options)
    return isinstance(value, _OBJECTS)


def _signature(fnode) -> tuple:
    """(parameter names, keyword-only names, name -> default expression,
    is a method) of a FunctionDef or Lambda: what bind_params reads of it at
    every call (a tree that does not change while it is analysed)."""
    params = fnode.args
    names = [a.name for a in (params.posonlyargs or [])] + [a.name for a in params.args or []]
    kwonly = [a.name for a in params.kwonlyargs or []]
    names += kwonly
    return names, kwonly, _default_nodes(params), isinstance(fnode.parent, nodes.ClassDef)


def _default_nodes(params: nodes.Arguments) -> Dict[str, Any]:
    """Parameter name -> its default's expression."""
    names = [a.name for a in (params.posonlyargs or [])] + [a.name for a in params.args or []]
    defaults = params.defaults or []
    out = dict(zip(names[len(names) - len(defaults):], defaults))
    for arg, default in zip(params.kwonlyargs or [], params.kw_defaults or []):
        if default is not None:
            out[arg.name] = default
    return out


class _Undecided(Exception):
    """A while loop's condition cannot be told (or it runs past the bound)."""


def _raise(signal):
    def handler(_stmt, _env):
        raise signal()
    return handler


def _module_attribute(module: ProjectModule, name: str) -> Any:
    """``config.UNITS``: read as a name of that module's scope (a function
    summary records it, so a later ``config.UNITS = 7`` is seen).  A
    library-named sibling's name that a library model handles is that
    model's (``imagenet_utils.obtain_input_shape``)."""
    modelled = project.library_name(module, name)
    if modelled is not None:
        return modelled
    value = module.env.lookup(name)
    return UNKNOWN if value is MISSING else value


def _plain_method(func: nodes.FunctionDef) -> bool:
    """A method called on an instance: first parameter ``self``, none of
    staticmethod/classmethod/property."""
    decorators = {getattr(d, "name", getattr(d, "attrname", "")) for d in (func.decorators.nodes if func.decorators else [])}
    first = (func.args.posonlyargs or []) + (func.args.args or [])
    return bool(first) and first[0].name == "self" and not decorators & {
        "staticmethod", "classmethod", "property", "setter", "abstractmethod"}


def _callers_first(funcs: List[nodes.FunctionDef], module_scan: Optional[ModuleScan] = None) -> List[nodes.FunctionDef]:
    """The functions no other one of ``funcs`` names, then the rest (each
    list in source order).  ``module_scan``: their module's, whose Names by
    line answer without a walk of each function."""
    if len(funcs) < 2:
        return funcs
    names = {f.name for f in funcs}
    named = set()
    for func in funcs:
        found = None
        if module_scan is not None and func.fromlineno is not None and func.tolineno is not None:
            first = func.decorators.fromlineno if func.decorators is not None else func.fromlineno
            found = module_scan.names_within(first, func.tolineno) if first is not None else None
        if found is None:
            found = [n.name for n in nodes_of(func, nodes.Name)]
        named.update(name for name in found if name in names and name != func.name)
    return [f for f in funcs if f.name not in named] + [f for f in funcs if f.name in named]


# Numeric constants of the math and numpy modules (2.0 * math.pi * frequencies).
_CONSTANTS = {f"{module}.{name}": getattr(math, name) for module in ("math", "numpy")
              for name in ("pi", "e", "tau", "inf")}


def _number_constant(value: Any) -> Any:
    """``math.pi``, ``np.e`` ... as their float; any other value as it is."""
    if isinstance(value, Ref):
        return _CONSTANTS.get(normalise(value.qualname), value)
    return value


# Python operators that broadcast their tensor operands (``tf.add``,
# ``keras.ops.add`` ...).
_BROADCASTING_OPERATORS = ("+", "-", "*", "/", "//", "%", "**")


def _operation_text(node, op: str) -> str:
    """``logits + bias`` as the program spells it (``x += y`` for an
    augmented assignment); the bare operator when that is long."""
    try:
        text = node.as_string().replace(", )", ",)")  # astroid spells (5,) as (5, )
    except Exception:  # pylint: disable=broad-except
        text = ""
    return f"`{text}`" if text and len(text) <= 40 and "\n" not in text else f"`{op}`"


def _shape_tensor_binop(op: str, left: Any, right: Any) -> Any:
    """``tf.shape(x)[1:3] * 2`` in a traced call(): ``tf.shape`` is an int32
    tensor, so ``+ - * // %`` are TensorFlow's element-wise ops (the lengths
    broadcast), never a tuple's concatenation or repetition.  On the shape
    of a fully static tensor (a constant, ``ConstShapeTensor``) TensorFlow's
    shape inference evaluates the arithmetic; otherwise it reads no size back
    through it (``constant_value_as_shape`` stops there): each is known at
    run time only (``RUNTIME``).  A ``/`` gives floats, a size the code does
    not show anything: unknown."""
    if op not in ("+", "-", "*", "//", "%"):
        return UNKNOWN
    operands, constant = [], True
    for operand in (left, right):
        items = list(operand) if isinstance(operand, (tuple, list)) else [operand]
        if not all(e is RUNTIME or dims.is_int(e) and not isinstance(e, bool) for e in items):
            return UNKNOWN
        constant = constant and not (isinstance(operand, ShapeTensor) and not isinstance(operand, ConstShapeTensor)) \
            and RUNTIME not in items
        operands.append((items, isinstance(operand, (tuple, list))))
    lengths = [len(items) for items, vector in operands if vector]
    if len(lengths) == 2 and lengths[0] != lengths[1] and 1 not in lengths:
        return UNKNOWN  # TensorFlow refuses to broadcast them
    n = max(lengths)
    if not constant:
        return ShapeTensor((RUNTIME,) * n)
    (a, _), (b, _) = [(items * n if len(items) == 1 else items, v) for items, v in operands]
    try:
        return ConstShapeTensor(_python_binop(op, x, y) for x, y in zip(a, b))
    except ZeroDivisionError:
        return UNKNOWN


def _python_binop(op: str, left: Any, right: Any) -> Any:
    """Python's own arithmetic on plain values, bounded in size."""
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            seq, times = (left, right) if isinstance(right, int) else (right, left)
            if not isinstance(times, int) or len(seq) * max(times, 0) > MAX_MATERIALISE:
                return UNKNOWN
        return left * right
    if op == "/":
        return left / right
    if op == "//":
        return left // right
    if op == "%":
        return left % right if not isinstance(left, str) else UNKNOWN
    if op == "**" and isinstance(right, int) and abs(right) < 64:
        return left ** right
    if op == "**" and isinstance(right, float) and isinstance(left, (int, float)):
        result = left ** right  # head_dim ** -0.5; a negative base gives a complex: not followed
        return result if isinstance(result, float) else UNKNOWN
    return UNKNOWN


def _symbolic(name: str) -> Any:
    try:
        return dims.symbol(name)
    except Exception:  # pylint: disable=broad-except
        return UNKNOWN


def _is_main_guard(test) -> bool:
    return (
        isinstance(test, nodes.Compare)
        and isinstance(test.left, nodes.Name)
        and test.left.name == "__name__"
    )


# The builtins whose second argument names an attribute.
_ATTRIBUTE_FUNCTIONS = ("setattr", "getattr", "hasattr", "delattr")


def _indexes_with_arrays(index: Any) -> bool:
    """An index with an integer array or list in it (numpy's advanced
    indexing, which Keras tensors do not take alike)."""
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, (Array, list)) for i in items)


def _known_key(index: Any) -> bool:
    if index is None or isinstance(index, (bool, int, float, str)):
        return True
    return isinstance(index, tuple) and all(_known_key(i) for i in index)


def _contains(item: Any, container: Any) -> Any:
    """``item in container`` as Python decides it, for a key the code shows
    (a string, a number, None, a tuple of them) in a string, a list, tuple
    or set, or a dict's keys; UNKNOWN when an element or key the code does
    not show might be equal to it, or when a dict has been updated in ways
    the analysis could not follow (a store with an unknown key leaves every
    value unknown: some key may have been added)."""
    if not _known_key(item):
        return UNKNOWN
    if isinstance(container, str):
        return item in container if isinstance(item, str) else UNKNOWN
    if not isinstance(container, (dict, list, tuple, set, frozenset)):
        return UNKNOWN
    keys = list(container)
    if any(_known_key(key) and key == item for key in keys):
        return True
    if not all(_known_key(key) for key in keys):
        return UNKNOWN
    if isinstance(container, dict) and any(value is UNKNOWN for value in container.values()):
        return UNKNOWN
    return False


def _store_item(owner: Any, index: Any, value: Any) -> None:
    """``owner[index] = value`` on a dict or list the program holds; where
    the key or position cannot be told, every item becomes unknown (any of
    them may have been replaced)."""
    if isinstance(owner, dict):
        if _known_key(index):
            owner[index] = value
            return
        for key in owner:
            owner[key] = UNKNOWN
        return
    if dims.is_int(index) and -len(owner) <= index < len(owner):
        owner[index] = value
    else:
        owner[:] = [UNKNOWN] * len(owner)


# Expressions that call, bind or run code of the program: a ``print`` argument
# holding one of them is not inert.
_ACTIVE_EXPRESSIONS = (nodes.Call, nodes.NamedExpr, nodes.Lambda, nodes.Yield, nodes.YieldFrom, nodes.Await,
                       nodes.ListComp, nodes.SetComp, nodes.DictComp, nodes.GeneratorExp)


def _builtin_print(env: Env) -> bool:
    """``print`` in ``env`` is the builtin: no scope binds it and no star
    import could."""
    if env.star_modules:
        return False
    scope: Optional[Env] = env
    while scope is not None:
        if "print" in scope.vars:
            return False
        scope = scope.parent
    return True


def _inert_statement(stmt) -> bool:
    """``pass``, or ``print(...)`` whose arguments call and bind nothing."""
    if isinstance(stmt, nodes.Pass):
        return True
    if not (isinstance(stmt, nodes.Expr) and isinstance(stmt.value, nodes.Call)):
        return False
    call = stmt.value
    if not (isinstance(call.func, nodes.Name) and call.func.name == "print"):
        return False
    return not any(isinstance(node, _ACTIVE_EXPRESSIONS)
                   for part in call.args + [k.value for k in call.keywords or []]
                   for node in nodes_of(part, nodes.NodeNG))


def _assigned_names(stmt) -> List[str]:
    return [node.name for node in nodes_of(stmt, nodes.AssignName)]
