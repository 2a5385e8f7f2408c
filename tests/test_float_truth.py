"""``if dropout_rate:`` of a float the code shows (``0.0``, ``0.25``) is
decided as Python decides it.  shapelint left every float condition of an
``if`` or a ``while`` undecided (it decided ints, strings, None, tuples and
lists): both branches were taken and a layer after a branch that changes
the rank came out unknown.  Each program runs under Keras
(tests/oracle_runner.py); every exact claim must be one Keras makes at that
line, and ``KNOWN`` lists applications that must be known and exact."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "float_guard": ("""
    import keras
    from keras import layers

    def block(x, split_rate=0.0, drop=0.25):
        if split_rate:
            x = layers.Reshape((2, 4))(x)
        if drop:
            x = layers.Dropout(drop)(x)
        return layers.Dense(3)(x)

    inputs = keras.Input((8,))
    a = block(inputs)
    b = block(inputs, split_rate=0.5, drop=0.0)
    scale = 1.5
    while scale:
        a = layers.Dense(6)(a)
        scale = 0.0
    model = keras.Model(inputs, [a, b])
    """, ""),
}

KNOWN = [
    ("float_guard", 6, "Reshape"),
    ("float_guard", 8, "Dropout"),
    ("float_guard", 9, "Dense"),
    ("float_guard", 16, "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "float_truth")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
