"""A Sequential MLP over (n, 16, 16, 3) images whose first layer says input_shape=(16, 16,)."""
import numpy as np
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Sequential

model = Sequential([
    Flatten(input_shape=(16, 16, 3)),
    Dense(32, activation="relu"),
    Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x = np.random.rand(16, 16, 16, 3)
model.fit(x, np.random.randint(0, 2, (16,)), epochs=1, batch_size=8, verbose=0)
model.predict(x[:2], verbose=0)
