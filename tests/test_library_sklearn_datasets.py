"""scikit-learn's toy datasets and generators, against the installed
scikit-learn: each model's shapes, dtypes and class counts are what the real
call returns for the same arguments (fetch_california_housing, which
downloads, against its documented description)."""
from __future__ import annotations

import re

import numpy as np
import pytest

sklearn_datasets = pytest.importorskip("sklearn.datasets")

from shapelint.engine import analyze_source  # noqa: E402
from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.values import Array, LibraryObject  # noqa: E402


def ours(name, *args, **kwargs):
    return library.dispatch(None, LibraryCall(f"sklearn.datasets.{name}", list(args), kwargs, node="call"))


def kind(array) -> str:
    return {"f": "float", "i": "int", "U": "str"}[array.dtype.kind]


def agrees(mine, theirs, labels=False):
    assert isinstance(mine, Array), mine
    expected = tuple(None if d is None else d for d in theirs.shape)
    assert mine.shape == tuple(d if m is not None else None for d, m in zip(expected, mine.shape))
    assert mine.dtype == kind(theirs)
    if labels and mine.classes is not None:
        # class ids 0..classes-1, every one present
        assert sorted(np.unique(theirs)) == list(range(mine.classes))


@pytest.mark.parametrize("name, kwargs", [
    ("load_iris", {}), ("load_digits", {}), ("load_breast_cancer", {}), ("load_wine", {}),
    ("load_diabetes", {}), ("load_linnerud", {}), ("load_digits", {"n_class": 4}),
])
def test_loaders_agree(name, kwargs):
    real = getattr(sklearn_datasets, name)(**kwargs)
    mine = ours(name, **kwargs)
    assert isinstance(mine, LibraryObject)
    for key in ("data", "target", "images", "target_names"):
        assert (key in mine.attrs) == (key in real and hasattr(real[key], "shape")) or key not in mine.attrs
        if key in mine.attrs:
            agrees(mine.attrs[key], real[key], labels=key == "target")
    assert mine.attrs["data"].shape[0] in (len(real["data"]), None)
    if kwargs.get("n_class", 10) < 10:
        assert mine.attrs["data"].shape[0] is None  # how many digits are below n_class: the data's
        assert mine.attrs["target"].classes == kwargs["n_class"]
    x, y = ours(name, return_X_y=True, **kwargs)
    real_x, real_y = getattr(sklearn_datasets, name)(return_X_y=True, **kwargs)
    agrees(x, real_x)
    agrees(y, real_y, labels=True)


def test_frames_and_unknown_arguments_decline():
    assert ours("load_iris", as_frame=True) is library.DECLINE
    assert ours("make_classification", n_samples=object()) is library.DECLINE
    assert ours("make_blobs", centers=object()) is library.DECLINE


def test_california_housing_has_the_documented_size():
    doc = sklearn_datasets.fetch_california_housing.__doc__
    samples = int(re.search(r"Samples total\s+(\d+)", doc).group(1))
    features = int(re.search(r"Dimensionality\s+(\d+)", doc).group(1))
    bunch = ours("fetch_california_housing")
    assert bunch.attrs["data"].shape == (samples, features) and bunch.attrs["target"].shape == (samples,)
    assert bunch.attrs["target"].dtype == "float"


@pytest.mark.parametrize("name, args, kwargs", [
    ("make_classification", (), {}),
    ("make_classification", (500, 7), {"n_classes": 3, "n_informative": 4}),
    ("make_classification", (), {"n_samples": 64, "n_features": 10, "n_classes": 4, "n_informative": 5}),
    ("make_moons", (), {}),
    ("make_moons", (300,), {"noise": 0.1}),
    ("make_moons", ((30, 50),), {}),
    ("make_circles", (), {"n_samples": 250, "factor": 0.5}),
    ("make_blobs", (), {}),
    ("make_blobs", (), {"n_samples": 200, "n_features": 5, "centers": 4}),
    ("make_blobs", (90,), {"centers": [[0, 0, 0], [5, 5, 5]]}),
    ("make_blobs", (60,), {"centers": 2, "return_centers": True}),
    ("make_regression", (), {}),
    ("make_regression", (80, 3), {"n_targets": 2, "coef": True}),
    ("make_regression", (), {"n_samples": 50, "n_features": 1, "noise": 3.0}),
])
def test_generators_agree(name, args, kwargs):
    real = getattr(sklearn_datasets, name)(*args, random_state=0, **kwargs)
    mine = ours(name, *args, **kwargs)
    assert isinstance(mine, tuple) and len(mine) == len(real)
    for i, (m, r) in enumerate(zip(mine, real)):
        assert m.shape == r.shape
        if i == 1 and name != "make_regression":
            assert m.dtype == "int" and sorted(np.unique(r)) == list(range(m.classes))


def test_iris_labels_reach_the_loss_check():
    # integer iris labels given to categorical_crossentropy: Keras 3.15
    # raises at fit ("Arguments `target` and `output` must have the same rank
    # (ndim). Received: target.shape=(None,), output.shape=(None, 3)"); the
    # sparse loss trains.  The labels come from load_iris through
    # train_test_split.
    source = (
        "from sklearn.datasets import load_iris\n"
        "from sklearn.model_selection import train_test_split\n"
        "from tensorflow import keras\n"
        "iris = load_iris()\n"
        "X_train, X_test, y_train, y_test = train_test_split(iris['data'], iris.target, test_size=0.2)\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\n"
        "model.fit(X_train, y_train, epochs=1)\n")
    result = analyze_source(source, "iris.py")
    assert [f.line for f in result.findings] == [8], [f.message for f in result.findings]
    fixed = analyze_source(source.replace("'categorical_crossentropy'", "'sparse_categorical_crossentropy'"),
                           "iris.py")
    assert not fixed.findings, [f.message for f in fixed.findings]
