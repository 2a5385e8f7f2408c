"""``if batch_norm is True:`` of a bool the code shows is decided (True and
False are singletons, so ``is`` between two bools is ``==``).  shapelint
decided ``is`` only against None, so both branches were taken and a layer
after a branch that changes the rank came out unknown.  The program runs
under Keras (tests/oracle_runner.py); every exact claim must be one Keras
makes at that line, and ``KNOWN`` lists applications that must be known
and exact."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "bool_is": ("""
    import keras
    from keras import layers

    def block(x, batch_norm=False, flatten=True):
        if batch_norm is True:
            x = layers.BatchNormalization()(x)
        if flatten is not False:
            x = layers.Flatten()(x)
        return layers.Dense(3)(x)

    inputs = keras.Input((4, 4))
    model = keras.Model(inputs, [block(inputs, batch_norm=True), block(inputs, flatten=False)])
    """, ""),
}

KNOWN = [
    ("bool_is", 6, "BatchNormalization"),
    ("bool_is", 8, "Flatten"),
    ("bool_is", 9, "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "bool_identity")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
