"""Property tests: the conv, pooling and spatial rules agree with Keras 3.

Each strategy draws a layer config (always one Keras' constructor accepts)
and an input shape (small sizes, None axes, both data formats, sometimes a
wrong rank).  The layer is called on a ``keras.KerasTensor`` — which runs
the InputSpec check, ``build`` and ``compute_output_shape`` — and shapelint's
``infer`` must give the same output shape and ``count_params()``, or raise a
ShapeError where Keras raises.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conftest import lazy_keras
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import UNKNOWN, LayerConfig, ShapeError, canonical_name, lookup

pytestmark = pytest.mark.usefixtures("keras")

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
REJECT_KINDS = {"incompatible-input-rank", "non-positive-dimension"}
FORMATS = ("channels_last", "channels_first")


@dataclass(frozen=True)
class Case:
    name: str
    kwargs: Dict[str, Any]
    shape: Tuple[Any, ...]
    # The input Keras is given when the channel axis is None (Keras cannot
    # build a conv with unknown channels): same shape, a valid channel size.
    keras_shape: Optional[Tuple[Any, ...]] = None
    # Output axes that depend on the unknown channel count.
    unknown_axes: Tuple[int, ...] = ()

    @property
    def unknown_channels(self) -> bool:
        return self.keras_shape is not None


def run_keras(case: Case):
    """(output shape, count_params) or the exception Keras raised."""
    keras = lazy_keras()
    layer = getattr(keras.layers, case.name)(**case.kwargs)
    try:
        out = layer(keras.KerasTensor(case.keras_shape or case.shape))
    except Exception as exc:  # pylint: disable=broad-except
        return exc
    return tuple(out.shape), layer.count_params()


def run_shapelint(case: Case, args: Optional[Dict[str, Any]] = None, shape=None):
    try:
        return infer(LayerConfig(case.name, dict(case.kwargs if args is None else args)),
                     [case.shape if shape is None else shape])
    except ShapeError as exc:
        return exc


def expected(case: Case, theirs):
    shape, params = theirs
    if case.unknown_channels:
        shape = tuple(None if i in case.unknown_axes else d for i, d in enumerate(shape))
        params = None
    return shape, params


def assert_agrees(case: Case) -> None:
    theirs = run_keras(case)
    ours = run_shapelint(case)
    if isinstance(theirs, Exception):
        event(f"both reject: {getattr(ours, 'kind', None)}")
        assert isinstance(ours, ShapeError), (
            f"Keras rejects {case} ({type(theirs).__name__}: {str(theirs)[:200]}) "
            f"but shapelint gives {ours}"
        )
        assert ours.kind in REJECT_KINDS
        assert case.name in ours.message
        return
    assert not isinstance(ours, ShapeError), f"shapelint rejects {case}: {ours.message}; Keras gives {theirs}"
    event("both accept" + (", unknown channels" if case.unknown_channels else ""))
    want_shape, want_params = expected(case, theirs)
    assert ours.shape == want_shape, f"{case}: shapelint {ours.shape}, Keras {want_shape}"
    assert ours.params == want_params, f"{case}: shapelint params {ours.params}, Keras {want_params}"


# --- strategies --------------------------------------------------------------------

def maybe_none(low, high):
    """An int in [low, high], or None about one time in (high - low + 2)."""
    return st.integers(low - 1, high).map(lambda n: None if n == low - 1 else n)


sizes = maybe_none(1, 12)


def tuple_or_int(k, values):
    """An int, or a k-tuple/list of ints, all drawn from ``values``."""
    return st.one_of(
        values,
        st.tuples(*[values] * k),
        st.lists(values, min_size=k, max_size=k),
    )


@st.composite
def input_shape(draw, k, data_format, channels, wrong_rank=True):
    """(batch, spatial..., channels) in the layer's data_format; sometimes a
    tensor of the wrong rank."""
    spatial = [draw(sizes) for _ in range(k)]
    if wrong_rank and draw(st.integers(0, 9)) == 0:
        # One axis too few (the common missing channel axis) or too many.
        if draw(st.booleans()):
            return (None,) + tuple(spatial)
        spatial.append(draw(st.integers(1, 4)))
    if data_format == "channels_first":
        return (None, channels) + tuple(spatial)
    return (None,) + tuple(spatial) + (channels,)


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


any_case = st.one_of(
    conv_cases(), transpose_cases(), separable_and_depthwise_cases(),
    pooling_cases(), global_pooling_cases(), spatial_cases(),
)


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


@EXAMPLES
@given(pooling_cases())
def test_pooling_matches_keras(case):
    assert_agrees(case)


@EXAMPLES
@given(global_pooling_cases())
def test_global_pooling_matches_keras(case):
    assert_agrees(case)


@EXAMPLES
@given(spatial_cases())
def test_spatial_matches_keras(case):
    assert_agrees(case)


# --- unknown arguments and symbolic sizes ------------------------------------------------


@EXAMPLES
@given(any_case, st.data())
def test_unknown_arguments_never_crash_nor_guess(case, data):
    """With some arguments UNKNOWN: the rank stays known (except an unknown
    keepdims), every known dim is Keras' dim, and shapelint only rejects
    what Keras rejects."""
    hidden = data.draw(st.sets(st.sampled_from(sorted(case.kwargs)), min_size=1)) if case.kwargs else set()
    args = {n: (UNKNOWN if n in hidden else v) for n, v in case.kwargs.items()}
    ours = run_shapelint(case, args)
    theirs = run_keras(case)
    if isinstance(ours, ShapeError):
        assert isinstance(theirs, Exception), f"{case} with {hidden} unknown: {ours.message}"
        return
    if isinstance(theirs, Exception):
        return
    want, params = expected(case, theirs)
    if "keepdims" in hidden:
        assert ours.shape is None
        return
    assert ours.shape is not None and len(ours.shape) == len(want), (case, hidden, ours.shape)
    for got, exp in zip(ours.shape, want):
        assert got is None or got == exp, (case, hidden, ours.shape, want)
    assert ours.params is None or ours.params == params, (case, hidden, ours.params, params)


@EXAMPLES
@given(any_case, st.data())
def test_symbolic_size_agrees_with_concrete(case, data):
    """A spatial size given as a symbol h gives, once h is replaced by its
    value, the concrete answer; it never rejects what the concrete size
    accepts."""
    known = [i for i, d in enumerate(case.shape) if isinstance(d, int) and i > 0]
    assume(known)
    axis = data.draw(st.sampled_from(known))
    h = dims.symbol("h")
    shape = tuple(h if i == axis else d for i, d in enumerate(case.shape))
    concrete = run_shapelint(case)
    symbolic = run_shapelint(case, shape=shape)
    if isinstance(symbolic, ShapeError):
        assert isinstance(concrete, ShapeError) and concrete.kind == symbolic.kind
        return
    if isinstance(concrete, ShapeError):
        return  # a symbol cannot prove what the concrete size shows
    value = case.shape[axis]
    subs = tuple(d if d is None or isinstance(d, int) else int(d.subs(h, value))
                 for d in symbolic.shape)
    for got, exp in zip(subs, concrete.shape):
        assert got is None or got == exp, (case, axis, symbolic.shape, concrete.shape)
    # A symbolic channel count leaves the parameter count unknown.
    assert symbolic.params in (None, concrete.params)


# --- registration ------------------------------------------------------------------

FAMILY_PREFIXES = ("Conv", "Separable", "Depthwise", "MaxPool", "AveragePool", "AvgPool",
                   "GlobalMax", "GlobalAv", "UpSampling", "ZeroPadding", "Cropping")


def keras_layer_names():
    return sorted(
        n for n in dir(lazy_keras().layers)
        if n.startswith(FAMILY_PREFIXES) and not n.startswith("ConvLSTM")
    )


def test_every_keras_name_and_alias_is_registered(keras):
    for name in keras_layer_names():
        rule = lookup(name)
        assert rule is not None, name
        canonical = canonical_name(name)
        assert getattr(keras.layers, canonical) is getattr(keras.layers, name), (name, canonical)


def test_signatures_follow_keras_positional_order(keras):
    for name in keras_layer_names():
        rule = lookup(name)
        params = list(inspect.signature(getattr(keras.layers, name).__init__).parameters)[1:]
        assert params[: len(rule.signature)] == list(rule.signature), name


def test_families():
    for name in keras_layer_names():
        rule = lookup(name)
        if name.startswith("Global"):
            assert rule.family == "global_pool", name
        elif "Pool" in name:
            assert rule.family == "pool", name
        elif name.startswith(("UpSampling", "ZeroPadding", "Cropping")):
            assert rule.family == "spatial", name
        else:
            assert rule.family == "conv", name


# --- messages ------------------------------------------------------------------------


def test_missing_channel_axis_fix():
    case = Case("Conv2D", {"filters": 8, "kernel_size": 3}, (None, 28, 28))
    err = run_shapelint(case)
    assert isinstance(err, ShapeError) and err.kind == "incompatible-input-rank"
    assert "Reshape((28, 28, 1))" in err.fix and "np.expand_dims(x, -1)" in err.fix
    assert isinstance(run_keras(case), ValueError)


def test_window_too_large_message():
    case = Case("MaxPooling2D", {"pool_size": 2}, (None, 1, 1, 16))
    err = run_shapelint(case)
    assert isinstance(err, ShapeError) and err.kind == "non-positive-dimension"
    for part in ("MaxPooling2D", "(None, 1, 1, 16)", "pool_size=(2, 2)", "output size of 0"):
        assert part in err.message
    assert "padding='same'" in err.fix
    assert isinstance(run_keras(case), ValueError)


def test_unknown_channels_keep_rank_and_known_dims():
    out = infer(LayerConfig("Conv2D", {"filters": 8, "kernel_size": 3}), [(None, 10, 12, None)])
    assert out.shape == (None, 8, 10, 8)
    assert out.params is None
    out = infer(LayerConfig("DepthwiseConv2D", {"kernel_size": 3}), [(None, 10, 12, None)])
    assert out.shape == (None, 8, 10, None)
