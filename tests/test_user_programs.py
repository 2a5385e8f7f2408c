"""Shape bugs as Keras users write them: short programs that read their data
with pandas, numpy and scikit-learn the way beginners do, each beside its
corrected twin.  Every program runs under Keras: a bad one must raise where
shapelint reports it (and nowhere else); its twin must train, with no
finding and no exact claim Keras does not make."""
from __future__ import annotations

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

PROGRAMS = {
    "label_encoded_categorical": (LABEL_ENCODED_CSV.replace("{loss}", "categorical_crossentropy"), ""),
    "label_encoded_sparse": (LABEL_ENCODED_CSV.replace("{loss}", "sparse_categorical_crossentropy"), ""),
    "frame_split_bad": (FRAME_SPLIT.replace("{width}", "5"), ""),
    "frame_split_good": (FRAME_SPLIT.replace("{width}", "6"), ""),
}

# (bad program, its twin, the finding): Keras raises in the first, trains the second.
PAIRS = [
    ("label_encoded_categorical", "label_encoded_sparse", "label-encoding-mismatch"),
    ("frame_split_bad", "frame_split_good", "input-data-mismatch"),
]

# (program, line, class): every application there known and exact.
KNOWN = [
    ("frame_split_good", 14, "Dense"), ("frame_split_good", 15, "Dense"),
    ("label_encoded_sparse", 19, "Dense"), ("label_encoded_sparse", 20, "Dense"),
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


@pytest.mark.parametrize("good", sorted({good for _, good, _ in PAIRS}))
def test_the_corrected_twin_trains_with_no_finding(good, programs):
    paths, oracle = programs
    check_claims(good, paths[good], oracle[good], KNOWN)
