"""Property tests: the convolution rules (shapelint/shapes/rules/conv.py --
Conv1D/2D/3D, their transposes, SeparableConv1D/2D, DepthwiseConv1D/2D and
their aliases) agree with Keras 3.

The cases and the comparison are in tests/conv_cases.py: a layer config Keras'
constructor accepts and an input shape (small sizes, None axes, both data
formats, sometimes a wrong rank); Keras calls the layer on a
``keras.KerasTensor`` and shapelint's ``infer`` must give the same output shape
and ``count_params()``, or raise a ShapeError where Keras raises.
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
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError, lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
EXAMPLES = examples(60)
PREFIXES = ("Conv", "Separable", "Depthwise")  # ConvLSTM: tests/test_rules_recurrent.py


# --- strategies --------------------------------------------------------------------

def channel_case(name, kwargs, shape, k, data_format, valid_channels, channels_out_depend=False):
    """A Case; with an unknown channel axis Keras gets ``valid_channels``
    (and, when ``channels_out_depend``, the output channels are unknown)."""
    if len(shape) != k + 2:
        return Case(name, kwargs, shape)
    axis = 1 if data_format == "channels_first" else -1
    if shape[axis] is not None:
        return Case(name, kwargs, shape)
    keras_shape = list(shape)
    keras_shape[axis] = valid_channels
    out_axis = 1 if data_format == "channels_first" else k + 1
    return Case(name, kwargs, shape, tuple(keras_shape), (out_axis,) if channels_out_depend else ())


@st.composite
def strides_and_dilation(draw, k):
    """Keras refuses strides > 1 together with dilation_rate > 1."""
    if draw(st.booleans()):
        return draw(tuple_or_int(k, st.integers(1, 3))), 1
    return 1, draw(tuple_or_int(k, st.integers(1, 3)))


@st.composite
def conv_cases(draw):
    k = draw(st.sampled_from((1, 2, 3)))
    data_format = draw(st.sampled_from(FORMATS))
    groups = draw(st.sampled_from((1, 1, 2, 3)))
    strides, dilation = draw(strides_and_dilation(k))
    kwargs = dict(
        filters=groups * draw(st.integers(1, 3)),
        kernel_size=draw(tuple_or_int(k, st.integers(1, 5))),
        strides=strides,
        dilation_rate=dilation,
        padding=draw(st.sampled_from(("valid", "same", "causal") if k == 1 else ("valid", "same"))),
        data_format=data_format,
        groups=groups,
        use_bias=draw(st.booleans()),
    )
    # Mostly a multiple of groups; otherwise Keras refuses the input.
    channels = draw(st.one_of(st.integers(1, 3).map(lambda m: m * groups), maybe_none(1, 6)))
    shape = draw(input_shape(k, data_format, channels))
    name = draw(st.sampled_from((f"Conv{k}D", f"Convolution{k}D")))
    return channel_case(name, kwargs, shape, k, data_format, groups)


@st.composite
def transpose_cases(draw):
    k = draw(st.sampled_from((1, 2, 3)))
    data_format = draw(st.sampled_from(FORMATS))
    if draw(st.booleans()):
        strides = tuple(draw(st.integers(1, 3)) for _ in range(k))
        dilation = 1
        output_padding = draw(st.one_of(
            st.none(), st.tuples(*[st.integers(0, s - 1) for s in strides])))
    else:
        strides, dilation = 1, draw(tuple_or_int(k, st.integers(1, 3)))
        output_padding = draw(st.sampled_from((None, 0)))
    kwargs = dict(
        filters=draw(st.integers(1, 4)),
        kernel_size=draw(tuple_or_int(k, st.integers(1, 4))),
        strides=strides,
        padding=draw(st.sampled_from(("valid", "same"))),
        output_padding=output_padding,
        data_format=data_format,
        dilation_rate=dilation,
        use_bias=draw(st.booleans()),
    )
    channels = draw(maybe_none(1, 5))
    shape = draw(input_shape(k, data_format, channels))
    name = draw(st.sampled_from((f"Conv{k}DTranspose", f"Convolution{k}DTranspose")))
    return channel_case(name, kwargs, shape, k, data_format, 1)


@st.composite
def separable_and_depthwise_cases(draw):
    k = draw(st.sampled_from((1, 2)))
    data_format = draw(st.sampled_from(FORMATS))
    strides, dilation = draw(strides_and_dilation(k))
    kwargs = dict(
        kernel_size=draw(tuple_or_int(k, st.integers(1, 5))),
        strides=strides,
        padding=draw(st.sampled_from(("valid", "same"))),
        data_format=data_format,
        dilation_rate=dilation,
        depth_multiplier=draw(st.integers(1, 3)),
        use_bias=draw(st.booleans()),
    )
    channels = draw(maybe_none(1, 5))
    shape = draw(input_shape(k, data_format, channels))
    if draw(st.booleans()):
        kwargs["filters"] = draw(st.integers(1, 4))
        name = draw(st.sampled_from((f"SeparableConv{k}D", f"SeparableConvolution{k}D")))
        return channel_case(name, kwargs, shape, k, data_format, 1)
    # The depthwise output channels are channels * depth_multiplier.
    return channel_case(f"DepthwiseConv{k}D", kwargs, shape, k, data_format, 1, channels_out_depend=True)


any_conv = st.one_of(conv_cases(), transpose_cases(), separable_and_depthwise_cases())


# --- agreement with Keras ------------------------------------------------------------


@EXAMPLES
@given(conv_cases())
def test_conv_matches_keras(case):
    assert_agrees(case)


@EXAMPLES
@given(transpose_cases())
def test_conv_transpose_matches_keras(case):
    assert_agrees(case)


@EXAMPLES
@given(separable_and_depthwise_cases())
def test_separable_and_depthwise_match_keras(case):
    assert_agrees(case)


# --- unknown arguments and symbolic sizes ------------------------------------------------


@EXAMPLES
@given(any_conv, st.data())
def test_unknown_arguments_never_crash_nor_guess(case, data):
    check_unknown_arguments(case, data)


@EXAMPLES
@given(any_conv, st.data())
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
        assert family_of(name) == "conv", name
        assert lookup(name).family == "conv", name


# --- messages ------------------------------------------------------------------------


def test_missing_channel_axis_fix():
    case = Case("Conv2D", {"filters": 8, "kernel_size": 3}, (None, 28, 28))
    err = run_shapelint(case)
    assert isinstance(err, ShapeError) and err.kind == "incompatible-input-rank"
    assert "Reshape((28, 28, 1))" in err.fix and "np.expand_dims(x, -1)" in err.fix
    assert isinstance(run_keras(case), ValueError)


def test_unknown_channels_keep_rank_and_known_dims():
    out = infer(LayerConfig("Conv2D", {"filters": 8, "kernel_size": 3}), [(None, 10, 12, None)])
    assert out.shape == (None, 8, 10, 8)
    assert out.params is None
    out = infer(LayerConfig("DepthwiseConv2D", {"kernel_size": 3}), [(None, 10, 12, None)])
    assert out.shape == (None, 8, 10, None)
