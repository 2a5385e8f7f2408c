"""Video clips (8 frames of 16x16 RGB) through Conv3D, Dense head on the (4, 8, 8, 8) map;
import keras, spelled keras.layers.X; the head layer bound to a name first."""
import keras
import numpy as np

clips = keras.Input(shape=(8, 16, 16, 3))
x = keras.layers.Conv3D(8, 3, padding="same", activation="relu")(clips)
x = keras.layers.MaxPooling3D(2)(x)
head = keras.layers.Dense(1)
value = head(x)
model = keras.Model(clips, value)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(4, 8, 16, 16, 3), np.random.rand(4, 1), epochs=1, batch_size=2, verbose=0)
