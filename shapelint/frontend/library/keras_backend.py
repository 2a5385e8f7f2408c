"""Keras' backend and settings: ``image_data_format`` and
``set_image_data_format``, a tensor's shape (``ops.shape``, ``tf.shape``,
``K.int_shape``), position tensors (``ops.arange``, ``tf.range``), and the
helpers keras.applications builds its models with
(``imagenet_utils.correct_pad``, ``imagenet_utils.obtain_input_shape``).
"""
from __future__ import annotations

from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.resolve import Ref
from shapelint.frontend.library.numpy_arrays import as_array
from shapelint.frontend.values import RUNTIME, Array, ConstShapeTensor, LocalFunction, ShapeTensor, Tensor
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN


@handles("keras.ops.arange", "tensorflow.range")
def arange(ctx: Context, call: LibraryCall) -> Any:
    """``keras.ops.arange(start, stop, step)`` / ``tf.range(start, limit,
    delta)``: position indices (positional embeddings), a 1-D tensor without
    a batch axis of ``len(range(...))`` elements."""
    bounds = list(call.args) + [call.kwargs[k] for k in ("start", "stop", "limit", "step", "delta")
                                if k in call.kwargs]
    if not bounds or len(bounds) > 3:
        return DECLINE
    if all(dims.is_int(a) for a in bounds):
        return ctx.new_tensor((len(range(*bounds)),), call.node, origin="op")
    # A bound read from a dynamic axis (ops.shape(x)[-1] of a (None, None)
    # input) gives a dynamic length, None; one shapelint cannot tell may be
    # a static int TensorFlow knows (tf.shape(x)[-1] of an axis of size 24):
    # the tensor is unknown (a 1-D (None,) would read as a batch axis).
    if all(a is None or a is RUNTIME or dims.is_int(a) for a in bounds):
        return ctx.new_tensor((None,), call.node, origin="op", exact=True)
    return ctx.new_tensor(None, call.node, origin="op")


@handles("tensorflow.linspace", "keras.ops.linspace", "keras.ops.numpy.linspace")
def linspace(ctx: Context, call: LibraryCall) -> Any:
    """``tf.linspace(start, stop, num)`` / ``ops.linspace(start, stop,
    num=50)`` between two numbers: ``num`` values, a 1-D tensor without a
    batch axis (TensorFlow needs ``num``; None when it is a run-time size)."""
    keras = call.qualname.startswith("keras")
    names = ("start", "stop", "num")
    values = dict(zip(names, call.args))
    values.update({k: v for k, v in call.kwargs.items() if k in names})
    if keras:
        values.setdefault("num", 50)
    if len(call.args) > 3 or set(call.kwargs) - set(names) - {"name", "dtype", "endpoint", "axis"} \
            or call.kwargs.get("axis", 0) not in (0, -1) or len(values) != 3 \
            or not all(isinstance(values[k], (int, float)) and not isinstance(values[k], bool)
                       for k in ("start", "stop")):
        return DECLINE  # tensor bounds, retstep=True (a pair): left to the unknown result
    num = values["num"]
    if num is None:
        return ctx.new_tensor((None,), call.node, origin="op", exact=True)
    if not dims.is_int(num) or num < 0:
        return DECLINE
    return ctx.new_tensor((num,), call.node, origin="op", exact=True)


@handles("keras.backend.epsilon", "keras.config.epsilon")
def epsilon(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.backend.epsilon()``: the fuzz factor, 1e-7 unless the program
    sets another (a number either way, which is all a shape needs)."""
    return DECLINE if call.args or call.kwargs else 1e-7


@handles("tensorflow.ones", "tensorflow.zeros", "tensorflow.fill", "keras.ops.ones", "keras.ops.zeros",
         "keras.ops.full", "keras.ops.numpy.ones", "keras.ops.numpy.zeros", "keras.ops.numpy.full",
         "tensorflow.random.uniform", "tensorflow.random.normal", "tensorflow.random.truncated_normal",
         "keras.random.uniform", "keras.random.normal", "keras.random.truncated_normal",
         # TensorFlow 1's names (tf.compat.v1)
         "tensorflow.random_normal", "tensorflow.random_uniform", "tensorflow.truncated_normal")
def filled(ctx: Context, call: LibraryCall) -> Any:
    """``tf.ones(shape)``, ``ops.zeros(shape)``, ``tf.fill(dims, value)``,
    ``ops.full(shape, value)``, ``tf.random.uniform(shape)`` (normal,
    truncated_normal; ``keras.random`` too): a tensor (no batch axis) of the
    shape the code spells out.  A size known only at run time
    (``tf.shape(x)[0]`` of a batch axis, inside a layer's call()) is a None
    TensorFlow's shape inference and Keras report too; a shape tensor
    (``tf.shape(x)``) or a size shapelint cannot tell is left to the unknown
    result."""
    shape = call.args[0] if call.args else call.kwargs.get("dims" if call.qualname.endswith("fill") else "shape")
    if dims.is_int(shape):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(
            d is RUNTIME or dims.is_size(d) and not (dims.is_int(d) and d < 0) for d in shape):
        return DECLINE  # a negative size raises; a None one (x.shape[0]) too
    return ctx.new_tensor(tuple(None if d is RUNTIME else d for d in shape), call.node, origin="op",
                          exact=all(d is RUNTIME or dims.is_int(d) for d in shape))


@handles("tensorflow.eye", "tensorflow.linalg.eye", "keras.ops.eye", "keras.ops.numpy.eye", "keras.ops.identity",
         "keras.ops.numpy.identity")
def eye(ctx: Context, call: LibraryCall) -> Any:
    """``tf.eye(num_rows, num_columns=None, batch_shape=None)``: a
    ``batch_shape + (num_rows, num_columns)`` matrix, square without
    ``num_columns``; ``ops.eye(N, M=None)`` and ``ops.identity(n)`` the same
    without a batch shape.  A size known only at run time is a None
    TensorFlow reports too; a size shapelint cannot tell is left unknown."""
    tf = call.qualname.startswith("tensorflow")
    if call.name == "identity":
        names = ("n",)
    else:
        names = ("num_rows", "num_columns", "batch_shape") if tf else ("N", "M")
    values = dict(zip(names, call.args))
    values.update({k: v for k, v in call.kwargs.items() if k in names})
    if len(call.args) > len(names) or set(call.kwargs) - set(names) - {"dtype", "name", "k"}:
        return DECLINE
    rows = values.get(names[0])
    cols = values.get(names[1]) if len(names) > 1 else None
    cols = rows if cols is None else cols
    batch = values.get("batch_shape") or ()
    if not isinstance(batch, (list, tuple)):
        return DECLINE
    sizes = list(batch) + [rows, cols]
    if not all(d is RUNTIME or dims.is_int(d) and d >= 0 for d in sizes):
        return DECLINE
    return ctx.new_tensor(tuple(None if d is RUNTIME else d for d in sizes), call.node, origin="op", exact=True)


@handles("tensorflow.Variable")
def variable(ctx: Context, call: LibraryCall) -> Any:
    """``tf.Variable(initial_value)`` of a tensor: a tensor of its shape; of
    a numpy array (or nested lists of numbers), the array's shape.

    Made of a tensor made while Keras 3 traces a symbolic call() (in a
    call(), or in the build() of a layer such a call() applies first), the
    initial value is a graph tensor TensorFlow cannot lift out of the
    FuncGraph: it raises ("could not be lifted out of a `tf.function`"), and
    so does the call (keras-io's Swin Transformer builds its window
    attention's index so).  A numpy value is converted outside: fine."""
    initial = call.args[0] if call.args else call.kwargs.get("initial_value")
    symbolic = getattr(ctx, "symbolic", None)
    if symbolic is not None and symbolic.graph_tensor(initial):
        symbolic.raise_in_trace()
        ctx.summaries.note_cut()  # a summary would not raise again
        return ctx.new_tensor(None, call.node, origin="op")
    if isinstance(initial, (Array, list)):
        array = as_array(initial)
        if isinstance(array, Array) and array.shape is not None and all(dims.is_int(d) for d in array.shape):
            return ctx.new_tensor(tuple(array.shape), call.node, origin="op", exact=True)
        return DECLINE
    if not isinstance(initial, Tensor) or ctx.shape_of(initial) is None:
        return DECLINE
    return ctx.new_tensor(ctx.shape_of(initial), call.node, origin="op", exact=ctx.exact_of(initial))


@handles("tensorflow.signal.linear_to_mel_weight_matrix")
def linear_to_mel_weight_matrix(ctx: Context, call: LibraryCall) -> Any:
    """``tf.signal.linear_to_mel_weight_matrix(num_mel_bins=20,
    num_spectrogram_bins=129, ...)``: a ``(num_spectrogram_bins,
    num_mel_bins)`` matrix (no batch axis) to ``matmul`` a spectrogram with."""
    names = ("num_mel_bins", "num_spectrogram_bins")
    values = dict(zip(names, call.args))
    values.update({k: v for k, v in call.kwargs.items() if k in names})
    mel, bins = values.get("num_mel_bins", 20), values.get("num_spectrogram_bins", 129)
    if not (dims.is_int(mel) and dims.is_int(bins)):
        return ctx.new_tensor((None, None), call.node, origin="op")
    return ctx.new_tensor((bins, mel), call.node, origin="op", exact=True)


@handles_matching(lambda qualname: qualname.rpartition(".")[2] == "set_image_data_format")
def set_image_data_format(ctx: Context, call: LibraryCall) -> Any:
    """``keras.backend.set_image_data_format(...)`` (``keras.config.`` in
    Keras 3), under whatever module the code reaches it: from now on
    channels_last cannot be assumed; layers built after it without a
    data_format of their own take the value set, when the code shows it."""
    value = call.arg(0, "data_format", default=None)
    ctx.state.image_data_format_set = True
    ctx.state.image_data_format = value if value in ("channels_first", "channels_last") else None
    return None


@handles_matching(lambda qualname: qualname.rpartition(".")[2] == "image_data_format"
                  and qualname.startswith(("keras.backend.", "keras.config.")))
def image_data_format(ctx: Context, _call: LibraryCall) -> Any:
    """``keras.backend.image_data_format()``: Keras' default
    ``"channels_last"``, or what the program set (unknown when the code
    does not show it)."""
    if not ctx.state.image_data_format_set:
        return "channels_last"
    return ctx.state.image_data_format if ctx.state.image_data_format is not None else UNKNOWN


@handles_matching(lambda qualname: qualname.rpartition(".")[2] in ("shape", "int_shape")
                  and qualname.startswith(("tensorflow.", "keras.ops.", "keras.backend.")))
def shape(ctx: Context, call: LibraryCall) -> Any:
    """``ops.shape(x)``, ``tf.shape(x)``, ``K.int_shape(x)`` of a tensor:
    the shape as the program reads it (see ``Context.shape_value``).
    ``tf.shape`` and ``K.shape`` are tensors: an axis Keras reports as None
    is a size known at run time (``RUNTIME``); so is ``ops.shape``'s inside a
    layer's call(), which Keras traces with TensorFlow tensors (on a
    KerasTensor it gives None, as ``int_shape`` always does)."""
    if len(call.args) != 1 or not isinstance(call.args[0], Tensor):
        return DECLINE
    value = ctx.shape_value(call.args[0])
    traced = getattr(getattr(ctx, "symbolic", None), "trace_depth", 0)
    if call.name == "shape" and value is not UNKNOWN and (
            not call.qualname.startswith("keras.ops.") or traced):
        sizes = tuple(RUNTIME if d is None else d for d in value)
        if not traced or call.qualname.startswith("keras.ops."):
            return sizes
        return ConstShapeTensor(sizes) if all(dims.is_int(d) for d in sizes) else ShapeTensor(sizes)
    return value


@handles_matching(lambda qualname: qualname.endswith("imagenet_utils.correct_pad"))
def correct_pad(ctx: Context, call: LibraryCall) -> Any:
    """``imagenet_utils.correct_pad(inputs, kernel_size)`` (channels_last):
    the ZeroPadding2D pads that make a stride-2 conv keep ``ceil(size/2)``."""
    inputs = call.args[0] if call.args else call.kwargs.get("inputs")
    kernel = call.args[1] if len(call.args) > 1 else call.kwargs.get("kernel_size")
    if ctx.state.image_data_format_set or not isinstance(inputs, Tensor):
        return UNKNOWN
    size = ctx.shape_value(inputs)
    if dims.is_int(kernel):
        kernel = (kernel, kernel)
    if size is UNKNOWN or len(size) != 4 or not (
            isinstance(kernel, (tuple, list)) and len(kernel) == 2 and all(isinstance(k, int) for k in kernel)):
        return UNKNOWN
    size = size[1:3]
    if size[0] is None:
        adjust = (1, 1)
    elif all(isinstance(d, int) for d in size):
        adjust = (1 - size[0] % 2, 1 - size[1] % 2)
    else:
        return UNKNOWN
    correct = (kernel[0] // 2, kernel[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


@handles_matching(lambda qualname: qualname.endswith("imagenet_utils.obtain_input_shape"))
@handles("keras_applications.imagenet_utils._obtain_input_shape")
def obtain_input_shape(_ctx: Context, call: LibraryCall) -> Any:
    """``imagenet_utils.obtain_input_shape`` (keras_applications'
    ``_obtain_input_shape``, the same function), channels_last: the given
    shape, else the default size (or (None, None, 3) when no Flatten needs it)."""
    names = ("input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights")
    values = dict(zip(names, call.args))
    values.update({k: v for k, v in call.kwargs.items() if k in names})
    input_shape, size = values.get("input_shape"), values.get("default_size")
    flatten, weights = values.get("require_flatten"), values.get("weights")
    if values.get("data_format") != "channels_last" or not isinstance(size, int) or not isinstance(flatten, bool) \
            or any(v is UNKNOWN for v in (input_shape, weights)):
        return UNKNOWN
    if input_shape is not None and not isinstance(input_shape, (tuple, list)):
        return UNKNOWN
    channels = input_shape[-1] if weights != "imagenet" and input_shape and len(input_shape) == 3 else 3
    default = (size, size, channels)
    if weights == "imagenet" and flatten:
        return default if input_shape is None or tuple(input_shape) == default else UNKNOWN
    result = tuple(input_shape) if input_shape else (default if flatten else (None, None, 3))
    if flatten and None in result:
        return UNKNOWN  # Keras raises
    return result


_SUBMODULES = ("backend", "layers", "models", "utils")


@handles("keras_applications.get_submodules_from_kwargs")
def get_submodules_from_kwargs(_ctx: Context, call: LibraryCall) -> Any:
    """``keras_applications.get_submodules_from_kwargs(kwargs)``: the
    ``(backend, layers, models, utils)`` modules a Keras application is
    handed -- those passed in ``kwargs``; Keras' own for the rest (Keras,
    tf.keras and segmentation_models always pass theirs: the package's
    default, None, only fails), and for kwargs that cannot be seen (a model
    function analysed on its own)."""
    kwargs = call.args[0] if call.args else call.kwargs.get("kwargs", UNKNOWN)
    given = kwargs if isinstance(kwargs, dict) else {}
    if not isinstance(kwargs, dict) and kwargs is not UNKNOWN:
        return DECLINE
    return tuple(given[name] if given.get(name) is not None else Ref(f"keras.{name}") for name in _SUBMODULES)


@handles("keras.activations.get")
def activation_get(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.activations.get(identifier)``: the activation function a
    string names (``"relu"`` -> ``keras.activations.relu``), a function as
    itself, None -> ``linear``, as Keras resolves it."""
    identifier = call.arg(0, "identifier", default=None)
    if identifier is None:
        return Ref("keras.activations.linear")
    if isinstance(identifier, str) and identifier.isidentifier():
        return Ref(f"keras.activations.{identifier}")
    if isinstance(identifier, (Ref, LocalFunction)):
        return identifier
    return DECLINE
