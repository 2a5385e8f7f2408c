"""Spatial resizing: UpSampling1D/2D/3D, ZeroPadding1D/2D/3D and
Cropping1D/2D/3D.  Mirrors keras/src/layers/reshaping/{up_sampling,
zero_padding,cropping}*.py of Keras 3."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from shapelint.messages import NON_POSITIVE_DIMENSION
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    as_tuple,
    rule,
)
from shapelint.shapes.rules.conv import check_rank, join_channels, n_spatial, split_channels


def _pairs(value: Any, k: int) -> Optional[Tuple[Tuple[Any, Any], ...]]:
    """A padding/cropping argument as k (before, after) pairs, None when
    not evaluable.  Accepts an int, k ints or k pairs (1-D: an int or one
    pair)."""
    if k == 1:
        pair = as_tuple(value, 2)
        return None if pair is None else (pair,)
    if isinstance(value, (list, tuple)):
        if len(value) != k:
            return None
        pairs = tuple(as_tuple(v, 2) for v in value)
        return None if any(p is None for p in pairs) else pairs
    d = as_dim(value)
    return None if d is None else ((d, d),) * k


def _resize(cfg: LayerConfig, shape, sizes_of) -> Out:
    """Apply ``sizes_of(spatial) -> new spatial`` to the spatial axes."""
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    spatial, channels = split_channels(cfg, shape, last)
    if spatial is None:
        return Out([join_channels(cfg, shape[0], None, None, k, last)], 0)
    return Out([join_channels(cfg, shape[0], sizes_of(spatial), channels, k, last)], 0)


@rule("UpSampling1D", signature=("size",), family="spatial")
@rule("UpSampling2D", signature=("size", "data_format", "interpolation"), family="spatial")
@rule("UpSampling3D", signature=("size", "data_format"), family="spatial")
def up_sampling(cfg: LayerConfig, inputs):
    k = n_spatial(cfg)
    factors = as_tuple(cfg.get("size", 2), k) or (None,) * k
    return _resize(cfg, inputs[0], lambda spatial: tuple(
        dims.mul(n, f) for n, f in zip(spatial, factors)
    ))


@rule(
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    signature=("padding", "data_format"),
    family="spatial",
)
def zero_padding(cfg: LayerConfig, inputs):
    k = n_spatial(cfg)
    pads = _pairs(cfg.get("padding", 1), k) or ((None, None),) * k
    return _resize(cfg, inputs[0], lambda spatial: tuple(
        dims.add(n, dims.add(a, b)) for n, (a, b) in zip(spatial, pads)
    ))


_CROPPING_DEFAULT = {1: (1, 1), 2: 0, 3: 1}


@rule("Cropping1D", signature=("cropping",), family="spatial")
@rule("Cropping2D", "Cropping3D", signature=("cropping", "data_format"), family="spatial")
def cropping(cfg: LayerConfig, inputs):
    shape = inputs[0]
    k = n_spatial(cfg)
    value = cfg.get("cropping", _CROPPING_DEFAULT[k])
    crops = _pairs(value, k) or ((None, None),) * k

    def sizes_of(spatial):
        out = tuple(dims.sub(n, dims.add(a, b)) for n, (a, b) in zip(spatial, crops))
        for n, size in zip(spatial, out):
            if dims.provably_non_positive(size):
                shown = crops[0] if k == 1 else crops
                raise ShapeError(
                    NON_POSITIVE_DIMENSION,
                    f"{cfg.class_name} with cropping={shown} on input "
                    f"{dims.fmt_shape(shape)} leaves an output size of {size}: "
                    f"it crops {dims.sub(n, size)} from an axis of size {n}",
                    f"crop at most {dims.sub(n, 1)} in total on that axis",
                )
        return out

    return _resize(cfg, shape, sizes_of)

