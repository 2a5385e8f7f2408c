"""Values that reach a layer through operations on tensors and sizes
(issue 13: sites unknown or not exact because an operand was not followed),
each checked against Keras running the program (tests/oracle_runner.py):
every shape shapelint claims at a (line, col, class) is the one Keras gives
there, and ``KNOWN`` lists applications that must be known and exact (not
before: the test fails without the change).

* ``-x`` of a tensor: ``KerasTensor.__neg__`` is ``keras.ops.negative``, a
  TensorFlow tensor's ``tf.negative`` -- element-wise, the operand's shape
  (a custom layer's ``call()`` computing ``relu(-x)``, as keras-io's
  Antirectifier does).
* ``tf.split``/``tf.unstack`` return a Python list: ``parts[0] = ...``
  replaces that piece (it was a tuple, the assignment lost, and the old
  pieces concatenated: a wrong exact shape).
"""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "negation": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Antirectifier(layers.Layer):
        def build(self, input_shape):
            dim = input_shape[-1]
            self.kernel = self.add_weight(shape=(dim * 2, dim), initializer="he_normal")

        def call(self, inputs):
            inputs -= tf.reduce_mean(inputs, axis=-1, keepdims=True)
            pos = tf.nn.relu(inputs)
            neg = tf.nn.relu(-inputs)
            return tf.matmul(tf.concat([pos, neg], axis=-1), self.kernel)

    inp = keras.Input(shape=(12,))
    x = layers.Dense(6)(inp)
    x = Antirectifier()(x)
    y = layers.Dense(3)(x)
    z = layers.Dense(2)(-y)
    model = keras.Sequential([keras.Input(shape=(5, 4)), layers.Dense(8), Antirectifier(), layers.Flatten()])
    """, ""),
    "split_list": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Mix(layers.Layer):
        def call(self, x):
            parts = tf.split(x, num_or_size_splits=4, axis=-1)
            parts[1] = tf.reduce_mean(parts[1], axis=-1, keepdims=True)
            rows = tf.unstack(parts[2], axis=1)
            rows[0] = tf.reduce_sum(rows[0], axis=1, keepdims=True) + rows[1]
            parts[2] = tf.stack(rows, axis=1)
            return tf.concat(parts, axis=-1)

    inp = keras.Input((8, 8, 12))
    y = Mix()(inp)
    y = layers.Conv2D(4, 3)(y)
    """, ""),
}

# (program, line, class): known and exact at every application
KNOWN = [
    ("negation", 18, "Antirectifier"),
    ("negation", 19, "Dense"),
    ("negation", 20, "Dense"),
    ("negation", 21, "Antirectifier"),
    ("negation", 21, "Flatten"),
    ("split_list", 15, "Mix"),
    ("split_list", 16, "Conv2D"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "operand_reach")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
