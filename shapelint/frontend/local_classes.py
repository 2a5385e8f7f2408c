"""Classes defined in the module: plain helper classes, and subclasses of
``keras.layers.Layer`` / ``keras.Model`` followed as Keras runs them --
``__init__`` at construction, ``build(input_shape)`` before the first call,
``add_weight`` weights counted in the parameters, a layer's own
``compute_output_shape`` used for symbolic calls (Keras 3 does), and
``call()`` followed at each application.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from astroid import nodes

from shapelint.frontend.keras_models import eager_data_tensor
from shapelint.frontend.resolve import Ref, classify
from shapelint.frontend.scope import Env
from shapelint.frontend.values import (
    Array,
    BoundMethod,
    Instance,
    LayerObj,
    Super,
    LocalClass,
    LocalFunction,
    ModelObj,
    Tensor,
    flatten,
    is_literal_shape,
)
from shapelint.frontend.walk import nodes_of
from shapelint.graph import LayerCall
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError, lookup
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.context import EvaluatorContext

MAX_CLASS_DEPTH = 8
# Methods through which a subclass changes its Keras base's shape logic.
_SHAPE_METHODS = ("call", "build", "compute_output_shape", "compute_output_spec", "__call__")
_NAMED_TUPLES = ("typing.NamedTuple",)
# Methods every Keras layer and model has (a subclass calls them on self).
_KERAS_METHODS = ("add_weight", "add_variable")
# Constructor options Keras keeps under the same name, unchanged
# (Dense.units, Conv.filters, Embedding.input_dim/output_dim, Dropout.rate).
_KERAS_OPTIONS = ("units", "filters", "input_dim", "output_dim", "rate")
# What Keras runs on each batch of fit/evaluate/predict: the program's own
# step method when its class defines one (keras.Model's otherwise).
_STEP_METHODS = {"fit": "train_step", "train_on_batch": "train_step", "evaluate": "test_step",
                 "test_on_batch": "test_step", "predict": "predict_step", "predict_on_batch": "predict_step"}


def _is_dataclass(cls_node) -> bool:
    """Decorated ``@dataclass``, ``@dataclasses.dataclass`` or either called
    (``@dataclass(frozen=True)``)."""
    for decorator in cls_node.decorators.nodes if cls_node.decorators else []:
        target = decorator.func if isinstance(decorator, nodes.Call) else decorator
        if getattr(target, "name", getattr(target, "attrname", "")) == "dataclass":
            return True
    return False


class LocalClasses:
    """Instantiation, attributes and methods of the module's own classes."""

    def __init__(self, ctx: "EvaluatorContext"):
        self.ctx = ctx
        self.graph = ctx.graph
        self._class_attr_cache: Dict[Any, Dict[str, Any]] = {}
        self.class_version = 0  # counts the changes of class attributes (a summary's reads of them)
        self._overrides: Dict[Any, Dict[str, Any]] = {}  # Cls.attr = value, per class
        self.instances_made = 0  # local class instances; each one's serial (a summary tells its own instances by it)

    # --- the class hierarchy --------------------------------------------------
    def class_chain(self, cls: LocalClass, depth: int = 0) -> List[Any]:
        """The class and its local bases, most derived first; the last item
        may be a Ref to the library base."""
        chain: List[Any] = [cls]
        if depth > MAX_CLASS_DEPTH:
            return chain
        for base in cls.node.bases:
            value = self.ctx.eval(base, self.ctx.env_of(cls.node))
            if isinstance(value, LocalClass):
                chain.extend(self.class_chain(value, depth + 1))
            elif isinstance(value, Ref):
                chain.append(value)
        return chain

    def keras_kind(self, cls: LocalClass) -> str:
        """"model", "layer", or "" for a class Keras does not drive."""
        for item in self.class_chain(cls):
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
        for item in reversed(self.class_chain(cls)):
            if isinstance(item, LocalClass):
                env = Env(self.ctx.env_of(item.node))
                for stmt in item.node.body:
                    if isinstance(stmt, (nodes.Assign, nodes.AnnAssign)) and getattr(stmt, "value", None) is not None:
                        self.ctx.exec_stmt(stmt, env)
                attrs.update(env.vars)
                attrs.update(self._overrides.get(item.node, {}))
        return attrs

    def class_overrides(self, cls: LocalClass) -> Dict[str, Any]:
        """The attributes the program set on the class object itself."""
        return self._overrides.setdefault(cls.node, {})

    def forget_class_attrs(self) -> None:
        """A class attribute changed: every class's view is recomputed (a
        subclass sees its base's)."""
        self._class_attr_cache.clear()
        self.class_version += 1

    def find_method(self, cls: LocalClass, name: str):
        for item in self.class_chain(cls):
            if isinstance(item, LocalClass):
                for stmt in item.node.body:
                    if isinstance(stmt, nodes.FunctionDef) and stmt.name == name:
                        return stmt
        return None

    def _run_method(self, method, inst: Instance, args, kwargs) -> Any:
        return self.ctx.call(LocalFunction(method), [inst] + list(args), kwargs, method)

    # --- instances ------------------------------------------------------------
    def instantiate(self, cls: LocalClass, args, kwargs, node) -> Any:
        self.instances_made += 1
        inst = Instance(cls, self.keras_kind(cls), node=node, serial=self.instances_made)
        init = self.find_method(cls, "__init__")
        layer = self._keras_layer_subclass(cls, init, args, kwargs, node) if inst.keras == "layer" else None
        if layer is not None:
            return layer
        if init is not None:
            self._run_method(init, inst, args, kwargs)
        else:
            inst.base_args = (list(args), dict(kwargs))
            if args or kwargs:
                self._init_fields(cls, inst, args, kwargs)
        return inst

    # --- super() ----------------------------------------------------------------
    def make_super(self, node, env, args) -> Any:
        """``super()`` in a method (its class and first parameter), or
        ``super(Cls, self)``: a Super, or UNKNOWN where the method's class is
        not in the instance's class chain."""
        if len(args) == 2 and isinstance(args[0], LocalClass):
            cls_node, inst = args[0].node, args[1]
        elif not args:
            method = node.frame()
            cls_node = method.parent if isinstance(method, nodes.FunctionDef) else None
            params = method.args.args if isinstance(method, nodes.FunctionDef) else None
            if not isinstance(cls_node, nodes.ClassDef) or not params:
                return UNKNOWN
            inst = self.ctx.eval_name(params[0].name, env)
        else:
            return UNKNOWN
        if not isinstance(inst, Instance) or not any(
                isinstance(c, LocalClass) and c.node is cls_node for c in self.class_chain(inst.cls)):
            return UNKNOWN
        return Super(inst, cls_node)

    def super_method(self, sup: Super, name: str, args, kwargs, node) -> Any:
        """``super().name(...)``: the next local class defining it, else the
        library base: its ``__init__`` takes the Keras options, a Keras
        layer's ``call`` is its rule, ``build`` creates weights only."""
        inst = sup.inst
        chain = self.class_chain(inst.cls)
        after = next(i for i, c in enumerate(chain) if isinstance(c, LocalClass) and c.node is sup.cls_node)
        for item in chain[after + 1:]:
            if isinstance(item, LocalClass):
                for stmt in item.node.body:
                    if isinstance(stmt, nodes.FunctionDef) and stmt.name == name:
                        return self._run_method(stmt, inst, args, kwargs)
        if name == "__init__":
            inst.base_args = (list(args), dict(kwargs))
            if inst.keras == "model" and inst.model is None and (args or "inputs" in kwargs):
                # keras.Model.__init__(inputs, outputs): a functional model
                model = self.ctx.keras.make_functional(list(args), dict(kwargs), inst.node or node)
                if isinstance(model, ModelObj):
                    model.display = inst.cls.node.name
                    inst.model = model
            return None
        if name == "build" and inst.keras:
            return None
        if name == "call" and inst.keras == "layer":
            return self.base_call(inst, args, kwargs, node)
        return self.ctx.unknown_result(args, kwargs, node)

    def keras_base(self, inst: Instance) -> Optional[str]:
        """The Keras layer class (with a shape rule) an instance's class
        derives from, or None."""
        base = self.class_chain(inst.cls)[-1]
        kind = classify(base.qualname) if isinstance(base, Ref) else None
        if not kind or kind[0] != "layer" or lookup(kind[1]) is None:
            return None
        return kind[1]

    def base_call(self, inst: Instance, args, kwargs, node) -> Any:
        """The Keras base layer's own call on a tensor: its rule, configured
        with what the base's ``__init__`` got; its weights count in the
        custom layer's parameters once."""
        name = self.keras_base(inst)
        tensor = args[0] if args else kwargs.get("inputs")
        if name is None or inst.base_args is None or not isinstance(tensor, Tensor):
            return self.ctx.unknown_result(args, kwargs, node)
        base_args, base_kwargs = inst.base_args
        values, _notes = self.ctx.keras.layer_values(name, base_args, base_kwargs, node)
        shape = self.graph.shape(tensor.tid)
        exact_in = self.graph.exact(tensor.tid)
        try:
            out = infer(LayerConfig(name, values), [shape], exact=exact_in)
        except ShapeError:
            out = None
        if out is None or len(out.shapes) != 1 or out.shapes[0] is None:
            inst.weight_params = None
            return self.ctx.new_tensor(None, node, inputs=[tensor])
        if not inst.base_params_counted:
            inst.base_params_counted = True
            total = inst.weight_params
            inst.weight_params = None if total is None or out.params is None else total + out.params
        exact = (out.exact and exact_in) or dims.fully_known(out.shapes[0])
        result = self.ctx.new_tensor(out.shapes[0], node, exact=exact, inputs=[tensor])
        self.ctx.symbolic.propagate(tensor, result)
        return result

    def _init_fields(self, cls: LocalClass, inst: Instance, args, kwargs) -> None:
        """The ``__init__`` Python makes for a dataclass or a NamedTuple:
        the fields (annotated class attributes, bases first) bound from the
        arguments, the rest from their defaults; then ``__post_init__``.  Any
        other class without an ``__init__`` of its own hands its arguments to
        a library base, which may set any attribute."""
        fields = self._fields(cls)
        unknown_keywords = any(k not in (fields or ()) for k in kwargs)
        if fields is None or len(args) > len(fields) or unknown_keywords:
            inst.attrs_unknown = True
            return
        defaults = self.class_attrs(cls)
        bound = dict(zip(fields, args))
        bound.update(kwargs)
        for name in fields:
            inst.attrs[name] = bound.get(name, defaults.get(name, UNKNOWN))
        post_init = self.find_method(cls, "__post_init__")
        if post_init is not None:
            self._run_method(post_init, inst, [], {})

    def _fields(self, cls: LocalClass) -> Optional[List[str]]:
        """A dataclass's or NamedTuple's fields in order; None for other classes."""
        chain = self.class_chain(cls)
        named_tuple = any(isinstance(item, Ref) and item.qualname in _NAMED_TUPLES for item in chain)
        fields: List[str] = []
        for item in reversed(chain):
            if not isinstance(item, LocalClass):
                continue
            if not (named_tuple or _is_dataclass(item.node)):
                return None
            for stmt in item.node.body:
                if isinstance(stmt, nodes.AnnAssign) and isinstance(stmt.target, nodes.AssignName) \
                        and stmt.target.name not in fields and "ClassVar" not in stmt.annotation.as_string():
                    fields.append(stmt.target.name)
        return fields

    def _keras_layer_subclass(self, cls: LocalClass, init, args, kwargs, node) -> Optional[LayerObj]:
        """A local subclass of a Keras layer that overrides none of its shape
        logic (call, build, compute_output_shape) and whose ``__init__`` only
        adds keyword options: the Keras layer's rule applies, under the local
        name (``class MultiHeadAttentionLSA(layers.MultiHeadAttention)``)."""
        chain = self.class_chain(cls)
        base = chain[-1]
        kind = classify(base.qualname) if isinstance(base, Ref) else None
        if not kind or kind[0] != "layer" or lookup(kind[1]) is None:
            return None
        for item in chain[:-1]:
            if any(isinstance(stmt, nodes.FunctionDef) and stmt.name in _SHAPE_METHODS for stmt in item.node.body):
                return None
        if init is not None:
            params = init.args
            if params.vararg or not params.kwarg or len(params.args or []) - len(params.defaults or []) > 1:
                return None  # positional options of its own: cannot map them
            supers = [c for c in nodes_of(init, nodes.Call)
                      if isinstance(c.func, nodes.Attribute) and c.func.attrname == "__init__"]
            if len(supers) != 1 or supers[0].args or any(k.arg is not None for k in supers[0].keywords or []):
                return None  # sets the Keras options itself
            own = {a.name for a in (params.args or []) + (params.kwonlyargs or [])}
            args, kwargs = [], {k: v for k, v in kwargs.items() if k not in own}
        layer = self.ctx.keras.make_layer(kind[1], list(args), kwargs, node)
        if isinstance(layer, LayerObj):
            layer.display = cls.node.name
            layer.own_weights = init is not None
        return layer

    def instance_attribute(self, inst: Instance, name: str) -> Any:
        if name in inst.attrs:
            value = inst.attrs[name]
            if Env.observer is not None:
                Env.observer.note_attribute(inst, name, value, True)
            return value
        value = self._other_attribute(inst, name)
        if Env.observer is not None:
            Env.observer.note_attribute(inst, name, value, False)
        return value

    def _other_attribute(self, inst: Instance, name: str) -> Any:
        """``inst.name`` where the instance holds no such attribute itself."""
        if inst.keras and name in _KERAS_METHODS and self.find_method(inst.cls, name) is None:
            return BoundMethod(inst, name)
        if inst.keras == "layer" and name in _KERAS_OPTIONS and inst.base_args is not None:
            base = self.keras_base(inst)
            if base is not None:
                value = self.ctx.keras.layer_values(base, *inst.base_args, inst.node)[0].get(name)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return value
        if inst.attrs_unknown and self.find_method(inst.cls, name) is None:
            return UNKNOWN
        if inst.model is not None and name in ("output", "outputs", "input", "inputs"):
            return self.ctx.keras.model_attribute(inst.model, name)
        class_attrs = self.class_attrs(inst.cls)
        if name in class_attrs:
            return class_attrs[name]
        return BoundMethod(inst, name)

    def instance_method(self, inst: Instance, name: str, args, kwargs, node) -> Any:
        training = self.ctx.training
        if inst.keras == "model" and name == "build" and inst.model is None:
            shape = args[0] if args else kwargs.get("input_shape")
            if isinstance(shape, (tuple, list)):
                tensor = self.ctx.new_tensor(tuple(dims.as_dim(d) for d in shape), node, origin="input",
                                             exact=is_literal_shape(shape))
                self.call_instance(inst, [tensor], {}, node)
            return None
        step = _STEP_METHODS.get(name) if inst.keras == "model" else None
        if step is not None and self.find_method(inst.cls, step) is not None:
            # Keras traces the program's own step on a batch (it calls the
            # model only if that step does)
            self._trace_step(inst, name, step, args, kwargs, node)
        elif inst.keras == "model" and inst.model is None and name in training.data_methods:
            shape = training.build_input(args[0] if args else kwargs.get("x"), node, name, kwargs)
            if shape is not None:  # Keras builds it on the data
                tensor = self.ctx.new_tensor(tuple(dims.as_dim(d) for d in shape), node, origin="input",
                                             exact=is_literal_shape(shape))
                self.call_instance(inst, [tensor], {}, node)
        if inst.keras == "model" and name == "compile":
            inst.pending_compile = (args, kwargs, node)
            if inst.model is not None:
                return training.record(inst.model, name, args, kwargs, node)
            return None
        if inst.keras and name in ("add_weight", "add_variable") and self.find_method(inst.cls, name) is None:
            return self.add_weight(inst, args, kwargs, node)
        if inst.model is not None and name in training.data_methods:
            pending, inst.pending_compile = inst.pending_compile, None
            if pending is not None:
                training.record(inst.model, "compile", pending[0], pending[1], pending[2])
            return training.record(inst.model, name, args, kwargs, node)
        method = self.find_method(inst.cls, name)
        if method is None:
            return self.ctx.unknown_result(args, kwargs, node)
        return self._run_method(method, inst, args, kwargs)

    def _trace_step(self, inst: Instance, method: str, step: str, args, kwargs, node) -> None:
        """``fit``/``evaluate``/``predict`` of a model whose class defines
        ``train_step``/``test_step``/``predict_step``: Keras traces it once
        (a tf.function it keeps) on a batch of the data, as
        ``unpack_x_y_sample_weight`` packs it (``x`` alone, ``(x, y)``, a
        dataset's element as it is)."""
        if step in inst.traced_steps:
            return
        x = args[0] if args else kwargs.get("x", UNKNOWN)
        y = None if step == "predict_step" else (args[1] if len(args) > 1 else kwargs.get("y"))
        data = self.ctx.training.step_data(x, y, kwargs, node, method)
        if data is None:
            return
        inst.traced_steps.add(step)
        with self.ctx.symbolic.tracing():
            self._run_method(self.find_method(inst.cls, step), inst, [data], {})

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
        if not isinstance(shape, (tuple, list)) or not all(dims.is_int(d) for d in shape):
            inst.weight_params = None
            return self.ctx.new_tensor(tuple(None for _ in shape) if isinstance(shape, (tuple, list)) else None,
                                       node, origin="weight")
        total = inst.weight_params
        inst.weight_params = None if total is None else total + math.prod(shape)
        return self.ctx.new_tensor(tuple(shape), node, origin="weight", exact=True)

    def call_instance(self, inst: Instance, args, kwargs, node) -> Any:
        """``model(x)`` / ``layer(x)`` on a subclass: build() on the first
        call, as Keras does, then follow its call()."""
        method = self.find_method(inst.cls, "call") if inst.keras else self.find_method(inst.cls, "__call__")
        if method is None and inst.keras == "layer" and self.keras_base(inst) is not None:
            return self._base_layer_call(inst, args, kwargs, node)
        if method is None and inst.keras == "model" and inst.model is not None:
            return self.ctx.keras.apply_model(inst.model, args, node)  # a functional subclass
        if method is None:
            return self.ctx.unknown_result(args, kwargs, node)
        args = [eager_data_tensor(self.ctx, a, node) if isinstance(a, Array) else a for a in args]
        build = self.find_method(inst.cls, "build") if inst.keras else None
        if build is not None and not inst.built and args:
            inst.built = True
            first = args[0]
            shapes = (self.ctx.shape_value(first) if isinstance(first, Tensor) else
                      [self.ctx.shape_value(t) if isinstance(t, Tensor) else UNKNOWN for t in first]
                      if isinstance(first, (list, tuple)) else UNKNOWN)
            with self.ctx.symbolic.tracing():
                self.ctx.call(LocalFunction(build), [inst, shapes], {}, build)
        first_call = len(self.graph.calls)
        if inst.keras:
            # Keras traces a layer's or model's call() with backend tensors
            # (in a FuncGraph when it is given a KerasTensor).
            symbolic = self.ctx.symbolic
            graph = symbolic.keras_version >= 3 and symbolic.is_symbolic(args)
            with symbolic.tracing(graph=graph):
                result = self._run_method(method, inst, args, kwargs)
            if graph and symbolic.raised_at is not None:
                # TensorFlow raised in the trace: the call raises, and Keras
                # applied nothing the trace met after that
                for later in self.graph.calls[symbolic.raised_at:]:
                    later.listed = False
                result = self.ctx.unknown_result(args, kwargs, node)
                if not symbolic.graph_depth:
                    symbolic.raised_at = None
        else:
            result = self._run_method(method, inst, args, kwargs)
        if inst.keras == "layer" and args and isinstance(args[0], Tensor):
            declared = self._declared_output(inst, args[0])
            if declared is not None:
                result = declared
            elif not (isinstance(result, Tensor) and self.graph.shape(result.tid) is not None) \
                    and self.ctx.symbolic.keras_version >= 3 and self.ctx.symbolic.is_symbolic(args[0]) \
                    and self.keras_base(inst) is not None:
                # Keras 3 gives a KerasTensor the shape its class's own
                # compute_output_shape says (Layer.compute_output_spec): a
                # built-in base's, whatever the call() it overrides does.
                result = self.base_call(inst, args[:1], {}, node)
            if isinstance(result, Tensor):
                result = self._custom_layer_call(inst, args[0], result, first_call, node)
        if inst.keras == "model" and inst.model is None:
            in_t = [t for t in flatten(list(args)) if isinstance(t, Tensor)]
            out_t = [t for t in flatten([result]) if isinstance(t, Tensor)]
            if in_t and out_t:
                model = self.ctx.keras.make_functional([in_t], {"outputs": out_t}, inst.cls.node)
                if isinstance(model, ModelObj):
                    inst.model = model
        return result

    def _base_layer_call(self, inst: Instance, args, kwargs, node) -> Any:
        """A subclass of a Keras layer that keeps its base's call() (it
        overrides build, or takes positional options of its own): the
        base's rule, recorded as the custom layer's application."""
        args = [eager_data_tensor(self.ctx, a, node) if isinstance(a, Array) else a for a in args]
        build = self.find_method(inst.cls, "build")
        if build is not None and not inst.built and args and isinstance(args[0], Tensor):
            inst.built = True
            with self.ctx.symbolic.tracing():
                self.ctx.call(LocalFunction(build), [inst, self.ctx.shape_value(args[0])], {}, build)
        first_call = len(self.graph.calls)
        result = self.base_call(inst, args, kwargs, node)
        if args and isinstance(args[0], Tensor) and isinstance(result, Tensor):
            declared = self._declared_output(inst, args[0])
            result = self._custom_layer_call(inst, args[0], declared or result, first_call, node)
        return result

    def _declared_output(self, inst: Instance, tensor: Tensor) -> Optional[Tensor]:
        """Keras 3 takes a symbolic call's output shape from the layer's own
        ``compute_output_shape`` when it defines one (not from tracing call())."""
        method = self.find_method(inst.cls, "compute_output_shape")
        if method is None:
            return None
        shape = self.ctx.call(LocalFunction(method), [inst, self.ctx.shape_value(tensor)], {}, method)
        if not isinstance(shape, (tuple, list)) or not shape or not all(
                d is None or d is UNKNOWN or dims.is_size(d) for d in shape):
            return None
        return self.ctx.new_tensor(tuple(dims.as_dim(d) for d in shape), exact=is_literal_shape(shape))

    def _custom_layer_call(self, inst: Instance, tensor: Tensor, result: Tensor, first_call: int,
                           node) -> Tensor:
        """Record a custom layer's application as one call (its class name,
        the shape its call() gave, the weights of the layers it applied)."""
        if inst.layer_id is None:
            inst.layer_id = self.ctx.next_layer_id()
            inner = [c for c in self.graph.calls[first_call:] if c.kind != "custom"]
            seen, params = set(), 0
            for call in inner:
                if call.layer_id in seen:
                    continue
                seen.add(call.layer_id)
                params = None if params is None or call.params is None else params + call.params
            weights = inst.weight_params
            inst.params = None if params is None or weights is None else params + weights
        call = LayerCall(index=-1, layer_id=inst.layer_id, config=LayerConfig(inst.cls.node.name), node=node,
                         input_shapes=[self.graph.shape(tensor.tid)],
                         output_shapes=[self.graph.shape(result.tid)],
                         params=inst.params, exact=self.graph.exact(result.tid), kind="custom",
                         in_uncertain_branch=self.ctx.in_uncertain_branch,
                         in_uncalled_function=self.ctx.in_uncalled_function)
        self.graph.add_call(call, [tensor.tid])
        out = Tensor(self.graph.new_tensor(self.graph.shape(result.tid), producer=call.index,
                                           exact=call.exact))
        self.ctx.symbolic.propagate(tensor, out)
        return out
