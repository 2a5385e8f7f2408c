"""A model's own ``train_step``/``test_step``/``predict_step`` is traced on
the batch Keras hands it, and Keras 3 picks that batch as it does when it
builds an unbuilt model on its first training call (measured under Keras
3.15): ``train_on_batch`` and the other ``*_on_batch`` methods take all the
samples as one batch; ``predict`` runs on its first batch (``batch_size``
rows, or all the samples when fewer); ``fit`` with ``validation_split``
trains on the first ``floor(samples * (1 - validation_split))`` samples.  shapelint traced the
program's own steps with ``batch_size`` whenever it divided the samples,
whatever the method and whatever the split: wrong exact claims on
``train_on_batch``, ``predict`` and ``fit`` with ``validation_split``.  Each program runs under Keras (tests/oracle_runner.py);
every exact claim must be one Keras makes at that line, and ``KNOWN``
lists applications that must be known and exact."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

_MODEL = """
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8)
            self.out = layers.Dense(3)

        def call(self, x):
            return self.out(self.hidden(x))

        def train_step(self, data):
            x, y = data[0], data[1]
            with tf.GradientTape() as tape:
                pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss}

        def predict_step(self, data):
            return self(data)
"""

PROGRAMS = {
    "on_batch": (_MODEL + """
    net = Net()
    net.compile(optimizer="adam", loss="mse")
    net.train_on_batch(np.zeros((64, 10), "float32"), np.zeros((64, 3), "float32"))
    """, ""),
    "predict": (_MODEL + """
    net = Net()
    net.predict(np.zeros((96, 10), "float32"), batch_size=16, verbose=0)
    """, ""),
    "predict_few": (_MODEL + """
    net = Net()
    net.predict(np.zeros((5, 10), "float32"), verbose=0)
    """, ""),
    "validation_split": (_MODEL + """
    class Quiet(Net):
        def test_step(self, data):
            return {"loss": 0.0}

    net = Quiet()
    net.compile(optimizer="adam", loss="mse")
    net.fit(np.zeros((100, 10), "float32"), np.zeros((100, 3), "float32"), validation_split=0.04,
            epochs=1, verbose=0)
    """, ""),
    "fit_divides": (_MODEL + """
    net = Net()
    net.compile(optimizer="adam", loss="mse")
    net.fit(np.zeros((96, 10), "float32"), np.zeros((96, 3), "float32"), epochs=1, verbose=0)
    """, ""),
}

KNOWN = [(name, line, "Dense") for name in PROGRAMS for line in (13,)]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "step_batch")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
