"""Sequential built with .add(), spelled tf.keras.layers.X; Dense then a separate softmax."""
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential()
model.add(tf.keras.layers.Conv2D(8, 3, padding="same", input_shape=(28, 28, 1)))
model.add(tf.keras.layers.MaxPooling2D(4))

model.add(tf.keras.layers.Dense(10))
model.add(tf.keras.layers.Activation("softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 28, 28, 1), np.random.randint(0, 10, (16,)), epochs=1, batch_size=8, verbose=0)
