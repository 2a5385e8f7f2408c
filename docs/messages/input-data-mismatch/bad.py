"""A regression model built for 13 features, trained on a table from which
one column was dropped."""
import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

table = np.random.rand(16, 13)
features = table[:, :12]
prices = np.random.rand(16)

inputs = Input(shape=(13,))
x = Dense(16, activation="relu")(inputs)
price = Dense(1)(x)

model = Model(inputs=inputs, outputs=price)
model.compile(optimizer="adam", loss="mse")
model.fit(features, prices, epochs=1, batch_size=8, verbose=0)  # expect: input-data-mismatch
