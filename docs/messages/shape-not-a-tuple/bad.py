"""An MNIST MLP whose first layer says input_shape=(784): parentheses
around an int are not a tuple."""
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(128, activation="relu", input_shape=(784)),  # expect: shape-not-a-tuple
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
