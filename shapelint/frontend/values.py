"""Abstract values the front end computes for Python expressions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from shapelint.shapes.registry import LayerConfig


@dataclass(eq=False)
class Tensor:
    """A symbolic Keras tensor: its id in the ShapeGraph."""

    tid: int


@dataclass(eq=False)
class LayerObj:
    """A layer instance, constructed but perhaps not yet applied."""

    layer_id: int
    config: LayerConfig
    node: Any  # the constructor call
    # Input shape given at construction (input_shape=/input_dim=), for
    # the first layer of a Sequential.
    input_shape: Optional[tuple] = None
    built_input: Any = None  # first input shape, for shared-layer checks
    input_exact: bool = False  # input_shape spelled out (its None dims are Keras')
    display: str = ""  # a local subclass's name when config names its Keras base
    own_weights: bool = False  # that subclass's __init__ may add weights: params unknown


@dataclass(eq=False)
class ModelObj:
    """A functional model or a Sequential (record index in the graph)."""

    kind: str  # "functional" | "sequential"
    node: Any
    record: Any = None  # graph.ModelRecord once known
    # Sequential only:
    layers: List[LayerObj] = field(default_factory=list)
    input_tensor: Optional[Tensor] = None
    output_tensor: Optional[Tensor] = None
    # Functional only:
    inputs: List[Tensor] = field(default_factory=list)
    outputs: List[Tensor] = field(default_factory=list)
    # keras.applications: (name, keyword arguments) to recompute the output
    # when the backbone is applied to another tensor.
    backbone: Any = None
    # compile(): the loss (LossSpec, list or dict) and where it was set.
    loss: Any = None
    compile_node: Any = None


@dataclass(eq=False)
class LocalFunction:
    node: Any  # astroid FunctionDef or Lambda
    env: Any = None  # the defining scope of a nested function (its closure)


@dataclass(eq=False)
class LocalClass:
    node: Any


@dataclass(eq=False)
class BoundMethod:
    obj: Any
    name: str


@dataclass(eq=False)
class Opaque:
    """A Python object we do not model (a local class instance, a module)."""

    what: str = ""
    attrs: Dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Array:
    """A numpy array (or tensor of data) whose shape the code shows."""

    shape: Optional[tuple]  # None: rank unknown
    dtype: Optional[str] = None  # "int" | "float" | "bool" | None
    # For labels: integer class ids below ``classes``, or one-hot of width
    # ``classes`` (``onehot`` True).
    classes: Optional[int] = None
    onehot: bool = False
    node: Any = None


@dataclass(eq=False)
class Dataset:
    """tf.data.Dataset of (x, y) elements; ``batched`` adds a batch axis."""

    element: Any  # Array | tuple of Arrays (per-sample shapes)
    batched: bool = False


@dataclass(eq=False)
class LossSpec:
    name: str  # canonical snake-case loss name, e.g. "binary_crossentropy"
    from_logits: bool = False
    node: Any = None


@dataclass(eq=False)
class Instance:
    """An instance of a class defined in the module.  For subclasses of
    keras.Model/keras.layers.Layer, ``keras`` says which ("model"/"layer")
    and ``model`` is the ModelObj once the instance has been called."""

    cls: Any  # LocalClass
    keras: str = ""  # "model" | "layer" | ""
    attrs: Dict[str, Any] = field(default_factory=dict)
    model: Any = None


@dataclass(eq=False)
class LayerHandle:
    """``model.layers[i]`` / ``model.get_layer(name)``: a layer already
    applied in a model, with its input and output tensors."""

    layer: Any  # LayerObj, or None for a functional model's InputLayer
    input: Any = None  # Tensor
    output: Any = None  # Tensor
