#!/usr/bin/env python
"""Measure what Keras 3 actually does at ``model.fit`` for loss / output / target
shape combinations, and for a few input-side and attention-layer mistakes.

Run with the project venv (TensorFlow backend):

    .venv/bin/python tools/measure_fit_behaviour.py            # all sections
    .venv/bin/python tools/measure_fit_behaviour.py --quick    # fewer losses
    options: --section {loss,input,attention,all}, --jobs N (worker
    processes, default 2; about 3 min wall / 2 min CPU for everything)

Output: Markdown tables (one row per case) on stdout.

Result column
-------------
``ok``            fit ran, and after Keras' own rank alignment
                  (``squeeze_or_expand_to_same_rank`` in the loss wrapper, plus
                  the extra trailing-1 squeeze of the sparse loss) y_true and
                  y_pred have compatible shapes *without* broadcasting.
``ok-broadcast``  fit ran, but the element-wise part of the loss had to
                  broadcast y_true against y_pred (shapes still differ after
                  alignment), i.e. the loss is silently computed on a
                  different tensor than the user meant.
``ok-wrong-axis``  fit ran without broadcasting, but Keras squeezed the
                  trailing size-1 axis of y_pred, so a cross-entropy loss
                  (categorical / sparse) treats the old axis -2 (time, width)
                  as the class axis: trains silently on a meaningless loss.
``ok-zero-loss``   fit ran but the first-epoch loss is 0 (categorical CE on a
                  last axis of size 1, or sparse CE with a single class and
                  all labels truncated to 0): nothing is learned.
``raises: T: m``  fit raised exception type T, m = first 160 chars of the
                  informative part of the message.

Extra columns: ``aligned`` (y_true / y_pred shapes after Keras' alignment, batch
= 8), ``unreduced`` (shape of the loss computed directly on the first batch with
``reduction=None``), ``notes`` (warnings raised during fit, first-epoch loss
value when it is 0/NaN, etc.).

Note that the unreduced shape alone can NOT detect every broadcast: e.g. y_true
(8,) vs y_pred (8,5,5,1) broadcasts to (8,5,5,8) and ``mean(axis=-1)`` brings it
back to (8,5,5), which is exactly the shape of the correct case.  That is why
the classification uses the aligned shapes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.losses.loss import squeeze_or_expand_to_same_rank  # noqa: E402
from keras.src.losses.losses import LossFunctionWrapper  # noqa: E402

tf.get_logger().setLevel("ERROR")

N = 16
BATCH = 8
SEED = 1234

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

_NOISE_PREFIXES = (
    "Graph execution error",
    "Detected at node",
    "File ",
    "[[",
    "Traceback",
)


def short_error(exc: BaseException, limit: int = 160) -> str:
    """Informative part of an exception message, on one line."""
    msg = getattr(exc, "message", None) or str(exc)
    if "Graph execution error" in msg or "Detected at node" in msg:
        # TF runtime error: the real message follows the Python traceback.
        lines = [ln.strip() for ln in msg.splitlines()]
        useful = [
            ln
            for ln in lines
            if ln
            and not ln.startswith(_NOISE_PREFIXES)
            and not ln.startswith(("/", "<"))
            and not re.match(r"^[\w.]+\(\)?$", ln)  # 'main()' style frames
            and not ln.startswith(("return ", "self.", "outputs ="))
        ]
        # Prefer lines that look like op error messages.
        for ln in useful:
            if re.search(
                r"Incompatible shapes|Received a label value|Matrix size|"
                r"must be|Dimensions|Invalid|expected|cannot|Cannot|"
                r"required|broadcast|out of range|not compatible|"
                r"indices\[|In\[0\]",
                ln,
            ):
                msg = ln
                break
        else:
            msg = useful[-1] if useful else msg
    msg = re.sub(r"\x1b\[[0-9;]*m", "", msg)  # ANSI bold used by Keras
    # "Exception encountered when calling X.call()." -> "(in X.call)"
    msg = re.sub(
        r"Exception encountered when calling ([\w.]+)\.call\(\)\.\s*",
        r"(in \1.call) ",
        msg,
    )
    # compress TF node descriptions, keep the op name
    msg = re.sub(r"for '\{\{node ([^}]*)\}\} = [^']*'", r"for node '\1'", msg)
    msg = re.sub(r"\s+", " ", msg).strip()
    return f"{type(exc).__name__}: {msg[:limit]}"


def shape_str(shape) -> str:
    return "(" + ",".join("None" if d is None else str(d) for d in shape) + (
        ",)" if len(shape) == 1 else ")"
    )


def md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def print_table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(md_escape(str(c)) for c in r) + " |")
    print()
    sys.stdout.flush()


# --------------------------------------------------------------------------
# losses
# --------------------------------------------------------------------------


class LossCase:
    def __init__(self, label, make, family):
        self.label = label  # as written by the user
        self.make = make  # () -> identifier passed to compile
        self.family = family  # reg | cosine | bce | cce | sparse | hinge | kl | poisson

    def unreduced(self):
        """The loss object compile() would build, with reduction=None."""
        ident = self.make()
        if isinstance(ident, str):
            fn = keras.losses.get(ident)
            if isinstance(fn, keras.losses.Loss):
                cfg = fn.get_config()
                cfg["reduction"] = None
                return fn.__class__.from_config(cfg)
            # exactly what compile_utils.get_loss does for a plain function
            return LossFunctionWrapper(fn, reduction=None)
        cfg = ident.get_config()
        cfg["reduction"] = None
        return ident.__class__.from_config(cfg)


LOSSES = [
    LossCase("mse", lambda: "mse", "reg"),
    LossCase("mae", lambda: "mae", "reg"),
    LossCase(
        "mean_squared_logarithmic_error",
        lambda: "mean_squared_logarithmic_error",
        "reg",
    ),
    LossCase("huber", lambda: "huber", "reg"),
    LossCase("cosine_similarity", lambda: "cosine_similarity", "cosine"),
    LossCase("hinge", lambda: "hinge", "hinge"),
    LossCase("kl_divergence", lambda: "kl_divergence", "kl"),
    LossCase("poisson", lambda: "poisson", "poisson"),
    LossCase("binary_crossentropy", lambda: "binary_crossentropy", "bce"),
    LossCase(
        "BinaryCrossentropy(from_logits=True)",
        lambda: keras.losses.BinaryCrossentropy(from_logits=True),
        "bce_logits",
    ),
    LossCase(
        "categorical_crossentropy", lambda: "categorical_crossentropy", "cce"
    ),
    LossCase(
        "CategoricalCrossentropy(from_logits=True)",
        lambda: keras.losses.CategoricalCrossentropy(from_logits=True),
        "cce_logits",
    ),
    LossCase(
        "sparse_categorical_crossentropy",
        lambda: "sparse_categorical_crossentropy",
        "sparse",
    ),
    LossCase(
        "SparseCategoricalCrossentropy(from_logits=True)",
        lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        "sparse_logits",
    ),
]


def final_activation(family: str, units: int) -> str:
    """The head activation a user would plausibly pair with the loss."""
    if family.endswith("_logits"):
        return "linear"
    if family in ("bce", "cce", "sparse", "kl"):
        # 1 unit -> sigmoid (also the '1-unit sigmoid + categorical CE'
        # mistake); >1 units -> softmax (also the '10-unit softmax + binary CE'
        # mistake).
        return "sigmoid" if units == 1 else "softmax"
    if family == "hinge":
        return "tanh"
    if family == "poisson":
        return "softplus"
    return "linear"


# --------------------------------------------------------------------------
# models producing the wanted output shape
# --------------------------------------------------------------------------

OUTPUTS = [
    (None, 1),
    (None, 10),
    (None, 5, 5, 1),
    (None, 5, 5, 10),
    (None, 7, 1),
    (None, 7, 10),
    (None, 64, 64, 1),
]


def build_model(out_shape, activation, n=N):
    units = out_shape[-1]
    if len(out_shape) == 2:
        inp = keras.Input((8,))
        x = layers.Dense(16, activation="relu")(inp)
        out = layers.Dense(units, activation=activation)(x)
        x_data = np.random.rand(n, 8).astype("float32")
    elif out_shape[1:3] == (5, 5):
        # conv feature map followed by a Dense head WITHOUT Flatten/Pooling
        inp = keras.Input((5, 5, 3))
        x = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
        out = layers.Dense(units, activation=activation)(x)
        x_data = np.random.rand(n, 5, 5, 3).astype("float32")
    elif len(out_shape) == 3:
        # sequence model, return_sequences-style output
        inp = keras.Input((7, 4))
        x = layers.Dense(8, activation="relu")(inp)
        out = layers.Dense(units, activation=activation)(x)
        x_data = np.random.rand(n, 7, 4).astype("float32")
    elif out_shape[1:3] == (64, 64):
        # segmentation-style fully convolutional output
        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
        out = layers.Conv2D(units, 1, activation=activation)(x)
        x_data = np.random.rand(n, 64, 64, 3).astype("float32")
    else:
        raise AssertionError(out_shape)
    model = keras.Model(inp, out)
    assert tuple(model.output_shape) == tuple(out_shape), (
        model.output_shape,
        out_shape,
    )
    return model, x_data


# --------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------


def make_target(shape_no_batch, encoding, rng, n=N):
    """encoding: int10 | int2 | float | onehot10"""
    shape = (n,) + tuple(shape_no_batch)
    if encoding == "int10":
        return rng.integers(0, 10, size=shape).astype("int64")
    if encoding == "int2":
        return rng.integers(0, 2, size=shape).astype("int64")
    if encoding == "float":
        return rng.random(size=shape).astype("float32")
    if encoding == "onehot10":
        assert shape[-1] == 10
        labels = rng.integers(0, 10, size=shape[:-1])
        return keras.utils.to_categorical(labels, 10).astype("float32")
    raise AssertionError(encoding)


def label_encoding(units: int) -> str:
    """Default encoding for a target without a class axis: integer class ids
    in [0, units) (binary {0,1} for a 1-unit head)."""
    return "int10" if units == 10 else "int2"


# Per output shape: the target shapes a user plausibly passes (right or
# wrong). ``None`` encoding = pick class-id encoding from the head width.
TARGETS = {
    (None, 1): [
        ((), None),
        ((1,), None),
        ((10,), "onehot10"),
        ((3,), "float"),
    ],
    (None, 10): [
        ((), None),
        ((1,), None),
        ((10,), "onehot10"),
        ((10,), "float"),
        ((3,), "float"),
    ],
    (None, 5, 5, 1): [
        ((), None),
        ((1,), None),
        ((5, 5), None),
        ((5, 5, 1), None),
    ],
    (None, 5, 5, 10): [
        ((), None),
        ((1,), None),
        ((10,), "onehot10"),
        ((5, 5), None),
        ((5, 5, 1), None),
        ((5, 5, 10), "onehot10"),
    ],
    (None, 7, 1): [
        ((), None),
        ((1,), None),
        ((7,), None),
        ((7, 1), None),
    ],
    (None, 7, 10): [
        ((), None),
        ((1,), None),
        ((10,), "onehot10"),
        ((7,), None),
        ((7, 1), None),
        ((7, 10), "onehot10"),
    ],
    (None, 64, 64, 1): [
        ((), None),
        ((1,), None),
        ((64, 64), None),
        ((64, 64, 1), None),
    ],
}

# Dtype / value-encoding specific cases (output shape, target shape, encoding)
EXTRA = [
    # integer labels (no class axis) with categorical CE
    ("categorical_crossentropy", (None, 10), (), "int10"),
    ("categorical_crossentropy", (None, 10), (1,), "int10"),
    # sparse with float-valued labels (truncated by the int64 cast)
    ("sparse_categorical_crossentropy", (None, 10), (), "float"),
    ("sparse_categorical_crossentropy", (None, 10), (1,), "float"),
    # sparse on a 1-unit sigmoid head: labels 0/1 and 0..9
    ("sparse_categorical_crossentropy", (None, 1), (), "int2"),
    ("sparse_categorical_crossentropy", (None, 1), (), "int10"),
    ("sparse_categorical_crossentropy", (None, 1), (1,), "float"),
    # sparse on a 10-unit head with labels out of range
    # (values 0..9 fit; these are 'float' targets of shape (N,10))
    ("sparse_categorical_crossentropy", (None, 10), (10,), "float"),
    # binary CE with non-binary integer labels
    ("binary_crossentropy", (None, 1), (), "int10"),
    ("binary_crossentropy", (None, 1), (1,), "float"),
    # masks given as float / one-hot for segmentation
    ("binary_crossentropy", (None, 64, 64, 1), (64, 64), "float"),
    ("sparse_categorical_crossentropy", (None, 64, 64, 1), (64, 64), "int10"),
    # hinge with -1/+1 style? (int2 converted by Keras) vs float
    ("hinge", (None, 1), (1,), "float"),
    # mse on a 10-wide output with class ids
    ("mse", (None, 10), (), "int10"),
    ("mse", (None, 10), (1,), "int10"),
]


# Cases whose outcome depends on the batch size: (loss, output, target,
# encoding, N, batch_size).  With N % batch_size == 0 the tf.data pipeline has
# a *static* batch dimension (= batch_size); otherwise it is None.
BATCH_SENSITIVE = [
    ("mse", (None, 10), (), "int10", 20, 8),
    ("mse", (None, 10), (), "int10", 20, 10),
    ("mse", (None, 10), (), "int10", 30, 10),
    ("mse", (None, 5, 5, 1), (1,), "int2", 20, 8),
    ("mse", (None, 5, 5, 1), (1,), "int2", 20, 5),
    ("mse", (None, 7, 10), (), "int10", 20, 10),
    ("mse", (None, 64, 64, 1), (1,), "int2", 20, 8),
    ("mse", (None, 7, 1), (), "int2", 20, 8),
    ("binary_crossentropy", (None, 10), (), "int10", 20, 10),
    ("categorical_crossentropy", (None, 10), (), "int10", 20, 8),
    ("sparse_categorical_crossentropy", (None, 7, 10), (1,), "int10", 20, 8),
]


def loss_grid_rows(label: str) -> list[list[str]]:
    """All output x target cases for one loss (run in a worker process)."""
    lc = {l.label: l for l in LOSSES}[label]
    rng = np.random.default_rng(SEED + [l.label for l in LOSSES].index(label))
    rows = []
    for out_shape in OUTPUTS:
        for tshape, enc in TARGETS[out_shape]:
            rows.append(run_loss_case(lc, out_shape, tshape, enc, rng))
    return rows


def extra_rows(which: str) -> list[list[str]]:
    by_label = {l.label: l for l in LOSSES}
    rng = np.random.default_rng(SEED + 100)
    if which == "extra":
        return [run_loss_case(by_label[lbl], o, t, e, rng)
                for lbl, o, t, e in EXTRA]
    return [run_loss_case(by_label[lbl], o, t, e, rng, n, b)
            for lbl, o, t, e, n, b in BATCH_SENSITIVE]


def expected_aligned(loss_case, y_true, y_pred):
    """Apply the same rank alignment Keras applies; return the two shapes and
    whether an elementwise broadcast is needed."""
    yt = tf.convert_to_tensor(y_true, dtype="float32")
    yp = tf.convert_to_tensor(y_pred, dtype="float32")
    yt, yp = squeeze_or_expand_to_same_rank(yt, yp)  # LossFunctionWrapper.call
    yt_s, yp_s = tuple(yt.shape), tuple(yp.shape)
    if loss_case.family.startswith("sparse"):
        # losses.sparse_categorical_crossentropy + backend squeeze
        if len(yt_s) == len(yp_s) and yt_s[-1] == 1:
            yt_s = yt_s[:-1]
        broadcast = yt_s != yp_s[:-1]
    else:
        broadcast = yt_s != yp_s
    # y_pred lost its trailing size-1 axis: the loss now reduces over (and,
    # for the cross-entropies, normalises over) what used to be axis -2.
    pred_squeezed = len(yp_s) < np.ndim(y_pred)
    return yt_s, yp_s, broadcast, pred_squeezed


def run_loss_case(loss_case, out_shape, tshape, encoding, rng, n=N,
                  batch=BATCH):
    units = out_shape[-1]
    act = final_activation(loss_case.family, units)
    if encoding is None:
        encoding = label_encoding(units)
    keras.utils.set_random_seed(SEED)
    model, x = build_model(out_shape, act, n)
    y = make_target(tshape, encoding, rng, n)
    model.compile(optimizer="sgd", loss=loss_case.make())
    notes = []
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always")
        try:
            hist = model.fit(x, y, epochs=1, batch_size=batch, verbose=0)
            err = None
        except Exception as e:  # noqa: BLE001
            err = e
    for w in wlist:
        text = str(w.message)
        if "categorical_crossentropy, expected" in text:
            notes.append("SyntaxWarning: CCE on last dim 1")
        elif "from_logits=True" in text and "does not represent logits" in text:
            notes.append("UserWarning: from_logits on activated output")
    aligned = unreduced = ""
    if err is not None:
        result = "raises: " + short_error(err)
    else:
        loss_val = float(hist.history["loss"][0])
        if not np.isfinite(loss_val):
            notes.append(f"loss={loss_val}")
        elif abs(loss_val) < 1e-6:
            notes.append("loss==0 (learns nothing)")
        elif loss_val < 0 and loss_case.family not in ("cosine",):
            notes.append(f"negative loss {loss_val:.3g}")
        y_pred = np.asarray(model(x[:batch], training=False))
        yt_s, yp_s, broadcast, pred_squeezed = expected_aligned(
            loss_case, y[:batch], y_pred
        )
        aligned = f"{shape_str(yt_s)} vs {shape_str(yp_s)}"
        try:
            lv = loss_case.unreduced()(y[:batch], y_pred)
            unreduced = shape_str(tuple(lv.shape))
        except Exception as e:  # noqa: BLE001
            unreduced = "direct call raises " + type(e).__name__
        zero_loss = np.isfinite(loss_val) and abs(loss_val) < 1e-6
        if broadcast:
            result = "ok-broadcast"
        elif zero_loss:
            # e.g. softmax over a single unit: the loss is identically 0
            result = "ok-zero-loss"
        elif pred_squeezed and loss_case.family.split("_")[0] in (
            "cce", "sparse"
        ):
            # softmax / class axis silently moved to the old axis -2
            result = "ok-wrong-axis"
        else:
            result = "ok"
        if pred_squeezed:
            notes.append(
                f"y_pred squeezed {shape_str(np.shape(y_pred))}->"
                f"{shape_str(yp_s)}: loss reduces over old axis -2"
            )
        if (
            loss_case.family.startswith("sparse")
            and encoding == "float"
        ):
            notes.append("float labels cast to int64 (truncated)")
    dtype = {
        "int10": "int64 [0,10)",
        "int2": "int64 {0,1}",
        "float": "float32 [0,1)",
        "onehot10": "one-hot float32",
    }[encoding]
    row = [
        loss_case.label,
        f"{shape_str(out_shape)} {act}",
        "(" + ",".join(["N"] + [str(d) for d in tshape]) + ("" if tshape else ",") + ")",
        dtype,
        result,
        aligned,
        unreduced,
        "; ".join(notes),
    ]
    if (n, batch) != (N, BATCH):
        row.insert(4, f"N={n}, batch_size={batch}")
    return row


# --------------------------------------------------------------------------
# input side
# --------------------------------------------------------------------------


def cnn_28(functional: bool, in_shape=(28, 28, 1)):
    if functional:
        inp = keras.Input(in_shape)
        x = layers.Conv2D(4, 3, activation="relu")(inp)
        x = layers.Flatten()(x)
        out = layers.Dense(10, activation="softmax")(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", input_shape=in_shape),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def cnn_28_lazy():
    # Sequential without any input shape: built from the first batch
    return keras.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def conv1d_30(functional: bool):
    if functional:
        inp = keras.Input((30, 1))
        x = layers.Conv1D(4, 3, activation="relu")(inp)
        x = layers.GlobalAveragePooling1D()(x)
        out = layers.Dense(1)(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            layers.Conv1D(4, 3, activation="relu", input_shape=(30, 1)),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1),
        ]
    )


def dense_30(functional: bool):
    if functional:
        inp = keras.Input((30,))
        x = layers.Dense(8, activation="relu")(inp)
        out = layers.Dense(1)(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            layers.Dense(8, activation="relu", input_shape=(30,)),
            layers.Dense(1),
        ]
    )


def embed_lstm(functional: bool):
    if functional:
        inp = keras.Input((100,))
        x = layers.Embedding(1000, 8)(inp)
        x = layers.LSTM(4)(x)
        out = layers.Dense(1, activation="sigmoid")(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            keras.Input((100,)),
            layers.Embedding(1000, 8),
            layers.LSTM(4),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def embed_lstm_seq_input_shape():
    # Sequential whose first layer carries input_shape
    return keras.Sequential(
        [
            layers.Embedding(1000, 8, input_shape=(100,)),
            layers.LSTM(4),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def rows_lstm(functional: bool):
    # Input((28,28)): 28 timesteps x 28 features
    if functional:
        inp = keras.Input((28, 28))
        x = layers.LSTM(4)(inp)
        out = layers.Dense(10, activation="softmax")(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            layers.LSTM(4, input_shape=(28, 28)),
            layers.Dense(10, activation="softmax"),
        ]
    )


def flat_28(functional: bool):
    if functional:
        inp = keras.Input((28, 28))
        x = layers.Flatten()(inp)
        out = layers.Dense(10, activation="softmax")(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(10, activation="softmax"),
        ]
    )


def cnn_gap(functional: bool, in_shape=(32, 32, 3)):
    """'same'-padded CNN + global pooling: accepts any spatial size."""
    if functional:
        inp = keras.Input(in_shape)
        x = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
        x = layers.GlobalAveragePooling2D()(x)
        out = layers.Dense(10, activation="softmax")(x)
        return keras.Model(inp, out)
    return keras.Sequential(
        [
            keras.Input(in_shape),
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def dense_30_seq_no_input():
    return keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])


def input_cases(rng):
    img = rng.random((N, 28, 28)).astype("float32")
    img1 = img[..., None]
    y10 = rng.integers(0, 10, size=(N,))
    y1 = rng.random((N, 1)).astype("float32")
    cases = []
    for functional in (True, False):
        kind = "functional" if functional else "Sequential(input_shape=)"
        cases += [
            (kind, "Input((28,28,1)) CNN", "fit", "(N,28,28)",
             lambda f=functional: cnn_28(f), img, y10,
             "sparse_categorical_crossentropy"),
            (kind, "Input((28,28,1)) CNN", "fit", "(N,28,28,3)",
             lambda f=functional: cnn_28(f),
             rng.random((N, 28, 28, 3)).astype("float32"), y10,
             "sparse_categorical_crossentropy"),
            (kind, "Input((28,28,1)) CNN", "predict", "x[0] (28,28,1)",
             lambda f=functional: cnn_28(f), img1[0], None, None),
            (kind, "Input((28,28,1)) CNN", "predict", "x[0:1] (1,28,28,1)",
             lambda f=functional: cnn_28(f), img1[0:1], None, None),
            (kind, "Input((28,28,1)) CNN", "predict", "x[0] (28,28) of (N,28,28)",
             lambda f=functional: cnn_28(f), img[0], None, None),
            (kind, "Input((30,1)) Conv1D", "fit", "(N,30)",
             lambda f=functional: conv1d_30(f),
             rng.random((N, 30)).astype("float32"), y1, "mse"),
            (kind, "Input((30,)) Dense", "fit", "(N,20)",
             lambda f=functional: dense_30(f),
             rng.random((N, 20)).astype("float32"), y1, "mse"),
            (kind, "Input((30,)) Dense", "fit", "(N,30,1)",
             lambda f=functional: dense_30(f),
             rng.random((N, 30, 1)).astype("float32"), y1, "mse"),
            (kind, "Input((30,)) Dense", "fit", "(N,30,2)",
             lambda f=functional: dense_30(f),
             rng.random((N, 30, 2)).astype("float32"), y1, "mse"),
            (kind, "Input((28,28)) LSTM", "fit", "(N,28,28,1)",
             lambda f=functional: rows_lstm(f), img1, y10,
             "sparse_categorical_crossentropy"),
            (kind, "Input((28,28)) Flatten", "fit", "(N,28,28,1)",
             lambda f=functional: flat_28(f), img1, y10,
             "sparse_categorical_crossentropy"),
        ]
        k2 = kind if functional else "Sequential(Input)"
        cases += [
            (k2, "Input((32,32,3)) CNN same+GAP", "fit", "(N,28,28,3)",
             lambda f=functional: cnn_gap(f),
             rng.random((N, 28, 28, 3)).astype("float32"), y10,
             "sparse_categorical_crossentropy"),
            (k2, "Input((28,28,1)) CNN same+GAP", "predict", "x[0] (28,28,1)",
             lambda f=functional: cnn_gap(f, (28, 28, 1)), img1[0], None,
             None),
        ]
        toks = rng.integers(0, 1000, size=(N, 120))
        yb = rng.integers(0, 2, size=(N, 1))
        cases.append(
            (kind if functional else "Sequential(Input)",
             "Input((100,)) Embedding LSTM", "fit", "(N,120) int",
             lambda f=functional: embed_lstm(f), toks, yb,
             "binary_crossentropy"))
        cases.append(
            (kind if functional else "Sequential(Input)",
             "Input((100,)) Embedding LSTM", "fit", "(N,100) int",
             lambda f=functional: embed_lstm(f), toks[:, :100], yb,
             "binary_crossentropy"))
    toks = rng.integers(0, 1000, size=(N, 120))
    yb = rng.integers(0, 2, size=(N, 1))
    cases += [
        ("Sequential(input_shape=)", "Embedding(input_shape=(100,)) LSTM",
         "fit", "(N,120) int", embed_lstm_seq_input_shape, toks, yb,
         "binary_crossentropy"),
        ("Sequential (no input)", "Conv2D CNN, built lazily", "fit",
         "(N,28,28)", cnn_28_lazy, img, y10,
         "sparse_categorical_crossentropy"),
        ("Sequential (no input)", "Dense, built lazily", "fit", "(N,20)",
         dense_30_seq_no_input, rng.random((N, 20)).astype("float32"), y1,
         "mse"),
    ]
    return cases


def run_input_case(case):
    kind, model_desc, action, data_desc, build, x, y, loss = case
    keras.utils.set_random_seed(SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = build()
        except Exception as e:  # noqa: BLE001
            return [kind, model_desc, action, data_desc,
                    "raises at construction: " + short_error(e), ""]
        try:
            if action == "fit":
                model.compile(optimizer="sgd", loss=loss)
                model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
                detail = f"model.input_shape={model.input_shape}"
            else:
                p = model.predict(x, verbose=0)
                detail = f"predict output shape {p.shape}"
            result = "ok"
        except Exception as e:  # noqa: BLE001
            result = "raises: " + short_error(e)
            detail = ""
    return [kind, model_desc, action, data_desc, result, detail]


# --------------------------------------------------------------------------
# attention layers
# --------------------------------------------------------------------------


def attention_cases():
    """(description, builder returning (model, xs)) -- builder runs the
    symbolic construction; fit runs afterwards."""

    def att(q_shape, v_shape, k_shape=None, **kw):
        def build():
            q = keras.Input(q_shape)
            v = keras.Input(v_shape)
            ins = [q, v]
            if k_shape is not None:
                k = keras.Input(k_shape)
                ins.append(k)
            o = layers.Attention(**kw)(ins)
            o = layers.GlobalAveragePooling1D()(o)
            o = layers.Dense(1)(o)
            return keras.Model(ins, o), [q_shape, v_shape] + (
                [k_shape] if k_shape is not None else []
            )

        return build

    def mha(q_shape, v_shape, k_shape=None, **kw):
        def build():
            q = keras.Input(q_shape)
            v = keras.Input(v_shape)
            ins = [q, v]
            kwargs = {}
            if k_shape is not None:
                k = keras.Input(k_shape)
                ins.append(k)
                kwargs["key"] = k
            o = layers.MultiHeadAttention(num_heads=2, key_dim=4, **kw)(
                q, v, **kwargs
            )
            o = layers.GlobalAveragePooling1D()(o)
            o = layers.Dense(1)(o)
            return keras.Model(ins, o), [q_shape, v_shape] + (
                [k_shape] if k_shape is not None else []
            )

        return build

    return [
        ("Attention q(5,16) v(7,16)  [Tq != Tv, legal]", att((5, 16), (7, 16))),
        ("Attention q(5,16) v(7,8)   [dim mismatch]", att((5, 16), (7, 8))),
        ("Attention q(5,16) v(7,16) k(9,16) [key/value length mismatch]",
         att((5, 16), (7, 16), (9, 16))),
        ("Attention q(5,16) v(7,16) k(7,8) [key dim != query dim]",
         att((5, 16), (7, 16), (7, 8))),
        ("Attention(score_mode='concat') q(5,16) v(7,8)",
         att((5, 16), (7, 8), score_mode="concat")),
        ("MultiHeadAttention q(5,16) v(7,12) [legal]", mha((5, 16), (7, 12))),
        ("MultiHeadAttention q(5,16) v(7,16) k(9,16) [key/value length mismatch]",
         mha((5, 16), (7, 16), (9, 16))),
        ("MultiHeadAttention q(5,16) v(7,16) k(7,8) [key dim differs, legal]",
         mha((5, 16), (7, 16), (7, 8))),
    ]


def run_attention_case(desc, build, rng):
    keras.utils.set_random_seed(SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model, shapes = build()
        except Exception as e:  # noqa: BLE001
            return [desc, "raises: " + short_error(e), "not reached"]
        xs = [rng.random((N,) + s).astype("float32") for s in shapes]
        y = rng.random((N, 1)).astype("float32")
        model.compile(optimizer="sgd", loss="mse")
        try:
            model.fit(xs, y, epochs=1, batch_size=BATCH, verbose=0)
            fit_res = "ok"
        except Exception as e:  # noqa: BLE001
            fit_res = "raises: " + short_error(e)
    return [desc, f"ok, output {model.output_shape}", fit_res]


# --------------------------------------------------------------------------


def _task(task):
    kind, arg = task
    warnings.filterwarnings("ignore")
    if kind == "grid":
        return loss_grid_rows(arg)
    if kind == "input":
        rng = np.random.default_rng(SEED + 200)
        return [run_input_case(c) for c in input_cases(rng)]
    if kind == "attention":
        rng = np.random.default_rng(SEED + 300)
        return [run_attention_case(d, b, rng) for d, b in attention_cases()]
    return extra_rows(arg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="only mse, binary, categorical, sparse losses")
    ap.add_argument("--section", choices=["loss", "input", "attention", "all"],
                    default="all")
    ap.add_argument("--jobs", type=int, default=2,
                    help="worker processes for the loss grid (default 2)")
    args = ap.parse_args()

    t0 = time.time()
    print(f"tensorflow {tf.__version__}, keras {keras.__version__}, "
          f"backend {keras.backend.backend()}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]}")
    print(f"N={N} samples, batch_size={BATCH}, epochs=1, optimizer=sgd\n")

    tasks = []
    if args.section in ("loss", "all"):
        losses = LOSSES
        if args.quick:
            keep = {"mse", "binary_crossentropy", "categorical_crossentropy",
                    "sparse_categorical_crossentropy"}
            losses = [l for l in LOSSES if l.label in keep]
        tasks += [("grid", l.label) for l in losses]
        tasks += [("extra", "extra"), ("extra", "batch")]
    if args.section in ("input", "all"):
        tasks.append(("input", None))
    if args.section in ("attention", "all"):
        tasks.append(("attention", None))

    if args.jobs > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            max_workers=args.jobs, mp_context=mp.get_context("spawn")
        ) as ex:
            futs = {t: ex.submit(_task, t) for t in tasks}
            results = {t: f.result() for t, f in futs.items()}
    else:
        results = {t: _task(t) for t in tasks}

    header = ["loss", "model output", "target", "target dtype",
              "result", "aligned y_true vs y_pred", "unreduced", "notes"]
    grid = [r for t in tasks if t[0] == "grid" for r in results[t]]
    if grid:
        print("## Loss x output shape x target shape\n")
        print_table(header, grid)
        print("## Dtype / encoding specific cases\n")
        print_table(header, results[("extra", "extra")])
        print("## Batch-size sensitivity (static vs dynamic batch dimension)\n")
        print_table(header[:4] + ["N / batch"] + header[4:],
                    results[("extra", "batch")])
    if ("input", None) in results:
        print("## Input side (data shape vs declared input shape)\n")
        print_table(["model kind", "model", "call", "data", "result",
                     "detail"], results[("input", None)])
    if ("attention", None) in results:
        print("## Attention layers (construction vs fit)\n")
        print_table(["case", "symbolic construction", "fit"],
                    results[("attention", None)])

    print(f"_total runtime {time.time() - t0:.1f}s_")


if __name__ == "__main__":
    main()
