"""numpy: the shapes of training data the code shows -- constructors,
``numpy.random.*``, reshape, expand_dims, squeeze, transpose, reductions,
stacking and concatenation, eye, unique, arange, the ``ndarray`` methods and
attributes, and the array arithmetic, comparisons and indexing (basic and
integer-array) the evaluator applies to operators (``x / 255.0``,
``x[:100]``, ``np.eye(10)[y]``).

Every handler mirrors one numpy function, as numpy 2 documents it
(https://numpy.org/doc/stable/reference/), and is tested against real numpy
(tests/test_library_numpy.py).  Besides the shape and dtype kind, an array
may carry what it says about labels: ``classes`` (integer values below that
count, or one-hot rows of that width) and ``distinct`` (every value it
holds, when the code shows them all, for ``np.unique``).

Everything here gives an ``Array`` or nothing: data we cannot see is fine,
the checks then stay silent.  A numpy function that cannot tell its result
declines, and the call ends as an unknown value (or, given a Keras tensor,
an unknown tensor).
"""
from __future__ import annotations

import math
from typing import Any, List, Optional, Sequence

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.library.scalars import is_number
from shapelint.frontend.library.tensor_ops import broadcast, reduced_shape
from shapelint.frontend.values import MAX_MATERIALISE, Array, BoundMethod, LibraryObject, ListOf
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

# numpy.sum/mean/... and the ndarray methods of the same names.
_REDUCTIONS = ("sum", "mean", "max", "min", "std", "var", "prod")
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


def _sequence(arrays: Any) -> Any:
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


def _join(arrays: Any, axis: Any, promote_to: int = 0, one_d_first: bool = False) -> Any:
    """numpy's concatenate after ``atleast_{promote_to}d`` of each array:
    sizes add along ``axis``, every other size must agree.  ``one_d_first``:
    ``column_stack`` makes 1-D arrays columns, not rows."""
    seq = _sequence(arrays)
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
        seq = _sequence(arrays)
        if seq is None:
            return UNKNOWN
        items = [seq.item] if isinstance(seq, ListOf) else seq
        flat = [Array((dims.product(a.shape),), a.dtype, a.classes if not a.onehot else None) for a in items]
        if isinstance(seq, ListOf):
            flat = ListOf(flat[0], seq.count)
        return _join(flat, 0)
    return _join(arrays, axis)


def stack(arrays: Any, axis: Any) -> Any:
    """``np.stack(arrays, axis=0)``: arrays of one shape joined on a new
    axis (a comprehension of windows gives ``(n, window, ...)``)."""
    seq = _sequence(arrays)
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


def _axis_list(axis: Any, rank: int) -> Optional[List[int]]:
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
    picked = _axis_list(axis, rank)
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
        picked = _axis_list(axis, len(array.shape))
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
        order = _axis_list(axes, rank) if rank else None
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
    axes it covers."""
    if array.shape is None:
        return UNKNOWN
    items = [_index_item(i) for i in (index if isinstance(index, tuple) else (index,))]
    if any(i is UNKNOWN for i in items) or items.count(Ellipsis) > 1:
        return UNKNOWN
    shape = list(array.shape)
    used = sum(_consumed(i) for i in items)
    if used > len(shape):
        return UNKNOWN  # numpy: too many indices
    fill = [slice(None)] * (len(shape) - used)
    if Ellipsis in items:
        at = items.index(Ellipsis)
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
        adjacent = adv_at == list(range(adv_at[0], adv_at[-1] + 1))
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


def _operand(value: Any):
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
    operands = [_operand(left), _operand(right)]
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
    operands = [_operand(left), _operand(right)]
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


@handles("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like")
def zeros_like(_ctx: Context, call: LibraryCall) -> Any:
    """``np.zeros_like(a, dtype=None, shape=None)`` (ones_like, empty_like,
    ``full_like(a, fill_value, ...)``): a's shape and dtype unless given."""
    base = as_array(call.arg(0, "a", "prototype"))
    if not isinstance(base, Array):
        return DECLINE
    dtype_at = 2 if call.name == "full_like" else 1
    shape = call.arg(dtype_at + 2, "shape")
    shape = base.shape if shape is None else _shape_arg(shape)
    return located(call, _array(shape, dtype_of(call.arg(dtype_at, "dtype"), base.dtype)))


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


@handles("numpy.random.permutation")
def permutation(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.permutation(x)``: ``arange(x)`` shuffled for an int, the
    array shuffled along its first axis otherwise."""
    x = call.arg(0, "x")
    if dims.is_int(x):
        return located(call, arange_array(0, x, 1))
    array = as_array(x)
    if not isinstance(array, Array) or not array.shape:
        return DECLINE
    return located(call, Array(array.shape, array.dtype, array.classes, array.onehot, distinct=array.distinct))


@handles("numpy.array", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray")
def array(_ctx: Context, call: LibraryCall) -> Any:
    """``np.array(object, dtype=None)``: nested lists, arrays, a list filled
    in a loop, a pandas frame."""
    value = call.arg(0, "object", "a")
    return located(call, from_literal(value, call.arg(1, "dtype")))


@handles("numpy.arange")
def arange(_ctx: Context, call: LibraryCall) -> Any:
    """``np.arange([start,] stop[, step])``: ceil((stop - start) / step)
    values, int when every argument is."""
    args = list(call.args)
    for name in ("start", "stop", "step"):
        if name in call.kwargs:
            return DECLINE
    if not 1 <= len(args) <= 3 or not all(is_number(a) for a in args):
        return DECLINE
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
    if step == 0:
        return DECLINE
    result = arange_array(start, stop, step)
    if call.kwargs.get("dtype") is not None:
        result = from_literal(result, call.kwargs["dtype"])
    return located(call, result)


def arange_array(start, stop, step) -> Array:
    if all(dims.is_int(v) for v in (start, stop, step)):
        values = range(start, stop, step)
        return Array((len(values),), "int", label_count(values, "int") if values else None, distinct=values)
    return Array((max(0, math.ceil((stop - start) / step)),), "float")


@handles("numpy.linspace")
def linspace(_ctx: Context, call: LibraryCall) -> Any:
    """``np.linspace(start, stop, num=50)``: ``num`` floats."""
    num = call.arg(2, "num", default=50)
    if not dims.is_int(num) or num < 0 or call.kwargs.get("retstep") or call.kwargs.get("axis"):
        return DECLINE
    return located(call, Array((num,), dtype_of(call.kwargs.get("dtype"), "float")))


@handles("numpy.reshape")
def np_reshape(_ctx: Context, call: LibraryCall) -> Any:
    """``np.reshape(a, newshape)`` (``shape=`` in numpy 2.1)."""
    new_shape = call.arg(1, "newshape", "shape")
    if new_shape is None:
        return DECLINE
    return located(call, reshape(as_array(call.arg(0, "a")), new_shape))


@handles("numpy.expand_dims")
def np_expand_dims(_ctx: Context, call: LibraryCall) -> Any:
    """``np.expand_dims(a, axis)``."""
    return located(call, expand_dims(as_array(call.arg(0, "a")), call.arg(1, "axis")))


@handles("numpy.squeeze")
def np_squeeze(_ctx: Context, call: LibraryCall) -> Any:
    """``np.squeeze(a, axis=None)``."""
    return located(call, squeeze(as_array(call.arg(0, "a")), call.arg(1, "axis")))


@handles("numpy.transpose")
def np_transpose(_ctx: Context, call: LibraryCall) -> Any:
    """``np.transpose(a, axes=None)``."""
    return located(call, transpose(as_array(call.arg(0, "a")), call.arg(1, "axes")))


@handles(*(f"numpy.{name}" for name in _REDUCTIONS))
def np_reduce(_ctx: Context, call: LibraryCall) -> Any:
    """``np.sum(a, axis=None, keepdims=False)`` and the other reductions."""
    if not call.args:
        return DECLINE
    return located(call, reduce(call.args[0], call.arg(1, "axis"), call.kwargs.get("keepdims", False)))


@handles("numpy.argmax", "numpy.argmin")
def np_argmax(_ctx: Context, call: LibraryCall) -> Any:
    """``np.argmax(a, axis=None, keepdims=False)``."""
    return located(call, argmax(as_array(call.arg(0, "a")), call.arg(1, "axis"), call.kwargs.get("keepdims", False)))


def argmax(array: Any, axis: Any, keepdims: Any) -> Any:
    """Indices along ``axis``: ints below its size (``y.argmax(-1)`` of
    one-hot rows gives the class ids); axis None: one index into the
    flattened array."""
    if not isinstance(array, Array) or array.shape is None or keepdims not in (True, False):
        return UNKNOWN
    if axis is None:
        shape = reduced_shape(tuple(array.shape), None, keepdims)
        return Array(shape, "int")
    picked = _axis_list(axis, len(array.shape)) if dims.is_int(axis) else None
    if picked is None:
        return UNKNOWN
    size = array.shape[picked[0]]
    shape = reduced_shape(tuple(array.shape), picked[0], keepdims)
    return Array(shape, "int", size if dims.is_int(size) else None)


@handles("numpy.concatenate")
def np_concatenate(_ctx: Context, call: LibraryCall) -> Any:
    """``np.concatenate(arrays, axis=0)``."""
    if not call.args:
        return DECLINE
    return located(call, concatenate(call.args[0], call.arg(1, "axis", default=0)))


@handles("numpy.stack")
def np_stack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.stack(arrays, axis=0)``."""
    return located(call, stack(call.arg(0, "arrays"), call.arg(1, "axis", default=0)))


@handles("numpy.vstack", "numpy.row_stack")
def np_vstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.vstack(tup)``: ``atleast_2d`` of each (a 1-D array is one
    row), joined on axis 0."""
    return located(call, _join(call.arg(0, "tup"), 0, promote_to=2))


@handles("numpy.hstack")
def np_hstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.hstack(tup)``: 1-D arrays joined end to end, others on axis 1."""
    seq = _sequence(call.arg(0, "tup"))
    if seq is None:
        return DECLINE
    first = seq.item if isinstance(seq, ListOf) else seq[0]
    return located(call, _join(seq, 0 if len(first.shape) == 1 else 1, promote_to=1))


@handles("numpy.column_stack")
def np_column_stack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.column_stack(tup)``: 1-D arrays become columns, joined on axis 1."""
    return located(call, _join(call.arg(0, "tup"), 1, one_d_first=True))


@handles("numpy.dstack")
def np_dstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.dstack(tup)``: ``atleast_3d`` of each, joined on axis 2."""
    return located(call, _join(call.arg(0, "tup"), 2, promote_to=3))


@handles("numpy.eye", "numpy.identity")
def eye(_ctx: Context, call: LibraryCall) -> Any:
    """``np.eye(N, M=None, k=0, dtype=float)``: the (N, N) identity, whose
    row i is class i one-hot encoded (so ``np.eye(k)[labels]`` is one-hot)."""
    n = call.arg(0, "N", "n")
    if not dims.is_int(n) or len(call.args) > 1 or any(k in call.kwargs for k in ("M", "k")):
        return DECLINE
    return located(call, Array((n, n), dtype_of(call.arg(None, "dtype"), "float"), n, True))


@handles("numpy.unique")
def unique(_ctx: Context, call: LibraryCall) -> Any:
    """``np.unique(ar, return_index, return_inverse, return_counts,
    axis=None)``: the sorted distinct values (how many, when the code shows
    them); the inverse holds, at each position of ``ar``, the index of its
    value: labels below that count."""
    base = as_array(call.arg(0, "ar"))
    flags = [call.arg(i, name, default=False) for i, name in
             ((1, "return_index"), (2, "return_inverse"), (3, "return_counts"))]
    if not isinstance(base, Array) or base.shape is None or call.arg(4, "axis") is not None or any(
            f not in (True, False) for f in flags):
        return DECLINE
    count = len(base.distinct) if base.distinct is not None else None
    values = Array((count,), base.dtype, label_count(base.distinct, base.dtype), distinct=base.distinct)
    out = [located(call, values)]
    if flags[0]:
        out.append(Array((count,), "int"))
    if flags[1]:
        distinct = range(count) if count is not None else None
        out.append(Array(base.shape, "int", count, distinct=distinct, node=call.node))
    if flags[2]:
        out.append(Array((count,), "int"))
    return out[0] if len(out) == 1 else tuple(out)


@handles("numpy.where")
def np_where(_ctx: Context, call: LibraryCall) -> Any:
    """``np.where(condition, x, y)``: the broadcast shape of the three;
    ints from 0 are labels below the larger + 1."""
    if len(call.args) != 3:
        return DECLINE
    parts = [call.args[0]] + [as_array(a) if not is_number(a) else a for a in call.args[1:]]
    operands = [_operand(p) for p in parts]
    if None in operands or any(s is None for s, _ in operands):
        return DECLINE
    out = broadcast(broadcast(operands[0][0], operands[1][0]), operands[2][0])
    if out is None:
        return DECLINE
    kind = promote(operands[1][1], operands[2][1])
    classes = None
    if all(dims.is_int(v) and v >= 0 for v in call.args[1:]):
        classes = max(call.args[1:]) + 1
    return located(call, Array(tuple(out), kind, classes))


# Element-wise functions: the argument's shape; ``float`` ones always give floats.
_FLOAT_UNARY = ("sin", "cos", "tan", "tanh", "exp", "log", "log1p", "log2", "log10", "sqrt", "arctan",
                "sinh", "cosh", "expm1")
_SAME_UNARY = ("abs", "absolute", "square", "negative", "floor", "ceil", "round", "around", "rint", "sign",
               "fabs")


@handles(*(f"numpy.{name}" for name in _FLOAT_UNARY + _SAME_UNARY))
def unary(_ctx: Context, call: LibraryCall) -> Any:
    """``np.sin(x)``, ``np.abs(x)``, ``np.round(x, decimals)`` ...:
    element-wise, x's shape; float for the transcendental ones, fabs and
    rint (and round of bools), x's kind otherwise."""
    x = call.arg(0, "x", "a")
    if is_number(x):
        return DECLINE
    base = as_array(x)
    if not isinstance(base, Array):
        return DECLINE
    kind = base.dtype
    if kind == "bool" and call.name in ("sign", "negative"):
        return DECLINE  # numpy refuses
    if kind == "bool" and call.name == "square":
        kind = "int"
    elif call.name in _FLOAT_UNARY or call.name in ("fabs", "rint") or (
            kind == "bool" and call.name in ("round", "around")):
        kind = "float" if kind is not None else None
    return located(call, Array(base.shape, kind))


@handles("numpy.clip")
def np_clip(_ctx: Context, call: LibraryCall) -> Any:
    """``np.clip(a, a_min, a_max)``: a's shape; a float bound makes ints float."""
    base = as_array(call.arg(0, "a"))
    if not isinstance(base, Array):
        return DECLINE
    return located(call, clip(base, call.arg(1, "a_min"), call.arg(2, "a_max")))


def clip(base: Array, low: Any, high: Any) -> Any:
    kinds = [base.dtype] + [scalar_kind(b) for b in (low, high) if b is not None]
    if any(b is not None and not is_number(b) for b in (low, high)):
        return Array(base.shape, None)
    return Array(base.shape, promote(*kinds) if base.dtype != "bool" else None)


@handles("numpy.repeat")
def np_repeat(_ctx: Context, call: LibraryCall) -> Any:
    """``np.repeat(a, repeats, axis=None)``: flattened, or along ``axis``."""
    return located(call, repeat(as_array(call.arg(0, "a")), call.arg(1, "repeats"), call.arg(2, "axis")))


def repeat(base: Any, repeats: Any, axis: Any) -> Any:
    if not isinstance(base, Array) or base.shape is None or not dims.is_int(repeats) or repeats < 0:
        return UNKNOWN
    distinct = base.distinct if repeats > 0 else None
    if axis is None:
        return Array((dims.mul(dims.product(base.shape), repeats),), base.dtype,
                     base.classes if not base.onehot else None, distinct=distinct)
    picked = _axis_list(axis, len(base.shape)) if dims.is_int(axis) else None
    if picked is None:
        return UNKNOWN
    shape = list(base.shape)
    shape[picked[0]] = dims.mul(shape[picked[0]], repeats)
    keeps = picked[0] != len(shape) - 1
    return Array(tuple(shape), base.dtype, base.classes if keeps or not base.onehot else None,
                 base.onehot and keeps, distinct=distinct)


@handles("numpy.tile")
def np_tile(_ctx: Context, call: LibraryCall) -> Any:
    """``np.tile(A, reps)``: each axis (a's padded with 1s in front to
    reps' length, or reps padded with 1s) times its rep."""
    base = as_array(call.arg(0, "A"))
    reps = call.arg(1, "reps")
    reps = (reps,) if dims.is_int(reps) else reps
    if not isinstance(base, Array) or base.shape is None or not isinstance(reps, (tuple, list)) or not all(
            dims.is_int(r) and r >= 0 for r in reps):
        return DECLINE
    n = max(len(reps), len(base.shape))
    shape = (1,) * (n - len(base.shape)) + tuple(base.shape)
    reps = (1,) * (n - len(reps)) + tuple(reps)
    out = tuple(dims.mul(d, r) for d, r in zip(shape, reps))
    distinct = base.distinct if all(r > 0 for r in reps) else None
    return located(call, Array(out, base.dtype, base.classes if not base.onehot else None, distinct=distinct))


@handles("numpy.loadtxt", "numpy.genfromtxt")
def loadtxt(_ctx: Context, call: LibraryCall) -> Any:
    """``np.loadtxt(fname, dtype=float, ...)``: floats of a shape the file
    decides (1-D for one column or row, unless ``ndmin=2``)."""
    if call.arg(None, "ndmin") == 2:
        usecols = call.arg(None, "usecols")
        width = len(usecols) if isinstance(usecols, (list, tuple)) else None
        return located(call, Array((None, width), dtype_of(call.arg(1, "dtype"), "float")))
    return located(call, Array(None, dtype_of(call.arg(1, "dtype"), "float")))


# ---------------------------------------------------- ndarray methods
@handles("numpy.ndarray.reshape")
def ndarray_reshape(_ctx: Context, call: LibraryCall) -> Any:
    """``a.reshape(shape)`` or ``a.reshape(d0, d1, ...)``."""
    shape = call.arg(0, "shape") if len(call.args) <= 1 else tuple(call.args)
    if shape is None:
        return DECLINE
    return reshape(call.receiver, shape)


@handles("numpy.ndarray.astype")
def ndarray_astype(_ctx: Context, call: LibraryCall) -> Any:
    """``a.astype(dtype)``: same shape; labels and one-hot rows stay what
    they are in any numeric dtype."""
    array = call.receiver
    dtype = dtype_of(call.arg(0, "dtype"), None)
    keeps = dtype in ("int", "float")
    return Array(array.shape, dtype, array.classes if keeps else None, array.onehot and keeps,
                 distinct=array.distinct if dtype == array.dtype else None)


@handles("numpy.ndarray.copy")
def ndarray_copy(_ctx: Context, call: LibraryCall) -> Any:
    """``a.copy()``: the same data."""
    return call.receiver


@handles("numpy.ndarray.squeeze")
def ndarray_squeeze(_ctx: Context, call: LibraryCall) -> Any:
    """``a.squeeze(axis=None)``."""
    return squeeze(call.receiver, call.arg(0, "axis"))


@handles("numpy.ndarray.transpose")
def ndarray_transpose(_ctx: Context, call: LibraryCall) -> Any:
    """``a.transpose(*axes)``: ``a.transpose()``, ``a.transpose(1, 0)`` or
    ``a.transpose((1, 0))``."""
    if not call.args:
        axes = None
    elif len(call.args) == 1 and (call.args[0] is None or isinstance(call.args[0], (tuple, list))):
        axes = call.args[0]
    else:
        axes = tuple(call.args)
    return transpose(call.receiver, axes)


@handles(*(f"numpy.ndarray.{name}" for name in _REDUCTIONS))
def ndarray_reduce(_ctx: Context, call: LibraryCall) -> Any:
    """``a.sum(axis=None, keepdims=False)`` and the other reductions."""
    return reduce(call.receiver, call.arg(0, "axis"), call.kwargs.get("keepdims", False))


@handles("numpy.ndarray.argmax", "numpy.ndarray.argmin")
def ndarray_argmax(_ctx: Context, call: LibraryCall) -> Any:
    """``a.argmax(axis=None, keepdims=False)``."""
    return argmax(call.receiver, call.arg(0, "axis"), call.kwargs.get("keepdims", False))


@handles("numpy.ndarray.flatten", "numpy.ndarray.ravel")
def ndarray_flatten(_ctx: Context, call: LibraryCall) -> Any:
    """``a.flatten()`` / ``a.ravel()``: one axis of every element."""
    array = call.receiver
    if array.shape is None:
        return UNKNOWN
    return Array((dims.product(array.shape),), array.dtype, array.classes if not array.onehot else None,
                 distinct=array.distinct)


@handles("numpy.ravel")
def np_ravel(_ctx: Context, call: LibraryCall) -> Any:
    """``np.ravel(a)``: one axis of every element."""
    base = as_array(call.arg(0, "a"))
    if not isinstance(base, Array) or base.shape is None:
        return DECLINE
    return located(call, Array((dims.product(base.shape),), base.dtype,
                               base.classes if not base.onehot else None, distinct=base.distinct))


@handles("numpy.ndarray.clip")
def ndarray_clip(_ctx: Context, call: LibraryCall) -> Any:
    """``a.clip(min, max)``."""
    return clip(call.receiver, call.arg(0, "min"), call.arg(1, "max"))


@handles("numpy.ndarray.repeat")
def ndarray_repeat(_ctx: Context, call: LibraryCall) -> Any:
    """``a.repeat(repeats, axis=None)``."""
    return repeat(call.receiver, call.arg(0, "repeats"), call.arg(1, "axis"))


# ---------------------------------------------- builtins on data
@handles("builtins.len")
def len_(_ctx: Context, call: LibraryCall) -> Any:
    """``len(x)`` of an array: its first size (TypeError for a 0-d one);
    of a list filled in a loop: its count when known."""
    if len(call.args) != 1:
        return DECLINE
    value = call.args[0]
    if isinstance(value, Array) and value.shape:
        return value.shape[0] if dims.is_size(value.shape[0]) else UNKNOWN
    if isinstance(value, ListOf):
        return value.count if value.count is not None else UNKNOWN
    return DECLINE


@handles("builtins.list.append")
def list_append(_ctx: Context, call: LibraryCall) -> Any:
    """``items.append(x)`` on a list filled in a loop: x joins the shape the
    items share (or the list is forgotten); its count is no longer known."""
    items = call.receiver
    if not isinstance(items, ListOf) or len(call.args) != 1:
        return DECLINE
    item = as_item(call.args[0])
    merged = merge_items(items.item, item) if isinstance(items.item, Array) and item is not None else None
    items.item = merged if merged is not None else UNKNOWN
    items.count = None
    return None


@handles("builtins.list.extend")
def list_extend(_ctx: Context, call: LibraryCall) -> Any:
    """``items.extend(x)`` by an array (its rows) or a list filled in a
    loop: the rows when there are few and their number is shown, else an
    item nobody knows (``np.array(items)`` is then unknown, not the list
    as it was before)."""
    items, values = call.receiver, call.args[0] if len(call.args) == 1 else None
    if not isinstance(items, list) or not isinstance(values, (Array, ListOf)):
        return DECLINE
    row, count = element_of(values), count_of(values)
    if row is not None and count is not None and count <= _FEW_ROWS:
        items.extend([row] * count)
    else:
        items.append(UNKNOWN)
    return None


# How many rows ``items.extend(array)`` lists one by one.
_FEW_ROWS = 64


@handles_matching(lambda qualname: qualname.startswith("builtins.list."))
def list_other(_ctx: Context, call: LibraryCall) -> Any:
    """Any other list method on a list filled in a loop (extend, pop,
    insert, sort ...): its count is no longer known, and unless the method
    only reorders, nor are its items."""
    items = call.receiver
    if not isinstance(items, ListOf):
        return DECLINE
    items.count = None
    if call.name not in ("sort", "reverse", "copy", "index", "count"):
        items.item = UNKNOWN
    return UNKNOWN
