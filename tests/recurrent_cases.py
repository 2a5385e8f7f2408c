"""Strategies for recurrent layers, shared by tests/test_rules_recurrent.py
and tests/test_rules_wrappers.py (Bidirectional and TimeDistributed wrap
them).

* SimpleRNN/LSTM/GRU: ``recurrent_config`` draws (class, args) and
  ``sequence_shape`` their input.
* ``RNN(cell)``: ``rnn_cell_config`` draws (form, cells, args) -- one cell, a
  list of cells or StackedRNNCells of SimpleRNNCell/LSTMCell/GRUCell -- which
  ``rnn_layer_config`` turns into shapelint's LayerConfig and
  ``rnn_layer_factory`` into a function making the Keras layer.
"""
from __future__ import annotations

from hypothesis import strategies as st

from conftest import lazy_keras
from layer_checks import batch, maybe_none, sizes
from shapelint.shapes.registry import LayerConfig

# --- SimpleRNN / LSTM / GRU ------------------------------------------------------

rnn_classes = st.sampled_from(["SimpleRNN", "LSTM", "GRU"])


@st.composite
def recurrent_config(draw, cls=None):
    cls = cls or draw(rnn_classes)
    args = {"units": draw(st.integers(1, 8))}
    for flag in ("return_sequences", "return_state", "use_bias", "go_backwards"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    if cls == "GRU" and draw(st.booleans()):
        args["reset_after"] = draw(st.booleans())
    return cls, args


@st.composite
def sequence_shape(draw, ranks=(1, 2, 3, 3, 3, 3, 3, 3, 4)):
    rank = draw(st.sampled_from(ranks))
    if rank == 1:
        return (draw(batch),)
    # The time axis may be None; the feature axis stays known (Keras cannot
    # create a kernel for an unknown feature size, shapelint stays silent).
    middle = tuple(draw(maybe_none) for _ in range(rank - 2))
    return (draw(batch),) + middle + (draw(sizes),)


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


def make_cell(conf):
    cls, args = conf
    return getattr(lazy_keras().layers, cls)(**args)


@st.composite
def rnn_cell_config(draw):
    cells = draw(st.lists(cell_config(), min_size=1, max_size=3))
    form = draw(st.sampled_from(["single", "list", "stacked"]))
    if form == "single":
        cells = cells[:1]
    args = {}
    for flag in ("return_sequences", "return_state", "go_backwards"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    return form, cells, args


def rnn_layer_config(form, cells, args):
    configs = [LayerConfig(cls, a) for cls, a in cells]
    cell = {"single": lambda: configs[0], "list": lambda: configs,
            "stacked": lambda: LayerConfig("StackedRNNCells", {"cells": configs})}[form]()
    return LayerConfig("RNN", dict(args, cell=cell))


def rnn_layer_factory(form, cells, args):
    def make():
        layers = lazy_keras().layers
        made = [make_cell(c) for c in cells]
        cell = {"single": lambda: made[0], "list": lambda: made,
                "stacked": lambda: layers.StackedRNNCells(made)}[form]()
        return layers.RNN(cell, **args)

    return make
