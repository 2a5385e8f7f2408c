"""Run TensorFlow 1 graph programs under real TensorFlow (``tf.compat.v1``)
and record what TensorFlow computes.

    python tests/tf_graph_runner.py OUT.json PROGRAM.py...

Each program runs in this one process, in a graph of its own (so graph mode
holds whether or not it calls ``tf.disable_v2_behavior()``).

TensorFlow 1's layer functions (``tf.layers.dense`` ...) need Keras 2: with
``tf_keras`` installed they run as they are (``TF_USE_LEGACY_KERAS=1``);
without it (TensorFlow 2.16+ refuses them under Keras 3) each is replaced by
what it is documented to be, the Keras layer of that class applied to the
input -- here Keras 3's, called on a ``keras.Input`` of the input's static
shape, its output a placeholder of the shape Keras gives.  ``"layers"`` in
the record says which ran.  For each it
records every module-level name bound to a tensor or variable with its
static shape (a list, None for an unknown size; None for an unknown rank),
and whether running it raised, with the exception and the program line it
surfaced on.
"""
from __future__ import annotations

import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
try:
    import tf_keras  # noqa: F401  pylint: disable=unused-import

    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    LAYERS = "tf_keras"
except ImportError:
    LAYERS = "keras3"

_TF1_LAYERS = {
    "dense": "Dense", "conv1d": "Conv1D", "conv2d": "Conv2D", "conv2d_transpose": "Conv2DTranspose",
    "max_pooling1d": "MaxPooling1D", "max_pooling2d": "MaxPooling2D", "average_pooling2d": "AveragePooling2D",
    "flatten": "Flatten", "dropout": "Dropout", "batch_normalization": "BatchNormalization",
    "separable_conv2d": "SeparableConv2D",
}


class _Keras3Layers:
    """tf.layers' functions as Keras 3 layers (see the module docstring)."""

    def __init__(self, tf):
        self._tf = tf

    def __getattr__(self, name):
        import keras  # pylint: disable=import-outside-toplevel

        cls = getattr(keras.layers, _TF1_LAYERS[name])

        def apply(inputs, *args, **kwargs):
            for key in ("training", "reuse", "fused", "name"):
                kwargs.pop(key, None)
            layer = cls(*args, **kwargs)
            out = layer(keras.Input(batch_shape=tuple(inputs.shape.as_list())))
            return self._tf.placeholder(inputs.dtype, list(out.shape))

        return apply


def _static_shape(value):
    shape = value.shape
    if shape.rank is None:
        return None
    return shape.as_list()


def run(path: str, tf, tensor_types) -> dict:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    namespace = {"__name__": "__main__", "__file__": path}
    if LAYERS == "keras3":
        source = source.replace("tf.layers.", "_tf1_layers.")
        namespace["_tf1_layers"] = _Keras3Layers(tf)
    error = None
    with tf.Graph().as_default():
        try:
            exec(compile(source, path, "exec"), namespace)  # pylint: disable=exec-used
        except Exception as exc:  # pylint: disable=broad-except
            lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == path]
            error = {"type": type(exc).__name__, "message": str(exc).splitlines()[0] if str(exc) else "",
                     "detail": str(exc)[:2000], "line": lines[-1] if lines else None}
        shapes = {}
        for name, value in namespace.items():
            if isinstance(value, tensor_types):
                shapes[name] = _static_shape(value)
    return {"error": error, "shapes": shapes, "layers": LAYERS}


def main(argv) -> int:
    import tensorflow  # pylint: disable=import-outside-toplevel

    tf = tensorflow.compat.v1
    # TensorFlow 2's Variable is the base of v1's and of resource variables
    tensor_types = (tensorflow.Tensor, tensorflow.Variable, tf.Variable)
    out, paths = argv[0], argv[1:]
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({path: run(path, tf, tensor_types) for path in paths}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
