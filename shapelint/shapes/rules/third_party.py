"""Layers of the libraries Keras code uses most besides Keras itself:
TensorFlow Addons, KerasCV, KerasHub (KerasNLP is the same package under
its old name), Keras-contrib and TensorFlow Hub's ``KerasLayer``.

Each rule is registered under the class's dotted public name
(``tensorflow_addons.layers.InstanceNormalization``), never under the bare
class name: ``tfa.layers.GroupNormalization`` is not
``keras.layers.GroupNormalization``.  The front end maps an imported name to
these through ``resolve.classify`` (``keras_nlp`` is read as ``keras_hub``;
any ``<package>.layers.<sub>.Name`` path as ``<package>.layers.Name``).

What each rule mirrors (tests/test_rules_third_party.py checks them against
the installed package where it imports with Keras 3, else against the
formula below, which the package documents):

* shape-keeping layers -- ``GELU``, ``Sparsemax``, ``TLU`` (addons),
  ``DropPath``, ``RandomFlip``, ``RandAugment`` (KerasCV),
  ``SinePositionEncoding``, ``RotaryEmbedding`` (KerasHub): the input shape.
* normalisations -- addons' ``InstanceNormalization``,
  ``GroupNormalization(groups)``, ``FilterResponseNormalization`` and
  keras-contrib's ``InstanceNormalization``: the input shape; addons'
  ``build`` refuses a None or indivisible channel axis (and FRN any rank but
  4), for which the output is left unknown.
* wrappers -- addons' ``WeightNormalization(layer)`` and
  ``SpectralNormalization(layer)``: the wrapped layer's output.
* addons' ``AdaptiveAverage/MaxPooling1D/2D/3D(output_size, data_format)``
  (``compute_output_shape``): the spatial axes become ``output_size``; its
  ``call`` splits them with ``tf.split``, so an axis not divisible by its bin
  count is left unknown; ``Maxout(num_units, axis)``: that axis becomes
  ``num_units`` (indivisible: unknown).
* KerasCV ``StochasticDepth(rate)`` on ``[shortcut, residual]``: the
  shortcut's shape; ``SqueezeAndExcite2D(filters)``: the input's, when
  ``filters`` equals its channels (else Keras cannot broadcast the scale);
  ``RandomCropAndResize(target_size)``: ``(batch, *target_size, channels)``.
* KerasHub ``TransformerEncoder``, ``FNetEncoder``: the input's;
  ``TransformerDecoder(decoder_sequence, encoder_sequence)``: the decoder
  sequence's; ``PositionEmbedding(sequence_length)``: the input's, and
  ``TokenAndPositionEmbedding(vocabulary_size, sequence_length,
  embedding_dim)``: ``input + (embedding_dim,)``, when the sequence axis fits
  in ``sequence_length`` (a longer one fails when run: unknown);
  ``ReversibleEmbedding(input_dim, output_dim)``: ``input + (output_dim,)``.
* ``tensorflow_hub.KerasLayer(handle, ..., output_shape=[...])``: taken at
  its word, ``(batch,) + output_shape``; without ``output_shape`` (or with a
  nested one) the output is unknown: the model behind the handle is not
  visible.

Parameter counts are left unknown (None): only shapes are claimed.
"""
from __future__ import annotations

from typing import Dict, Tuple

from shapelint.shapes.dims import as_dim
from shapelint.shapes.registry import LayerConfig, Out, ShapeError, apply_inner, channels_last, lookup, rule
from shapelint.unknown import UNKNOWN

TFA = "tensorflow_addons.layers."
KCV = "keras_cv.layers."
KHUB = "keras_hub.layers."
KCONTRIB = "keras_contrib.layers."
HUB_KERAS_LAYER = "tensorflow_hub.KerasLayer"

# The constructors' positional parameters, in each package's order
# (tests/test_rules_third_party.py compares them with the installed package,
# or with its source where it does not import).
_ADAPTIVE = ("output_size", "data_format")
THIRD_PARTY_POSITIONAL: Dict[str, Tuple[str, ...]] = {
    TFA + "GELU": ("approximate",),
    TFA + "Sparsemax": ("axis",),
    TFA + "TLU": ("affine", "tau_initializer", "tau_regularizer", "tau_constraint", "alpha_initializer",
                  "alpha_regularizer", "alpha_constraint"),
    TFA + "InstanceNormalization": (),
    TFA + "GroupNormalization": ("groups", "axis", "epsilon", "center", "scale", "beta_initializer",
                                 "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                                 "beta_constraint", "gamma_constraint"),
    TFA + "FilterResponseNormalization": ("epsilon", "axis", "beta_initializer", "gamma_initializer",
                                          "beta_regularizer", "gamma_regularizer", "beta_constraint",
                                          "gamma_constraint", "learned_epsilon",
                                          "learned_epsilon_constraint", "name"),
    TFA + "WeightNormalization": ("layer", "data_init"),
    TFA + "SpectralNormalization": ("layer", "power_iterations"),
    TFA + "Maxout": ("num_units", "axis"),
    TFA + "AdaptiveAveragePooling1D": _ADAPTIVE,
    TFA + "AdaptiveAveragePooling2D": _ADAPTIVE,
    TFA + "AdaptiveAveragePooling3D": _ADAPTIVE,
    TFA + "AdaptiveMaxPooling1D": _ADAPTIVE,
    TFA + "AdaptiveMaxPooling2D": _ADAPTIVE,
    TFA + "AdaptiveMaxPooling3D": _ADAPTIVE,
    KCONTRIB + "InstanceNormalization": ("axis", "epsilon", "center", "scale", "beta_initializer",
                                         "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                                         "beta_constraint", "gamma_constraint"),
    KCV + "DropPath": ("rate", "seed"),
    KCV + "StochasticDepth": ("rate",),
    KCV + "SqueezeAndExcite2D": ("filters", "bottleneck_filters", "squeeze_activation", "excite_activation"),
    KCV + "RandomFlip": ("mode", "rate", "seed", "bounding_box_format"),
    KCV + "RandAugment": ("value_range", "augmentations_per_image", "magnitude", "magnitude_stddev", "rate",
                          "geometric", "seed"),
    KCV + "RandomCropAndResize": ("target_size", "crop_area_factor", "aspect_ratio_factor", "interpolation",
                                  "bounding_box_format", "seed"),
    KHUB + "TransformerEncoder": ("intermediate_dim", "num_heads", "dropout", "activation",
                                  "layer_norm_epsilon", "kernel_initializer", "bias_initializer",
                                  "normalize_first"),
    KHUB + "TransformerDecoder": ("intermediate_dim", "num_heads", "dropout", "activation",
                                  "layer_norm_epsilon", "kernel_initializer", "bias_initializer",
                                  "normalize_first"),
    KHUB + "FNetEncoder": ("intermediate_dim", "dropout", "activation", "layer_norm_epsilon",
                           "kernel_initializer", "bias_initializer"),
    KHUB + "TokenAndPositionEmbedding": ("vocabulary_size", "sequence_length", "embedding_dim", "tie_weights",
                                         "embeddings_initializer", "mask_zero"),
    KHUB + "PositionEmbedding": ("sequence_length", "initializer"),
    KHUB + "SinePositionEncoding": ("max_wavelength",),
    KHUB + "RotaryEmbedding": ("max_wavelength", "scaling_factor", "rope_type", "beta_fast", "beta_slow",
                               "original_max_position_embeddings", "truncate", "sequence_axis",
                               "feature_axis", "denominator_dim"),
    KHUB + "ReversibleEmbedding": ("input_dim", "output_dim", "tie_weights", "embeddings_initializer",
                                   "embeddings_regularizer", "embeddings_constraint", "mask_zero",
                                   "reverse_dtype", "logit_soft_cap"),
    HUB_KERAS_LAYER: ("handle", "trainable", "arguments", "_sentinel", "tags", "signature",
                      "signature_outputs_as_dict", "output_key", "output_shape", "load_options"),
}

UNKNOWN_OUT = Out([None], None)


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _axis(shape, axis):
    """``axis`` normalised for ``shape`` (None when not a valid int axis)."""
    axis = _int(axis)
    if axis is None or not -len(shape) <= axis < len(shape):
        return None
    return axis % len(shape)


@rule(TFA + "GELU", TFA + "Sparsemax", TFA + "TLU", KCV + "DropPath", KCV + "RandomFlip", KCV + "RandAugment",
      KHUB + "SinePositionEncoding", KHUB + "RotaryEmbedding",
      signature=THIRD_PARTY_POSITIONAL, family="elementwise")
def shape_keeping(cfg: LayerConfig, inputs):
    """The input's shape (activations, regularisers, augmentations, encodings)."""
    return Out([inputs[0]], None)


@rule(TFA + "InstanceNormalization", TFA + "GroupNormalization", TFA + "FilterResponseNormalization",
      KCONTRIB + "InstanceNormalization", signature=THIRD_PARTY_POSITIONAL, family="elementwise")
def normalisation(cfg: LayerConfig, inputs):
    """addons' GroupNormalization.build (InstanceNormalization: groups = the
    channels); FilterResponseNormalization takes 4-D inputs only."""
    (shape,) = inputs[:1]
    name = cfg.class_name
    if name == KCONTRIB + "InstanceNormalization":
        return Out([shape], None)
    if name == TFA + "FilterResponseNormalization":
        return Out([shape], None) if len(shape) == 4 and None not in shape[1:] else UNKNOWN_OUT
    axis = _axis(shape, cfg.get("axis", -1))
    if axis is None or axis == 0:
        return UNKNOWN_OUT
    channels = shape[axis]
    if not isinstance(channels, int):
        return UNKNOWN_OUT  # addons refuses a None channel axis
    if name == TFA + "GroupNormalization":
        groups = _int(cfg.get("groups", 32))
        if groups is None or groups <= 0 or channels < groups or channels % groups:
            return UNKNOWN_OUT
    return Out([shape], None)


@rule(TFA + "WeightNormalization", TFA + "SpectralNormalization", signature=THIRD_PARTY_POSITIONAL,
      family="wrapper")
def weight_wrapper(cfg: LayerConfig, inputs):
    """The wrapped layer's output: the wrapper only reparametrises its kernel."""
    inner = cfg.get("layer", None)
    if not isinstance(inner, LayerConfig):
        return UNKNOWN_OUT
    inner_rule = lookup(inner.class_name)
    if inner_rule is None or inner_rule.inputs != "single":
        return UNKNOWN_OUT
    try:
        out = apply_inner(cfg, inner, [inputs[0]])
    except ShapeError:
        return UNKNOWN_OUT  # Keras' refusal is reported where the layer is Keras' own
    return Out(list(out.shapes), None)


@rule(TFA + "AdaptiveAveragePooling1D", TFA + "AdaptiveAveragePooling2D", TFA + "AdaptiveAveragePooling3D",
      TFA + "AdaptiveMaxPooling1D", TFA + "AdaptiveMaxPooling2D", TFA + "AdaptiveMaxPooling3D",
      signature=THIRD_PARTY_POSITIONAL, family="pooling")
def adaptive_pooling(cfg: LayerConfig, inputs):
    """``AdaptivePoolingND.compute_output_shape``; ``call`` splits each spatial
    axis into ``output_size`` equal bins."""
    (shape,) = inputs[:1]
    n = int(cfg.class_name[-2])
    if len(shape) != n + 2:
        return UNKNOWN_OUT
    size = cfg.get("output_size", UNKNOWN)
    sizes = (size,) * n if _int(size) is not None else tuple(size) if isinstance(size, (tuple, list)) else ()
    if len(sizes) != n or any(_int(s) is None or s <= 0 for s in sizes):
        return UNKNOWN_OUT
    last = channels_last(cfg)
    if last is None:
        return UNKNOWN_OUT
    spatial = shape[1:-1] if last else shape[2:]
    if any(not isinstance(d, int) or d % s for d, s in zip(spatial, sizes)):
        return UNKNOWN_OUT  # tf.split needs the axis known and divisible
    out = (shape[0],) + sizes + (shape[-1],) if last else (shape[0], shape[1]) + sizes
    return Out([out], 0)


@rule(TFA + "Maxout", signature=THIRD_PARTY_POSITIONAL, family="reshape")
def maxout(cfg: LayerConfig, inputs):
    """``Maxout.compute_output_shape``: the axis becomes ``num_units``; its
    ``call`` refuses a size that is not a multiple of it."""
    (shape,) = inputs[:1]
    units = _int(cfg.get("num_units", UNKNOWN))
    axis = _axis(shape, cfg.get("axis", -1))
    if units is None or units <= 0 or axis is None or not isinstance(shape[axis], int) or shape[axis] % units:
        return UNKNOWN_OUT
    return Out([shape[:axis] + (units,) + shape[axis + 1:]], 0)


@rule(KCV + "StochasticDepth", signature=THIRD_PARTY_POSITIONAL, inputs="list", family="merge")
def stochastic_depth(cfg: LayerConfig, inputs):
    """``shortcut + residual`` (the residual scaled): equal shapes give that shape."""
    if len(inputs) != 2 or inputs[0] != inputs[1] or inputs[0] is None:
        return UNKNOWN_OUT
    return Out([inputs[0]], 0)


@rule(KCV + "SqueezeAndExcite2D", signature=THIRD_PARTY_POSITIONAL, family="elementwise")
def squeeze_and_excite(cfg: LayerConfig, inputs):
    """``inputs * excite(squeeze(inputs))``: the scale has ``filters`` channels."""
    (shape,) = inputs[:1]
    filters = _int(cfg.get("filters", UNKNOWN))
    if len(shape) != 4 or filters is None or shape[-1] != filters:
        return UNKNOWN_OUT
    return Out([shape], None)


@rule(KCV + "RandomCropAndResize", signature=THIRD_PARTY_POSITIONAL, family="spatial")
def random_crop_and_resize(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    target = cfg.get("target_size", UNKNOWN)
    if len(shape) != 4 or not isinstance(target, (tuple, list)) or len(target) != 2 \
            or any(_int(t) is None for t in target):
        return UNKNOWN_OUT
    return Out([(shape[0], target[0], target[1], shape[3])], 0)


@rule(KHUB + "TransformerEncoder", KHUB + "FNetEncoder", signature=THIRD_PARTY_POSITIONAL, family="elementwise")
def transformer_encoder(cfg: LayerConfig, inputs):
    """A residual block: the input's shape; its weights need the hidden size."""
    (shape,) = inputs[:1]
    if len(shape) < 3 or not isinstance(shape[-1], int):
        return UNKNOWN_OUT
    return Out([shape], None)


@rule(KHUB + "TransformerDecoder", signature=THIRD_PARTY_POSITIONAL, inputs="multi", family="elementwise")
def transformer_decoder(cfg: LayerConfig, inputs):
    """``call(decoder_sequence, encoder_sequence=None, ...)``: the decoder sequence's shape."""
    shape = inputs[0]
    if len(shape) < 3 or not isinstance(shape[-1], int):
        return UNKNOWN_OUT
    return Out([shape], None)


def _fits(shape, length) -> bool:
    """The sequence axis (1) is known not to exceed ``length`` positions, or is dynamic."""
    length = _int(length)
    return length is not None and len(shape) >= 2 and (shape[1] is None or (
        isinstance(shape[1], int) and shape[1] <= length))


@rule(KHUB + "PositionEmbedding", signature=THIRD_PARTY_POSITIONAL, family="elementwise")
def position_embedding(cfg: LayerConfig, inputs):
    """The position embeddings broadcast to the input's shape (rank >= 3)."""
    (shape,) = inputs[:1]
    if len(shape) < 3 or not isinstance(shape[-1], int) or not _fits(shape, cfg.get("sequence_length", UNKNOWN)):
        return UNKNOWN_OUT
    return Out([shape], None)


@rule(KHUB + "TokenAndPositionEmbedding", signature=THIRD_PARTY_POSITIONAL, family="embedding")
def token_and_position_embedding(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    dim = as_dim(cfg.get("embedding_dim", UNKNOWN))
    if len(shape) != 2 or _int(dim) is None or not _fits(shape, cfg.get("sequence_length", UNKNOWN)):
        return UNKNOWN_OUT
    return Out([shape + (dim,)], None)


@rule(KHUB + "ReversibleEmbedding", signature=THIRD_PARTY_POSITIONAL, family="embedding")
def reversible_embedding(cfg: LayerConfig, inputs):
    """``call(inputs, reverse=False)``: an embedding lookup."""
    (shape,) = inputs[:1]
    dim = _int(cfg.get("output_dim", UNKNOWN))
    if dim is None or cfg.call_arg("reverse", False) is not False:
        return UNKNOWN_OUT
    return Out([shape + (dim,)], None)


@rule(HUB_KERAS_LAYER, signature=THIRD_PARTY_POSITIONAL, handles_unknown_rank=True)
def hub_keras_layer(cfg: LayerConfig, inputs):
    """``KerasLayer.compute_output_shape``: ``(batch,) + output_shape`` when
    given (the first input's batch size); the model behind the handle otherwise."""
    declared = cfg.get("output_shape", None)
    first = inputs[0] if inputs else None
    if first is None or not first or not isinstance(declared, (tuple, list)) or not all(
            _int(d) is not None or d is None for d in declared):
        return UNKNOWN_OUT
    return Out([(first[0],) + tuple(declared)], None)
