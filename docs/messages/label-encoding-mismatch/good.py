"""The same 3-class classifier, with the labels one-hot encoded."""
import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model
from tensorflow.keras.utils import to_categorical

samples = np.random.rand(16, 10)
species = to_categorical(np.random.randint(0, 3, size=16), 3)

features = Input(shape=(10,))
x = Dense(16, activation="relu")(features)
probabilities = Dense(3, activation="softmax")(x)

model = Model(inputs=features, outputs=probabilities)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(samples, species, epochs=1, batch_size=8, verbose=0)
