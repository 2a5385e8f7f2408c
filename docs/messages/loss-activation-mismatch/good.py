"""The same binary classifier, with a sigmoid on its single unit."""
import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

messages = np.random.rand(16, 10)
is_spam = np.random.randint(0, 2, size=16)

features = Input(shape=(10,))
x = Dense(16, activation="relu")(features)
spam = Dense(1, activation="sigmoid")(x)

model = Model(inputs=features, outputs=spam)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(messages, is_spam, epochs=1, batch_size=8, verbose=0)
print(model.predict(messages[:2], verbose=0))
