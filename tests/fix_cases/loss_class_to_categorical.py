"""One-hot labels (to_categorical) with keras.losses.SparseCategoricalCrossentropy: to CategoricalCrossentropy."""
import numpy as np
from tensorflow import keras

inputs = keras.Input(shape=(12,))
h = keras.layers.Dense(16, activation="relu")(inputs)
logits = keras.layers.Dense(4)(h)
model = keras.Model(inputs, logits)
model.compile(
    optimizer="sgd",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # logits out
)
labels = keras.utils.to_categorical(np.random.randint(0, 4, (16,)), 4)
model.fit(np.random.randn(16, 12), labels, epochs=1, batch_size=8, verbose=0)
