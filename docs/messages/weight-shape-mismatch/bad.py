"""A text classifier whose pretrained embedding matrix was built for
another vocabulary size than the layer."""
import numpy as np
import keras
from keras import layers

vocab_size, embedding_dim = 10000, 50
embedding_matrix = np.zeros((5000, embedding_dim))

model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Embedding(vocab_size, embedding_dim, weights=[embedding_matrix], trainable=False),  # expect: weight-shape-mismatch
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
