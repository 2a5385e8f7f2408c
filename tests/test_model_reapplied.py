"""A built model applied to a tensor of another shape its inputs accept
(a backbone built on ``Input((None, None, 3))`` applied to 64x64 images, a
Sequential built on ``(None, 6)`` sequences applied to 12 steps): Keras runs
its layers again on the new shape (``Functional._run_through_graph``, each
layer's ``compute_output_spec``; a Sequential through its functional model),
and so does shapelint, with the rules.  Where a layer of the model is not
one shapelint can run again (the program's own layer class, a Lambda, an op
between layers) the output stays unknown.

Keras runs each program (tests/oracle_runner.py records every layer and
model application by its source position); every shape shapelint claims
must be Keras', and ``KNOWN`` lists the applications that must be known
and exact (each unknown before this change)."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    # a functional backbone of free spatial sizes, and a Sequential of free
    # length, each applied to a tensor of fixed sizes
    "free_sizes": ("""
        import keras
        from keras import layers

        def make_backbone():
            inputs = keras.Input((None, None, 3))
            x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
            x = layers.MaxPooling2D()(x)
            return keras.Model(inputs, x)

        backbone = make_backbone()
        encoder = keras.Sequential([keras.Input((None, 6)), layers.Dense(5), layers.Conv1D(4, 3)])
        image = keras.Input((64, 64, 3))
        features = backbone(image)
        flat = layers.Flatten()(features)
        scores = layers.Dense(3)(flat)
        series = keras.Input((12, 6))
        encoded = encoder(series)
        pooled = layers.Flatten()(encoded)
        both = layers.Concatenate()([scores, pooled])
        model = keras.Model([image, series], both)
        """, ""),
    # keras-io's semantic image clustering: a Sequential holding a model
    # built on free sizes and a Dense, applied inside a subclassed model's
    # call() to 32x32 images; a feature pyramid's backbone of three outputs
    # applied to 40x40 images
    "nested": ("""
        import numpy as np
        import keras
        from keras import layers

        def make_features():
            inputs = keras.Input((None, None, 3))
            x = layers.Conv2D(8, 3, strides=2)(inputs)
            x = layers.BatchNormalization()(x)
            return keras.Model(inputs, layers.GlobalAveragePooling2D()(x))

        encoder = keras.Sequential([make_features(), layers.Dense(6)])

        class Learner(keras.Model):
            def __init__(self, encoder, **kwargs):
                super().__init__(**kwargs)
                self.encoder = encoder
                self.head = layers.Dense(4)

            def call(self, inputs):
                return self.head(self.encoder(inputs))

        learner = Learner(encoder)
        out = learner(keras.Input((32, 32, 3)))

        def make_pyramid_backbone():
            inputs = keras.Input((None, None, 3))
            c3 = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
            c4 = layers.Conv2D(16, 3, strides=2, padding="same")(c3)
            return keras.Model(inputs, [c3, c4])

        pyramid = make_pyramid_backbone()
        p3, p4 = pyramid(keras.Input((40, 40, 3)))
        merged = layers.Concatenate()([layers.Flatten()(p3), layers.Flatten()(p4)])
        """, ""),
    # what is not run again: the program's own layer class, an op between
    # layers (their outputs stay unknown); the same shape keeps the outputs
    "not_rerun": ("""
        import keras
        from keras import layers

        class Twice(layers.Layer):
            def call(self, x):
                return x * 2.0

        def make(custom):
            inputs = keras.Input((None, 4))
            x = layers.Dense(3)(inputs)
            x = Twice()(x) if custom else x + 1.0
            return keras.Model(inputs, layers.Dense(2)(x))

        first, second = make(True), make(False)
        a = first(keras.Input((5, 4)))
        b = second(keras.Input((5, 4)))
        c = second(keras.Input((None, 4)))
        """, ""),
    # a model cut from a larger one (its input a tensor another layer
    # made): Keras starts at that input
    "cut_model": ("""
        import keras
        from keras import layers

        base_in = keras.Input((None, 4))
        mid = layers.Dense(6)(base_in)
        out = layers.Dense(2)(mid)
        tail = keras.Model(mid, out)
        y = tail(keras.Input((5, 6)))
        flat = layers.Flatten()(y)
        """, ""),
}

KNOWN = [
    ("cut_model", 8, "Functional"),
    ("cut_model", 9, "Flatten"),
    ("free_sizes", 13, "Functional"),
    ("free_sizes", 14, "Flatten"),
    ("free_sizes", 15, "Dense"),
    ("free_sizes", 17, "Sequential"),
    ("free_sizes", 18, "Flatten"),
    ("free_sizes", 19, "Concatenate"),
    ("nested", 20, "Sequential"),
    ("nested", 20, "Dense"),
    ("nested", 32, "Functional"),
    ("nested", 33, "Flatten"),
    ("nested", 33, "Concatenate"),
    ("not_rerun", 17, "Functional"),
]

# The model Keras applies inside the Sequential (its output recorded at its
# construction) is not in the oracle's record: its claim, (None, 8), is the
# GlobalAveragePooling2D output Keras records at line 9.
UNRECORDED = {"nested": ((9, "Functional"),)}

programs = keras_programs.programs_fixture(PROGRAMS, "model_reapplied")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_claims_are_keras_s(name, programs):
    paths, oracle = programs
    keras_programs.check_claims(name, paths[name], oracle[name], KNOWN, UNRECORDED.get(name, ()))
