"""numpy: the shapes of training data the code shows -- constructors,
``numpy.random.*``, reshape, expand_dims, squeeze, reductions, concatenate,
eye, the ``ndarray`` methods, and the array arithmetic and indexing the
evaluator applies to operators (``x / 255.0``, ``x[:100]``).

Everything here gives an ``Array`` or nothing: data we cannot see is fine,
the checks then stay silent.  A numpy function that cannot tell its result
declines, and the call ends as an unknown value (or, given a Keras tensor,
an unknown tensor).
"""
from __future__ import annotations

from typing import Any, List, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles
from shapelint.frontend.library.scalars import is_number
from shapelint.frontend.library.tensor_ops import broadcast, reduced_shape
from shapelint.frontend.values import Array
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

# numpy.sum/mean/... and the ndarray methods of the same names.
_REDUCTIONS = ("sum", "mean", "max", "min", "std", "var", "prod")


# ---------------------------------------------------------------- helpers
def located(call: LibraryCall, value: Any) -> Any:
    """A data model's answer for ``call``: an array remembers the call that
    made it (findings point there); UNKNOWN declines."""
    if value is UNKNOWN:
        return DECLINE
    if isinstance(value, Array):
        value.node = call.node
    return value


def dtype_of(value: Any, default: Optional[str]) -> Optional[str]:
    """The dtype kind ("int"/"float"/"bool") a ``dtype=`` argument names:
    a string (``"float32"``) or a dtype reference (``np.uint8``)."""
    if value is None or value is UNKNOWN:
        return default
    text = value if isinstance(value, str) else getattr(value, "qualname", "")
    text = text.split(".")[-1]
    if text.startswith("float") or text in ("double", "half"):
        return "float"
    if text.startswith(("int", "uint")) or text == "long":
        return "int"
    if text.startswith("bool"):
        return "bool"
    return None


def _shape_arg(value: Any) -> Optional[tuple]:
    """A ``shape``/``size`` argument: an int or a sequence of sizes."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (tuple, list)) and all(dims.is_size(v) for v in value):
        return tuple(value)
    return None


def _array(shape, dtype=None, classes=None) -> Any:
    if shape is None:
        return UNKNOWN
    return Array(tuple(shape), dtype, classes)


def from_literal(value: Any, dtype: Any) -> Any:
    """``np.array(value)``: nested lists of numbers (or arrays) of one
    length per level; int unless some element is not an int."""
    def shape_of(v):
        if isinstance(v, (list, tuple)):
            if not v:
                return (0,)
            inner = [shape_of(x) for x in v]
            if any(s is None for s in inner) or len(set(inner)) != 1:
                return None
            return (len(v),) + inner[0]
        if is_number(v):
            return ()
        if isinstance(v, Array):
            return v.shape
        return None

    shape = shape_of(value)
    if shape is None:
        return UNKNOWN
    flat = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        else:
            flat.append(v)

    walk(value)
    default = "int" if flat and all(dims.is_int(x) for x in flat) else "float"
    return Array(shape, dtype_of(dtype, default))


# ------------------------------------------------- array transformations
def reduce(array: Any, axis: Any, keepdims: Any) -> Any:
    """``np.sum(x, axis=1, keepdims=True)`` and friends (numpy's reduction
    shape: the axes go, or become 1 with keepdims)."""
    if not isinstance(array, Array) or array.shape is None or keepdims not in (True, False):
        return UNKNOWN
    shape = reduced_shape(tuple(array.shape), axis, keepdims)
    return UNKNOWN if shape is None else Array(shape, "float")


def concatenate(arrays: Any, axis: Any) -> Any:
    """``np.concatenate([a, b], axis)``: sizes add along the axis."""
    if not isinstance(arrays, (list, tuple)) or not arrays or not isinstance(axis, int):
        return UNKNOWN
    if not all(isinstance(a, Array) and a.shape is not None for a in arrays):
        return UNKNOWN
    rank = len(arrays[0].shape)
    if any(len(a.shape) != rank for a in arrays) or not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    out = list(arrays[0].shape)
    for other in arrays[1:]:
        out[axis] = dims.add(out[axis], other.shape[axis])
    first = arrays[0]
    same_kind = all(a.dtype == first.dtype and a.classes == first.classes and a.onehot == first.onehot
                    for a in arrays)
    return Array(tuple(out), first.dtype if same_kind else None,
                 first.classes if same_kind else None, first.onehot and same_kind)


def reshape(array: Any, new_shape: Any) -> Any:
    """``np.reshape``: one -1 is resolved when every size is known."""
    if not isinstance(array, Array):
        return UNKNOWN
    if isinstance(new_shape, int):
        new_shape = (new_shape,)
    if not isinstance(new_shape, (tuple, list)) or not all(isinstance(d, int) for d in new_shape):
        return UNKNOWN
    new_shape = list(new_shape)
    if new_shape.count(-1) == 1 and array.shape is not None and all(isinstance(d, int) for d in array.shape):
        total = dims.product(array.shape)
        known = dims.product(d for d in new_shape if d != -1)
        if known and total % known == 0:
            new_shape[new_shape.index(-1)] = total // known
    if -1 in new_shape:
        new_shape = [None if d == -1 else d for d in new_shape]
    keeps_labels = array.classes is not None and not array.onehot
    return Array(tuple(new_shape), array.dtype, array.classes if keeps_labels else None)


def expand_dims(array: Any, axis: Any) -> Any:
    """``np.expand_dims`` with one int axis."""
    if not isinstance(array, Array) or array.shape is None or not isinstance(axis, int):
        return UNKNOWN
    shape = list(array.shape)
    pos = axis if axis >= 0 else len(shape) + 1 + axis
    if not 0 <= pos <= len(shape):
        return UNKNOWN
    shape.insert(pos, 1)
    return Array(tuple(shape), array.dtype, array.classes, array.onehot)


def squeeze(array: Any, axis: Any) -> Any:
    """``np.squeeze``: every size-1 axis, or one named size-1 axis."""
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    if axis is None:
        return Array(tuple(d for d in array.shape if d != 1), array.dtype, array.classes, array.onehot)
    if isinstance(axis, int) and -len(array.shape) <= axis < len(array.shape) and array.shape[axis] == 1:
        shape = list(array.shape)
        del shape[axis]
        return Array(tuple(shape), array.dtype, array.classes, array.onehot)
    return UNKNOWN


# --------------------------------------------------- numpy.* functions
@handles("numpy.zeros", "numpy.ones", "numpy.empty")
def zeros(_ctx: Context, call: LibraryCall) -> Any:
    """``np.zeros(shape, dtype=float)`` (ones, empty)."""
    shape = _shape_arg(call.arg(0, "shape"))
    return located(call, _array(shape, dtype_of(call.arg(1, "dtype"), "float")))


@handles("numpy.full")
def full(_ctx: Context, call: LibraryCall) -> Any:
    """``np.full(shape, fill_value)``: the dtype of the fill value."""
    shape = _shape_arg(call.arg(0, "shape"))
    default = "int" if dims.is_int(call.arg(1, "fill_value")) else "float"
    return located(call, _array(shape, dtype_of(call.kwargs.get("dtype"), default)))


@handles("numpy.random.rand", "numpy.random.randn")
def rand(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.rand(d0, d1, ...)``: the sizes are the arguments."""
    shape = tuple(call.args) if call.args else ()
    return located(call, _array(_shape_arg(shape) if shape else (), "float"))


@handles("numpy.random.random", "numpy.random.random_sample", "numpy.random.sample", "numpy.random.ranf")
def random_sample(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.random(size=None)``: a float, or floats of ``size``."""
    size = call.arg(0, "size")
    return located(call, _array(_shape_arg(size) if size is not None else (), "float"))


@handles("numpy.random.uniform", "numpy.random.normal")
def uniform(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.uniform(low, high, size)`` / ``normal(loc, scale, size)``."""
    size = call.arg(2, "size")
    return located(call, _array(_shape_arg(size) if size is not None else (), "float"))


@handles("numpy.random.randint")
def randint(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.randint(low, high=None, size=None)``: ints below
    ``high`` (below ``low`` alone); from 0, they are class ids."""
    low, high, size = call.arg(0, "low"), call.arg(1, "high"), call.arg(2, "size")
    top = high if high is not None else low
    shape = _shape_arg(size) if size is not None else ()
    classes = top if dims.is_int(top) else None
    if isinstance(low, int) and high is not None and low != 0:
        classes = None
    return located(call, _array(shape, "int", classes))


@handles("numpy.random.choice")
def choice(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.choice(n, size)``: ints below n."""
    n = call.args[0] if call.args else None
    size = call.arg(1, "size")
    shape = _shape_arg(size) if size is not None else ()
    return located(call, _array(shape, "int" if isinstance(n, int) else None, n if dims.is_int(n) else None))


@handles("numpy.array", "numpy.asarray")
def array(_ctx: Context, call: LibraryCall) -> Any:
    """``np.array(nested_lists, dtype=None)``."""
    return located(call, from_literal(call.args[0] if call.args else None, call.kwargs.get("dtype")))


@handles("numpy.reshape")
def np_reshape(_ctx: Context, call: LibraryCall) -> Any:
    """``np.reshape(a, newshape)``."""
    if len(call.args) < 2:
        return DECLINE
    return located(call, reshape(call.args[0], call.args[1]))


@handles("numpy.expand_dims")
def np_expand_dims(_ctx: Context, call: LibraryCall) -> Any:
    """``np.expand_dims(a, axis)``."""
    return located(call, expand_dims(call.args[0] if call.args else None, call.arg(1, "axis")))


@handles("numpy.squeeze")
def np_squeeze(_ctx: Context, call: LibraryCall) -> Any:
    """``np.squeeze(a, axis=None)``."""
    return located(call, squeeze(call.args[0] if call.args else None, call.arg(1, "axis")))


@handles(*(f"numpy.{name}" for name in _REDUCTIONS))
def np_reduce(_ctx: Context, call: LibraryCall) -> Any:
    """``np.sum(a, axis=None, keepdims=False)`` and the other reductions."""
    if not call.args:
        return DECLINE
    return located(call, reduce(call.args[0], call.arg(1, "axis"), call.kwargs.get("keepdims", False)))


@handles("numpy.concatenate", "numpy.vstack", "numpy.hstack")
def np_concatenate(_ctx: Context, call: LibraryCall) -> Any:
    """``np.concatenate(arrays, axis=0)``; vstack joins on axis 0, hstack
    on axis 1."""
    if not call.args:
        return DECLINE
    axis = {"vstack": 0, "hstack": 1}.get(call.name)
    return located(call, concatenate(call.args[0], call.arg(1, "axis", default=0) if axis is None else axis))


@handles("numpy.eye", "numpy.identity")
def eye(_ctx: Context, call: LibraryCall) -> Any:
    """``np.eye(n)``: an (n, n) float matrix."""
    if not call.args or not isinstance(call.args[0], int):
        return DECLINE
    return located(call, Array((call.args[0], call.args[0]), "float"))


# ---------------------------------------------------- ndarray methods
@handles("numpy.ndarray.reshape")
def ndarray_reshape(_ctx: Context, call: LibraryCall) -> Any:
    """``a.reshape(shape)`` or ``a.reshape(d0, d1, ...)``."""
    shape = call.args[0] if len(call.args) == 1 else tuple(call.args)
    return reshape(call.receiver, shape)


@handles("numpy.ndarray.astype")
def ndarray_astype(_ctx: Context, call: LibraryCall) -> Any:
    """``a.astype(dtype)``: same shape and labels."""
    array = call.receiver
    dtype = dtype_of(call.args[0] if call.args else call.kwargs.get("dtype"), array.dtype)
    return Array(array.shape, dtype, array.classes, array.onehot)


@handles("numpy.ndarray.copy")
def ndarray_copy(_ctx: Context, call: LibraryCall) -> Any:
    """``a.copy()``: the same data."""
    return call.receiver


@handles("numpy.ndarray.squeeze")
def ndarray_squeeze(_ctx: Context, call: LibraryCall) -> Any:
    """``a.squeeze(axis=None)``."""
    return squeeze(call.receiver, call.arg(0, "axis"))


@handles(*(f"numpy.ndarray.{name}" for name in _REDUCTIONS))
def ndarray_reduce(_ctx: Context, call: LibraryCall) -> Any:
    """``a.sum(axis=None, keepdims=False)`` and the other reductions."""
    return reduce(call.receiver, call.arg(0, "axis"), call.kwargs.get("keepdims", False))


@handles("numpy.ndarray.flatten")
def ndarray_flatten(_ctx: Context, call: LibraryCall) -> Any:
    """``a.flatten()``: one axis of every element."""
    array = call.receiver
    if array.shape is None:
        return UNKNOWN
    return Array((dims.product(array.shape),), array.dtype)


# ------------------------------------------- operators on arrays
def subscript(array: Array, index: Any) -> Any:
    """numpy basic indexing keeps or drops axes: x[0], x[:100], x[..., None]."""
    if array.shape is None:
        return UNKNOWN
    items = index if isinstance(index, tuple) else (index,)
    shape = list(array.shape)
    out: List[Any] = []
    pos = 0
    for item in items:
        if item is None:
            out.append(1)
        elif item is Ellipsis:
            after = items[items.index(Ellipsis) + 1:]
            consuming = sum(1 for i in after if i is not None)
            take = len(shape) - consuming
            out.extend(shape[pos:take])
            pos = take
        elif isinstance(item, slice):
            if pos >= len(shape):
                return UNKNOWN
            size = shape[pos]
            if isinstance(size, int):
                out.append(len(range(*item.indices(size))))
            elif item == slice(None):
                out.append(size)
            else:
                out.append(None)
            pos += 1
        elif dims.is_int(item):
            if pos >= len(shape):
                return UNKNOWN
            pos += 1
        else:
            return UNKNOWN
    out.extend(shape[pos:])
    return Array(tuple(out), array.dtype, array.classes if not array.onehot or out[-1:] == shape[-1:] else None,
                 array.onehot and out[-1:] == shape[-1:])


def binop(left: Any, right: Any) -> Any:
    """Element-wise arithmetic on arrays (numpy broadcasting): x / 255.0,
    x - mean.  Int only when both operands are int arrays."""
    shapes = []
    dtype = "float"
    for v in (left, right):
        if isinstance(v, Array):
            shapes.append(v.shape)
        elif is_number(v):
            shapes.append(())
        else:
            return UNKNOWN
    out = broadcast(*shapes)
    if out is None or any(d is None and x is not None and y is not None
                          for d, x, y in zip(out, _padded(shapes[0], len(out)), _padded(shapes[1], len(out)))):
        return UNKNOWN  # numpy would refuse these shapes
    if all(isinstance(v, Array) and v.dtype == "int" for v in (left, right)):
        dtype = "int"
    return Array(tuple(out), dtype)


def _padded(shape, n):
    return (1,) * (n - len(shape)) + tuple(shape)
