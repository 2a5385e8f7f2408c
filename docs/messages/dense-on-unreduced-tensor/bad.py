"""A regression CNN whose Dense head sits on an unreduced feature map.

The model outputs (None, 4, 4, 1) instead of (None, 1).  With mse and 1-D
targets, Keras broadcasts the two against each other and trains without a
word; predict() then returns 16 numbers per image."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(16, 16, 3))
x = Conv2D(16, (3, 3), activation="relu", padding="same")(images)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2))(x)
price = Dense(1)(x)  # expect: dense-on-unreduced-tensor

model = Model(inputs=images, outputs=price)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 16, 16, 3), np.random.rand(32), epochs=1, verbose=0)
print(model.predict(np.random.rand(2, 16, 16, 3), verbose=0).shape)
