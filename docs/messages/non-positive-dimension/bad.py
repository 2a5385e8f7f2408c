"""A small-image CNN whose valid convolutions and pooling eat the whole map."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(12, 12, 1))
x = Conv2D(16, (3, 3), activation="relu")(images)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(32, (3, 3), activation="relu")(x)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(64, (3, 3), activation="relu")(x)  # expect: non-positive-dimension
x = Flatten()(x)
label = Dense(1, activation="sigmoid")(x)

model = Model(inputs=images, outputs=label)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(32, 12, 12, 1), np.random.randint(0, 2, (32, 1)), epochs=1, verbose=0)
