"""Layers a subclassed model or layer constructs, reached where Keras
applies them (issue 13: constructions shapelint never applied):

* ``self.blocks = list()`` filled in ``__init__`` and applied in a loop in
  ``call()`` (``list()`` and ``tuple()`` are empty, as Python makes them).

Keras runs each program (tests/oracle_runner.py records every layer
application by its source position); every shape shapelint claims must be
Keras', and ``KNOWN`` lists the applications that must be known and exact
(each unknown before its change)."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    # keras-io's focal modulation network: blocks kept in list(), a custom
    # layer returning (tensor, height, width)
    "layers_in_list": ("""
        import keras
        from keras import layers

        class Block(layers.Layer):
            def __init__(self, dim, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(dim)
                self.norm = layers.LayerNormalization()

            def call(self, x, height):
                return self.norm(self.dense(x)), height * 2

        class Net(keras.Model):
            def __init__(self, widths=(8, 16), **kwargs):
                super().__init__(**kwargs)
                self.blocks = list()
                for width in widths:
                    self.blocks.append(Block(width))
                self.sizes = tuple()
                self.head = layers.Dense(3)

            def call(self, x):
                height = 1
                for block in self.blocks:
                    x, height = block(x, height=height)
                return self.head(x)

        model = Net()
        outputs = model(keras.Input((5,)))
        """, ""),
}

KNOWN = [
    ("layers_in_list", 11, "Dense"),
    ("layers_in_list", 11, "LayerNormalization"),
    ("layers_in_list", 26, "Dense"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "subclass_reach")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
