"""Property tests: the recurrent rules (shapelint/shapes/rules/recurrent.py --
SimpleRNN, LSTM, GRU, RNN(cell) with SimpleRNNCell/LSTMCell/GRUCell, a list of
them or StackedRNNCells, and ConvLSTM1D/2D/3D) agree with Keras 3.

Each test draws a layer configuration and input shapes (tests/recurrent_cases.py),
calls the layer in Keras on symbolic ``KerasTensor``s and checks
(tests/layer_checks.py) that shapelint's ``infer`` gives the same output
shape(s) and parameter count, or that both refuse.  The feature axis stays
known: Keras cannot create a kernel for an unknown feature size, and
shapelint's ``None`` may mean "not known here" and is not reported there.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import call_on, check, check_signature, examples, kt
from recurrent_cases import (
    recurrent_config,
    rnn_cell_config,
    rnn_layer_config,
    rnn_layer_factory,
    sequence_shape,
)
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError
from shapelint.unknown import UNKNOWN

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
# The batch axis of RNN(cell) and ConvLSTM inputs.
batch = st.sampled_from([None, None, 2])


# --- SimpleRNN / LSTM / GRU ---------------------------------------------------------


@examples(40)
@given(recurrent_config(), sequence_shape())
def test_recurrent(keras, conf, shape):
    cls, args = conf

    def build():
        layer = getattr(keras.layers, cls)(**args)
        return layer, layer(kt(shape))

    check(LayerConfig(cls, args), [shape], build)


def test_recurrent_examples():
    out = infer(LayerConfig("LSTM", {"units": 8, "return_state": True}), [(None, 10, 3)])
    assert out.shapes == [(None, 8), (None, 8), (None, 8)]
    assert out.params == 4 * (3 * 8 + 8 * 8 + 8)
    out = infer(LayerConfig("GRU", {"units": 4}), [(None, None, 3)])
    assert out.params == 3 * (3 * 4 + 4 * 4) + 2 * 3 * 4  # reset_after=True
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("LSTM", {"units": 8}), [(None, 16)])
    assert info.value.kind == "incompatible-input-rank"
    assert "Reshape((timesteps, features))" in info.value.fix


# --- RNN(cell) -------------------------------------------------------------------


@st.composite
def rnn_input(draw):
    rank = draw(st.sampled_from([1, 2, 3, 3, 3, 3, 4]))
    if rank == 1:
        return (draw(batch),)
    # The feature (last) axis stays known: see the module docstring.
    middle = tuple(draw(st.sampled_from([None, 1, 3, 5])) for _ in range(rank - 2))
    return (draw(batch),) + middle + (draw(st.integers(1, 5)),)


@examples(60)
@given(rnn_cell_config(), rnn_input())
def test_rnn_cell(conf, shape):
    make = rnn_layer_factory(*conf)

    def build():
        layer = make()
        return layer, layer(kt(shape))

    check(rnn_layer_config(*conf), [shape], build)


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
    cell(kt((None, 3)), kt((None, 2)))
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


@examples(60)
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


# --- registration ------------------------------------------------------------------

LAYERS = [
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN",
    "SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells",
]


@pytest.mark.parametrize("name", LAYERS)
def test_signatures_follow_keras_positional_order(keras, name):
    check_signature(keras, name)


@pytest.mark.parametrize("cls", ["LSTM", "GRU", "SimpleRNN", "LSTMCell"])
def test_units_that_are_no_size_leave_the_output_not_exact(keras, cls):
    """A placeholder ``LSTM('TODO')`` (a course notebook's exercise): Keras
    refuses it, so the None where the units go is not Keras' own."""
    with pytest.raises((TypeError, ValueError)):
        getattr(keras.layers, cls)("TODO")
    if cls.endswith("Cell"):
        cfg = LayerConfig("RNN", {"cell": LayerConfig(cls, {"units": "TODO"})})
    else:
        cfg = LayerConfig(cls, {"units": "TODO", "return_sequences": True})
    assert not infer(cfg, [(32, None, 3)]).exact
    assert infer(LayerConfig(cls.replace("Cell", ""), {"units": 4}), [(32, None, 3)]).exact
