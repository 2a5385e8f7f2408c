"""Library models of Keras' own APIs against the real Keras:
``keras.activations.get`` and what ``model.predict`` returns."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")

from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.evaluator import Evaluator  # noqa: E402
from shapelint.frontend.library.keras_backend import activation_get  # noqa: E402
from shapelint.frontend.parsing import parse  # noqa: E402
from shapelint.frontend.values import Array  # noqa: E402


@pytest.mark.parametrize("identifier", ["relu", "sigmoid", "softmax", "tanh", "gelu", "linear", "swish", None])
def test_activations_get_names_the_function_keras_returns(identifier):
    ours = activation_get(None, LibraryCall("keras.activations.get", [identifier], {}, None))
    # the same function object (keras.activations.swish is silu)
    assert getattr(keras.activations, ours.qualname.rpartition(".")[2]) is keras.activations.get(identifier)


MODELS = {
    "dense": ("keras.Sequential([keras.Input((6,)), layers.Dense(3)])", (7, 6)),
    "conv": ("keras.Sequential([keras.Input((12, 12, 1)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()])",
             (5, 12, 12, 1)),
    "functional": ("keras.Model(i, layers.Dense(2)(i))", (3, 4, 5)),
    "flatten": ("keras.Sequential([keras.Input((3, 3, 2)), layers.Flatten()])", (2, 3, 3, 2)),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_predict_returns_one_row_per_sample_shaped_like_the_output(name):
    build, data = MODELS[name]
    source = (f"import numpy as np\nimport keras\nfrom keras import layers\ni = keras.Input((4, 5))\nmodel = {build}\n"
              f"preds = model.predict(np.zeros({data!r}))\n")
    evaluator = Evaluator(parse(source, "m.py"), "m.py")
    evaluator.run()
    ours = evaluator.module_env.vars["preds"]
    namespace: dict = {}
    real = source.replace(f"np.zeros({data!r}))", f"np.zeros({data!r}), verbose=0)")
    assert real != source
    exec(real, namespace)  # pylint: disable=exec-used
    assert isinstance(ours, Array)
    assert ours.shape == namespace["preds"].shape


def test_predict_of_an_output_with_a_dynamic_axis_leaves_that_axis_unknown():
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "model = keras.Sequential([keras.Input((None, 4)), layers.Dense(2)])\n"
              "preds = model.predict(np.zeros((3, 7, 4)))\n")
    evaluator = Evaluator(parse(source, "m.py"), "m.py")
    evaluator.run()
    ours = evaluator.module_env.vars["preds"]
    real = keras.Sequential([keras.Input((None, 4)), keras.layers.Dense(2)]).predict(np.zeros((3, 7, 4)), verbose=0)
    # shapelint does not claim the length the data gives the dynamic axis
    assert ours.shape == (3, None, 2) and real.shape == (3, 7, 2)


SHAPES = """\
import keras
from keras import layers

i = keras.Input((28, 40, 3))
o1 = layers.Conv2D(4, 3)(i)
o2 = layers.Conv2D(4, 5)(i)
s1 = keras.Model(i, o1).output_shape
s2 = keras.Model(i, [o1, o2]).output_shape
s3 = keras.Model([i], o2).input_shape
seq = keras.Sequential([keras.Input((5,)), layers.Dense(3)])
s4 = (seq.input_shape, seq.output_shape)
"""


def test_model_input_and_output_shape_are_keras_s():
    evaluator = Evaluator(parse(SHAPES, "m.py"), "m.py")
    evaluator.run()
    namespace: dict = {}
    exec(SHAPES, namespace)  # pylint: disable=exec-used
    for name in ("s1", "s2", "s3", "s4"):
        theirs = namespace[name]
        ours = evaluator.module_env.vars[name]
        assert ours == (list(theirs) if isinstance(theirs, list) else theirs), name
