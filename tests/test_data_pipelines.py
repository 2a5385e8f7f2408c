"""Models fed by tf.data pipelines that read files: the lines of a
``TextLineDataset`` split into tokens and looked up (``tf.strings``,
slices of run-time bounds, a ``StringLookup`` inside ``map``), wav files
decoded into spectrograms (``tf.audio.decode_wav``, ``tf.signal.stft``,
``tf.pad`` of constant paddings), images decoded from a list of paths found
at run time.  The element shapes are TensorFlow's static ones (its None for
what the files hold), checked against the ``element_spec`` of the same
program under TensorFlow; the models Keras builds on those elements
(``fit`` of a subclassed model, its own ``train_step`` reading
``batch["source"]``) are checked against the layers Keras applies, and
each op against TensorFlow's shape inference on tensors of unknown sizes."""
from __future__ import annotations

import textwrap

import pytest

import keras_programs

pytest.importorskip("tensorflow")

from test_library_tf_data import assert_agrees, known_parts, our_shapes, run_both, spec_shapes  # noqa: E402
from test_ops import T, check  # noqa: E402
from shapelint.frontend import library  # noqa: E402

library.load()  # the tf_strings rules are registered with the tensor ops
from shapelint.frontend.values import Dataset  # noqa: E402

B = None

FILES = """
import glob
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers

folder = tempfile.mkdtemp()
with open(os.path.join(folder, "lines.txt"), "w") as out:
    out.write("3\\tEU\\trejects\\tGerman\\t1\\t2\\t3\\n2\\tPeter\\tBlackburn\\t5\\t6\\n")
for n in range(3):
    tf.io.write_file(os.path.join(folder, "a%d.wav" % n), tf.audio.encode_wav(tf.zeros((1600 + 400 * n, 1)), 16000))
    tf.io.write_file(os.path.join(folder, "i%d.png" % n), tf.io.encode_png(tf.zeros((30 + n, 40, 1), tf.uint8)))
"""

TEXT = FILES + """
lookup = layers.StringLookup(vocabulary=["eu", "rejects", "german", "peter"])


def to_record(line):
    record = tf.strings.split(line, sep="\\t")
    length = tf.strings.to_number(record[0], out_type=tf.int32)
    tokens = record[1 : length + 1]
    tags = tf.strings.to_number(record[length + 1 :], out_type=tf.int64)
    tags += 1
    return tokens, tags


def to_ids(tokens):
    return lookup(tf.strings.lower(tokens))


lines = tf.data.TextLineDataset(os.path.join(folder, "lines.txt"))
ds = lines.map(to_record).map(lambda x, y: (to_ids(x), y)).padded_batch(2)
"""

AUDIO = FILES + """
def path_to_audio(path):
    audio = tf.io.read_file(path)
    audio, _ = tf.audio.decode_wav(audio, 1)
    audio = tf.squeeze(audio, axis=-1)
    stfts = tf.signal.stft(audio, frame_length=200, frame_step=80, fft_length=256)
    x = tf.math.pow(tf.abs(stfts), 0.5)
    means = tf.math.reduce_mean(x, 1, keepdims=True)
    stddevs = tf.math.reduce_std(x, 1, keepdims=True)
    x = (x - means) / stddevs
    paddings = tf.constant([[0, 30], [0, 0]])
    return tf.pad(x, paddings, "CONSTANT")[:30, :]


paths = sorted(glob.glob(os.path.join(folder, "*.wav")))
audio_ds = tf.data.Dataset.from_tensor_slices(paths).map(path_to_audio)
text_ds = tf.data.Dataset.from_tensor_slices(np.zeros((3, 10), "int32"))
ds = tf.data.Dataset.zip((audio_ds, text_ds)).map(lambda x, y: {"source": x, "target": y}).batch(2)
"""

IMAGES = FILES + """
char_to_num = layers.StringLookup(vocabulary=list("abc"), mask_token=None)


def encode(path, label):
    img = tf.io.read_file(path)
    img = tf.io.decode_png(img, channels=1)
    img = tf.image.convert_image_dtype(img, tf.float32)
    img = tf.image.resize(img, [20, 24])
    img = tf.transpose(img, perm=[1, 0, 2])
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    return {"image": img, "label": label}


paths = sorted(glob.glob(os.path.join(folder, "*.png")))
ds = tf.data.Dataset.from_tensor_slices((paths, ["ab", "ca", "b"])).map(encode).batch(2)
"""

GENERATOR = FILES + """
def frames():
    yield np.zeros((4, 3), "float32"), 1


signature = (tf.TensorSpec(shape=(None, 3), dtype=tf.float32), tf.TensorSpec(shape=(), dtype=tf.int32))
ds = tf.data.Dataset.from_generator(frames, output_signature=signature).map(lambda x, y: (x * 2.0, y)).batch(2)
"""

PIPELINES = {"text_lines": TEXT, "wav_files": AUDIO, "image_files": IMAGES, "declared": GENERATOR}


@pytest.mark.parametrize("name", list(PIPELINES))
def test_file_pipelines_agree_with_tf_data(name, tmp_path):
    mine, theirs = run_both(PIPELINES[name], tmp_path)
    assert isinstance(mine, Dataset), mine
    ours_shapes = our_shapes(mine.element, mine.batched)
    assert_agrees(ours_shapes, spec_shapes(theirs.element_spec))
    # every part known, its Nones TensorFlow's own
    assert known_parts(ours_shapes) == len(theirs.element_spec), ours_shapes
    parts = mine.element.values() if isinstance(mine.element, dict) else mine.element
    assert all(part.exact or None not in part.shape for part in parts), mine.element


UNSHOWN = FILES + """
with open(os.path.join(folder, "n.txt"), "w") as out:
    out.write("40")
with open(os.path.join(folder, "n.txt")) as handle:
    n = int(handle.read())
x = np.zeros((6, n, 3), "float32")
ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: a * 2.0).batch(2)
"""


def test_a_size_the_code_does_not_show_is_not_tensorflows_none(tmp_path):
    """A per-sample first axis the code does not show (40 here) is not
    TensorFlow's None, though a tensor's first axis of None reads as a batch
    axis: the model built on it is not claimed."""
    mine, theirs = run_both(UNSHOWN, tmp_path)
    assert spec_shapes(theirs.element_spec)[0] == (None, 40, 3)
    assert mine.element.shape == (None, 3) and not mine.element.exact


# ---------------------------------------------------------------- models
PROGRAMS = {
    "text_model": (TEXT.lstrip("\n") + """

class Tagger(keras.Model):
    def __init__(self):
        super().__init__()
        self.tokens = layers.Embedding(10, 8)
        self.positions = layers.Embedding(50, 8)
        self.ff = layers.Dense(16, activation="relu")
        self.tags = layers.Dense(9, activation="softmax")

    def call(self, inputs):
        maxlen = tf.shape(inputs)[-1]
        positions = tf.range(start=0, limit=maxlen, delta=1)
        x = self.tokens(inputs) + self.positions(positions)
        return self.tags(self.ff(x))


model = Tagger()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds, epochs=1, verbose=0)
""", ""),
    "audio_model": (AUDIO.lstrip("\n") + """

class Features(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.conv1 = layers.Conv1D(units, 11, strides=2, padding="same", activation="relu")
        self.conv2 = layers.Conv1D(units, 11, strides=2, padding="same", activation="relu")

    def call(self, x):
        return self.conv2(self.conv1(x))


class Speech(keras.Model):
    def __init__(self, blocks=2):
        super().__init__()
        self.features = Features(16)
        self.blocks = blocks
        for i in range(blocks):
            setattr(self, f"block_{i}", layers.Dense(16, activation="relu"))
        self.head = layers.Dense(5)
        self.loss_metric = keras.metrics.Mean(name="loss")

    def call(self, x):
        x = self.features(x)
        for i in range(self.blocks):
            x = getattr(self, f"block_{i}")(x)
        return self.head(x)

    def train_step(self, batch):
        source = batch["source"]
        with tf.GradientTape() as tape:
            preds = self(source)
            loss = tf.reduce_mean(tf.square(preds))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_metric.update_state(loss)
        return {"loss": self.loss_metric.result()}


model = Speech()
model.compile(optimizer="adam")
model.fit(ds, epochs=1, verbose=0)
""", ""),
    # a limit the code does not show may be one TensorFlow knows (24 here)
    "range_of_unknown_limit": ("""
import os
import tempfile

import tensorflow as tf
import keras
from keras import layers

path = os.path.join(tempfile.mkdtemp(), "n.txt")
with open(path, "w") as out:
    out.write("24")
with open(path) as handle:
    n = int(handle.read())
positions = layers.Embedding(50, 8)(tf.range(start=0, limit=n, delta=1))
""", ""),
}


def _line(name: str, text: str) -> int:
    """The line of ``text`` in program ``name`` (as the test writes it)."""
    lines = textwrap.dedent(PROGRAMS[name][0]).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


KNOWN = [
    ("text_model", _line("text_model", "x = self.tokens(inputs)"), "Embedding"),
    ("text_model", _line("text_model", "return self.tags(self.ff(x))"), "Dense"),
    ("audio_model", _line("audio_model", "return self.conv2(self.conv1(x))"), "Conv1D"),
    ("audio_model", _line("audio_model", "x = self.features(x)"), "Features"),
    ("audio_model", _line("audio_model", 'x = getattr(self, f"block_{i}")(x)'), "Dense"),
    ("audio_model", _line("audio_model", "return self.head(x)"), "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "data_pipelines")
# A layer inside a map function runs in the code autograph generates, where
# the oracle does not see the program's line: its output is the element
# test_file_pipelines_agree_with_tf_data checks against element_spec.
IN_MAP = [("text_model", _line("text_model", "return lookup(tf.strings.lower(tokens))"), "StringLookup")]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_claims_are_keras_s(name, programs):
    paths, oracle = programs
    keras_programs.check_claims(name, paths[name], oracle[name], KNOWN,
                                unrecorded=[(line, cls) for program, line, cls in IN_MAP if program == name])


# ------------------------------------------------------------------- ops
S = "string"
OPS = [
    ("tensorflow.strings.split", [T((), S)], {"sep": "\t"}),
    ("tensorflow.strings.split", [T((B,), S)], {}),
    ("tensorflow.strings.split", [T((3, 2), S)], {}),
    ("tensorflow.strings.unicode_split", [T((), S), "UTF-8"], {}),
    ("tensorflow.strings.unicode_split", [T((4,), S)], {"input_encoding": "UTF-8"}),
    ("tensorflow.strings.bytes_split", [T((), S)], {}),
    ("tensorflow.strings.to_number", [T((B,), S)], {"out_type": "int32"}),
    ("tensorflow.strings.lower", [T((B, 3), S)], {}),
    ("tensorflow.strings.upper", [T((2,), S)], {}),
    ("tensorflow.strings.strip", [T((), S)], {}),
    ("tensorflow.strings.length", [T((B, 2), S)], {}),
    ("tensorflow.strings.regex_replace", [T((3,), S), "a", "b"], {}),
    ("tensorflow.strings.to_hash_bucket_fast", [T((3,), S), 10], {}),
    ("tensorflow.strings.reduce_join", [T((3, 4), S)], {}),
    ("tensorflow.strings.reduce_join", [T((3, 4), S)], {"axis": -1}),
    ("tensorflow.strings.reduce_join", [T((B, 4), S), 0], {"keepdims": True}),
    ("tensorflow.audio.decode_wav", [T((), S)], {}),
    ("tensorflow.audio.decode_wav", [T((), S), 1], {}),
    ("tensorflow.audio.decode_wav", [T((), S)], {"desired_channels": 2}),
    ("tensorflow.audio.decode_wav", [T((), S), 1, 16000], {}),
    ("tensorflow.audio.decode_wav", [T((), S)], {"desired_samples": 800}),
]


@pytest.mark.parametrize("qual,args,kwargs", OPS, ids=lambda v: str(v)[:40])
def test_text_and_audio_ops_agree_with_tensorflow(qual, args, kwargs):
    check(qual, args, kwargs, must_be_exact=True)


# ------------------------------------------------- Sequential of own layers
SEQUENTIAL = """
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(8)

    def call(self, inputs, training):
        return self.dense(inputs)


class Softer(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)

    def call(self, inputs, training=None):
        return self.dense(inputs)


ok = keras.Sequential([layers.Dense(6), Softer()])
a = ok(keras.Input((5,)))
model = keras.Sequential([layers.Dense(6), Block(), layers.Dense(2)])
b = model(keras.Input((5,)))
"""


def test_a_sequential_of_a_layer_requiring_training_is_refused_as_keras_3_refuses_it():
    """Keras 3 builds a Sequential by calling each layer on the input alone:
    a call() that requires ``training`` raises, so nothing from it on is
    claimed (keras-io's speech Transformer puts such encoders in one)."""
    import keras  # pylint: disable=import-outside-toplevel
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    head, tail = SEQUENTIAL.split("model = ")
    namespace: dict = {}
    exec(head, namespace)  # pylint: disable=exec-used
    with pytest.raises(ValueError, match="single required positional"):
        exec("model = " + tail, namespace)  # pylint: disable=exec-used
    assert isinstance(namespace["a"], keras.KerasTensor)
    rows = analyze_source(SEQUENTIAL, "m.py").layers
    line = next(i for i, text in enumerate(SEQUENTIAL.splitlines(), 1) if text.startswith("model = "))
    last = [r for r in rows if r.line == line and r.layer == "Dense" and r.col > 40]
    inner = [r for r in rows if r.layer == "Dense" and tuple(r.output_shape or ()) == (None, 8)]
    assert last and not any(r.exact for r in last) and not any(r.exact for r in inner)
    softer = [r for r in rows if r.layer == "Dense" and r.exact and tuple(r.output_shape) == (None, 4)]
    assert softer  # a training argument with a default is fine
