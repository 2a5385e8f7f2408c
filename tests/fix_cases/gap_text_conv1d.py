"""A text CNN whose Dense(64) -> Dense(5) head is left on the (24, 64) sequence map:
one fix (GlobalAveragePooling1D before the first Dense) for both findings; the
parenthesised import gets the new name in its sorted place."""
import numpy as np
from tensorflow.keras.layers import (
    Conv1D,
    Dense,
    Embedding,
    Input,
    MaxPooling1D,
)
from tensorflow.keras.models import Model

tokens = Input(shape=(100,))
x = Embedding(1000, 32)(tokens)
x = Conv1D(64, 5, activation="relu")(x)
x = MaxPooling1D(4)(x)
x = Dense(64, activation="relu")(x)
probs = Dense(5, activation="softmax")(x)
model = Model(tokens, probs)
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(np.random.randint(0, 1000, (16, 100)), np.random.randint(0, 5, (16,)), epochs=1, batch_size=8, verbose=0)
