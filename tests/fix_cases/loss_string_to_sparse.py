"""categorical_crossentropy with integer class ids, in fit and in evaluate: one fix, to the sparse loss."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(16, 20).astype("float32")
y = np.random.randint(0, 10, (16,))

model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss='categorical_crossentropy', metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
model.evaluate(x, y, verbose=0)
