"""Sequential list over 32x32 RGB images, layers spelled layers.X, a comment above the head."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        # the classifier
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 10, (16,)), epochs=1, batch_size=8, verbose=0)
