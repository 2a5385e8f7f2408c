"""Keras' data helpers: the label encoders (``to_categorical``, ``one_hot``
of data), the well-known datasets of ``keras.datasets``, TensorFlow tensors
made of data the code shows (``tf.constant(x_train)``), the legacy image
preprocessing (``ImageDataGenerator`` and its ``flow*`` iterators,
``load_img``/``img_to_array``), the datasets made from files and arrays
(``image_dataset_from_directory``, ``text_dataset_from_directory``,
``timeseries_dataset_from_array``) and the text helpers (``Tokenizer``,
``pad_sequences``).

Each mirrors the documented defaults of the installed Keras
(keras/src/legacy/preprocessing/image.py, keras/src/utils/*_utils.py).  What
only the files decide -- how many images, how many class folders -- stays
unknown unless the code names it (``classes=[...]``, ``class_names=[...]``).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import dtype_of, from_literal, located
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, Dataset, LibraryObject, Tensor, takes_tensor
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

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
}

# The datasets Keras splits itself, at int(n * (1 - test_split)):
# name -> (samples, feature axes, x dtype, label classes, positions of
# ``test_split`` and ``version`` in load_data's signature, samples by version).
SPLIT_DATASETS: Dict[str, tuple] = {
    "boston_housing": (506, (13,), "float", None, 1, None, {}),
    "california_housing": (20640, (8,), "float", None, 2, 0, {"small": 600, "large": 20640}),
    "reuters": (11228, (), None, 46, 4, None, {}),
}


def _int_values(value: Any) -> Optional[List[int]]:
    """Every label of a (nested) list or tuple literal of ints, or None."""
    if isinstance(value, bool) or not isinstance(value, (list, tuple, int)):
        return None
    if isinstance(value, int):
        return [value]
    out: List[int] = []
    for item in value:
        inner = _int_values(item)
        if inner is None:
            return None
        out.extend(inner)
    return out


def to_categorical_array(labels: Any, num_classes: Any) -> Any:
    """``keras.utils.to_categorical``: (n,) or (n, 1) -> (n, num_classes),
    float.  Without ``num_classes`` the width is the largest label + 1: known
    from the values of a literal (1-based labels 1..k give k + 1 columns),
    from the labels' class count, or 2 for one-hot rows (encoded twice)."""
    if isinstance(labels, (list, tuple)):
        values = _int_values(labels)
        literal = from_literal(list(labels), None)
        if values is None or not isinstance(literal, Array) or not values or min(values) < 0:
            return UNKNOWN
        labels = Array(literal.shape, "int", max(values) + 1)
    if not isinstance(labels, Array) or labels.shape is None:
        return UNKNOWN
    shape = list(labels.shape)
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    if dims.is_int(num_classes) and num_classes > 0:
        classes = num_classes
    elif labels.onehot:
        classes = 2  # rows of 0s and 1s: the largest label is 1
    else:
        classes = labels.classes
    return Array(tuple(shape) + (classes,), "float", classes, True)


def one_hot_array(indices: Any, depth: Any) -> Any:
    """``tf.one_hot(indices, depth)`` / ``keras.ops.one_hot(x, num_classes)``
    of data: a new last axis of ``depth`` (no axis of 1 is squeezed)."""
    if isinstance(indices, (list, tuple)):
        literal = from_literal(list(indices), None)
        indices = literal if isinstance(literal, Array) and _int_values(indices) is not None else UNKNOWN
    if not isinstance(indices, Array) or indices.shape is None or not dims.is_int(depth):
        return UNKNOWN
    return Array(tuple(indices.shape) + (depth,), "float", depth, True)


# Every spelling: keras.utils.to_categorical, keras.utils.np_utils.to_categorical,
# tf.keras.utils... (normalised to keras.), and any tensorflow.* path.
@handles_matching(lambda qualname: qualname.endswith(".to_categorical")
                  and qualname.startswith(("keras.", "tensorflow.")))
def to_categorical(ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.to_categorical(x, num_classes=None)``; of a tensor (in a
    tf.data map function) Keras drops a last axis of 1 and calls one_hot."""
    labels = call.arg(0, "x", "y")
    num_classes = call.arg(1, "num_classes")
    if isinstance(labels, Tensor):
        shape = ctx.shape_of(labels)
        if shape is None or not dims.is_int(num_classes):
            return ctx.new_tensor(None, call.node)
        if len(shape) > 1 and shape[-1] == 1:
            shape = shape[:-1]
        return ctx.new_tensor(tuple(shape) + (num_classes,), call.node, exact=ctx.exact_of(labels))
    return located(call, to_categorical_array(labels, num_classes))


@handles("tensorflow.one_hot", "keras.ops.one_hot", "keras.ops.nn.one_hot", "keras.backend.one_hot")
def one_hot(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.one_hot(indices, depth)`` and ``keras.ops.one_hot(x,
    num_classes)`` of data (labels the code shows); a Keras tensor is the
    tensor-op family's."""
    if takes_tensor(call.args, call.kwargs):
        return DECLINE
    depth = call.arg(1, "depth", "num_classes")
    axis = call.arg(4 if call.qualname.startswith("tensorflow.") else 2, "axis", default=-1)
    if axis not in (-1, None):
        return DECLINE
    return located(call, one_hot_array(call.arg(0, "indices", "x"), depth))


def _is_load_data(qualname: str) -> bool:
    parts = qualname.split(".")
    return len(parts) >= 4 and parts[0] == "keras" and parts[1] == "datasets" and parts[-1] == "load_data"


@handles_matching(_is_load_data)
def load_data(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.datasets.<name>.load_data()``: ((x_train, y_train), (x_test,
    y_test)) with the shapes Keras documents."""
    name = call.qualname.split(".")[2]
    if name in SPLIT_DATASETS:
        return _split_dataset(call, *SPLIT_DATASETS[name])
    spec = DATASETS.get(name)
    if spec is None:
        return DECLINE
    if name == "imdb" and _filters_by_length(call):
        spec = [((None,) + s[1:], d, c) for s, d, c in spec]
    arrays = [Array(s, d, c) for s, d, c in spec]
    return ((arrays[0], arrays[1]), (arrays[2], arrays[3]))


def _filters_by_length(call: LibraryCall) -> bool:
    """imdb/reuters ``maxlen=``: sequences longer are dropped, so the counts
    depend on the data (None and 0 keep every sequence)."""
    return call.arg(3, "maxlen") not in (None, 0)


def _split_dataset(call: LibraryCall, total: int, features: tuple, dtype: Optional[str],
                   classes: Optional[int], split_at: int, version_at: Optional[int],
                   versions: Dict[str, int]) -> Any:
    """boston_housing, california_housing, reuters: Keras shuffles the
    samples and keeps ``int(len(x) * (1 - test_split))`` for training."""
    if version_at is not None:
        version = call.arg(version_at, "version", default="large")
        total = versions.get(version) if isinstance(version, str) else None
    test_split = call.arg(split_at, "test_split", default=0.2)
    if total is None or isinstance(test_split, bool) or not isinstance(test_split, (int, float)) \
            or not 0 <= test_split < 1 or (classes is not None and _filters_by_length(call)):
        train = test = None
    else:
        train = int(total * (1 - test_split))
        test = total - train
    return ((Array((train,) + features, dtype, None), Array((train,), "int" if classes else "float", classes)),
            (Array((test,) + features, dtype, None), Array((test,), "int" if classes else "float", classes)))


@handles_matching(lambda qualname: qualname.startswith("tensorflow.")
                  and qualname.rpartition(".")[2] in ("constant", "convert_to_tensor"))
def constant(ctx: Context, call: LibraryCall) -> Any:
    """``tf.constant(x_train)`` / ``tf.convert_to_tensor``: the array itself;
    ``tf.constant([[1, 2], [3, 4]])``: the literal's shape (numpy's rules).
    ``tf.constant(0.0, shape=(2, 3))``: that shape (TensorFlow fills it).
    A Keras tensor argument is the tensor-op family's.  While Keras 3
    traces a symbolic call() (in a FuncGraph) the constant is a graph tensor
    of that shape, not data (``tf.Variable`` cannot take it)."""
    result = _constant(call)
    symbolic = getattr(ctx, "symbolic", None)
    if isinstance(result, Array) and result.shape is not None and all(dims.is_int(d) for d in result.shape) \
            and getattr(symbolic, "graph_depth", 0):
        tensor = ctx.new_tensor(tuple(result.shape), call.node, origin="op", exact=True)
        if result.values is not None:
            symbolic.constant_arrays[tensor.tid] = result
        return tensor
    return result


def _constant(call: LibraryCall) -> Any:
    shape = call.kwargs.get("shape", call.args[2] if call.name == "constant" and len(call.args) > 2 else None)
    if shape is not None:
        value = from_literal(call.args[0], call.kwargs.get("dtype")) if call.args else UNKNOWN
        if isinstance(shape, (tuple, list)) and all(isinstance(d, int) and d >= 0 for d in shape) \
                and isinstance(value, Array):
            return located(call, Array(tuple(shape), value.dtype))
        return UNKNOWN
    if call.args and isinstance(call.args[0], Array):
        return located(call, call.args[0])
    value = from_literal(call.args[0], call.kwargs.get("dtype")) if call.args else UNKNOWN
    literal = _int_literal(call.args[0]) if isinstance(value, Array) and value.dtype == "int" else None
    if literal is not None:
        value = dataclasses.replace(value, values=literal)
    return located(call, value)


def _int_literal(value: Any, budget: int = 64) -> Optional[tuple]:
    """A small nested list of ints as nested tuples; None for anything
    else (or more than ``budget`` items)."""
    if dims.is_int(value):
        return value
    if not isinstance(value, (list, tuple)) or len(value) > budget:
        return None
    items = tuple(_int_literal(v, budget // max(1, len(value))) for v in value)
    return None if any(i is None for i in items) else items


# ------------------------------------------------------------ image files
def _keras_name(*lasts: str):
    """A matcher for Keras names ending in one of ``lasts``, under whatever
    module path the program reaches them (``keras.preprocessing.image.``,
    ``keras.utils.``, ``keras.legacy.preprocessing.image.`` ...)."""
    return lambda qualname: qualname.startswith("keras.") and qualname.rpartition(".")[2] in lasts


_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def image_shape(ctx: Any, size: Any, color_mode: Any, data_format: Any) -> Optional[tuple]:
    """One image as Keras' image helpers load it: ``size`` (height, width)
    and the channels of ``color_mode`` ("rgb" 3, "grayscale" 1, "rgba" 4),
    channels last unless the helper is told otherwise (or the program set
    another image data format)."""
    channels = _CHANNELS.get(color_mode) if isinstance(color_mode, str) else None
    if channels is None:
        return None
    if data_format is None:
        if ctx is not None and ctx.state.image_data_format_set:
            return None
        data_format = "channels_last"
    if size is None:
        hw: tuple = (None, None)
    elif isinstance(size, (tuple, list)) and len(size) == 2:
        hw = tuple(d if dims.is_size(d) else None for d in size)
    else:
        return None
    if data_format == "channels_last":
        return hw + (channels,)
    if data_format == "channels_first":
        return (channels,) + hw
    return None


def _batch(array: Any, dtype: Any = "keep") -> Array:
    """A batch of samples shaped like ``array``'s (its first axis becomes the
    batch axis, of unknown size)."""
    if not isinstance(array, Array) or not array.shape:
        return Array(None)
    return Array((None,) + tuple(array.shape[1:]), array.dtype if dtype == "keep" else dtype,
                 array.classes, array.onehot)


def _images(shape: Optional[tuple]) -> Array:
    return Array(None) if shape is None else Array((None,) + shape, "float")


def _class_count(classes: Any) -> Any:
    """The class count a ``classes=[...]`` / ``class_names=[...]`` argument
    shows; UNKNOWN when it shows none (the class folders decide)."""
    if isinstance(classes, (list, tuple)) and classes:
        return len(classes)
    return UNKNOWN


# The classes of the legacy image preprocessing (keras.preprocessing.image
# in Keras 2 and tf.keras; keras/src/legacy/preprocessing/image.py).
IMAGE_DATA_GENERATOR = "keras.preprocessing.image.ImageDataGenerator"
NUMPY_ITERATOR = "keras.preprocessing.image.NumpyArrayIterator"
DIRECTORY_ITERATOR = "keras.preprocessing.image.DirectoryIterator"
DATAFRAME_ITERATOR = "keras.preprocessing.image.DataFrameIterator"
PIL_IMAGE = "PIL.Image.Image"


@handles_matching(_keras_name("ImageDataGenerator"))
def image_data_generator(_ctx: Context, call: LibraryCall) -> Any:
    """``ImageDataGenerator(rescale=..., rotation_range=..., data_format=None,
    dtype=None, ...)``: the augmentation settings; no shape of its own."""
    return LibraryObject(IMAGE_DATA_GENERATOR, dict(call.kwargs), {}, call.node)


@handles(f"{IMAGE_DATA_GENERATOR}.fit")
def generator_fit(_ctx: Context, call: LibraryCall) -> Any:
    """``datagen.fit(x)``: computes the feature-wise statistics; None."""
    return None


@handles(f"{IMAGE_DATA_GENERATOR}.standardize", f"{IMAGE_DATA_GENERATOR}.random_transform",
         f"{IMAGE_DATA_GENERATOR}.apply_transform")
def generator_transform(_ctx: Context, call: LibraryCall) -> Any:
    """``datagen.standardize(x)`` / ``random_transform(x)``: the same shape."""
    x = call.arg(0, "x")
    return Array(x.shape, "float") if isinstance(x, Array) and x.shape is not None else DECLINE


@handles(f"{IMAGE_DATA_GENERATOR}.flow")
def flow(_ctx: Context, call: LibraryCall) -> Any:
    """``datagen.flow(x, y=None, batch_size=32, shuffle=True,
    sample_weight=None, ...)``: a NumpyArrayIterator over the arrays (x must
    be 4-D: Keras refuses anything else)."""
    x = call.arg(0, "x")
    if isinstance(x, Array) and x.shape is not None and len(x.shape) != 4:
        return DECLINE
    options = {"x": x, "y": call.arg(1, "y"), "batch_size": call.arg(2, "batch_size", default=32),
               "sample_weight": call.arg(4, "sample_weight")}
    n = x.shape[0] if isinstance(x, Array) and x.shape else UNKNOWN
    attrs = {"n": n if dims.is_int(n) else UNKNOWN, "batch_size": options["batch_size"]}
    return LibraryObject(NUMPY_ITERATOR, options, attrs, call.node)


def _generator_format(generator: Any) -> Any:
    """The data format of an ImageDataGenerator (None: Keras' default)."""
    return generator.options.get("data_format") if isinstance(generator, LibraryObject) else None


@handles(f"{IMAGE_DATA_GENERATOR}.flow_from_directory")
def flow_from_directory(ctx: Context, call: LibraryCall) -> Any:
    """``datagen.flow_from_directory(directory, target_size=(256, 256),
    color_mode="rgb", classes=None, class_mode="categorical",
    batch_size=32, ...)``: a DirectoryIterator; the class count is the
    number of sub-folders (unknown) unless ``classes`` lists them."""
    options = {
        "target_size": call.arg(1, "target_size", default=(256, 256)),
        "color_mode": call.arg(2, "color_mode", default="rgb"),
        "classes": call.arg(3, "classes"),
        "class_mode": call.arg(4, "class_mode", default="categorical"),
        "batch_size": call.arg(5, "batch_size", default=32),
        "data_format": _generator_format(call.receiver),
    }
    return _files_iterator(ctx, DIRECTORY_ITERATOR, options, call.node)


@handles(f"{IMAGE_DATA_GENERATOR}.flow_from_dataframe")
def flow_from_dataframe(ctx: Context, call: LibraryCall) -> Any:
    """``datagen.flow_from_dataframe(dataframe, directory=None,
    x_col="filename", y_col="class", weight_col=None, target_size=(256, 256),
    color_mode="rgb", classes=None, class_mode="categorical",
    batch_size=32, ...)``: a DataFrameIterator."""
    options = {
        "y_col": call.arg(3, "y_col", default="class"),
        "target_size": call.arg(5, "target_size", default=(256, 256)),
        "color_mode": call.arg(6, "color_mode", default="rgb"),
        "classes": call.arg(7, "classes"),
        "class_mode": call.arg(8, "class_mode", default="categorical"),
        "batch_size": call.arg(9, "batch_size", default=32),
        "data_format": _generator_format(call.receiver),
    }
    return _files_iterator(ctx, DATAFRAME_ITERATOR, options, call.node)


def _files_iterator(ctx: Context, type_name: str, options: Dict[str, Any], node: Any) -> Any:
    shape = image_shape(ctx, options["target_size"], options["color_mode"], options["data_format"])
    count = _class_count(options["classes"])
    attrs = {
        "image_shape": shape if shape is not None else UNKNOWN,
        "target_size": tuple(options["target_size"]) if isinstance(options["target_size"], (tuple, list))
        else UNKNOWN,
        "color_mode": options["color_mode"], "class_mode": options["class_mode"],
        "batch_size": options["batch_size"],
        "num_classes": count,
        "class_indices": dict(zip(options["classes"], range(count))) if count is not UNKNOWN else UNKNOWN,
        # What the files decide.
        "samples": UNKNOWN, "n": UNKNOWN, "classes": UNKNOWN, "filenames": UNKNOWN, "filepaths": UNKNOWN,
        "labels": UNKNOWN,
    }
    return LibraryObject(type_name, options, attrs, node)


def _numpy_batch(options: Dict[str, Any]) -> Any:
    """``NumpyArrayIterator._get_batches_of_transformed_samples``: x (as
    floats), then y and sample_weight when given."""
    x = options["x"]
    x_batch = _batch(x, "float") if isinstance(x, Array) else Array(None)
    if options["y"] is None:
        return x_batch
    y = options["y"]
    out = (x_batch, _batch(y) if isinstance(y, Array) else Array(None))
    if options["sample_weight"] is not None:
        out += (_batch(options["sample_weight"]),)
    return out


def _files_batch(ctx: Context, type_name: str, options: Dict[str, Any]) -> Any:
    """``BatchFromFilesMixin._get_batches_of_transformed_samples``: images
    of ``image_shape`` (floats), labels by ``class_mode``: "categorical"
    one-hot of the class count, "binary" and "sparse" one float per image,
    "input" the images again, None none; a DataFrameIterator's "raw" gives
    the ``y_col`` values."""
    x = _images(image_shape(ctx, options["target_size"], options["color_mode"], options["data_format"]))
    mode = options["class_mode"]
    count = _class_count(options["classes"])
    classes = count if count is not UNKNOWN else None
    if mode is None:
        return x
    if mode == "input":
        return (x, x)
    if mode == "categorical":
        return (x, Array((None, classes), "float", classes, True))
    if mode == "sparse":
        return (x, Array((None,), "float", classes))
    if mode == "binary":
        # A DataFrameIterator checks there are exactly two classes; a
        # DirectoryIterator gives every folder its index.
        two = 2 if type_name == DATAFRAME_ITERATOR else None
        return (x, Array((None,), "float", two))
    if mode == "raw" and type_name == DATAFRAME_ITERATOR:
        y_col = options["y_col"]
        if isinstance(y_col, str):
            return (x, Array((None,)))
        if isinstance(y_col, (list, tuple)):
            return (x, Array((None, len(y_col))))
    return (x, Array(None))


@handles(*(f"{kind}.{method}" for kind in (NUMPY_ITERATOR, DIRECTORY_ITERATOR, DATAFRAME_ITERATOR)
           for method in ("__getitem__", "next", "__next__")))
def iterator_batch(ctx: Context, call: LibraryCall) -> Any:
    """``iterator[i]`` / ``iterator.next()``: one batch, as fit takes it."""
    iterator = call.receiver
    if iterator.type_name == NUMPY_ITERATOR:
        return _numpy_batch(iterator.options)
    return _files_batch(ctx, iterator.type_name, iterator.options)


@handles("builtins.next")
def next_batch(ctx: Context, call: LibraryCall) -> Any:
    """``next(iterator)`` of an image iterator: its next batch."""
    iterator = call.args[0] if call.args else None
    if not isinstance(iterator, LibraryObject) or iterator.type_name not in (
            NUMPY_ITERATOR, DIRECTORY_ITERATOR, DATAFRAME_ITERATOR):
        return DECLINE
    return iterator_batch(ctx, LibraryCall(f"{iterator.type_name}.next", [], {}, call.node, receiver=iterator))


@handles_matching(_keras_name("load_img"))
def load_img(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.load_img(path, color_mode="rgb", target_size=None)``:
    a PIL image of that mode, resized to (height, width) when asked."""
    options = {"color_mode": call.arg(1, "color_mode", default="rgb"),
               "target_size": call.arg(2, "target_size")}
    return LibraryObject(PIL_IMAGE, options, {}, call.node)


@handles(f"{PIL_IMAGE}.resize")
def image_resize(_ctx: Context, call: LibraryCall) -> Any:
    """``img.resize((width, height))``: PIL's size is width first."""
    size = call.arg(0, "size")
    target = (size[1], size[0]) if isinstance(size, (tuple, list)) and len(size) == 2 else None
    return LibraryObject(PIL_IMAGE, {**call.receiver.options, "target_size": target}, {}, call.node)


@handles_matching(_keras_name("img_to_array"))
def img_to_array(ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.img_to_array(img, data_format=None, dtype=None)``: a
    3-D float array (height, width, channels) of an image load_img made."""
    img = call.arg(0, "img")
    if not isinstance(img, LibraryObject) or img.type_name != PIL_IMAGE:
        return DECLINE
    shape = image_shape(ctx, img.options.get("target_size"), img.options.get("color_mode"),
                        call.arg(1, "data_format"))
    if shape is None:
        return DECLINE
    return located(call, Array(shape, dtype_of(call.arg(2, "dtype"), "float")))


# ---------------------------------------------------- datasets from files
def _label_part(label_mode: Any, classes: Any) -> Any:
    """The per-sample label of ``image_dataset_from_directory`` and
    ``text_dataset_from_directory``: "int" an int32 scalar, "categorical"
    float32 one-hot of the class count, "binary" float32 (1,) (Keras
    demands exactly two classes)."""
    count = classes if dims.is_int(classes) else None
    if label_mode == "int":
        return Array((), "int", count)
    if label_mode == "categorical":
        return Array((count,), "float", count, True)
    if label_mode == "binary":
        return Array((1,), "float", 2)
    return Array(None)


def _from_directory(call: LibraryCall, sample: Array, batch_index: int) -> Any:
    """The dataset (or, with ``subset="both"``, the [training, validation]
    pair) of ``sample`` with its labels, batched by ``batch_size``."""
    if call.kwargs.get("format", "tf") != "tf":
        return DECLINE  # a grain dataset: not tf.data
    labels = call.arg(1, "labels", default="inferred")
    label_mode = call.arg(2, "label_mode", default="int")
    class_names = call.arg(3, "class_names")
    batch_size = call.arg(batch_index, "batch_size", default=32)
    if labels is None or label_mode is None:
        element: Any = sample
    else:
        count = _class_count(class_names) if labels == "inferred" else UNKNOWN
        element = (sample, _label_part(label_mode, count))
    dataset = Dataset(element, batch_size is not None)
    if call.kwargs.get("subset") == "both":
        return [dataset, Dataset(element, dataset.batched)]
    return dataset


@handles_matching(_keras_name("image_dataset_from_directory"))
def image_dataset_from_directory(ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.image_dataset_from_directory(directory,
    labels="inferred", label_mode="int", class_names=None,
    color_mode="rgb", batch_size=32, image_size=(256, 256), ...)``:
    float32 images of ``image_size`` and the channels of ``color_mode``;
    ``batch_size=None`` leaves them unbatched."""
    size = call.arg(6, "image_size", default=(256, 256))
    if dims.is_int(size):
        size = (size, size)
    shape = image_shape(ctx, size, call.arg(4, "color_mode", default="rgb"), call.kwargs.get("data_format"))
    return _from_directory(call, Array(shape, "float") if shape is not None else Array(None), 5)


@handles_matching(_keras_name("text_dataset_from_directory"))
def text_dataset_from_directory(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.text_dataset_from_directory(directory,
    labels="inferred", label_mode="int", class_names=None, batch_size=32,
    ...)``: one string scalar per file."""
    return _from_directory(call, Array((), None), 4)


@handles_matching(_keras_name("audio_dataset_from_directory"))
def audio_dataset_from_directory(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.audio_dataset_from_directory(directory,
    labels="inferred", label_mode="int", class_names=None, batch_size=32,
    sampling_rate=None, output_sequence_length=None, ragged=False, ...)``:
    float32 audio of ``(output_sequence_length, channels)`` per file --
    ``tf.audio.decode_wav(desired_samples=...)``, whose channels TensorFlow
    leaves None; without a length the batches are padded to their longest
    file (None).  Ragged batches are not followed."""
    if call.arg(7, "ragged", default=False) is not False:
        return DECLINE
    length = call.arg(6, "output_sequence_length")
    if length is not None and not (dims.is_int(length) and length > 0):
        return DECLINE
    return _from_directory(call, Array((length, None), "float"), 4)


@handles_matching(_keras_name("timeseries_dataset_from_array"))
def timeseries_dataset_from_array(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.timeseries_dataset_from_array(data, targets,
    sequence_length, sequence_stride=1, sampling_rate=1, batch_size=128,
    ...)``: windows of ``sequence_length`` steps of ``data`` (each step
    ``data.shape[1:]``), with ``targets[i]`` for the window starting at i
    when targets are given; ``batch_size=None`` leaves them unbatched."""
    if call.kwargs.get("format", "tf") != "tf":
        return DECLINE
    data, targets = call.arg(0, "data"), call.arg(1, "targets")
    length = call.arg(2, "sequence_length")
    batch_size = call.arg(5, "batch_size", default=128)
    data = from_literal(data, None) if isinstance(data, list) else data
    if isinstance(data, Array) and data.shape:
        window = Array(((length if dims.is_size(length) else None),) + tuple(data.shape[1:]), data.dtype)
        # The windows are gathered with a tf.range: element_spec leaves the
        # time axis None, and Keras builds and traces on that.
        declared = Array((None,) + tuple(data.shape[1:]), data.dtype)
    else:
        window = declared = Array(None)
    batched = batch_size is not None
    if targets is None:
        return Dataset(window, batched, declared)
    targets = from_literal(targets, None) if isinstance(targets, list) else targets
    if isinstance(targets, Array) and targets.shape:
        target = Array(tuple(targets.shape[1:]), targets.dtype, targets.classes, targets.onehot)
    else:
        target = Array(None)
    return Dataset((window, target), batched, (declared, target))


# ----------------------------------------------------------------- text
TOKENIZER = "keras.preprocessing.text.Tokenizer"


def _count(texts: Any) -> Any:
    """How many texts: a list's length or an array's first axis."""
    if isinstance(texts, (list, tuple)):
        return len(texts)
    if isinstance(texts, Array) and texts.shape and dims.is_int(texts.shape[0]):
        return texts.shape[0]
    if isinstance(texts, LibraryObject) and texts.type_name == WORD_ID_SEQUENCES:
        return texts.options["count"]
    return None


@handles_matching(_keras_name("Tokenizer"))
def tokenizer(_ctx: Context, call: LibraryCall) -> Any:
    """``Tokenizer(num_words=None, ...)`` (keras.preprocessing.text): the
    vocabulary comes from ``fit_on_texts``, so ``word_index`` is unknown."""
    options = dict(call.kwargs)
    if call.args:
        options.setdefault("num_words", call.args[0])
    return LibraryObject(TOKENIZER, options, {"word_index": UNKNOWN, "index_word": UNKNOWN,
                                              "word_counts": UNKNOWN, "document_count": UNKNOWN}, call.node)


@handles(f"{TOKENIZER}.fit_on_texts", f"{TOKENIZER}.fit_on_sequences")
def tokenizer_fit(_ctx: Context, call: LibraryCall) -> Any:
    """``tokenizer.fit_on_texts(texts)``: None."""
    return None


# What texts_to_sequences returns: a Python list of lists of word ids, one
# per text, of varying length.  As numpy data it has no shape the code
# shows (np.array of it is 2-D when the lengths happen to agree), so it is
# no Array: only pad_sequences reads it.
WORD_ID_SEQUENCES = f"{TOKENIZER}.word_id_sequences"


@handles(f"{TOKENIZER}.texts_to_sequences")
def texts_to_sequences(_ctx: Context, call: LibraryCall) -> Any:
    """``tokenizer.texts_to_sequences(texts)``: one list of word ids per
    text."""
    return LibraryObject(WORD_ID_SEQUENCES, {"count": _count(call.arg(0, "texts"))}, {}, call.node)


@handles(f"{TOKENIZER}.texts_to_matrix", f"{TOKENIZER}.sequences_to_matrix")
def texts_to_matrix(_ctx: Context, call: LibraryCall) -> Any:
    """``tokenizer.texts_to_matrix(texts, mode="binary")`` (and
    ``sequences_to_matrix``): (texts, num_words) floats; without
    ``num_words``, the fitted vocabulary's size + 1, unknown here."""
    words = call.receiver.options.get("num_words")
    return Array((_count(call.arg(0, "texts", "sequences")), words if dims.is_int(words) else None), "float")


@handles_matching(_keras_name("pad_sequences"))
def pad_sequences(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.utils.pad_sequences(sequences, maxlen=None, dtype="int32",
    ...)``: (len(sequences), maxlen), maxlen defaulting to the longest
    sequence.  Only sequences known to be of numbers are modelled (lists of
    vectors pad to 3-D)."""
    sequences, maxlen = call.arg(0, "sequences"), call.arg(1, "maxlen")
    dtype = dtype_of(call.arg(2, "dtype", default="int32"), None)
    if isinstance(sequences, (list, tuple)):
        lengths = [len(s) for s in sequences if isinstance(s, (list, tuple))]
        if len(lengths) != len(sequences) or _int_values(list(sequences)) is None:
            return DECLINE
        n, longest = len(sequences), (max(lengths) if lengths else 0)
    elif isinstance(sequences, LibraryObject) and sequences.type_name == WORD_ID_SEQUENCES:
        n, longest = sequences.options["count"], None
    elif isinstance(sequences, Array) and sequences.shape is not None and (
            len(sequences.shape) == 1 and sequences.dtype is None or len(sequences.shape) == 2):
        # keras.datasets.imdb/reuters: one list of word ids per review.
        n = sequences.shape[0]
        longest = sequences.shape[1] if len(sequences.shape) == 2 else None
    else:
        return DECLINE
    length = maxlen if dims.is_size(maxlen) else longest if maxlen is None else None
    return located(call, Array((n, length), dtype))
