"""Models made of another model's layers, as transfer-learning code does:
``Sequential(model_A.layers[:-1])`` (the same layer objects, shared; a
functional model's InputLayer becomes the new model's input) and
``keras.models.clone_model(model)`` (new layers of the same
configurations).  Each program runs under Keras: every exact claim is one
Keras makes; the clone's layers, which Keras constructs itself, are compared
with the cloned model's own layers."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import keras_programs
from conftest import TF_ENVIRONMENT
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")

SEQUENTIAL_A = """
    import numpy as np
    import keras

    model_A = keras.models.Sequential()
    model_A.add(keras.layers.Flatten(input_shape=[28, 28]))
    for n_hidden in (300, 100, 50):
        model_A.add(keras.layers.Dense(n_hidden, activation="selu"))
    model_A.add(keras.layers.Dense(8, activation="softmax"))
"""

PROGRAMS = {
    # the hidden layers of model_A reused under a new head
    "reuse_sequential": (SEQUENTIAL_A + """
    model_B_on_A = keras.models.Sequential(model_A.layers[:-1])
    model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
    model_B_on_A.compile(loss="binary_crossentropy", optimizer="sgd")
    model_B_on_A.fit(np.random.rand(16, 28, 28), np.random.randint(0, 2, 16), epochs=1, verbose=0)
    """, ""),
    # a functional model's layers: its InputLayer first
    "reuse_functional": ("""
    import keras
    from keras import layers

    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    base = keras.Model(inputs, outputs)
    features = keras.Sequential(base.layers[:-1])
    head = keras.Sequential(base.layers[:-1] + [layers.Dense(3)])
    """, ""),
}

# (program, line, class of the new head): known and exact.
KNOWN = {"reuse_sequential": (11, "Dense"), "reuse_functional": (11, "Dense")}

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "reused_layers")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_exact_claims_are_keras(name, programs):
    """Every exact claim is a shape Keras gives there.  (The oracle records
    one application per layer object that a Sequential calls itself, so a
    shared layer's second model is compared by shape, not counted.)"""
    paths, oracle = programs
    run = oracle[name]
    assert run["error"] is None, run["error"]
    keras_shapes = {(r["line"], r["col"], r["class"], tuple(r["output_shapes"][0])) for r in run["layers"]}
    with open(paths[name], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths[name])
    assert not result.findings, [f.message for f in result.findings]
    claims = {(r.line, r.col, r.layer, tuple(r.output_shape)) for r in result.layers if r.exact}
    assert claims and claims <= keras_shapes, claims - keras_shapes
    line, cls = KNOWN[name]
    assert any(c[0] == line and c[2] == cls for c in claims)


def test_a_reused_layer_is_applied_again_in_the_new_model(programs):
    paths, _ = programs
    with open(paths["reuse_sequential"], encoding="utf-8") as handle:
        rows = [(r.line, r.layer, r.output_shape) for r in analyze_source(handle.read(), paths["reuse_sequential"]).layers]
    # model_A's five applications, then the same four layers in model_B_on_A and its head
    assert rows[5:] == [(5, "Flatten", (None, 784)), (7, "Dense", (None, 300)), (7, "Dense", (None, 100)),
                        (7, "Dense", (None, 50)), (11, "Dense", (None, 1))]


CLONE = SEQUENTIAL_A + """
    model_A_clone = keras.models.clone_model(model_A)
    model_C = keras.models.Sequential(model_A_clone.layers[:-1])
    model_C.add(keras.layers.Dense(3, activation="softmax"))
"""


@pytest.mark.keras
def test_a_cloned_sequential_has_the_models_shapes(tmp_path):
    import textwrap  # pylint: disable=import-outside-toplevel

    program = textwrap.dedent(CLONE).lstrip("\n")
    path = tmp_path / "clone.py"
    path.write_text(program)
    run = program + ("\nimport json\nprint(json.dumps([[[list(l.output.shape), l.count_params()] "
                     "for l in model_A_clone.layers], model_C.built]))\n")
    proc = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, **TF_ENVIRONMENT})
    assert proc.returncode == 0, proc.stderr[-2000:]
    keras_rows, built = json.loads(proc.stdout.splitlines()[-1])
    result = analyze_source(program, str(path))
    clone_line = program.splitlines().index("model_A_clone = keras.models.clone_model(model_A)") + 1
    clone = [[list(r.output_shape), r.params] for r in result.layers if r.line == clone_line]
    assert clone == keras_rows and all(r.exact for r in result.layers) and not result.findings
    # the clone's layers have no input_shape of their own: Keras 3 leaves
    # model_C unbuilt, and so no row is claimed for its head
    assert built is False and not [r for r in result.layers if r.line == clone_line + 2]
