"""An unbuilt model (a Sequential without an input shape, a subclassed
model) is built on the first data a training call gives it, and Keras 3
traces that call with a batch axis it knows when the arrays show it:
``fit``/``evaluate`` with ``batch_size`` (32 by default) when it divides
the samples, else None (a smaller last batch); ``predict`` on its first
batch, ``batch_size`` rows or all the samples when fewer;
``train_on_batch`` on all the samples.  shapelint built every such model
with a None batch axis and called its layers' shapes exact: claims Keras
does not make where it knew the batch.  ``predict`` of such a model returns
one row per sample whatever batch the model was built with, and a built
model applied to another batch size is applied (Keras' InputSpec of a
functional model leaves the batch size out).  Each program
runs under Keras (tests/oracle_runner.py); every exact claim must be one
Keras makes at that line, and ``KNOWN`` lists applications that must be
known and exact."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "fit_divides": ("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((96, 10), "float32"), np.zeros((96, 3), "float32"), epochs=1, verbose=0)
    preds = model.predict(np.zeros((5, 10), "float32"), verbose=0)
    head = keras.Sequential([layers.Dense(2)])
    head(preds)
    """, ""),
    "fit_remainder": ("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(8), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((100, 10), "float32"), np.zeros((100, 3), "float32"), epochs=1, verbose=0)
    other = keras.Sequential([layers.Dense(4)])
    other.compile(optimizer="adam", loss="mse")
    other.fit(np.zeros((64, 10), "float32"), np.zeros((64, 4), "float32"), batch_size=16, verbose=0)
    """, ""),
    "predict_first": ("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([layers.Dense(6), layers.Dense(2)])
    model.predict(np.zeros((70, 10), "float32"), verbose=0)
    small = keras.Sequential([layers.Dense(6)])
    small.predict(np.zeros((5, 10), "float32"), verbose=0)
    once = keras.Sequential([layers.Dense(3)])
    once.compile(optimizer="adam", loss="mse")
    once.train_on_batch(np.zeros((10, 4), "float32"), np.zeros((10, 3), "float32"))
    """, ""),
    "batch_not_checked": ("""
    import numpy as np
    import keras
    from keras import layers

    augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])
    augment(np.zeros((1, 8, 8, 3), "float32"))
    inputs = keras.Input((8, 8, 3))
    x = augment(inputs)
    outputs = layers.Dense(2)(layers.GlobalAveragePooling2D()(x))
    encoder = keras.Sequential([layers.Flatten(), layers.Dense(4)])
    encoder.compile(optimizer="adam", loss="mse")
    encoder.fit(np.zeros((64, 3, 3)), np.zeros((64, 4)), verbose=0)
    codes = encoder(np.zeros((10, 3, 3), "float32"))
    """, ""),
}

KNOWN = [
    ("fit_divides", 5, "Dense"),
    ("fit_divides", 9, "Dense"),
    ("fit_remainder", 5, "Dense"),
    ("fit_remainder", 8, "Dense"),
    ("predict_first", 5, "Dense"),
    ("predict_first", 7, "Dense"),
    ("predict_first", 9, "Dense"),
    ("batch_not_checked", 8, "Sequential"),
    ("batch_not_checked", 9, "Dense"),
    ("batch_not_checked", 9, "GlobalAveragePooling2D"),
    ("batch_not_checked", 13, "Sequential"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "fit_batch")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
