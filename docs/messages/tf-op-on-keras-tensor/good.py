"""The same head with keras.ops.depth_to_space, which takes Keras tensors."""
import keras
from keras import layers

low_res = keras.Input(shape=(32, 32, 3))
features = layers.Conv2D(64, 3, padding="same", activation="relu")(low_res)
features = layers.Conv2D(3 * 4, 3, padding="same")(features)
high_res = keras.ops.depth_to_space(features, 2)
model = keras.Model(low_res, high_res)
