"""A classifier that scores 64-value features against 10 prototypes of 128 values each."""
import keras
import numpy as np
from keras import layers, ops

images = keras.Input(shape=(784,))
features = layers.Dense(64, activation="relu")(images)
prototypes = ops.ones((128, 10))
scores = ops.matmul(features, prototypes)  # expect: incompatible-op-operands
model = keras.Model(images, ops.softmax(scores))

model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(32, 784), np.eye(10)[np.random.randint(0, 10, 32)], epochs=1, verbose=0)
