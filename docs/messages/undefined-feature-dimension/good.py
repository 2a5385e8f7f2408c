"""The same classifier for images of any size: GlobalAveragePooling2D reduces the
variable height and width to one 32-value vector per image."""
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(16, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(5, activation="softmax")(x)

model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(8, 32, 32, 3), np.random.randint(0, 5, (8,)), epochs=1, verbose=0)
