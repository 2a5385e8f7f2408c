"""Convolutions: Conv1D/2D/3D, their transposes, SeparableConv1D/2D and
DepthwiseConv1D/2D.  Mirrors keras/src/layers/convolutional and
``compute_conv_output_shape`` (keras/src/ops/operation_utils.py) /
``compute_conv_transpose_output_shape`` (keras/src/backend/common/
backend_utils.py) of Keras 3.

The helpers at the top (spatial axes, one output length, the error for a
window larger than its input, the fix for a missing channel axis) are shared
with the pooling and spatial rules."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, NON_POSITIVE_DIMENSION
from shapelint.shapes import dims
from shapelint.shapes.dims import Dim, Shape, as_dim
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    alias,
    as_tuple,
    channel_axis,
    channels_last,
    require_rank,
    rule,
)
from shapelint.unknown import UNKNOWN

# --- shared helpers ----------------------------------------------------------


_SPATIAL_AXES: dict = {}  # class name -> its number of spatial axes (asked at every application)


def n_spatial(cfg: LayerConfig) -> int:
    """The number of spatial axes from the class name: Conv2D -> 2."""
    name = cfg.class_name
    k = _SPATIAL_AXES.get(name)
    if k is not None:
        return k
    for k in (1, 2, 3):
        if f"{k}D" in name:
            _SPATIAL_AXES[name] = k
            return k
    raise ValueError(name)


def rank_fix(cfg: LayerConfig, shape: Shape, k: int) -> str:
    """How to give a ``k``-spatial-axis layer the input it expects."""
    last = channels_last(cfg) is not False
    if shape is not None and len(shape) == k + 1:
        rest = tuple(shape[1:])
        target = rest + (1,) if last else (1,) + rest
        axis = -1 if last else 1
        return (
            f"add a channel axis: Reshape({dims.fmt_shape(target)}) "
            f"or np.expand_dims(x, {axis})"
        )
    axes = ", ".join(("steps",) if k == 1 else tuple(f"dim{i + 1}" for i in range(k)))
    layout = f"(batch, {axes}, channels)" if last else f"(batch, channels, {axes})"
    return f"give it a {k + 2}-D input {layout}"


def check_rank(cfg: LayerConfig, shape: Shape, k: int) -> Optional[bool]:
    """InputSpec(ndim=k + 2), with a fix for the common missing channel axis.
    The fix is written only for an input it refuses; the data_format read
    that writing it makes is made either way (a rule's reads decide whether
    its output is exact).  Returns ``channels_last(cfg)``, that read's answer
    (a rule passes it on to ``split_channels`` and ``join_channels``)."""
    if shape is not None and len(shape) != k + 2:
        require_rank(cfg, shape, ndim=k + 2, fix=rank_fix(cfg, shape, k))
    return channels_last(cfg)


_ASK = object()  # split_channels'/join_channels' ``last`` when the caller has not read it


def split_channels(cfg: LayerConfig, shape: Shape, last: Any = _ASK) -> Tuple[Optional[Tuple[Dim, ...]], Dim]:
    """(spatial dims, channel dim) of ``shape``; spatial is None when the
    data_format cannot be told.  ``last``: ``channels_last(cfg)``, when the
    caller has it."""
    if last is _ASK:
        last = channels_last(cfg)
    if last is None:
        return None, None
    if last:
        return tuple(shape[1:-1]), shape[-1]
    return tuple(shape[2:]), shape[1]


def join_channels(cfg: LayerConfig, batch: Dim, spatial, channels: Dim, k: int, last: Any = _ASK) -> Shape:
    """The output shape from its parts, in the layer's data_format (``last``
    as in ``split_channels``)."""
    if last is _ASK:
        last = channels_last(cfg)
    if last is None or spatial is None:
        return (batch,) + (None,) * (k + 1)
    if last:
        return (batch,) + tuple(spatial) + (channels,)
    return (batch, channels) + tuple(spatial)


def padding_mode(cfg: LayerConfig, allow_causal: bool = False, lower: bool = True) -> Optional[str]:
    """'valid', 'same' (or 'causal') or None when unknown or refused."""
    value = cfg.get("padding", "valid")
    if not isinstance(value, str):
        return None
    if lower:
        value = value.lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    return value if value in allowed else None


def tuple_arg(cfg: LayerConfig, name: str, k: int, default: Any) -> Optional[Tuple[Dim, ...]]:
    """A kernel_size/strides/... argument as a k-tuple (None: unknown)."""
    value = cfg.get(name, default)
    if value is None:
        value = default
    return as_tuple(value, k)


def output_length(size: Dim, window: Dim, stride: Dim, padding: Optional[str], dilation: Dim = 1) -> Dim:
    """One spatial output size of a conv or pooling window.

    valid: floor((size - dilation * (window - 1) - 1) / stride) + 1
    same / causal: floor((size - 1) / stride) + 1
    """
    if size is None or stride is None or padding is None:
        return None
    if type(size) is int and type(stride) is int and type(window) is int and type(dilation) is int:
        # (nearly every application: the dims arithmetic below, on Python ints)
        if stride == 0:
            return None
        if padding == "valid":
            return (size - (dilation * (window - 1) + 1)) // stride + 1
        return (size - 1) // stride + 1
    if padding == "valid":
        span = dims.add(dims.mul(dilation, dims.sub(window, 1)), 1)
        return dims.add(dims.floordiv(dims.sub(size, span), stride), 1)
    return dims.add(dims.floordiv(dims.sub(size, 1), stride), 1)


def spatial_output(
    cfg: LayerConfig,
    shape: Shape,
    spatial,
    window,
    strides,
    padding: Optional[str],
    dilation,
    window_name: str = "kernel_size",
) -> Tuple[Dim, ...]:
    """The output sizes of every spatial axis (None-tuples for unknown
    arguments); raises ShapeError non-positive-dimension where Keras raises
    "Computed output size would be zero or negative"."""
    k = len(spatial)
    window = window or (None,) * k
    strides = strides or (None,) * k
    dilation = dilation or (None,) * k
    out = tuple(
        output_length(n, w, s, padding, d)
        for n, w, s, d in zip(spatial, window, strides, dilation)
    )
    bad = [d for d in out if dims.provably_non_positive(d)]
    if bad:
        raise ShapeError(
            NON_POSITIVE_DIMENSION,
            f"{cfg.class_name} with {window_name}={fmt_arg(window)}, "
            f"strides={fmt_arg(strides)}, padding='{padding}' on input "
            f"{dims.fmt_shape(shape)} gives an output size of {bad[0]}: the "
            f"window is larger than what is left of the input",
            f"use padding='same', a smaller {window_name}, or fewer "
            f"pooling/strided steps before this layer",
        )
    return out


def fmt_arg(values) -> str:
    """(3,) -> '3', (3, 2) -> '(3, 2)'."""
    return dims.fmt_dim(values[0]) if len(values) == 1 else dims.fmt_shape(tuple(values))


def _params(weight_sizes, bias: Dim) -> Optional[int]:
    """Sum of the weight sizes plus the bias (when use_bias is known)."""
    sizes = list(weight_sizes) + [bias]
    if not all(dims.is_int(s) for s in sizes):
        return None
    return sum(sizes)


def _bias(cfg: LayerConfig, size: Dim) -> Dim:
    """The bias size: ``size`` with use_bias, 0 without, None if unknown."""
    use = cfg.get("use_bias", True)
    if not isinstance(use, bool):
        return None
    return size if use else 0


# --- Conv1D/2D/3D --------------------------------------------------------------



@rule("Conv1D", "Conv2D", "Conv3D", signature=KERAS_POSITIONAL, family="conv", defined_axes=channel_axis)
def conv(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    filters = as_dim(cfg.get("filters", UNKNOWN))
    kernel = tuple_arg(cfg, "kernel_size", k, UNKNOWN)
    groups = cfg.get("groups", 1)
    groups = groups if dims.is_int(groups) else None
    spatial, channels = split_channels(cfg, shape, last)
    if spatial is None:
        return Out([join_channels(cfg, shape[0], None, None, k, last)], None)
    if dims.is_int(channels) and groups and channels % groups != 0:
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"{cfg.class_name} with groups={groups} gets {channels} input channels "
            f"({dims.fmt_shape(shape)}), not a multiple of groups",
            "make the input channels a multiple of groups, or change groups",
        )
    out = spatial_output(
        cfg, shape, spatial, kernel,
        tuple_arg(cfg, "strides", k, 1),
        padding_mode(cfg, allow_causal=k == 1),
        tuple_arg(cfg, "dilation_rate", k, 1),
    )
    params = None
    if kernel is not None and dims.is_int(channels) and groups:
        per_group = channels // groups
        params = _params([dims.mul(dims.product(kernel + (per_group,)), filters)],
                         _bias(cfg, filters))
    return Out([join_channels(cfg, shape[0], out, filters, k, last)], params)


# --- Conv1DTranspose/2D/3D ---------------------------------------------------------

# Conv3DTranspose puts data_format before output_padding.


def transpose_length(size: Dim, kernel: Dim, stride: Dim, padding: Optional[str],
                     output_padding: Any, dilation: Dim) -> Dim:
    """One spatial output size of a transposed convolution (Keras'
    ``_get_output_shape_given_tf_padding``)."""
    if size is None or stride is None or padding is None or output_padding is UNKNOWN:
        return None
    if padding == "same" and output_padding is None:
        return dims.mul(size, stride)
    if not (dims.is_int(kernel) and dims.is_int(dilation)):
        return None
    span = (kernel - 1) * dilation + 1
    base = dims.mul(dims.sub(size, 1), stride)
    if padding == "valid":
        if output_padding is None:
            if not dims.is_int(stride):
                return None
            return dims.add(base, max(span, stride))
        return dims.add(base, span + output_padding)
    return dims.add(base, span % 2 + output_padding)


def _output_padding(cfg: LayerConfig, k: int):
    """None (Keras' default), a tuple of ints, or UNKNOWN per axis."""
    value = cfg.get("output_padding", None)
    if value is None:
        return (None,) * k
    values = as_tuple(value, k)
    if values is None:
        return (UNKNOWN,) * k
    return tuple(v if dims.is_int(v) else UNKNOWN for v in values)


def _transpose(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    check_rank(cfg, shape, k)
    filters = as_dim(cfg.get("filters", UNKNOWN))
    kernel = tuple_arg(cfg, "kernel_size", k, UNKNOWN) or (None,) * k
    strides = tuple_arg(cfg, "strides", k, 1) or (None,) * k
    dilation = tuple_arg(cfg, "dilation_rate", k, 1) or (None,) * k
    padding = padding_mode(cfg)
    spatial, channels = split_channels(cfg, shape)
    if spatial is None:
        return Out([join_channels(cfg, shape[0], None, None, k)], None)
    out = tuple(
        transpose_length(n, kern, s, padding, op, d)
        for n, kern, s, op, d in zip(spatial, kernel, strides, _output_padding(cfg, k), dilation)
    )
    params = _params([dims.product(kernel + (filters, channels))], _bias(cfg, filters))
    return Out([join_channels(cfg, shape[0], out, filters, k)], params)


rule("Conv1DTranspose", "Conv2DTranspose", signature=KERAS_POSITIONAL, family="conv",
     defined_axes=channel_axis)(_transpose)
rule("Conv3DTranspose", signature=KERAS_POSITIONAL, family="conv", defined_axes=channel_axis)(_transpose)


# --- SeparableConv1D/2D and DepthwiseConv1D/2D ----------------------------------------



def _window_output(cfg: LayerConfig, shape: Shape, k: int, last: Any = _ASK):
    """(spatial output, kernel, channels) of a depthwise/separable conv, or
    None when the data_format is unknown (``last`` as in ``split_channels``)."""
    spatial, channels = split_channels(cfg, shape, last)
    if spatial is None:
        return None
    kernel = tuple_arg(cfg, "kernel_size", k, UNKNOWN)
    out = spatial_output(
        cfg, shape, spatial, kernel,
        tuple_arg(cfg, "strides", k, 1),
        padding_mode(cfg),
        tuple_arg(cfg, "dilation_rate", k, 1),
    )
    return out, kernel or (None,) * k, channels


@rule("SeparableConv1D", "SeparableConv2D", signature=KERAS_POSITIONAL, family="conv",
      defined_axes=channel_axis)
def separable_conv(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    filters = as_dim(cfg.get("filters", UNKNOWN))
    parts = _window_output(cfg, shape, k, last)
    if parts is None:
        return Out([join_channels(cfg, shape[0], None, None, k, last)], None)
    out, kernel, channels = parts
    depth = dims.mul(channels, as_dim(cfg.get("depth_multiplier", 1)))
    params = _params(
        [dims.product(kernel + (depth,)), dims.mul(depth, filters)],
        _bias(cfg, filters),
    )
    return Out([join_channels(cfg, shape[0], out, filters, k, last)], params)


@rule("DepthwiseConv1D", "DepthwiseConv2D", signature=KERAS_POSITIONAL, family="conv",
      defined_axes=channel_axis)
def depthwise_conv(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    parts = _window_output(cfg, shape, k, last)
    if parts is None:
        return Out([join_channels(cfg, shape[0], None, None, k, last)], None)
    out, kernel, channels = parts
    depth = dims.mul(channels, as_dim(cfg.get("depth_multiplier", 1)))
    params = _params([dims.product(kernel + (depth,))], _bias(cfg, depth))
    return Out([join_channels(cfg, shape[0], out, depth, k, last)], params)


alias("Conv1D", "Convolution1D")
alias("Conv2D", "Convolution2D")
alias("Conv3D", "Convolution3D")
alias("Conv1DTranspose", "Convolution1DTranspose")
alias("Conv2DTranspose", "Convolution2DTranspose")
alias("Conv3DTranspose", "Convolution3DTranspose")
alias("SeparableConv1D", "SeparableConvolution1D")
alias("SeparableConv2D", "SeparableConvolution2D")
