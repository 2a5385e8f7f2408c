"""The same regression CNN, with the feature map pooled before the head."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(16, 16, 3))
x = Conv2D(16, (3, 3), activation="relu", padding="same")(images)
x = MaxPooling2D((2, 2))(x)
x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2))(x)
x = GlobalAveragePooling2D()(x)
price = Dense(1)(x)

model = Model(inputs=images, outputs=price)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 16, 16, 3), np.random.rand(32), epochs=1, verbose=0)
print(model.predict(np.random.rand(2, 16, 16, 3), verbose=0).shape)
