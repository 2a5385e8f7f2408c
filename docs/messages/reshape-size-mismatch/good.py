"""The same decoder, with the Reshape matching the Dense's 7*7*32 values."""
import numpy as np
from tensorflow.keras.layers import Conv2DTranspose, Dense, Input, Reshape
from tensorflow.keras.models import Model

code = Input(shape=(16,))
x = Dense(7 * 7 * 32, activation="relu")(code)
x = Reshape((7, 7, 32))(x)
x = Conv2DTranspose(32, (3, 3), strides=2, padding="same", activation="relu")(x)
image = Conv2DTranspose(1, (3, 3), strides=2, padding="same", activation="sigmoid")(x)

model = Model(inputs=code, outputs=image)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 16), np.random.rand(32, 28, 28, 1), epochs=1, verbose=0)
