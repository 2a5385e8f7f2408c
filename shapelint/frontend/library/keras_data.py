"""Keras' data helpers: ``to_categorical``, the well-known datasets of
``keras.datasets``, and TensorFlow tensors made of data the code shows
(``tf.constant(x_train)``)."""
from __future__ import annotations

from typing import Any, Dict

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_data import from_literal, located
from shapelint.frontend.library.registry import DECLINE, handles_matching
from shapelint.frontend.values import Array
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
    "reuters": (((8982,), None, None), ((8982,), "int", 46),
                ((2246,), None, None), ((2246,), "int", 46)),
    "boston_housing": (((404, 13), "float", None), ((404,), "float", None),
                       ((102, 13), "float", None), ((102,), "float", None)),
}


def to_categorical_array(labels: Any, num_classes: Any) -> Any:
    """``keras.utils.to_categorical``: (n,) or (n, 1) -> (n, num_classes),
    float; without ``num_classes``, the labels' class count."""
    if not isinstance(labels, Array) or labels.shape is None:
        return UNKNOWN
    shape = list(labels.shape)
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    classes = num_classes if dims.is_int(num_classes) else labels.classes
    return Array(tuple(shape) + (classes,), "float", classes, True)


# Every spelling: keras.utils.to_categorical, keras.utils.np_utils.to_categorical,
# tf.keras.utils... (normalised to keras.), and any tensorflow.* path.
@handles_matching(lambda qualname: qualname.endswith(".to_categorical")
                  and qualname.startswith(("keras.", "tensorflow.")))
def to_categorical(_ctx: Context, call: LibraryCall) -> Any:
    """``to_categorical(y, num_classes=None)``."""
    labels = call.args[0] if call.args else call.kwargs.get("y")
    num_classes = call.kwargs.get("num_classes", call.args[1] if len(call.args) > 1 else None)
    return located(call, to_categorical_array(labels, num_classes))


def _is_load_data(qualname: str) -> bool:
    parts = qualname.split(".")
    return len(parts) >= 4 and parts[0] == "keras" and parts[1] == "datasets" and parts[-1] == "load_data"


@handles_matching(_is_load_data)
def load_data(_ctx: Context, call: LibraryCall) -> Any:
    """``keras.datasets.<name>.load_data()``: ((x_train, y_train), (x_test,
    y_test)) with the shapes Keras documents."""
    spec = DATASETS.get(call.qualname.split(".")[2])
    if spec is None:
        return DECLINE
    arrays = [Array(s, d, c) for s, d, c in spec]
    return ((arrays[0], arrays[1]), (arrays[2], arrays[3]))


@handles_matching(lambda qualname: qualname.startswith("tensorflow.")
                  and qualname.rpartition(".")[2] in ("constant", "convert_to_tensor"))
def constant(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.constant(x_train)`` / ``tf.convert_to_tensor``: the array itself;
    ``tf.constant([[1, 2], [3, 4]])``: the literal's shape (numpy's rules).
    A Keras tensor argument is the tensor-op family's."""
    if call.args and isinstance(call.args[0], Array):
        return located(call, call.args[0])
    return located(call, from_literal(call.args[0], call.kwargs.get("dtype")) if call.args else UNKNOWN)
