"""Keras construction: ``Input``, layer objects and their application to
tensors, Sequential and functional models, models applied like layers, and
``keras.applications`` backbones.

Every layer application becomes one ``LayerCall`` in the graph, its output
shape from the layer's rule (``shapes/``).  A rule that finds an input Keras
would refuse raises a ``ShapeError``; it is recorded on the call, with where
the call was met, and the checks decide what to report.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from shapelint.frontend import keras1, layer_weights
from shapelint.frontend.keras1 import keras3_spelling
from shapelint.frontend.library import DECLINE
from shapelint.frontend.resolve import CONTRIB_LAYER_FUNCTIONS, Ref
from shapelint.frontend.values import (
    Array,
    BoundMethod,
    Choice,
    Instance,
    LayerHandle,
    LayerObj,
    LocalFunction,
    ModelObj,
    Opaque,
    Tensor,
    flatten,
    is_literal_shape,
    is_text,
    iter_values,
)
from shapelint.graph import ConstructionError, LayerCall, ModelRecord
from shapelint.messages import INCOMPATIBLE_INPUT_RANK, INCOMPATIBLE_INPUT_SHAPE, SHAPE_NOT_A_TUPLE
from shapelint.shapes import applications, dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import LayerConfig, Out, ShapeError, canonical_name, lookup, new_config
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.context import EvaluatorContext

# Call arguments that name the tensors of a multi-input layer (attention).
_TENSOR_KWARGS = ("query", "value", "key")
_CALL_TENSOR_KWARGS = _TENSOR_KWARGS + ("inputs",)  # the keywords of a layer call that are not call arguments


# Arguments of TensorFlow 1's layer functions (tf.layers.*) that are not
# their Keras class's: call-time or variable-scope arguments.
_TF1_FUNCTION_ONLY = frozenset(("inputs", "training", "reuse", "renorm", "renorm_clipping", "renorm_momentum",
                                "fused", "virtual_batch_size", "adjustment"))


# keras.applications arguments that change a backbone's widths (its channels
# and parameters), at the value the backbone table was measured with.
_BACKBONE_WIDTH_DEFAULTS = {"alpha": 1.0, "depth_multiplier": 1, "minimalistic": False}


class KerasModels:
    """Keras objects the program builds, and what applying them gives."""

    def __init__(self, ctx: "EvaluatorContext"):
        self.ctx = ctx
        self.graph = ctx.graph
        self.layer_objs: Dict[int, LayerObj] = {}  # layer_id -> instance
        self.sequentials: List[ModelObj] = []

    # --- what a Keras name is called for ----------------------------------
    def construct(self, kind: Tuple[str, str], args, kwargs, node) -> Any:
        """``keras.Input(...)``, ``keras.Model(...)``, ``Sequential(...)``,
        ``layers.X(...)`` and the merge functions (``layers.concatenate``)."""
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
        if what == "tf1_function":
            # tf.layers.dense(inputs, units, ...): Dense(units, ...)(inputs); the
            # arguments only TensorFlow 1's functions take are not the layer's
            tensor = args[0] if args else kwargs.get("inputs", UNKNOWN)
            layer_kwargs = {k: v for k, v in kwargs.items() if k not in _TF1_FUNCTION_ONLY}
            layer = self.make_layer(name, list(args[1:]), layer_kwargs, node)
            return self.apply_layer(layer, [tensor], {}, node)
        if what == "contrib_function":
            return self._apply_contrib(name, args, kwargs, node)
        if what == "clone_model":
            return self.clone_model(args[0] if args else kwargs.get("model"), args[1:], kwargs, node)
        return self.make_layer(name, args, kwargs, node)

    def clone_model(self, source: Any, rest, kwargs, node) -> Any:
        """``keras.models.clone_model(model)`` of a Sequential: a new
        Sequential of new layers of the same configurations (constructed, and
        listed, at this call), built on an input of the same shape when the
        model was built (Keras 3's ``_clone_sequential_model``).  Other models, or given
        ``input_tensors``/``clone_function``, stay unknown."""
        if not (isinstance(source, ModelObj) and source.kind == "sequential") or rest or any(
                kwargs.get(k) is not None for k in ("input_tensors", "clone_function", "call_function")):
            return self.ctx.unknown_result([source], {}, node)
        if not all(isinstance(layer, LayerObj) for layer in source.layers):
            return self.ctx.unknown_result([source], {}, node)
        items: list = []
        if source.input_tensor is not None:
            items.append(self.ctx.new_tensor(self.graph.shape(source.input_tensor.tid), node, origin="input",
                                             exact=self.graph.exact(source.input_tensor.tid)))
        for layer in source.layers:
            # constructed by Keras at the clone_model call (its rows are
            # there), from the layer's config: no input_shape of its own (a
            # Sequential of the clone's layers is not built until called)
            copy = dataclasses.replace(layer, layer_id=self.ctx.next_layer_id(), built_input=None, node=node,
                                       input_shape=None, input_exact=False, input_declared=False)
            self.layer_objs[copy.layer_id] = copy
            items.append(copy)
        return self.make_sequential([items], {}, node)

    def _apply_contrib(self, name: str, args, kwargs, node) -> Any:
        """``tf.contrib.layers.fully_connected(inputs, num_outputs)`` and the
        others: their Keras layer (arguments renamed, their own defaults,
        ``'SAME'``/``'VALID'`` as Keras spells them) applied to the input."""
        cls, renames, defaults = CONTRIB_LAYER_FUNCTIONS[name]
        tensor = args[0] if args else kwargs.get("inputs", UNKNOWN)
        layer_kwargs = {renames.get(k, k): v for k, v in kwargs.items()
                        if k in renames or k in ("padding", "kernel_size", "data_format")}
        for key, value in defaults.items():
            layer_kwargs.setdefault(key, value)
        if isinstance(layer_kwargs.get("padding"), str):
            layer_kwargs["padding"] = layer_kwargs["padding"].lower()
        if "activation" in layer_kwargs and layer_kwargs["activation"] is not None:
            layer_kwargs["activation"] = UNKNOWN  # a function; no shape of its own
        params = list(args[1:])
        if params and name in ("conv2d", "convolution2d") and len(params) >= 4 and isinstance(params[3], str):
            params[3] = params[3].lower()
        if params and name in ("max_pool2d", "avg_pool2d") and len(params) >= 3 and isinstance(params[2], str):
            params[2] = params[2].lower()
        positional = {"Dense": ("units",), "Flatten": (), "Conv2D": ("filters", "kernel_size", "strides", "padding"),
                      "MaxPooling2D": ("pool_size", "strides", "padding"),
                      "AveragePooling2D": ("pool_size", "strides", "padding")}[cls]
        if len(params) > len(positional):
            return self.ctx.unknown_result([tensor], {}, node)
        layer_kwargs.update(zip(positional, params))
        layer = self.make_layer(cls, [], layer_kwargs, node)
        return self.apply_layer(layer, [tensor], {}, node)

    def call_keras_api(self, qualname: str, args, kwargs, node) -> Any:
        """``keras.applications.<Backbone>(...)``; DECLINE for anything else."""
        last = qualname.rpartition(".")[2]
        if qualname.startswith("keras.applications.") and last in applications.known_backbones():
            return self.make_backbone(last, kwargs, node)
        return DECLINE

    # --- constructors -------------------------------------------------------
    def make_input(self, args, kwargs, node) -> Tensor:
        shape = kwargs.get("shape", args[0] if args else None)
        batch_size = kwargs.get("batch_size", None)
        batch_shape = kwargs.get("batch_shape", kwargs.get("batch_input_shape", None))
        full: Any = None
        exact = False
        if isinstance(batch_shape, (tuple, list)):
            full = tuple(dims.as_dim(d) for d in batch_shape)
            exact = is_literal_shape(batch_shape)
        elif isinstance(shape, (tuple, list)):
            batch = batch_size if isinstance(batch_size, int) else None
            full = (batch,) + tuple(dims.as_dim(d) for d in shape)
            exact = is_literal_shape(shape)
        elif dims.is_int(shape):
            self.record_construction_error(_argument_node(node, "shape", 0), shape_not_a_tuple(
                f"{_callee(node)}(shape={shape})", shape))
            full = (None, shape)  # what was meant: the rest of the model is still checked
        tensor = self.ctx.new_tensor(full, node, origin="input", exact=exact)
        self.ctx.symbolic.mark(tensor)  # a KerasTensor
        return tensor

    def record_construction_error(self, node, error: ShapeError) -> None:
        """An error Keras raises outside a layer's shape rule (checks/construction.py)."""
        self.graph.construction_errors.append(ConstructionError(
            node, error, self.ctx.in_uncertain_branch, self.ctx.in_uncalled_function))

    def make_layer(self, name: str, args, kwargs, node) -> Any:
        if name == "InputLayer":
            shape = kwargs.get("shape", kwargs.get("input_shape", args[0] if args else None))
            return self.make_input([shape] if shape is not None else [], {
                k: v for k, v in kwargs.items() if k in ("batch_size", "batch_shape", "batch_input_shape")
            }, node)
        values, notes = self.layer_values(name, args, kwargs, node)
        self.graph.keras1_notes.extend(notes)
        if values.get("data_format") is None and "data_format" in KERAS_POSITIONAL.get(name, ()):
            default = self.ctx.state.default_data_format()
            if default is not None:  # set_image_data_format(...) ran before: Keras reads it now
                values["data_format"] = default
        input_shape = None
        input_exact = False
        declared = False
        if "input_dim" not in values and "input_shape" not in values and "batch_input_shape" not in values:
            pass  # nearly every layer: none of the tests below can hold
        elif name != "Embedding" and isinstance(values.get("input_dim"), int):
            input_shape = (None, values["input_dim"])
        elif isinstance(values.get("input_shape"), (tuple, list)):
            input_shape = (None,) + tuple(dims.as_dim(d) for d in values["input_shape"])
            input_exact = is_literal_shape(values["input_shape"])
        elif isinstance(values.get("batch_input_shape"), (tuple, list)):
            input_shape = tuple(dims.as_dim(d) for d in values["batch_input_shape"])
            input_exact = is_literal_shape(values["batch_input_shape"])
        elif name != "Embedding" and values.get("input_dim") is not None:
            input_shape = (None, None)  # a rank-2 input of a size we cannot tell
        if input_shape is not None or values.get("input_shape") is not None \
                or values.get("batch_input_shape") is not None:
            declared = True
        # Embedding's input_length: Keras 3 ignores it; it does not define an input.
        layer = LayerObj(self.ctx.next_layer_id(), new_config(name, values), node, input_shape,
                         input_exact=input_exact, input_declared=declared)
        self.layer_objs[layer.layer_id] = layer
        error = layer_weights.constructor_weights_error(layer.config)
        if error is not None:
            self.record_construction_error(_argument_node(node, "weights", None) or node, error)
        return layer

    def make_functional(self, args, kwargs, node) -> Any:
        inputs = kwargs.get("inputs", args[0] if args else UNKNOWN)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else UNKNOWN)
        in_t = [t for t in flatten([inputs]) if isinstance(t, Tensor)]
        out_t = [t for t in flatten([outputs]) if isinstance(t, Tensor)]
        if not in_t or not out_t:
            return Opaque("model")  # subclass-style or unknown: not followed
        record = ModelRecord("functional", node, _name_of(kwargs))
        record.inputs = [t.tid for t in in_t]
        record.outputs = [t.tid for t in out_t]
        record.calls = sorted(self.graph.ancestor_call_indexes([t.tid for t in out_t]))
        self.graph.add_model(record)
        return ModelObj("functional", node, record, inputs=in_t, outputs=out_t)

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
        if any(kwargs.get(k, default) != default for k, default in _BACKBONE_WIDTH_DEFAULTS.items()):
            return UNKNOWN  # another width than the table's (MobileNet(alpha=0.5) has 512 channels)
        input_tensor = kwargs.get("input_tensor")
        if isinstance(input_tensor, Tensor):
            tensor = input_tensor
            in_shape = self.graph.shape(tensor.tid)
        else:
            raw = kwargs.get("input_shape")
            if raw is UNKNOWN:
                return UNKNOWN
            per_sample = tuple(dims.as_dim(d) for d in raw) if isinstance(raw, (tuple, list)) else None
            if raw is None or (per_sample is not None and is_literal_shape(raw)):
                self._check_backbone_arguments(name, per_sample, options, node)
            if per_sample is None:
                # Keras picks the input from the defaults: take it from the table.
                size = applications.default_input_size(name) if options["include_top"] else None
                per_sample = (size, size, 3)
            in_shape = (None,) + per_sample
            tensor = self.ctx.new_tensor(in_shape, node, origin="input", exact=raw is None or is_literal_shape(raw))
            self.ctx.symbolic.mark(tensor)
        result = applications.backbone_output(
            name, input_shape=tuple(in_shape[1:]) if in_shape else None, **options)
        shape, params = result if result is not None else (None, None)
        model = ModelObj("functional", node, backbone=(name, options))
        out = self._model_call(model, tensor, shape, params, node, self.graph.exact(tensor.tid), listed=False)
        record = ModelRecord("functional", node, name)
        record.inputs, record.outputs = [tensor.tid], [out.tid]
        record.calls = [self.graph.producer(out.tid).index]
        self.graph.add_model(record)
        model.record, model.inputs, model.outputs = record, [tensor], [out]
        return model

    def _check_backbone_arguments(self, name: str, input_shape, options, node) -> None:
        """What ``keras.applications.<name>(...)`` raises for its
        ``input_shape``/``include_top``/``weights`` (Keras'
        ``obtain_input_shape``): recorded at the call."""
        if self.ctx.state.image_data_format_set:
            return  # channels_first may be on: the checks read the other axis
        said = applications.backbone_error(name, input_shape=input_shape, **options)
        if said is None:
            return
        shown = dims.fmt_shape(input_shape) if input_shape is not None else "its default"
        if "include_top" in said:
            size = applications.default_input_size(name)
            fix = (f"pass include_top=False (and put your own head on it), or input_shape=({size}, {size}, 3); "
                   f"or resize the images to {size}x{size}")
        elif "3 channels" in said:
            fix = ("ImageNet weights take 3 channels: repeat a grayscale channel (np.repeat(x, 3, -1), "
                   "tf.image.grayscale_to_rgb), or pass weights=None")
        elif "at least" in said:
            fix = f"resize the images to at least {applications.min_input_size(name)} pixels a side"
        else:
            fix = ""
        self.record_construction_error(node, ShapeError(
            INCOMPATIBLE_INPUT_SHAPE,
            f"{name}(...) is built for input_shape {shown}: Keras raises (\"{said}\")", fix))

    # --- Sequential ---------------------------------------------------------
    def make_sequential(self, args, kwargs, node) -> ModelObj:
        model = ModelObj("sequential", node)
        record = ModelRecord("sequential", node, _name_of(kwargs))
        model.record = record
        self.graph.add_model(record)
        self.sequentials.append(model)
        items = kwargs.get("layers", args[0] if args else None)
        listed = iter_values(items) if items is not None else []
        if listed is None:
            # layers the code does not show (another model's ``.layers[:-1]``,
            # a model loaded from a file): the model is not known from here on
            listed = [UNKNOWN]
        for item in listed:
            self.sequential_add(model, item, node)
        return model

    def sequential_add(self, model: ModelObj, item: Any, node) -> None:
        if isinstance(item, LayerHandle):
            # another model's layer (``Sequential(model_A.layers[:-1])``): the
            # same layer object, shared; a functional model's InputLayer is
            # this model's input, of its shape
            if item.layer is not None:
                item = item.layer
            elif isinstance(item.output, Tensor) and not model.layers and model.input_tensor is None:
                item = self.ctx.new_tensor(self.graph.shape(item.output.tid), node, origin="input",
                                           exact=self.graph.exact(item.output.tid))
        if isinstance(item, Tensor) and not model.layers and model.input_tensor is None:
            model.input_tensor = item
            model.output_tensor = item
            model.record.inputs = [item.tid]
            return
        if isinstance(item, LayerObj):
            if not model.layers and model.input_tensor is None and dims.is_int(item.config.get("input_shape")):
                # Keras 3 makes the Sequential's InputLayer from it, and raises.
                value = item.config.get("input_shape")
                self.record_construction_error(
                    _argument_node(item.node, "input_shape", None) or item.node,
                    shape_not_a_tuple(f"{item.config.class_name}(input_shape={value})", value, "input_shape"))
            model.layers.append(item)
            if model.input_tensor is None and len(model.layers) == 1 and item.input_declared:
                # An input_shape we cannot evaluate still builds the model
                # here (on unknown sizes), never on whatever data reaches fit.
                self._start_sequential(model, self.ctx.new_tensor(
                    item.input_shape, item.node, origin="input", exact=item.input_exact))
            if model.output_tensor is not None:
                self._sequential_apply(model, item)
            return
        if isinstance(item, ModelObj):
            # A model used as a layer (a backbone, a data_augmentation
            # Sequential).  First, a built one builds the Sequential on its
            # input shape (Sequential._maybe_rebuild reads its input_shape).
            model.layers.append(item)
            first = (item.inputs[0] if item.inputs else None) if item.kind == "functional" else item.input_tensor
            if model.input_tensor is None and len(model.layers) == 1 and first is not None:
                self._start_sequential(model, self.ctx.new_tensor(
                    self.graph.shape(first.tid), node, origin="input", exact=self.graph.exact(first.tid)))
            if model.output_tensor is not None:
                self._sequential_apply(model, item)
            return
        if isinstance(item, Instance) and item.keras or isinstance(item, Choice):
            # A subclassed layer defined in the module (its call() is
            # followed), or a layer chosen by if/else.
            model.layers.append(item)
            if model.output_tensor is not None:
                self._sequential_apply(model, item)
            return
        # Something we cannot follow: the rest is unknown.
        model.layers.append(LayerObj(self.ctx.next_layer_id(), LayerConfig("?"), node))
        if model.output_tensor is not None:
            model.output_tensor = self.ctx.new_tensor(None, node)

    @staticmethod
    def _start_sequential(model: ModelObj, tensor: Tensor) -> None:
        model.input_tensor = model.output_tensor = tensor
        model.record.inputs = [tensor.tid]

    def _sequential_apply(self, model: ModelObj, layer: Any) -> None:
        if isinstance(layer, ModelObj):
            out = self.apply_model(layer, [model.output_tensor], layer.node)
        elif isinstance(layer, LayerObj):
            out = self.apply_layer(layer, [model.output_tensor], {}, layer.node, in_sequential=True)
        elif self._refused_in_sequential(layer):
            out = self.ctx.new_tensor(None)  # Keras raises: nothing after it is built
        else:  # a local subclass instance, a Choice: called as the program would
            where = getattr(layer, "node", None) or model.node
            out = self.ctx.call(layer, [model.output_tensor], {}, where)
        model.output_tensor = out if isinstance(out, Tensor) else self.ctx.new_tensor(None)
        model.record.outputs = [model.output_tensor.tid]

    def _refused_in_sequential(self, layer: Any) -> bool:
        """A layer of the program's own whose ``call()`` requires more than
        the input (``call(self, inputs, training)``): Keras 3's Sequential
        builds by calling ``layer(x)`` alone and raises ("Layers added to a
        Sequential model can only have a single required positional
        argument"; Keras 2 filled ``training`` in itself)."""
        if not isinstance(layer, Instance) or layer.keras != "layer" or self.ctx.symbolic.keras_version < 3:
            return False
        call = self.ctx.classes.find_method(layer.cls, "call")
        if call is None or call.args is None or call.args.vararg:
            return False
        positional = list(call.args.posonlyargs or []) + list(call.args.args or [])
        return len(positional) - 1 - len(call.args.defaults or []) > 1

    def sequential_build(self, model: ModelObj, shape: Any, node) -> None:
        if model.input_tensor is not None or shape is None:
            return
        if isinstance(shape, (tuple, list)):
            tensor = self.ctx.new_tensor(tuple(dims.as_dim(d) for d in shape), node, origin="input",
                                         exact=is_literal_shape(shape))
        else:  # model.build(<a shape we cannot tell>): built all the same
            tensor = self.ctx.new_tensor(None, node, origin="input")
        self._start_sequential(model, tensor)
        for layer in model.layers:
            self._sequential_apply(model, layer)

    def finish_sequentials(self) -> None:
        """Each Sequential's calls, once the module has run.  One never built
        nor called lists none: Keras would not have built its layers either."""
        for model in self.sequentials:
            if model.input_tensor is not None:
                model.record.calls = sorted(
                    {c.index for c in self.graph.ancestors_calls(model.output_tensor.tid)})
            else:
                model.record.calls = []

    # --- applying layers and models -----------------------------------------
    def apply_handle(self, handle: LayerHandle, args, kwargs, node) -> Any:
        """``model.layers[i](x)``: the layer again, on another tensor."""
        if handle.layer is None:
            return self.ctx.unknown_result(args, kwargs, node)
        return self.apply_layer(handle.layer, args, kwargs, node)

    @staticmethod
    def layer_values(name: str, args, kwargs, node) -> Tuple[Dict[str, Any], list]:
        """A layer's constructor arguments by name (its rule's signature
        names the positional ones; Keras 1 spellings translated), and the
        notes the translation made."""
        rule = lookup(name)
        if rule is not None and keras3_spelling(name, kwargs, node):
            notes: list = []  # translate_layer's answer, without its copies
        else:
            args, kwargs, notes = keras1.translate_layer(name, list(args), kwargs, node)
        signature = rule.signature if rule else ()
        values: Dict[str, Any] = dict(zip(signature, args))  # the positional ones the signature names
        values.update(kwargs)
        for key, value in values.items():  # (each value replaced in place: the keys and their order stay)
            if isinstance(value, _CONFIG_CONTAINERS):
                values[key] = _config_value(value)
        return values, notes

    def apply_layer(self, layer: LayerObj, args, kwargs, node, in_sequential: bool = False) -> Any:
        rule = lookup(layer.config.class_name)
        tensors = self._layer_inputs(layer, args, kwargs, node, rule)
        if tensors is None:
            return self.ctx.unknown_result(args, kwargs, node)
        graph = self.graph
        if len(tensors) == 1:  # most layers: the lists below, without their loops
            only = tensors[0].tid
            input_shapes = [graph.shape(only)]
            inputs_exact = bool(graph.exact(only))
        else:
            input_shapes = [graph.shape(t.tid) for t in tensors]
            inputs_exact = all(graph.exact(t.tid) for t in tensors)
        cfg = layer.config
        call_kwargs = {k: v for k, v in kwargs.items() if k not in _CALL_TENSOR_KWARGS} if kwargs else None
        if call_kwargs:
            cfg = LayerConfig(cfg.class_name, cfg.args, call_kwargs)
        error = None
        lambda_exact = None
        try:
            out = infer(cfg, input_shapes, exact=inputs_exact, rule=rule)  # (cfg: the layer's, with call keywords)
            if cfg.class_name == "Lambda" and out.shape is None:
                out, lambda_exact = self._trace_lambda(cfg, tensors, node)
            if layer.built_input is not None:
                _check_shared_layer(layer, input_shapes)
            else:
                layer.built_input = input_shapes
                self._check_initializers(layer, cfg, input_shapes)
        except ShapeError as exc:
            error = exc  # the checks decide whether it is reported (checks/policy.py)
            out = Out([None], None)
        exact = error is None and rule is not None and out.exact and inputs_exact
        if lambda_exact is not None:
            exact = lambda_exact
        if not exact:
            shapes = out.shapes or [None]
            exact = all(s is not None and dims.fully_known(s) for s in shapes) if len(shapes) > 1 \
                else dims.fully_known(shapes[0])  # (one output: the test without the generator)
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
            in_uncertain_branch=self.ctx.in_uncertain_branch,
            in_uncalled_function=self.ctx.in_uncalled_function,
        )
        graph.add_call(call, [t.tid for t in tensors])
        marked = self.ctx.symbolic.tids
        output_shapes = call.output_shapes
        if len(output_shapes) == 1 and len(tensors) == 1:  # most layers: the general case below, without its loops
            out_tensor = Tensor(graph.new_tensor(output_shapes[0], producer=call.index, exact=exact))
            if tensors[0].tid in marked:
                marked.add(out_tensor.tid)
            return out_tensor
        outs = [Tensor(graph.new_tensor(s, producer=call.index, exact=exact)) for s in output_shapes]
        # symbolic.propagate(tensors, outs), for a list of tensors
        if any(t.tid in marked for t in tensors):
            marked.update(t.tid for t in outs)
        return outs[0] if len(outs) == 1 else list(outs)

    def _check_initializers(self, layer: LayerObj, cfg: LayerConfig, input_shapes) -> None:
        """Keras builds the layer on its first call: a Constant(M) initializer
        of another shape than the weight raises there."""
        found = layer_weights.initializer_error(cfg, input_shapes[0] if input_shapes else None)
        if found is not None:
            keyword, error = found
            self.record_construction_error(_argument_node(layer.node, keyword, None) or layer.node, error)

    def layer_method(self, layer: LayerObj, name: str, args, kwargs, node) -> Any:
        """``layer.set_weights([...])``; any other method is not followed."""
        if name == "set_weights" and layer.built_input:
            arrays = args[0] if args else kwargs.get("weights")
            error = layer_weights.set_weights_error(layer.config, layer.built_input[0], arrays)
            if error is not None:
                self.record_construction_error(node, error)
            return None
        return self.ctx.unknown_result(args, kwargs, node)

    def handle_method(self, handle: LayerHandle, name: str, args, kwargs, node) -> Any:
        """``model.layers[i].set_weights(...)``, ``model.get_layer(n).set_weights(...)``."""
        if handle.layer is None:
            return self.ctx.unknown_result(args, kwargs, node)
        return self.layer_method(handle.layer, name, args, kwargs, node)

    def _layer_inputs(self, layer: LayerObj, args, kwargs, node, rule) -> Optional[List[Tensor]]:
        """The tensors a layer call gets (``rule``: its layer's), or None when
        they are not all tensors."""
        if rule is not None and rule.inputs == "multi":
            tensors = list(args) + [kwargs[k] for k in _TENSOR_KWARGS if k in kwargs]
            tensors = [t for t in tensors if t is not None]
        else:
            first = args[0] if args else kwargs.get("inputs", UNKNOWN)
            if isinstance(first, list) and first and all(is_text(v) for v in first):
                # An eager call on Python strings (vectorizer(["a caption"])): one row per string.
                first = self.ctx.new_tensor((len(first),), node, origin="data", exact=True)
            elif isinstance(first, Array):
                first = eager_data_tensor(self.ctx, first, node)
            tensors = list(first) if isinstance(first, (list, tuple)) else [first]
        if len(tensors) == 1:  # most layers: the test below without the generator
            return tensors if isinstance(tensors[0], Tensor) else None
        if not tensors or not all(isinstance(t, Tensor) for t in tensors):
            return None
        return tensors

    def _trace_lambda(self, cfg: LayerConfig, tensors: List[Tensor], node) -> Tuple[Out, bool]:
        """Keras 3 builds a Lambda by tracing its function on the symbolic
        input (compute_output_spec): follow a local function or a known op
        the same way.  Returns (Out, exact)."""
        func = cfg.get("function", UNKNOWN)
        extra = cfg.get("arguments", None)
        if not isinstance(func, (LocalFunction, Ref)) or not (extra is None or isinstance(extra, dict)):
            return Out([None], 0), False
        arg = tensors[0] if len(tensors) == 1 else list(tensors)
        with self.ctx.symbolic.tracing():
            result = self.ctx.call(func, [arg], dict(extra or {}), node)
        if not isinstance(result, Tensor) or self.graph.shape(result.tid) is None:
            return Out([None], 0), False
        return Out([self.graph.shape(result.tid)], 0), self.graph.exact(result.tid)

    def apply_model(self, model: ModelObj, args, node) -> Any:
        first = args[0] if args else UNKNOWN
        graph = self.graph
        built = not (model.kind == "sequential" and model.input_tensor is None)
        if isinstance(first, Array) and first.shape is not None and built:
            # an eager call on numpy data: a batch of exactly that many samples
            first = self.ctx.new_tensor(tuple(first.shape), node, origin="data",
                                        exact=all(dims.is_int(d) for d in first.shape))
        elif isinstance(first, Array) and first.shape is not None:
            first = eager_data_tensor(self.ctx, first, node)  # an unbuilt Sequential is built on that batch
        if model.kind == "sequential" and model.input_tensor is None and isinstance(first, Tensor):
            shape = self.ctx.shape_value(first)  # an unknown size stays unknown (not None)
            if shape is not UNKNOWN:
                self.sequential_build(model, shape, node)
                self.ctx.symbolic.propagate(first, model.output_tensor)  # a KerasTensor in, one out
                return model.output_tensor
        outs = model.outputs if model.kind == "functional" else (
            [model.output_tensor] if model.output_tensor is not None else []
        )
        if model.kind == "functional" and len(outs) > 1 and isinstance(first, Tensor) and model.backbone is None:
            return self._multi_output_call(model, first, outs, node)
        if not isinstance(first, Tensor) or len(outs) != 1:
            return self.ctx.unknown_result(args, {}, node)
        shape = graph.shape(outs[0].tid)
        params = None
        in_shape = graph.shape(first.tid)
        if model.backbone is not None:
            name, options = model.backbone
            result = applications.backbone_output(
                name, **dict(options, input_shape=tuple(in_shape[1:]) if in_shape else None))
            shape, params = result if result is not None else (None, None)
            exact = graph.exact(first.tid)
        else:
            # The model's own output, when it meets the input it was built on.
            model_in = model.inputs[0] if model.kind == "functional" and len(model.inputs) == 1 else (
                model.input_tensor if model.kind == "sequential" else None)
            built_on = graph.shape(model_in.tid) if model_in is not None else None
            same_input = built_on is not None and in_shape is not None and built_on == in_shape
            exact = same_input and graph.exact(outs[0].tid) and graph.exact(first.tid)
            if not same_input:
                if (built_on is not None and in_shape is not None and len(built_on) == len(in_shape)
                        and built_on[1:] == in_shape[1:] and built_on[0] is None
                        and shape is not None and len(shape) >= 1 and shape[0] is None):
                    # the samples it was built for, another batch size: the batch carries through
                    shape = (in_shape[0],) + tuple(shape[1:])
                    exact = graph.exact(outs[0].tid) and graph.exact(first.tid)
                else:
                    # Keras runs the model's layers again on the other shape
                    rerun = self._rerun(model, [in_shape], [graph.exact(first.tid)])
                    shape, exact = rerun[0] if rerun is not None and len(rerun) == 1 else (None, False)
            if model.record is not None:
                record = ModelRecord(model.kind, model.node, "", calls=self._current_calls(model))
                total, known = graph.model_total(record)
                params = total if known else None
        return self._model_call(model, first, shape, params, node, exact)

    def _rerun(self, model: ModelObj, in_shapes: List[Any], in_exact: List[bool],
               depth: int = 0) -> Optional[List[Tuple[Any, bool]]]:
        """A built model applied to inputs of other shapes its inputs accept
        (each size it was built with kept, a None one given a size: a
        backbone built on (None, None, 3) applied to 32x32 images): Keras
        runs its layers again on them (Functional._run_through_graph, each
        layer's compute_output_spec; a Sequential through its functional
        model), as it does here with the rules.  Returns (shape, exact) per
        output, or None when an output cannot be told: a size the inputs do
        not accept (Keras raises), a layer Keras would refuse or whose
        weights would not fit, a layer without a rule, the program's own
        layer class, a Lambda, an op between the layers."""
        graph = self.graph
        if model.kind == "functional":
            ins, outs = list(model.inputs), list(model.outputs)
        else:
            ins, outs = [model.input_tensor], [model.output_tensor]
        if depth > 4 or not ins or not outs or any(t is None for t in ins + outs) or len(ins) != len(in_shapes):
            return None
        new: Dict[int, Tuple[Any, bool]] = {}
        for tensor, shape, exact in zip(ins, in_shapes, in_exact):
            if not _accepts(graph.shape(tensor.tid), shape):
                return None
            new[tensor.tid] = (shape, exact)
        inputs = set(new)
        for index in self._current_calls(model):
            call = graph.calls[index]
            if inputs.intersection(graph.outputs_of(call)):
                continue  # made a model input (Model(mid, out)): Keras starts at the input
            given = []
            for tid in call.input_tids:
                if tid in new:
                    given.append(new[tid])
                elif _made_from(graph, tid, new):
                    return None  # an op on a tensor the model computes again
                else:
                    given.append((graph.shape(tid), graph.exact(tid)))
            made = graph.outputs_of(call)
            if all(g == (graph.shape(t), graph.exact(t)) for g, t in zip(given, call.input_tids)):
                for t in made:
                    new.setdefault(t, (graph.shape(t), graph.exact(t)))
                continue
            found = self._rerun_call(call, given, depth)
            if found is None or len(found) != len(made):
                return None
            new.update(zip(made, found))
        result = []
        for tensor in outs:
            if tensor.tid in new:
                result.append(new[tensor.tid])
            elif _made_from(graph, tensor.tid, new):
                return None
            else:
                result.append((graph.shape(tensor.tid), graph.exact(tensor.tid)))
        return result

    def _rerun_call(self, call: LayerCall, given: List[Tuple[Any, bool]], depth: int) -> Optional[List[Any]]:
        """One layer application of a model run again (see ``_rerun``) on
        inputs given as (shape, exact): its outputs as (shape, exact), or
        None."""
        shapes = [shape for shape, _ in given]
        exact_in = all(exact for _, exact in given)
        if call.error is not None or any(shape is None for shape in shapes):
            return None
        if call.kind == "model":
            inner = call.model
            if call.backbone is not None and len(shapes) == 1:
                name, options = call.backbone
                result = applications.backbone_output(name, **dict(options, input_shape=tuple(shapes[0][1:])))
                if result is None or result[0] is None or (
                        call.params is not None and result[1] is not None and result[1] != call.params):
                    return None
                return [(result[0], exact_in or dims.fully_known(result[0]))]
            if isinstance(inner, ModelObj):
                return self._rerun(inner, shapes, [exact for _, exact in given], depth + 1)
            return None
        if call.kind != "layer" or lookup(call.config.class_name) is None:
            return None
        try:
            out = infer(call.config, shapes, exact=exact_in)
        except ShapeError:
            return None
        if any(shape is None for shape in out.shapes) or (
                call.params is not None and out.params is not None and out.params != call.params):
            return None
        exact = out.exact and exact_in
        return [(shape, exact or dims.fully_known(shape)) for shape in out.shapes]

    def _multi_output_call(self, model: ModelObj, tensor: Tensor, outs: List[Tensor], node) -> Any:
        """A functional model of several outputs applied to a tensor: on the
        shape it was built on (a backbone's feature maps for a pyramid)
        Keras returns its outputs, as a list, of the shapes they were built
        with; on another shape its inputs accept, it runs the layers again
        (``_rerun``)."""
        graph = self.graph
        if len(model.inputs) != 1:
            return self.ctx.unknown_result([tensor], {}, node)
        built_on, in_shape = graph.shape(model.inputs[0].tid), graph.shape(tensor.tid)
        if built_on is None or in_shape is None:
            return self.ctx.unknown_result([tensor], {}, node)
        if built_on == in_shape:
            exact_in = graph.exact(tensor.tid) and graph.exact(model.inputs[0].tid)
            shapes = [graph.shape(o.tid) for o in outs]
            exacts = [exact_in and graph.exact(o.tid) for o in outs]
        else:
            rerun = self._rerun(model, [in_shape], [graph.exact(tensor.tid)])
            if rerun is None or len(rerun) != len(outs):
                return self.ctx.unknown_result([tensor], {}, node)
            shapes, exacts = [s for s, _ in rerun], [e for _, e in rerun]
        params = None
        if model.record is not None:
            total, known = graph.model_total(ModelRecord(model.kind, model.node, "", calls=self._current_calls(model)))
            params = total if known else None
        if model.layer_id is None:
            model.layer_id = self.ctx.next_layer_id()
        call = LayerCall(index=-1, layer_id=model.layer_id, config=LayerConfig("Functional"), node=node,
                         input_shapes=[in_shape], output_shapes=shapes, params=params, kind="model",
                         exact=all(exacts), name=model.display or "", model=model,
                         in_uncertain_branch=self.ctx.in_uncertain_branch,
                         in_uncalled_function=self.ctx.in_uncalled_function)
        graph.add_call(call, [tensor.tid])
        results = [Tensor(graph.new_tensor(shape, producer=call.index, exact=exact))
                   for shape, exact in zip(shapes, exacts)]
        for result in results:
            self.ctx.symbolic.propagate(tensor, result)
        return results

    def _model_call(self, model: ModelObj, tensor: Tensor, shape, params, node, exact: bool = False,
                    listed: bool = True) -> Tensor:
        """A whole model applied like a layer: one call node in the graph, so
        the checks can walk through it."""
        name = model.backbone[0] if model.backbone else ("Sequential" if model.kind == "sequential" else "Functional")
        if model.layer_id is None:
            model.layer_id = self.ctx.next_layer_id()
        call = LayerCall(index=-1, layer_id=model.layer_id, config=LayerConfig(name), node=node,
                         input_shapes=[self.graph.shape(tensor.tid)], output_shapes=[shape],
                         params=params, kind="model", exact=exact, listed=listed, name=model.display or "",
                         backbone=model.backbone, model=model,
                         in_uncertain_branch=self.ctx.in_uncertain_branch,
                         in_uncalled_function=self.ctx.in_uncalled_function)
        self.graph.add_call(call, [tensor.tid])
        out = Tensor(self.graph.new_tensor(shape, producer=call.index, exact=exact))
        self.ctx.symbolic.propagate(tensor, out)
        return out

    # --- what a model offers ------------------------------------------------
    def _current_calls(self, model: ModelObj) -> List[int]:
        """The model's layer applications so far (a Sequential's are read
        from the graph while the module runs: finish_sequentials fills its
        record at the end)."""
        calls = model.record.calls if model.record is not None else []
        if model.kind == "sequential" and not calls and model.output_tensor is not None:
            calls = sorted({c.index for c in self.graph.ancestors_calls(model.output_tensor.tid)})
        return calls

    def model_layers(self, model: ModelObj) -> List[LayerHandle]:
        """``model.layers`` as Keras lists them: a functional model starts
        with its InputLayer(s); a Sequential does not."""
        record = model.record
        if record is None:
            return []
        handles: List[LayerHandle] = []
        if model.kind == "functional":
            handles += [LayerHandle(None, Tensor(t), Tensor(t)) for t in record.inputs]
        calls = self._current_calls(model)
        seen = set()
        for index in calls:
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
        if name in ("output_shape", "input_shape"):
            # Keras: the shape of each output (input), one alone unlisted
            tensors = self.model_attribute(model, name.replace("_shape", "s"))
            if not isinstance(tensors, list) or not all(isinstance(t, Tensor) for t in tensors):
                return UNKNOWN
            shapes = [self.ctx.shape_value(t) for t in tensors]
            return shapes[0] if len(shapes) == 1 else shapes
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

    @staticmethod
    def handle_attribute(handle: LayerHandle, name: str) -> Any:
        """``model.layers[i].output`` / ``.input``."""
        if name in ("output", "input"):
            value = getattr(handle, name)
            return value if value is not None else UNKNOWN
        if name == "set_weights":
            return BoundMethod(handle, name)
        return UNKNOWN

    def model_method(self, model: ModelObj, name: str, args, kwargs, node) -> Any:
        if name in self.ctx.training.methods:
            return self.ctx.training.record(model, name, args, kwargs, node)
        if name == "get_layer":
            return self.get_layer(model, args, kwargs, node)
        if model.kind == "sequential":
            if name == "add" and args:
                self.sequential_add(model, args[0], node)
                return None
            if name == "build":
                self.sequential_build(model, args[0] if args else kwargs.get("input_shape"), node)
                return None
        return self.ctx.unknown_result(args, kwargs, node)

    def get_layer(self, model: ModelObj, args, kwargs, node=None) -> Any:
        """``model.get_layer(name)`` / ``get_layer(index=i)``."""
        wanted = kwargs.get("name", args[0] if args else None)
        index = kwargs.get("index")
        if model.backbone is not None and len(model.inputs) == 1 and isinstance(wanted, str):
            return self._backbone_layer(model, wanted, node)
        handles = self.model_layers(model)
        if isinstance(index, int) and -len(handles) <= index < len(handles):
            return handles[index]
        for handle in handles:
            if handle.layer is not None and isinstance(wanted, str) and handle.layer.config.get("name") == wanted:
                return handle
        return UNKNOWN


    def _backbone_layer(self, model: ModelObj, wanted: str, node) -> Any:
        """``base.get_layer("block4_pool")`` of a keras.applications
        backbone: a handle whose output is that layer's, as the backbone's
        table knows it (unknown otherwise).  The tensor is made by a call of
        the backbone itself on its input (its parameters not counted: a model
        cut there holds only some of them)."""
        name, options = model.backbone
        source = model.inputs[0]
        in_shape = self.graph.shape(source.tid)
        shape = applications.backbone_layer_output(
            name, wanted, tuple(in_shape[1:]) if in_shape else None, **options) if in_shape else None
        if shape is None:
            return LayerHandle(None, source, UNKNOWN)
        out = self._model_call(model, source, shape, None, node, self.graph.exact(source.tid), listed=False)
        return LayerHandle(None, source, out)


def _accepts(built: Any, shape: Any) -> bool:
    """A model input built with ``built`` takes a tensor of ``shape``: the
    same rank, every size it was built with the same but the batch axis's
    (Keras' InputSpec check of a functional model, made without the batch
    size; a None size takes any)."""
    if built is None or shape is None or len(built) != len(shape):
        return False
    return all(b is None or (dims.is_int(b) and s == b) for b, s in zip(built[1:], shape[1:]))


def _made_from(graph, tid: int, changed: Dict[int, Any]) -> bool:
    """``tid`` is an op's output (x + y, x[:, 0]) made, through ops, from a
    tensor in ``changed``."""
    stack, seen = list(graph.op_inputs(tid)), set()
    while stack:
        source = stack.pop()
        if source in changed:
            return True
        if source not in seen:
            seen.add(source)
            stack.extend(graph.op_inputs(source))
    return False


def eager_data_tensor(ctx: "EvaluatorContext", value: Array, node) -> Any:
    """A layer called eagerly on numpy data runs on that very batch: Keras
    builds and calls it on the array's whole shape (``Embedding(...)`` on a
    (32, 10) array gives (32, 10, 4)).  A batch axis of a size shapelint
    cannot tell stays None (as ``data_as_tensor``'s)."""
    if value.shape is None:
        return value
    if value.shape and dims.is_int(value.shape[0]):
        return ctx.new_tensor(tuple(value.shape), node, origin="input")
    return data_as_tensor(ctx, value, node)


def data_as_tensor(ctx: "EvaluatorContext", value: Any, node) -> Any:
    """Calling a layer or model on numpy data builds it on that data's shape."""
    if isinstance(value, Array) and value.shape is not None:
        return ctx.new_tensor((None,) + tuple(value.shape[1:]), node, origin="input")
    return value


# Layers whose built InputSpec fixes the size of the axes their weights are
# made of (Keras 3: Dense, the convolutions, BatchNormalization,
# GroupNormalization, ConvLSTM set ``InputSpec(axes=...)`` in build();
# EinsumDense's kernel cannot take another size).  LSTM, GRU, SimpleRNN and
# LayerNormalization do not check: measured, re-applying them to another
# feature size builds a model without an error.
_INPUT_SPEC_AXES = frozenset({
    "Dense", "EinsumDense",
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D",
    "BatchNormalization", "GroupNormalization", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
})


def _check_shared_layer(layer: LayerObj, input_shapes) -> None:
    """A built layer re-applied must see the same size on every axis its
    weights were made of (Keras' InputSpec axes check), as its rule's
    ``defined_axes`` names them."""
    first = layer.built_input
    name = canonical_name(layer.config.class_name)
    rule = lookup(name)
    if name not in _INPUT_SPEC_AXES or rule is None or not first or not input_shapes:
        return
    if name in ("Dense", "EinsumDense"):
        axes = [(0, -1)]
    elif rule.defined_axes is not None and first[0] is not None:
        try:
            axes = rule.defined_axes(layer.config, list(first))
        except (ShapeError, IndexError, TypeError, ValueError):
            return
    else:
        return
    for index, axis in axes:
        if index >= len(first) or index >= len(input_shapes):
            continue
        built, now = first[index], input_shapes[index]
        if built is None or now is None or not built or not now:
            continue
        if name not in ("Dense", "EinsumDense") and (len(built) != len(now) or not -len(now) <= axis < len(now)):
            continue  # another rank: the rule's own rank check reports it
        if not dims.differs(built[axis], now[axis]):
            continue
        if name in ("Dense", "EinsumDense"):
            raise ShapeError(
                INCOMPATIBLE_INPUT_RANK,
                f"shared {layer.config.class_name} was built for inputs with last axis "
                f"{dims.fmt_dim(built[-1])} but is applied to {dims.fmt_shape(now)}",
                "use a separate layer instance for inputs of a different size",
            )
        raise ShapeError(
            INCOMPATIBLE_INPUT_SHAPE,
            f"shared {layer.config.class_name} was built for inputs with axis {axis} of size "
            f"{dims.fmt_dim(built[axis])} but is applied to {dims.fmt_shape(now)}; Keras raises "
            f"(\"expected axis {axis} of input shape to have value {dims.fmt_dim(built[axis])}\")",
            "use a separate layer instance for inputs of a different size",
        )


def shape_not_a_tuple(spelled: str, value, keyword: str = "shape") -> ShapeError:
    return ShapeError(
        SHAPE_NOT_A_TUPLE,
        f"{spelled} gives a bare int where Keras expects a shape tuple: Keras raises "
        f"(\"Cannot convert '{value}' to a shape.\")",
        f"{keyword}=({value},): a one-element tuple needs its comma, ({value}) is just the int",
    )


def _argument_node(call, keyword: str, position: Optional[int]):
    """The node of one argument of an astroid Call, by keyword or position."""
    for kw in getattr(call, "keywords", None) or []:
        if kw.arg == keyword:
            return kw.value
    args = getattr(call, "args", None) or []
    if position is not None and position < len(args):
        return args[position]
    return None if position is None else call


def _callee(call) -> str:
    func = getattr(call, "func", None)
    return getattr(func, "attrname", None) or getattr(func, "name", None) or "Input"


# The values _config_value changes (or looks into); any other is kept as is.
_CONFIG_CONTAINERS = (LayerObj, list, tuple)


def _config_value(value: Any) -> Any:
    """A layer passed as another layer's argument (a wrapper's inner layer)
    is kept as its config."""
    if isinstance(value, LayerObj):
        return value.config
    if isinstance(value, list):
        return [_config_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_config_value(v) for v in value)
    return value


def _name_of(kwargs) -> str:
    name = kwargs.get("name")
    return name if isinstance(name, str) else ""
