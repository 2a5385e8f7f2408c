"""Core layers: Dense, element-wise layers, normalisation, Flatten, Reshape,
Permute, RepeatVector, Lambda.  Mirrors keras/src/layers/core, activations,
normalization, regularization and reshaping/{flatten,reshape,permute,
repeat_vector}.py of Keras 3."""
from __future__ import annotations

from shapelint.shapes import dims
from shapelint.shapes.registry import (
    UNKNOWN,
    LayerConfig,
    Out,
    ShapeError,
    as_dim,
    require_rank,
    rule,
)


@rule(
    "Dense",
    signature=("units", "activation", "use_bias"),
    family="dense",
)
def dense(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, min_ndim=2, fix="give it at least a (batch, features) input")
    units = as_dim(cfg.get("units", UNKNOWN))
    out = shape[:-1] + (units,)
    params = None
    last = shape[-1]
    if isinstance(units, int) and isinstance(last, int):
        params = last * units + (units if cfg.get("use_bias", True) is not False else 0)
    return Out([out], params)


# Layers whose output shape is their input shape and which hold no weights.
_IDENTITY = (
    "Activation",
    "ReLU",
    "Softmax",
    "LeakyReLU",
    "ELU",
    "ThresholdedReLU",
    "Dropout",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
    "Masking",
    "Identity",
    "Rescaling",
    "UnitNormalization",
)


@rule(*_IDENTITY, handles_unknown_rank=True, family="elementwise")
def identity(cfg: LayerConfig, inputs):
    return Out([inputs[0]], 0)


@rule("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", family="elementwise")
def spatial_dropout(cfg: LayerConfig, inputs):
    ndim = int(cfg.class_name[-2]) + 2
    require_rank(cfg, inputs[0], ndim=ndim)
    return Out([inputs[0]], 0)


def _axis_size(shape, axis):
    if not isinstance(axis, int) or isinstance(axis, bool):
        return UNKNOWN
    if -len(shape) <= axis < len(shape):
        return shape[axis]
    raise ShapeError(
        "incompatible-input-rank",
        f"axis {axis} is out of range for a {len(shape)}-D input {dims.fmt_shape(shape)}",
    )


@rule("BatchNormalization", signature=("axis", "momentum", "epsilon", "center", "scale"),
      family="elementwise")
def batch_norm(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    size = _axis_size(shape, cfg.get("axis", -1))
    params = None
    if isinstance(size, int):
        n = 2  # moving mean and variance
        n += 1 if cfg.get("center", True) is not False else 0
        n += 1 if cfg.get("scale", True) is not False else 0
        params = n * size
    return Out([shape], params)


@rule("LayerNormalization", signature=("axis", "epsilon", "center", "scale"),
      family="elementwise")
def layer_norm(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    axis = cfg.get("axis", -1)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    sizes = [_axis_size(shape, a) for a in axes]
    params = None
    if all(isinstance(s, int) for s in sizes):
        size = dims.product(sizes)
        n = (1 if cfg.get("center", True) is not False else 0) + (
            1 if cfg.get("scale", True) is not False else 0
        )
        params = n * size
    return Out([shape], params)


@rule("Normalization", signature=("axis", "mean", "variance"), family="elementwise")
def normalization(cfg: LayerConfig, inputs):
    # Keras keeps mean, variance and count as weights when axis=-1 is used;
    # their sizes depend on adapt(), so the count is left unknown.
    return Out([inputs[0]], None)


@rule("PReLU", signature=("alpha_initializer",), family="elementwise")
def prelu(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    param_shape = list(shape[1:])
    shared = cfg.get("shared_axes", None)
    if shared is UNKNOWN:
        return Out([shape], None)
    if shared is not None:
        for a in shared if isinstance(shared, (list, tuple)) else [shared]:
            if isinstance(a, int) and 1 <= a <= len(param_shape):
                param_shape[a - 1] = 1
    return Out([shape], dims.product(param_shape) if all(isinstance(d, int) for d in param_shape) else None)


@rule("Lambda", signature=("function", "output_shape"), handles_unknown_rank=True)
def lambda_layer(cfg: LayerConfig, inputs):
    # The function is arbitrary code: its output is unknown.
    return Out([None], 0)


@rule("Flatten", signature=("data_format",), family="flatten")
def flatten(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, min_ndim=1)
    rest = shape[1:]
    if not rest:
        flat = 1
    elif any(d is None for d in rest):
        flat = None
    else:
        flat = dims.product(rest)
    return Out([(shape[0], flat)], 0)


def _reshape_error(in_shape, target):
    return ShapeError(
        "reshape-size-mismatch",
        f"Reshape{dims.fmt_shape(tuple(target))} cannot hold a tensor of shape "
        f"{dims.fmt_shape(in_shape)}: {dims.fmt_dim(dims.product(in_shape[1:]))} "
        f"values per sample vs {dims.fmt_dim(dims.product(d for d in target if d != -1))}",
        "make the target's sizes multiply to the input's size per sample, "
        "or use -1 for one axis",
    )


@rule("Reshape", signature=("target_shape",), handles_unknown_rank=True, family="reshape")
def reshape(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    target = cfg.get("target_shape", UNKNOWN)
    if isinstance(target, int) and not isinstance(target, bool):
        target = (target,)
    if not isinstance(target, (list, tuple)):
        return Out([None], 0)
    target = [as_dim(t) if t != -1 else -1 for t in target]
    if shape is None:
        return Out([(None,) + tuple(None if t == -1 else t for t in target)], 0)
    in_rest = shape[1:]
    if any(d is None for d in in_rest) or any(t is None for t in target):
        return Out([(shape[0],) + tuple(None if t == -1 else t for t in target)], 0)
    size = dims.product(in_rest)
    n_unknown = sum(1 for t in target if t == -1)
    if n_unknown == 0:
        if dims.differs(size, dims.product(target)):
            raise _reshape_error(shape, target)
        return Out([(shape[0],) + tuple(target)], 0)
    if n_unknown > 1:
        return Out([(shape[0],) + tuple(None if t == -1 else t for t in target)], 0)
    known = dims.product(t for t in target if t != -1)
    if isinstance(size, int) and isinstance(known, int):
        if known == 0 or size % known != 0:
            raise _reshape_error(shape, target)
        fill = size // known
    else:
        fill = dims.floordiv(size, known)
    return Out([(shape[0],) + tuple(fill if t == -1 else t for t in target)], 0)


@rule("Permute", signature=("dims",), family="reshape")
def permute(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    order = cfg.get("dims", UNKNOWN)
    if not isinstance(order, (list, tuple)) or not all(isinstance(i, int) for i in order):
        return Out([None if shape is None else (None,) * len(shape)], 0)
    require_rank(cfg, shape, ndim=len(order) + 1)
    return Out([(shape[0],) + tuple(shape[i] for i in order)], 0)


@rule("RepeatVector", signature=("n",), family="reshape")
def repeat_vector(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, ndim=2, fix="flatten or pool the input to (batch, features) first")
    return Out([(shape[0], as_dim(cfg.get("n", UNKNOWN)), shape[1])], 0)

