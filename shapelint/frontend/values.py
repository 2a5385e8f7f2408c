"""Abstract values the front end computes for Python expressions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from shapelint.shapes import dims
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
    # input_shape=/input_dim=/batch_input_shape= given with a value the front
    # end could not evaluate: the layer still defines the model's input (of
    # unknown sizes), so data reaching fit must not rebuild the model.
    input_declared: bool = False
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
    # The model applied like a layer (``tower(x)``): one layer instance,
    # however often it is applied (its weights are counted once).
    layer_id: Optional[int] = None
    # the program's own subclass, for a model a subclass's __init__ made
    # (``super().__init__(inputs, outputs)``): the class Keras names
    display: Optional[str] = None


@dataclass(eq=False)
class LocalFunction:
    node: Any  # astroid FunctionDef or Lambda
    env: Any = None  # the defining scope of a nested function (its closure)
    # parameter defaults as the ``def`` evaluated them (Python evaluates them
    # once, there: ``lambda x, u=u: ...`` in a loop keeps each u); None: not
    # seen defined, evaluated at the call
    defaults: Optional[Dict[str, Any]] = None


@dataclass(eq=False)
class Generator:
    """What calling one of the program's generator functions gives: nothing
    of its body has run yet (Python runs it up to the first ``yield`` when
    the first item is asked for: ``next(gen)``, or ``fit(gen)`` taking its
    first batch)."""

    func: LocalFunction
    args: List[Any]
    kwargs: Dict[str, Any]
    node: Any = None
    consumed: int = 0  # items asked for so far: only the first one is followed


@dataclass(eq=False)
class LocalClass:
    node: Any


@dataclass(eq=False)
class BoundMethod:
    obj: Any
    name: str


class ShapeTensor(tuple):
    """``tf.shape(x)`` in code TensorFlow traces (a layer's call()): a 1-D
    tensor, read as the tuple of sizes it holds (indexing gives them), but
    ``len()`` of it raises in graph mode ("len is not well defined for a
    symbolic Tensor")."""

    __slots__ = ()


class ConstShapeTensor(ShapeTensor):
    """``tf.shape(x)`` of a tensor whose every size is static: TensorFlow
    makes it a constant, and its shape inference evaluates arithmetic on it
    (``tf.shape(x)[1:3] * 2`` of a (2, 8, 10, 3) tensor is known to be
    (16, 20)); one with a dynamic size is not a constant, and arithmetic on
    it gives sizes known at run time only."""

    __slots__ = ()


@dataclass(eq=False)
class Partial:
    """``functools.partial(func, *args, **kwargs)``: calling it calls
    ``func`` with these arguments first (later keywords win)."""
    func: Any
    args: tuple
    kwargs: Dict[str, Any]


@dataclass(eq=False)
class Super:
    """``super()`` in a method of the local class ``cls_node``, for ``inst``:
    attributes are looked up in the classes after ``cls_node`` in the
    instance's class chain (a library base last)."""
    inst: Any  # Instance
    cls_node: Any  # the ClassDef whose method called super()


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
    # Every value the array holds, as a sorted tuple, when the code shows
    # them all (``np.array(["cat", "dog", "cat"])``, ``np.arange(30) % 3``):
    # what ``np.unique`` returns.  None: not shown.
    distinct: Optional[tuple] = None
    # Every None in ``shape`` is one TensorFlow's static shapes have too (a
    # dataset element's axis of run-time size: a line's tokens, a decoded
    # file's samples), not a size the code does not show.
    exact: bool = False
    # The items of a small integer literal the code spells out, nested as
    # tuples (``tf.constant([[0, 2754], [0, 0]])``): what an op that reads
    # its operand's values takes (``tf.pad``'s paddings).  None: not shown.
    values: Optional[tuple] = None


@dataclass(eq=False)
class ListOf:
    """A Python list of items that all have one shape, their number unknown
    (or too many to list): what a loop appends to (``windows.append(x[i:i +
    10])``) or a comprehension over a long range or over an array makes.
    ``item`` is an ``Array`` (a number is a 0-d one); ``np.array`` of the
    list is ``(count,) + item.shape``.  Appending to it widens ``item`` in
    place (every alias sees it), or forgets it (UNKNOWN) when the shapes
    differ."""

    item: Any  # Array, or UNKNOWN once the items stop sharing a shape
    count: Optional[int] = None


@dataclass(eq=False)
class Dataset:
    """tf.data.Dataset of (x, y) elements; ``batched`` adds a batch axis."""

    element: Any  # Array | tuple of Arrays (per-sample shapes)
    batched: bool = False
    # The element as ``element_spec`` declares it, where the static shapes
    # say less than every element holds (timeseries windows: a time axis of
    # None in the spec, sequence_length in the data).  Keras builds and
    # traces on the spec; None: the spec is the element itself.
    spec: Any = None
    # batched with drop_remainder (or with an argument the code does not
    # show): its batches may have a static size, which Keras traces with
    fixed_batch: bool = False


@dataclass(eq=False)
class ProjectModule:
    """One of the project's own modules, imported (``import models``): its
    top-level names as the import left them."""

    path: str
    env: Any  # scope.Env
    # The library module it also is (Keras' own sources importing their
    # siblings as ``keras.src.applications.imagenet_utils``): a name a
    # library model handles is read as that library's, not interpreted.
    library: Optional[str] = None


@dataclass(eq=False)
class LibraryObject:
    """An instance of a library class a library model knows (a scikit-learn
    encoder, a Keras ImageDataGenerator): its methods are registry handlers
    named ``<type_name>.<method>``; ``attrs`` holds what the program can
    read off it (``encoder.classes_``), filled in by those handlers."""

    type_name: str  # normalised qualified class name, e.g. sklearn.preprocessing.LabelEncoder
    options: Dict[str, Any] = field(default_factory=dict)  # constructor keyword arguments
    attrs: Dict[str, Any] = field(default_factory=dict)
    node: Any = None  # where it was made


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
    attrs: Dict[str, Any] = field(default_factory=dict)  # the program's own self.<name> values
    model: Any = None
    # What Keras keeps on a layer or model object, as the evaluator follows it:
    built: bool = False  # build(input_shape) has run (Keras runs it before the first call)
    weight_params: Optional[int] = 0  # sizes of add_weight() weights so far (None: unknown)
    layer_id: Optional[int] = None  # a custom layer's id in the graph, from its first call
    params: Optional[int] = None  # a custom layer's parameter count, from its first call
    pending_compile: Any = None  # (args, kwargs, node) of a compile() before the model was built
    node: Any = None  # where it was constructed (a Sequential applies it there)
    # constructed with arguments an __init__ shapelint cannot see took (a
    # library base's): an attribute it has not seen set is unknown, whatever
    # the class body says
    attrs_unknown: bool = False
    # the arguments the Keras base class's __init__ got (super().__init__(...),
    # or the constructor's own when no local class defines __init__)
    base_args: Any = None
    base_params_counted: bool = False  # the Keras base's weights are in weight_params
    # the program's own train_step/test_step/predict_step Keras has traced
    # (once per model, as it keeps the function it made)
    traced_steps: Set[str] = field(default_factory=set)
    serial: int = 0  # made as the analysis's serial-th instance (a function summary's own, or not)


@dataclass(frozen=True, eq=False)
class Choice:
    """One of several callables the code picks at run time (``layer =
    StochasticDepth(r) if r else layers.Activation("linear")``, a layer
    assigned in both branches of an ``if``).  Calling it calls each option
    (as in an uncertain branch) and joins the results: the same shape from
    every option is that shape, else what they share."""

    options: tuple

    MAX_OPTIONS = 4


@dataclass(eq=False)
class LayerHandle:
    """``model.layers[i]`` / ``model.get_layer(name)``: a layer already
    applied in a model, with its input and output tensors."""

    layer: Any  # LayerObj, or None for a functional model's InputLayer
    input: Any = None  # Tensor
    output: Any = None  # Tensor


# A Python string whose content the code does not show (an f-string, a
# caption grown token by token): enough to know a layer gets text.
SOME_STR = Opaque("str")

# A size known only when the program runs: what ``tf.shape(x)[i]`` (and
# ``ops.shape(x)[i]`` inside a traced call()) gives for an axis Keras reports
# as None -- a scalar tensor TensorFlow's shape inference reads as None.
# ``x.shape[i]`` of that axis is None itself, which ``tf.ones((None, 3))``
# cannot take.
RUNTIME = Opaque("runtime size")

# The longest list/str/range the evaluator materialises.
MAX_MATERIALISE = 10_000

# An item of a list extended by a sequence the code does not show
# (``items.extend(found)`` of an unknown ``found``): zero or more items
# nobody knows.  A list holding it has no known length or items
# (``iter_values`` gives None; indexing it is unknown).
MORE_ITEMS = Opaque("more items")


def is_text(value: Any) -> bool:
    return isinstance(value, str) or value is SOME_STR


def is_plain(value: Any) -> bool:
    """A plain Python value the evaluator can compute with."""
    return value is None or isinstance(value, (bool, int, float, str, tuple, list))


def is_literal_shape(values: Any) -> bool:
    """A shape the code spells out: ints, symbols and Keras' own None."""
    return isinstance(values, (tuple, list)) and all(v is None or dims.is_size(v) for v in values)


def iter_values(value: Any) -> Optional[List[Any]]:
    """The items a ``for`` loop would see, when the code shows them."""
    if isinstance(value, (list, tuple)):
        return None if any(v is MORE_ITEMS for v in value) else list(value)
    if isinstance(value, range):
        return list(value) if len(value) <= MAX_MATERIALISE else None
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, str):
        return list(value)
    return None


def flatten(values) -> List[Any]:
    """Every leaf of nested lists, tuples and dict values."""
    out: List[Any] = []
    _flatten_into(values, out)
    return out


def _flatten_into(values, out: List[Any]) -> None:
    """``flatten``'s walk, appending to one list (not a list per level)."""
    for v in values:
        if isinstance(v, (list, tuple)):
            _flatten_into(v, out)
        elif isinstance(v, dict):
            _flatten_into(v.values(), out)
        else:
            out.append(v)


def takes_tensor(args, kwargs) -> bool:
    """A tensor is among a call's arguments (at any depth)."""
    return _holds_tensor(args) or _holds_tensor(kwargs.values())


def _holds_tensor(values) -> bool:
    """A leaf of ``values`` (as ``flatten`` walks it) is a tensor; asked
    for nearly every call the front end meets, so it stops at the first."""
    for v in values:
        if isinstance(v, Tensor):
            return True
        if isinstance(v, (list, tuple)):
            if _holds_tensor(v):
                return True
        elif isinstance(v, dict) and _holds_tensor(v.values()):
            return True
    return False
