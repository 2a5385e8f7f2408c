"""Property tests: the pooling rules (shapelint/shapes/rules/pooling.py --
MaxPooling1D/2D/3D, AveragePooling1D/2D/3D, the global poolings and their
aliases) agree with Keras 3.

The cases and the comparison are in tests/conv_cases.py (see
tests/test_rules_conv.py).
"""
from __future__ import annotations

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
    run_keras,
    run_shapelint,
    tuple_or_int,
)
from layer_checks import check_signature, examples
from shapelint.shapes.registry import ShapeError, lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
EXAMPLES = examples(60)
PREFIXES = ("MaxPool", "AveragePool", "AvgPool", "GlobalMax", "GlobalAv")


# --- strategies --------------------------------------------------------------------

@st.composite
def pooling_cases(draw):
    k = draw(st.sampled_from((1, 2, 3)))
    data_format = draw(st.sampled_from(FORMATS))
    kind = draw(st.sampled_from(("MaxPooling", "MaxPool", "AveragePooling", "AvgPool")))
    kwargs = dict(
        pool_size=draw(tuple_or_int(k, st.integers(1, 4))),
        strides=draw(st.one_of(st.none(), tuple_or_int(k, st.integers(1, 3)))),
        padding=draw(st.sampled_from(("valid", "same"))),
        data_format=data_format,
    )
    if kind.startswith("Max") and draw(st.booleans()):
        del kwargs["pool_size"]  # default 2
    channels = draw(maybe_none(1, 6))
    return Case(f"{kind}{k}D", kwargs, draw(input_shape(k, data_format, channels)))


@st.composite
def global_pooling_cases(draw):
    k = draw(st.sampled_from((1, 2, 3)))
    data_format = draw(st.sampled_from(FORMATS))
    kind = draw(st.sampled_from(("GlobalMaxPooling", "GlobalMaxPool",
                                 "GlobalAveragePooling", "GlobalAvgPool")))
    kwargs = dict(data_format=data_format, keepdims=draw(st.booleans()))
    channels = draw(maybe_none(1, 6))
    return Case(f"{kind}{k}D", kwargs, draw(input_shape(k, data_format, channels)))


any_pooling = st.one_of(pooling_cases(), global_pooling_cases())


# --- agreement with Keras ------------------------------------------------------------


@EXAMPLES
@given(pooling_cases())
def test_pooling_matches_keras(case):
    assert_agrees(case)


@EXAMPLES
@given(global_pooling_cases())
def test_global_pooling_matches_keras(case):
    assert_agrees(case)


# --- unknown arguments and symbolic sizes ------------------------------------------------


@EXAMPLES
@given(any_pooling, st.data())
def test_unknown_arguments_never_crash_nor_guess(case, data):
    check_unknown_arguments(case, data)


@EXAMPLES
@given(any_pooling, st.data())
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
        assert family_of(name) in ("pool", "global_pool"), name
        assert lookup(name).family == family_of(name), name


# --- messages ------------------------------------------------------------------------


def test_window_too_large_message():
    case = Case("MaxPooling2D", {"pool_size": 2}, (None, 1, 1, 16))
    err = run_shapelint(case)
    assert isinstance(err, ShapeError) and err.kind == "non-positive-dimension"
    for part in ("MaxPooling2D", "(None, 1, 1, 16)", "pool_size=(2, 2)", "output size of 0"):
        assert part in err.message
    assert "padding='same'" in err.fix
    assert isinstance(run_keras(case), ValueError)
