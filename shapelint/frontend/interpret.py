"""Abstract interpretation of a module: find Keras calls, evaluate their
arguments, and build the ShapeGraph.

The interpreter walks statements in order with an environment of abstract
values (see ``values.py``).  It follows imports lexically, evaluates
constants and simple arithmetic, applies layers to tensors (asking the shape
rules for each output as it goes), follows ``Sequential`` models and local
helper functions (inlined at each call, depth-bounded), and never raises:
anything it cannot follow becomes ``UNKNOWN``.
"""
from __future__ import annotations

import builtins
import itertools
import math
from typing import Any, Dict, List, Optional, Tuple

from astroid import nodes

from shapelint.frontend import data, ops
from shapelint.frontend.parsing import mentions_keras
from shapelint.frontend.resolve import Ref, classify, is_keras_layers_module, normalise
from shapelint.frontend.values import (
    Array,
    BoundMethod,
    Dataset,
    Instance,
    LayerHandle,
    LayerObj,
    LocalClass,
    LocalFunction,
    LossSpec,
    ModelObj,
    Opaque,
    Tensor,
)
from shapelint.graph import DataInfo, LayerCall, ModelRecord, ShapeGraph, TrainingCall
from shapelint.messages import INCOMPATIBLE_INPUT_RANK, UNDEFINED_FEATURE_DIMENSION
from shapelint.shapes import applications, dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import UNKNOWN, LayerConfig, Out, ShapeError, lookup, plain_value

MAX_INLINE_DEPTH = 8
MAX_UNROLL = 64
MAX_STEPS = 50_000  # statements interpreted per module, a safety bound
MAX_INLINES_PER_FUNCTION = 256  # calls of one local function followed
MAX_MATERIALISE = 10_000  # longest list/str/range the interpreter builds

_BUILTIN_NAMES = set(dir(builtins))


class _Return(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


class _Budget(Exception):
    """The module is too large to follow completely."""


class Env:
    """A scope: names to abstract values, with a parent for lookups."""

    def __init__(self, parent: Optional["Env"] = None):
        self.parent = parent
        self.vars: Dict[str, Any] = {}
        self.star_modules: List[str] = [] if parent is None else parent.star_modules

    def lookup(self, name: str) -> Any:
        env: Optional[Env] = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return _MISSING

    def set(self, name: str, value: Any) -> None:
        self.vars[name] = value

    def copy(self) -> "Env":
        """A branch's view: containers are copied too, so an append in one
        branch of an ``if`` does not leak into the other."""
        new = Env(self.parent)
        new.vars = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                    for k, v in self.vars.items()}
        new.star_modules = self.star_modules
        return new


_MISSING = object()


class Interpreter:
    def __init__(self, module: nodes.Module):
        self.module = module
        self.graph = ShapeGraph()
        self.env = Env()
        self.layer_ids = itertools.count()
        self.layer_objs: Dict[int, LayerObj] = {}  # layer_id -> instance
        self.sequentials: List[ModelObj] = []
        self.depth = 0
        self.steps = 0
        self.called_functions: set = set()
        self.inline_stack: List[Any] = []
        self.inline_counts: Dict[Any, int] = {}
        self.uncertain = 0  # inside branches whose condition is unknown
        self._class_attr_cache: Dict[Any, Dict[str, Any]] = {}
        self.standalone = False  # analysing functions the module never calls
        self.data_format_set = False  # keras.backend.set_image_data_format(...) was called
        self.notes: List[str] = []

    # ------------------------------------------------------------------ run
    def run(self) -> ShapeGraph:
        if not mentions_keras(self.module):
            return self.graph  # nothing Keras can be built here: skip the walk
        try:
            self.exec_block(self.module.body, self.env)
        except (_Return, _Budget):
            pass
        # Functions never called in the module are analysed once on their
        # own, parameters taking their defaults or becoming symbols.
        for func in self._module_functions(self.module):
            if func in self.called_functions:
                continue
            try:
                self.standalone = True
                self.call_function(LocalFunction(func), [], {}, standalone=True)
            except _Budget:
                break
        for seq in self.sequentials:
            self.finish_sequential(seq)
        return self.graph

    @staticmethod
    def _module_functions(scope) -> List[nodes.FunctionDef]:
        found = []
        for stmt in scope.body:
            if isinstance(stmt, nodes.FunctionDef):
                found.append(stmt)
            elif isinstance(stmt, nodes.ClassDef):
                continue  # methods: subclassed models are not followed yet
        return found

    # ------------------------------------------------------------ statements
    def exec_block(self, stmts, env: Env) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt, env: Env) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()
        try:
            self._exec_stmt(stmt, env)
        except (_Return, _Budget):
            raise
        except RecursionError:
            raise _Budget()
        except Exception:  # pylint: disable=broad-except
            # Code we cannot follow: forget what it assigns.
            for name in _assigned_names(stmt):
                env.set(name, UNKNOWN)

    def _exec_stmt(self, stmt, env: Env) -> None:
        if isinstance(stmt, nodes.Import):
            for name, alias in stmt.names:
                if alias:
                    env.set(alias, Ref(name))
                else:
                    head = name.split(".")[0]
                    env.set(head, Ref(head))
        elif isinstance(stmt, nodes.ImportFrom):
            if stmt.level:
                for name, alias in stmt.names:
                    if name != "*":
                        env.set(alias or name, UNKNOWN)
                return
            for name, alias in stmt.names:
                if name == "*":
                    env.star_modules.append(stmt.modname)
                else:
                    env.set(alias or name, Ref(f"{stmt.modname}.{name}"))
        elif isinstance(stmt, nodes.Assign):
            value = self.eval(stmt.value, env)
            for target in stmt.targets:
                self.assign(target, value, env)
        elif isinstance(stmt, nodes.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.eval(stmt.value, env), env)
        elif isinstance(stmt, nodes.AugAssign):
            if isinstance(stmt.target, nodes.AssignName):
                current = env.lookup(stmt.target.name)
                value = self.eval(stmt.value, env)
                op = stmt.op[:-1]
                self.assign(stmt.target, self.binop(op, current, value), env)
        elif isinstance(stmt, nodes.Expr):
            self.eval(stmt.value, env)
        elif isinstance(stmt, nodes.If):
            self.exec_if(stmt, env)
        elif isinstance(stmt, nodes.For):
            self.exec_for(stmt, env)
        elif isinstance(stmt, nodes.While):
            self.exec_loop_once(stmt.body, env)
            self.exec_block(stmt.orelse, env)
        elif isinstance(stmt, nodes.With):
            for item, var in stmt.items:
                value = self.eval(item, env)
                if var is not None:
                    self.assign(var, UNKNOWN if not isinstance(value, (Tensor, ModelObj)) else value, env)
            self.exec_block(stmt.body, env)
        elif isinstance(stmt, nodes.Try):
            self.exec_block(stmt.body, env)
            self.exec_block(stmt.orelse, env)
            self.exec_block(stmt.finalbody, env)
        elif isinstance(stmt, nodes.FunctionDef):
            env.set(stmt.name, LocalFunction(stmt, env if env is not self.env else None))
        elif isinstance(stmt, nodes.ClassDef):
            env.set(stmt.name, LocalClass(stmt))
        elif isinstance(stmt, nodes.Return):
            raise _Return(self.eval(stmt.value, env) if stmt.value is not None else None)
        elif isinstance(stmt, (nodes.Global, nodes.Nonlocal, nodes.Pass, nodes.Break,
                               nodes.Continue, nodes.Assert, nodes.Raise, nodes.Delete)):
            return
        # Anything else (match, async ...) is skipped.

    def exec_if(self, stmt: nodes.If, env: Env) -> None:
        cond = self.eval(stmt.test, env)
        if _is_main_guard(stmt.test):
            cond = True
        if cond is not UNKNOWN and isinstance(cond, (bool, int, str, type(None), tuple, list)):
            self.exec_block(stmt.body if cond else stmt.orelse, env)
            return
        # Unknown condition: follow both branches, then keep what is certain.
        # A layer Keras would refuse in a branch that may never run is not
        # reported (self.uncertain): the condition may exclude it.
        branch_a, branch_b = env.copy(), env.copy()
        returned = None
        self.uncertain += 1
        try:
            try:
                self.exec_block(stmt.body, branch_a)
            except _Return as ret:
                returned = ret
                branch_a = None
            try:
                self.exec_block(stmt.orelse, branch_b)
            except _Return as ret:
                if returned is not None:
                    raise returned from None
                returned = ret
                branch_b = None
        finally:
            self.uncertain -= 1
        if branch_a is None and branch_b is None:
            raise returned
        if branch_a is None or branch_b is None:
            survivor = branch_a or branch_b
            env.vars.update(survivor.vars)
            return
        self._merge_into(env, branch_a, branch_b)

    def _merge_into(self, env: Env, a: Env, b: Env) -> None:
        for name in set(a.vars) | set(b.vars):
            va, vb = a.vars.get(name, _MISSING), b.vars.get(name, _MISSING)
            if va is vb:
                env.vars[name] = va
            elif va is _MISSING or vb is _MISSING:
                env.vars[name] = vb if va is _MISSING else va
            else:
                env.vars[name] = self.join(va, vb)

    def join(self, a: Any, b: Any) -> Any:
        """A value that is either ``a`` or ``b``: keep what is certain."""
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            sa, sb = self.graph.shape(a.tid), self.graph.shape(b.tid)
            exact = sa == sb and self.graph.exact(a.tid) and self.graph.exact(b.tid)
            return Tensor(self.graph.new_tensor(dims.merge_shapes(sa, sb), origin="join", exact=exact))
        try:
            if type(a) is type(b) and a == b and not isinstance(a, (LayerObj, ModelObj)):
                return a
        except Exception:  # pylint: disable=broad-except
            pass
        return UNKNOWN

    def exec_for(self, stmt: nodes.For, env: Env) -> None:
        iterable = self.eval(stmt.iter, env)
        items = _iter_values(iterable)
        if items is not None and len(items) <= MAX_UNROLL:
            for item in items:
                self.assign(stmt.target, item, env)
                self.exec_block(stmt.body, env)
            self.exec_block(stmt.orelse, env)
            return
        self.assign(stmt.target, UNKNOWN, env)
        self.exec_loop_once(stmt.body, env)

    def exec_loop_once(self, body, env: Env) -> None:
        """Follow a loop whose trip count is unknown: one pass, then widen
        every value the pass changed (rank kept, sizes forgotten)."""
        before = dict(env.vars)
        contents = {name: list(v) if isinstance(v, list) else dict(v)
                    for name, v in env.vars.items() if isinstance(v, (list, dict))}
        self.exec_block(body, env)
        for name, value in list(env.vars.items()):
            old = before.get(name, _MISSING)
            if value is old:
                if name in contents and _changed(contents[name], value):
                    env.vars[name] = UNKNOWN  # filled an unknown number of times
                continue
            if isinstance(value, Tensor):
                shape = self.graph.shape(value.tid)
                old_shape = self.graph.shape(old.tid) if isinstance(old, Tensor) else None
                if old_shape is not None and shape is not None and len(old_shape) == len(shape):
                    widened = dims.merge_shapes(shape, old_shape)
                else:
                    widened = None
                exact = (widened == shape and self.graph.exact(value.tid)
                         and isinstance(old, Tensor) and self.graph.exact(old.tid))
                env.vars[name] = Tensor(self.graph.new_tensor(widened, origin="loop", exact=exact))
            elif isinstance(value, (ModelObj, LayerObj, LocalFunction, LocalClass, Ref)):
                continue
            else:
                env.vars[name] = UNKNOWN

    def assign(self, target, value, env: Env) -> None:
        if isinstance(target, nodes.AssignName):
            env.set(target.name, value)
        elif isinstance(target, (nodes.Tuple, nodes.List)):
            elts = target.elts
            values = _iter_values(value)
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
            if isinstance(owner, Instance):
                owner.attrs[target.attrname] = value
        # Subscript targets (d[k] = ...) are not tracked.

    # ----------------------------------------------------------- expressions
    def eval(self, node, env: Env) -> Any:
        try:
            return self._eval(node, env)
        except (_Return, _Budget):
            raise
        except RecursionError:
            raise _Budget()
        except Exception:  # pylint: disable=broad-except
            return UNKNOWN

    def _eval(self, node, env: Env) -> Any:
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Name):
            return self.eval_name(node.name, env)
        if isinstance(node, nodes.Attribute):
            return self.eval_attribute(node, env)
        if isinstance(node, nodes.Tuple):
            return tuple(self._eval_elts(node.elts, env))
        if isinstance(node, nodes.List):
            return list(self._eval_elts(node.elts, env))
        if isinstance(node, nodes.Dict):
            out = {}
            for key, value in node.items:
                k = self.eval(key, env)
                try:
                    out[k] = self.eval(value, env)
                except TypeError:
                    return UNKNOWN
            return out
        if isinstance(node, nodes.Call):
            return self.eval_call(node, env)
        if isinstance(node, nodes.BinOp):
            return self.binop(node.op, self.eval(node.left, env), self.eval(node.right, env))
        if isinstance(node, nodes.UnaryOp):
            operand = self.eval(node.operand, env)
            if node.op == "-" and (isinstance(operand, (int, float)) or dims.is_symbolic(operand)):
                return -operand
            if node.op == "not" and _is_plain(operand):
                return not operand
            if node.op == "+" and isinstance(operand, (int, float)):
                return operand
            return UNKNOWN
        if isinstance(node, nodes.Subscript):
            return self.eval_subscript(node, env)
        if isinstance(node, nodes.ListComp):
            return self.eval_comprehension(node, env)
        if isinstance(node, nodes.IfExp):
            cond = self.eval(node.test, env)
            if _is_plain(cond):
                return self.eval(node.body if cond else node.orelse, env)
            self.uncertain += 1
            try:
                return self.join(self.eval(node.body, env), self.eval(node.orelse, env))
            finally:
                self.uncertain -= 1
        if isinstance(node, nodes.Compare):
            return self.eval_compare(node, env)
        if isinstance(node, nodes.BoolOp):
            values = [self.eval(v, env) for v in node.values]
            if all(_is_plain(v) for v in values):
                result = values[0]
                for v in values[1:]:
                    result = (result and v) if node.op == "and" else (result or v)
                return result
            return UNKNOWN
        if isinstance(node, nodes.JoinedStr):
            return SOME_STR
        if isinstance(node, nodes.Lambda):
            return LocalFunction(node, env if env is not self.env else None)
        if isinstance(node, nodes.Starred):
            return UNKNOWN
        return UNKNOWN

    def _eval_elts(self, elts, env: Env) -> List[Any]:
        out: List[Any] = []
        for elt in elts:
            if isinstance(elt, nodes.Starred):
                values = _iter_values(self.eval(elt.value, env))
                if values is None:
                    raise ValueError("unknown starred")
                out.extend(values)
            else:
                out.append(self.eval(elt, env))
        return out

    def eval_name(self, name: str, env: Env) -> Any:
        value = env.lookup(name)
        if value is not _MISSING:
            return value
        for modname in env.star_modules:
            if is_keras_layers_module(modname) or classify(f"{modname}.{name}") is not None:
                ref = Ref(f"{modname}.{name}")
                if classify(ref.qualname) is not None:
                    return ref
        if name in _BUILTIN_NAMES:
            return Ref(f"builtins.{name}")
        return UNKNOWN

    def eval_attribute(self, node: nodes.Attribute, env: Env) -> Any:
        base = self.eval(node.expr, env)
        name = node.attrname
        if isinstance(base, Ref):
            return base.attr(name)
        if isinstance(base, Tensor):
            if name == "shape":
                return self.shape_value(base)
            if name == "ndim":
                shape = self.graph.shape(base.tid)
                return len(shape) if shape is not None else UNKNOWN
            return BoundMethod(base, name)
        if isinstance(base, ModelObj):
            return self.model_attribute(base, name)
        if isinstance(base, LayerHandle):
            if name in ("output", "input"):
                value = getattr(base, name)
                return value if value is not None else UNKNOWN
            return UNKNOWN
        if isinstance(base, Instance):
            if name in base.attrs:
                return base.attrs[name]
            if base.model is not None and name in ("output", "outputs", "input", "inputs"):
                return self.model_attribute(base.model, name)
            class_attrs = self.class_attrs(base.cls)
            if name in class_attrs:
                return class_attrs[name]
            return BoundMethod(base, name)
        if isinstance(base, LocalClass):
            return self.class_attrs(base).get(name, UNKNOWN)
        if isinstance(base, Array):
            if name == "shape":  # a None here is a size the code does not show
                return tuple(UNKNOWN if d is None else d for d in base.shape) if base.shape is not None else UNKNOWN
            if name == "ndim":
                return len(base.shape) if base.shape is not None else UNKNOWN
            return BoundMethod(base, name)
        if isinstance(base, (LayerObj, Dataset, list, dict, tuple)):
            return BoundMethod(base, name)
        return UNKNOWN

    def model_layers(self, model: ModelObj) -> List[LayerHandle]:
        """``model.layers`` as Keras lists them: a functional model starts
        with its InputLayer(s); a Sequential does not."""
        record = model.record
        if record is None:
            return []
        handles: List[LayerHandle] = []
        if model.kind == "functional":
            handles += [LayerHandle(None, Tensor(t), Tensor(t)) for t in record.inputs]
        seen = set()
        for index in record.calls:
            call = self.graph.calls[index]
            if call.layer_id in seen:
                continue
            seen.add(call.layer_id)
            outs = self.graph.outputs_of(call)
            handles.append(LayerHandle(
                self.layer_objs.get(call.layer_id),
                Tensor(call.input_tids[0]) if call.input_tids else None,
                Tensor(outs[0]) if outs else None,
            ))
        return handles

    def model_attribute(self, model: ModelObj, name: str) -> Any:
        if name == "layers":
            if model.kind == "sequential" and model.output_tensor is None:
                return UNKNOWN
            return self.model_layers(model)
        if model.kind == "sequential":
            if name in ("output", "outputs"):
                t = model.output_tensor
                return UNKNOWN if t is None else (t if name == "output" else [t])
            if name in ("input", "inputs"):
                t = model.input_tensor
                return UNKNOWN if t is None else (t if name == "input" else [t])
        else:
            if name == "output" and len(model.outputs) == 1:
                return model.outputs[0]
            if name == "input" and len(model.inputs) == 1:
                return model.inputs[0]
            if name == "outputs":
                return list(model.outputs)
            if name == "inputs":
                return list(model.inputs)
        return BoundMethod(model, name)

    def eval_subscript(self, node: nodes.Subscript, env: Env) -> Any:
        base = self.eval(node.value, env)
        if isinstance(base, Tensor):
            shape = self.graph.shape(base.tid)
            index = self.eval_slice(node.slice, env)
            sliced = None
            if shape is not None and index is not UNKNOWN:
                sliced = data.subscript(Array(tuple(shape)), index)
            # numpy-style basic indexing keeps each remaining axis as it is.
            return Tensor(self.graph.new_tensor(sliced.shape if isinstance(sliced, Array) else None,
                                                origin="op", node=node, exact=self.graph.exact(base.tid)))
        index = self.eval_slice(node.slice, env)
        if index is UNKNOWN:
            return UNKNOWN
        if isinstance(base, Array):
            return data.subscript(base, index)
        if isinstance(base, (tuple, list, str)) or isinstance(base, dict):
            try:
                return base[index]
            except Exception:  # pylint: disable=broad-except
                return UNKNOWN
        return UNKNOWN

    def eval_slice(self, node, env: Env) -> Any:
        if isinstance(node, nodes.Tuple):
            parts = tuple(self.eval_slice(e, env) for e in node.elts)
            return UNKNOWN if any(p is UNKNOWN for p in parts) else parts
        if isinstance(node, nodes.Slice):
            parts = [self.eval(p, env) if p is not None else None for p in (node.lower, node.upper, node.step)]
            if any(p is UNKNOWN or not (p is None or isinstance(p, int)) for p in parts):
                return UNKNOWN
            return slice(*parts)
        value = self.eval(node, env)
        if isinstance(value, Ref) and normalise(value.qualname) == "numpy.newaxis":
            return None
        if value is None or value is Ellipsis:
            return value
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return value
        return UNKNOWN

    def eval_compare(self, node: nodes.Compare, env: Env) -> Any:
        left = self.eval(node.left, env)
        ops = {
            "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
            "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
            "is": lambda a, b: a is b, "is not": lambda a, b: a is not b,
        }
        result = True
        for op, right_node in node.ops:
            right = self.eval(right_node, env)
            if not (_is_plain(left) and _is_plain(right)) or op not in ops:
                return UNKNOWN
            if op in ("is", "is not") and not (left is None or right is None):
                return UNKNOWN
            try:
                result = result and ops[op](left, right)
            except Exception:  # pylint: disable=broad-except
                return UNKNOWN
            left = right
        return result

    def eval_comprehension(self, node: nodes.ListComp, env: Env) -> Any:
        if len(node.generators) != 1:
            return UNKNOWN
        gen = node.generators[0]
        items = _iter_values(self.eval(gen.iter, env))
        if items is None or len(items) > MAX_UNROLL:
            return UNKNOWN
        inner = Env(env)
        out = []
        for item in items:
            self.assign(gen.target, item, inner)
            if any(not self.eval(cond, inner) for cond in gen.ifs):
                continue
            out.append(self.eval(node.elt, inner))
        return out

    def binop(self, op: str, left: Any, right: Any) -> Any:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self.tensor_binop(left, right)
        if op == "+" and (_is_text(left) and (_is_text(right) or right is UNKNOWN)
                          or _is_text(right) and left is UNKNOWN) and not (
                              isinstance(left, str) and isinstance(right, str)):
            return SOME_STR  # "<start> " + token: still a string, content unknown
        if isinstance(left, Array) or isinstance(right, Array):
            return data.binop(left, right)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        num = (int, float)
        if (isinstance(left, num) or dims.is_symbolic(left)) and (
            isinstance(right, num) or dims.is_symbolic(right)
        ):
            if isinstance(left, bool) or isinstance(right, bool):
                return UNKNOWN
            if dims.is_symbolic(left) or dims.is_symbolic(right):
                if op == "+":
                    return dims.add(left, right)
                if op == "-":
                    return dims.sub(left, right)
                if op == "*":
                    return dims.mul(left, right)
                if op == "//":
                    return dims.floordiv(left, right)
                return UNKNOWN
        try:
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
        except Exception:  # pylint: disable=broad-except
            return UNKNOWN
        return UNKNOWN

    def tensor_binop(self, left: Any, right: Any) -> Tensor:
        """``x + y`` on Keras tensors broadcasts like numpy."""
        shapes, exact = [], True
        for operand in (left, right):
            if isinstance(operand, Tensor):
                shapes.append(self.graph.shape(operand.tid))
                exact = exact and self.graph.exact(operand.tid)
            elif isinstance(operand, (int, float)) and not isinstance(operand, bool):
                shapes.append(())
            else:
                shapes.append(None)
        shape, exact_broadcast = ops.broadcast_result(*shapes)
        return Tensor(self.graph.new_tensor(shape, origin="op", exact=exact and exact_broadcast))

    # ----------------------------------------------------------------- calls
    def eval_call(self, node: nodes.Call, env: Env) -> Any:
        callee = node.func.attrname if isinstance(node.func, nodes.Attribute) else getattr(node.func, "name", "")
        if callee == "get_submodules_from_kwargs":
            # keras_applications / segmentation_models: the Keras modules are passed in.
            return tuple(Ref(f"keras.{name}") for name in ("backend", "layers", "models", "utils"))
        func = self.eval(node.func, env)
        args = self._eval_elts(node.args, env)
        kwargs: Dict[str, Any] = {}
        for kw in node.keywords or []:
            if kw.arg is None:
                extra = self.eval(kw.value, env)
                if isinstance(extra, dict):
                    kwargs.update({k: v for k, v in extra.items() if isinstance(k, str)})
                continue
            kwargs[kw.arg] = self.eval(kw.value, env)
        return self.call(func, args, kwargs, node)

    def call(self, func: Any, args: List[Any], kwargs: Dict[str, Any], node) -> Any:
        if isinstance(func, Ref):
            return self.call_ref(func, args, kwargs, node)
        if isinstance(func, LayerObj):
            return self.apply_layer(func, args, kwargs, node)
        if isinstance(func, LayerHandle) and func.layer is not None:
            return self.apply_layer(func.layer, args, kwargs, node)
        if isinstance(func, ModelObj):
            return self.apply_model(func, args, node)
        if isinstance(func, LocalFunction):
            self.called_functions.add(func.node)
            return self.call_function(func, args, kwargs)
        if isinstance(func, LocalClass):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(func, Instance):
            return self.call_instance(func, args, kwargs, node)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node)
        return self._unknown_result(args, kwargs, node)

    def _unknown_result(self, args, kwargs, node) -> Any:
        """A call we cannot follow: a tensor of unknown shape if it takes a
        tensor, otherwise an unknown value."""
        if any(isinstance(a, Tensor) for a in _flatten(list(args) + list(kwargs.values()))):
            return Tensor(self.graph.new_tensor(None, origin="op", node=node))
        return UNKNOWN

    def call_ref(self, ref: Ref, args, kwargs, node) -> Any:
        kind = classify(ref.qualname)
        if kind is None:
            return self.call_library(ref, args, kwargs, node)
        what, name = kind
        if what == "input":
            return self.make_input(args, kwargs, node)
        if what == "model":
            return self.make_functional(args, kwargs, node)
        if what == "sequential":
            return self.make_sequential(args, kwargs, node)
        if what == "function":
            # layers.concatenate(inputs, axis=-1), layers.dot(inputs, axes=-1):
            # the arguments after the tensors are the layer's own.
            tensors = args[0] if args else kwargs.get("inputs", UNKNOWN)
            layer_kwargs = {k: v for k, v in kwargs.items() if k != "inputs"}
            if name == "Dot" and len(args) < 2 and "axes" not in layer_kwargs:
                layer_kwargs["axes"] = -1  # the function's default; the class has none
            layer = self.make_layer(name, list(args[1:]), layer_kwargs, node)
            return self.apply_layer(layer, [tensors], {}, node)
        return self.make_layer(name, args, kwargs, node)

    def call_library(self, ref: Ref, args, kwargs, node) -> Any:
        qual = ref.qualname
        last = qual.split(".")[-1]
        if last in _COMPARISONS and len(args) == 2 and all(
            isinstance(a, (int, float)) and not isinstance(a, bool) for a in args
        ) and normalise(qual).startswith(("tensorflow.", "keras.ops.", "numpy.")):
            return _COMPARISONS[last](args[0], args[1])  # tf.math.equal(x.shape[-1], 64)
        norm_q = normalise(qual)
        if norm_q in ("keras.ops.arange", "tensorflow.range"):
            bounds = list(args) + [kwargs[k] for k in ("start", "stop", "limit", "step", "delta")
                                   if k in kwargs]
            if bounds and len(bounds) <= 3 and all(isinstance(a, int) and not isinstance(a, bool)
                                                   for a in bounds):
                # Position indices (positional embeddings): a tensor without batch axis.
                return Tensor(self.graph.new_tensor((len(range(*bounds)),), origin="op", node=node))
            if bounds and len(bounds) <= 3:
                # A bound read from a dynamic axis (ops.shape(x)[-1] of a (None, None)
                # input) gives a dynamic length; one shapelint cannot tell, an unknown one.
                dynamic = all(a is None or isinstance(a, int) and not isinstance(a, bool) for a in bounds)
                return Tensor(self.graph.new_tensor((None,), origin="op", node=node, exact=dynamic))
        if qual in ("builtins.range",) and all(isinstance(a, int) for a in args) and 1 <= len(args) <= 3:
            return range(*args)  # lazy: materialised only when small
        if qual in ("builtins.enumerate", "builtins.zip", "builtins.reversed", "builtins.sorted") and args:
            seqs = [_iter_values(a) for a in args]
            if any(v is None for v in seqs):
                return UNKNOWN
            if qual == "builtins.enumerate":
                start = kwargs.get("start", 0)
                return [(i + start, v) for i, v in enumerate(seqs[0])] if isinstance(start, int) else UNKNOWN
            if qual == "builtins.zip":
                return [tuple(t) for t in zip(*seqs)]
            if qual == "builtins.reversed":
                return list(reversed(seqs[0]))
            try:
                return sorted(seqs[0]) if not kwargs else UNKNOWN
            except TypeError:
                return UNKNOWN
        if qual in ("builtins.len",) and len(args) == 1:
            values = _iter_values(args[0])
            return len(values) if values is not None else UNKNOWN
        if qual in ("builtins.tuple", "builtins.list") and len(args) == 1:
            values = _iter_values(args[0])
            if values is None:
                return UNKNOWN
            return tuple(values) if qual.endswith("tuple") else list(values)
        if qual == "builtins.int" and len(args) == 1 and isinstance(args[0], (int, float)):
            return int(args[0])
        if qual in ("builtins.min", "builtins.max") and args and all(
            isinstance(a, (int, float)) for a in args
        ):
            return min(args) if qual.endswith("min") else max(args)
        norm = normalise(qual)
        if last == "set_image_data_format":
            self.data_format_set = True
            return None
        if last == "image_data_format" and norm.startswith(("keras.backend.", "keras.config.")):
            return UNKNOWN if self.data_format_set else "channels_last"  # Keras' default
        if norm in ("tensorflow.io.read_file", "tensorflow.read_file"):
            return Tensor(self.graph.new_tensor((), origin="data", node=node, exact=True))  # a string scalar
        if last in ("decode_jpeg", "decode_png") and norm.startswith(("tensorflow.image.", "tensorflow.io.")):
            channels = kwargs.get("channels", args[1] if len(args) > 1 else 0)
            if isinstance(channels, int) and not isinstance(channels, bool) and 1 <= channels <= 4:
                return Tensor(self.graph.new_tensor((None, None, channels), origin="data", node=node, exact=True))
            return Tensor(self.graph.new_tensor((None, None, None), origin="data", node=node))
        if norm.endswith("imagenet_utils.correct_pad"):
            return self.correct_pad(args, kwargs)
        if norm.endswith("imagenet_utils.obtain_input_shape"):
            return _obtain_input_shape(args, kwargs)
        scalar = _scalar_call(norm, args, kwargs)
        if scalar is not UNKNOWN:
            return scalar
        if (last in ("shape", "int_shape") and len(args) == 1 and isinstance(args[0], Tensor)
                and norm.startswith(("tensorflow.", "keras.ops.", "keras.backend."))):
            return self.shape_value(args[0])  # ops.shape(x), tf.shape(x), K.int_shape(x)
        if norm.startswith("keras.applications.") and norm.split(".")[-1] in applications.known_backbones():
            return self.make_backbone(norm.split(".")[-1], kwargs, node)
        if norm.startswith("keras.losses.") and norm.split(".")[-1][:1].isupper():
            return LossSpec(_snake(norm.split(".")[-1]), kwargs.get("from_logits") is True, node)
        value = data.library_call(qual, args, kwargs)
        if value is not UNKNOWN:
            if isinstance(value, Array):
                value.node = node
            return value
        if any(isinstance(a, Tensor) for a in _flatten(list(args) + list(kwargs.values()))):
            shape, exact = ops.op_result(norm, list(args), kwargs, self._shape_of, self._exact_of)
            return Tensor(self.graph.new_tensor(shape, origin="op", node=node, exact=exact))
        return self._unknown_result(args, kwargs, node)

    def correct_pad(self, args, kwargs) -> Any:
        """``imagenet_utils.correct_pad(inputs, kernel_size)`` (channels_last)."""
        inputs = args[0] if args else kwargs.get("inputs")
        kernel = args[1] if len(args) > 1 else kwargs.get("kernel_size")
        if self.data_format_set or not isinstance(inputs, Tensor):
            return UNKNOWN
        shape = self.shape_value(inputs)
        if isinstance(kernel, int) and not isinstance(kernel, bool):
            kernel = (kernel, kernel)
        if shape is UNKNOWN or len(shape) != 4 or not (
                isinstance(kernel, (tuple, list)) and len(kernel) == 2 and all(isinstance(k, int) for k in kernel)):
            return UNKNOWN
        size = shape[1:3]
        if size[0] is None:
            adjust = (1, 1)
        elif all(isinstance(d, int) for d in size):
            adjust = (1 - size[0] % 2, 1 - size[1] % 2)
        else:
            return UNKNOWN
        correct = (kernel[0] // 2, kernel[1] // 2)
        return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))

    def _shape_of(self, value: Any) -> Any:
        return self.graph.shape(value.tid) if isinstance(value, Tensor) else None

    def _exact_of(self, value: Any) -> bool:
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

    # --- Keras constructors ---------------------------------------------------
    def make_input(self, args, kwargs, node) -> Tensor:
        shape = kwargs.get("shape", args[0] if args else None)
        batch_size = kwargs.get("batch_size", None)
        batch_shape = kwargs.get("batch_shape", kwargs.get("batch_input_shape", None))
        full: Any = None
        exact = False
        if isinstance(batch_shape, (tuple, list)):
            full = tuple(_as_shape_dim(d) for d in batch_shape)
            exact = _literal_dims(batch_shape)
        elif isinstance(shape, (tuple, list)):
            batch = batch_size if isinstance(batch_size, int) else None
            full = (batch,) + tuple(_as_shape_dim(d) for d in shape)
            exact = _literal_dims(shape)
        elif isinstance(shape, int) and not isinstance(shape, bool):
            full = (None, shape)
        tensor = Tensor(self.graph.new_tensor(full, origin="input", node=node, exact=exact))
        return tensor

    def make_layer(self, name: str, args, kwargs, node) -> Any:
        if name == "InputLayer":
            shape = kwargs.get("shape", kwargs.get("input_shape", args[0] if args else None))
            return self.make_input([shape] if shape is not None else [], {
                k: v for k, v in kwargs.items() if k in ("batch_size", "batch_shape", "batch_input_shape")
            }, node)
        rule = lookup(name)
        signature = rule.signature if rule else ()
        values: Dict[str, Any] = {}
        for pos, value in enumerate(args):
            if pos < len(signature):
                values[signature[pos]] = value
        values.update(kwargs)
        values = {k: _config_value(v) for k, v in values.items()}
        input_shape = None
        input_exact = False
        if name != "Embedding" and isinstance(values.get("input_dim"), int):
            input_shape = (None, values["input_dim"])
        elif isinstance(values.get("input_shape"), (tuple, list)):
            input_shape = (None,) + tuple(_as_shape_dim(d) for d in values["input_shape"])
            input_exact = _literal_dims(values["input_shape"])
        elif isinstance(values.get("batch_input_shape"), (tuple, list)):
            input_shape = tuple(_as_shape_dim(d) for d in values["batch_input_shape"])
            input_exact = _literal_dims(values["batch_input_shape"])
        if name == "Embedding" and input_shape is None and isinstance(values.get("input_length"), int):
            # Keras 3 ignores input_length; it does not define an input.
            pass
        cfg = LayerConfig(name, values)
        layer = LayerObj(next(self.layer_ids), cfg, node, input_shape, input_exact=input_exact)
        self.layer_objs[layer.layer_id] = layer
        return layer

    def make_functional(self, args, kwargs, node) -> Any:
        inputs = kwargs.get("inputs", args[0] if args else UNKNOWN)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else UNKNOWN)
        in_t = [t for t in _flatten([inputs]) if isinstance(t, Tensor)]
        out_t = [t for t in _flatten([outputs]) if isinstance(t, Tensor)]
        if not in_t or not out_t:
            return Opaque("model")  # subclass-style or unknown: not followed
        record = ModelRecord("functional", node, _name_of(kwargs))
        record.inputs = [t.tid for t in in_t]
        record.outputs = [t.tid for t in out_t]
        record.calls = sorted({c.index for t in out_t for c in self.graph.ancestors_calls(t.tid)})
        self.graph.add_model(record)
        return ModelObj("functional", node, record, inputs=in_t, outputs=out_t)

    def make_sequential(self, args, kwargs, node) -> ModelObj:
        model = ModelObj("sequential", node)
        record = ModelRecord("sequential", node, _name_of(kwargs))
        model.record = record
        self.graph.add_model(record)
        self.sequentials.append(model)
        items = kwargs.get("layers", args[0] if args else None)
        for item in _iter_values(items) or []:
            self.sequential_add(model, item, node)
        return model

    def sequential_add(self, model: ModelObj, item: Any, node) -> None:
        if isinstance(item, Tensor) and not model.layers and model.input_tensor is None:
            model.input_tensor = item
            model.output_tensor = item
            model.record.inputs = [item.tid]
            return
        if isinstance(item, LayerObj):
            model.layers.append(item)
            if model.input_tensor is None and len(model.layers) == 1 and item.input_shape is not None:
                t = Tensor(self.graph.new_tensor(item.input_shape, origin="input", node=item.node,
                                                 exact=item.input_exact))
                model.input_tensor = model.output_tensor = t
                model.record.inputs = [t.tid]
            if model.output_tensor is not None:
                self._sequential_apply(model, item)
            return
        if isinstance(item, ModelObj) and item.kind == "functional":
            # A model used as a layer (a backbone first in a Sequential).
            model.layers.append(item)
            if model.input_tensor is None and len(model.layers) == 1 and item.inputs:
                shape = self.graph.shape(item.inputs[0].tid)
                t = Tensor(self.graph.new_tensor(shape, origin="input", node=node,
                                                 exact=self.graph.exact(item.inputs[0].tid)))
                model.input_tensor = model.output_tensor = t
                model.record.inputs = [t.tid]
            if model.output_tensor is not None:
                self._sequential_apply(model, item)
            return
        # Something we cannot follow: the rest is unknown.
        model.layers.append(LayerObj(next(self.layer_ids), LayerConfig("?"), node))
        if model.output_tensor is not None:
            model.output_tensor = Tensor(self.graph.new_tensor(None, origin="op", node=node))

    def _sequential_apply(self, model: ModelObj, layer: Any) -> None:
        if isinstance(layer, ModelObj):
            out = self.apply_model(layer, [model.output_tensor], layer.node)
        else:
            out = self.apply_layer(layer, [model.output_tensor], {}, layer.node, in_sequential=True)
        model.output_tensor = out if isinstance(out, Tensor) else Tensor(
            self.graph.new_tensor(None, origin="op")
        )
        model.record.outputs = [model.output_tensor.tid]

    def sequential_build(self, model: ModelObj, shape: Any, node) -> None:
        if model.input_tensor is not None or not isinstance(shape, (tuple, list)):
            return
        t = Tensor(self.graph.new_tensor(tuple(_as_shape_dim(d) for d in shape), origin="input", node=node,
                                         exact=_literal_dims(shape)))
        model.input_tensor = model.output_tensor = t
        model.record.inputs = [t.tid]
        for layer in model.layers:
            self._sequential_apply(model, layer)

    def finish_sequential(self, model: ModelObj) -> None:
        """A Sequential whose input shape is never given: its layers are
        listed with unknown shapes."""
        if model.input_tensor is not None:
            model.record.calls = sorted(
                {c.index for c in self.graph.ancestors_calls(model.output_tensor.tid)}
            )
            return
        # Never built nor called: none of its layers was applied, so none is
        # listed (Keras would not have built them either).
        model.record.calls = []

    # --- applying layers and models -------------------------------------------
    def apply_layer(self, layer: LayerObj, args, kwargs, node, in_sequential: bool = False) -> Any:
        rule = lookup(layer.config.class_name)
        if rule is not None and rule.inputs == "multi":
            tensors = list(args) + [kwargs[k] for k in ("query", "value", "key") if k in kwargs]
            tensors = [t for t in tensors if t is not None]
        else:
            first = args[0] if args else kwargs.get("inputs", UNKNOWN)
            if isinstance(first, list) and first and all(_is_text(v) for v in first):
                # An eager call on Python strings (vectorizer(["a caption"])): a (batch,) tensor.
                first = Tensor(self.graph.new_tensor((None,), origin="data", node=node, exact=True))
            elif isinstance(first, Array):
                first = self._as_tensor(first, node)  # an eager call on numpy data
            tensors = list(first) if isinstance(first, (list, tuple)) else [first]
        if not tensors or not all(isinstance(t, Tensor) for t in tensors):
            return self._unknown_result(args, kwargs, node)
        input_shapes = [self.graph.shape(t.tid) for t in tensors]
        cfg = layer.config
        call_kwargs = {k: v for k, v in kwargs.items() if k not in ("query", "value", "key", "inputs")}
        if call_kwargs:
            cfg = LayerConfig(cfg.class_name, cfg.args, call_kwargs)
        error = None
        lambda_exact = None
        try:
            out = infer(cfg, input_shapes, exact=all(self.graph.exact(t.tid) for t in tensors))
            if cfg.class_name == "Lambda" and out.shape is None:
                out, lambda_exact = self._trace_lambda(cfg, tensors, node)
            if layer.built_input is not None:
                _check_shared_layer(layer, input_shapes)
            else:
                layer.built_input = input_shapes
        except ShapeError as exc:
            # A None axis in a function no code here calls may be a default
            # (seq_len=None) its real callers override: no undefined-axis finding.
            error = None if self.uncertain or (self.standalone and exc.kind is UNDEFINED_FEATURE_DIMENSION) else exc
            out = Out([None], None)
        exact = (error is None and rule is not None and out.exact and _plain_call_kwargs(cfg)
                 and all(self.graph.exact(t.tid) for t in tensors))
        if lambda_exact is not None:
            exact = lambda_exact
        exact = exact or all(s is not None and dims.fully_known(s) for s in out.shapes or [None])
        call = LayerCall(
            index=-1,
            layer_id=layer.layer_id,
            config=cfg,
            node=node,
            input_shapes=input_shapes,
            output_shapes=list(out.shapes) or [None],
            params=None if layer.own_weights else out.params,
            error=error,
            in_sequential=in_sequential,
            exact=exact,
            name=layer.display,
        )
        self.graph.add_call(call, [t.tid for t in tensors])
        outs = [Tensor(self.graph.new_tensor(s, producer=call.index, exact=exact)) for s in call.output_shapes]
        if len(outs) == 1:
            return outs[0]
        return list(outs)

    def _trace_lambda(self, cfg: LayerConfig, tensors: List[Tensor], node) -> Tuple[Out, bool]:
        """Keras 3 builds a Lambda by tracing its function on the symbolic
        input (compute_output_spec): follow a local function or a known op
        the same way.  Returns (Out, exact)."""
        func = cfg.get("function", UNKNOWN)
        extra = cfg.get("arguments", None)
        if not isinstance(func, (LocalFunction, Ref)) or not (extra is None or isinstance(extra, dict)):
            return Out([None], 0), False
        arg = tensors[0] if len(tensors) == 1 else list(tensors)
        result = self.call(func, [arg], dict(extra or {}), node)
        if not isinstance(result, Tensor) or self.graph.shape(result.tid) is None:
            return Out([None], 0), False
        return Out([self.graph.shape(result.tid)], 0), self.graph.exact(result.tid)

    def apply_model(self, model: ModelObj, args, node) -> Any:
        first = args[0] if args else UNKNOWN
        if model.kind == "sequential" and model.input_tensor is None and isinstance(first, Tensor):
            shape = self.shape_value(first)  # an unknown size stays unknown (not None)
            if shape is not UNKNOWN:
                self.sequential_build(model, shape, node)
                return model.output_tensor
        outs = model.outputs if model.kind == "functional" else (
            [model.output_tensor] if model.output_tensor is not None else []
        )
        if not isinstance(first, Tensor) or len(outs) != 1:
            return self._unknown_result(args, {}, node)
        shape = self.graph.shape(outs[0].tid)
        params = None
        in_shape = self.graph.shape(first.tid)
        if model.backbone is not None:
            name, options = model.backbone
            result = applications.backbone_output(
                name, **dict(options, input_shape=tuple(in_shape[1:]) if in_shape else None))
            shape, params = result if result is not None else (None, None)
            exact = self.graph.exact(first.tid)
        else:
            # The model's own output, when it meets the input it was built on.
            model_in = model.inputs[0] if model.kind == "functional" and len(model.inputs) == 1 else (
                model.input_tensor if model.kind == "sequential" else None)
            exact = (model_in is not None and self.graph.exact(outs[0].tid) and self.graph.exact(first.tid)
                     and in_shape is not None and self.graph.shape(model_in.tid) == in_shape)
        return self._model_call(model, first, shape, params, node, exact)

    def _model_call(self, model: ModelObj, tensor: Tensor, shape, params, node, exact: bool = False) -> Tensor:
        """A whole model applied like a layer: one call node in the graph, so
        the checks can walk through it."""
        name = model.backbone[0] if model.backbone else ("Sequential" if model.kind == "sequential" else "Functional")
        call = LayerCall(index=-1, layer_id=next(self.layer_ids), config=LayerConfig(name), node=node,
                         input_shapes=[self.graph.shape(tensor.tid)], output_shapes=[shape],
                         params=params, kind="model", exact=exact)
        self.graph.add_call(call, [tensor.tid])
        return Tensor(self.graph.new_tensor(shape, producer=call.index, exact=exact))

    def make_backbone(self, name: str, kwargs, node) -> Any:
        """keras.applications.<name>(...): a model whose output shape and
        parameter count come from the backbone table."""
        options = {
            "include_top": kwargs.get("include_top", True),
            "pooling": kwargs.get("pooling", None),
            "classes": kwargs.get("classes", 1000),
            "weights": kwargs.get("weights", "imagenet"),
        }
        if any(v is UNKNOWN for v in options.values()):
            return UNKNOWN
        input_tensor = kwargs.get("input_tensor")
        if isinstance(input_tensor, Tensor):
            tensor = input_tensor
            in_shape = self.graph.shape(tensor.tid)
        else:
            raw = kwargs.get("input_shape")
            if raw is UNKNOWN:
                return UNKNOWN
            per_sample = tuple(_as_shape_dim(d) for d in raw) if isinstance(raw, (tuple, list)) else None
            result = applications.backbone_output(name, input_shape=per_sample, **options)
            if per_sample is None:
                # Keras picks the input from the defaults: take it from the table.
                size = applications.default_input_size(name) if options["include_top"] else None
                per_sample = (size, size, 3)
            in_shape = (None,) + per_sample
            tensor = Tensor(self.graph.new_tensor(in_shape, origin="input", node=node,
                                                  exact=raw is None or _literal_dims(raw)))
        result = applications.backbone_output(
            name, input_shape=tuple(in_shape[1:]) if in_shape else None, **options)
        shape, params = result if result is not None else (None, None)
        model = ModelObj("functional", node, backbone=(name, options))
        out = self._model_call(model, tensor, shape, params, node, self.graph.exact(tensor.tid))
        record = ModelRecord("functional", node, name)
        record.inputs, record.outputs = [tensor.tid], [out.tid]
        record.calls = [self.graph.producer(out.tid).index]
        self.graph.add_model(record)
        model.record, model.inputs, model.outputs = record, [tensor], [out]
        return model

    def call_method(self, method: BoundMethod, args, kwargs, node) -> Any:
        obj, name = method.obj, method.name
        if isinstance(obj, Instance):
            return self.instance_method(obj, name, args, kwargs, node)
        if isinstance(obj, (Array, Dataset)):
            return data.method_call(obj, name, args, kwargs)
        if isinstance(obj, ModelObj) and name in ("compile", *TRAINING_METHODS):
            return self.training_call(obj, name, args, kwargs, node)
        if isinstance(obj, ModelObj) and name == "get_layer":
            wanted = kwargs.get("name", args[0] if args else None)
            index = kwargs.get("index")
            handles = self.model_layers(obj)
            if isinstance(index, int) and -len(handles) <= index < len(handles):
                return handles[index]
            for handle in handles:
                if handle.layer is not None and isinstance(wanted, str) and handle.layer.config.get("name") == wanted:
                    return handle
            return UNKNOWN
        if isinstance(obj, ModelObj) and obj.kind == "sequential":
            if name == "add" and args:
                self.sequential_add(obj, args[0], node)
                return None
            if name == "build":
                self.sequential_build(obj, args[0] if args else kwargs.get("input_shape"), node)
                return None
        if isinstance(obj, list) and name == "append" and len(args) == 1:
            obj.append(args[0])
            return None
        if isinstance(obj, list) and name == "extend" and len(args) == 1:
            values = _iter_values(args[0])
            if values is not None:
                obj.extend(values)
            return None
        if isinstance(obj, list) and name == "pop" and len(args) <= 1 and obj:
            index = args[0] if args else -1
            if isinstance(index, int) and not isinstance(index, bool) and -len(obj) <= index < len(obj):
                return obj.pop(index)  # skips.pop() in a U-Net decoder
            return UNKNOWN
        if isinstance(obj, list) and name == "insert" and len(args) == 2 and isinstance(args[0], int):
            obj.insert(args[0], args[1])
            return None
        if isinstance(obj, list) and name == "reverse" and not args:
            obj.reverse()
            return None
        if isinstance(obj, (list, dict)) and name == "copy" and not args:
            return obj.copy()
        if isinstance(obj, dict) and name in ("keys", "values", "items") and not args:
            return list(getattr(obj, name)())
        if isinstance(obj, dict) and name == "get" and args:
            try:
                return obj.get(args[0], args[1] if len(args) > 1 else None)
            except TypeError:
                return UNKNOWN
        return self._unknown_result(args, kwargs, node)

    def call_function(self, func: LocalFunction, args, kwargs, standalone: bool = False) -> Any:
        """Inline a local function at its call (depth-bounded)."""
        fnode = func.node
        count = self.inline_counts.get(fnode, 0)
        if (len(self.inline_stack) >= MAX_INLINE_DEPTH or fnode in self.inline_stack
                or count >= MAX_INLINES_PER_FUNCTION):
            return self._unknown_result(args, kwargs, fnode)
        self.inline_counts[fnode] = count + 1
        scope = func.env if func.env is not None else self.env
        env = Env(scope)
        self._bind_params(fnode, args, kwargs, env, standalone, scope)
        self.inline_stack.append(fnode)
        try:
            if isinstance(fnode, nodes.Lambda):
                return self.eval(fnode.body, env)
            self.exec_block(fnode.body, env)
        except _Return as ret:
            return ret.value
        finally:
            self.inline_stack.pop()
        return None

    def _bind_params(self, fnode, args, kwargs, env: Env, standalone: bool, scope: Env) -> None:
        params = fnode.args
        names = [a.name for a in (params.posonlyargs or [])] + [a.name for a in params.args or []]
        defaults = params.defaults or []
        default_map = {}
        for name, default in zip(names[len(names) - len(defaults):], defaults):
            default_map[name] = default
        for a, d in zip(params.kwonlyargs or [], params.kw_defaults or []):
            names.append(a.name)
            if d is not None:
                default_map[a.name] = d
        is_method = isinstance(fnode.parent, nodes.ClassDef)
        self_bound = bool(args) and isinstance(args[0], Instance)
        for pos, name in enumerate(names):
            if is_method and pos == 0 and not self_bound:
                env.set(name, Opaque("self"))
                continue
            idx = pos - (1 if is_method and not self_bound else 0)
            if not standalone and idx < len(args) and name not in [a.name for a in params.kwonlyargs or []]:
                env.set(name, args[idx])
            elif name in kwargs:
                env.set(name, kwargs[name])
            elif name in default_map:
                env.set(name, self.eval(default_map[name], scope))
            elif standalone and name not in ("x", "inputs", "input_tensor", "tensor"):
                env.set(name, _symbolic(name))
            else:
                env.set(name, UNKNOWN)
        if params.vararg:
            offset = 1 if is_method and not self_bound else 0
            positional = len(names) - len(params.kwonlyargs or []) - offset
            env.set(params.vararg, tuple(args[positional:]) if not standalone else UNKNOWN)
        if params.kwarg:
            # Keyword arguments no parameter takes (Conv2D(**kwargs) in a wrapper).
            extra = {k: v for k, v in kwargs.items() if k not in names}
            env.set(params.kwarg, extra if not standalone else UNKNOWN)


    # --- classes defined in the module (subclassed models and layers) -------
    def _class_chain(self, cls: LocalClass, depth: int = 0) -> List[Any]:
        """The class and its local bases, most derived first; the last item
        may be a Ref to the library base."""
        chain: List[Any] = [cls]
        if depth > 8:
            return chain
        for base in cls.node.bases:
            value = self.eval(base, self.env)
            if isinstance(value, LocalClass):
                chain.extend(self._class_chain(value, depth + 1))
            elif isinstance(value, Ref):
                chain.append(value)
        return chain

    def _keras_kind(self, cls: LocalClass) -> str:
        for item in self._class_chain(cls):
            if isinstance(item, Ref):
                kind = classify(item.qualname)
                if kind and kind[0] in ("model", "sequential"):
                    return "model"
                if kind and kind[0] == "layer":
                    return "layer"
        return ""

    def class_attrs(self, cls: LocalClass) -> Dict[str, Any]:
        """Class-level constants (``class Config: MAX_LEN = 256``), bases first."""
        cached = self._class_attr_cache.get(cls.node)
        if cached is not None:
            return cached
        attrs: Dict[str, Any] = {}
        self._class_attr_cache[cls.node] = attrs  # recursion guard
        for item in reversed(self._class_chain(cls)):
            if isinstance(item, LocalClass):
                env = Env(self.env)
                for stmt in item.node.body:
                    if isinstance(stmt, (nodes.Assign, nodes.AnnAssign)) and getattr(stmt, "value", None) is not None:
                        self.exec_stmt(stmt, env)
                attrs.update(env.vars)
        return attrs

    def _find_method(self, cls: LocalClass, name: str):
        for item in self._class_chain(cls):
            if isinstance(item, LocalClass):
                for stmt in item.node.body:
                    if isinstance(stmt, nodes.FunctionDef) and stmt.name == name:
                        return stmt
        return None

    def instantiate(self, cls: LocalClass, args, kwargs, node) -> Any:
        inst = Instance(cls, self._keras_kind(cls))
        init = self._find_method(cls, "__init__")
        layer = self._keras_layer_subclass(cls, init, args, kwargs, node) if inst.keras == "layer" else None
        if layer is not None:
            return layer
        if init is not None:
            self.called_functions.add(init)
            self.call_function(LocalFunction(init), [inst] + list(args), kwargs)
        return inst

    def _keras_layer_subclass(self, cls: LocalClass, init, args, kwargs, node) -> Optional[LayerObj]:
        """A local subclass of a Keras layer that overrides none of its shape
        logic (call, build, compute_output_shape) and whose ``__init__`` only
        adds keyword options: the Keras layer's rule applies, under the local
        name (``class MultiHeadAttentionLSA(layers.MultiHeadAttention)``)."""
        chain = self._class_chain(cls)
        base = chain[-1]
        kind = classify(base.qualname) if isinstance(base, Ref) else None
        if not kind or kind[0] != "layer" or lookup(kind[1]) is None:
            return None
        for item in chain[:-1]:
            if any(isinstance(stmt, nodes.FunctionDef) and stmt.name in ("call", "build", "compute_output_shape",
                                                                         "compute_output_spec", "__call__")
                   for stmt in item.node.body):
                return None
        if init is not None:
            params = init.args
            if params.vararg or not params.kwarg or len(params.args or []) - len(params.defaults or []) > 1:
                return None  # positional options of its own: cannot map them
            supers = [c for c in init.nodes_of_class(nodes.Call)
                      if isinstance(c.func, nodes.Attribute) and c.func.attrname == "__init__"]
            if len(supers) != 1 or supers[0].args or any(k.arg is not None for k in supers[0].keywords or []):
                return None  # sets the Keras options itself
            own = {a.name for a in (params.args or []) + (params.kwonlyargs or [])}
            args, kwargs = [], {k: v for k, v in kwargs.items() if k not in own}
        layer = self.make_layer(kind[1], list(args), kwargs, node)
        if isinstance(layer, LayerObj):
            layer.display = cls.node.name
            layer.own_weights = init is not None
        return layer

    def instance_method(self, inst: Instance, name: str, args, kwargs, node) -> Any:
        if inst.keras == "model" and name == "build" and inst.model is None:
            shape = args[0] if args else kwargs.get("input_shape")
            if isinstance(shape, (tuple, list)):
                t = Tensor(self.graph.new_tensor(tuple(_as_shape_dim(d) for d in shape),
                                                 origin="input", node=node, exact=_literal_dims(shape)))
                self.call_instance(inst, [t], {}, node)
            return None
        if inst.keras == "model" and inst.model is None and name in TRAINING_METHODS:
            data_x = args[0] if args else kwargs.get("x")
            if isinstance(data_x, Array) and data_x.shape:
                self.call_instance(inst, [data_x], {}, node)
        if inst.keras == "model" and name == "compile":
            inst.attrs["__compile__"] = (args, kwargs, node)
            if inst.model is not None:
                return self.training_call(inst.model, name, args, kwargs, node)
            return None
        if inst.keras and name in ("add_weight", "add_variable") and self._find_method(inst.cls, name) is None:
            return self.add_weight(inst, args, kwargs, node)
        if inst.model is not None and name in TRAINING_METHODS:
            pending = inst.attrs.pop("__compile__", None)
            if pending is not None:
                self.training_call(inst.model, "compile", pending[0], pending[1], pending[2])
            return self.training_call(inst.model, name, args, kwargs, node)
        method = self._find_method(inst.cls, name)
        if method is None:
            return self._unknown_result(args, kwargs, node)
        self.called_functions.add(method)
        return self.call_function(LocalFunction(method), [inst] + list(args), kwargs)

    def add_weight(self, inst: Instance, args, kwargs, node) -> Any:
        """``self.add_weight(shape=(d,), ...)``: a weight tensor (no batch
        axis) of that shape; its size counts in the layer's parameters."""
        shape = kwargs.get("shape", UNKNOWN)
        if shape is UNKNOWN and args and not isinstance(args[0], str):
            shape = args[0]  # Keras 3: add_weight(shape=None, initializer=None, ...)
        elif shape is UNKNOWN and len(args) > 1 and isinstance(args[0], str):
            shape = args[1]  # Keras 2: add_weight(name, shape, ...)
        if shape is None or shape == ():
            shape = ()
        if not isinstance(shape, (tuple, list)) or not all(
                isinstance(d, int) and not isinstance(d, bool) for d in shape):
            inst.attrs["__weight_params__"] = None
            return Tensor(self.graph.new_tensor(tuple(None for _ in shape) if isinstance(shape, (tuple, list))
                                                else None, origin="weight", node=node))
        total = inst.attrs.get("__weight_params__", 0)
        inst.attrs["__weight_params__"] = None if total is None else total + math.prod(shape)
        return Tensor(self.graph.new_tensor(tuple(shape), origin="weight", node=node, exact=True))

    def call_instance(self, inst: Instance, args, kwargs, node) -> Any:
        """``model(x)`` / ``layer(x)`` on a subclass: build() on the first
        call, as Keras does, then follow its call()."""
        method = self._find_method(inst.cls, "call") if inst.keras else self._find_method(inst.cls, "__call__")
        if method is None:
            return self._unknown_result(args, kwargs, node)
        args = [self._as_tensor(a, node) for a in args]
        build = self._find_method(inst.cls, "build") if inst.keras else None
        if build is not None and "__built__" not in inst.attrs and args:
            inst.attrs["__built__"] = True
            first = args[0]
            shapes = (self.shape_value(first) if isinstance(first, Tensor) else
                      [self.shape_value(t) if isinstance(t, Tensor) else UNKNOWN for t in first]
                      if isinstance(first, (list, tuple)) else UNKNOWN)
            self.called_functions.add(build)
            self.call_function(LocalFunction(build), [inst, shapes], {})
        self.called_functions.add(method)
        first_call = len(self.graph.calls)
        result = self.call_function(LocalFunction(method), [inst] + list(args), kwargs)
        if inst.keras == "layer" and args and isinstance(args[0], Tensor):
            declared = self._declared_output(inst, args[0])
            if declared is not None:
                result = declared
            if isinstance(result, Tensor):
                result = self._custom_layer_call(inst, args[0], result, first_call, node)
        if inst.keras == "model" and inst.model is None:
            in_t = [t for t in _flatten(list(args)) if isinstance(t, Tensor)]
            out_t = [t for t in _flatten([result]) if isinstance(t, Tensor)]
            if in_t and out_t:
                model = self.make_functional([in_t], {"outputs": out_t}, inst.cls.node)
                if isinstance(model, ModelObj):
                    inst.model = model
        return result

    def _declared_output(self, inst: Instance, tensor: Tensor) -> Optional[Tensor]:
        """Keras 3 takes a symbolic call's output shape from the layer's own
        ``compute_output_shape`` when it defines one (not from tracing call())."""
        method = self._find_method(inst.cls, "compute_output_shape")
        if method is None:
            return None
        self.called_functions.add(method)
        shape = self.call_function(LocalFunction(method), [inst, self.shape_value(tensor)], {})
        if not isinstance(shape, (tuple, list)) or not shape or not all(
                d is None or d is UNKNOWN or isinstance(d, int) and not isinstance(d, bool)
                or dims.is_symbolic(d) for d in shape):
            return None
        return Tensor(self.graph.new_tensor(tuple(_as_shape_dim(d) for d in shape), origin="op",
                                            exact=_literal_dims(shape)))

    def _custom_layer_call(self, inst: Instance, tensor: Tensor, result: Tensor, first_call: int,
                           node) -> Tensor:
        """Record a custom layer's application as one call (its class name,
        the shape its call() gave, the weights of the layers it applied)."""
        if "__layer_id__" not in inst.attrs:
            inst.attrs["__layer_id__"] = next(self.layer_ids)
            inner = [c for c in self.graph.calls[first_call:] if not c.config.get("__custom__")]
            seen, params = set(), 0
            for call in inner:
                if call.layer_id in seen:
                    continue
                seen.add(call.layer_id)
                params = None if params is None or call.params is None else params + call.params
            weights = inst.attrs.get("__weight_params__", 0)
            inst.attrs["__params__"] = None if params is None or weights is None else params + weights
        call = LayerCall(index=-1, layer_id=inst.attrs["__layer_id__"],
                         config=LayerConfig(inst.cls.node.name, {"__custom__": True}), node=node,
                         input_shapes=[self.graph.shape(tensor.tid)],
                         output_shapes=[self.graph.shape(result.tid)],
                         params=inst.attrs["__params__"], exact=self.graph.exact(result.tid))
        self.graph.add_call(call, [tensor.tid])
        return Tensor(self.graph.new_tensor(self.graph.shape(result.tid), producer=call.index,
                                            exact=call.exact))

    def _as_tensor(self, value: Any, node) -> Any:
        """Calling a model on numpy data builds it on that data's shape."""
        if isinstance(value, Array) and value.shape is not None:
            return Tensor(self.graph.new_tensor((None,) + tuple(value.shape[1:]), origin="input", node=node))
        return value

    def training_call(self, model: ModelObj, name: str, args, kwargs, node) -> Any:
        """compile() remembers the loss; fit()/evaluate()/predict() record
        what data reaches the model, for the training-time checks."""
        if name == "compile":
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            model.loss = _loss_spec(loss, node)
            model.compile_node = node
            return None
        record = model.record
        if record is None:
            return None
        if name in ("predict", "predict_on_batch"):
            x, y = (args[0] if args else kwargs.get("x", UNKNOWN)), None
        else:
            x = args[0] if args else kwargs.get("x", UNKNOWN)
            y = args[1] if len(args) > 1 else kwargs.get("y", None)
        batched = False
        if (model.kind == "sequential" and model.input_tensor is None and isinstance(x, Array)
                and x.shape):
            # Keras builds an unbuilt Sequential on the first data it sees.
            self.sequential_build(model, (None,) + tuple(x.shape[1:]), node)
        if isinstance(x, Dataset):
            element = x.element
            batched = x.batched
            if isinstance(element, (tuple, list)) and len(element) == 2:
                x, y = element
            else:
                x, y = element, None
        self.graph.trainings.append(TrainingCall(
            record=record,
            method=name,
            node=node,
            x=[_data_info(v, batched) for v in (x if isinstance(x, (list, tuple)) else [x])],
            y=None if y is None else [_data_info(v, batched) for v in (y if isinstance(y, (list, tuple)) else [y])],
            loss=getattr(model, "loss", None),
            compile_node=getattr(model, "compile_node", None),
        ))
        return UNKNOWN


_COMPARISONS = {
    "equal": lambda a, b: a == b, "not_equal": lambda a, b: a != b,
    "greater": lambda a, b: a > b, "less": lambda a, b: a < b,
    "greater_equal": lambda a, b: a >= b, "less_equal": lambda a, b: a <= b,
}

TRAINING_METHODS = ("fit", "fit_generator", "evaluate", "predict", "train_on_batch",
                    "test_on_batch", "predict_on_batch", "evaluate_generator")


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def _loss_spec(loss: Any, node) -> Any:
    if isinstance(loss, LossSpec):
        return loss
    if isinstance(loss, str):
        return LossSpec(loss, False, node)
    if isinstance(loss, Ref):
        last = normalise(loss.qualname).split(".")[-1]
        return LossSpec(_snake(last) if last[:1].isupper() else last, False, node)
    if isinstance(loss, (list, tuple)):
        return [_loss_spec(v, node) for v in loss]
    if isinstance(loss, dict):
        return {k: _loss_spec(v, node) for k, v in loss.items()}
    return None


def _data_info(value: Any, batched: bool) -> Any:
    """Plain data for the checks: the full shape (sample axis first), or
    None when the code does not show it."""
    if not isinstance(value, Array) or value.shape is None:
        return None
    shape = ((None,) + tuple(value.shape)) if batched else tuple(value.shape)
    return DataInfo(shape, value.dtype, value.classes, value.onehot, value.node)


# ------------------------------------------------------------------ helpers
def _check_shared_layer(layer: LayerObj, input_shapes) -> None:
    """A built layer re-applied must see the same feature size (Keras'
    InputSpec axes check on Dense and friends)."""
    first = layer.built_input
    if not first or not input_shapes or first[0] is None or input_shapes[0] is None:
        return
    if layer.config.class_name in ("Dense", "EinsumDense") and dims.differs(first[0][-1], input_shapes[0][-1]):
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"shared {layer.config.class_name} was built for inputs with last axis "
            f"{dims.fmt_dim(first[0][-1])} but is applied to {dims.fmt_shape(input_shapes[0])}",
            "use a separate layer instance for inputs of a different size",
        )


def _changed(before: Any, after: Any) -> bool:
    if isinstance(after, list):
        return len(before) != len(after) or any(a is not b for a, b in zip(before, after))
    if isinstance(after, dict):
        return before.keys() != after.keys() or any(before[k] is not after[k] for k in after)
    return False


def _symbolic(name: str) -> Any:
    try:
        return dims.symbol(name)
    except Exception:  # pylint: disable=broad-except
        return UNKNOWN


def _config_value(value: Any) -> Any:
    if isinstance(value, LayerObj):
        return value.config
    if isinstance(value, list):
        return [_config_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_config_value(v) for v in value)
    return value


def _as_shape_dim(value: Any) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if dims.is_symbolic(value) and hasattr(value, "free_symbols"):
        return value
    return None


_MATH = {"log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp, "sqrt": math.sqrt,
         "floor": math.floor, "ceil": math.ceil, "pow": math.pow, "prod": math.prod}
# Tensor functions that, given a plain number, give a scalar: for shapes the
# same as the number (it broadcasts like ``()``).
_SCALAR_FUNCS = {"cast": float, "convert_to_tensor": float, "constant": float, "sqrt": math.sqrt,
                 "rsqrt": lambda v: 1 / math.sqrt(v), "exp": math.exp, "log": math.log}


def _scalar_call(qual: str, args, kwargs) -> Any:
    """``math.log(10000)``, ``tf.cast(self.units, tf.float32)``: numbers."""
    if not args or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args[:1]):
        return UNKNOWN
    root, _, name = qual.rpartition(".")
    try:
        if root == "math" and name in _MATH and all(isinstance(a, (int, float)) for a in args) and not kwargs:
            return _MATH[name](*args)
        if root in ("tensorflow", "tensorflow.math", "keras.ops", "numpy") and name in _SCALAR_FUNCS:
            return _SCALAR_FUNCS[name](args[0])
    except (ValueError, OverflowError, TypeError, ZeroDivisionError):
        return UNKNOWN
    return UNKNOWN


def _obtain_input_shape(args, kwargs) -> Any:
    """``imagenet_utils.obtain_input_shape``, channels_last: the given shape,
    else the default size (or (None, None, 3) when no Flatten needs it)."""
    names = ("input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights")
    values = dict(zip(names, args))
    values.update({k: v for k, v in kwargs.items() if k in names})
    input_shape, size = values.get("input_shape"), values.get("default_size")
    flatten, weights = values.get("require_flatten"), values.get("weights")
    if values.get("data_format") != "channels_last" or not isinstance(size, int) or not isinstance(flatten, bool) \
            or any(v is UNKNOWN for v in (input_shape, weights)):
        return UNKNOWN
    if input_shape is not None and not isinstance(input_shape, (tuple, list)):
        return UNKNOWN
    channels = input_shape[-1] if weights != "imagenet" and input_shape and len(input_shape) == 3 else 3
    default = (size, size, channels)
    if weights == "imagenet" and flatten:
        return default if input_shape is None or tuple(input_shape) == default else UNKNOWN
    shape = tuple(input_shape) if input_shape else (default if flatten else (None, None, 3))
    if flatten and None in shape:
        return UNKNOWN  # Keras raises
    return shape


# A Python string whose content the code does not show (an f-string, a
# caption grown token by token): enough to know a layer gets text.
SOME_STR = Opaque("str")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or value is SOME_STR


def _literal_dims(values: Any) -> bool:
    """A shape the code spells out: ints, symbols and Keras' own None."""
    return isinstance(values, (tuple, list)) and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool)) or dims.is_symbolic(v)
        and hasattr(v, "free_symbols") for v in values)


def _plain_call_kwargs(cfg: LayerConfig) -> bool:
    """Call arguments (training=, mask=, return_attention_scores=...) evaluated."""
    return all(isinstance(v, Tensor) or plain_value(v) for v in cfg.call_kwargs.values())


def _name_of(kwargs) -> str:
    name = kwargs.get("name")
    return name if isinstance(name, str) else ""


def _iter_values(value: Any) -> Optional[List[Any]]:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, range):
        return list(value) if len(value) <= MAX_MATERIALISE else None
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, str):
        return list(value)
    return None


def _flatten(values) -> List[Any]:
    out: List[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flatten(v))
        elif isinstance(v, dict):
            out.extend(_flatten(list(v.values())))
        else:
            out.append(v)
    return out


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str, tuple, list))


def _is_main_guard(test) -> bool:
    return (
        isinstance(test, nodes.Compare)
        and isinstance(test.left, nodes.Name)
        and test.left.name == "__name__"
    )


def _assigned_names(stmt) -> List[str]:
    names = []
    for node in stmt.nodes_of_class(nodes.AssignName):
        names.append(node.name)
    return names
