"""A sequence length only known at run time (shapelint shows it as ?), two
layers applied on one line, and a Sequential model whose layers are listed
one per line."""
import sys

import keras
from keras import layers

steps = int(sys.argv[1])
inputs = keras.Input(shape=(steps, 16))
x = layers.LSTM(8, return_sequences=True)(inputs)
x = layers.Conv1D(4, 3)(x)
out = layers.Dense(2)(layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, out)

clf = keras.Sequential([
    keras.Input(shape=(None, 12)),
    layers.LSTM(6),
    layers.Dense(3, activation="softmax"),
])
