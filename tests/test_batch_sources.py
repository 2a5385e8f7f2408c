"""Data that comes in batches from the program's own code: a subclass of
``keras.utils.Sequence``/``PyDataset`` (fit takes ``__getitem__(i)``) and a
generator (fit takes what it yields; ``next(gen)`` runs the body up to the
first ``yield``).  Each program runs under Keras: a bad one must raise
where shapelint reports it, a good one must train and every exact claim
shapelint makes (the layers of a subclassed model Keras builds on the first
batch, a Sequential built on it) must be one Keras makes."""
from __future__ import annotations

import pytest

import keras_programs
from keras_programs import check_claims
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")

SEQUENCE = """
    import numpy as np
    import keras
    from keras import layers


    class Batches(keras.utils.PyDataset):
        def __init__(self, count, batch_size=4, dim=(16, 16), channels=3, **kwargs):
            super().__init__(**kwargs)
            self.count = count
            self.batch_size = batch_size
            self.dim = dim
            self.channels = channels

        def __len__(self):
            return self.count // self.batch_size

        def __getitem__(self, index):
            x = np.zeros((self.batch_size, *self.dim{channels}), dtype="float32")
            y = np.zeros((self.batch_size, 5), dtype="float32")
            return x, y


    model = keras.Sequential([
        layers.Input((16, 16, 3)),
        layers.Conv2D(4, 3),
        layers.GlobalAveragePooling2D(),
        layers.Dense(5, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(Batches(8), epochs=1, verbose=0)
    """

GENERATOR = """
    import numpy as np
    import keras
    from keras import layers


    def batches(batch_size=4):
        while True:
            x = np.random.rand(batch_size, 12).astype("float32")
            y = np.random.randint(0, 3, size=(batch_size,{labels}))
            yield x, y


    inp = keras.Input((12,))
    hidden = layers.Dense(8, activation="relu")(inp)
    out = layers.Dense(3, activation="softmax")(hidden)
    model = keras.Model(inp, out)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    """

IMAGE_FILES = """
    import os
    import tempfile
    import cv2
    import numpy as np
    import keras
    from keras import layers

    folder = tempfile.mkdtemp()
    for i in range(6):
        cv2.imwrite(os.path.join(folder, f"{{i % 2}}_{{i}}.png"), np.full((40, 50, 3), i * 20, np.uint8))
    paths = sorted(os.path.join(folder, name) for name in os.listdir(folder))
    labels = [int(os.path.basename(p).split("_")[0]) for p in paths]


    class Images(keras.utils.PyDataset):
        def __init__(self, paths, labels, batch_size=3, **kwargs):
            super().__init__(**kwargs)
            self.paths, self.labels, self.batch_size = paths, labels, batch_size

        def __len__(self):
            return len(self.paths) // self.batch_size

        def __getitem__(self, idx):
            batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
            images = np.array([cv2.resize(cv2.imread(p{flags}), (32, 32)) for p in batch]) / 255.0
            return images, np.array(self.labels[idx * self.batch_size:(idx + 1) * self.batch_size])


    model = keras.Sequential([
        layers.Input((32, 32, 3)),
        layers.Conv2D(4, 3),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(Images(paths, labels), epochs=1, verbose=0)
    """

PROGRAMS = {
    # images read in a comprehension over paths the code does not show:
    # grayscale reads have no channel axis, the Input wants 3 channels
    "images_bad": (IMAGE_FILES.format(flags=", cv2.IMREAD_GRAYSCALE"), ""),
    "images_good": (IMAGE_FILES.format(flags=""), ""),
    # the batches lack the channel axis the Input declares
    "sequence_bad": (SEQUENCE.format(channels=""), ""),
    "sequence_good": (SEQUENCE.format(channels=", self.channels"), ""),
    # sparse labels of shape (batch, 3) for a 3-class softmax
    "generator_bad": (GENERATOR.format(labels=" 3"), ""),
    "generator_good": (GENERATOR.format(labels=""), ""),
    # a subclassed model is built on the first batch fit gets
    "subclass_sources": ("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.conv = layers.Conv2D(6, 3, strides=2)
                self.pool = layers.GlobalMaxPooling2D()
                self.head = layers.Dense(4)

            def call(self, x):
                return self.head(self.pool(self.conv(x)))


        class Batches(keras.utils.Sequence):
            def __getitem__(self, index):
                return np.zeros((2, 20, 20, 3), "float32"), np.zeros((2,), "int32")

            def __len__(self):
                return 2


        def stream():
            while True:
                yield np.zeros((2, 18, 18, 1), "float32"), np.zeros((2,), "int32")


        images = np.zeros((8, 24, 24, 3), "float32")
        labels = np.zeros((8,), "int32")
        data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)

        on_dataset = Net()
        on_dataset.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        on_dataset.fit(data, epochs=1, verbose=0)
        on_sequence = Net()
        on_sequence.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        on_sequence.fit(Batches(), epochs=1, verbose=0)
        on_stream = Net()
        on_stream.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        on_stream.fit(stream(), steps_per_epoch=1, epochs=1, verbose=0)
        """, ""),
}

# (program, line, class): every application there known and exact.
KNOWN = [
    ("sequence_good", 25, "Conv2D"), ("sequence_good", 26, "GlobalAveragePooling2D"),
    ("sequence_good", 27, "Dense"),
    ("images_good", 31, "Conv2D"), ("images_good", 32, "GlobalAveragePooling2D"), ("images_good", 33, "Dense"),
    ("subclass_sources", 15, "Conv2D"), ("subclass_sources", 15, "GlobalMaxPooling2D"),
    ("subclass_sources", 15, "Dense"),
]


programs_fixture = keras_programs.programs_fixture(PROGRAMS, "batch_sources")


def _findings(path):
    with open(path, encoding="utf-8") as handle:
        return analyze_source(handle.read(), path).findings


@pytest.mark.parametrize("name", ["sequence_good", "generator_good", "subclass_sources", "images_good"])
def test_every_exact_claim_is_keras_s(name, programs):
    paths, oracle = programs
    check_claims(name, paths[name], oracle[name], KNOWN)


@pytest.mark.parametrize("name, symbol", [("sequence_bad", "input-data-mismatch"),
                                          ("images_bad", "input-data-mismatch"),
                                          ("generator_bad", "label-encoding-mismatch")])
def test_a_bad_batch_is_reported_where_keras_raises(name, symbol, programs):
    paths, oracle = programs
    error = oracle[name]["error"]
    assert error is not None, f"{name}: Keras trained it"
    findings = _findings(paths[name])
    assert [(f.symbol, f.line) for f in findings] == [(symbol, error["line"])], (findings, error)


def test_the_subclassed_model_is_built_on_each_source(programs):
    """Three models, built on a dataset's (None, 24, 24, 3), a Sequence's
    (2, 20, 20, 3) and a generator's (2, 18, 18, 1) batches: each Conv2D
    application is one Keras makes."""
    paths, oracle = programs
    with open(paths["subclass_sources"], encoding="utf-8") as handle:
        rows = [layer.to_json() for layer in analyze_source(handle.read(), paths["subclass_sources"]).layers]
    convs = sorted(tuple(js["output_shape"]) for js in rows if js["layer"] == "Conv2D")
    keras_convs = sorted({tuple(r["output_shapes"][0]) for r in oracle["subclass_sources"]["layers"]
                          if r["class"] == "Conv2D"})
    assert convs == [(None, 8, 8, 6), (None, 9, 9, 6), (None, 11, 11, 6)]
    assert set(convs) == set(keras_convs)


def _first_dense_width(source: str):
    rows = [layer.to_json() for layer in analyze_source(source, "g.py").layers]
    return rows[0]["input_shapes"][0] if rows else None


GEN_HEAD = """
import numpy as np
import keras
from keras import layers
"""


@pytest.mark.parametrize("body, expected", [
    # the first yield ends the run; what follows it is not its item
    ("def g():\n    yield np.zeros((2, 5))\n    yield np.zeros((2, 7))\n", [None, 5]),
    # yield from a list: its first item
    ("def g():\n    yield from [np.zeros((2, 6)), np.zeros((2, 9))]\n", [None, 6]),
    # yield from another generator: that one's first item
    ("def inner():\n    yield np.zeros((3, 4))\n\ndef g():\n    yield from inner()\n", [None, 4]),
    # a loop before the yield runs as Python runs it
    ("def g():\n    width = 1\n    for _ in range(3):\n        width *= 2\n    yield np.zeros((2, width))\n",
     [None, 8]),
])
def test_next_gives_the_first_item_python_gives(body, expected):
    """``next(g())`` against Python: the item of the first ``yield``."""
    program = GEN_HEAD + body + "\nfirst = next(g())\nout = layers.Dense(2)(keras.Input(first.shape[1:]))\n"
    namespace: dict = {}
    exec(compile(GEN_HEAD + body + "\nfirst = next(g())\n", "g.py", "exec"), namespace)  # pylint: disable=exec-used
    assert [None] + list(namespace["first"].shape[1:]) == expected
    assert _first_dense_width(program) == expected


@pytest.mark.parametrize("body", [
    # a return before any yield: the generator is empty (next raises StopIteration)
    "def g(flag=True):\n    if flag:\n        return\n    yield np.zeros((2, 5))\n",
    # the second item is not followed
    "def g():\n    yield np.zeros((2, 5))\n    yield np.zeros((2, 7))\n\ngen = g()\nnext(gen)\n",
])
def test_what_is_not_the_first_item_is_not_claimed(body):
    tail = "first = next(gen)\n" if "gen = g()" in body else "first = next(g(), None)\n"
    program = GEN_HEAD + body + tail + "out = layers.Dense(2)(keras.Input(first.shape[1:]))\n"
    rows = [layer.to_json() for layer in analyze_source(program, "g.py").layers]
    assert all(not js["exact"] for js in rows), rows


def test_a_generator_iterated_by_a_loop_still_builds_its_layers():
    """Its body runs (once) when a loop consumes it, as before generators
    were values: the layers it applies are seen."""
    program = GEN_HEAD + (
        "def stages(x):\n"
        "    for width in (8, 16):\n"
        "        x = layers.Dense(width)(x)\n"
        "        yield x\n\n"
        "outs = []\n"
        "for feature in stages(keras.Input((4,))):\n"
        "    outs.append(feature)\n")
    rows = [layer.to_json() for layer in analyze_source(program, "g.py").layers]
    assert [tuple(js["output_shape"]) for js in rows] == [(None, 8), (None, 16)]
