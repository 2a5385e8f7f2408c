"""Functional CNN, layers imported by name: the Dense head on the (5, 5, 32) map."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(20, 20, 1))
x = Conv2D(16, (3, 3), activation="relu", padding="same")(images)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2))(x)
score = Dense(1, activation="sigmoid")(x)  # one score per image

model = Model(inputs=images, outputs=score)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(16, 20, 20, 1), np.random.randint(0, 2, (16, 1)), epochs=1, batch_size=8, verbose=0)
