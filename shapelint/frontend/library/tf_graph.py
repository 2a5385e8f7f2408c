"""TensorFlow 1's graph API (``tf.compat.v1`` in TensorFlow 2): placeholders,
variables, sessions and what is fed to them.

    x = tf.placeholder(tf.float32, [None, 784])
    ...
    sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})

A placeholder is a tensor of the shape it declares (``None`` for an axis of
any size, and of any rank when no shape is given); the ops applied to it are
the tensor-op rules'.  What is fed to it is checked as ``Session.run`` checks
it before running anything (``BaseSession._run``): the value, made an array
as numpy makes it, must be *compatible* with the placeholder's static shape
(``TensorShape.is_compatible_with``: the same rank, and equal sizes where
both are known), else TensorFlow raises ``ValueError: Cannot feed value of
shape (100, 28, 28) for Tensor Placeholder:0, which has shape (?, 784)``.
The same check runs for ``Tensor.eval(feed_dict=...)`` and
``Operation.run(feed_dict=...)``.

Names are TensorFlow 1's (``tf.placeholder``); ``tf.compat.v1.*`` normalises
to them (frontend/resolve.py).  The models are tested against TensorFlow
2.21's ``tf.compat.v1`` in graph mode (tests/test_library_tf_graph.py).
"""
from __future__ import annotations

from typing import Any, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import as_array
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, LibraryObject, Tensor
from shapelint.messages import FEED_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.registry import ShapeError
from shapelint.unknown import UNKNOWN

SESSION = "tensorflow.Session"
OPERATION = "tensorflow.Operation"
TENSOR = "tensorflow.Tensor"
OPTIMIZER = "tensorflow.train.Optimizer"


def _declared_shape(shape: Any) -> Any:
    """A ``shape=`` argument as a static shape: a tuple of sizes and None;
    None for "any rank" (no shape given); UNKNOWN when the code does not
    show it."""
    if shape is None:
        return None
    if dims.is_int(shape) and not isinstance(shape, bool):
        return (shape,)
    if isinstance(shape, (tuple, list)) and all(d is None or (dims.is_int(d) and d >= 0) or dims.is_symbolic(d)
                                                for d in shape):
        return tuple(shape)
    return UNKNOWN


def _partly_declared(shape: Any) -> Optional[tuple]:
    """A shape list some of whose sizes the code does not show
    (``[None, n_features]`` with ``n_features`` read from a file): its rank,
    None for each size not shown."""
    if isinstance(shape, (tuple, list)) and all(d is None or d is UNKNOWN or dims.is_size(d) for d in shape):
        return tuple(None if d is UNKNOWN else d for d in shape)
    return None


@handles("tensorflow.placeholder")
def placeholder(ctx: Context, call: LibraryCall) -> Any:
    """``tf.placeholder(dtype, shape=None, name=None)``: a graph tensor of the
    declared shape (its None sizes are TensorFlow's own: exact)."""
    shape = _declared_shape(call.arg(1, "shape"))
    if shape is UNKNOWN:
        return ctx.new_tensor(_partly_declared(call.arg(1, "shape")), call.node, origin="placeholder")
    return ctx.new_tensor(shape, call.node, origin="placeholder", exact=shape is not None)


@handles("tensorflow.placeholder_with_default")
def placeholder_with_default(ctx: Context, call: LibraryCall) -> Any:
    """``tf.placeholder_with_default(input, shape)``: the declared shape."""
    shape = _declared_shape(call.arg(1, "shape"))
    if shape is UNKNOWN or shape is None:
        return ctx.new_tensor(None, call.node, origin="placeholder")
    return ctx.new_tensor(shape, call.node, origin="placeholder", exact=True)


@handles("tensorflow.get_variable")
def get_variable(ctx: Context, call: LibraryCall) -> Any:
    """``tf.get_variable(name, shape=None, dtype=None, initializer=None)``:
    a variable of ``shape``, or of its initializer's when that is a tensor
    or an array and no shape is given."""
    shape = _declared_shape(call.arg(1, "shape"))
    if shape is None:
        initializer = call.arg(3, "initializer")
        if isinstance(initializer, Tensor):
            return ctx.new_tensor(ctx.shape_of(initializer), call.node, origin="op",
                                  exact=ctx.exact_of(initializer))
        array = as_array(initializer) if initializer is not None else UNKNOWN
        shape = array.shape if isinstance(array, Array) else UNKNOWN
    if shape is UNKNOWN or shape is None or any(d is None for d in shape):
        return ctx.new_tensor(None if shape is UNKNOWN or shape is None else shape, call.node, origin="op")
    return ctx.new_tensor(shape, call.node, origin="op", exact=True)


# ------------------------------------------------------------- sessions
@handles("tensorflow.Session", "tensorflow.InteractiveSession")
def session(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.Session()`` / ``tf.InteractiveSession()``: runs what it is given."""
    return LibraryObject(SESSION, {}, {}, call.node)


@handles(f"{SESSION}.__enter__")
def session_enter(_ctx: Context, call: LibraryCall) -> Any:
    """``with tf.Session() as sess:`` binds the session itself."""
    return call.receiver


@handles(f"{SESSION}.run")
def session_run(ctx: Context, call: LibraryCall) -> Any:
    """``sess.run(fetches, feed_dict=None)``: every fed value checked against
    its tensor's shape.  What it returns is not modelled."""
    check_feed(ctx, call, call.arg(1, "feed_dict"))
    return UNKNOWN


@handles(f"{TENSOR}.eval", f"{OPERATION}.run")
def eval_with_feed(ctx: Context, call: LibraryCall) -> Any:
    """``accuracy.eval(feed_dict=...)`` / ``train_step.run(feed_dict=...)``:
    ``Session.run`` of the default session, the same feed check."""
    check_feed(ctx, call, call.arg(0, "feed_dict"))
    return UNKNOWN


@handles_matching(lambda qualname: qualname.startswith("tensorflow.train.") and qualname.endswith("Optimizer"))
def optimizer(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.train.AdamOptimizer(...)`` and the other TensorFlow 1 optimizers:
    what matters is that ``minimize`` gives an operation one may ``run``."""
    return LibraryObject(OPTIMIZER, {}, {}, call.node)


@handles(f"{OPTIMIZER}.minimize", "tensorflow.global_variables_initializer",
         "tensorflow.initialize_all_variables", "tensorflow.local_variables_initializer")
def operation(_ctx: Context, call: LibraryCall) -> Any:
    """An operation: ``optimizer.minimize(loss)``, the variables' initializer."""
    return LibraryObject(OPERATION, {}, {}, call.node)


# ------------------------------------------------------ the feed check
def fed_shape(value: Any) -> Optional[tuple]:
    """The shape of a fed value as ``np.asarray`` makes it (None: unknown).
    Sizes the code does not show are None."""
    if isinstance(value, Tensor):
        return None  # TensorFlow refuses a tensor as a feed: not a shape matter
    if isinstance(value, list) and not value:
        # An empty list: what a list filled on a later trip of a loop the
        # analysis follows once can still look like (TensorFlow Hub's flowers
        # notebook fills its examples in the second trip over os.walk).
        return None
    array = as_array(value)
    if not isinstance(array, Array) or array.shape is None:
        return None
    return tuple(array.shape)


def refuses(declared: Optional[tuple], fed: Optional[tuple]) -> bool:
    """True when TensorFlow certainly refuses to feed a value of shape
    ``fed`` to a tensor of static shape ``declared``: their ranks differ, or
    a size both know differs."""
    if declared is None or fed is None:
        return False
    if len(declared) != len(fed):
        return True
    return any(d is not None and f is not None and dims.is_int(d) and dims.is_int(f) and d != f
               for d, f in zip(declared, fed))


def check_feed(ctx: Context, call: LibraryCall, feed: Any) -> None:
    if not isinstance(feed, dict):
        return
    spelled = _feed_spelling(call, feed)
    for index, (key, value) in enumerate(feed.items()):
        # a size shapelint could not tell is None, which any size fits
        if not isinstance(key, Tensor):
            continue
        declared = ctx.shape_of(key)
        fed = fed_shape(value)
        if refuses(declared, fed):
            ctx.record_error(call.node, feed_error(call, declared, fed, *spelled.get(index, ("", "")),
                                                   exact=ctx.exact_of(key)))
            return  # TensorFlow stops at the first value it refuses


def _feed_spelling(call: LibraryCall, feed: dict) -> dict:
    """Item index -> (key, value) as the code spells them, when the feed is
    a dict display whose items are the evaluated dict's, in order."""
    node = None
    for keyword in getattr(call.node, "keywords", None) or ():
        if keyword.arg == "feed_dict":
            node = keyword.value
    if node is None:
        args = getattr(call.node, "args", None) or ()
        position = 1 if call.qualname.endswith("Session.run") else 0
        node = args[position] if len(args) > position else None
    items = getattr(node, "items", None)
    if not isinstance(items, list) or len(items) != len(feed):
        return {}
    return {i: (_text(k), _text(v)) for i, (k, v) in enumerate(items)}


def _text(node: Any) -> str:
    try:
        text = node.as_string()
    except Exception:  # pylint: disable=broad-except
        return ""
    return text if len(text) <= 40 else ""


def _tf_shape(shape: tuple) -> str:
    """A shape as TensorFlow 1 prints it in this error: ``(?, 784)``."""
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def feed_error(call: LibraryCall, declared: tuple, fed: tuple, key: str = "", value: str = "",
               exact: bool = True) -> ShapeError:
    """``exact``: every None in ``declared`` is the tensor's own (else some
    are sizes shapelint could not tell, which the message does not show)."""
    known_fed = all(dims.is_int(d) for d in fed)
    fed_text = _tf_shape(fed) if known_fed else dims.fmt_shape(fed)
    declared_text = f"shape {_tf_shape(declared)}" if exact else f"rank {len(declared)}"
    callee = _text(getattr(call.node, "func", None)) or "run"
    what = f"{value}, of shape {fed_text}," if value else f"a value of shape {fed_text}"
    where = f"{key}, of {declared_text}" if key else f"a tensor of {declared_text}"
    quoted = (f"Cannot feed value of shape {fed_text if known_fed else '...'} for Tensor ..., which has shape "
              f"{_tf_shape(declared) if exact else '...'}")
    message = f"{callee}(...) feeds {what} to {where}; TensorFlow raises (\"{quoted}\")"
    return ShapeError(FEED_SHAPE_MISMATCH, message, feed_fix(declared, fed, value or "value"))


def feed_fix(declared: tuple, fed: tuple, value: str = "value") -> str:
    """What would make the value fit, when the shapes tell."""
    per_declared = dims.product(declared[1:]) if declared and all(dims.is_int(d) for d in declared[1:]) else None
    per_fed = dims.product(fed[1:]) if fed and all(dims.is_int(d) for d in fed[1:]) else None
    if len(fed) == 1 and declared[1:] == (1,):
        return f"make it one column: {value}.reshape(-1, 1)"
    if len(fed) == len(declared) - 1 and fed and all(
            dims.is_int(d) and dims.is_int(f) and d == f for d, f in zip(declared[1:], fed)):
        return f"feed a batch of one: add a batch axis (np.expand_dims({value}, 0))"
    if (len(fed) == 1 and len(declared) == 2 and dims.is_int(declared[1]) and declared[1] != 1
            and declared[0] is None):
        return (f"the tensor takes {declared[1]} columns per row; if {value} holds class ids, "
                f"one-hot encode them (np.eye({declared[1]})[{value}])")
    if per_declared is not None and per_fed is not None and per_declared == per_fed and len(declared) >= 2:
        target = ", ".join(str(d) for d in (-1,) + tuple(declared[1:]))
        return f"each row holds {per_fed} values, as the tensor's do: {value}.reshape({target})"
    return ""


# ------------------------------------------------------ static shapes
@handles(f"{TENSOR}.get_shape")
def get_shape(ctx: Context, call: LibraryCall) -> Any:
    """``x.get_shape()``: ``x.shape``, the static shape (a ``TensorShape``,
    which shapelint holds as a tuple of sizes, None for a dynamic one)."""
    if call.args or call.kwargs:
        return DECLINE
    return ctx.shape_value(call.receiver)


@handles("builtins.tuple.as_list")
def as_list(_ctx: Context, call: LibraryCall) -> Any:
    """``x.shape.as_list()`` / ``x.get_shape().as_list()``: the static shape
    as a list (shapelint holds a ``TensorShape`` as a tuple)."""
    if call.args or call.kwargs or not isinstance(call.receiver, tuple):
        return DECLINE
    return list(call.receiver)


# ------------------------------------------- TensorFlow 1's tutorial data
MNIST_DATASETS = "tensorflow.examples.tutorials.mnist.Datasets"
MNIST_DATASET = "tensorflow.examples.tutorials.mnist.DataSet"


@handles_matching(lambda qualname: qualname.startswith("tensorflow.")
                  and qualname.endswith(("mnist.input_data.read_data_sets", "datasets.mnist.read_data_sets")))
def read_data_sets(_ctx: Context, call: LibraryCall) -> Any:
    """TensorFlow 1's ``input_data.read_data_sets(train_dir, fake_data=False,
    one_hot=False, dtype=float32, reshape=True, validation_size=5000)``
    (``tensorflow/contrib/learn/python/learn/datasets/mnist.py``, gone from
    TensorFlow 2): MNIST's 60,000 training images less ``validation_size``
    for ``train``, those for ``validation``, 10,000 for ``test``.  Images
    are float rows of 784 values (``reshape=False``: 28x28x1); labels are
    class ids (uint8) or, ``one_hot=True``, float rows of 10."""
    one_hot, reshape = call.arg(2, "one_hot", default=False), call.arg(4, "reshape", default=True)
    validation = call.arg(5, "validation_size", default=5000)
    if one_hot not in (True, False) or reshape not in (True, False) or call.arg(1, "fake_data", default=False) \
            or not dims.is_int(validation) or not 0 <= validation <= 60000:
        return DECLINE
    image = (784,) if reshape else (28, 28, 1)

    def split(count: int) -> LibraryObject:
        labels = Array((count, 10), "float", 10, onehot=True) if one_hot else Array((count,), "int", 10)
        return LibraryObject(MNIST_DATASET, {"one_hot": one_hot}, {
            "images": Array((count,) + image, "float"), "labels": labels, "num_examples": count}, call.node)

    return LibraryObject(MNIST_DATASETS, {}, {"train": split(60000 - validation), "validation": split(validation),
                                              "test": split(10000)}, call.node)


@handles(f"{MNIST_DATASET}.next_batch")
def next_batch(_ctx: Context, call: LibraryCall) -> Any:
    """``mnist.train.next_batch(batch_size)``: ``(images, labels)`` of
    ``batch_size`` rows each (the split is cycled, so every batch is full)."""
    size = call.arg(0, "batch_size")
    images, labels = call.receiver.attrs["images"], call.receiver.attrs["labels"]
    if not dims.is_int(size) or size < 1 or size > images.shape[0]:
        return DECLINE
    return (Array((size,) + images.shape[1:], images.dtype),
            Array((size,) + labels.shape[1:], labels.dtype, labels.classes, onehot=labels.onehot))


# ------------------------------------------------ TensorFlow 1's RNNs
RNN_CELL = "tensorflow.nn.rnn_cell.RNNCell"
_CELLS = ("BasicLSTMCell", "LSTMCell", "GRUCell", "BasicRNNCell")


def _is_cell_class(qualname: str) -> bool:
    module, _, name = qualname.rpartition(".")
    return name in _CELLS and module in ("tensorflow.nn.rnn_cell", "tensorflow.contrib.rnn",
                                         "tensorflow.contrib.rnn.rnn_cell", "tensorflow.compat.v1.nn.rnn_cell")


@handles_matching(_is_cell_class)
def rnn_cell(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.nn.rnn_cell.BasicLSTMCell(num_units)`` (``LSTMCell``, whose
    ``num_proj=`` projects its output, ``GRUCell``, ``BasicRNNCell``; also
    under ``tf.contrib.rnn``): a cell whose output has ``num_units`` values."""
    units = call.arg(0, "num_units")
    if call.name == "LSTMCell":
        units = call.arg(None, "num_proj") or units
    return LibraryObject(RNN_CELL, {"output_size": units if dims.is_int(units) else None}, {}, call.node)


@handles_matching(lambda qualname: qualname.rpartition(".")[2] in ("MultiRNNCell", "DropoutWrapper")
                  and qualname.startswith(("tensorflow.nn.rnn_cell.", "tensorflow.contrib.rnn.")))
def wrapped_cell(_ctx: Context, call: LibraryCall) -> Any:
    """``MultiRNNCell([cells])``: the last cell's output; ``DropoutWrapper(cell)``:
    the cell's."""
    inner = call.arg(0, "cells" if call.name == "MultiRNNCell" else "cell")
    if call.name == "MultiRNNCell":
        inner = inner[-1] if isinstance(inner, (list, tuple)) and inner else None
    size = inner.options.get("output_size") if isinstance(inner, LibraryObject) and inner.type_name == RNN_CELL \
        else None
    return LibraryObject(RNN_CELL, {"output_size": size}, {}, call.node)


def _cell_size(cell: Any) -> Optional[int]:
    if isinstance(cell, LibraryObject) and cell.type_name == RNN_CELL:
        return cell.options.get("output_size")
    return None


@handles("tensorflow.nn.dynamic_rnn")
def dynamic_rnn(ctx: Context, call: LibraryCall) -> Any:
    """``tf.nn.dynamic_rnn(cell, inputs, ..., time_major=False)``:
    ``(outputs, state)``, outputs ``(batch, time, output_size)`` (time first
    when ``time_major``); the state is not modelled."""
    inputs = call.arg(1, "inputs")
    shape = ctx.shape_of(inputs)
    size = _cell_size(call.arg(0, "cell"))
    if shape is None or len(shape) != 3 or size is None or call.arg(5, "time_major", default=False) not in (True, False):
        return DECLINE
    out = ctx.new_tensor(tuple(shape[:2]) + (size,), call.node, origin="op", exact=ctx.exact_of(inputs),
                         inputs=[inputs])
    return (out, UNKNOWN)


@handles("tensorflow.nn.static_rnn", "tensorflow.contrib.rnn.static_rnn", "tensorflow.nn.rnn")
def static_rnn(ctx: Context, call: LibraryCall) -> Any:
    """``tf.nn.static_rnn(cell, inputs)``: ``(outputs, state)``, an output
    ``(batch, output_size)`` per input step of the list."""
    inputs = call.arg(1, "inputs")
    size = _cell_size(call.arg(0, "cell"))
    if not isinstance(inputs, (list, tuple)) or not inputs or size is None \
            or not all(isinstance(t, Tensor) for t in inputs):
        return DECLINE
    outputs = []
    for step in inputs:
        shape = ctx.shape_of(step)
        if shape is None or len(shape) != 2:
            return DECLINE
        outputs.append(ctx.new_tensor((shape[0], size), call.node, origin="op", exact=ctx.exact_of(step),
                                      inputs=[step]))
    return (outputs, UNKNOWN)


@handles("tensorflow.nn.bidirectional_dynamic_rnn")
def bidirectional_dynamic_rnn(ctx: Context, call: LibraryCall) -> Any:
    """``tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs)``:
    ``((output_fw, output_bw), states)``."""
    inputs = call.arg(2, "inputs")
    shape = ctx.shape_of(inputs)
    sizes = (_cell_size(call.arg(0, "cell_fw")), _cell_size(call.arg(1, "cell_bw")))
    if shape is None or len(shape) != 3 or None in sizes or call.arg(7, "time_major", default=False) is not False:
        return DECLINE
    outs = tuple(ctx.new_tensor(tuple(shape[:2]) + (size,), call.node, origin="op", exact=ctx.exact_of(inputs),
                                inputs=[inputs]) for size in sizes)
    return (outs, UNKNOWN)
