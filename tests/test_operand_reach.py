"""Values that reach a layer through operations on tensors and sizes
(issue 13: sites unknown or not exact because an operand was not followed),
each checked against Keras running the program (tests/oracle_runner.py):
every shape shapelint claims at a (line, col, class) is the one Keras gives
there, and ``KNOWN`` lists applications that must be known and exact (not
before: the test fails without the change).

* ``-x`` of a tensor: ``KerasTensor.__neg__`` is ``keras.ops.negative``, a
  TensorFlow tensor's ``tf.negative`` -- element-wise, the operand's shape
  (a custom layer's ``call()`` computing ``relu(-x)``, as keras-io's
  Antirectifier does).
* ``tf.split``/``tf.unstack`` return a Python list: ``parts[0] = ...``
  replaces that piece (it was a tuple, the assignment lost, and the old
  pieces concatenated: a wrong exact shape).
* ``tf.image.crop_to_bounding_box``/``pad_to_bounding_box``/
  ``resize_with_crop_or_pad``/``resize_with_pad``: ``[batch,] target_height,
  target_width, channels`` (image_ops_impl's ``set_shape``), as keras-io's
  ShiftViT and shifted-patch ViT shift their feature maps.
* ``class Block(keras.Layer)``: Keras 3 exports the base layer class as
  ``keras.Layer`` too (Deep Learning with Python, 3rd edition, writes it so):
  such a subclass is a layer whose ``call()`` is followed, as one of
  ``keras.layers.Layer`` is (it was an unknown callable).
* ``keras.utils.audio_dataset_from_directory(..., output_sequence_length=n)``:
  float32 audio of ``(n, None)`` per file (``tf.audio.decode_wav`` leaves
  the channels None), padded batches of ``(None, None)`` without a length,
  ``subset="both"`` a pair; TensorFlow's audio tutorial takes its model's
  ``Input`` shape from a spectrogram batch of it.
* more ``tf.image`` ops as TensorFlow's static shape inference gives them
  inside a layer's ``call()``: the colour augmentations (``random_saturation``,
  ``random_hue``, the ``stateless_random_*`` ones) keep the shape,
  ``rgb_to_grayscale``/``grayscale_to_rgb`` set the channels to 1/3,
  ``random_crop`` gives ``size``, ``central_crop`` keeps
  ``n - 2 * int((n - n * fraction) / 2)`` of a known side, ``transpose``
  swaps height and width, ``rot90`` leaves them None (its ``k`` is applied
  at run time).
* ``x.shape.rank`` / ``x.shape.ndims`` in a layer's ``call()``: Keras
  traces it with TensorFlow tensors, whose ``TensorShape`` has them (the
  rank): keras-io's Swin Transformer builds its DropPath mask as
  ``(batch,) + (1,) * (rank - 1)``.  A KerasTensor's shape outside a call is
  a plain tuple without them (not claimed).
* ``tf.shape(x)[1:3] * 2`` in a traced call(): ``tf.shape`` is an int32
  tensor, so its slices stay tensors and ``+ - * // %`` are element-wise
  (broadcast), never a tuple's repetition or concatenation; TensorFlow's
  shape inference reads no size back through arithmetic, so
  ``tf.image.resize(x, tf.shape(x)[1:3] * 2)`` has None sides (a slice
  alone keeps the sizes the shape shows).  An upscaling Lambda of Hands-On
  Computer Vision with TensorFlow 2 was unknown.  The shape of a fully
  static tensor (a batch size given) is a constant, and TensorFlow's shape
  inference evaluates arithmetic on it: ``tf.shape(x)[1:3] * 2`` of a
  (2, 8, 10, 3) tensor resizes to (2, 16, 20, 3).
"""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

PROGRAMS = {
    "negation": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Antirectifier(layers.Layer):
        def build(self, input_shape):
            dim = input_shape[-1]
            self.kernel = self.add_weight(shape=(dim * 2, dim), initializer="he_normal")

        def call(self, inputs):
            inputs -= tf.reduce_mean(inputs, axis=-1, keepdims=True)
            pos = tf.nn.relu(inputs)
            neg = tf.nn.relu(-inputs)
            return tf.matmul(tf.concat([pos, neg], axis=-1), self.kernel)

    inp = keras.Input(shape=(12,))
    x = layers.Dense(6)(inp)
    x = Antirectifier()(x)
    y = layers.Dense(3)(x)
    z = layers.Dense(2)(-y)
    model = keras.Sequential([keras.Input(shape=(5, 4)), layers.Dense(8), Antirectifier(), layers.Flatten()])
    """, ""),
    "split_list": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Mix(layers.Layer):
        def call(self, x):
            parts = tf.split(x, num_or_size_splits=4, axis=-1)
            parts[1] = tf.reduce_mean(parts[1], axis=-1, keepdims=True)
            rows = tf.unstack(parts[2], axis=1)
            rows[0] = tf.reduce_sum(rows[0], axis=1, keepdims=True) + rows[1]
            parts[2] = tf.stack(rows, axis=1)
            return tf.concat(parts, axis=-1)

    inp = keras.Input((8, 8, 12))
    y = Mix()(inp)
    y = layers.Conv2D(4, 3)(y)
    """, ""),
    "boxes": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Shift(layers.Layer):
        def call(self, x):
            crop = tf.image.crop_to_bounding_box(x, offset_height=0, offset_width=0,
                                                 target_height=8, target_width=7)
            return tf.image.pad_to_bounding_box(crop, 0, 1, 8, 8)

    class CropOrPad(layers.Layer):
        def call(self, x):
            return tf.image.resize_with_crop_or_pad(x, 6, 10)

    class ResizePad(layers.Layer):
        def call(self, x):
            return tf.image.resize_with_pad(x, 12, 12)

    class Window(layers.Layer):
        def call(self, x):
            return tf.image.crop_to_bounding_box(x, 1, 2, 4, 5)

    inp = keras.Input((8, 8, 12))
    y = layers.Conv2D(4, 3)(Shift()(inp))
    a = layers.Dense(3)(CropOrPad()(inp))
    b = layers.Dense(3)(ResizePad()(inp))
    free = keras.Input((None, None, 3))
    c = layers.Dense(2)(Window()(free))
    d = layers.Dense(2)(CropOrPad()(free))
    """, ""),
    "keras_layer_base": ("""
    import keras
    from keras import ops, layers

    class OneHotEncoding(keras.Layer):
        def __init__(self, depth, **kwargs):
            super().__init__(**kwargs)
            self.depth = depth

        def call(self, inputs):
            flat = ops.reshape(ops.cast(inputs, "int32"), [-1])
            outputs = ops.one_hot(flat, self.depth)
            return ops.reshape(outputs, ops.shape(inputs) + (self.depth,))

    inputs = keras.Input(shape=(20,), dtype="int32")
    x = OneHotEncoding(30)(inputs)
    x = layers.Bidirectional(layers.LSTM(8))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    """, ""),
    "audio_dataset": ("""
    import os
    import tempfile
    import keras
    import tensorflow as tf
    from keras import layers

    root = tempfile.mkdtemp()
    for label in ("no", "yes"):
        os.makedirs(os.path.join(root, label))
        for i in range(3):
            wav = tf.audio.encode_wav(tf.zeros((800 + 100 * i, 1)), 16000)
            tf.io.write_file(os.path.join(root, label, f"{i}.wav"), wav)
    train_ds, val_ds = keras.utils.audio_dataset_from_directory(
        directory=root, batch_size=2, validation_split=0.5, seed=0, output_sequence_length=1000, subset="both")
    train_ds = train_ds.map(lambda audio, labels: (tf.squeeze(audio, axis=-1), labels))
    spectrograms = train_ds.map(lambda audio, label: (tf.abs(tf.signal.stft(audio, frame_length=255, frame_step=128))[..., tf.newaxis], label))
    for example_spectrograms, example_labels in spectrograms.take(1):
        break
    input_shape = example_spectrograms.shape[1:]
    model = keras.Sequential([
        layers.Input(shape=input_shape),
        layers.Resizing(16, 16),
        layers.Conv2D(4, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(2),
    ])
    padded = keras.utils.audio_dataset_from_directory(root, batch_size=2)
    """, "\nassert tuple(padded.element_spec[0].shape) == (None, None, None), padded.element_spec\n"
        "assert tuple(val_ds.element_spec[0].shape) == (None, 1000, None), val_ds.element_spec\n"),
    "image_ops": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Colour(layers.Layer):
        def call(self, x):
            x = tf.image.random_saturation(x, 0.5, 1.5)
            x = tf.image.random_hue(x, 0.1)
            x = tf.image.stateless_random_brightness(x, 0.2, seed=(1, 2))
            x = tf.image.stateless_random_contrast(x, 0.2, 0.5, seed=(1, 2))
            x = tf.image.stateless_random_flip_left_right(x, seed=(1, 2))
            return tf.image.stateless_random_hue(x, 0.1, seed=(1, 2))

    class Gray(layers.Layer):
        def call(self, x):
            return tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(x))

    class Crop(layers.Layer):
        def call(self, x):
            return tf.image.random_crop(x, size=[2, 20, 30, 3])

    class Centre(layers.Layer):
        def call(self, x):
            return tf.image.central_crop(x, 0.3)

    class Turn(layers.Layer):
        def call(self, x):
            return tf.image.transpose(tf.image.rot90(x, k=2))

    class Swap(layers.Layer):
        def call(self, x):
            return tf.image.transpose(x)

    inp = keras.Input((32, 48, 3))
    free = keras.Input((None, 48, 3))
    a = layers.Conv2D(2, 3)(Colour()(inp))
    b = layers.Conv2D(2, 3)(Gray()(inp))
    c = layers.Conv2D(2, 3)(Crop()(inp))
    d = layers.Conv2D(2, 3)(Centre()(inp))
    e = layers.Conv2D(2, 3)(Centre()(free))
    f = layers.Conv2D(2, 3)(Turn()(inp))
    g = layers.Conv2D(2, 3)(Swap()(inp))
    """, ""),
    "shape_rank": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class DropPath(layers.Layer):
        def __init__(self, drop_prob=None, **kwargs):
            super().__init__(**kwargs)
            self.drop_prob = drop_prob

        def call(self, x):
            batch_size = tf.shape(x)[0]
            rank = x.shape.rank
            shape = (batch_size,) + (1,) * (rank - 1)
            random_tensor = (1 - self.drop_prob) + tf.random.uniform(shape, dtype=x.dtype)
            return tf.math.divide(x, 1 - self.drop_prob) * tf.floor(random_tensor)

    class Flat(layers.Layer):
        def call(self, x):
            return tf.reshape(x, (-1, x.shape[1] * x.shape[2])) if x.shape.ndims == 3 else x

    inp = keras.Input((16, 8))
    y = layers.Dense(3)(DropPath(0.1)(inp))
    z = layers.Dense(2)(Flat()(inp))
    """, ""),
    "shape_tensor_arithmetic": ("""
    import keras
    import tensorflow as tf
    from keras import layers
    from keras.layers import Lambda

    scale_factor = 2
    Upscale = lambda name: Lambda(
        lambda images: tf.image.resize(images, tf.shape(images)[-3:-1] * scale_factor), name=name)

    class Up(layers.Layer):
        def call(self, x):
            return tf.image.resize(x, tf.shape(x)[1:3] * 2)

    class Keep(layers.Layer):
        def call(self, x):
            return tf.image.resize(x, tf.shape(x)[1:3])

    class Grow(layers.Layer):
        def call(self, x):
            return tf.image.resize(x, tf.shape(x)[1:3] + (2, 3))

    free = keras.Input((None, None, 3))
    a = layers.Conv2D(4, 3)(Upscale("up")(free))
    fixed = keras.Input((8, 10, 3))
    b = layers.Conv2D(4, 3)(Upscale("up2")(fixed))
    c = layers.Conv2D(4, 3)(Up()(fixed))
    d = layers.Conv2D(4, 3)(Keep()(fixed))
    e = layers.Conv2D(4, 3)(Grow()(fixed))
    f = layers.Conv2D(4, 3)(Keep()(free))
    """, ""),
    "static_shape_tensor_arithmetic": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Up(layers.Layer):
        def call(self, x):
            return tf.image.resize(x, tf.shape(x)[1:3] * 2)

    class Grow(layers.Layer):
        def call(self, x):
            return tf.image.resize(x, tf.shape(x)[1:3] + (2, 3))

    static = keras.Input((8, 10, 3), batch_size=2)
    g = layers.Conv2D(4, 3)(Up()(static))
    h = layers.Conv2D(4, 3)(Grow()(static))
    i = layers.Lambda(lambda x: tf.zeros(tf.shape(x)[1:3] * 2))(static)
    free = keras.Input((8, 10, 3))
    j = layers.Lambda(lambda x: tf.zeros(tf.shape(x)[1:3] * 2))(free)
    """, ""),
}

# (program, line, class): known and exact at every application
KNOWN = [
    ("negation", 18, "Antirectifier"),
    ("negation", 19, "Dense"),
    ("negation", 20, "Dense"),
    ("negation", 21, "Antirectifier"),
    ("negation", 21, "Flatten"),
    ("split_list", 15, "Mix"),
    ("split_list", 16, "Conv2D"),
    ("boxes", 24, "Shift"),
    ("boxes", 24, "Conv2D"),
    ("boxes", 25, "CropOrPad"),
    ("boxes", 25, "Dense"),
    ("boxes", 26, "ResizePad"),
    ("boxes", 26, "Dense"),
    ("boxes", 28, "Window"),
    ("boxes", 28, "Dense"),
    ("boxes", 29, "CropOrPad"),
    ("boxes", 29, "Dense"),
    ("keras_layer_base", 15, "OneHotEncoding"),
    ("keras_layer_base", 16, "Bidirectional"),
    ("keras_layer_base", 17, "Dense"),
    ("audio_dataset", 22, "Resizing"),
    ("audio_dataset", 23, "Conv2D"),
    ("audio_dataset", 24, "Flatten"),
    ("audio_dataset", 25, "Dense"),
    ("image_ops", 36, "Colour"),
    ("image_ops", 36, "Conv2D"),
    ("image_ops", 37, "Gray"),
    ("image_ops", 37, "Conv2D"),
    ("image_ops", 38, "Crop"),
    ("image_ops", 38, "Conv2D"),
    ("image_ops", 39, "Centre"),
    ("image_ops", 39, "Conv2D"),
    ("image_ops", 40, "Centre"),
    ("image_ops", 40, "Conv2D"),
    ("image_ops", 41, "Turn"),
    ("image_ops", 41, "Conv2D"),
    ("image_ops", 42, "Swap"),
    ("image_ops", 42, "Conv2D"),
    ("shape_rank", 22, "DropPath"),
    ("shape_rank", 22, "Dense"),
    ("shape_rank", 23, "Flat"),
    ("shape_rank", 23, "Dense"),
    ("shape_tensor_arithmetic", 23, "Lambda"),
    ("shape_tensor_arithmetic", 23, "Conv2D"),
    ("shape_tensor_arithmetic", 25, "Lambda"),
    ("shape_tensor_arithmetic", 25, "Conv2D"),
    ("shape_tensor_arithmetic", 26, "Up"),
    ("shape_tensor_arithmetic", 26, "Conv2D"),
    ("shape_tensor_arithmetic", 27, "Keep"),
    ("shape_tensor_arithmetic", 28, "Grow"),
    ("shape_tensor_arithmetic", 28, "Conv2D"),
    ("shape_tensor_arithmetic", 29, "Keep"),
    ("static_shape_tensor_arithmetic", 14, "Up"),
    ("static_shape_tensor_arithmetic", 14, "Conv2D"),
    ("static_shape_tensor_arithmetic", 15, "Grow"),
    ("static_shape_tensor_arithmetic", 15, "Conv2D"),
    ("static_shape_tensor_arithmetic", 16, "Lambda"),
    ("static_shape_tensor_arithmetic", 18, "Lambda"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "operand_reach")
test_claims_are_keras_s = keras_programs.claims_test(PROGRAMS, KNOWN)
