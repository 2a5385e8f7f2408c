"""List comprehensions whose condition the code does not decide: whether an
item is kept is not known, so neither is the list (dropping the item, as an
unknown condition once did, built a shorter model and claimed its shapes).
The program runs under Keras: every exact claim is one Keras makes."""
from __future__ import annotations

import pytest

import keras_programs
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")

PROGRAMS = {
    # the threshold comes from a file the program writes: shapelint cannot tell it
    "unknown_condition": ("""
    import os
    import tempfile
    import keras
    from keras import layers

    path = os.path.join(tempfile.mkdtemp(), "threshold.txt")
    with open(path, "w") as handle:
        handle.write("20")
    threshold = int(open(path).read())
    sizes = [64, 32, 16]
    hidden = [layers.Dense(n) for n in sizes if n > threshold]
    model = keras.Sequential([keras.Input((8,))] + hidden + [layers.Reshape((4, -1))])
    """, ""),
    # a condition the code decides keeps what Python keeps
    "known_condition": ("""
    import keras
    from keras import layers

    sizes = [64, 32, 16]
    hidden = [layers.Dense(n) for n in sizes if n > 20]
    model = keras.Sequential([keras.Input((8,))] + hidden + [layers.Reshape((4, -1))])
    """, ""),
}

KNOWN = [("known_condition", 5, "Dense"), ("known_condition", 6, "Reshape")]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "comprehensions")
test_exact_claims_are_keras = keras_programs.claims_test(PROGRAMS, KNOWN)


def test_an_undecided_item_makes_no_claim_after_it(programs):
    paths, _ = programs
    with open(paths["unknown_condition"], encoding="utf-8") as handle:
        rows = analyze_source(handle.read(), paths["unknown_condition"]).layers
    assert not [r for r in rows if r.layer == "Reshape" and r.exact]
