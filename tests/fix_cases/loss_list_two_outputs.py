"""Two outputs with a list of losses: the classifier's integer labels meet
categorical_crossentropy; only that element of the list is switched."""
import numpy as np
from tensorflow import keras

inputs = keras.Input(shape=(10,))
h = keras.layers.Dense(16, activation="relu")(inputs)
kind = keras.layers.Dense(3, activation="softmax")(h)
size = keras.layers.Dense(1)(h)
model = keras.Model(inputs, [kind, size])
model.compile(optimizer="adam", loss=["categorical_crossentropy", "mse"])

x = np.random.rand(16, 10)
model.fit(x, [np.random.randint(0, 3, (16,)), np.random.rand(16, 1)], epochs=1, batch_size=8, verbose=0)
