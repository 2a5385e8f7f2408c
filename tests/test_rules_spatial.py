"""Property tests: the spatial resizing rules (shapelint/shapes/rules/spatial.py
-- UpSampling1D/2D/3D, ZeroPadding1D/2D/3D, Cropping1D/2D/3D) agree with
Keras 3.

The cases and the comparison are in tests/conv_cases.py (see
tests/test_rules_conv.py).
"""
from __future__ import annotations

from typing import Any, Dict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conv_cases import (
    FORMATS,
    Case,
    assert_agrees,
    check_registered,
    check_symbolic_size,
    check_unknown_arguments,
    family_of,
    input_shape,
    keras_layer_names,
    maybe_none,
    tuple_or_int,
)
from layer_checks import check_signature, examples
from shapelint.shapes.registry import lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
EXAMPLES = examples(60)
PREFIXES = ("UpSampling", "ZeroPadding", "Cropping")


# --- strategies --------------------------------------------------------------------

@st.composite
def pairs(draw, k, values):
    """ZeroPadding/Cropping argument: an int, k ints, or k (before, after)
    pairs (a 1-D layer takes an int or one pair)."""
    if k == 1:
        return draw(st.one_of(values, st.tuples(values, values)))
    one = st.one_of(values, st.tuples(values, values))
    return draw(st.one_of(values, st.tuples(*[one] * k)))


@st.composite
def spatial_cases(draw):
    k = draw(st.sampled_from((1, 2, 3)))
    kind = draw(st.sampled_from(("UpSampling", "ZeroPadding", "Cropping")))
    kwargs: Dict[str, Any] = {}
    if not (k == 1 and kind in ("UpSampling", "Cropping")):
        kwargs["data_format"] = draw(st.sampled_from(FORMATS))
    if kind == "UpSampling":
        size = st.integers(1, 3)
        kwargs["size"] = draw(size if k == 1 else tuple_or_int(k, size))
    elif kind == "ZeroPadding":
        kwargs["padding"] = draw(pairs(k, st.integers(0, 3)))
    else:
        kwargs["cropping"] = draw(pairs(k, st.integers(0, 4)))
    data_format = kwargs.get("data_format", "channels_last")
    channels = draw(maybe_none(1, 4))
    return Case(f"{kind}{k}D", kwargs, draw(input_shape(k, data_format, channels)))


# --- agreement with Keras ------------------------------------------------------------


@EXAMPLES
@given(spatial_cases())
def test_spatial_matches_keras(case):
    assert_agrees(case)


# --- unknown arguments and symbolic sizes ------------------------------------------------


@EXAMPLES
@given(spatial_cases(), st.data())
def test_unknown_arguments_never_crash_nor_guess(case, data):
    check_unknown_arguments(case, data)


@EXAMPLES
@given(spatial_cases(), st.data())
def test_symbolic_size_agrees_with_concrete(case, data):
    check_symbolic_size(case, data)


# --- registration ------------------------------------------------------------------


def test_every_keras_name_and_alias_is_registered():
    check_registered(keras_layer_names(PREFIXES))


def test_signatures_follow_keras_positional_order(keras):
    for name in keras_layer_names(PREFIXES):
        check_signature(keras, name)


def test_families():
    for name in keras_layer_names(PREFIXES):
        assert family_of(name) == "spatial", name
        assert lookup(name).family == "spatial", name
