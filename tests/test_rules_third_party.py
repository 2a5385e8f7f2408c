"""The third-party layer rules (shapelint/shapes/rules/third_party.py)
against the packages themselves.

* KerasHub (KerasNLP) and KerasCV import with Keras 3: every case builds the
  layer and calls it on symbolic ``KerasTensor``s; shapelint must give the
  same output shape, or no shape at all (unknown is a valid answer; a wrong
  shape is not).  The cases shapelint deliberately leaves unknown (a
  sequence longer than a position embedding, which Keras accepts
  symbolically and which fails when run) are listed as such.
* TensorFlow Hub's ``KerasLayer`` runs with tf_keras: a SavedModel made here
  (no download) is loaded and called on a ``tf_keras.Input``.
* TensorFlow Addons 0.23 does not import with Keras 3 / TF 2.21 (it needs
  ``keras.src.engine``), and keras-contrib is Keras 2 only: their cases are
  checked against the formula each package documents (its
  ``compute_output_shape``, transcribed in ``_addons_formula``), and the
  addons constructor signatures against its source file when it is present.

Each package is imported only when present (pytest.importorskip): put it on
PYTHONPATH (``pip install --no-deps --target DIR keras-hub keras-cv
tensorflow-hub tf-keras``) to run the oracle cases.
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import os
import warnings

import pytest

from shapelint.engine import analyze_source
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, lookup
from shapelint.shapes.rules.third_party import HUB_KERAS_LAYER, KCV, KHUB, TFA, THIRD_PARTY_POSITIONAL


def _positional(cls) -> tuple:
    names = []
    for param in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if param.kind is not param.POSITIONAL_OR_KEYWORD:
            break
        names.append(param.name)
    return tuple(names)


def _module_for(name):
    package = name.split(".")[0]
    if name == HUB_KERAS_LAYER:
        return pytest.importorskip("tensorflow_hub"), "KerasLayer"
    if package in ("keras_hub", "keras_cv"):
        pytest.importorskip("keras")
        return pytest.importorskip(f"{package}.layers"), name.rsplit(".", 1)[1]
    return None, None


# --- constructor signatures ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in THIRD_PARTY_POSITIONAL if not n.startswith(
    ("tensorflow_addons", "keras_contrib"))))
def test_signature_is_the_installed_package_s(name):
    module, cls_name = _module_for(name)
    assert THIRD_PARTY_POSITIONAL[name] == _positional(getattr(module, cls_name))
    assert lookup(name).signature == THIRD_PARTY_POSITIONAL[name]


def _addons_source_classes():
    """class name -> positional parameters of ``__init__``, read from the
    addons source (it does not import with Keras 3)."""
    spec = importlib.util.find_spec("tensorflow_addons")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("tensorflow_addons not installed")
    root = os.path.join(list(spec.submodule_search_locations)[0], "layers")
    found = {}
    for fname in os.listdir(root):
        if not fname.endswith(".py"):
            continue
        with open(os.path.join(root, fname), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for cls in tree.body:
            if isinstance(cls, ast.ClassDef):
                for item in cls.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        found[cls.name] = tuple(a.arg for a in item.args.args[1:])
    return found


@pytest.mark.parametrize("name", sorted(n for n in THIRD_PARTY_POSITIONAL if n.startswith("tensorflow_addons")))
def test_addons_signature_is_its_source_s(name):
    assert THIRD_PARTY_POSITIONAL[name] == _addons_source_classes()[name.rsplit(".", 1)[1]]


# --- KerasHub / KerasCV on symbolic tensors --------------------------------------------------

# (class, constructor kwargs, input shapes[, dtype]) -- called as layer(*inputs),
# or layer([inputs]) for StochasticDepth.
ORACLE_CASES = [
    (KHUB + "TransformerEncoder", {"intermediate_dim": 32, "num_heads": 2}, [(None, 10, 16)]),
    (KHUB + "TransformerEncoder", {"intermediate_dim": 8, "num_heads": 4}, [(3, 7, 12)]),
    (KHUB + "TransformerEncoder", {"intermediate_dim": 8, "num_heads": 2}, [(None, 3, 10, 16)]),
    (KHUB + "TransformerDecoder", {"intermediate_dim": 32, "num_heads": 2}, [(None, 10, 16)]),
    (KHUB + "TransformerDecoder", {"intermediate_dim": 32, "num_heads": 2}, [(None, 10, 16), (None, 7, 16)]),
    (KHUB + "TransformerDecoder", {"intermediate_dim": 16, "num_heads": 2}, [(None, None, 8), (None, 5, 8)]),
    (KHUB + "FNetEncoder", {"intermediate_dim": 32}, [(None, 10, 16)]),
    (KHUB + "TokenAndPositionEmbedding", {"vocabulary_size": 100, "sequence_length": 10, "embedding_dim": 8},
     [(None, 10)], "int32"),
    (KHUB + "TokenAndPositionEmbedding", {"vocabulary_size": 100, "sequence_length": 10, "embedding_dim": 8},
     [(None, 6)], "int32"),
    (KHUB + "TokenAndPositionEmbedding", {"vocabulary_size": 50, "sequence_length": 4, "embedding_dim": 3},
     [(None, None)], "int32"),
    (KHUB + "TokenAndPositionEmbedding", {"vocabulary_size": 100, "sequence_length": 10, "embedding_dim": 8},
     [(None, 12)], "int32"),  # longer than sequence_length: shapelint says unknown
    (KHUB + "PositionEmbedding", {"sequence_length": 10}, [(None, 10, 16)]),
    (KHUB + "PositionEmbedding", {"sequence_length": 10}, [(2, 6, 4)]),
    (KHUB + "SinePositionEncoding", {}, [(None, 10, 16)]),
    (KHUB + "RotaryEmbedding", {}, [(None, 10, 4, 16)]),
    (KHUB + "ReversibleEmbedding", {"input_dim": 100, "output_dim": 8}, [(None, 10)], "int32"),
    (KHUB + "ReversibleEmbedding", {"input_dim": 100, "output_dim": 4}, [(2, 3, 5)], "int32"),
    (KCV + "DropPath", {"rate": 0.1}, [(None, 8, 8, 3)]),
    (KCV + "DropPath", {"rate": 0.5}, [(None, 5, 7)]),
    (KCV + "StochasticDepth", {"rate": 0.1}, [(None, 8, 8, 3), (None, 8, 8, 3)]),
    (KCV + "SqueezeAndExcite2D", {"filters": 16}, [(None, 8, 8, 16)]),
    (KCV + "SqueezeAndExcite2D", {"filters": 16, "bottleneck_filters": 4}, [(None, None, None, 16)]),
    (KCV + "RandomFlip", {}, [(None, 8, 8, 3)]),
    (KCV + "RandAugment", {"value_range": (0, 255)}, [(None, 8, 8, 3)]),
    (KCV + "RandomCropAndResize", {"target_size": (4, 5), "crop_area_factor": (0.5, 1.0),
                                   "aspect_ratio_factor": (0.8, 1.2)}, [(None, 8, 8, 3)]),
]


def _keras_output(name, kwargs, shapes, dtype):
    keras = pytest.importorskip("keras")
    module, cls_name = _module_for(name)
    layer = getattr(module, cls_name)(**kwargs)
    tensors = [keras.KerasTensor(s, dtype=dtype) for s in shapes]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == KCV + "StochasticDepth":
            out = layer(tensors)
        else:
            out = layer(*tensors)
    return [tuple(t.shape) for t in keras.tree.flatten(out)]


@pytest.mark.parametrize("case", ORACLE_CASES, ids=lambda c: f"{c[0].rsplit('.', 1)[1]}-{c[2]}")
def test_rule_agrees_with_the_package_on_symbolic_tensors(case):
    name, kwargs, shapes = case[:3]
    dtype = case[3] if len(case) > 3 else "float32"
    expected = _keras_output(name, kwargs, shapes, dtype)
    out = infer(LayerConfig(name, dict(kwargs)), list(shapes))
    if out.shape is None:
        # unknown is a valid answer only where the rule means it (see above)
        assert name == KHUB + "TokenAndPositionEmbedding" and shapes[0][1] > kwargs["sequence_length"], (
            f"{name}{kwargs} on {shapes}: shapelint unknown, the package gives {expected}")
        return
    assert list(out.shapes) == expected, f"{name}{kwargs} on {shapes}"


def test_squeeze_and_excite_with_other_filters_is_refused_by_the_package_and_unknown_here():
    with pytest.raises(Exception):
        _keras_output(KCV + "SqueezeAndExcite2D", {"filters": 8}, [(None, 8, 8, 16)], "float32")
    assert infer(LayerConfig(KCV + "SqueezeAndExcite2D", {"filters": 8}), [(None, 8, 8, 16)]).shape is None


# --- TensorFlow Hub: a SavedModel made here, loaded with tf_keras ------------------------------


def test_hub_keras_layer_takes_output_shape_at_its_word(tmp_path):
    tf = pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")
    hub = pytest.importorskip("tensorflow_hub")

    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
        def __call__(self, x):
            return tf.concat([x, x, x[:, :1]], axis=1)  # (batch, 9)

    tf.saved_model.save(Doubler(), str(tmp_path))
    for declared in ([9], (9,)):
        real = hub.KerasLayer(str(tmp_path), output_shape=declared)(tf_keras.Input((4,)))
        out = infer(LayerConfig(HUB_KERAS_LAYER, {"handle": str(tmp_path), "output_shape": declared}),
                    [(None, 4)])
        assert list(out.shapes) == [tuple(real.shape)]
    # without output_shape the model behind the handle decides: unknown
    assert infer(LayerConfig(HUB_KERAS_LAYER, {"handle": str(tmp_path)}), [(None, 4)]).shape is None


# --- TensorFlow Addons / keras-contrib: the documented formulas --------------------------------


def _addons_formula(name, args, shape):
    """The output shape addons' compute_output_shape documents (None where
    its build/call refuses the input), written from the package's docs."""
    cls = name.rsplit(".", 1)[1]
    if cls.startswith("Adaptive"):
        n = int(cls[-2])
        size = args["output_size"]
        size = (size,) * n if isinstance(size, int) else tuple(size)
        last = args.get("data_format", "channels_last") in (None, "channels_last")
        spatial = shape[1:-1] if last else shape[2:]
        if any(d is None or d % s for d, s in zip(spatial, size)):
            return None  # tf.split cannot split the axis into equal bins
        return (shape[0],) + size + (shape[-1],) if last else (shape[0], shape[1]) + size
    if cls == "Maxout":
        axis = args.get("axis", -1) % len(shape)
        if shape[axis] is None or shape[axis] % args["num_units"]:
            return None
        return shape[:axis] + (args["num_units"],) + shape[axis + 1:]
    if cls in ("GroupNormalization", "InstanceNormalization"):
        channels = shape[args.get("axis", -1)]
        groups = channels if cls == "InstanceNormalization" else args.get("groups", 32)
        if channels is None or channels < groups or channels % groups:
            return None
        return shape
    if cls == "FilterResponseNormalization":
        return shape if len(shape) == 4 and None not in shape[1:] else None
    return shape  # GELU, Sparsemax, TLU: element-wise


ADDONS_CASES = [
    (TFA + "InstanceNormalization", {}, (None, 32, 32, 16)),
    (TFA + "InstanceNormalization", {"axis": 1}, (None, 3, 8, 8)),
    (TFA + "InstanceNormalization", {}, (None, 8, 8, None)),
    (TFA + "GroupNormalization", {"groups": 4}, (None, 8, 8, 16)),
    (TFA + "GroupNormalization", {"groups": 5}, (None, 8, 8, 16)),
    (TFA + "GroupNormalization", {}, (None, 10, 16)),
    (TFA + "FilterResponseNormalization", {}, (None, 8, 8, 3)),
    (TFA + "FilterResponseNormalization", {}, (None, 8, 3)),
    (TFA + "GELU", {}, (None, 7, 3)),
    (TFA + "Sparsemax", {}, (None, 10)),
    (TFA + "TLU", {}, (None, 4, 4, 2)),
    (TFA + "Maxout", {"num_units": 4}, (None, 5, 5, 8)),
    (TFA + "Maxout", {"num_units": 3}, (None, 5, 5, 8)),
    (TFA + "Maxout", {"num_units": 2, "axis": 1}, (None, 6, 5)),
    (TFA + "AdaptiveAveragePooling2D", {"output_size": (5, 5)}, (None, 30, 30, 8)),
    (TFA + "AdaptiveAveragePooling2D", {"output_size": 4}, (None, 30, 32, 8)),
    (TFA + "AdaptiveMaxPooling2D", {"output_size": (2, 3), "data_format": "channels_first"}, (None, 8, 4, 6)),
    (TFA + "AdaptiveMaxPooling1D", {"output_size": 5}, (None, 20, 3)),
    (TFA + "AdaptiveAveragePooling3D", {"output_size": (1, 2, 2)}, (None, 4, 4, 4, 2)),
    (TFA + "AdaptiveAveragePooling2D", {"output_size": (5, 5)}, (None, None, 30, 8)),
]


@pytest.mark.parametrize("case", ADDONS_CASES, ids=lambda c: f"{c[0].rsplit('.', 1)[1]}-{c[2]}")
def test_addons_rule_is_its_documented_formula(case):
    name, args, shape = case
    out = infer(LayerConfig(name, dict(args)), [shape])
    assert out.shape == _addons_formula(name, args, shape)


def test_addons_wrappers_give_the_wrapped_layer_s_output():
    conv = LayerConfig("Conv2D", {"filters": 8, "kernel_size": 3})
    for wrapper in ("WeightNormalization", "SpectralNormalization"):
        out = infer(LayerConfig(TFA + wrapper, {"layer": conv}), [(None, 32, 32, 16)])
        assert out.shape == infer(conv, [(None, 32, 32, 16)]).shape == (None, 30, 30, 8)
        assert infer(LayerConfig(TFA + wrapper, {}), [(None, 32, 32, 16)]).shape is None


def test_keras_contrib_instance_normalization_keeps_the_shape():
    out = infer(LayerConfig("keras_contrib.layers.InstanceNormalization", {"axis": -1}), [(None, 9, 9, 3)])
    assert out.shape == (None, 9, 9, 3)


# --- the front end maps imported names to these rules -----------------------------------------

PROGRAM = """
import keras
import tensorflow_addons as tfa
import keras_nlp
import tensorflow_hub as hub
from keras_cv.layers import DropPath
from tensorflow_addons import layers as addon_layers
from tensorflow_addons.layers.normalizations import GroupNormalization
from keras_hub.layers import TransformerEncoder

inp = keras.Input((32, 32, 16))
x = tfa.layers.InstanceNormalization()(inp)
x = GroupNormalization(groups=4)(x)
x = addon_layers.WeightNormalization(keras.layers.Conv2D(8, 3))(x)
x = DropPath(0.1)(x)
x = keras.layers.GroupNormalization(groups=2)(x)
t = keras.Input((20,), dtype="int32")
e = keras_nlp.layers.TokenAndPositionEmbedding(100, 20, 32)(t)
e = TransformerEncoder(64, 4)(e)
s = keras.Input((), dtype="string")
h = hub.KerasLayer("https://tfhub.dev/some/model", output_shape=[512])(s)
u = hub.KerasLayer("https://tfhub.dev/some/model")(s)
w = tfa.layers.SomethingNew()(inp)
"""


def test_front_end_resolves_third_party_classes():
    result = analyze_source(PROGRAM)
    assert not result.findings
    got = [(c.config.class_name, c.output_shape) for c in result.graph.calls if c.kind == "layer"]
    assert got == [
        (TFA + "InstanceNormalization", (None, 32, 32, 16)),
        (TFA + "GroupNormalization", (None, 32, 32, 16)),
        (TFA + "WeightNormalization", (None, 30, 30, 8)),  # its Conv2D is not applied on its own
        (KCV + "DropPath", (None, 30, 30, 8)),
        ("GroupNormalization", (None, 30, 30, 8)),  # Keras' own, not addons'
        (KHUB + "TokenAndPositionEmbedding", (None, 20, 32)),
        (KHUB + "TransformerEncoder", (None, 20, 32)),
        (HUB_KERAS_LAYER, (None, 512)),
        (HUB_KERAS_LAYER, None),
    ]  # tfa.layers.SomethingNew has no rule: not a layer shapelint claims anything about
