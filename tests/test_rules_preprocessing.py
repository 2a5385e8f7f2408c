"""Property tests: the lookup and encoding preprocessing rules
(shapelint/shapes/rules/preprocessing.py -- StringLookup, IntegerLookup,
TextVectorization, Hashing, CategoryEncoding, Discretization, HashedCrossing)
agree with Keras 3.

Each test draws a layer configuration and input shapes, calls the layer in
Keras on symbolic ``KerasTensor``s and checks (tests/layer_checks.py) that
shapelint's ``infer`` gives the same output shape(s) -- ``None`` exactly where
Keras has ``None`` -- and parameter count, or that both refuse.  The
generators only build layers Keras' constructors accept (a constructor error
is no shape finding).

The augmentation layers and Resizing/CenterCrop/RandomCrop of the same module
have no property test here.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import call_on, check, check_signature, examples, keras_result, kt
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig
from shapelint.unknown import UNKNOWN

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
SETTINGS = examples(60)

# Inputs of rank 0 to 3: the batch axis, then small or unknown sizes.
dims_ = st.sampled_from([None, None, 1, 1, 2, 3, 4])
batch = st.sampled_from([None, None, 2])


@st.composite
def any_shape(draw, max_rank=3):
    rank = draw(st.integers(0, max_rank))
    if rank == 0:
        return ()
    return (draw(batch),) + tuple(draw(dims_) for _ in range(rank - 1))


# --- StringLookup / IntegerLookup ------------------------------------------------

MODES = ["int", "one_hot", "multi_hot", "count", "tf_idf"]


@st.composite
def lookup_config(draw):
    cls = draw(st.sampled_from(["StringLookup", "IntegerLookup"]))
    string = cls == "StringLookup"
    mode = draw(st.sampled_from(MODES + ["binary"]))
    args = {"output_mode": mode}
    num_oov = draw(st.sampled_from([None, 0, 1, 2]))
    if num_oov is not None:
        args["num_oov_indices"] = num_oov
    if mode == "int" and draw(st.booleans()):
        args["invert"] = True
    elif draw(st.booleans()):
        args["mask_token"] = "" if string else 0
    oov = "[UNK]" if string else -1
    if draw(st.booleans()):
        tokens = ["a", "b", "c", "d"] if string else [1, 2, 3, 4]
        vocab = tokens[: draw(st.integers(1, 4))]
        if draw(st.booleans()):
            # Leading special tokens, as get_vocabulary() returns them (the
            # mask only counts in "int" mode).
            mask = [args["mask_token"]] if "mask_token" in args and mode == "int" else []
            vocab = mask + [oov] * (1 if num_oov is None else num_oov) + vocab
        args["vocabulary"] = vocab
        if mode == "tf_idf":
            args["idf_weights"] = [1.0] * len(vocab)
    if draw(st.booleans()):
        args["max_tokens"] = draw(st.integers(8, 12))
        if draw(st.booleans()):
            args["pad_to_max_tokens"] = True
    return cls, args


@SETTINGS
@given(lookup_config(), any_shape())
def test_index_lookup(conf, shape):
    cls, args = conf
    dtype = "string" if cls == "StringLookup" else "int64"
    if args.get("invert"):
        dtype = "int64"
    check(LayerConfig(cls, args), [shape], call_on(cls, args, shape, dtype))


def test_index_lookup_examples(keras):
    cfg = LayerConfig("StringLookup", {"vocabulary": ["a", "b"], "output_mode": "one_hot"})
    assert infer(cfg, [(None, 1)]).shapes == [(None, 3)]
    layer = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")
    assert tuple(layer(keras.Input((1,), dtype="string")).shape) == (None, 3)
    # Before adapt() Keras itself reports the depth as None.
    cfg = LayerConfig("StringLookup", {"output_mode": "multi_hot"})
    assert infer(cfg, [(None, 4)]).shapes == [(None, None)]
    # An unevaluable vocabulary leaves its dims unknown; a file is data
    # shapelint cannot see (Keras would know its size): the output is unknown.
    assert infer(LayerConfig("StringLookup", {"vocabulary": UNKNOWN, "output_mode": "count"}),
                 [(None, 4)]).shapes == [(None, None)]
    assert infer(LayerConfig("StringLookup", {"vocabulary": "vocab.txt", "output_mode": "count"}),
                 [(None, 4)]).shapes == [None]
    cfg = LayerConfig("IntegerLookup", {"vocabulary": "vocab.txt"})
    assert infer(cfg, [(None, 4)]).shapes == [(None, 4)]


# --- TextVectorization -------------------------------------------------------------


@st.composite
def text_config(draw):
    mode = draw(st.sampled_from(MODES))
    args = {"output_mode": mode}
    if draw(st.booleans()):
        args["split"] = draw(st.sampled_from([None, "whitespace", "character"]))
    if draw(st.booleans()):
        vocab = ["a", "b", "c"][: draw(st.integers(1, 3))]
        if draw(st.booleans()):
            vocab = ["[UNK]"] + vocab
        args["vocabulary"] = vocab
        if mode == "tf_idf":
            args["idf_weights"] = [1.0] * len(vocab)
    if draw(st.booleans()):
        args["max_tokens"] = draw(st.integers(6, 9))
        if draw(st.booleans()):
            args["pad_to_max_tokens"] = True
    if mode == "int" and draw(st.booleans()):
        args["output_sequence_length"] = draw(st.integers(1, 9))
    return args


def _traced_on_one_string(args):
    """A ``build`` for one string (rank 0): keras.Input always has a batch
    axis, so a 0-D string is a dataset element or a constant, and the layer
    runs its call() on it, traced as ``dataset.map`` traces it."""

    def build():
        import tensorflow as tf  # pylint: disable=import-outside-toplevel

        layer = getattr(__import__("keras").layers, "TextVectorization")(**args)
        traced = tf.function(layer).get_concrete_function(tf.TensorSpec((), tf.string))
        return layer, traced.structured_outputs

    return build


@SETTINGS
@given(text_config(), any_shape())
def test_text_vectorization(args, shape):
    build = _traced_on_one_string(args) if shape == () and args["output_mode"] == "int" else call_on(
        "TextVectorization", args, shape, "string")
    check(LayerConfig("TextVectorization", args), [shape], build)


@pytest.mark.parametrize("args", [{"vocabulary": ["a", "b"]}, {"output_sequence_length": 5},
                                  {"split": None, "vocabulary": ["a"]},
                                  {"split": None, "output_sequence_length": 1}])  # Keras raises
def test_text_vectorization_of_one_string(args):
    """``dataset.map(text_vectorization)`` over unbatched strings (Deep
    Learning with Python's CBOW data): Keras takes them; no finding, the
    shape TensorFlow traces."""
    check(LayerConfig("TextVectorization", args), [()], _traced_on_one_string(args))


def test_text_vectorization_examples(keras):
    cfg = LayerConfig("TextVectorization", {})
    assert infer(cfg, [(None, 1)]).shapes == [(None, None)]
    assert infer(cfg, [(None,)]).shapes == [(None, None)]
    cfg = LayerConfig("TextVectorization", {"output_sequence_length": 20})
    assert infer(cfg, [(None, 1)]).shapes == [(None, 20)]
    cfg = LayerConfig("TextVectorization", {"output_mode": "multi_hot", "vocabulary": ["a", "b"]})
    # Keras' compute_output_shape keeps the (batch, 1) axis of the strings.
    assert infer(cfg, [(None, 1)]).shapes == [(None, 1, 3)]
    layer = keras.layers.TextVectorization(output_mode="multi_hot", vocabulary=["a", "b"])
    assert tuple(layer(keras.Input((1,), dtype="string")).shape) == (None, 1, 3)
    assert infer(LayerConfig("TextVectorization", {"output_mode": "count", "split": UNKNOWN}),
                 [(None, 1)]).shapes == [None]


# --- Hashing / CategoryEncoding / Discretization / HashedCrossing ------------------


@SETTINGS
@given(st.sampled_from(["int", "one_hot", "multi_hot", "count"]), st.integers(1, 6), any_shape())
def test_hashing(mode, num_bins, shape):
    args = {"num_bins": num_bins, "output_mode": mode}
    check(LayerConfig("Hashing", args), [shape], call_on("Hashing", args, shape, "string"))


@SETTINGS
@given(st.sampled_from([None, "one_hot", "multi_hot", "count", "binary"]), st.integers(1, 6),
       any_shape())
def test_category_encoding(mode, num_tokens, shape):
    args = {"num_tokens": num_tokens}
    if mode is not None:
        args["output_mode"] = mode
    check(LayerConfig("CategoryEncoding", args), [shape],
          call_on("CategoryEncoding", args, shape, "int32"))


@SETTINGS
@given(
    st.sampled_from(["int", "one_hot", "multi_hot", "count"]),
    st.one_of(st.integers(0, 5).map(lambda n: {"num_bins": n}),
              st.lists(st.floats(-1, 1), min_size=0, max_size=4, unique=True)
              .map(lambda b: {"bin_boundaries": sorted(b)})),
    any_shape(),
)
def test_discretization(mode, depth_args, shape):
    args = dict(depth_args, output_mode=mode)
    check(LayerConfig("Discretization", args), [shape], call_on("Discretization", args, shape))


@SETTINGS
@given(
    st.sampled_from(["int", "one_hot"]),
    st.integers(1, 6),
    any_shape(),
    st.sampled_from(["same", "same", "other", "third"]),
)
def test_hashed_crossing(keras, mode, num_bins, shape, variant):
    shapes = [shape, shape]
    if variant == "other" and shape:
        shapes[1] = tuple(shape[:-1]) + (1 if shape[-1] is None else None,)
    elif variant == "third":
        shapes.append(shape)
    args = {"num_bins": num_bins, "output_mode": mode}

    def build():
        layer = keras.layers.HashedCrossing(**args)
        return layer, layer([kt(s, "string") for s in shapes])

    cfg = LayerConfig("HashedCrossing", args)
    if variant == "other" and shape:
        # None against a size: Keras refuses; shapelint's None may just mean
        # "not known here", so it leaves the output unknown instead.
        assert isinstance(keras_result(build), Exception)
        assert infer(cfg, shapes).shapes == [None]
        return
    check(cfg, shapes, build)


# --- registration ------------------------------------------------------------------

LAYERS = [
    "StringLookup", "IntegerLookup", "TextVectorization", "Hashing", "CategoryEncoding",
    "Discretization", "HashedCrossing",
]


@pytest.mark.parametrize("name", LAYERS)
def test_signatures_follow_keras_positional_order(keras, name):
    check_signature(keras, name)


# --- RandomWidth / RandomHeight: tf.keras only in Keras 3 --------------------------

LEGACY_PROGRAM = (
    "import tensorflow as tf\n"
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "aug = keras.Sequential([layers.RandomFlip('horizontal'), layers.RandomWidth(0.2), layers.RandomHeight(0.2)])\n"
    "y = aug(keras.Input((32, 32, 3)))\n"
    "z = tf.keras.layers.RandomWidth(0.1, 'nearest')(keras.Input((8, 9, 3)))\n"
    "h = layers.RandomHeight((-0.2, 0.3))(keras.Input((8, 9, 3)))\n"
    "r = layers.ThresholdedReLU(0.5)(keras.Input((8,)))\n"
)


def test_legacy_random_width_height_agree_with_tf_keras():
    """``tf.keras.layers.RandomWidth``/``RandomHeight`` (Keras 3's legacy
    layers): shapelint's rows are the shapes Keras gives, each exact."""
    import keras  # pylint: disable=import-outside-toplevel
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    ours = {(r.line, r.layer): (r.output_shape, r.exact) for r in analyze_source(LEGACY_PROGRAM).layers}
    namespace: dict = {}
    exec(compile(LEGACY_PROGRAM, "<legacy>", "exec"), namespace)  # noqa: S102
    aug = namespace["aug"]
    truth = {(4, "RandomWidth"): aug.layers[1].output.shape, (4, "RandomHeight"): aug.layers[2].output.shape,
             (6, "RandomWidth"): namespace["z"].shape, (7, "RandomHeight"): namespace["h"].shape,
             (8, "ThresholdedReLU"): namespace["r"].shape}
    assert isinstance(namespace["z"], keras.KerasTensor)
    for key, shape in truth.items():
        assert ours[key] == (tuple(shape), True), key


def test_legacy_layers_spelled_through_keras_are_not_claimed():
    """``import keras``: Keras 3's ``keras.layers`` has no RandomWidth,
    RandomHeight or ThresholdedReLU (AttributeError), so shapelint claims no
    shape for them; under ``keras_version=2`` they are Keras 2's layers."""
    import keras  # pylint: disable=import-outside-toplevel
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel
    from shapelint.options import AnalysisOptions  # pylint: disable=import-outside-toplevel

    for name in ("RandomWidth", "RandomHeight", "ThresholdedReLU"):
        assert not hasattr(keras.layers, name)
    source = (
        "import keras\n"
        "from keras import layers\n"
        "a = keras.layers.RandomWidth(0.2)(keras.Input((8, 9, 3)))\n"
        "b = layers.RandomHeight(0.2)(keras.Input((8, 9, 3)))\n"
        "c = layers.ThresholdedReLU()(keras.Input((8,)))\n"
        "d = layers.Dense(2)(c)\n"
    )
    assert all(r.output_shape is None or not r.exact for r in analyze_source(source).layers)
    rows = analyze_source(source, options=AnalysisOptions(keras_version=2)).layers
    assert {r.layer for r in rows if r.exact} >= {"RandomWidth", "RandomHeight", "ThresholdedReLU"}
