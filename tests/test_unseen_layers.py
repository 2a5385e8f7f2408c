"""Models built on what the code does not show.  A Sequential made of
layers the code does not show (another model's ``layers[:-1]`` after
``load_model``, a clone's) is not known from there on; a Sequential first
fit on data the code does not show is built on it, not on the data a later
``predict`` passes.  Keras runs each program here, and shapelint must report
nothing (it reported a rank mismatch on models that train: the head built on
the raw data, a Dense built on the 1-D test data)."""
from __future__ import annotations

import pytest

import keras_programs
from keras_programs import check_claims

pytest.importorskip("tensorflow")

PROGRAMS = {
    # Daniel Bourke's regression notebook: fit on tf.expand_dims(X, -1),
    # predict on the 1-D test split (Keras adds the trailing axis)
    "built_by_fit": ("""
        import os
        import tempfile
        import numpy as np
        import tensorflow as tf

        X = np.arange(-100, 100, 4)
        y = X + 10
        X_train, y_train = X[:40], y[:40]
        X_test = X[40:]
        model_1 = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model_1.compile(loss=tf.keras.losses.mae, optimizer=tf.keras.optimizers.SGD(), metrics=["mae"])
        model_1.fit(tf.expand_dims(X_train, axis=-1), y_train, epochs=1, verbose=0)
        preds_1 = model_1.predict(X_test, verbose=0)
        path = os.path.join(tempfile.mkdtemp(), "xy.csv")
        np.savetxt(path, np.stack([X, y], axis=1), delimiter=",")
        data = np.loadtxt(path, delimiter=",")
        model_2 = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])
        model_2.compile(loss="mae", optimizer="sgd")
        model_2.fit(data[:, :1], data[:, 1], epochs=1, verbose=0)
        preds_2 = model_2.predict(X_test, verbose=0)
        """, ""),
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


programs_fixture = keras_programs.programs_fixture(PROGRAMS, "unseen_layers")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_finding_and_no_claim_keras_does_not_make(name, programs):
    paths, oracle = programs
    check_claims(name, paths[name], oracle[name], [])
