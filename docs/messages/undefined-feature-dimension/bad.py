"""An image classifier meant to take images of any size: Flatten keeps the unknown
height and width, so the Dense after it has no input size to build its kernel from."""
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(16, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.Flatten()(x)
outputs = layers.Dense(5, activation="softmax")(x)  # expect: undefined-feature-dimension

model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(8, 32, 32, 3), np.random.randint(0, 5, (8,)), epochs=1, verbose=0)
