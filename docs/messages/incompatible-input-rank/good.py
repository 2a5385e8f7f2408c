"""The same classifier, with the channel axis added before Conv2D."""
import numpy as np
from tensorflow.keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input, Reshape
from tensorflow.keras.models import Model

images = Input(shape=(28, 28))
x = Reshape((28, 28, 1))(images)
x = Conv2D(16, (3, 3), activation="relu")(x)
x = GlobalAveragePooling2D()(x)
digit = Dense(10, activation="softmax")(x)

model = Model(inputs=images, outputs=digit)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(32, 28, 28), np.random.randint(0, 10, (32,)), epochs=1, verbose=0)
