"""A Keras 1 CNN as it is often pasted: Keras 3 raises at the Conv2D."""
import numpy as np
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

images = np.random.rand(16, 28, 28, 1)
labels = np.eye(10)[np.random.randint(0, 10, 16)]

model = Sequential()
model.add(Conv2D(32, (3, 3), border_mode="same", input_shape=(28, 28, 1)))  # expect: keras1-argument
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
