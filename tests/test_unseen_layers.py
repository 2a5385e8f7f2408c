"""A Sequential made of layers the code does not show (another model's
``layers[:-1]`` after ``load_model``, a clone's) is not known from there on:
Keras trains each program here, and shapelint must report nothing (it built
the new head on the raw data, as if the hidden layers were not there, and
reported a rank mismatch on a model that trains)."""
from __future__ import annotations

import pytest

from keras_programs import check_claims, run_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "transfer_head": ("""
        import os
        import tempfile
        import numpy as np
        import tensorflow as tf

        X = np.random.rand(64, 28, 28).astype("float32")
        y = (np.random.rand(64) > 0.5).astype("float32")
        base = tf.keras.Sequential([
            tf.keras.Input((28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(8, activation="softmax"),
        ])
        path = os.path.join(tempfile.mkdtemp(), "base.keras")
        base.save(path)
        model_A = tf.keras.models.load_model(path)
        model_B = tf.keras.Sequential(model_A.layers[:-1])
        model_B.add(tf.keras.layers.Dense(1, activation="sigmoid"))
        model_B.compile(loss="binary_crossentropy", optimizer="sgd")
        model_B.fit(X, y, epochs=1, verbose=0)
        clone = tf.keras.models.clone_model(model_A)
        model_C = tf.keras.Sequential(layers=clone.layers[:-1])
        model_C.add(tf.keras.layers.Dense(1, activation="sigmoid"))
        model_C.compile(loss="binary_crossentropy", optimizer="sgd")
        model_C.fit(X, y, epochs=1, verbose=0)
        """, ""),
}


@pytest.fixture(scope="module", name="programs")
def programs_fixture(tmp_path_factory):
    return run_programs(tmp_path_factory.mktemp("unseen_layers"), PROGRAMS)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_finding_and_no_claim_keras_does_not_make(name, programs):
    paths, oracle = programs
    check_claims(name, paths[name], oracle[name], [])
