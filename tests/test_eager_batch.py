"""A layer called eagerly on numpy data or on Python strings runs on that
batch: Keras builds and calls it on the array's own shape, batch axis
included (``Embedding(...)(np.zeros((32, 10)))`` is ``(32, 10, 4)``, a
TextVectorization given three strings gives three rows).  shapelint put a
None batch axis there and called it exact: a claim Keras does not make.
Each program runs under Keras (tests/oracle_runner.py) and every exact
claim is compared with what Keras gave at that line; ``KNOWN`` lists the
applications that must be known and exact.

A subclassed layer or model called eagerly on numpy data runs its call()
on that batch too (a model of the TensorFlow SNGP tutorial applied to its
(10000, 2) grid of test points): its layers' rows had a None batch axis."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "eager_array": ("""
    import numpy as np
    import keras
    from keras import layers

    x = np.zeros((32, 10), dtype="int32")
    y = layers.Embedding(100, 4)(x)
    data = np.ones((6, 3), dtype="float32")
    flat = layers.Flatten()
    grid = np.ones((4, 2, 3), dtype="float32")
    z = flat(grid)
    dense = layers.Dense(5)
    w = dense(data[:2])
    v = dense(np.ones((7, 3), dtype="float32"))
    """, "pass"),
    "eager_strings": ("""
    import keras
    from keras import layers

    vec = layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vec.adapt(["a b c", "d e"])
    t = vec(["a caption", "another one", "x"])
    u = vec(["one more"])
    """, "pass"),
    "eager_subclass": ("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    class DeepResNet(keras.Model):
        def __init__(self, num_classes, num_layers=2, num_hidden=16):
            super().__init__()
            self.num_layers = num_layers
            self.input_layer = layers.Dense(num_hidden)
            self.dense_layers = [layers.Dense(num_hidden, activation="relu") for _ in range(num_layers)]
            self.classifier = layers.Dense(num_classes)

        def call(self, inputs):
            hidden = self.input_layer(inputs)
            for i in range(self.num_layers):
                hidden += layers.Dropout(0.1)(self.dense_layers[i](hidden))
            return self.classifier(hidden)

    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    xv, yv = np.meshgrid(np.linspace(-3, 3, 10), np.linspace(-3, 3, 10))
    test_examples = np.stack([xv.flatten(), yv.flatten()], axis=-1)
    logits = DeepResNet(num_classes=2)(test_examples)
    out = Block()(np.ones((7, 5), dtype="float32"))
    """, "pass"),
}

KNOWN = [
    ("eager_array", 6, "Embedding"),
    ("eager_array", 10, "Flatten"),
    ("eager_array", 12, "Dense"),
    ("eager_array", 13, "Dense"),
    ("eager_strings", 6, "TextVectorization"),
    ("eager_strings", 7, "TextVectorization"),
    ("eager_subclass", 15, "Dense"),
    ("eager_subclass", 17, "Dense"),
    ("eager_subclass", 17, "Dropout"),
    ("eager_subclass", 18, "Dense"),
    ("eager_subclass", 26, "Dense"),
    ("eager_subclass", 31, "Block"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "eager_batch")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
