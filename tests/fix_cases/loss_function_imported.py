"""The loss function imported by name, class ids as an (n, 1) column: the sparse
function is added to the same import and named in compile."""
import numpy as np
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Dense
from tensorflow.keras.losses import categorical_crossentropy

inputs = Input((8,))
probs = Dense(3, activation="softmax")(inputs)
model = Model(inputs, probs)
model.compile("adam", loss=categorical_crossentropy)
model.fit(np.random.rand(16, 8), np.random.randint(0, 3, (16, 1)), epochs=1, batch_size=8, verbose=0)
