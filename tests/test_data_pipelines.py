"""tf.strings and tf.audio.decode_wav, the ops a ``Dataset.map`` function
applies to text lines and wav files, against TensorFlow's shape inference
on tensors of unknown sizes."""
from __future__ import annotations

import pytest

pytest.importorskip("tensorflow")

from test_ops import T, check  # noqa: E402
from shapelint.frontend import library  # noqa: E402

library.load()  # the tf_strings rules are registered with the tensor ops

B = None


# ------------------------------------------------------------------- ops
S = "string"
OPS = [
    ("tensorflow.strings.split", [T((), S)], {"sep": "\t"}),
    ("tensorflow.strings.split", [T((B,), S)], {}),
    ("tensorflow.strings.split", [T((3, 2), S)], {}),
    ("tensorflow.strings.unicode_split", [T((), S), "UTF-8"], {}),
    ("tensorflow.strings.unicode_split", [T((4,), S)], {"input_encoding": "UTF-8"}),
    ("tensorflow.strings.bytes_split", [T((), S)], {}),
    ("tensorflow.strings.to_number", [T((B,), S)], {"out_type": "int32"}),
    ("tensorflow.strings.lower", [T((B, 3), S)], {}),
    ("tensorflow.strings.upper", [T((2,), S)], {}),
    ("tensorflow.strings.strip", [T((), S)], {}),
    ("tensorflow.strings.length", [T((B, 2), S)], {}),
    ("tensorflow.strings.regex_replace", [T((3,), S), "a", "b"], {}),
    ("tensorflow.strings.to_hash_bucket_fast", [T((3,), S), 10], {}),
    ("tensorflow.strings.reduce_join", [T((3, 4), S)], {}),
    ("tensorflow.strings.reduce_join", [T((3, 4), S)], {"axis": -1}),
    ("tensorflow.strings.reduce_join", [T((B, 4), S), 0], {"keepdims": True}),
    ("tensorflow.audio.decode_wav", [T((), S)], {}),
    ("tensorflow.audio.decode_wav", [T((), S), 1], {}),
    ("tensorflow.audio.decode_wav", [T((), S)], {"desired_channels": 2}),
    ("tensorflow.audio.decode_wav", [T((), S), 1, 16000], {}),
    ("tensorflow.audio.decode_wav", [T((), S)], {"desired_samples": 800}),
]


@pytest.mark.parametrize("qual,args,kwargs", OPS, ids=lambda v: str(v)[:40])
def test_text_and_audio_ops_agree_with_tensorflow(qual, args, kwargs):
    check(qual, args, kwargs, must_be_exact=True)
