"""tf.data: datasets made of arrays the code shows, and the ``Dataset``
methods that keep, batch, unbatch or transform their elements.

A ``Dataset`` value holds the per-sample element as ``element_spec`` shows it
before batching (an ``Array``, or a tuple or dict of them; ``Array(None)``
for a part the code does not show) and whether ``batch`` has added a batch
axis; where every element holds more than the spec declares (timeseries
windows), the element says what the data holds and ``spec`` what the spec
declares.  ``map`` runs the program's own function on the element: each array
becomes a tensor of its shape (with the batch axis when batched), the
function is followed as the program would call it, and the tensors it
returns become the new element.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from astroid import nodes

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import dtype_of, from_literal, located
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.resolve import Ref
from shapelint.frontend.values import (
    Array,
    BoundMethod,
    Dataset,
    Instance,
    LayerObj,
    LibraryObject,
    LocalFunction,
    ModelObj,
    Tensor,
)
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

DATASET = "tensorflow.data.Dataset"
# What a map function can be: the program's own function or lambda, a
# library function, a layer or model, a local callable object.
_CALLABLE = (LocalFunction, Ref, LayerObj, ModelObj, Instance, BoundMethod)


def _unseen() -> Array:
    """A part of an element whose shape the code does not show."""
    return Array(None)


def exact(array: Array) -> bool:
    """Every None of the component's shape is one its ``element_spec`` has
    too (sizes all known are trivially so)."""
    return array.shape is not None and (array.exact or all(dims.is_int(d) for d in array.shape))


def _reshaped(array: Array, shape: tuple) -> Array:
    """The component with another shape (the same labels and exactness)."""
    return Array(shape, array.dtype, array.classes, array.onehot, exact=array.exact)


# ------------------------------------------------------------- elements
def tensor_like(value: Any) -> Optional[Array]:
    """What tf.data makes a component of: an array the code shows, a list
    literal (numbers, or strings), a plain number or string; None else."""
    if isinstance(value, Array):
        return value
    if isinstance(value, bool):
        return Array((), "bool")
    if isinstance(value, int):
        return Array((), "int")
    if isinstance(value, float):
        return Array((), "float")
    if isinstance(value, str):
        return Array((), None)
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            return Array((len(value),), None)
        literal = from_literal(value, None)
        return literal if isinstance(literal, Array) else None
    return None


def structure(value: Any, part) -> Any:
    """Apply ``part`` to each component of a tf.data structure: tuples and
    dicts are structure, everything else (lists included: tf.data makes a
    list one tensor) is a component."""
    if isinstance(value, tuple):
        return tuple(structure(v, part) for v in value)
    if isinstance(value, dict):
        return {k: structure(v, part) for k, v in value.items()}
    return part(value)


def _slice(value: Any) -> Array:
    """One sample of a sliced component: its first axis goes."""
    array = tensor_like(value)
    if array is None or array.shape is None or not array.shape:
        return _unseen()
    return _reshaped(array, tuple(array.shape[1:]))


def _whole(value: Any) -> Array:
    array = tensor_like(value)
    return _unseen() if array is None else _reshaped(array, array.shape)


def _all_unseen(element: Any) -> bool:
    if isinstance(element, tuple):
        return all(_all_unseen(e) for e in element)
    if isinstance(element, dict):
        return all(_all_unseen(e) for e in element.values())
    return isinstance(element, Array) and element.shape is None


def add_axis(element: Any) -> Any:
    """The element with a leading batch axis of unknown size (a batch of
    batches)."""
    return structure(element, lambda a: Array(None) if a.shape is None
                     else _reshaped(a, (None,) + tuple(a.shape)))


def drop_axis(element: Any) -> Any:
    """The element without its leading axis (``unbatch``)."""
    return structure(element, lambda a: Array(None) if not a.shape
                     else _reshaped(a, tuple(a.shape[1:])))


def batched_element(dataset: Dataset) -> Any:
    """The element with the batch axis ``batch`` gave it (None when batched):
    what the elements are when they are batched again or zipped."""
    return add_axis(dataset.element) if dataset.batched else dataset.element


def static(dataset: Dataset) -> Dataset:
    """The dataset as its ``element_spec`` declares it: what tf.data traces
    a map function with, and what Keras builds a model on."""
    return dataset if dataset.spec is None else Dataset(dataset.spec, dataset.batched,
                                                        fixed_batch=dataset.fixed_batch)


def _derived(dataset: Dataset, batched: bool, change) -> Dataset:
    """A dataset whose element and spec both go through ``change``."""
    spec = None if dataset.spec is None else change(dataset.spec)
    return Dataset(change(dataset.element), batched, spec, dataset.fixed_batch)


# ------------------------------------------------------------ iteration
DATASET_ITERATOR = "tensorflow.data.Iterator"


def items_of(value: Any) -> Any:
    """What ``for batch in value`` binds, for a dataset or an iterator over
    one: its element with the batch axis ``batch`` gave it (None: its size
    is the data's), as data; None for anything else."""
    if isinstance(value, Dataset):
        return batched_element(value)
    if isinstance(value, LibraryObject) and value.type_name == DATASET_ITERATOR:
        return value.attrs["element"]
    return None


@handles("builtins.iter", f"{DATASET}.as_numpy_iterator")
def iterate(_ctx: Context, call: LibraryCall) -> Any:
    """``iter(ds)`` / ``ds.as_numpy_iterator()``: an iterator whose items
    are the dataset's elements."""
    dataset = call.receiver if call.name == "as_numpy_iterator" else (call.args[0] if call.args else None)
    if not isinstance(dataset, Dataset) or (call.name == "iter" and len(call.args) != 1):
        return DECLINE
    return LibraryObject(DATASET_ITERATOR, {}, {"element": batched_element(dataset)}, call.node)


@handles("builtins.next")
def next_element(_ctx: Context, call: LibraryCall) -> Any:
    """``next(iter(ds))``: one element (the first batch of a batched one)."""
    it = call.args[0] if call.args else None
    if not isinstance(it, LibraryObject) or it.type_name != DATASET_ITERATOR:
        return DECLINE
    return it.attrs["element"]


# --------------------------------------------------------- constructors
@handles_matching(lambda qualname: qualname.endswith("data.Dataset.from_tensor_slices")
                  and not qualname.startswith("numpy."))
def from_tensor_slices(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.from_tensor_slices(tensors)``: elements are the
    components (a tuple, a dict, or one array) sliced along their first
    axis."""
    tensors = call.arg(0, "tensors")
    if tensors is None:
        return DECLINE
    # Of data the code does not show (file paths found at run time) the
    # elements are unknown, but a map function may still make them known.
    return located(call, Dataset(structure(tensors, _slice)))


@handles_matching(lambda qualname: qualname.endswith("data.Dataset.from_tensors")
                  and not qualname.startswith("numpy."))
def from_tensors(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.from_tensors(tensors)``: one element, the whole
    components."""
    tensors = call.arg(0, "tensors")
    if tensors is None:
        return DECLINE
    return Dataset(structure(tensors, _whole))


TENSOR_SPEC = "tensorflow.TensorSpec"


@handles(TENSOR_SPEC)
def tensor_spec(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.TensorSpec(shape, dtype=tf.float32)``: a declared shape, None
    for an axis of any size."""
    return LibraryObject(TENSOR_SPEC, {"shape": call.arg(0, "shape"), "dtype": call.arg(1, "dtype")}, {},
                         call.node)


def _declared(shape: Any, dtype: Any) -> Array:
    """A component ``output_signature``/``output_shapes`` declares."""
    if isinstance(shape, (tuple, list)) and all(d is None or dims.is_int(d) for d in shape):
        return Array(tuple(shape), dtype_of(dtype, None), exact=True)  # its Nones are the spec's
    return _unseen()


def _signature(value: Any) -> Any:
    if isinstance(value, LibraryObject) and value.type_name == TENSOR_SPEC:
        return _declared(value.options["shape"], value.options["dtype"] or "float32")
    return _unseen()


def _zip_structure(shapes: Any, types: Any) -> Any:
    """``output_shapes`` paired with ``output_types`` (same structure)."""
    if isinstance(shapes, tuple) and shapes and all(isinstance(s, (tuple, list, dict)) for s in shapes):
        types = types if isinstance(types, tuple) and len(types) == len(shapes) else (None,) * len(shapes)
        return tuple(_zip_structure(s, t) for s, t in zip(shapes, types))
    if isinstance(shapes, dict):
        types = types if isinstance(types, dict) else {}
        return {k: _zip_structure(v, types.get(k)) for k, v in shapes.items()}
    return _declared(shapes, types)


@handles_matching(lambda qualname: qualname.endswith("data.Dataset.from_generator")
                  and not qualname.startswith("numpy."))
def from_generator(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.from_generator(generator, output_types=None,
    output_shapes=None, args=None, output_signature=None)``: elements as the
    signature (or the shapes) declare them; what the generator yields is
    not followed.  A declared batch axis is part of the element."""
    signature = call.kwargs.get("output_signature")
    if signature is not None:
        element = structure(signature, _signature)
    else:
        shapes = call.arg(2, "output_shapes")
        if shapes is None:
            return DECLINE
        element = _zip_structure(shapes, call.arg(1, "output_types"))
    return DECLINE if _all_unseen(element) else Dataset(element)


@handles("tensorflow.data.TextLineDataset", "tensorflow.data.TFRecordDataset",
         "tensorflow.data.FixedLengthRecordDataset", f"{DATASET}.list_files")
def records(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.TextLineDataset(filenames)``, ``TFRecordDataset``,
    ``FixedLengthRecordDataset`` and ``Dataset.list_files(pattern)``:
    string scalars (a line, a record, a file name), whatever the files
    hold."""
    if call.name == "list_files" and call.receiver is not None:
        return DECLINE
    return Dataset(Array((), None))


@handles(f"{DATASET}.range")
def range_(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.range(...)``: int64 scalars."""
    if call.receiver is not None:
        return DECLINE
    return Dataset(Array((), "int"))


@handles(f"{DATASET}.zip")
def zip_(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.zip((a, b))`` (or ``zip(a, b)``, or ``a.zip(b)``):
    the elements side by side.  Each dataset keeps its own batching: when
    only some are batched, the zipped elements are unbatched and the batched
    parts carry their batch axis."""
    datasets: Any = list(call.args) if call.receiver is None else [call.receiver] + list(call.args)
    if call.receiver is None and len(datasets) == 1 and isinstance(datasets[0], (tuple, dict)):
        datasets = datasets[0]
    parts = list(datasets.values()) if isinstance(datasets, dict) else list(datasets)
    if not parts or not all(isinstance(d, Dataset) for d in parts):
        return DECLINE
    parts = [static(d) for d in parts]
    batched = all(d.batched for d in parts)
    fixed = any(d.fixed_batch for d in parts)
    elements = [d.element if batched else batched_element(d) for d in parts]
    if isinstance(datasets, dict):
        return Dataset(dict(zip(datasets, elements)), batched, fixed_batch=fixed)
    return Dataset(tuple(elements), batched, fixed_batch=fixed)


# -------------------------------------------------------------- methods
@handles(f"{DATASET}.batch", f"{DATASET}.padded_batch")
def batch(_ctx: Context, call: LibraryCall) -> Any:
    """``ds.batch(n)`` / ``padded_batch(n)``: the same elements with a batch
    axis (of None: the last batch may be smaller); batching a batched
    dataset stacks its batches."""
    dataset = call.receiver
    if dataset is None:
        return DECLINE
    batched = _derived(dataset, True, add_axis if dataset.batched else lambda element: element)
    drop_remainder = call.arg(3, "drop_remainder") if call.name == "padded_batch" else call.arg(1, "drop_remainder")
    if drop_remainder is not None and drop_remainder is not False:
        batched.fixed_batch = True
    return batched


@handles(f"{DATASET}.unbatch", f"{DATASET}.rebatch")
def unbatch(_ctx: Context, call: LibraryCall) -> Any:
    """``ds.unbatch()``: the elements lose their first axis; ``rebatch(n)``
    keeps it."""
    dataset = call.receiver
    if dataset is None:
        return DECLINE
    if call.name == "rebatch":
        return _derived(dataset, dataset.batched, lambda element: element)
    return _derived(dataset, False, drop_axis if not dataset.batched else lambda element: element)


@handles(*(f"{DATASET}.{name}" for name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter",
                                            "with_options", "shard", "take_while", "ignore_errors")))
def same_elements(_ctx: Context, call: LibraryCall) -> Any:
    """``ds.shuffle(n)``, ``prefetch``, ``repeat``, ``cache``, ``take``,
    ``skip``, ``filter``, ``shard``, ``with_options``, ``take_while``,
    ``ignore_errors``: the elements are unchanged."""
    dataset = call.receiver
    if dataset is None:
        return DECLINE
    return Dataset(dataset.element, dataset.batched, dataset.spec, dataset.fixed_batch)


@handles(f"{DATASET}.concatenate")
def concatenate(_ctx: Context, call: LibraryCall) -> Any:
    """``a.concatenate(b)``: a's elements then b's; the element spec is the
    most specific one both fit (a size they disagree on becomes None)."""
    dataset, other = call.receiver, call.arg(0, "dataset")
    if not isinstance(dataset, Dataset) or not isinstance(other, Dataset):
        return DECLINE
    dataset, other = static(dataset), static(other)
    fixed = dataset.fixed_batch or other.fixed_batch
    if other.batched != dataset.batched:
        return Dataset(_common(batched_element(dataset), batched_element(other)), False, fixed_batch=fixed)
    return Dataset(_common(dataset.element, other.element), dataset.batched, fixed_batch=fixed)


def _common(a: Any, b: Any) -> Any:
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(_common(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b):
        return {k: _common(a[k], b[k]) for k in a}
    if not (isinstance(a, Array) and isinstance(b, Array)) or a.shape is None or b.shape is None \
            or len(a.shape) != len(b.shape):
        return _unseen()
    same = a.dtype == b.dtype and a.classes == b.classes and a.onehot == b.onehot
    return Array(tuple(x if x == y else None for x, y in zip(a.shape, b.shape)),
                 a.dtype if a.dtype == b.dtype else None, a.classes if same else None, a.onehot and same,
                 exact=exact(a) and exact(b))


# ----------------------------------------------------------------- map
@handles(f"{DATASET}.map")
def map_(ctx: Context, call: LibraryCall) -> Any:
    """``ds.map(map_func)``: the program's function called on each element
    (a tuple element is passed as positional arguments, as tf.data does);
    what it returns is the new element.  Arrays go in as tensors of their
    shape, so layers and tensor ops inside the function work as anywhere
    else; a part returned untouched keeps what the code knew of it."""
    dataset = call.receiver
    func = call.arg(0, "map_func")
    if not isinstance(dataset, Dataset) or not isinstance(func, _CALLABLE):
        return DECLINE
    dataset = static(dataset)  # tf.data traces the function on the element_spec
    originals: Dict[int, Array] = {}
    batched = dataset.batched

    def as_tensor(array: Array) -> Any:
        if array.shape is None:
            tensor = ctx.new_tensor(None, call.node, origin="data")
        else:
            shape = ((None,) if batched else ()) + tuple(array.shape)
            tensor = ctx.new_tensor(shape, call.node, origin="data", exact=exact(array))
        originals[tensor.tid] = array
        return tensor

    start = ctx.graph.next_tensor_id
    element = structure(dataset.element, as_tensor)
    args = list(element) if isinstance(element, tuple) else [element]
    if _all_unseen(dataset.element) and isinstance(func, LocalFunction):
        # an element the code does not show may be a tuple: as many parts
        # as the function takes (tf.data passes a tuple's parts one by one)
        args = [as_tensor(Array(None)) for _ in range(max(1, _positional(func.node)))]
    result = ctx.call(func, args, {}, call.node)
    if result is UNKNOWN or result is None:
        return DECLINE
    new_element = structure(result if not isinstance(result, list) else tuple(result),
                            lambda v: _from_result(ctx, v, originals, batched, start))
    if _all_unseen(new_element):
        return DECLINE
    return Dataset(new_element, batched, fixed_batch=dataset.fixed_batch)


def _positional(func: Any) -> int:
    """How many positional parameters a function or lambda requires."""
    arguments = func.args
    if arguments is None or arguments.vararg:
        return 1
    names = list(arguments.posonlyargs or []) + list(arguments.args or [])
    if isinstance(func, nodes.FunctionDef) and isinstance(func.parent, nodes.ClassDef) and not any(
            getattr(d, "name", getattr(d, "attrname", "")) == "staticmethod"
            for d in (func.decorators.nodes if func.decorators else [])):
        # read lexically: FunctionDef.is_method() infers the decorators,
        # which makes astroid parse TensorFlow for ``@tf.function``
        names = names[1:]
    return len(names) - len(arguments.defaults or [])


def _from_result(ctx: Context, value: Any, originals: Dict[int, Array], batched: bool, start: int) -> Array:
    """One component a map function returned, as a per-sample array (its
    Nones TensorFlow's own when everything it was made of since the map
    began said so: ``exact`` would take an element's first axis for a batch
    axis)."""
    if isinstance(value, Tensor):
        if value.tid in originals:
            return originals[value.tid]
        shape = ctx.shape_of(value)
        if shape is None or (batched and not shape):
            return _unseen()
        per_sample = tuple(shape[1:]) if batched else tuple(shape)
        known = ctx.exact_of(value) and _declared_since(ctx, value.tid, start)
        width = _one_hot_width(ctx, value)
        if width is not None and per_sample and per_sample[-1] == width:
            return Array(per_sample, "float", width, True, exact=known)
        return Array(per_sample, exact=known)
    if isinstance(value, Array):
        return value
    like = tensor_like(value)
    return _unseen() if like is None else like


def _declared_since(ctx: Context, tid: int, start: int) -> bool:
    """Every tensor ``tid`` was made of, back to the ones made before
    ``start``, has a known rank and Nones its maker called exact."""
    graph = ctx.graph
    seen, todo = set(), [("t", tid)]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        if key[0] == "t":
            if key[1] < start:
                continue
            shape = graph.shape(key[1])
            if shape is None or (None in shape and not graph.declared_exact(key[1])):
                return False
        todo.extend(graph.g.predecessors(key))
    return True


# The calls whose result's last axis is a one-hot encoding of its input.
_ONE_HOT_CALLS = ("one_hot", "to_categorical")


def _one_hot_width(ctx: Context, tensor: Tensor) -> Optional[int]:
    """The depth of the one-hot encoding ``tensor`` is, when it was made by
    ``tf.one_hot(labels, depth)`` (default axis) or ``to_categorical``."""
    node = ctx.graph.g.nodes[("t", tensor.tid)].get("node")
    if not isinstance(node, nodes.Call):
        return None
    func = node.func
    name = func.attrname if isinstance(func, nodes.Attribute) else getattr(func, "name", "")
    if name not in _ONE_HOT_CALLS or any(kw.arg == "axis" for kw in node.keywords or []) or len(node.args) > 4:
        return None
    shape = ctx.shape_of(tensor)
    return shape[-1] if shape and dims.is_int(shape[-1]) else None
