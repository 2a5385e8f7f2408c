"""Features and labels split at the same index."""
import numpy as np
from tensorflow import keras

features = np.random.rand(1000, 20)
labels = np.random.randint(0, 2, (1000, 1))
x_train, y_train = features[:800], labels[:800]

model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
