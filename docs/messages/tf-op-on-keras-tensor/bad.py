"""A super-resolution head that calls tf.nn.depth_to_space on the symbolic
output of a convolution."""
import tensorflow as tf
import keras
from keras import layers

low_res = keras.Input(shape=(32, 32, 3))
features = layers.Conv2D(64, 3, padding="same", activation="relu")(low_res)
features = layers.Conv2D(3 * 4, 3, padding="same")(features)
high_res = tf.nn.depth_to_space(features, 2)  # expect: tf-op-on-keras-tensor
model = keras.Model(low_res, high_res)
