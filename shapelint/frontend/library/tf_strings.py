"""Text and audio in TensorFlow input pipelines: ``tf.strings`` ops and
``tf.audio.decode_wav``, what a ``Dataset.map`` function does to the lines
of a ``TextLineDataset`` or the files of a list of paths before a model gets
them.

Each rule is TensorFlow's static shape inference for the op (what the
``element_spec`` of a mapped dataset shows): what the strings or files hold
is unknown, so a size that depends on it is TensorFlow's own None (a line's
tokens, a file's samples).  The rules are registered with ``tensor_ops.op``
and run as every tensor op does.
"""
from __future__ import annotations

from shapelint.frontend.library.tensor_ops import Outputs, Result, op, reduced_shape
from shapelint.shapes import dims

STRINGS = ("tensorflow.strings",)

# Ops that work string by string: the output has the input's shape.
_ELEMENTWISE = (
    "to_number", "lower", "upper", "strip", "length", "regex_replace", "as_string", "substr",
    "to_hash_bucket", "to_hash_bucket_fast", "to_hash_bucket_strong", "unicode_transcode",
    "unicode_script",
)


@op(*_ELEMENTWISE, modules=STRINGS)
def _string_elementwise(c, _tf: bool) -> Result:
    """String by string (``to_number``, ``lower``, ``length``,
    ``regex_replace`` ...): the input's shape."""
    return c.shape(c.get(0, "input", "string_tensor", "source")), True


@op("split", "unicode_split", "bytes_split", "unicode_decode", modules=STRINGS)
def _string_split(c, _tf: bool) -> Result:
    """``tf.strings.split`` (and ``unicode_split``, ``bytes_split``,
    ``unicode_decode``): each string becomes its pieces, a new last axis of
    run-time length -- a scalar gives a 1-D tensor of None, a batch of
    strings a ragged (n, None)."""
    shape = c.shape(c.get(0, "input", "source"))
    return (None, False) if shape is None else (shape + (None,), True)


@op("reduce_join", modules=STRINGS)
def _reduce_join(c, _tf: bool) -> Result:
    """``tf.strings.reduce_join(inputs, axis=None, keepdims=False)``: the
    strings joined along ``axis`` (all of them by default)."""
    shape = c.shape(c.get(0, "inputs"))
    axis, keepdims = c.get(1, "axis"), c.get(2, "keepdims", default=False)
    if shape is None or keepdims not in (True, False) or not (
            axis is None or dims.is_int(axis) or isinstance(axis, (list, tuple)) and all(map(dims.is_int, axis))):
        return None, False
    out = reduced_shape(shape, axis, keepdims)
    return (None, False) if out is None else (out, True)


@op("decode_wav", modules=("tensorflow.audio",))
def _decode_wav(c, _tf: bool) -> Result:
    """``tf.audio.decode_wav(contents, desired_channels=-1,
    desired_samples=-1)``: the audio ``(samples, channels)`` and the sample
    rate, a scalar.  A size the call asks for is set (samples are padded or
    cut to it); the others are the file's, None."""
    contents = c.shape(c.get(0, "contents"))
    channels, samples = c.get(1, "desired_channels", default=-1), c.get(2, "desired_samples", default=-1)
    if contents != () or not (dims.is_int(channels) and dims.is_int(samples)):
        return None, False
    size = (samples if samples > 0 else None, channels if channels > 0 else None)
    return Outputs((size, ())), True
