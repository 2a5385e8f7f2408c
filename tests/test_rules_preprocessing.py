"""Property tests: shapelint's lookup/encoding preprocessing rules,
RNN(cell), ConvLSTM1D/2D/3D and SpectralNormalization against real Keras 3.

Each test draws a layer configuration and input shapes, calls the layer in
Keras on symbolic ``KerasTensor``s and checks that shapelint's ``infer`` gives
the same output shape(s) -- ``None`` exactly where Keras has ``None`` -- and
parameter count, or that both refuse.  The generators only build layers Keras'
constructors accept (a constructor error is no shape finding), and keep
``None`` out of the axes Keras needs to create a kernel (shapelint's ``None``
may mean "not known here" and is not reported there).
"""
from __future__ import annotations

import inspect
import warnings

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from conftest import lazy_keras
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import UNKNOWN, LayerConfig, ShapeError, lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# --- helpers -----------------------------------------------------------------


def _keras(build):
    """(shapes, params) or the exception Keras raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer, result = build()
        except Exception as exc:  # pylint: disable=broad-except
            return exc
    return [tuple(t.shape) for t in lazy_keras().tree.flatten(result)], layer.count_params()


def _kt(shape, dtype="float32"):
    return lazy_keras().KerasTensor(tuple(shape), dtype=dtype)


def check(cfg, input_shapes, build):
    keras_res = _keras(build)
    try:
        ours = infer(cfg, input_shapes)
    except ShapeError as exc:
        ours = exc
    where = f"{cfg.class_name}{cfg.args} on {input_shapes}"
    if currently_in_test_context():
        event("both refuse" if isinstance(keras_res, Exception) else "both accept")
    if isinstance(keras_res, Exception):
        assert isinstance(ours, ShapeError), (
            f"{where}: Keras raises {type(keras_res).__name__}: {keras_res}, "
            f"shapelint gives {ours}"
        )
        return
    if isinstance(ours, ShapeError) and "raises at the first fit/predict" in ours.message:
        # A run-time refusal: Keras builds the layer, so run it on real data.
        layer, _ = build()
        import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
        concrete = [np.zeros([2 if d is None else d for d in s], "float32") for s in input_shapes]
        with pytest.raises(Exception):
            layer(*concrete)
        return
    assert not isinstance(ours, ShapeError), (
        f"{where}: shapelint raises {ours.kind}: {ours.message}; Keras gives {keras_res}"
    )
    k_shapes, k_params = keras_res
    assert list(ours.shapes) == k_shapes, f"{where}: shapes {ours.shapes} != Keras {k_shapes}"
    assert ours.params == k_params, f"{where}: params {ours.params} != Keras {k_params}"


def call_on(cls, args, shape, dtype="float32", wrap=None):
    """A ``build`` for ``check``: ``cls(**args)`` called on ``shape``."""

    def build():
        layer = getattr(lazy_keras().layers, cls)(**args)
        if wrap is not None:
            layer = wrap(layer)
        return layer, layer(_kt(shape, dtype))

    return build


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


@SETTINGS
@given(text_config(), any_shape())
def test_text_vectorization(args, shape):
    check(LayerConfig("TextVectorization", args), [shape],
          call_on("TextVectorization", args, shape, "string"))


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
        return layer, layer([_kt(s, "string") for s in shapes])

    cfg = LayerConfig("HashedCrossing", args)
    if variant == "other" and shape:
        # None against a size: Keras refuses; shapelint's None may just mean
        # "not known here", so it leaves the output unknown instead.
        assert isinstance(_keras(build), Exception)
        assert infer(cfg, shapes).shapes == [None]
        return
    check(cfg, shapes, build)


# --- RNN(cell) -------------------------------------------------------------------

CELLS = ["SimpleRNNCell", "LSTMCell", "GRUCell"]


@st.composite
def cell_config(draw):
    cls = draw(st.sampled_from(CELLS))
    args = {"units": draw(st.integers(1, 6))}
    if draw(st.booleans()):
        args["use_bias"] = draw(st.booleans())
    if cls == "GRUCell" and draw(st.booleans()):
        args["reset_after"] = draw(st.booleans())
    return cls, args


def _make_cell(conf):
    cls, args = conf
    return getattr(lazy_keras().layers, cls)(**args)


@st.composite
def rnn_config(draw):
    cells = draw(st.lists(cell_config(), min_size=1, max_size=3))
    form = draw(st.sampled_from(["single", "list", "stacked"]))
    if form == "single":
        cells = cells[:1]
    args = {}
    for flag in ("return_sequences", "return_state", "go_backwards"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    return form, cells, args


def _rnn_cfg(form, cells, args):
    configs = [LayerConfig(cls, a) for cls, a in cells]
    cell = {"single": lambda: configs[0], "list": lambda: configs,
            "stacked": lambda: LayerConfig("StackedRNNCells", {"cells": configs})}[form]()
    return LayerConfig("RNN", dict(args, cell=cell))


def _rnn_build(form, cells, args):
    def make():
        L = lazy_keras().layers  # pylint: disable=invalid-name
        made = [_make_cell(c) for c in cells]
        cell = {"single": lambda: made[0], "list": lambda: made,
                "stacked": lambda: L.StackedRNNCells(made)}[form]()
        return L.RNN(cell, **args)

    return make


@st.composite
def rnn_input(draw):
    rank = draw(st.sampled_from([1, 2, 3, 3, 3, 3, 4]))
    if rank == 1:
        return (draw(batch),)
    # The feature (last) axis stays known: see the module docstring.
    middle = tuple(draw(st.sampled_from([None, 1, 3, 5])) for _ in range(rank - 2))
    return (draw(batch),) + middle + (draw(st.integers(1, 5)),)


@SETTINGS
@given(rnn_config(), rnn_input())
def test_rnn_cell(conf, shape):
    make = _rnn_build(*conf)

    def build():
        layer = make()
        return layer, layer(_kt(shape))

    check(_rnn_cfg(*conf), [shape], build)


@settings(SETTINGS, max_examples=15)
@given(rnn_config(), st.sampled_from([None, "concat", "sum"]), st.integers(1, 4))
def test_bidirectional_rnn_cell(keras, conf, merge_mode, features):
    # Keras refuses a go_backwards layer without a backward_layer (both
    # directions would run backwards); the Bidirectional rule does not check it.
    conf[2].pop("go_backwards", None)
    shape = (None, 5, features)
    make = _rnn_build(*conf)

    def build():
        layer = keras.layers.Bidirectional(make(), merge_mode=merge_mode)
        return layer, layer(_kt(shape))

    cfg = LayerConfig("Bidirectional", {"layer": _rnn_cfg(*conf), "merge_mode": merge_mode})
    check(cfg, [shape], build)


def test_rnn_cell_examples(keras):
    cfg = LayerConfig("RNN", {"cell": LayerConfig("LSTMCell", {"units": 4}), "return_state": True})
    out = infer(cfg, [(None, 7, 3)])
    assert out.shapes == [(None, 4), (None, 4), (None, 4)]
    assert out.params == 4 * (3 * 4 + 4 * 4 + 4)
    with pytest.raises(ShapeError) as info:
        infer(cfg, [(None, 3)])
    assert info.value.kind == "incompatible-input-rank"
    # A cell shapelint does not know (a custom one): unknown, never refused.
    assert infer(LayerConfig("RNN", {"cell": UNKNOWN}), [(None, 3)]).shapes == [None]
    # A cell called directly: its parameters are known, its outputs are not followed.
    out = infer(LayerConfig("GRUCell", {"units": 2}), [(None, 3)])
    cell = keras.layers.GRUCell(2)
    cell(_kt((None, 3)), _kt((None, 2)))
    assert out.params == cell.count_params()


# --- ConvLSTM1D/2D/3D ------------------------------------------------------------------


@st.composite
def conv_lstm_case(draw):
    k = draw(st.integers(1, 3))
    args = {"filters": draw(st.integers(1, 4)), "kernel_size": draw(st.integers(1, 3))}
    if draw(st.booleans()):
        args["padding"] = draw(st.sampled_from(["valid", "same"]))
    if draw(st.booleans()):
        if draw(st.booleans()):
            args["strides"] = draw(st.integers(1, 2))
        else:
            args["dilation_rate"] = draw(st.integers(1, 2))
    if draw(st.booleans()):
        args["data_format"] = draw(st.sampled_from(["channels_last", "channels_first"]))
    for flag in ("return_sequences", "return_state", "use_bias"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    spatial = tuple(draw(st.integers(1, 6)) for _ in range(k))
    channels = draw(st.integers(1, 3))
    first = args.get("data_format") == "channels_first"
    inner = (channels,) + spatial if first else spatial + (channels,)
    shape = (draw(batch), draw(st.sampled_from([None, 2]))) + inner
    cut = draw(st.sampled_from([0, 0, 0, 0, 1, -1]))
    if cut == 1:
        shape = shape[:1] + shape[2:]  # no time axis
    elif cut == -1:
        shape = shape + (2,)
    return f"ConvLSTM{k}D", args, shape


@SETTINGS
@given(conv_lstm_case())
def test_conv_lstm(case):
    cls, args, shape = case
    check(LayerConfig(cls, args), [shape], call_on(cls, args, shape))


def test_conv_lstm_examples():
    out = infer(LayerConfig("ConvLSTM2D", {"filters": 4, "kernel_size": 3, "return_state": True}),
                [(None, 5, 8, 8, 3)])
    assert out.shapes == [(None, 6, 6, 4)] * 3
    assert out.params == 9 * (3 + 4) * 16 + 16
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("ConvLSTM2D", {"filters": 4, "kernel_size": 3}), [(None, 8, 8, 3)])
    assert info.value.kind == "incompatible-input-rank"
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("ConvLSTM1D", {"filters": 4, "kernel_size": 5}), [(None, 5, 3, 2)])
    assert info.value.kind == "non-positive-dimension"


# --- SpectralNormalization -----------------------------------------------------------

SPECTRAL_CASES = [
    ("Dense", {"units": 4}, (None, 3)),
    ("Dense", {"units": 4, "use_bias": False}, (None, 5, 3)),
    ("Dense", {"units": 4}, (None,)),
    ("Conv1D", {"filters": 4, "kernel_size": 3}, (None, 8, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": 9}, (None, 8, 8, 3)),
    ("Conv3D", {"filters": 2, "kernel_size": 2}, (None, 4, 4, 4, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "data_format": "channels_first"},
     (None, 3, 8, 8)),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (None, 8, 8, 3)),
    ("DepthwiseConv1D", {"kernel_size": 3}, (None, 8, 3)),
    ("Embedding", {"input_dim": 10, "output_dim": 4}, (None, 5)),
]


@pytest.mark.parametrize("inner,args,shape", SPECTRAL_CASES)
def test_spectral_normalization(keras, inner, args, shape):
    dtype = "int32" if inner == "Embedding" else "float32"
    cfg = LayerConfig("SpectralNormalization", {"layer": LayerConfig(inner, args)})
    check(cfg, [shape], call_on(inner, args, shape, dtype, wrap=keras.layers.SpectralNormalization))


@pytest.mark.parametrize("inner,args", [
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3}),
    ("LayerNormalization", {}),
])
def test_spectral_normalization_without_kernel(keras, inner, args):
    with pytest.raises(ValueError):
        keras.layers.SpectralNormalization(getattr(keras.layers, inner)(**args))(_kt((None, 8, 8, 3)))
    cfg = LayerConfig("SpectralNormalization", {"layer": LayerConfig(inner, args)})
    assert infer(cfg, [(None, 8, 8, 3)]).shapes == [None]


# --- registration ------------------------------------------------------------------

NEW_LAYERS = [
    "StringLookup", "IntegerLookup", "TextVectorization", "Hashing", "CategoryEncoding",
    "Discretization", "HashedCrossing", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN",
    "SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells", "SpectralNormalization",
]


@pytest.mark.parametrize("name", NEW_LAYERS)
def test_signatures_follow_keras_positional_order(keras, name):
    rule = lookup(name)
    assert rule is not None, name
    params = list(inspect.signature(getattr(keras.layers, name).__init__).parameters)[1:]
    assert params[: len(rule.signature)] == list(rule.signature), name
