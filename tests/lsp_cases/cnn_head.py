"""The seed scenario for the language server tests: a CNN over 20x20
single-channel images whose Dense(1) head is applied to the (None, 5, 5, 64)
feature map, fitted to (32, 1) targets."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(20, 20, 1))
x = Conv2D(32, (3, 3), activation="relu", padding="same")(images)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(64, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2))(x)
score = Dense(1, activation="sigmoid")(x)

model = Model(inputs=images, outputs=score)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(32, 20, 20, 1), np.random.randint(0, 2, (32, 1)), epochs=1)
