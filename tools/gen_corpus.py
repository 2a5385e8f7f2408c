"""Generate a corpus of Keras model files for benchmarks and smoke runs.

    python tools/gen_corpus.py OUTDIR -n 200 [--seed 0] [--bug-rate 0.2]
    python tools/gen_corpus.py OUTDIR --layers 1000 [--style functional|sequential]

The first form writes N varied, realistic programs -- MLPs, CNNs (functional
and Sequential), text RNNs, 1-D conv time-series models, residual nets built
by helper functions in loops, small U-Nets, autoencoders, two-input models and
subclassed models -- each a complete script with imports, compile and (under
``if __name__ == "__main__":``) a fit on random numpy data.  About
``--bug-rate`` of them carry one shape bug of the kind shapelint looks for
(named in the file's docstring: ``Bug: <symbol>``).  The same seed gives the
same files.

The second form writes one model with L layers (``deep_L.py``).

Importable: ``write_corpus(outdir, n, seed, bug_rate)`` and
``write_deep_model(outdir, layers, style)`` return the paths written.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
from typing import Callable, List, Optional, Tuple

IMPORT_STYLES = (
    ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n",
     "keras", "layers"),
    ("import numpy as np\nimport keras\nfrom keras import layers\n", "keras", "layers"),
    ("import numpy as np\nimport tensorflow as tf\n", "tf.keras", "tf.keras.layers"),
    ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers as L\n", "keras", "L"),
)


class Program:
    """Source text under construction, with the naming of one import style."""

    def __init__(self, rng: random.Random, title: str):
        self.rng = rng
        header, self.keras, self.layers = rng.choice(IMPORT_STYLES)
        self.title = title
        self.header = header
        self.lines: List[str] = []
        self.bug: Optional[str] = None

    def L(self, cls: str) -> str:  # noqa: N802 - reads like the Keras module
        return f"{self.layers}.{cls}"

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def text(self) -> str:
        doc = self.title + (f"\n\nBug: {self.bug}" if self.bug else "")
        return f'"""{doc}"""\n{self.header}\n' + "\n".join(self.lines) + "\n"


def _fit_block(p: Program, x_shape: Tuple[int, ...], target: str, loss: str, *, ints: Optional[int] = None,
               metrics: bool = True) -> None:
    """compile at module level, fit under the main guard."""
    metric = ', metrics=["accuracy"]' if metrics and "crossentropy" in loss else ""
    p.add(f'model.compile(optimizer="adam", loss="{loss}"{metric})')
    p.add()
    p.add('if __name__ == "__main__":')
    n = p.rng.choice((32, 64, 128))
    dims = ", ".join(str(d) for d in (n,) + x_shape)
    if ints:
        p.add(f"    x_train = np.random.randint(0, {ints}, size=({dims}))")
    else:
        p.add(f"    x_train = np.random.rand({dims}).astype('float32')")
    p.add(f"    y_train = {target.format(n=n)}")
    p.add(f"    model.fit(x_train, y_train, epochs=1, batch_size={p.rng.choice((8, 16, 32))}, verbose=0)")


def _classes_target(classes: int, loss: str) -> str:
    if loss == "sparse_categorical_crossentropy":
        return f"np.random.randint(0, {classes}, size=({{n}},))"
    if loss == "categorical_crossentropy":
        return f"np.eye({classes})[np.random.randint(0, {classes}, size=({{n}},))]"
    if loss == "binary_crossentropy":
        return "np.random.randint(0, 2, size=({n}, 1))"
    return "np.random.rand({n}, 1)"


def _head(p: Program, bug_ok: bool) -> Tuple[int, str, str]:
    """(units, activation, loss) of a classification/regression head; may
    plant a loss-activation bug."""
    rng = p.rng
    kind = rng.choice(("multi", "multi", "binary", "regression"))
    if kind == "multi":
        classes = rng.choice((3, 5, 10))
        loss = rng.choice(("sparse_categorical_crossentropy", "categorical_crossentropy"))
        if bug_ok and rng.random() < 0.3:
            p.bug = "loss-activation-mismatch"
            return 1, "sigmoid", "categorical_crossentropy"
        return classes, "softmax", loss
    if kind == "binary":
        return 1, "sigmoid", "binary_crossentropy"
    return 1, "linear", "mse"


# --- templates ----------------------------------------------------------------


def mlp(p: Program, bug: bool) -> None:
    rng = p.rng
    features = rng.choice((8, 16, 20, 32, 64, 100))
    p.title = f"A {rng.choice(('tabular', 'feature', 'sensor'))} MLP (functional)."
    p.add(f"inputs = {p.keras}.Input(shape=({features},))")
    p.add("x = inputs")
    for width in sorted(rng.sample((16, 32, 64, 128, 256), rng.randint(1, 4)), reverse=True):
        p.add(f'x = {p.L("Dense")}({width}, activation="relu")(x)')
        if rng.random() < 0.4:
            p.add(f'x = {p.L("BatchNormalization")}()(x)')
        if rng.random() < 0.5:
            p.add(f'x = {p.L("Dropout")}({rng.choice((0.1, 0.2, 0.3, 0.5))})(x)')
    units, act, loss = _head(p, bug)
    if bug and not p.bug:
        p.bug = "reshape-size-mismatch"
        p.add(f'x = {p.L("Reshape")}((4, -1, 3))(x)' if rng.random() < 0.5 else f'x = {p.L("Reshape")}((7, 7))(x)')
        p.add(f'x = {p.L("Flatten")}()(x)')
    p.add(f'outputs = {p.L("Dense")}({units}, activation="{act}")(x)')
    p.add(f"model = {p.keras}.Model(inputs, outputs)")
    _fit_block(p, (features,), _classes_target(units if units > 1 else 2, loss) if units > 1 or loss != "categorical_crossentropy"
               else "np.eye(3)[np.random.randint(0, 3, size=({n},))]", loss)


def _image(rng) -> Tuple[int, int]:
    return rng.choice((28, 32, 48, 64)), rng.choice((1, 3))


def cnn_functional(p: Program, bug: bool) -> None:
    rng = p.rng
    size, channels = _image(rng)
    p.title = f"A small {size}x{size} image classifier (functional CNN)."
    in_shape = (size, size, channels)
    bug_kind = rng.choice(("dense-on-unreduced-tensor", "incompatible-input-rank", "non-positive-dimension")) if bug else None
    if bug_kind == "incompatible-input-rank":
        in_shape = (size, size)
    p.add(f"inputs = {p.keras}.Input(shape={in_shape})")
    p.add("x = inputs")
    current = size
    blocks = rng.randint(2, 4)
    if bug_kind == "non-positive-dimension":
        blocks = 8
    filters = rng.choice((16, 32))
    for b in range(blocks):
        pad = rng.choice(("same", "valid"))
        p.add(f'x = {p.L("Conv2D")}({filters}, 3, padding="{pad}", activation="relu")(x)')
        current = current if pad == "same" else current - 2
        if rng.random() < 0.5:
            p.add(f'x = {p.L("BatchNormalization")}()(x)')
        if current >= 4 or bug_kind == "non-positive-dimension":
            p.add(f'x = {p.L("MaxPooling2D")}()(x)')
            current //= 2
        filters = min(filters * 2, 256)
        del b
    units, act, loss = _head(p, bug and bug_kind is None)
    if bug_kind != "dense-on-unreduced-tensor":
        p.add(f'x = {p.L(rng.choice(("GlobalAveragePooling2D", "Flatten", "GlobalMaxPooling2D")))}()(x)')
    if rng.random() < 0.5:
        p.add(f'x = {p.L("Dense")}({rng.choice((64, 128))}, activation="relu")(x)')
        p.add(f'x = {p.L("Dropout")}(0.5)(x)')
    p.add(f'outputs = {p.L("Dense")}({units}, activation="{act}")(x)')
    p.add(f"model = {p.keras}.Model(inputs=inputs, outputs=outputs)")
    p.bug = p.bug or bug_kind
    _fit_block(p, (size, size, channels), _classes_target(max(units, 3), loss), loss)


def cnn_sequential(p: Program, bug: bool) -> None:
    rng = p.rng
    size, channels = _image(rng)
    p.title = f"A Sequential CNN on {size}x{size}x{channels} images."
    bug_kind = rng.choice(("dense-on-unreduced-tensor", "incompatible-input-rank")) if bug else None
    first = f"{p.keras}.Input(shape=({size}, {size}, {channels}))"
    if bug_kind == "incompatible-input-rank":
        first = f"{p.keras}.Input(shape=({size}, {size}))"
    body = [first]
    current = size
    for _ in range(rng.randint(1, 3)):
        body.append(f'{p.L("Conv2D")}({rng.choice((16, 32, 64))}, ({rng.choice((3, 5))}, {rng.choice((3, 5))}), '
                    f'activation="relu", padding="same")')
        if current >= 4:
            body.append(f'{p.L("MaxPooling2D")}(pool_size=(2, 2))')
            current //= 2
    if bug_kind != "dense-on-unreduced-tensor":
        body.append(f'{p.L("Flatten")}()')
    body.append(f'{p.L("Dense")}(64, activation="relu")')
    units, act, loss = _head(p, bug and bug_kind is None)
    body.append(f'{p.L("Dense")}({units}, activation="{act}")')
    p.bug = p.bug or bug_kind
    p.add(f"model = {p.keras}.Sequential([")
    for item in body:
        p.add(f"    {item},")
    p.add("])")
    _fit_block(p, (size, size, channels), _classes_target(max(units, 3), loss), loss)


def text_rnn(p: Program, bug: bool) -> None:
    rng = p.rng
    vocab, length, dim = rng.choice((1000, 5000, 20000)), rng.choice((50, 100, 200)), rng.choice((32, 64, 128))
    cell = rng.choice(("LSTM", "GRU"))
    p.title = f"A text classifier: Embedding + stacked {cell}."
    bug_kind = rng.choice(("incompatible-input-rank", "dense-on-unreduced-tensor")) if bug else None
    p.add(f"VOCAB = {vocab}")
    p.add(f"MAXLEN = {length}")
    p.add("inputs = " + f"{p.keras}.Input(shape=(MAXLEN,))")
    p.add(f'x = {p.L("Embedding")}(VOCAB, {dim})(inputs)')
    stacked = rng.randint(1, 3)
    for i in range(stacked):
        last = i == stacked - 1
        seq = not last or bug_kind == "dense-on-unreduced-tensor"
        if bug_kind == "incompatible-input-rank" and i == 0 and stacked > 1:
            seq = False
        layer = f'{p.L(cell)}({rng.choice((32, 64, 128))}, return_sequences={seq})'
        if rng.random() < 0.3:
            layer = f'{p.L("Bidirectional")}({layer})'
        p.add(f"x = {layer}(x)")
    if bug_kind == "incompatible-input-rank" and stacked == 1:
        p.add(f'x = {p.L(cell)}(16)(x)')
    units, act, loss = _head(p, bug and bug_kind is None)
    p.add(f'outputs = {p.L("Dense")}({units}, activation="{act}")(x)')
    p.add(f"model = {p.keras}.Model(inputs, outputs)")
    p.bug = p.bug or bug_kind
    _fit_block(p, (length,), _classes_target(max(units, 3), loss), loss, ints=vocab)


def conv1d_series(p: Program, bug: bool) -> None:
    rng = p.rng
    steps, feats = rng.choice((64, 128, 256)), rng.choice((1, 3, 6))
    p.title = f"A 1-D convolutional model for {steps}-step series of {feats} channels."
    bug_kind = rng.choice(("non-positive-dimension", "dense-on-unreduced-tensor")) if bug else None
    p.add(f"STEPS, FEATURES = {steps}, {feats}")
    p.add("model = " + f"{p.keras}.Sequential()")
    p.add(f"model.add({p.keras}.Input(shape=(STEPS, FEATURES)))")
    current = steps
    n_blocks = rng.randint(2, 4) if bug_kind != "non-positive-dimension" else 9
    for _ in range(n_blocks):
        k = rng.choice((3, 5, 7))
        p.add(f'model.add({p.L("Conv1D")}({rng.choice((16, 32, 64))}, {k}, activation="relu"))')
        current -= k - 1
        if current >= 4 or bug_kind == "non-positive-dimension":
            p.add(f'model.add({p.L("MaxPooling1D")}(2))')
            current //= 2
    if bug_kind != "dense-on-unreduced-tensor":
        p.add(f'model.add({p.L(rng.choice(("GlobalAveragePooling1D", "Flatten", "GlobalMaxPooling1D")))}())')
    p.add(f'model.add({p.L("Dense")}(1))')
    p.bug = bug_kind
    _fit_block(p, (steps, feats), "np.random.rand({n}, 1)", "mse")


def resnet(p: Program, bug: bool) -> None:
    rng = p.rng
    size = rng.choice((32, 64))
    p.title = "A residual network built by a helper function in a loop."
    p.add()
    p.add("def residual_block(x, filters, downsample=False):")
    p.add("    shortcut = x")
    p.add("    strides = 2 if downsample else 1")
    p.add(f'    x = {p.L("Conv2D")}(filters, 3, strides=strides, padding="same")(x)')
    p.add(f'    x = {p.L("BatchNormalization")}()(x)')
    p.add(f'    x = {p.L("Activation")}("relu")(x)')
    p.add(f'    x = {p.L("Conv2D")}(filters, 3, padding="same")(x)')
    p.add(f'    x = {p.L("BatchNormalization")}()(x)')
    if bug:
        p.bug = "merge-shape-mismatch"
        p.add("    if downsample:")
        p.add(f'        shortcut = {p.L("Conv2D")}(filters, 1, padding="same")(shortcut)')
    else:
        p.add("    if downsample or shortcut.shape[-1] != filters:")
        p.add(f'        shortcut = {p.L("Conv2D")}(filters, 1, strides=strides, padding="same")(shortcut)')
    p.add(f'    x = {p.L("Add")}()([x, shortcut])')
    p.add(f'    return {p.L("Activation")}("relu")(x)')
    p.add()
    p.add()
    p.add(f"inputs = {p.keras}.Input(shape=({size}, {size}, 3))")
    p.add(f'x = {p.L("Conv2D")}(32, 3, padding="same")(inputs)')
    stages = rng.sample((32, 64, 128, 256), rng.randint(2, 3))
    p.add(f"for i, filters in enumerate({sorted(stages)}):")
    p.add("    x = residual_block(x, filters, downsample=i > 0)")
    p.add("    x = residual_block(x, filters)")
    p.add(f'x = {p.L("GlobalAveragePooling2D")}()(x)')
    classes = rng.choice((10, 100))
    p.add(f'outputs = {p.L("Dense")}({classes}, activation="softmax")(x)')
    p.add(f'model = {p.keras}.Model(inputs, outputs, name="resnet_like")')
    _fit_block(p, (size, size, 3), _classes_target(classes, "sparse_categorical_crossentropy"),
               "sparse_categorical_crossentropy")


def unet(p: Program, bug: bool) -> None:
    rng = p.rng
    # 66 and 98 are not divisible by 4: a pooled-then-upsampled map comes
    # back one pixel short of its skip connection.
    size = rng.choice((64, 96, 128)) if not bug else rng.choice((66, 98))
    p.title = "A small U-Net for segmentation."
    if bug:
        p.bug = "merge-shape-mismatch"
    depth = rng.randint(2, 3)
    channels = rng.choice((1, 3))
    p.add(f"inputs = {p.keras}.Input(shape=({size}, {size}, {channels}))")
    p.add("x = inputs")
    p.add("skips = []")
    p.add(f"for filters in {[16 * 2 ** i for i in range(depth)]}:")
    p.add(f'    x = {p.L("Conv2D")}(filters, 3, padding="same", activation="relu")(x)')
    p.add(f'    x = {p.L("Conv2D")}(filters, 3, padding="same", activation="relu")(x)')
    p.add("    skips.append(x)")
    p.add(f'    x = {p.L("MaxPooling2D")}()(x)')
    p.add(f'x = {p.L("Conv2D")}({16 * 2 ** depth}, 3, padding="same", activation="relu")(x)')
    p.add(f"for filters, skip in zip({[16 * 2 ** i for i in reversed(range(depth))]}, reversed(skips)):")
    p.add(f'    x = {p.L("UpSampling2D")}()(x)')
    p.add(f'    x = {p.L("Concatenate")}()([x, skip])')
    p.add(f'    x = {p.L("Conv2D")}(filters, 3, padding="same", activation="relu")(x)')
    p.add(f'outputs = {p.L("Conv2D")}(1, 1, activation="sigmoid")(x)')
    p.add(f"model = {p.keras}.Model(inputs, outputs)")
    _fit_block(p, (size, size, channels), f"np.random.randint(0, 2, size=({{n}}, {size}, {size}, 1))",
               "binary_crossentropy", metrics=False)


def autoencoder(p: Program, bug: bool) -> None:
    rng = p.rng
    side = rng.choice((28, 32))
    latent = rng.choice((8, 16, 32))
    p.title = "A dense encoder / convolutional decoder autoencoder."
    p.add(f"inputs = {p.keras}.Input(shape=({side}, {side}, 1))")
    p.add(f'x = {p.L("Flatten")}()(inputs)')
    p.add(f'x = {p.L("Dense")}(256, activation="relu")(x)')
    p.add(f'code = {p.L("Dense")}({latent}, activation="relu", name="code")(x)')
    q = side // 4
    if bug:
        p.bug = "reshape-size-mismatch"
        p.add(f'x = {p.L("Dense")}({q * q * 16}, activation="relu")(code)')
        p.add(f'x = {p.L("Reshape")}(({q}, {q}, 32))(x)')
    else:
        p.add(f'x = {p.L("Dense")}({q * q * 32}, activation="relu")(code)')
        p.add(f'x = {p.L("Reshape")}(({q}, {q}, 32))(x)')
    p.add(f'x = {p.L("Conv2DTranspose")}(32, 3, strides=2, padding="same", activation="relu")(x)')
    p.add(f'x = {p.L("Conv2DTranspose")}(16, 3, strides=2, padding="same", activation="relu")(x)')
    p.add(f'outputs = {p.L("Conv2D")}(1, 3, padding="same", activation="sigmoid")(x)')
    p.add(f"model = {p.keras}.Model(inputs, outputs)")
    _fit_block(p, (side, side, 1), f"np.random.rand({{n}}, {side}, {side}, 1)", "mse")


def two_inputs(p: Program, bug: bool) -> None:
    rng = p.rng
    length, feats = rng.choice((20, 30, 50)), rng.choice((8, 12))
    p.title = "A two-input model: a sequence branch and a tabular branch, concatenated."
    p.add(f"seq_in = {p.keras}.Input(shape=({length}, {feats}), name='sequence')")
    p.add(f"tab_in = {p.keras}.Input(shape=({rng.choice((5, 10, 16))},), name='tabular')")
    p.add(f'a = {p.L("LSTM")}({rng.choice((16, 32))})(seq_in)')
    p.add(f'b = {p.L("Dense")}({rng.choice((16, 32))}, activation="relu")(tab_in)')
    if bug:
        p.bug = "merge-shape-mismatch"
        p.add(f'a = {p.L("RepeatVector")}(3)(a)')
    p.add(f'x = {p.L("Concatenate")}()([a, b])')
    p.add(f'x = {p.L("Dense")}(32, activation="relu")(x)')
    p.add(f'outputs = {p.L("Dense")}(1)(x)')
    p.add(f"model = {p.keras}.Model([seq_in, tab_in], outputs)")
    p.add('model.compile(optimizer="adam", loss="mse")')


def subclassed(p: Program, bug: bool) -> None:
    rng = p.rng
    p.title = "A subclassed model (not followed statically) and a functional wrapper."
    p.add()
    p.add(f"class Classifier({p.keras}.Model):")
    p.add("    def __init__(self, classes):")
    p.add("        super().__init__()")
    p.add(f'        self.hidden = {p.L("Dense")}({rng.choice((32, 64))}, activation="relu")')
    p.add(f'        self.drop = {p.L("Dropout")}(0.2)')
    p.add(f'        self.out = {p.L("Dense")}(classes, activation="softmax")')
    p.add()
    p.add("    def call(self, inputs, training=False):")
    p.add("        return self.out(self.drop(self.hidden(inputs), training=training))")
    p.add()
    p.add()
    features = rng.choice((10, 20))
    p.add(f"inputs = {p.keras}.Input(shape=({features},))")
    if bug:
        p.bug = "incompatible-input-rank"
        p.add(f'x = {p.L("Conv1D")}(8, 3)(inputs)')
    else:
        p.add(f'x = {p.L("Dense")}(16)(inputs)')
    p.add("outputs = Classifier(4)(x)")
    p.add(f"model = {p.keras}.Model(inputs, outputs)")
    _fit_block(p, (features,), _classes_target(4, "sparse_categorical_crossentropy"),
               "sparse_categorical_crossentropy")


TEMPLATES: Tuple[Callable[[Program, bool], None], ...] = (
    mlp, cnn_functional, cnn_sequential, text_rnn, conv1d_series, resnet, unet, autoencoder,
    two_inputs, subclassed,
)


def generate(index: int, seed: int = 0, bug_rate: float = 0.2) -> Tuple[str, str]:
    """(file name, source) of corpus file ``index``."""
    rng = random.Random(seed * 1_000_003 + index)
    template = TEMPLATES[index % len(TEMPLATES)]
    program = Program(rng, "")
    template(program, rng.random() < bug_rate)
    return f"model_{index:05d}_{template.__name__}.py", program.text()


def write_corpus(outdir: str, n: int, seed: int = 0, bug_rate: float = 0.2) -> List[str]:
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for i in range(n):
        name, source = generate(i, seed, bug_rate)
        path = os.path.join(outdir, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
        paths.append(path)
    return paths


def deep_model_source(layers: int, style: str = "functional") -> str:
    """One model of ``layers`` layers: residual Dense blocks of
    Dense/BatchNormalization/Activation/Dropout, one statement per layer."""
    lines = [f'"""A {layers}-layer model ({style}), generated for scaling benchmarks."""',
             "import sys", "", "import keras", "from keras import layers", "",
             "# Keras walks a functional graph recursively: deep models need more stack.",
             f"sys.setrecursionlimit(max(sys.getrecursionlimit(), {20 * layers + 1000}))", ""]
    width = 64
    cycle = ('layers.Dense({w})', "layers.BatchNormalization()", 'layers.Activation("relu")',
             "layers.Dropout(0.1)")
    if style == "sequential":
        lines.append("model = keras.Sequential([")
        lines.append(f"    keras.Input(shape=({width},)),")
        for i in range(layers):
            lines.append(f"    {cycle[i % len(cycle)].format(w=width)},")
        lines.append("])")
    else:
        lines.append(f"inputs = keras.Input(shape=({width},))")
        lines.append("x = inputs")
        lines.append("skip = x")
        count = 0
        while count < layers:
            if count % 8 == 7:
                lines.append("x = layers.Add()([x, skip])")
                lines.append("skip = x")
            else:
                lines.append(f"x = {cycle[count % len(cycle)].format(w=width)}(x)")
            count += 1
        lines.append("model = keras.Model(inputs, x)")
    lines.append('model.compile(optimizer="adam", loss="mse")')
    return "\n".join(lines) + "\n"


def write_deep_model(outdir: str, layers: int, style: str = "functional") -> str:
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"deep_{layers}_{style}.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(deep_model_source(layers, style))
    return path


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("-n", type=int, default=100, help="number of model files (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bug-rate", type=float, default=0.2, help="share of files with a bug (default 0.2)")
    parser.add_argument("--layers", type=int, default=None, metavar="L",
                        help="instead: write one model with L layers")
    parser.add_argument("--style", choices=("functional", "sequential"), default="functional",
                        help="with --layers: functional (default) or Sequential")
    args = parser.parse_args(argv)
    if args.layers is not None:
        print(write_deep_model(args.outdir, args.layers, args.style))
    else:
        paths = write_corpus(args.outdir, args.n, args.seed, args.bug_rate)
        print(f"wrote {len(paths)} files to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# The worst case of nested unrolled loops (issue 12): a 64**3 data loop, then a model.
NESTED_LOOP = """\
import numpy as np
from keras import layers, models

grid = np.zeros((64, 64, 64))
total = 0
for i in range(64):
    for j in range(64):
        for k in range(64):
            total += grid[i, j, k]
model = models.Sequential([layers.Input((4,)), layers.Dense(2)])
"""
