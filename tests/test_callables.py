"""Callables the code builds from layer classes: ``functools.partial`` with
preset options (Hands-On ML's ``DefaultConv2D = partial(Conv2D,
kernel_size=3, padding="same", ...)``), called with more positional and
keyword arguments, a later keyword overriding a preset one, as Python does;
``functools.reduce`` folding layers into one callable (keras-yolo3's
``compose``), each step's lambda a closure of its own.  Keras runs each
program; every exact claim must be its shape."""
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
    # keras-yolo3's compose: layers folded into one callable by
    # functools.reduce, composites composed again
    "reduce_compose": ("""
        from functools import reduce, wraps

        import keras
        from keras.layers import BatchNormalization, Conv2D, LeakyReLU, MaxPooling2D, UpSampling2D


        def compose(*funcs):
            if funcs:
                return reduce(lambda f, g: lambda *a, **kw: g(f(*a, **kw)), funcs)
            raise ValueError("Composition of empty sequence not supported.")


        @wraps(Conv2D)
        def DarknetConv2D(*args, **kwargs):
            darknet_conv_kwargs = {"padding": "valid" if kwargs.get("strides") == (2, 2) else "same"}
            darknet_conv_kwargs.update(kwargs)
            return Conv2D(*args, **darknet_conv_kwargs)


        def DarknetConv2D_BN_Leaky(*args, **kwargs):
            no_bias_kwargs = {"use_bias": False}
            no_bias_kwargs.update(kwargs)
            return compose(DarknetConv2D(*args, **no_bias_kwargs), BatchNormalization(), LeakyReLU(negative_slope=0.1))


        inputs = keras.Input((32, 32, 3))
        x = compose(DarknetConv2D_BN_Leaky(8, (3, 3)), MaxPooling2D(2), DarknetConv2D_BN_Leaky(16, (3, 3), strides=(2, 2)))(inputs)
        y = compose(DarknetConv2D_BN_Leaky(4, (1, 1)), UpSampling2D(2))(x)
        total = reduce(lambda a, b: a + b, [2, 3, 4], 1)
        z = Conv2D(total, 1)(y)
        model = keras.Model(inputs, z)
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
    ("reduce_compose", 9, "Conv2D"),
    ("reduce_compose", 9, "BatchNormalization"),
    ("reduce_compose", 9, "LeakyReLU"),
    ("reduce_compose", 9, "MaxPooling2D"),
    ("reduce_compose", 9, "UpSampling2D"),
    ("reduce_compose", 30, "Conv2D"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "callables")
test_exact_claims_are_keras = keras_programs.claims_test(PROGRAMS, KNOWN)
