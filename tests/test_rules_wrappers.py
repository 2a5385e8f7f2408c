"""Property tests: the wrapper rules (shapelint/shapes/rules/wrappers.py --
TimeDistributed, Bidirectional, SpectralNormalization) agree with Keras 3.

Each test draws a wrapped layer and input shapes, calls the wrapper in Keras on
symbolic ``KerasTensor``s and checks (tests/layer_checks.py) that shapelint's
``infer`` gives the same output shape(s) and parameter count, or that both
refuse.  The recurrent layers wrapped come from tests/recurrent_cases.py.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import batch, call_on, check, check_signature, examples, kt, maybe_none, sizes
from recurrent_cases import (
    recurrent_config,
    rnn_cell_config,
    rnn_classes,
    rnn_layer_config,
    rnn_layer_factory,
    sequence_shape,
)
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")


# --- TimeDistributed / Bidirectional ------------------------------------------------


@st.composite
def time_distributed_case(draw):
    inner = draw(st.sampled_from(["Dense", "Dense", "Flatten", "Dropout", "LSTM", "Embedding"]))
    b = draw(batch)
    if inner == "LSTM":
        # Keras *builds* (does not call) the LSTM on the step shape, so
        # TimeDistributed(LSTM) on a 5-D input, or on a 3-D input with a
        # static batch size (taken for the features), passes Keras' build and
        # fails when run; shapelint reports it (see the example test).
        rank = draw(st.sampled_from([2, 3, 4]))
        b = None
    else:
        rank = draw(st.sampled_from([2, 3, 3, 4, 5]))
    shape = (b,) + tuple(draw(maybe_none) for _ in range(max(rank - 2, 0))) + (draw(sizes),)
    if rank > 2:
        # The inner layer's own axes: the last one stays known (kernels).
        shape = shape[:2] + tuple(draw(sizes) for _ in range(rank - 2))
    args = {
        "Dense": lambda: {"units": draw(st.integers(1, 5))},
        "Flatten": dict,
        "Dropout": lambda: {"rate": 0.5},
        "LSTM": lambda: {"units": draw(st.integers(1, 4))},
        "Embedding": lambda: {"input_dim": 10, "output_dim": draw(sizes)},
    }[inner]()
    return inner, args, shape


@examples(40)
@given(time_distributed_case())
def test_time_distributed(keras, case):
    inner, args, shape = case
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig(inner, dict(args))})

    def build():
        layer = keras.layers.TimeDistributed(getattr(keras.layers, inner)(**args))
        return layer, layer(kt(shape))

    check(cfg, [shape], build)


@st.composite
def bidirectional_case(draw):
    cls, args = draw(recurrent_config())
    args.pop("go_backwards", None)
    merge_mode = draw(st.sampled_from(["concat", "sum", "mul", "ave", None, "default"]))
    backward = None
    if draw(st.integers(0, 2)) == 0:
        # With states, keep one class (an LSTM has two states, a GRU one).
        b_cls = cls if args.get("return_state") else draw(rnn_classes)
        b_cls, b_args = draw(recurrent_config(b_cls))
        b_args["go_backwards"] = True
        for flag in ("return_sequences", "return_state"):
            if draw(st.integers(0, 5)):  # usually consistent, sometimes not
                b_args[flag] = args.get(flag, False)
        backward = (b_cls, b_args)
    shape = draw(sequence_shape(ranks=(2, 3, 3, 3, 4)))
    return cls, args, merge_mode, backward, shape


@examples(40)
@given(bidirectional_case())
def test_bidirectional(keras, case):
    cls, args, merge_mode, backward, shape = case
    wargs = {"layer": LayerConfig(cls, dict(args))}
    kw = {}
    if merge_mode != "default":
        wargs["merge_mode"] = merge_mode
        kw["merge_mode"] = merge_mode
    if backward is not None:
        wargs["backward_layer"] = LayerConfig(backward[0], dict(backward[1]))

    def build():
        if backward is not None:
            kw["backward_layer"] = getattr(keras.layers, backward[0])(**backward[1])
        layer = keras.layers.Bidirectional(getattr(keras.layers, cls)(**args), **kw)
        return layer, layer(kt(shape))

    check(LayerConfig("Bidirectional", wargs), [shape], build)


def test_time_distributed_lstm_on_3d_is_reported(keras):
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig("LSTM", {"units": 4})})
    with pytest.raises(ShapeError) as info:
        infer(cfg, [(2, 5, 3)])
    assert info.value.kind == "incompatible-input-rank"
    # Keras builds it (kernel from the batch size!) but it fails when run.
    layer = keras.layers.TimeDistributed(keras.layers.LSTM(4))
    assert tuple(layer(kt((2, 5, 3))).shape) == (2, 5, 4)
    import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
    with pytest.raises(Exception):  # pylint: disable=broad-exception-caught
        keras.layers.TimeDistributed(keras.layers.LSTM(4))(np.ones((2, 5, 3), "float32"))


def test_bidirectional_examples():
    cfg = LayerConfig("Bidirectional", {"layer": LayerConfig("LSTM", {"units": 8, "return_sequences": True})})
    out = infer(cfg, [(None, 10, 3)])
    assert out.shapes == [(None, 10, 16)]
    assert out.params == 2 * 4 * (3 * 8 + 8 * 8 + 8)
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig("Dense", {"units": 4})})
    assert infer(cfg, [(None, 5, 3)]).shapes == [(None, 5, 4)]
    with pytest.raises(ShapeError):
        infer(cfg, [(None, 3)])


@examples(15)
@given(rnn_cell_config(), st.sampled_from([None, "concat", "sum"]), st.integers(1, 4))
def test_bidirectional_rnn_cell(keras, conf, merge_mode, features):
    # Keras refuses a go_backwards layer without a backward_layer (both
    # directions would run backwards); the Bidirectional rule does not check it.
    conf[2].pop("go_backwards", None)
    shape = (None, 5, features)
    make = rnn_layer_factory(*conf)

    def build():
        layer = keras.layers.Bidirectional(make(), merge_mode=merge_mode)
        return layer, layer(kt(shape))

    cfg = LayerConfig("Bidirectional", {"layer": rnn_layer_config(*conf), "merge_mode": merge_mode})
    check(cfg, [shape], build)


def test_symbolic_sizes():
    h = dims.symbol("h")
    out = infer(LayerConfig("Bidirectional", {"layer": LayerConfig("GRU", {"units": 4, "return_sequences": True})}),
                [(None, h, 3)])
    assert out.shapes == [(None, h, 8)] and out.params == 2 * 108


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
        keras.layers.SpectralNormalization(getattr(keras.layers, inner)(**args))(kt((None, 8, 8, 3)))
    cfg = LayerConfig("SpectralNormalization", {"layer": LayerConfig(inner, args)})
    assert infer(cfg, [(None, 8, 8, 3)]).shapes == [None]


# --- registration ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SpectralNormalization"])
def test_signatures_follow_keras_positional_order(keras, name):
    check_signature(keras, name)
