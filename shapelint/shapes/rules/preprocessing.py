"""Preprocessing and augmentation layers (keras/src/layers/preprocessing).
Augmentations keep the shape; Resizing/CenterCrop/RandomCrop set height and
width.  Lookup/encoding layers whose output depends on data stay unknown."""
from __future__ import annotations

from shapelint.shapes.registry import UNKNOWN, LayerConfig, Out, as_dim, rule

_SHAPE_KEEPING = (
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
    "RandomBrightness",
    "RandomGrayscale",
    "RandomHue",
    "RandomSaturation",
    "RandomSharpness",
    "RandomColorJitter",
    "RandomPosterization",
    "RandomInvert",
    "RandomErasing",
    "RandomGaussianBlur",
    "RandomShear",
    "RandomPerspective",
    "RandomElasticTransform",
    "AutoContrast",
    "Equalization",
    "Solarization",
    "RandomApply",
    "MixUp",
    "CutMix",
    "AugMix",
    "RandAugment",
)


@rule(*_SHAPE_KEEPING, handles_unknown_rank=True, family="elementwise")
def augmentation(cfg: LayerConfig, inputs):
    return Out([inputs[0]], 0)


@rule("Resizing", "CenterCrop", "RandomCrop", signature=("height", "width"), family="spatial")
def resize(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    if len(shape) not in (3, 4):
        return Out([None], 0)
    height = as_dim(cfg.get("height", UNKNOWN))
    width = as_dim(cfg.get("width", UNKNOWN))
    out = list(shape)
    first = 1 if len(shape) == 4 else 0
    if cfg.get("data_format") == "channels_first":
        first += 1
    out[first], out[first + 1] = height, width
    return Out([tuple(out)], 0)
