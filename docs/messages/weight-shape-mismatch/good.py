"""The embedding layer sized from its pretrained matrix."""
import numpy as np
import keras
from keras import layers

embedding_dim = 50
embedding_matrix = np.zeros((5000, embedding_dim))

model = keras.Sequential([
    keras.Input(shape=(100,)),
    layers.Embedding(embedding_matrix.shape[0], embedding_dim, weights=[embedding_matrix], trainable=False),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
