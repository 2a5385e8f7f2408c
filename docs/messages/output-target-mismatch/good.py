"""The same sequence model, with the LSTM returning only its last state."""
import numpy as np
from tensorflow.keras.layers import LSTM, Dense, Input
from tensorflow.keras.models import Model

sequences = np.random.rand(16, 7, 3)
scores = np.random.rand(16)

steps = Input(shape=(7, 3))
x = LSTM(8)(steps)
score = Dense(1)(x)

model = Model(inputs=steps, outputs=score)
model.compile(optimizer="adam", loss="mse")
model.fit(sequences, scores, epochs=1, batch_size=8, verbose=0)
print(model.predict(sequences[:2], verbose=0).shape)
