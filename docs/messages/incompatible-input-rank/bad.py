"""Grayscale 28x28 images fed to Conv2D without a channel axis."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input
from tensorflow.keras.models import Model

images = Input(shape=(28, 28))
x = Conv2D(16, (3, 3), activation="relu")(images)  # expect: incompatible-input-rank
x = GlobalAveragePooling2D()(x)
digit = Dense(10, activation="softmax")(x)

model = Model(inputs=images, outputs=digit)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(32, 28, 28), np.random.randint(0, 10, (32,)), epochs=1, verbose=0)
