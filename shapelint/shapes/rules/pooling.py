"""Pooling: MaxPooling1D/2D/3D, AveragePooling1D/2D/3D and the global
poolings.  Mirrors keras/src/layers/pooling/base_pooling.py,
base_global_pooling.py and ``compute_pooling_output_shape``
(keras/src/ops/operation_utils.py) of Keras 3."""
from __future__ import annotations

from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import LayerConfig, Out, alias, rule
from shapelint.shapes.rules.conv import (
    check_rank,
    join_channels,
    n_spatial,
    padding_mode,
    spatial_output,
    split_channels,
    tuple_arg,
)
from shapelint.unknown import UNKNOWN



@rule(
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    signature=KERAS_POSITIONAL,
    family="pool",
)
def pooling(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    # MaxPooling defaults to a window of 2; AveragePooling requires one.
    default = 2 if cfg.class_name.startswith("Max") else UNKNOWN
    pool = tuple_arg(cfg, "pool_size", k, default)
    strides = cfg.get("strides", None)
    strides = pool if strides is None else tuple_arg(cfg, "strides", k, None)
    spatial, channels = split_channels(cfg, shape, last)
    if spatial is None:
        return Out([join_channels(cfg, shape[0], None, None, k, last)], 0)
    # Keras does not lower-case a pooling layer's padding.
    out = spatial_output(
        cfg, shape, spatial, pool, strides,
        padding_mode(cfg, lower=False), (1,) * k, window_name="pool_size",
    )
    return Out([join_channels(cfg, shape[0], out, channels, k, last)], 0)


@rule(
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    signature=("data_format", "keepdims"),
    family="global_pool",
)
def global_pooling(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    last = check_rank(cfg, shape, k)
    keepdims = cfg.get("keepdims", False)
    if not isinstance(keepdims, bool):
        return Out([None], 0)
    spatial, channels = split_channels(cfg, shape, last)
    if spatial is None:
        return Out([(shape[0],) + (None,) * (k + 1 if keepdims else 1)], 0)
    if keepdims:
        return Out([join_channels(cfg, shape[0], (1,) * k, channels, k, last)], 0)
    return Out([(shape[0], channels)], 0)


for _k in (1, 2, 3):
    alias(f"MaxPooling{_k}D", f"MaxPool{_k}D")
    alias(f"AveragePooling{_k}D", f"AvgPool{_k}D")
    alias(f"GlobalMaxPooling{_k}D", f"GlobalMaxPool{_k}D")
    alias(f"GlobalAveragePooling{_k}D", f"GlobalAvgPool{_k}D")
