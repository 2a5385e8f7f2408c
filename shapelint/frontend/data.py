"""Shapes of training data the code shows: numpy constructors, reshape and
expand_dims, slicing, to_categorical, tf.data, and the well-known datasets.

Everything here returns an ``Array`` (or ``Dataset``) or ``UNKNOWN``: data we
cannot see is fine, the checks then stay silent.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from shapelint.frontend.ops import broadcast, reduced_shape
from shapelint.frontend.resolve import normalise
from shapelint.frontend.values import Array, Dataset
from shapelint.shapes import dims
from shapelint.shapes.registry import UNKNOWN

# keras.datasets.<name>.load_data() -> ((x_train, y_train), (x_test, y_test))
# as Keras 3 documents them: (shape, dtype, classes) per array.
DATASETS: Dict[str, tuple] = {
    "mnist": (((60000, 28, 28), "int", None), ((60000,), "int", 10),
              ((10000, 28, 28), "int", None), ((10000,), "int", 10)),
    "fashion_mnist": (((60000, 28, 28), "int", None), ((60000,), "int", 10),
                      ((10000, 28, 28), "int", None), ((10000,), "int", 10)),
    "cifar10": (((50000, 32, 32, 3), "int", None), ((50000, 1), "int", 10),
                ((10000, 32, 32, 3), "int", None), ((10000, 1), "int", 10)),
    "cifar100": (((50000, 32, 32, 3), "int", None), ((50000, 1), "int", 100),
                 ((10000, 32, 32, 3), "int", None), ((10000, 1), "int", 100)),
    # Sequences of word ids of varying length: one object per review.
    "imdb": (((25000,), None, None), ((25000,), "int", 2),
             ((25000,), None, None), ((25000,), "int", 2)),
    "reuters": (((8982,), None, None), ((8982,), "int", 46),
                ((2246,), None, None), ((2246,), "int", 46)),
    "boston_housing": (((404, 13), "float", None), ((404,), "float", None),
                       ((102, 13), "float", None), ((102,), "float", None)),
}

_FLOAT_DTYPES = ("float", "float16", "float32", "float64", "double")


def _dtype_of(value: Any, default: Optional[str]) -> Optional[str]:
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
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (tuple, list)) and all(
        (isinstance(v, int) and not isinstance(v, bool)) or dims.is_symbolic(v) for v in value
    ):
        return tuple(value)
    return None


def _array(shape, dtype=None, classes=None, onehot=False) -> Any:
    if shape is None:
        return UNKNOWN
    return Array(tuple(shape), dtype, classes, onehot)


def numpy_call(name: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    """``name`` is the attribute path below ``numpy`` (``random.rand``)."""
    if name in ("zeros", "ones", "empty"):
        shape = _shape_arg(kwargs.get("shape", args[0] if args else None))
        return _array(shape, _dtype_of(kwargs.get("dtype", args[1] if len(args) > 1 else None), "float"))
    if name == "full":
        shape = _shape_arg(kwargs.get("shape", args[0] if args else None))
        fill = kwargs.get("fill_value", args[1] if len(args) > 1 else None)
        default = "int" if isinstance(fill, int) and not isinstance(fill, bool) else "float"
        return _array(shape, _dtype_of(kwargs.get("dtype"), default))
    if name in ("random.rand", "random.randn"):
        shape = tuple(args) if args else ()
        return _array(_shape_arg(shape) if shape else (), "float")
    if name in ("random.random", "random.random_sample", "random.sample", "random.ranf"):
        size = kwargs.get("size", args[0] if args else None)
        return _array(_shape_arg(size) if size is not None else (), "float")
    if name in ("random.uniform", "random.normal"):
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        return _array(_shape_arg(size) if size is not None else (), "float")
    if name == "random.randint":
        low = kwargs.get("low", args[0] if args else None)
        high = kwargs.get("high", args[1] if len(args) > 1 else None)
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        top = high if high is not None else low
        shape = _shape_arg(size) if size is not None else ()
        classes = top if isinstance(top, int) and not isinstance(top, bool) else None
        if isinstance(low, int) and high is not None and low != 0:
            classes = None
        return _array(shape, "int", classes)
    if name == "random.choice":
        n = args[0] if args else None
        size = kwargs.get("size", args[1] if len(args) > 1 else None)
        shape = _shape_arg(size) if size is not None else ()
        return _array(shape, "int" if isinstance(n, int) else None,
                      n if isinstance(n, int) and not isinstance(n, bool) else None)
    if name in ("array", "asarray"):
        return _from_literal(args[0] if args else None, kwargs.get("dtype"))
    if name == "reshape" and len(args) >= 2:
        return reshape(args[0], args[1])
    if name == "expand_dims":
        return expand_dims(args[0] if args else None, kwargs.get("axis", args[1] if len(args) > 1 else None))
    if name == "squeeze":
        return squeeze(args[0] if args else None, kwargs.get("axis", args[1] if len(args) > 1 else None))
    if name in _REDUCTIONS and args:
        return reduce(args[0], kwargs.get("axis", args[1] if len(args) > 1 else None), kwargs.get("keepdims", False))
    if name in ("concatenate", "vstack", "hstack") and args:
        return concatenate(args[0], 0 if name == "vstack" else (1 if name == "hstack" else kwargs.get("axis", args[1] if len(args) > 1 else 0)))
    if name in ("eye", "identity") and args and isinstance(args[0], int):
        return Array((args[0], args[0]), "float")
    return UNKNOWN


_REDUCTIONS = ("sum", "mean", "max", "min", "std", "var", "prod")


def reduce(array: Any, axis: Any, keepdims: Any) -> Any:
    """x.sum(axis=1, keepdims=True) and friends."""
    if not isinstance(array, Array) or array.shape is None or keepdims not in (True, False):
        return UNKNOWN
    shape = reduced_shape(tuple(array.shape), axis, keepdims)
    return UNKNOWN if shape is None else Array(shape, "float")


def concatenate(arrays: Any, axis: Any) -> Any:
    """np.concatenate([a, b], axis): sizes add along the axis."""
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


def _from_literal(value: Any, dtype: Any) -> Any:
    def shape_of(v):
        if isinstance(v, (list, tuple)):
            if not v:
                return (0,)
            inner = [shape_of(x) for x in v]
            if any(s is None for s in inner) or len(set(inner)) != 1:
                return None
            return (len(v),) + inner[0]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
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
    default = "int" if flat and all(isinstance(x, int) and not isinstance(x, bool) for x in flat) else "float"
    return Array(shape, _dtype_of(dtype, default))


def reshape(array: Any, new_shape: Any) -> Any:
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
    if not isinstance(array, Array) or array.shape is None or not isinstance(axis, int):
        return UNKNOWN
    shape = list(array.shape)
    pos = axis if axis >= 0 else len(shape) + 1 + axis
    if not 0 <= pos <= len(shape):
        return UNKNOWN
    shape.insert(pos, 1)
    return Array(tuple(shape), array.dtype, array.classes, array.onehot)


def squeeze(array: Any, axis: Any) -> Any:
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    if axis is None:
        return Array(tuple(d for d in array.shape if d != 1), array.dtype, array.classes, array.onehot)
    if isinstance(axis, int) and -len(array.shape) <= axis < len(array.shape) and array.shape[axis] == 1:
        shape = list(array.shape)
        del shape[axis]
        return Array(tuple(shape), array.dtype, array.classes, array.onehot)
    return UNKNOWN


def to_categorical(labels: Any, num_classes: Any) -> Any:
    """keras.utils.to_categorical: (n,) or (n, 1) -> (n, num_classes)."""
    if not isinstance(labels, Array) or labels.shape is None:
        return UNKNOWN
    shape = list(labels.shape)
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    classes = num_classes if isinstance(num_classes, int) and not isinstance(num_classes, bool) else labels.classes
    return Array(tuple(shape) + (classes,), "float", classes, True)


def subscript(array: Array, index: Any) -> Any:
    """Slicing that keeps or drops axes: x[0], x[:100], x[..., None]."""
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
        elif isinstance(item, int) and not isinstance(item, bool):
            if pos >= len(shape):
                return UNKNOWN
            pos += 1
        else:
            return UNKNOWN
    out.extend(shape[pos:])
    return Array(tuple(out), array.dtype, array.classes if not array.onehot or out[-1:] == shape[-1:] else None,
                 array.onehot and out[-1:] == shape[-1:])


def library_call(qualname: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    """Data-producing library calls by dotted name; UNKNOWN otherwise."""
    qual = normalise(qualname)
    if qual.startswith("numpy."):
        return numpy_call(qual[len("numpy."):], args, kwargs)
    if qual.endswith(".to_categorical") and (qual.startswith("keras.") or qual.startswith("tensorflow.")):
        return to_categorical(args[0] if args else kwargs.get("y"),
                              kwargs.get("num_classes", args[1] if len(args) > 1 else None))
    parts = qual.split(".")
    if len(parts) >= 4 and parts[0] == "keras" and parts[1] == "datasets" and parts[-1] == "load_data":
        spec = DATASETS.get(parts[2])
        if spec is None:
            return UNKNOWN
        arrays = [Array(s, d, c) for s, d, c in spec]
        return ((arrays[0], arrays[1]), (arrays[2], arrays[3]))
    if qual.endswith("data.Dataset.from_tensor_slices") and args:
        element = args[0]
        per_sample = _drop_first(element)
        return Dataset(per_sample) if per_sample is not None else UNKNOWN
    if qual.startswith("tensorflow.") and qual.split(".")[-1] in ("constant", "convert_to_tensor"):
        if args and isinstance(args[0], Array):
            return args[0]
        return _from_literal(args[0], kwargs.get("dtype")) if args else UNKNOWN
    return UNKNOWN


def _drop_first(element: Any) -> Any:
    if isinstance(element, Array):
        if element.shape is None or not element.shape:
            return None
        return Array(element.shape[1:], element.dtype, element.classes, element.onehot)
    if isinstance(element, (tuple, list)):
        parts = [_drop_first(e) for e in element]
        return None if any(p is None for p in parts) else tuple(parts)
    return None


def method_call(array: Any, name: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    """Methods on data values: x.reshape(...), x.astype(...), ds.batch(n)."""
    if isinstance(array, Array):
        if name == "reshape":
            shape = args[0] if len(args) == 1 else tuple(args)
            return reshape(array, shape)
        if name == "astype":
            dtype = _dtype_of(args[0] if args else kwargs.get("dtype"), array.dtype)
            return Array(array.shape, dtype, array.classes, array.onehot)
        if name == "copy":
            return array
        if name == "squeeze":
            return squeeze(array, kwargs.get("axis", args[0] if args else None))
        if name in _REDUCTIONS:
            return reduce(array, kwargs.get("axis", args[0] if args else None), kwargs.get("keepdims", False))
        if name == "flatten" and array.shape is not None:
            return Array((dims.product(array.shape),), array.dtype)
        return UNKNOWN
    if isinstance(array, Dataset):
        if name == "batch":
            return Dataset(array.element, True)
        if name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip"):
            return Dataset(array.element, array.batched)
        return UNKNOWN
    return UNKNOWN


def binop(left: Any, right: Any) -> Any:
    """Element-wise arithmetic on arrays: x / 255.0, x - mean."""
    shapes = []
    dtype = "float"
    for v in (left, right):
        if isinstance(v, Array):
            shapes.append(v.shape)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
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
