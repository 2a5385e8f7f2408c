"""Layers a subclassed model or layer constructs, reached where Keras
applies them (issue 13: constructions shapelint never applied):

* ``self.blocks = list()`` filled in ``__init__`` and applied in a loop in
  ``call()`` (``list()`` and ``tuple()`` are empty, as Python makes them);
* ``fit``/``evaluate`` of a model whose class defines ``train_step`` /
  ``test_step``: Keras traces that step on a batch of the data (it calls
  the model only if the step does), a batched dataset's element as its
  ``element_spec`` declares it, arrays as ``x`` alone or ``(x, y)``
  (``ArrayDataAdapter``: a static batch axis when ``batch_size`` divides
  the samples, else None);
* ``{k: v for ...}``: the dict Python makes (a key or a condition the code
  does not show makes it unknown);
* a functional model of several outputs applied to a tensor of the shape it
  was built on: its outputs (a backbone's feature maps);
* a Keras layer or model is true (``backbone if backbone else ...``,
  ``activation or layers.Activation(...)``): neither defines ``__bool__``
  or ``__len__``.

Keras runs each program (tests/oracle_runner.py records every layer
application by its source position); every shape shapelint claims must be
Keras', and ``KNOWN`` lists the applications that must be known and exact
(each unknown before its change)."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    # keras-io's focal modulation network: blocks kept in list(), a custom
    # layer returning (tensor, height, width)
    "layers_in_list": ("""
        import keras
        from keras import layers

        class Block(layers.Layer):
            def __init__(self, dim, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(dim)
                self.norm = layers.LayerNormalization()

            def call(self, x, height):
                return self.norm(self.dense(x)), height * 2

        class Net(keras.Model):
            def __init__(self, widths=(8, 16), **kwargs):
                super().__init__(**kwargs)
                self.blocks = list()
                for width in widths:
                    self.blocks.append(Block(width))
                self.sizes = tuple()
                self.head = layers.Dense(3)

            def call(self, x):
                height = 1
                for block in self.blocks:
                    x, height = block(x, height=height)
                return self.head(x)

        model = Net()
        outputs = model(keras.Input((5,)))
        """, ""),
    # keras-io's ShiftViT / masked image modeling: train_step and test_step
    # apply the model's parts themselves, never the model
    "own_train_step": ("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class Trainer(keras.Model):
            def __init__(self, augment, **kwargs):
                super().__init__(**kwargs)
                self.augment = augment
                self.project = layers.Conv2D(8, 4, strides=4)
                self.pool = layers.GlobalAveragePooling2D()
                self.classify = layers.Dense(10)

            def _logits(self, images, training):
                x = self.augment(images, training=training)
                x = self.project(x)
                return self.classify(self.pool(x))

            def train_step(self, data):
                images, labels = data
                with tf.GradientTape() as tape:
                    logits = self._logits(images, training=True)
                    loss = self.compute_loss(y=labels, y_pred=logits)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}

            def test_step(self, data):
                images, labels = data
                logits = self._logits(images, training=False)
                return {"loss": self.compute_loss(y=labels, y_pred=logits)}

        x = np.zeros((20, 16, 16, 3), "float32")
        y = np.zeros((20, 1), "int32")
        train_ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(20).batch(8)
        augment = keras.Sequential([layers.Rescaling(1 / 255.0), layers.Resizing(12, 12)])
        model = Trainer(augment)
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=1, verbose=0)
        model.evaluate(train_ds, verbose=0)
        """, ""),
    # keras-io's knowledge distillation: a trainer model holding two
    # Sequentials, fit and evaluated on arrays.  Keras' batches are of
    # batch_size when it divides the samples (64 / 16: a static 16), else
    # of two sizes, the traced axis None (20 samples, 32 by default); a
    # dataset batched with drop_remainder has a static batch shapelint does
    # not claim
    "step_on_arrays": ("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class Distiller(keras.Model):
            def __init__(self, student, teacher):
                super().__init__()
                self.teacher = teacher
                self.student = student

            def train_step(self, data):
                x, y = data
                teacher_predictions = self.teacher(x, training=False)
                with tf.GradientTape() as tape:
                    student_predictions = self.student(x, training=True)
                    loss = self.compute_loss(y=y, y_pred=student_predictions)
                grads = tape.gradient(loss, self.student.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.student.trainable_variables))
                return {"loss": loss}

            def test_step(self, data):
                x, y = data
                y_prediction = self.student(x, training=False)
                return {"loss": self.compute_loss(y=y, y_pred=y_prediction)}

        teacher = keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(10)])
        student = keras.Sequential([keras.Input((6, 6, 1)), layers.Flatten(), layers.Dense(10)])
        distiller = Distiller(student, teacher)
        distiller.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        distiller.fit(np.zeros((64, 6, 6, 1), "float32"), np.zeros((64,), "int32"), batch_size=16, epochs=1, verbose=0)
        distiller.evaluate(np.zeros((20, 6, 6, 1), "float32"), np.zeros((20,), "int32"), verbose=0)
        fixed = Distiller(keras.Sequential([keras.Input((6, 6, 1)), layers.Flatten(), layers.Dense(10)]), teacher)
        fixed.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        batches = tf.data.Dataset.from_tensor_slices((np.zeros((20, 6, 6, 1), "float32"), np.zeros((20,), "int32")))
        fixed.fit(batches.batch(8, drop_remainder=True).prefetch(1), epochs=1, verbose=0)
        """, ""),
    # keras-io's GRN/VSN classification: a vocabulary per feature from a
    # dict comprehension, one embedding per feature, in a custom layer
    "dict_comprehension": ("""
        import keras
        from keras import layers

        HEADER = ["age", "wage", "sex", "race", "weight", "label"]
        NUMERIC = ["age", "wage"]
        VOCABULARY = {
            name: ["a", "b", "c"] if name == "sex" else ["x", "y"]
            for name in HEADER
            if name not in NUMERIC + ["weight", "label"]
        }
        FEATURES = NUMERIC + list(VOCABULARY.keys())
        widths = {name: 4 + i for i, name in enumerate(FEATURES)}

        inputs = {name: layers.Input(shape=(1,), name=name) for name in FEATURES}
        encoded = []
        for name in FEATURES:
            if name in NUMERIC:
                encoded.append(layers.Dense(widths[name])(inputs[name]))
            else:
                x = layers.Embedding(len(VOCABULARY[name]) + 1, widths[name])(inputs[name])
                encoded.append(layers.Flatten()(x))
        merged = layers.concatenate(encoded)
        outputs = layers.Dense(1)(merged)
        model = keras.Model(inputs, outputs)
        """, ""),
    # keras-io's RetinaNet: a feature pyramid over a backbone of three
    # outputs
    "multi_output_backbone": ("""
        import keras
        from keras import layers

        def get_backbone():
            inputs = keras.Input((None, None, 3))
            c3 = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
            c4 = layers.Conv2D(16, 3, strides=2, padding="same")(c3)
            c5 = layers.Conv2D(32, 3, strides=2, padding="same")(c4)
            return keras.Model(inputs=[inputs], outputs=[c3, c4, c5])

        class FeaturePyramid(layers.Layer):
            def __init__(self, backbone=None, **kwargs):
                super().__init__(**kwargs)
                self.backbone = backbone
                self.conv_c3 = layers.Conv2D(4, 1)
                self.conv_c5 = layers.Conv2D(4, 1)
                self.upsample = layers.UpSampling2D(4)

            def call(self, images):
                c3, c4, c5 = self.backbone(images)
                return self.conv_c3(c3) + self.upsample(self.conv_c5(c5))

        image = keras.Input((None, None, 3))
        features = FeaturePyramid(get_backbone())(image)
        """, ""),
    # a layer or model is true: ``x if x else default``, ``x or default``
    "layer_truthiness": ("""
        import keras
        from keras import layers

        def make_stem():
            inputs = keras.Input((8,))
            return keras.Model(inputs, layers.Dense(6)(inputs))

        class Head(layers.Layer):
            def __init__(self, activation=None, **kwargs):
                super().__init__(**kwargs)
                self.activation = activation or layers.Activation("sigmoid")
                self.dense = layers.Dense(2)

            def call(self, x):
                return self.activation(self.dense(x))

        class Net(keras.Model):
            def __init__(self, stem=None, **kwargs):
                super().__init__(**kwargs)
                self.stem = stem if stem else make_stem()
                self.head = Head()

            def call(self, x):
                return self.head(self.stem(x))

        scores = Net(make_stem())(keras.Input((8,)))
        """, ""),
}

KNOWN = [
    ("multi_output_backbone", 21, "Conv2D"),
    ("multi_output_backbone", 21, "UpSampling2D"),
    ("layer_truthiness", 15, "Dense"),
    ("layer_truthiness", 15, "Activation"),
    ("layer_truthiness", 24, "Functional"),
    ("dict_comprehension", 18, "Dense"),
    ("dict_comprehension", 20, "Embedding"),
    ("dict_comprehension", 21, "Flatten"),
    ("dict_comprehension", 23, "Dense"),
    ("layers_in_list", 11, "Dense"),
    ("layers_in_list", 11, "LayerNormalization"),
    ("layers_in_list", 26, "Dense"),
    ("own_train_step", 16, "Conv2D"),
    ("own_train_step", 17, "GlobalAveragePooling2D"),
    ("own_train_step", 17, "Dense"),
    ("own_train_step", 36, "Resizing"),
    ("step_on_arrays", 14, "Sequential"),
    ("step_on_arrays", 16, "Sequential"),
    ("step_on_arrays", 24, "Sequential"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "subclass_reach")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
