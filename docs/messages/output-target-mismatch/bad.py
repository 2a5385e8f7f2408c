"""A sequence model meant to give one score per sequence, whose head scores
every time step instead.

The model outputs (None, 7, 1) but the targets are one number per sequence,
(16,).  mse broadcasts the two to (8, 7, 8) in every batch and trains
without a word; predict() then returns 7 numbers per sequence."""
import numpy as np
from tensorflow.keras.layers import LSTM, Dense, Input
from tensorflow.keras.models import Model

sequences = np.random.rand(16, 7, 3)
scores = np.random.rand(16)

steps = Input(shape=(7, 3))
x = LSTM(8, return_sequences=True)(steps)
score = Dense(1)(x)  # expect: output-target-mismatch

model = Model(inputs=steps, outputs=score)
model.compile(optimizer="adam", loss="mse")
model.fit(sequences, scores, epochs=1, batch_size=8, verbose=0)
print(model.predict(sequences[:2], verbose=0).shape)
