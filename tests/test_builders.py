"""Model builders the way library code writes them (Keras' own applications,
issue 13), against real Keras:

* ``callers``: a generic builder called only by public wrappers that no code
  of the module calls (``EfficientNet`` by ``EfficientNetB0``); its block
  arguments come from a module-level table deep-copied and edited
  (``copy.deepcopy``, ``args.pop("repeats")``, ``args["strides"] = 1``) and
  passed as ``block(x, **args)``.  The wrappers are analysed first, so the
  builder's layers get their arguments, not symbols; a wrapper analysed on
  its own is called with no arguments, so its ``*args``/``**kwargs`` pass
  nothing on (``NetC``);
* ``is_none``: ``if p is None`` on a tensor (NASNet's ``_adjust_block``) is
  decided, so the branch after it is exact;
* ``call_args``: a layer called with an argument shapelint cannot evaluate
  that no output shape depends on (``attention_mask=`` built in a branch on
  the ``mask`` Keras passes) is still exact;
* ``test_case``: a method of a class Keras does not drive (a unittest
  TestCase) that nothing in the module calls is analysed on its own, like a
  function;
* ``unknown_kwargs``: ``block(x, **cfg)`` with ``cfg`` read at run time:
  no parameter may take its default (``strides`` may be in ``cfg``).

shapelint analyses the program as written; Keras runs it with ``CALLS``
appended (lines after the program, so every position is the same).  Every
shape shapelint claims exactly must be one Keras gives at that (line, col,
class), no more often than Keras applies it there; ``KNOWN`` lists
applications that must be known and exact (the test fails without the
change that made them so).
"""
from __future__ import annotations

import pytest

import keras_programs
from shapelint.engine import analyze_source

pytestmark = pytest.mark.keras

PROGRAMS = {
    "callers": ("""
        import copy
        import keras
        from keras import layers

        BLOCKS = [
            {"filters_in": 8, "filters_out": 8, "repeats": 1, "strides": 1, "expand": 1},
            {"filters_in": 8, "filters_out": 12, "repeats": 2, "strides": 2, "expand": 4},
            {"filters_in": 12, "filters_out": 16, "repeats": 2, "strides": 2, "expand": 4},
        ]


        def block(inputs, filters_in=32, filters_out=16, strides=1, expand=1, name=""):
            x = inputs
            if expand != 1:
                x = layers.Conv2D(filters_in * expand, 1, padding="same", name=name + "expand")(x)
            x = layers.DepthwiseConv2D(3, strides=strides, padding="same", name=name + "dw")(x)
            x = layers.Conv2D(filters_out, 1, padding="same", name=name + "project")(x)
            if strides == 1 and filters_in == filters_out:
                x = layers.add([x, inputs])
            return x


        def Net(width, size, blocks_args=BLOCKS, name="net"):
            inp = keras.Input((size, size, 3))
            x = layers.Conv2D(int(8 * width), 3, strides=2, padding="same")(inp)
            blocks_args = copy.deepcopy(blocks_args)
            for i, args in enumerate(blocks_args):
                args["filters_in"] = int(args["filters_in"] * width)
                args["filters_out"] = int(args["filters_out"] * width)
                for j in range(args.pop("repeats")):
                    if j > 0:
                        args["strides"] = 1
                        args["filters_in"] = args["filters_out"]
                    x = block(x, name=f"block{i}{j}_", **args)
            x = layers.GlobalAveragePooling2D()(x)
            out = layers.Dense(10)(x)
            return keras.Model(inp, out, name=name)


        def NetA():
            return Net(1.0, 32, name="a")


        def NetB():
            return Net(2.0, 48, name="b")


        def NetC(*args, **kwargs):
            return Net(1.5, 40, *args, **kwargs)
        """, "NetA()\nNetB()\nNetC()\n"),
    "is_none": ("""
        import keras
        from keras import layers


        def adjust(p, ip, filters):
            if p is None:
                p = ip
            elif p.shape[-2] != ip.shape[-2]:
                p = layers.AveragePooling2D(1, strides=2)(p)
                p = layers.Conv2D(filters, 1, padding="same")(p)
            elif p.shape[-1] != filters:
                p = layers.Conv2D(filters, 1, padding="same")(p)
            return p


        def cell(ip, p, filters):
            p = adjust(p, ip, filters)
            h = layers.Conv2D(filters, 1, padding="same")(ip)
            return layers.concatenate([h, p]), ip


        inp = keras.Input((32, 32, 3))
        x = layers.Conv2D(8, 3, strides=2, padding="same")(inp)
        x, p = cell(x, None, 8)
        x, p = cell(x, p, 8)
        y = layers.Conv2D(16, 3, strides=2, padding="same")(x)
        y, p = cell(y, x, 16)
        out = layers.Dense(3)(layers.GlobalAveragePooling2D()(y))
        model = keras.Model(inp, out)
        """, ""),
    "unknown_kwargs": ("""
        import json
        import os
        import keras
        from keras import layers


        def block(x, filters_out=16, strides=1):
            return layers.Conv2D(filters_out, 3, strides=strides, padding="same")(x)


        cfg = json.loads(os.environ.get("CFG", '{"strides": 2}'))
        inp = keras.Input((32, 32, 3))
        x = block(inp, **cfg)
        x = block(x, filters_out=8, **cfg)
        out = layers.Conv2D(4, 1)(x)
        model = keras.Model(inp, out)
        """, ""),
    "call_args": ("""
        import tensorflow as tf
        import keras
        from keras import layers


        class Encoder(layers.Layer):
            def __init__(self, dim, heads, **kwargs):
                super().__init__(**kwargs)
                self.attention = layers.MultiHeadAttention(num_heads=heads, key_dim=dim)
                self.norm = layers.LayerNormalization()

            def call(self, inputs, mask=None):
                if mask is not None:
                    padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")
                out = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
                return self.norm(inputs + out)


        inp = keras.Input(shape=(None,), dtype="int64")
        x = layers.Embedding(100, 16, mask_zero=True)(inp)
        x = Encoder(16, 2)(x)
        out = layers.Dense(4)(x)
        model = keras.Model(inp, out)
        """, ""),
    "test_case": ("""
        import unittest

        import numpy as np
        import keras
        from keras import layers


        class ModelTest(unittest.TestCase):
            def test_head(self, classes=3):
                x = np.zeros((4, 12, 12, 1))
                inp = keras.Input(shape=x.shape[1:])
                y = layers.Conv2D(4, 3)(inp)
                y = layers.GlobalMaxPooling2D()(y)
                out = layers.Dense(classes)(y)
                model = keras.Model(inp, out)
                self.assertEqual(model.predict(x).shape, (4, classes))
        """, "ModelTest('test_head').test_head()\n"),
}

# (program, line, class): every application there known and exact.
KNOWN = [
    ("callers", 15, "Conv2D"), ("callers", 16, "DepthwiseConv2D"), ("callers", 17, "Conv2D"),
    ("callers", 19, "Add"), ("callers", 25, "Conv2D"), ("callers", 35, "GlobalAveragePooling2D"),
    ("callers", 36, "Dense"),
    ("is_none", 9, "AveragePooling2D"), ("is_none", 10, "Conv2D"), ("is_none", 19, "Concatenate"),
    ("is_none", 28, "Dense"),
    # a call argument no shape depends on (attention_mask=) need not be known
    # a method of a class Keras does not drive, never called: analysed on its own
    ("test_case", 12, "Conv2D"), ("test_case", 13, "GlobalMaxPooling2D"), ("test_case", 14, "Dense"),
    ("call_args", 15, "MultiHeadAttention"), ("call_args", 16, "LayerNormalization"), ("call_args", 22, "Dense"),
]


programs_fixture = keras_programs.programs_fixture(PROGRAMS, "builders")


test_every_exact_claim_is_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)


def test_unknown_kwargs_take_no_default(programs):
    """``block(x, **cfg)``: the strides Keras uses come from ``cfg``; no
    spatial size is claimed (it was: the default ``strides=1``)."""
    paths, _oracle = programs
    with open(paths["unknown_kwargs"], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths["unknown_kwargs"])
    convs = [layer.to_json() for layer in result.layers if layer.to_json()["line"] == 8]
    assert len(convs) == 2
    assert all(not js["exact"] and js["output_shape"][1:3] == [None, None] for js in convs)


def test_wrapper_on_its_own_passes_no_arguments(programs):
    """``NetC(*args, **kwargs)``, never called, is analysed as ``NetC()``:
    ``Net(1.5, 40)`` is built (its stem conv gives 20x20, as Keras does)."""
    paths, oracle = programs
    with open(paths["callers"], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths["callers"])
    stems = {tuple(js["output_shape"]) for js in (layer.to_json() for layer in result.layers)
             if js["line"] == 25 and js["exact"]}
    keras_stems = {tuple(r["output_shapes"][0]) for r in oracle["callers"]["layers"] if r["line"] == 25}
    assert (None, 20, 20, 12) in keras_stems
    assert stems == keras_stems
