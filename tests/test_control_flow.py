"""Control flow as Python runs it, against real Keras: ``break`` and
``continue`` in unrolled loops (decided, and in a branch shapelint cannot
decide, after which the rest of the loop is conditional and what it leaves
is widened), ``while`` loops unrolled while their condition is known (and
their ``else``), and augmented assignment on attributes, items and lists.
Before, ``break``/``continue`` were ignored (every pass ran in full) and
``self.units *= 3`` kept the old value: exact claims Keras does not make."""
from __future__ import annotations

import pytest

import keras_programs
from keras_programs import check_claims

pytestmark = pytest.mark.keras

PROGRAMS = {
    "loops": ("""
        import os
        import keras
        from keras import layers

        inp = keras.Input((32, 32, 3))
        x = inp
        for f in [8, 16, 32]:
            x = layers.Conv2D(f, 3)(x)
            if f == 16:
                break
        a = layers.Flatten()(x)
        y = inp
        for f in [8, 16, 32]:
            if f == 16:
                continue
            y = layers.Conv2D(f, 3)(y)
        else:
            y = layers.Conv2D(4, 1)(y)
        b = layers.Flatten()(y)
        z = inp
        for f in [8, 16, 32]:
            z = layers.Conv2D(f, 3)(z)
            if os.environ.get("STOP"):
                break
        c = layers.Flatten()(z)
        n = 64
        w = layers.Flatten()(inp)
        while n > 8:
            w = layers.Dense(n)(w)
            n //= 2
        else:
            w = layers.Dense(5)(w)
        while True:
            w = layers.Dense(3)(w)
            break
        model = keras.Model(inp, [a, b, c, w])
        """, ""),
    "augmented": ("""
        import keras
        from keras import layers


        class Block:
            def __init__(self):
                self.units = 4
                self.units *= 3


        sizes = [3, 5]
        alias = sizes
        alias += [11]
        config = {"units": 40}
        config["units"] //= 4
        inp = keras.Input((10,))
        a = layers.Dense(Block().units)(inp)
        b = layers.Dense(sizes[-1])(inp)
        c = layers.Dense(config["units"])(inp)
        d = layers.Dense(dict(units=17)["units"])(inp)
        model = keras.Model(inp, [a, b, c, d])
        """, ""),
}

KNOWN = [
    ("loops", 8, "Conv2D"), ("loops", 11, "Flatten"), ("loops", 16, "Conv2D"), ("loops", 18, "Conv2D"),
    ("loops", 19, "Flatten"), ("loops", 29, "Dense"), ("loops", 32, "Dense"), ("loops", 34, "Dense"),
    ("augmented", 17, "Dense"), ("augmented", 18, "Dense"), ("augmented", 19, "Dense"), ("augmented", 20, "Dense"),
]


programs_fixture = keras_programs.programs_fixture(PROGRAMS, "control_flow")


test_every_exact_claim_is_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)


def test_a_break_shapelint_cannot_decide_makes_the_rest_conditional(programs):
    paths, oracle = programs
    rows = check_claims("loops", paths["loops"], oracle["loops"], [])
    convs = [r for r in rows if r["line"] == 22]
    assert [r["exact"] for r in convs] == [True, False, False]  # the first pass runs for sure
    flatten = [r for r in rows if r["line"] == 25]
    assert flatten and not flatten[0]["exact"]
