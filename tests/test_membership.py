"""``key in config`` / ``name in ("relu", "gelu")`` / ``"flat" in name``
decide a branch as Python does when the code shows the key and the
container: a dict's keys, a list's, tuple's or set's items, a substring.
shapelint left every ``in`` test undecided, so both branches were taken
and the layers after them joined to unknown.  It stays undecided where an
item the code does not show might be equal (``"relu" in [sys.argv[1],
"tanh"]``) or a dict was updated in a way the analysis did not follow (a
store under an unknown key).  Each program runs under Keras
(tests/oracle_runner.py); every exact claim must be one Keras makes at that
line, and ``KNOWN`` lists applications that must be known and exact."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "config_keys": ("""
    import keras
    from keras import layers

    CONFIG = {"units": 16, "dropout": 0.1}
    ACTIVATIONS = ("relu", "gelu")

    inputs = keras.Input((8,))
    x = layers.Dense(16)(inputs)
    if "units" in CONFIG:
        x = layers.Dense(CONFIG["units"])(x)
    else:
        x = layers.Reshape((2, 8))(x)
    if "norm" not in CONFIG:
        x = layers.Reshape((4, 4))(x)
    else:
        x = layers.Dense(3)(x)
    if "relu" in ACTIVATIONS and "flat" in "flatten":
        x = layers.Flatten()(x)
    if 3 in [1, 2, 3] and "tanh" not in {"relu", "gelu"}:
        x = layers.Dense(5)(x)
    else:
        x = layers.Reshape((2, 8))(x)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """, ""),
    "kwargs_keys": ("""
    import keras
    from keras import layers

    def head(x, **options):
        if "pool" in options:
            x = layers.GlobalAveragePooling2D()(x)
        else:
            x = layers.Flatten()(x)
        return layers.Dense(options.get("classes", 10))(x)

    inputs = keras.Input((6, 6, 4))
    a = head(inputs, pool=True, classes=3)
    b = head(inputs)
    model = keras.Model(inputs, [a, b])
    """, ""),
}

KNOWN = [
    ("config_keys", 10, "Dense"),
    ("config_keys", 14, "Reshape"),
    ("config_keys", 18, "Flatten"),
    ("config_keys", 20, "Dense"),
    ("config_keys", 23, "Dense"),
    ("kwargs_keys", 6, "GlobalAveragePooling2D"),
    ("kwargs_keys", 8, "Flatten"),
    ("kwargs_keys", 9, "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "membership")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)


def test_undecided_where_an_item_is_not_shown():
    """An unknown item that might be equal, or a dict stored into under a
    key the analysis cannot tell, leaves the test undecided: both branches,
    the layer after them unknown (never a guessed branch)."""
    from shapelint.engine import analyze_source

    source = (
        "import sys\nimport keras\nfrom keras import layers\n"
        "config = {'units': 16}\n"
        "for arg in sys.argv:\n    config[arg] = 1\n"
        "inputs = keras.Input((8,))\n"
        "x = layers.Dense(4)(inputs)\n"
        "if 'dropout' in config:\n    x = layers.Reshape((2, 2))(x)\n"
        "y = layers.Dense(4)(inputs)\n"
        "if 'relu' in [sys.argv[0], 'tanh']:\n    y = layers.Reshape((2, 2))(y)\n"
        "a = layers.Dense(2)(x)\nb = layers.Dense(2)(y)\n")
    result = analyze_source(source, "membership.py")
    rows = {(row.line, row.layer): row for row in result.layers}
    assert rows[(14, "Dense")].output_shape is None
    assert rows[(15, "Dense")].output_shape is None
