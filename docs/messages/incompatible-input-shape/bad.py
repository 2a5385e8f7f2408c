"""Token features projected per position with EinsumDense, whose output_shape
names a sequence length of 12 while the Input has 10 tokens."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

SEQ_LEN = 10

tokens = keras.Input(shape=(SEQ_LEN, 16))
x = layers.EinsumDense("abc,cd->abd", output_shape=(12, 8), bias_axes="d")(tokens)  # expect: incompatible-input-shape
x = layers.GlobalAveragePooling1D()(x)
label = layers.Dense(1, activation="sigmoid")(x)

model = keras.Model(tokens, label)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(32, SEQ_LEN, 16), np.random.randint(0, 2, (32, 1)), epochs=1, verbose=0)
