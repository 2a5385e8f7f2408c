"""Loops over tf.data datasets: ``for images, labels in train_ds`` (the
custom training loop of TensorFlow's quickstart), ``train_ds.take(1)``,
``next(iter(ds))`` and ``ds.as_numpy_iterator()`` bind the dataset's
element -- a batch when it is batched -- so a model called on it is built
and its layers shaped.  Keras runs each program eagerly: every exact claim
must agree with the shapes it applies there on every axis but the batch axis
(an eager batch has the batch's size; shapelint's None stands for any)."""
from __future__ import annotations

import pytest

import keras_programs
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")

PROGRAMS = {
    "quickstart_loop": ("""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.layers import Dense, Flatten, Conv2D
        from tensorflow.keras import Model

        x_train = np.random.rand(64, 28, 28).astype("float32")
        y_train = np.random.randint(0, 10, 64)
        x_train = x_train[..., tf.newaxis]
        train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(100).batch(32)

        class MyModel(Model):
            def __init__(self):
                super().__init__()
                self.conv1 = Conv2D(8, 3, activation="relu")
                self.flatten = Flatten()
                self.d1 = Dense(16, activation="relu")
                self.d2 = Dense(10)

            def call(self, x):
                x = self.conv1(x)
                x = self.flatten(x)
                x = self.d1(x)
                return self.d2(x)

        model = MyModel()
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam()

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                predictions = model(images, training=True)
                loss = loss_object(labels, predictions)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))

        for epoch in range(2):
            for images, labels in train_ds:
                train_step(images, labels)
        """, ""),
    "first_batch": ("""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        data = np.random.rand(40, 12).astype("float32")
        ds = tf.data.Dataset.from_tensor_slices(data).batch(8)
        encoder = tf.keras.Sequential([layers.Dense(6, activation="relu"), layers.Dense(3)])
        batch = next(iter(ds))
        codes = encoder(batch)
        for sample in ds.unbatch().take(1):
            layers.Reshape((3, 4))(sample[tf.newaxis])
        for rows in ds.as_numpy_iterator():
            layers.Dense(2)(rows)
        """, ""),
}

KNOWN = [
    ("quickstart_loop", 20, "Conv2D"),
    ("quickstart_loop", 21, "Flatten"),
    ("quickstart_loop", 22, "Dense"),
    ("quickstart_loop", 23, "Dense"),
    ("first_batch", 7, "Dense"),
    ("first_batch", 11, "Reshape"),
    ("first_batch", 13, "Dense"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "dataset_loops")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_claims_agree_with_eager_keras(name, programs):
    paths, oracle = programs
    run = oracle[name]
    assert run["error"] is None, run["error"]
    seen = {}
    for r in run["layers"]:
        seen.setdefault((r["line"], r["col"], r["class"]), set()).add(tuple(r["output_shapes"][0][1:]))
    with open(paths[name], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths[name])
    assert not result.findings, [f.message for f in result.findings]
    rows = [layer.to_json() for layer in result.layers]
    for row in rows:
        if row["exact"] and row["output_shape"] is not None:
            key = (row["line"], row["col"], row["layer"])
            assert tuple(row["output_shape"][1:]) in seen.get(key, set()), (row, seen.get(key))
    for program, line, cls in KNOWN:
        if program == name:
            got = [r for r in rows if (r["line"], r["layer"]) == (line, cls)]
            assert got and all(r["exact"] for r in got), (line, cls, got)
