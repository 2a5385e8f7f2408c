"""Outputs that are exact although some argument or value is not known
(issue 13: sites applied but not exact), each checked against Keras running
the program (tests/oracle_runner.py): every shape shapelint claims at a
(line, col, class) is the one Keras gives there, and ``KNOWN`` lists
applications that must be known and exact (not exact before: the test fails
without the change).  The unknown values come from a file the program writes
and reads back, as a vocabulary or a data set would.

* an argument that sizes only the weights: Embedding's ``input_dim`` (the
  table's rows: ``compute_output_shape`` is ``input_shape + (output_dim,)``),
  MultiHeadAttention's ``num_heads``/``key_dim``/``value_dim`` (the output is
  the query's shape, or ``output_shape``; the heads only size the scores'
  heads axis).
* ``keras.applications.<family>.preprocess_input(x)`` of a tensor: its shape
  ("tf" scaling, or the families whose models preprocess themselves); "caffe"
  and "torch" add a (3,) per-channel mean, so only channels-last images of 3
  channels keep their shape.
* a Sequential in a Sequential's list (a ``data_augmentation`` model): a
  layer like any other, and first in the list, when it is built, it builds
  the outer one on its input shape (``Sequential._maybe_rebuild`` reads the
  first layer's ``input_shape``; an unbuilt one has none, and the outer model
  waits).
"""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

_VOCABULARY = """
    import os
    import tempfile
    import keras
    from keras import layers

    path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(path, "w") as handle:
        handle.write("the\\ncat\\nsat\\n")
    with open(path) as handle:
        voc = handle.read().split()
    num_tokens = len(voc) + 2
"""

PROGRAMS = {
    "params_only_arguments": (_VOCABULARY + """
    inp = keras.Input(shape=(None,), dtype="int64")
    emb = layers.Embedding(num_tokens, 16)(inp)
    x = layers.Conv1D(8, 3, activation="relu")(emb)
    att = layers.MultiHeadAttention(num_heads=num_tokens, key_dim=num_tokens)(x, x)
    att2 = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=num_tokens, output_shape=5)(x, x)
    out, scores = layers.MultiHeadAttention(num_heads=num_tokens, key_dim=4)(x, x, return_attention_scores=True)
    fixed = keras.Input(shape=(10,), dtype="int64")
    emb2 = layers.Embedding(input_dim=num_tokens, output_dim=6, mask_zero=True)(fixed)
    pooled = layers.GlobalMaxPooling1D()(att)
    head = layers.Dense(3)(pooled)
    """, ""),
    "preprocess_input": ("""
    import keras
    from keras import layers
    from keras.applications import mobilenet_v2, vgg16

    backbone = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
    inputs = layers.Input((96, 96, 3))
    x = mobilenet_v2.preprocess_input(inputs)
    x = backbone(x)
    x = layers.Dropout(0.3)(x)
    y = layers.Conv2D(4, 3)(vgg16.preprocess_input(inputs))
    z = layers.Conv2D(4, 3)(keras.applications.densenet.preprocess_input(inputs))
    w = layers.Conv2D(4, 3)(keras.applications.efficientnet.preprocess_input(layers.Input((32, 32, 5))))
    v = layers.Conv2D(4, 3)(keras.applications.imagenet_utils.preprocess_input(layers.Input((32, 32, 2)), mode="tf"))
    u = layers.Conv2D(4, 3)(keras.applications.resnet50.preprocess_input(layers.Input((None, None, 3))))
    gray = layers.Conv2D(4, 3)(keras.applications.densenet.preprocess_input(layers.Input((32, 32, 1))))
    """, ""),
    "nested_sequential": ("""
    import keras
    from keras import layers

    augment = keras.Sequential([layers.RandomFlip("horizontal", input_shape=(32, 32, 3)), layers.RandomRotation(0.1)])
    model = keras.Sequential([
        augment,
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(8, 3),
        layers.Flatten(),
        layers.Dense(2),
    ])
    unbuilt = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.1)])
    later = keras.Sequential([keras.Input((16, 16, 1)), unbuilt, layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()])
    deferred = keras.Sequential([keras.Sequential([layers.RandomFlip("horizontal")]), layers.Dense(3)])
    """, "\nassert model.built and later.built and not deferred.built\n"
        "assert model.layers[0].output.shape == (None, 32, 32, 3)\n"
        "assert unbuilt.output.shape == (None, 16, 16, 1)\n"),
}

# (program, line, class): known and exact at every application
KNOWN = [
    ("params_only_arguments", 14, "Embedding"),
    ("params_only_arguments", 15, "Conv1D"),
    ("params_only_arguments", 16, "MultiHeadAttention"),
    ("params_only_arguments", 17, "MultiHeadAttention"),
    ("params_only_arguments", 20, "Embedding"),
    ("preprocess_input", 9, "Dropout"),
    ("preprocess_input", 10, "Conv2D"),
    ("preprocess_input", 11, "Conv2D"),
    ("preprocess_input", 12, "Conv2D"),
    ("preprocess_input", 13, "Conv2D"),
    ("preprocess_input", 14, "Conv2D"),
    ("nested_sequential", 7, "Rescaling"),
    ("nested_sequential", 8, "Conv2D"),
    ("nested_sequential", 9, "Flatten"),
    ("nested_sequential", 10, "Dense"),
    ("nested_sequential", 13, "Conv2D"),
    ("nested_sequential", 13, "GlobalAveragePooling2D"),
    ("nested_sequential", 12, "RandomZoom"),
]

# The models Keras applies inside a Sequential, which the oracle does not
# record: what shapelint claims there, checked by the program's Keras-only
# lines instead.
NESTED = {("nested_sequential", 4, "Sequential"): [(None, 32, 32, 3)]}

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "exact_reach")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_claims_are_keras_s(name, programs):
    paths, oracle = programs
    unrecorded = {(line, cls) for (program, line, cls) in NESTED if program == name}
    rows = keras_programs.check_claims(name, paths[name], oracle[name], KNOWN, unrecorded)
    for (program, line, cls), shapes in NESTED.items():
        if program == name:
            got = [tuple(r["output_shape"]) for r in rows if r["line"] == line and r["layer"] == cls and r["exact"]]
            assert got == shapes, (line, cls, got)


def test_the_scores_heads_axis_is_not_claimed_from_unknown_heads(programs):
    """The scores' heads axis is num_heads: unknown there, so that output is
    not exact (the attention output beside it is)."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    paths, _ = programs
    with open(paths["params_only_arguments"], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths["params_only_arguments"])
    rows = [layer.to_json() for layer in result.layers if layer.line == 18]
    assert rows and not any(r["exact"] for r in rows), rows
