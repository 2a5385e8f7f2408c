"""Preprocessing and augmentation layers (keras/src/layers/preprocessing).
Augmentations keep the shape; Resizing/CenterCrop/RandomCrop set height and
width.

Lookup and encoding layers (StringLookup, IntegerLookup, TextVectorization,
Hashing, CategoryEncoding, Discretization, HashedCrossing) mirror what Keras
reports on a symbolic input, i.e. their ``compute_output_shape`` (Hashing: its
``compute_output_spec``), even where the tensor a real call returns differs
(TextVectorization(output_mode="multi_hot") on ``(batch, 1)`` strings is
reported as ``(batch, 1, depth)``).  ``output_mode="int"`` keeps the input
shape; the other modes add or replace the last axis with the encoding depth:
``max_tokens`` with ``pad_to_max_tokens``, else the size of a ``vocabulary``
given in the code -- ``None`` before ``adapt()``, as Keras reports it; a
vocabulary file makes the output unknown.  None of them has weights.
"""
from __future__ import annotations

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, MERGE_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import LayerConfig, Out, ShapeError, rule
from shapelint.unknown import UNKNOWN

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


@rule(*_SHAPE_KEEPING, signature=KERAS_POSITIONAL, handles_unknown_rank=True, family="elementwise")
def augmentation(cfg: LayerConfig, inputs):
    return Out([inputs[0]], 0)


@rule("RandomWidth", "RandomHeight", signature=("factor", "interpolation", "seed"), family="spatial")
def random_width_height(cfg: LayerConfig, inputs):
    """The Keras 2 layers Keras 3 keeps for ``tf.keras`` only
    (keras/src/legacy/layers.py): ``compute_output_shape`` makes the width
    (axis -2) or the height (axis -3) None, the size each call draws.  An
    input of too few axes for that (Keras: an IndexError) is left unknown."""
    (shape,) = inputs[:1]
    axis = -2 if cfg.class_name == "RandomWidth" else -3
    if len(shape) < -axis:
        return None
    out = list(shape)
    out[axis] = None
    return Out([tuple(out)], 0)


@rule("Resizing", "CenterCrop", "RandomCrop", signature=KERAS_POSITIONAL, family="spatial")
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


# --- lookup and encoding layers ---------------------------------------------------

_INDEX_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
# A size that exists but comes from data shapelint cannot read.
_UNSEEN = object()


def _mode(cfg: LayerConfig, default: str, allowed, aliases=False):
    """The output_mode, or None when unknown or refused by Keras."""
    mode = cfg.get("output_mode", default)
    if not isinstance(mode, str):
        return None
    if aliases:
        mode = _MODE_ALIASES.get(mode, mode)
    return mode if mode in allowed else None


def _last_is_one(shape):
    """Whether the last axis is 1: True/False, None when a symbol hides it."""
    if dims.is_symbolic(shape[-1]):
        return None
    return shape[-1] == 1


def _one_hot(shape, depth):
    """One-hot shape: a last axis of 1 is replaced by ``depth`` (rank > 1),
    otherwise ``depth`` is appended; None when it cannot be told."""
    if len(shape) > 1:
        one = _last_is_one(shape)
        if one is None:
            return None
        if one:
            return tuple(shape[:-1]) + (depth,)
    return tuple(shape) + (depth,)


def _encoded(shape, mode: str, depth):
    """``IndexLookup.compute_output_shape`` (also CategoryEncoding's)."""
    if mode == "int":
        return tuple(shape)
    if mode == "one_hot":
        return _one_hot(shape, depth)
    return tuple(shape[:-1]) + (depth,)


def _lookup_depth(cfg: LayerConfig, num_oov, oov_token):
    """The encoding depth of a lookup: ``max_tokens`` with
    ``pad_to_max_tokens``, else the vocabulary size Keras records in
    ``set_vocabulary`` (OOV indices + tokens; leading OOV tokens in the
    vocabulary are not counted twice; the mask token only counts in "int"
    mode, which needs no depth); None without a vocabulary."""
    pad = cfg.get("pad_to_max_tokens", False)
    if pad is UNKNOWN:
        return None
    if pad:
        return as_dim(cfg.get("max_tokens", None))
    vocab = cfg.get("vocabulary", None)
    if isinstance(vocab, str):
        return _UNSEEN
    plain = (str, bytes, int, float)
    if (
        not isinstance(vocab, (list, tuple))
        or not all(isinstance(v, plain) for v in vocab)
        or not isinstance(num_oov, int)
        or not (oov_token is None or isinstance(oov_token, plain))
    ):
        return None
    vocab = list(vocab)
    special = [oov_token] * num_oov
    tokens = vocab[num_oov:] if vocab[:num_oov] == special else vocab
    return num_oov + len(tokens)




@rule("StringLookup", signature=KERAS_POSITIONAL, handles_unknown_rank=True,
      family="encoding")
@rule("IntegerLookup", signature=KERAS_POSITIONAL, handles_unknown_rank=True,
      family="encoding")
def index_lookup(cfg: LayerConfig, inputs):
    """``IndexLookup.compute_output_shape`` (keras/src/layers/preprocessing/
    index_lookup.py), the base of StringLookup and IntegerLookup."""
    (shape,) = inputs[:1]
    mode = _mode(cfg, "int", _INDEX_MODES, aliases=True)
    if mode == "int":
        return Out([shape], 0)
    default_oov = "[UNK]" if cfg.class_name == "StringLookup" else -1
    depth = _lookup_depth(
        cfg, cfg.get("num_oov_indices", 1), cfg.get("oov_token", default_oov)
    )
    if shape is None or mode is None or depth is _UNSEEN:
        return Out([None], 0)
    # Without a vocabulary the depth is None only until adapt(): the program
    # applies the layer after adapt(), when Keras knows it.
    return Out([_encoded(shape, mode, depth)], 0, exact=depth is not None)


@rule(
    "TextVectorization",
    signature=KERAS_POSITIONAL,
    family="encoding",
)
def text_vectorization(cfg: LayerConfig, inputs):
    """``TextVectorization.compute_output_shape``: "int" gives ``(batch,
    output_sequence_length)``; the other modes encode the input with a new
    ``None`` token axis (a split) or, with ``split=None``, the input made at
    least 2-D, through the inner StringLookup (mask "", one OOV index)."""
    (shape,) = inputs[:1]
    mode = _mode(cfg, "int", _INDEX_MODES, aliases=True)
    split = cfg.get("split", "whitespace")
    if mode == "int":
        if not shape:
            # One string: a dataset element or a constant (keras.Input always
            # has a batch axis), which call() takes -- its tokens, or with
            # split=None the one index -- as TensorFlow traces it in a map.
            length = cfg.get("output_sequence_length", None)
            if split is UNKNOWN or length is UNKNOWN:
                return Out([None], 0)
            if split is None and length is not None:
                raise ShapeError(
                    INCOMPATIBLE_INPUT_RANK,
                    "TextVectorization(split=None, output_sequence_length=...) pads or trims a token "
                    "axis that one unsplit string does not have; Keras raises (\"Attempting to slice "
                    "scalar input\")",
                    "give it a batch of strings, or leave output_sequence_length unset",
                )
            return Out([() if split is None else (as_dim(length),)], 0)
        return Out([(shape[0], as_dim(cfg.get("output_sequence_length", None)))], 0)
    depth = _lookup_depth(cfg, 1, "[UNK]")
    if mode is None or split is UNKNOWN or depth is _UNSEEN:
        return Out([None], 0)
    if split is not None:
        shape = tuple(shape) + (None,)
    elif len(shape) <= 1:
        shape = tuple(shape) + (1,)
    return Out([_encoded(shape, mode, depth)], 0, exact=depth is not None)


@rule("Hashing", signature=("num_bins", "mask_value", "salt", "output_mode", "sparse"),
      handles_unknown_rank=True, family="encoding")
def hashing(cfg: LayerConfig, inputs):
    """``Hashing.compute_output_spec``: "int" keeps the shape; one_hot,
    multi_hot and count all replace the last axis by ``num_bins`` (a scalar
    gives ``(num_bins,)``)."""
    (shape,) = inputs[:1]
    mode = _mode(cfg, "int", ("int", "one_hot", "multi_hot", "count"))
    if mode == "int":
        return Out([shape], 0)
    if shape is None or mode is None:
        return Out([None], 0)
    return Out([tuple(shape[:-1]) + (as_dim(cfg.get("num_bins", UNKNOWN)),)], 0)


@rule("CategoryEncoding", signature=("num_tokens", "output_mode", "sparse"), family="encoding")
def category_encoding(cfg: LayerConfig, inputs):
    """``CategoryEncoding.compute_output_shape``: one_hot replaces a last
    axis of 1 (rank > 1) or appends ``num_tokens``; multi_hot and count
    replace the last axis."""
    (shape,) = inputs[:1]
    mode = _mode(cfg, "multi_hot", ("one_hot", "multi_hot", "count"), aliases=True)
    if mode is None:
        return Out([None], 0)
    return Out([_encoded(shape, mode, as_dim(cfg.get("num_tokens", UNKNOWN)))], 0)


@rule("Discretization",
      signature=KERAS_POSITIONAL,
      family="encoding")
def discretization(cfg: LayerConfig, inputs):
    """``Discretization.compute_output_shape``: depth ``len(bin_boundaries)
    + 1`` or ``num_bins``; one_hot as CategoryEncoding; multi_hot and count
    drop axis 1 (not the last one) of a 2-D or higher input and append the
    depth, a 0-D or 1-D input gives ``(depth,)``."""
    (shape,) = inputs[:1]
    mode = _mode(cfg, "int", ("int", "one_hot", "multi_hot", "count"))
    if mode == "int":
        return Out([shape], 0)
    if mode is None:
        return Out([None], 0)
    boundaries = cfg.get("bin_boundaries", None)
    if boundaries is None:
        depth = as_dim(cfg.get("num_bins", None))
    else:
        depth = len(boundaries) + 1 if isinstance(boundaries, (list, tuple)) else None
    if mode == "one_hot":
        return Out([_one_hot(shape, depth)], 0)
    if len(shape) >= 2:
        return Out([(shape[0],) + tuple(shape[2:]) + (depth,)], 0)
    return Out([(depth,)], 0)


@rule("HashedCrossing", signature=KERAS_POSITIONAL, inputs="list",
      family="encoding")
def hashed_crossing(cfg: LayerConfig, inputs):
    """``HashedCrossing.compute_output_shape``: exactly two inputs whose last
    sizes are equal; "int" gives the first input's shape, one_hot replaces a
    last axis of 1 by ``num_bins`` or appends it."""
    shapes = list(inputs)
    if len(shapes) != 2:
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"HashedCrossing must be called on a list of 2 tensors, but gets {len(shapes)}",
            "cross two features per HashedCrossing layer",
        )
    first, second = shapes
    if not first or not second:
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            "HashedCrossing reads (batch,) or (batch, 1) features but gets a "
            f"scalar: {dims.fmt_shape(first)} and {dims.fmt_shape(second)}",
            "give each feature a batch axis",
        )
    same = dims.equal(first[-1], second[-1])
    if same is False:
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"HashedCrossing needs inputs with the same last size but gets "
            f"{dims.fmt_shape(first)} and {dims.fmt_shape(second)}",
            "give both features the same shape, e.g. (batch, 1)",
        )
    if same is None and not (first[-1] is None and second[-1] is None):
        return Out([None], 0)  # Keras refuses None against a size
    mode = _mode(cfg, "int", ("int", "one_hot"))
    if mode == "int":
        return Out([tuple(first)], 0)
    if mode is None:
        return Out([None], 0)
    one = _last_is_one(first)
    if one is None:
        return Out([None], 0)
    kept = tuple(first[:-1]) if one else tuple(first)
    return Out([kept + (as_dim(cfg.get("num_bins", UNKNOWN)),)], 0)
