"""The ``str`` methods a builder compares its options with
(``norm_type.lower() == "batchnorm"``, ``name.startswith("flat")``,
``"_".join(parts)``, ``"{}_{}".format(prefix, i)``) are computed as Python
computes them when the code shows the string and the arguments.  shapelint
left every method of a string unknown, so the branches they decide were
both taken and the layers after them joined to unknown."""
from __future__ import annotations

import pytest

import keras_programs
from shapelint.frontend.library import builtins as builtins_model

pytest.importorskip("tensorflow")

PROGRAMS = {
    "norm_type": ("""
    import keras
    from keras import layers

    def head(x, norm_type="BatchNorm", name="Flat_head"):
        if norm_type.lower() == "batchnorm":
            x = layers.BatchNormalization()(x)
        else:
            x = layers.Reshape((2, 8))(x)
        if name.lower().startswith(("flat", "vec")) and "_".join(name.split("_")) == "{}_{}".format("Flat", "head"):
            x = layers.Flatten()(x)
        return layers.Dense(2)(x)

    inputs = keras.Input((4, 4))
    model = keras.Model(inputs, head(inputs))
    """, ""),
}

KNOWN = [
    ("norm_type", 6, "BatchNormalization"),
    ("norm_type", 10, "Flatten"),
    ("norm_type", 11, "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "str_methods")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)


@pytest.mark.parametrize("name", builtins_model._STR_METHODS)  # pylint: disable=protected-access
def test_every_listed_method_is_a_str_method(name):
    """The table names methods Python's str has (a typo would never match)."""
    assert callable(getattr(str, name))
