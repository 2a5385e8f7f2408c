"""A text classifier built for reviews padded to 100 tokens, trained on
reviews padded to 120.

Embedding and LSTM take any length and a Sequential model does not check
the length its Input declares, so Keras trains without an error or a
warning, on data the model was not built for."""
import numpy as np
from tensorflow.keras import Input
from tensorflow.keras.layers import LSTM, Dense, Embedding
from tensorflow.keras.models import Sequential

reviews = np.random.randint(0, 1000, size=(16, 120))
liked = np.random.randint(0, 2, size=16)

model = Sequential([
    Input(shape=(100,)),
    Embedding(1000, 16),
    LSTM(8),
    Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(reviews, liked, epochs=1, batch_size=8, verbose=0)  # expect: input-length-differs
print(model.input_shape)
