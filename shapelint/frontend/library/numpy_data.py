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
from typing import Any

from astroid import nodes

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import (  # the array model these handlers apply
    REDUCTIONS,
    as_array,
    as_item,
    axis_list,
    binop,
    concatenate,
    count_of,
    dtype_of,
    element_of,
    expand_dims,
    from_literal,
    join_arrays,
    label_count,
    located,
    merge_items,
    new_array,
    operand,
    promote,
    reduce,
    reshape,
    reshape_refused,
    scalar_kind,
    sequence_of,
    shape_arg,
    squeeze,
    stack,
    transpose,
)
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.library.scalars import is_number
from shapelint.frontend.library.tensor_ops import broadcast, reduced_shape
from shapelint.frontend.values import Array, ListOf
from shapelint.messages import RESHAPE_SIZE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.registry import ShapeError
from shapelint.unknown import UNKNOWN


# --------------------------------------------------- numpy.* functions
@handles("numpy.zeros", "numpy.ones", "numpy.empty")
def zeros(_ctx: Context, call: LibraryCall) -> Any:
    """``np.zeros(shape, dtype=float)`` (ones, empty)."""
    shape = shape_arg(call.arg(0, "shape"))
    return located(call, new_array(shape, dtype_of(call.arg(1, "dtype"), "float")))


@handles("numpy.full")
def full(_ctx: Context, call: LibraryCall) -> Any:
    """``np.full(shape, fill_value)``: the dtype of the fill value."""
    shape = shape_arg(call.arg(0, "shape"))
    default = "int" if dims.is_int(call.arg(1, "fill_value")) else "float"
    return located(call, new_array(shape, dtype_of(call.kwargs.get("dtype"), default)))


@handles("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like")
def zeros_like(_ctx: Context, call: LibraryCall) -> Any:
    """``np.zeros_like(a, dtype=None, shape=None)`` (ones_like, empty_like,
    ``full_like(a, fill_value, ...)``): a's shape and dtype unless given."""
    base = as_array(call.arg(0, "a", "prototype"))
    if not isinstance(base, Array):
        return DECLINE
    dtype_at = 2 if call.name == "full_like" else 1
    shape = call.arg(dtype_at + 2, "shape")
    shape = base.shape if shape is None else shape_arg(shape)
    return located(call, new_array(shape, dtype_of(call.arg(dtype_at, "dtype"), base.dtype)))


@handles("numpy.random.rand", "numpy.random.randn")
def rand(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.rand(d0, d1, ...)``: the sizes are the arguments."""
    shape = tuple(call.args) if call.args else ()
    return located(call, new_array(shape_arg(shape) if shape else (), "float"))


@handles("numpy.random.random", "numpy.random.random_sample", "numpy.random.sample", "numpy.random.ranf")
def random_sample(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.random(size=None)``: a float, or floats of ``size``."""
    size = call.arg(0, "size")
    return located(call, new_array(shape_arg(size) if size is not None else (), "float"))


@handles("numpy.random.uniform", "numpy.random.normal")
def uniform(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.uniform(low, high, size)`` / ``normal(loc, scale, size)``."""
    size = call.arg(2, "size")
    return located(call, new_array(shape_arg(size) if size is not None else (), "float"))


@handles("numpy.random.randint")
def randint(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.randint(low, high=None, size=None)``: ints below
    ``high`` (below ``low`` alone); from 0, they are class ids."""
    low, high, size = call.arg(0, "low"), call.arg(1, "high"), call.arg(2, "size")
    top = high if high is not None else low
    shape = shape_arg(size) if size is not None else ()
    classes = top if dims.is_int(top) else None
    if isinstance(low, int) and high is not None and low != 0:
        classes = None
    return located(call, new_array(shape, "int", classes))


@handles("numpy.random.choice")
def choice(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.choice(n, size)``: ints below n."""
    n = call.args[0] if call.args else None
    size = call.arg(1, "size")
    shape = shape_arg(size) if size is not None else ()
    return located(call, new_array(shape, "int" if isinstance(n, int) else None, n if dims.is_int(n) else None))


@handles("numpy.random.permutation")
def permutation(_ctx: Context, call: LibraryCall) -> Any:
    """``np.random.permutation(x)``: ``arange(x)`` shuffled for an int, the
    array shuffled along its first axis otherwise."""
    x = call.arg(0, "x")
    if dims.is_int(x):
        return located(call, arange_array(0, x, 1))
    if x is UNKNOWN and _counted(call, 0):
        return located(call, Array((None,), "int"))
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
    if len(args) == 1 and args[0] is UNKNOWN and _counted(call, 0):
        return located(call, Array((None,), "int"))
    if not 1 <= len(args) <= 3 or not all(is_number(a) for a in args):
        return DECLINE
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
    if step == 0:
        return DECLINE
    result = arange_array(start, stop, step)
    if call.kwargs.get("dtype") is not None:
        result = from_literal(result, call.kwargs["dtype"])
    return located(call, result)


def _counted(call: LibraryCall, index: int) -> bool:
    """The positional argument at ``index`` is ``len(...)``: an int, though
    not one the code shows (the length of data read at run time)."""
    args = getattr(call.node, "args", None) or []
    if index >= len(args) or any(isinstance(a, nodes.Starred) for a in args[:index + 1]):
        return False
    arg = args[index]
    if not (isinstance(arg, nodes.Call) and isinstance(arg.func, nodes.Name) and arg.func.name == "len"):
        return False
    scope, _ = arg.func.lookup("len")
    return isinstance(scope, nodes.Module) and scope.name == "builtins"


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


def _numpy_shape(shape: tuple) -> str:
    """A shape as numpy prints it in its errors: ``(64,32,32,1)``, ``(784,)``."""
    return "(" + ",".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def reshaped(ctx: Context, call: LibraryCall, array: Any, new_shape: Any, raiser: str = "numpy") -> Any:
    """``array`` reshaped to ``new_shape`` as ``call`` does it.  When numpy
    (or TensorFlow, which counts the same) refuses the sizes, the program
    stops there: the error is recorded at the call (reshape-size-mismatch)
    and the result is unknown."""
    total = reshape_refused(array, new_shape)
    if total is None:
        return reshape(array, new_shape)
    if ctx is not None:
        ctx.record_error(call.node, _reshape_error(call, array.shape, total, tuple(
            new_shape if isinstance(new_shape, (tuple, list)) else (new_shape,)), raiser))
    return UNKNOWN


def _reshape_error(call: LibraryCall, shape: tuple, total: int, new_shape: tuple, raiser: str) -> ShapeError:
    callee = call.node.func.as_string() if hasattr(getattr(call.node, "func", None), "as_string") else "reshape"
    if len(callee) > 40:
        callee = callee.rsplit(".", 1)[-1]
    known = dims.product(d for d in new_shape if d != -1)
    if -1 in new_shape:
        wanted = f"a multiple of {known:,} values (the sizes other than -1 multiply to {known:,})"
    else:
        wanted = f"{known:,} values"
    quoted = (f"cannot reshape array of size {total} into shape {_numpy_shape(new_shape)}" if raiser == "numpy"
              else f"Input to reshape is a tensor with {total} values, but the requested shape has {known}"
              if -1 not in new_shape else f"Input to reshape is a tensor with {total} values, but the requested "
              f"shape requires a multiple of {known}")
    message = (f"{callee}(...) reshapes an array of shape {dims.fmt_shape(shape)} ({total:,} values) into "
               f"{dims.fmt_shape(new_shape)}, which needs {wanted}; {'numpy' if raiser == 'numpy' else 'TensorFlow'} "
               f"raises (\"{quoted}\")")
    if len(new_shape) == len(shape) + 1 and new_shape[-1] == 1 and len(shape) >= 2:
        fix = f"to add a channel axis, reshape to {dims.fmt_shape(tuple(shape) + (1,))} (or np.expand_dims(..., -1))"
    elif new_shape and new_shape[0] == shape[0] and len(shape) >= 2:
        per_sample = total // shape[0]
        fix = (f"each of the {shape[0]:,} samples holds {per_sample:,} values: make the sizes after the first "
               f"multiply to {per_sample:,}, or use -1 for one of them")
    else:
        fix = f"make the sizes multiply to {total:,}, or use -1 for one of them"
    return ShapeError(RESHAPE_SIZE_MISMATCH, message, fix)


@handles("numpy.reshape")
def np_reshape(ctx: Context, call: LibraryCall) -> Any:
    """``np.reshape(a, newshape)`` (``shape=`` in numpy 2.1)."""
    new_shape = call.arg(1, "newshape", "shape")
    if new_shape is None:
        return DECLINE
    return located(call, reshaped(ctx, call, as_array(call.arg(0, "a")), new_shape))


@handles("numpy.expand_dims")
def np_expand_dims(_ctx: Context, call: LibraryCall) -> Any:
    """``np.expand_dims(a, axis)``."""
    return located(call, expand_dims(as_array(call.arg(0, "a")), call.arg(1, "axis")))


@handles("numpy.squeeze")
def np_squeeze(_ctx: Context, call: LibraryCall) -> Any:
    """``np.squeeze(a, axis=None)``."""
    return located(call, squeeze(as_array(call.arg(0, "a")), call.arg(1, "axis")))


@handles("tensorflow.expand_dims", "tensorflow.reshape", "tensorflow.squeeze", "tensorflow.cast")
def tf_on_data(ctx: Context, call: LibraryCall) -> Any:
    """``tf.expand_dims(X_train, axis=-1)``, ``tf.reshape``, ``tf.squeeze``,
    ``tf.cast`` of data (a numpy array the program holds): the tensor of
    the array's values, shaped as numpy shapes it (TensorFlow agrees on
    these; its expand_dims takes one int axis).  A Keras tensor is the
    tensor-op family's."""
    x = call.arg(0, "input", "tensor", "x")
    if not isinstance(x, Array) or x.shape is None:
        return DECLINE
    if call.name == "expand_dims":
        axis = call.arg(1, "axis")
        return located(call, expand_dims(x, axis)) if dims.is_int(axis) else DECLINE
    if call.name == "reshape":
        return located(call, reshaped(ctx, call, x, call.arg(1, "shape"), "tensorflow"))
    if call.name == "squeeze":
        return located(call, squeeze(x, call.arg(1, "axis")))
    kind = dtype_of(call.arg(1, "dtype"), None)
    return located(call, Array(x.shape, kind, x.classes if kind in ("int", "float") else None,
                               x.onehot, distinct=None))


@handles("numpy.transpose")
def np_transpose(_ctx: Context, call: LibraryCall) -> Any:
    """``np.transpose(a, axes=None)``."""
    return located(call, transpose(as_array(call.arg(0, "a")), call.arg(1, "axes")))


# numpy's arithmetic ufuncs, as the operator each one is.
_UFUNC_OPERATORS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "true_divide": "/",
                    "floor_divide": "//", "mod": "%", "remainder": "%", "power": "**"}


@handles(*(f"numpy.{name}" for name in _UFUNC_OPERATORS))
def np_arithmetic(_ctx: Context, call: LibraryCall) -> Any:
    """``np.divide(x, 255.0)``, ``np.add(a, b)`` ...: ``x / 255.0`` and
    ``a + b`` (broadcasting and kinds as the operators); an ``out=``, a
    ``where=`` or a dtype is not followed."""
    if len(call.args) != 2 or call.kwargs:
        return DECLINE
    left, right = (a if isinstance(a, (int, float)) and not isinstance(a, bool) else as_array(a) for a in call.args)
    return located(call, binop(left, right, _UFUNC_OPERATORS[call.name]))


@handles("numpy.swapaxes")
def np_swapaxes(_ctx: Context, call: LibraryCall) -> Any:
    """``np.swapaxes(a, axis1, axis2)``: those two axes exchanged."""
    return located(call, swapaxes(as_array(call.arg(0, "a")), call.arg(1, "axis1"), call.arg(2, "axis2")))


@handles("numpy.ndarray.swapaxes")
def ndarray_swapaxes(_ctx: Context, call: LibraryCall) -> Any:
    """``a.swapaxes(axis1, axis2)``."""
    return swapaxes(call.receiver, call.arg(0, "axis1"), call.arg(1, "axis2"))


def swapaxes(array: Any, axis1: Any, axis2: Any) -> Any:
    if not isinstance(array, Array) or array.shape is None or not dims.is_int(axis1) or not dims.is_int(axis2):
        return UNKNOWN
    rank = len(array.shape)
    if not (-rank <= axis1 < rank and -rank <= axis2 < rank):
        return UNKNOWN  # numpy raises AxisError
    order = list(range(rank))
    order[axis1 % rank], order[axis2 % rank] = order[axis2 % rank], order[axis1 % rank]
    return transpose(array, order)


@handles("numpy.moveaxis")
def np_moveaxis(_ctx: Context, call: LibraryCall) -> Any:
    """``np.moveaxis(a, source, destination)``: the axes at ``source``
    moved to ``destination``, the others in their order (numpy's own
    construction of the permutation)."""
    array = as_array(call.arg(0, "a"))
    source, destination = call.arg(1, "source"), call.arg(2, "destination")
    if not isinstance(array, Array) or array.shape is None:
        return UNKNOWN
    rank = len(array.shape)
    source = [source] if dims.is_int(source) else source
    destination = [destination] if dims.is_int(destination) else destination
    if not isinstance(source, (list, tuple)) or not isinstance(destination, (list, tuple)) or \
            len(source) != len(destination) or not all(dims.is_int(a) and -rank <= a < rank
                                                       for a in list(source) + list(destination)):
        return UNKNOWN
    source, destination = [a % rank for a in source], [a % rank for a in destination]
    if len(set(source)) != len(source) or len(set(destination)) != len(destination):
        return UNKNOWN  # numpy: repeated axis
    order = [n for n in range(rank) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return located(call, transpose(array, order))


@handles(*(f"numpy.{name}" for name in REDUCTIONS))
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
    picked = axis_list(axis, len(array.shape)) if dims.is_int(axis) else None
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


@handles("numpy.meshgrid")
def np_meshgrid(_ctx: Context, call: LibraryCall) -> Any:
    """``np.meshgrid(*xi, indexing="xy", sparse=False)``: one array per
    input (a tuple), each of the inputs' sizes in order (``indexing="ij"``)
    or with the first two swapped (``"xy"``, the default); an input counts
    its every element.  ``sparse=True`` is not modelled."""
    indexing = call.kwargs.get("indexing", "xy")
    if call.kwargs.get("sparse", False) is not False or indexing not in ("xy", "ij") or not call.args or set(
            call.kwargs) - {"indexing", "sparse", "copy"}:
        return DECLINE
    if not all(isinstance(a, Array) and a.shape is not None and all(dims.is_int(d) for d in a.shape)
               for a in call.args):
        return DECLINE
    sizes = [math.prod(a.shape) for a in call.args]
    if indexing == "xy" and len(sizes) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return tuple(Array(tuple(sizes), a.dtype, node=call.node) for a in call.args)


@handles("numpy.stack")
def np_stack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.stack(arrays, axis=0)``."""
    return located(call, stack(call.arg(0, "arrays"), call.arg(1, "axis", default=0)))


@handles("numpy.vstack", "numpy.row_stack")
def np_vstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.vstack(tup)``: ``atleast_2d`` of each (a 1-D array is one
    row), joined on axis 0."""
    return located(call, join_arrays(call.arg(0, "tup"), 0, promote_to=2))


@handles("numpy.hstack")
def np_hstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.hstack(tup)``: 1-D arrays joined end to end, others on axis 1."""
    seq = sequence_of(call.arg(0, "tup"))
    if seq is None:
        return DECLINE
    first = seq.item if isinstance(seq, ListOf) else seq[0]
    return located(call, join_arrays(seq, 0 if len(first.shape) == 1 else 1, promote_to=1))


@handles("numpy.column_stack")
def np_column_stack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.column_stack(tup)``: 1-D arrays become columns, joined on axis 1."""
    return located(call, join_arrays(call.arg(0, "tup"), 1, one_d_first=True))


@handles("numpy.dstack")
def np_dstack(_ctx: Context, call: LibraryCall) -> Any:
    """``np.dstack(tup)``: ``atleast_3d`` of each, joined on axis 2."""
    return located(call, join_arrays(call.arg(0, "tup"), 2, promote_to=3))


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
    operands = [operand(p) for p in parts]
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
    picked = axis_list(axis, len(base.shape)) if dims.is_int(axis) else None
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


@handles("numpy.load")
def load(_ctx: Context, call: LibraryCall) -> Any:
    """``np.load("x.npy")``: the array the file holds, of a shape (and rank
    and dtype) the file decides.  Only a path the code spells with the
    ``.npy`` suffix is one array: a ``.npz`` archive (or a pickle) gives
    another object."""
    path = call.arg(0, "file")
    if isinstance(path, str) and path.lower().endswith(".npy"):
        return located(call, Array(None))
    return DECLINE


# ---------------------------------------------------- ndarray methods
@handles("numpy.ndarray.reshape")
def ndarray_reshape(ctx: Context, call: LibraryCall) -> Any:
    """``a.reshape(shape)`` or ``a.reshape(d0, d1, ...)``."""
    shape = call.arg(0, "shape") if len(call.args) <= 1 else tuple(call.args)
    if shape is None:
        return DECLINE
    return reshaped(ctx, call, call.receiver, shape)


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


@handles(*(f"numpy.ndarray.{name}" for name in REDUCTIONS))
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
