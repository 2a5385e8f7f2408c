"""Shape bugs as Keras users write them: short programs that read their data
with pandas, numpy and scikit-learn the way beginners do, each beside its
corrected twin.  Every program runs under Keras: a bad one must raise where
shapelint reports it (and nowhere else); its twin must train, with no
finding and no exact claim Keras does not make."""
from __future__ import annotations

import textwrap

import pytest

import keras_programs
from keras_programs import check_claims
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")
pytest.importorskip("sklearn")
pytest.importorskip("pandas")

# A CSV the program writes itself: 8 feature columns, a species, a label.
CSV = """
    import os
    import tempfile
    import numpy as np
    import pandas as pd
    path = os.path.join(tempfile.mkdtemp(), "data.csv")
    frame = pd.DataFrame(np.random.rand(30, 8), columns=[f"f{i}" for i in range(8)])
    frame["species"] = np.array(["a", "b", "c"])[np.arange(30) % 3]
    frame["label"] = np.arange(30) % 2
    frame.to_csv(path, index=False)
"""

LABEL_ENCODED_CSV = CSV + """
    from sklearn.preprocessing import LabelEncoder
    import keras
    from keras import layers

    df = pd.read_csv(path)
    X = df.iloc[:, :8].values
    encoder = LabelEncoder()
    y = encoder.fit_transform(df["species"])
    model = keras.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    model.compile(loss="{loss}", optimizer="adam")
    model.fit(X, y, epochs=1, verbose=0)
"""

FRAME_SPLIT = """
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    import keras
    from keras import layers

    df = pd.DataFrame(np.random.rand(40, 6), columns=list("abcdef"))
    df["target"] = np.arange(40) % 4
    X = df.iloc[:, :-1]
    y = df.iloc[:, -1]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)
    model = keras.Sequential()
    model.add(layers.Dense(10, input_shape=({width},), activation="relu"))
    model.add(layers.Dense(4, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(X_train, y_train, epochs=1, verbose=0, validation_data=(X_test, y_test))
    scaled = StandardScaler().fit_transform(X_test)
    model.evaluate(scaled, y_test, verbose=0)
"""

# Images reshaped for a CNN: 28x28 read as 32x32 (numpy refuses), or given
# the channel axis the Conv2D wants.
IMAGES_RESHAPED = """
    import numpy as np
    import keras
    from keras import layers

    x_train = np.random.randint(0, 256, (64, 28, 28)).astype("uint8")
    y_train = np.random.randint(0, 10, 64)
    x_train = x_train.reshape(x_train.shape[0], {size}, {size}, 1) / 255.0
    model = keras.Sequential([layers.Conv2D(8, 3, input_shape=({size}, {size}, 1)), layers.Flatten(),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=1, verbose=0)
"""

# Windows for an LSTM: 8 scaled features read as 10 timesteps.
SCALED_WINDOWS = """
    import numpy as np
    from sklearn.preprocessing import StandardScaler
    import keras
    from keras import layers

    data = np.random.rand(100, 8)
    target = np.random.rand(100)
    X = StandardScaler().fit_transform(data)
    X = X.reshape(X.shape[0], {steps}, 1)
    model = keras.Sequential([layers.LSTM(16, input_shape=({steps}, 1)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, target, epochs=1, verbose=0)
"""

# Saved arrays: np.load("x.npy") holds a shape the file decides, but a
# reshape to literal sizes tells its rank.
LOADED = """
    import os
    import tempfile
    import numpy as np
    import keras
    from keras import layers

    os.chdir(tempfile.mkdtemp())
    np.save("x.npy", np.random.rand(32, 784).astype("float32"))
    np.save("y.npy", np.random.randint(0, 10, 32))
    X = np.load("x.npy")
    y = np.load("y.npy")
    X = X.reshape({shape})
    model = keras.Sequential([layers.Dense(128, activation="relu", input_shape=(784,)),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=1, verbose=0)
"""

# Validation data prepared apart from the training data: its labels not
# one-hot encoded like the training labels (Keras evaluates it at the end of
# the epoch, inside fit).
VALIDATION = """
    import numpy as np
    import keras
    from keras import layers
    from keras.utils import to_categorical

    X_train, X_test = np.random.rand(80, 5), np.random.rand(20, 5)
    y_train = to_categorical(np.random.randint(0, 3, 80), 3)
    y_test = np.random.randint(0, 3, 20)
    model = keras.Sequential([layers.Dense(8, activation="relu", input_shape=(5,)),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(X_train, y_train, epochs=1, verbose=0, validation_data=(X_test, {labels}))
"""

# A backbone built for one image size, a head built on its output there,
# and images of another size: Keras runs the backbone's layers on them, and
# the head's Dense, built for 2x2 maps, cannot take 3x3 ones.
BACKBONE_HEAD = """
    import numpy as np
    import keras
    from keras import layers

    base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(64, 64, 3))
    base.trainable = False
    model = keras.Sequential([base, layers.Flatten(), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    images = np.random.rand(4, {size}, {size}, 3).astype("float32")
    model.fit(images, np.array([0, 1, 0, 1]), epochs=1, verbose=0)
"""

# A model used as a layer whose output shapelint does not recompute on
# another input: fed data of another length, Keras raises inside it; what
# the other layers would do is not claimed.
NESTED_MODEL = """
    import numpy as np
    import keras
    from keras import layers

    inner_in = keras.Input((8,))
    inner = keras.Model(inner_in, layers.Dense(4)(inner_in))
    model = keras.Sequential([keras.Input((8,)), inner, layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.random.rand(16, 10), np.random.rand(16, 1), epochs=1, verbose=0)
"""

# A model of two outputs trained on one target array.
MULTI_OUTPUT = """
    import numpy as np
    import keras
    from keras import layers

    inp = keras.Input(shape=(10,))
    h = layers.Dense(16, activation="relu")(inp)
    price = layers.Dense(1, name="price")(h)
    kind = layers.Dense(3, activation="softmax", name="kind")(h)
    model = keras.Model(inp, [price, kind])
    model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"])
    y_price, y_kind = np.random.rand(40), np.random.randint(0, 3, 40)
    model.fit(np.random.rand(40, 10), {targets}, epochs=1, verbose=0)
"""

# Look-back windows of a series: samples of 3 values, for an LSTM declared
# on 1 timestep of 3 features; the fix inserts the missing timestep axis.
LOOKBACK = """
    import numpy as np
    import keras
    from keras import layers

    def windows(data, look_back):
        X, Y = [], []
        for i in range(len(data) - look_back - 1):
            X.append(data[i:(i + look_back), 0])
            Y.append(data[i + look_back, 0])
        return np.array(X), np.array(Y)

    trainX, trainY = windows(np.random.rand(60, 1), 3)
    {fix}
    model = keras.Sequential([layers.Input((1, 3)), layers.LSTM(4), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(trainX, trainY, epochs=1, verbose=0)
"""

PROGRAMS = {
    "label_encoded_categorical": (LABEL_ENCODED_CSV.replace("{loss}", "categorical_crossentropy"), ""),
    "label_encoded_sparse": (LABEL_ENCODED_CSV.replace("{loss}", "sparse_categorical_crossentropy"), ""),
    "frame_split_bad": (FRAME_SPLIT.replace("{width}", "5"), ""),
    "frame_split_good": (FRAME_SPLIT.replace("{width}", "6"), ""),
    "images_reshaped_bad": (IMAGES_RESHAPED.replace("{size}", "32"), ""),
    "images_reshaped_good": (IMAGES_RESHAPED.replace("{size}", "28"), ""),
    "scaled_windows_bad": (SCALED_WINDOWS.replace("{steps}", "10"), ""),
    "scaled_windows_good": (SCALED_WINDOWS.replace("{steps}", "8"), ""),
    "loaded_bad": (LOADED.replace("{shape}", "-1, 28, 28, 1"), ""),
    "loaded_good": (LOADED.replace("{shape}", "-1, 784"), ""),
    "validation_bad": (VALIDATION.replace("{labels}", "y_test"), ""),
    "validation_good": (VALIDATION.replace("{labels}", "to_categorical(y_test, 3)"), ""),
    "backbone_head_bad": (BACKBONE_HEAD.replace("{size}", "96"), ""),
    "backbone_head_good": (BACKBONE_HEAD.replace("{size}", "64"), ""),
    "nested_model": (NESTED_MODEL, ""),
    "multi_output_bad": (MULTI_OUTPUT.replace("{targets}", "y_price"), ""),
    "multi_output_good": (MULTI_OUTPUT.replace("{targets}", "[y_price, y_kind]"), ""),
    "lookback_bad": (LOOKBACK.replace("{fix}", "pass"), ""),
    "lookback_good": (LOOKBACK.replace("{fix}", "trainX = np.expand_dims(trainX, 1)"), ""),
}

# (bad program, its twin, the finding): Keras raises in the first, trains the second.
PAIRS = [
    ("label_encoded_categorical", "label_encoded_sparse", "label-encoding-mismatch"),
    ("frame_split_bad", "frame_split_good", "input-data-mismatch"),
    ("images_reshaped_bad", "images_reshaped_good", "reshape-size-mismatch"),
    ("scaled_windows_bad", "scaled_windows_good", "reshape-size-mismatch"),
    ("loaded_bad", "loaded_good", "input-data-mismatch"),
    ("validation_bad", "validation_good", "label-encoding-mismatch"),
    ("backbone_head_bad", "backbone_head_good", "input-data-mismatch"),
    ("multi_output_bad", "multi_output_good", "output-target-mismatch"),
    ("lookback_bad", "lookback_good", "input-data-mismatch"),
]

# (program, line, class): every application there known and exact.
KNOWN = [
    ("frame_split_good", 14, "Dense"), ("frame_split_good", 15, "Dense"),
    ("label_encoded_sparse", 19, "Dense"), ("label_encoded_sparse", 20, "Dense"),
    ("images_reshaped_good", 8, "Conv2D"), ("images_reshaped_good", 9, "Dense"),
    ("scaled_windows_good", 10, "LSTM"), ("scaled_windows_good", 10, "Dense"),
    ("loaded_good", 13, "Dense"), ("loaded_good", 14, "Dense"),
    ("validation_good", 9, "Dense"), ("validation_good", 10, "Dense"),
    ("multi_output_good", 6, "Dense"), ("multi_output_good", 7, "Dense"), ("multi_output_good", 8, "Dense"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "user_programs")


def _findings(path):
    with open(path, encoding="utf-8") as handle:
        return analyze_source(handle.read(), path).findings


@pytest.mark.parametrize("bad, good, symbol", PAIRS)
def test_the_bug_is_reported_where_keras_raises(bad, good, symbol, programs):
    paths, oracle = programs
    error = oracle[bad]["error"]
    assert error is not None, f"{bad}: Keras trained it"
    findings = _findings(paths[bad])
    assert [(f.symbol, f.line) for f in findings] == [(symbol, error["line"])], (findings, error)


# The oracle does not record a backbone applied inside a Sequential (Keras
# calls it as a whole): that twin is checked on the layers it does record.
BACKBONE_TWINS = {"backbone_head_good"}


@pytest.mark.parametrize("good", sorted({good for _, good, _ in PAIRS} - BACKBONE_TWINS))
def test_the_corrected_twin_trains_with_no_finding(good, programs):
    paths, oracle = programs
    check_claims(good, paths[good], oracle[good], KNOWN)


@pytest.mark.parametrize("good", sorted(BACKBONE_TWINS))
def test_the_corrected_backbone_twin_trains_with_no_finding(good, programs):
    paths, oracle = programs
    assert oracle[good]["error"] is None, oracle[good]["error"]
    with open(paths[good], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths[good])
    assert not result.findings
    keras_rows = {(r["line"], r["class"], tuple(r["output_shapes"][0])) for r in oracle[good]["layers"]}
    head = [row.to_json() for row in result.layers if row.to_json()["layer"] in ("Flatten", "Dense")]
    assert head and all(r["exact"] and (r["line"], r["layer"], tuple(r["output_shape"])) in keras_rows
                        for r in head), head


@pytest.mark.parametrize("validation", [
    "tf.data.Dataset.from_tensor_slices((X, y)).batch(4)",  # batches: not followed
    "(X, y, np.ones(20))",  # with sample weights
    "X",  # not (x, y): Keras refuses it, but not for its shapes
])
def test_validation_data_that_fits_or_is_not_followed_is_not_reported(validation):
    source = ("import numpy as np\nimport tensorflow as tf\nimport keras\n"
              "X, y = np.random.rand(20, 5), np.random.randint(0, 3, 20)\n"
              "model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation='softmax')])\n"
              "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n"
              f"model.fit(X, y, validation_data={validation})\n")
    assert not analyze_source(source).findings


def test_data_a_nested_model_may_refuse_is_not_said_to_run(programs):
    """Keras raises in the nested model; shapelint cannot recompute it on
    the data's shape, so it claims neither way (it used to say every layer
    accepts the data, input-length-differs)."""
    paths, oracle = programs
    assert oracle["nested_model"]["error"] is not None
    assert not _findings(paths["nested_model"])


@pytest.mark.parametrize("targets", [
    "(y_price, y_kind)",  # a tuple is a structure of two
    "{'price': y_price, 'kind': y_kind}",  # keyed by the outputs' names
    "make_targets()",  # not shown
])
def test_targets_of_each_output_or_not_shown_are_not_counted(targets):
    source = textwrap.dedent(MULTI_OUTPUT).replace("{targets}", targets).replace(
        "model.fit", "def make_targets():\n    return unknown_source()\nmodel.fit")
    assert not analyze_source(source).findings


def test_the_fix_line_names_the_missing_timestep_axis(programs):
    """(n, 3) windows for Input((1, 3)): the fix is the axis of 1 inside the
    sample (what lookback_good does, and Keras trains), not a batch axis."""
    paths, _ = programs
    (finding,) = _findings(paths["lookback_bad"])
    assert finding.suggestions == ["insert the missing axis of 1: np.expand_dims(x, 1) gives (56, 1, 3)"]
