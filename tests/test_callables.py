"""Callables the code builds from layer classes: ``functools.partial`` with
preset options (Hands-On ML's ``DefaultConv2D = partial(Conv2D,
kernel_size=3, padding="same", ...)``), called with more positional and
keyword arguments, a later keyword overriding a preset one, as Python does.
Keras runs each program; every exact claim must be its shape."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "partial_layers": ("""
        from functools import partial
        import functools
        import tensorflow as tf

        DefaultConv2D = partial(tf.keras.layers.Conv2D, kernel_size=3, padding="same",
                                activation="relu", kernel_initializer="he_normal")
        Dense = functools.partial(tf.keras.layers.Dense, activation="relu")
        model = tf.keras.Sequential([
            tf.keras.Input((28, 28, 1)),
            DefaultConv2D(filters=64, kernel_size=7),
            tf.keras.layers.MaxPool2D(),
            DefaultConv2D(filters=128),
            DefaultConv2D(128, strides=2),
            tf.keras.layers.Flatten(),
            Dense(units=64),
            Dense(10, activation="softmax"),
        ])
        """, ""),
    "partial_builder": ("""
        import functools
        import keras
        from keras import layers

        def block(x, filters, strides=1, kernel=3):
            x = layers.Conv2D(filters, kernel, strides=strides, padding="same")(x)
            return layers.BatchNormalization()(x)

        down = functools.partial(block, strides=2)
        inputs = keras.Input((32, 32, 3))
        x = down(inputs, 16)
        x = down(x, 32, kernel=5)
        outputs = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, outputs)
        """, ""),
}

KNOWN = [
    ("partial_layers", 10, "Conv2D"),
    ("partial_layers", 12, "Conv2D"),
    ("partial_layers", 13, "Conv2D"),
    ("partial_layers", 15, "Dense"),
    ("partial_layers", 16, "Dense"),
    ("partial_builder", 6, "Conv2D"),
    ("partial_builder", 7, "BatchNormalization"),
    ("partial_builder", 13, "GlobalAveragePooling2D"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "callables")
test_exact_claims_are_keras = keras_programs.claims_test(PROGRAMS, KNOWN)
