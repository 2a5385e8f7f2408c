"""A 10-class classifier fitted to integer labels with categorical
cross-entropy (which wants one-hot labels); the safe fix reads them with the
sparse loss instead."""
import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(128, 32), np.random.randint(0, 10, (128,)), epochs=1)
