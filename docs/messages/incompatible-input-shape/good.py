"""The same projection, with output_shape repeating the Input's sequence
length (None there would take it from the input as well)."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

SEQ_LEN = 10

tokens = keras.Input(shape=(SEQ_LEN, 16))
x = layers.EinsumDense("abc,cd->abd", output_shape=(SEQ_LEN, 8), bias_axes="d")(tokens)
x = layers.GlobalAveragePooling1D()(x)
label = layers.Dense(1, activation="sigmoid")(x)

model = keras.Model(tokens, label)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(32, SEQ_LEN, 16), np.random.randint(0, 2, (32, 1)), epochs=1, verbose=0)
