"""RGB images (n, 28, 28, 3) into an Input declared (28, 28): Conv2D cannot even build."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

images = np.random.rand(16, 28, 28, 3).astype("float32")
labels = np.random.randint(0, 10, (16,))

inputs = keras.Input(shape=(28, 28))
h = layers.Conv2D(8, 3, activation="relu")(inputs)
h = layers.GlobalAveragePooling2D()(h)
outputs = layers.Dense(10, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
