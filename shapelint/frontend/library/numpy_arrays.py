"""The numpy array model: what an ``Array`` is after numpy's operations --
dtype kinds and promotion, joining and reshaping, basic and integer-array
indexing, element-wise arithmetic and comparisons (what the evaluator applies
to operators: ``x / 255.0``, ``x[:100]``, ``np.eye(10)[y]``), and lists of
arrays a loop fills.  Pure functions over values; the ``numpy.*`` functions
and ``ndarray`` methods that use them are the handlers of ``numpy_data``.

Each function mirrors numpy 2's documented behaviour and is tested against
real numpy through those handlers (tests/test_library_numpy.py).
"""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

from shapelint.frontend.context import LibraryCall
from shapelint.frontend.library.registry import DECLINE
from shapelint.frontend.library.tensor_ops import broadcast, broadcast_clash, reduced_shape
from shapelint.frontend.values import MAX_MATERIALISE, Array, BoundMethod, LibraryObject, ListOf
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

# numpy.sum/mean/... and the ndarray methods of the same names.
REDUCTIONS = ("sum", "mean", "max", "min", "std", "var", "prod")
# dtype kinds in numpy's promotion order (a str array promotes with nothing).
_KIND_ORDER = ("bool", "int", "float")


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
    """The dtype kind ("int"/"float"/"bool"/"str") a ``dtype=`` argument
    names: a string (``"float32"``), a dtype reference (``np.uint8``) or a
    Python type (``int``, ``float``)."""
    if value is None or value is UNKNOWN:
        return default
    text = value if isinstance(value, str) else getattr(value, "qualname", "")
    text = text.split(".")[-1]
    if text.startswith("float") or text in ("double", "half", "single", "longdouble"):
        return "float"
    if text.startswith(("int", "uint")) or text in ("long", "longlong", "intp", "short", "byte", "ubyte"):
        return "int"
    if text.startswith("bool"):
        return "bool"
    if text in ("str", "str_", "unicode", "U") or text.startswith("<U"):
        return "str"
    return None


def promote(*kinds: Optional[str]) -> Optional[str]:
    """numpy's result kind for arrays of these kinds (bool < int < float);
    None when one is unknown or a str meets a number."""
    if any(k is None for k in kinds):
        return None
    if "str" in kinds:
        return "str" if all(k == "str" for k in kinds) else None
    return max(kinds, key=_KIND_ORDER.index)


def shape_arg(value: Any) -> Optional[tuple]:
    """A ``shape``/``size`` argument: an int or a sequence of sizes.  A size
    the code does not show (``(batch_size, 256, 256, 3)`` after a branch
    that may change ``batch_size``) is None: the rank is still the
    sequence's length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (tuple, list)) and all(dims.is_size(v) or v is UNKNOWN for v in value):
        return tuple(None if v is UNKNOWN else v for v in value)
    return None


def new_array(shape, dtype=None, classes=None) -> Any:
    if shape is None:
        return UNKNOWN
    return Array(tuple(shape), dtype, classes)


def label_count(distinct: Optional[Sequence], kind: Optional[str]) -> Optional[int]:
    """Integer values from 0: the class count their largest one implies."""
    if distinct is None or kind != "int" or not distinct or min(distinct) < 0:
        return None
    return int(max(distinct)) + 1


def scalar_kind(value: Any) -> Optional[str]:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return None


def frame_values(value: Any) -> Any:
    """A pandas frame or series (a LibraryObject whose ``values`` the pandas
    family fills in) as the array numpy makes of it; None otherwise."""
    if isinstance(value, LibraryObject) and isinstance(value.attrs.get("values"), Array):
        return value.attrs["values"]
    return None


def from_literal(value: Any, dtype: Any) -> Any:
    """``np.array(value, dtype=None)``: nested lists of numbers, strings or
    arrays of one length per level; an array (copied); a list filled in a
    loop (``ListOf``); a pandas frame or series.  numpy's dtype: the
    promotion of every element's (bool < int < float; str alone).  An
    object array (``dtype=object``, ragged rows) is not modelled."""
    if _is_object_dtype(dtype):
        return UNKNOWN
    if isinstance(value, Array):
        kind = dtype_of(dtype, value.dtype)
        same = kind == value.dtype
        return Array(value.shape, kind, value.classes if same else None, value.onehot and same,
                     distinct=value.distinct if same else None)
    if isinstance(value, ListOf):
        item = value.item
        if not isinstance(item, Array) or item.shape is None:
            return UNKNOWN
        kind = dtype_of(dtype, item.dtype)
        same = kind == item.dtype
        return Array((value.count,) + item.shape, kind, item.classes if same else None, item.onehot and same)
    frame = frame_values(value)
    if frame is not None:
        return from_literal(frame, dtype)

    leaves: List[Any] = []

    def shape_of(v):
        if isinstance(v, (list, tuple)):
            if not v:
                return (0,)
            inner = [shape_of(x) for x in v]
            if any(s is None for s in inner) or len(set(inner)) != 1:
                return None
            return (len(v),) + inner[0]
        if scalar_kind(v) is not None:
            leaves.append(v)
            return ()
        if isinstance(v, (Array, ListOf)) or frame_values(v) is not None:
            inner = from_literal(v, None)
            if not isinstance(inner, Array) or inner.shape is None:
                return None
            leaves.append(inner)
            return inner.shape
        return None

    shape = shape_of(value)
    if shape is None:
        return UNKNOWN
    kinds = [leaf.dtype if isinstance(leaf, Array) else scalar_kind(leaf) for leaf in leaves]
    inferred = promote(*kinds) if kinds else "float"  # np.array([]) is float64
    kind = dtype_of(dtype, inferred)
    arrays = [leaf for leaf in leaves if isinstance(leaf, Array)]
    if arrays:
        first = arrays[0]
        same = len(arrays) == len(leaves) and kind == inferred and all(
            a.classes == first.classes and a.onehot == first.onehot for a in arrays)
        return Array(shape, kind, first.classes if same else None, first.onehot and same)
    distinct = None
    if kind == inferred and kinds and len(set(kinds)) == 1 and len(leaves) <= MAX_MATERIALISE:
        distinct = tuple(sorted(set(leaves)))
    elif kind == inferred == "int" and all(k in ("bool", "int") for k in kinds):
        distinct = tuple(sorted({int(v) for v in leaves}))
    return Array(shape, kind, label_count(distinct, kind), distinct=distinct)


def _is_object_dtype(dtype: Any) -> bool:
    text = dtype if isinstance(dtype, str) else getattr(dtype, "qualname", "")
    return text.split(".")[-1] in ("object", "object_", "O")


def as_array(value: Any) -> Any:
    """What numpy makes of a function's array argument (``np.asarray``)."""
    if isinstance(value, Array):
        return value
    return from_literal(value, None)


def as_item(value: Any) -> Optional[Array]:
    """One item of a list of data, as an array: an array of known rank, a
    list of numbers or arrays (a row), or a number (a 0-d array; a known int
    is a label below itself + 1).  None for anything else (a layer, a
    tensor, a string, UNKNOWN)."""
    if isinstance(value, Array):
        return value if value.shape is not None else None
    if isinstance(value, (list, tuple)):
        row = from_literal(value, None)
        return row if isinstance(row, Array) and row.dtype in ("bool", "int", "float") else None
    kind = scalar_kind(value)
    if kind in ("bool", "int", "float"):
        return Array((), kind, label_count((value,), kind))
    return None


def merge_items(a: Array, b: Array, same_sizes: bool = True) -> Optional[Array]:
    """One item standing for both ``a`` and ``b``: same rank, a size both
    agree on kept (None otherwise); labels below the larger count.  None
    when the two cannot be items of one array (ranks differ, or with
    ``same_sizes`` sizes differ: numpy would not stack them)."""
    if a is b:
        return a
    if a.shape is None or b.shape is None or len(a.shape) != len(b.shape):
        return None
    shape = []
    for x, y in zip(a.shape, b.shape):
        if same_sizes and dims.differs(x, y):
            return None
        shape.append(x if dims.equal(x, y) else None)
    kind = promote(a.dtype, b.dtype)
    classes = max(a.classes, b.classes) if a.classes is not None and b.classes is not None else None
    onehot = a.onehot and b.onehot and a.classes == b.classes
    if a.onehot != b.onehot:
        classes = None
    return Array(tuple(shape), kind, classes, onehot)


def list_of(items: Sequence[Any], count: Optional[int] = None) -> Any:
    """A ``ListOf`` for these items when they are data of one shape, else
    UNKNOWN (a list of layers or tensors stays unknown)."""
    merged = None
    for value in items:
        item = as_item(value)
        if item is None:
            return UNKNOWN
        merged = item if merged is None else merge_items(merged, item)
        if merged is None:
            return UNKNOWN
    if merged is None:
        return UNKNOWN
    return ListOf(merged, count)


def filled_list(before: List[Any], after: List[Any]) -> Any:
    """A list a loop of unknown trip count appended to (``before`` its items
    before the one pass the evaluator made, ``after`` after it): a ``ListOf``
    of an unknown count when every item is data of one shape, else UNKNOWN."""
    if len(after) <= len(before) or any(a is not b for a, b in zip(before, after)):
        return UNKNOWN
    return list_of(after)


def widened_list(old: Any, new: ListOf) -> Any:
    """A ``ListOf`` an inner loop made of a list the outer loop also fills."""
    if isinstance(old, list):
        items = [new.item] + list(old)
    elif isinstance(old, ListOf):
        items = [new.item, old.item]
    else:
        return UNKNOWN
    merged = list_of(items)
    return merged if isinstance(merged, ListOf) else UNKNOWN


def element_of(value: Any) -> Any:
    """What ``for row in value`` binds: the rows of an array (numpy iterates
    over the first axis), the items of a ``ListOf``; None otherwise."""
    if isinstance(value, Array) and value.shape:
        keeps_onehot = value.onehot and len(value.shape) > 1
        return Array(tuple(value.shape[1:]), value.dtype, value.classes if keeps_onehot or not value.onehot else None,
                     keeps_onehot)
    if isinstance(value, ListOf) and isinstance(value.item, Array) and value.item.shape:
        return value.item
    return None


def count_of(value: Any) -> Optional[int]:
    """How many items ``for row in value`` visits, when known."""
    if isinstance(value, Array) and value.shape and dims.is_int(value.shape[0]):
        return value.shape[0]
    if isinstance(value, ListOf):
        return value.count
    return None


def shared_value(values: List[Any]) -> Any:
    """``d[key]`` with a key the code does not show: what every entry
    shares, when they are arrays of one rank (a size they differ in is
    None), numbers (a 0-d array; ints from 0 are labels below the largest
    + 1), or tuples of those, item by item; UNKNOWN otherwise."""
    if not values:
        return UNKNOWN
    if all(isinstance(v, tuple) for v in values) and len({len(v) for v in values}) == 1:
        return tuple(shared_value([v[i] for v in values]) for i in range(len(values[0])))
    if all(isinstance(v, Array) for v in values):
        merged = values[0]
        for other in values[1:]:
            merged = merge_items(merged, other, same_sizes=False)
            if merged is None:
                return UNKNOWN
        return merged
    if all(scalar_kind(v) == "int" for v in values):
        return Array((), "int", label_count(values, "int"))
    if all(scalar_kind(v) in ("int", "float") for v in values):
        return Array((), "float")
    return UNKNOWN


# ------------------------------------------------- array transformations
def reduce(array: Any, axis: Any, keepdims: Any) -> Any:
    """``np.sum(x, axis=1, keepdims=True)`` and friends (numpy's reduction
    shape: the axes go, or become 1 with keepdims)."""
    if not isinstance(array, Array) or array.shape is None or keepdims not in (True, False):
        return UNKNOWN
    shape = reduced_shape(tuple(array.shape), axis, keepdims)
    return UNKNOWN if shape is None else Array(shape, "float")


def sequence_of(arrays: Any) -> Any:
    """The arrays a stacking function joins: a list of arrays (or of
    anything ``np.asarray`` takes), or a ``ListOf``; None when unknown."""
    if isinstance(arrays, ListOf):
        return arrays if isinstance(arrays.item, Array) and arrays.item.shape is not None else None
    if isinstance(arrays, (list, tuple)) and arrays:
        out = [as_array(a) for a in arrays]
        if all(isinstance(a, Array) and a.shape is not None for a in out):
            return out
    return None


def _joined_kind(arrays: List[Array]):
    first = arrays[0]
    kind = promote(*(a.dtype for a in arrays))
    same = all(a.dtype == first.dtype and a.classes == first.classes and a.onehot == first.onehot for a in arrays)
    return kind, (first.classes if same else None), first.onehot and same


def join_arrays(arrays: Any, axis: Any, promote_to: int = 0, one_d_first: bool = False) -> Any:
    """numpy's concatenate after ``atleast_{promote_to}d`` of each array:
    sizes add along ``axis``, every other size must agree.  ``one_d_first``:
    ``column_stack`` makes 1-D arrays columns, not rows."""
    seq = sequence_of(arrays)
    if seq is None or not dims.is_int(axis):
        return UNKNOWN

    def promoted(shape):
        if one_d_first and len(shape) == 1:
            return shape + (1,)
        if promote_to == 2 and len(shape) < 2:
            return (1,) * (2 - len(shape)) + shape
        if promote_to == 3 and len(shape) < 3:
            return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)]
        return shape

    if isinstance(seq, ListOf):
        item = promoted(seq.item.shape)
        if not -len(item) <= axis < len(item):
            return UNKNOWN
        axis %= len(item)
        out = list(item)
        out[axis] = dims.mul(seq.count, item[axis]) if seq.count is not None else None
        keeps = axis != len(item) - 1 or not seq.item.onehot
        return Array(tuple(out), seq.item.dtype, seq.item.classes if keeps else None, seq.item.onehot and keeps)
    shapes = [promoted(a.shape) for a in seq]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes) or not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    out = list(shapes[0])
    for shape in shapes[1:]:
        for i, (x, y) in enumerate(zip(out, shape)):
            if i == axis:
                out[i] = dims.add(x, y)
            elif dims.differs(x, y):
                return UNKNOWN  # numpy refuses
            elif x is None:
                out[i] = y
    kind, classes, onehot = _joined_kind(seq)
    keeps = axis != rank - 1 or not onehot
    return Array(tuple(out), kind, classes if keeps else None, onehot and keeps)


def concatenate(arrays: Any, axis: Any) -> Any:
    """``np.concatenate([a, b], axis)``: sizes add along the axis; with
    ``axis=None`` every array is flattened first."""
    if axis is None:
        seq = sequence_of(arrays)
        if seq is None:
            return UNKNOWN
        items = [seq.item] if isinstance(seq, ListOf) else seq
        flat = [Array((dims.product(a.shape),), a.dtype, a.classes if not a.onehot else None) for a in items]
        if isinstance(seq, ListOf):
            flat = ListOf(flat[0], seq.count)
        return join_arrays(flat, 0)
    return join_arrays(arrays, axis)


def stack(arrays: Any, axis: Any) -> Any:
    """``np.stack(arrays, axis=0)``: arrays of one shape joined on a new
    axis (a comprehension of windows gives ``(n, window, ...)``)."""
    seq = sequence_of(arrays)
    if seq is None or not dims.is_int(axis):
        return UNKNOWN
    if isinstance(seq, ListOf):
        item, count = seq.item, seq.count
    else:
        item = seq[0]
        for other in seq[1:]:
            merged = merge_items(item, other)
            if merged is None:
                return UNKNOWN
            # numpy demands equal shapes: a size one of them shows is everyone's.
            item = Array(tuple(x if x is not None else y for x, y in zip(item.shape, other.shape)),
                         merged.dtype, merged.classes, merged.onehot)
        count = len(seq)
    rank = len(item.shape) + 1
    if not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    shape = list(item.shape)
    shape.insert(axis, count)
    keeps = axis != rank - 1
    return Array(tuple(shape), item.dtype, item.classes if keeps or not item.onehot else None,
                 item.onehot and keeps)


def reshape(array: Any, new_shape: Any) -> Any:
    """``np.reshape``: the new shape's rank; one unknown size (-1, or a size
    the code does not show) is what the others leave, when the total is
    known.  An array of unknown rank reshaped to literal sizes has them."""
    if not isinstance(array, Array):
        return UNKNOWN
    if dims.is_int(new_shape) or new_shape is UNKNOWN:
        new_shape = (new_shape,)
    if not isinstance(new_shape, (tuple, list)) or not all(
            dims.is_int(d) or d is UNKNOWN for d in new_shape):
        return UNKNOWN
    new_shape = list(new_shape)
    open_axes = [i for i, d in enumerate(new_shape) if d == -1 or d is UNKNOWN]
    if new_shape.count(-1) > 1 or any(dims.is_int(d) and d < -1 for d in new_shape):
        return UNKNOWN  # numpy refuses
    if len(open_axes) == 1 and array.shape is not None and all(dims.is_int(d) for d in array.shape):
        total = dims.product(array.shape)
        known = dims.product(d for i, d in enumerate(new_shape) if i not in open_axes)
        if known and total % known == 0:
            new_shape[open_axes[0]] = total // known
        elif known or total:
            return UNKNOWN  # numpy refuses
    elif not open_axes and array.shape is not None and all(dims.is_int(d) for d in array.shape):
        if dims.product(array.shape) != dims.product(new_shape):
            return UNKNOWN  # numpy refuses
    new_shape = [None if d == -1 or d is UNKNOWN else d for d in new_shape]
    keeps_labels = array.classes is not None and not array.onehot
    return Array(tuple(new_shape), array.dtype, array.classes if keeps_labels else None,
                 distinct=array.distinct)


def reshape_refused(array: Any, new_shape: Any) -> Optional[int]:
    """The array's size when numpy certainly refuses ``array.reshape(new_shape)``
    ("cannot reshape array of size N into shape ..."): every size of the
    array and of the new shape known, at most one -1, and no size for the
    -1 (or no -1 and another total).  None when numpy accepts it, or when
    the code does not show enough to tell."""
    if not isinstance(array, Array) or array.shape is None or not all(
            dims.is_int(d) and not isinstance(d, bool) for d in array.shape):
        return None
    if dims.is_int(new_shape):
        new_shape = (new_shape,)
    if not isinstance(new_shape, (tuple, list)) or not all(
            dims.is_int(d) and not isinstance(d, bool) and d >= -1 for d in new_shape):
        return None
    if list(new_shape).count(-1) > 1:
        return None  # another error ("can only specify one unknown dimension")
    total = dims.product(array.shape)
    known = dims.product(d for d in new_shape if d != -1)
    if -1 in new_shape:
        return total if known and total % known else None
    return total if known != total else None


def axis_list(axis: Any, rank: int) -> Optional[List[int]]:
    axes = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    if not all(dims.is_int(a) and -rank <= a < rank for a in axes):
        return None
    picked = [a % rank for a in axes]
    return picked if len(set(picked)) == len(picked) else None


def expand_dims(array: Any, axis: Any) -> Any:
    """``np.expand_dims(a, axis)``: an int or a tuple of positions in the
    result."""
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    rank = len(array.shape) + (len(axis) if isinstance(axis, (tuple, list)) else 1)
    picked = axis_list(axis, rank)
    if picked is None:
        return UNKNOWN
    rest = iter(array.shape)
    shape = tuple(1 if i in picked else next(rest) for i in range(rank))
    keeps = shape[-1:] == array.shape[-1:] and rank - 1 not in picked
    return Array(shape, array.dtype, array.classes if keeps or not array.onehot else None,
                 array.onehot and keeps, distinct=array.distinct)


def squeeze(array: Any, axis: Any) -> Any:
    """``np.squeeze``: every size-1 axis, or the named size-1 axes."""
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    if axis is None:
        picked = [i for i, d in enumerate(array.shape) if d == 1]
    else:
        picked = axis_list(axis, len(array.shape))
        if picked is None or any(array.shape[i] != 1 for i in picked):
            return UNKNOWN
    shape = tuple(d for i, d in enumerate(array.shape) if i not in picked)
    keeps = len(array.shape) - 1 not in picked
    return Array(shape, array.dtype, array.classes if keeps or not array.onehot else None,
                 array.onehot and keeps, distinct=array.distinct)


def transpose(array: Any, axes: Any) -> Any:
    """``np.transpose(a, axes=None)``: the axes reversed, or permuted."""
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    rank = len(array.shape)
    if axes is None:
        order = list(range(rank))[::-1]
    else:
        order = axis_list(axes, rank) if rank else None
        if order is None or len(order) != rank:
            return UNKNOWN
    shape = tuple(array.shape[i] for i in order)
    keeps = not order or order[-1] == rank - 1
    return Array(shape, array.dtype, array.classes if keeps or not array.onehot else None,
                 array.onehot and keeps, distinct=array.distinct)


# ------------------------------------------------------------ indexing
def _index_item(item: Any) -> Any:
    """An index item numpy takes: an int, a slice, None, Ellipsis, or an
    integer/boolean array (a list is one); UNKNOWN otherwise."""
    if isinstance(item, list):
        item = Array((0,), "int") if not item else from_literal(item, None)
    if isinstance(item, Array):
        return item if item.shape is not None and item.dtype in ("int", "bool") else UNKNOWN
    if item is None or item is Ellipsis or isinstance(item, slice) or dims.is_int(item):
        return item
    return UNKNOWN


def _consumed(item: Any) -> int:
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, Array) and item.dtype == "bool":
        return len(item.shape)
    return 1


def _sliced(size: Any, item: slice) -> Any:
    if dims.is_int(size):
        return len(range(*item.indices(size)))
    if item == slice(None):
        return size
    return None


def subscript(array: Array, index: Any) -> Any:
    """numpy indexing: ints drop an axis, slices keep it (sized), None adds
    one, ``...`` fills in; integer arrays (``x[idx]``, ``np.eye(k)[y]``) put
    their broadcast shape where they stand (first, when they are not next to
    each other), a boolean mask one axis of unknown size in place of the
    axes it covers.  An array of unknown rank gives one of unknown rank
    (of its dtype): numpy indexing gives an array (or a scalar of that
    dtype) whatever the index."""
    if array.shape and (type(index) is int or type(index) is Array and index.dtype == "int"
                        and index.shape is not None):
        # x[i] and x[idx], the commonest indexes: the first axis goes, an
        # integer array's shape takes its place
        onehot = array.onehot and len(array.shape) > 1
        lead = () if type(index) is int else tuple(index.shape)
        return Array(lead + tuple(array.shape[1:]), array.dtype,
                     array.classes if onehot or not array.onehot else None, onehot)
    items = [_index_item(i) for i in (index if isinstance(index, tuple) else (index,))]
    if any(i is UNKNOWN for i in items) or items.count(Ellipsis) > 1:
        return UNKNOWN
    if array.shape is None:
        return Array(None, array.dtype)
    shape = list(array.shape)
    used = sum(_consumed(i) for i in items)
    if used > len(shape):
        return UNKNOWN  # numpy: too many indices
    fill = [slice(None)] * (len(shape) - used)
    split = False  # an Ellipsis between advanced indices separates them, even one that fills nothing
    if Ellipsis in items:
        at = items.index(Ellipsis)
        has_arrays = any(isinstance(i, Array) for i in items)

        def is_advanced(i):
            return isinstance(i, Array) or (has_arrays and dims.is_int(i))

        split = any(is_advanced(i) for i in items[:at]) and any(is_advanced(i) for i in items[at + 1:])
        items[at:at + 1] = fill
    else:
        items += fill
    advanced = any(isinstance(i, Array) for i in items)
    adv_at = [k for k, i in enumerate(items) if isinstance(i, Array) or (advanced and dims.is_int(i))]
    adv_shape: Any = ()
    for k in adv_at:
        item = items[k]
        part = () if dims.is_int(item) else (None,) if item.dtype == "bool" else item.shape
        if isinstance(item, Array) and item.dtype == "bool" and not item.shape:
            return UNKNOWN
        adv_shape = broadcast(adv_shape, part)
        if adv_shape is None:
            return UNKNOWN
    out: List[Any] = []
    pos = 0
    adv_out = None
    last_axis_kept = False
    for k, item in enumerate(items):
        if k in adv_at:
            if adv_out is None:
                adv_out = len(out)
        elif item is None:
            out.append(1)
        elif isinstance(item, slice):
            out.append(_sliced(shape[pos], item))
            last_axis_kept = last_axis_kept or (pos == len(shape) - 1 and item == slice(None))
        pos += _consumed(item) if item is not None else 0
    if adv_at:
        adjacent = adv_at == list(range(adv_at[0], adv_at[-1] + 1)) and not split
        at = adv_out if adjacent else 0
        out[at:at] = list(adv_shape)
    onehot = array.onehot and last_axis_kept
    classes = array.classes if onehot or not array.onehot else None
    whole = not advanced and all(i == slice(None) or i is None for i in items)
    return Array(tuple(out), array.dtype, classes, onehot, distinct=array.distinct if whole else None)


def array_attribute(base: Array, name: str) -> Any:
    """``x.shape``, ``x.ndim``, ``x.size``, ``x.T`` of an array; a bound
    method for any other name (numpy.ndarray's attributes)."""
    if name == "shape":  # a None here is a size the code does not show
        return tuple(UNKNOWN if d is None else d for d in base.shape) if base.shape is not None else UNKNOWN
    if name == "ndim":
        return len(base.shape) if base.shape is not None else UNKNOWN
    if name == "size":
        size = dims.product(base.shape) if base.shape is not None else None
        return size if dims.is_int(size) else UNKNOWN
    if name == "T":
        return transpose(base, None)
    return BoundMethod(base, name)


# ------------------------------------------------------------ arithmetic
_ARITHMETIC = ("+", "-", "*", "/", "//", "%", "**")


def operand(value: Any):
    """(shape, kind) of an operand numpy broadcasts; None if not one."""
    if isinstance(value, Array):
        return value.shape, value.dtype
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (), scalar_kind(value)
    return None


def binop(left: Any, right: Any, op: str = "+") -> Any:
    """Element-wise arithmetic on arrays (numpy broadcasting): x / 255.0,
    x - mean, np.arange(n) % k.  numpy 2's kinds: a Python number takes the
    array's kind unless it is a float meeting ints; ``/`` is always float."""
    operands = [operand(left), operand(right)]
    if None in operands or op not in _ARITHMETIC + ("&", "|", "^"):
        return UNKNOWN
    (lshape, lkind), (rshape, rkind) = operands
    kind = promote(lkind, rkind)
    if kind == "str" or (kind == "bool" and op == "-"):
        return UNKNOWN  # numpy refuses
    if op == "/" and kind is not None:
        kind = "float"
    elif op in ("//", "%", "**") and kind == "bool":
        kind = "int"
    elif op in ("&", "|", "^") and kind not in ("bool", "int"):
        return UNKNOWN
    if lshape is None or rshape is None:
        other = rshape if lshape is None else lshape
        return Array(None, kind) if other == () else UNKNOWN
    shapes = (lshape, rshape)
    out = broadcast(*shapes)
    if out is None or any(d is None and x is not None and y is not None
                          for d, x, y in zip(out, _padded(shapes[0], len(out)), _padded(shapes[1], len(out)))):
        return UNKNOWN  # numpy would refuse these shapes
    classes, distinct = _labels_after(left, right, op, kind)
    return Array(tuple(out), kind, classes, distinct=distinct)


def broadcast_refused(left: Any, right: Any, op: str) -> Optional[str]:
    """What ``left op right`` does wrong when numpy refuses to broadcast the
    two arrays (known sizes that differ on an aligned axis, neither 1),
    with numpy's words; None when it does not (or cannot be told)."""
    operands = [operand(left), operand(right)]
    if op not in _ARITHMETIC + ("&", "|", "^") or None in operands:
        return None
    (a, _), (b, _) = operands
    clash = broadcast_clash(a, b)
    if clash is None:
        return None
    x, y = (dims.fmt_dim(d) for d in clash)
    numpy_said = " ".join("(" + ",".join(dims.fmt_dim(d) for d in s) + ("," if len(s) == 1 else "") + ")"
                          for s in (a, b))
    return (f"broadcasts arrays of shapes {dims.fmt_shape(a)} and {dims.fmt_shape(b)}: aligned from the last "
            f"axis, sizes {x} and {y} differ and neither is 1; numpy raises (\"operands could not be broadcast "
            f"together with shapes {numpy_said}\")")


def _labels_after(left: Any, right: Any, op: str, kind: Optional[str]):
    """(classes, distinct) of ``labels % k`` (below k) and of known labels
    shifted by a number (``y - 1``)."""
    if kind != "int":
        return None, None
    if op == "+" and isinstance(right, Array) and not isinstance(left, Array):
        left, right = right, left
    if not isinstance(left, Array) or left.onehot or not dims.is_int(right):
        return None, None
    values = left.distinct
    if op == "%" and right > 0:
        distinct = None
        if isinstance(values, range) and values.step == 1 and len(values) >= right:
            distinct = range(right)  # consecutive ints cover every remainder
        elif values is not None and len(values) <= MAX_MATERIALISE:
            distinct = tuple(sorted({v % right for v in values}))
        return right if distinct is None else label_count(distinct, kind), distinct
    if op in ("+", "-") and values is not None:
        shift = right if op == "+" else -right
        distinct = (range(values.start + shift, values.stop + shift, values.step) if isinstance(values, range)
                    else tuple(v + shift for v in values))
        return label_count(distinct, kind), distinct
    return None, None


def compare(left: Any, right: Any) -> Any:
    """``y == 1``, ``x > 0.5`` on arrays: a boolean array of the broadcast
    shape."""
    operands = [operand(left), operand(right)]
    if None in operands or not (isinstance(left, Array) or isinstance(right, Array)):
        return UNKNOWN
    (lshape, _), (rshape, _) = operands
    if lshape is None or rshape is None:
        return UNKNOWN
    out = broadcast(lshape, rshape)
    if out is None or any(d is None and x is not None and y is not None
                          for d, x, y in zip(out, _padded(lshape, len(out)), _padded(rshape, len(out)))):
        return UNKNOWN
    return Array(tuple(out), "bool")


def _padded(shape, n):
    return (1,) * (n - len(shape)) + tuple(shape)
