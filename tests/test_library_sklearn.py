"""scikit-learn against the real library: every handler of the sklearn
family is called on the same arguments as scikit-learn, and its answer (the
shape, what the labels are) must be scikit-learn's -- or unknown.  A wrong
shape is a defect; an unknown one is allowed where the code does not show
what decides it (the values of the labels)."""
import warnings

import pytest

np = pytest.importorskip("numpy")
sklearn = pytest.importorskip("sklearn")

from sklearn import decomposition, model_selection, preprocessing, utils  # noqa: E402

from shapelint.engine import analyze_source  # noqa: E402
from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.values import Array, LibraryObject  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402


def ours(qualname, *args, receiver=None, **kwargs):
    return library.dispatch(None, LibraryCall(qualname, list(args), kwargs, node="call", receiver=receiver))


def make(name, *args, **kwargs):
    """Our estimator and scikit-learn's, from the same constructor call."""
    module, _, cls = name.rpartition(".")
    mine = ours(name, *args, **kwargs)
    assert isinstance(mine, LibraryObject)
    real_module = {"sklearn.preprocessing": preprocessing, "sklearn.decomposition": decomposition}[module]
    return mine, getattr(real_module, cls)(*args, **kwargs)


def method(estimator, name, *args, **kwargs):
    return ours(f"{estimator.type_name}.{name}", *args, receiver=estimator, **kwargs)


def real(array: Array, classes=3, seed=0):
    """A real array of our array's shape: labels use every class below
    ``classes`` (ints), features are floats."""
    shape = tuple(array.shape)
    if array.dtype == "int":
        return np.arange(int(np.prod(shape))).reshape(shape) % (array.classes or classes)
    return np.random.default_rng(seed).random(shape)


def kind(dtype) -> str:
    return {"f": "float", "i": "int", "u": "int", "b": "bool"}.get(np.dtype(dtype).kind, "?")


def agrees(mine, theirs):
    """Every size we claim is scikit-learn's (None claims nothing), the rank
    and the dtype kind too."""
    assert isinstance(mine, Array), mine
    theirs_shape = tuple(theirs.shape)
    assert len(mine.shape) == len(theirs_shape), (mine.shape, theirs_shape)
    assert all(m is None or m == t for m, t in zip(mine.shape, theirs_shape)), (mine.shape, theirs_shape)
    if mine.dtype is not None:
        assert mine.dtype == kind(theirs.dtype), (mine.dtype, theirs.dtype)


# ------------------------------------------------------ train_test_split
SPLITS = [{}, {"test_size": 0.2}, {"test_size": 0.33}, {"test_size": 3}, {"train_size": 0.7},
          {"train_size": 5}, {"test_size": 0.1, "train_size": 0.5}, {"test_size": 0.25, "random_state": 1},
          {"test_size": 0.3, "shuffle": False}]


@pytest.mark.parametrize("n", [7, 10, 13, 100])
@pytest.mark.parametrize("sizes", SPLITS, ids=str)
def test_train_test_split_sizes_are_sklearns(n, sizes):
    arrays = [Array((n, 4), "float"), Array((n,), "int", 3), Array((n, 5, 2), "float")]
    mine = ours("sklearn.model_selection.train_test_split", *arrays, **sizes)
    theirs = model_selection.train_test_split(*[real(a) for a in arrays], **sizes)
    assert len(mine) == len(theirs) == 6
    for m, t in zip(mine, theirs):
        agrees(m, t)
        assert None not in m.shape  # n and the sizes are known: so is every count
    assert mine[2].classes == 3 and mine[3].classes == 3  # the labels stay labels below 3


def test_train_test_split_of_an_unknown_length_keeps_the_other_axes():
    mine = ours("sklearn.model_selection.train_test_split", Array((None, 28, 28), "float"), Array((None,), "int", 10),
                test_size=0.2)
    assert [a.shape for a in mine] == [(None, 28, 28), (None, 28, 28), (None,), (None,)]
    # Sizes scikit-learn refuses, or data the code does not show: counts unknown.
    assert ours("sklearn.model_selection.train_test_split", Array((10, 3)), test_size=1.5)[0].shape == (None, 3)
    assert ours("sklearn.model_selection.train_test_split", UNKNOWN, Array((10, 3)))[:2] == [UNKNOWN, UNKNOWN]
    with pytest.raises(ValueError):
        model_selection.train_test_split(np.zeros((10, 3)), test_size=1.5)


def test_train_test_split_of_lists_and_one_hot_labels():
    y = Array((12, 4), "float", 4, True)
    mine = ours("sklearn.model_selection._split.train_test_split", [[1.0, 2.0]] * 12, y, test_size=0.25)
    theirs = model_selection.train_test_split([[1.0, 2.0]] * 12, np.eye(4)[np.arange(12) % 4], test_size=0.25)
    for m, t in zip(mine, theirs):
        agrees(m, np.asarray(t))
    assert mine[2].onehot and mine[2].classes == 4


@pytest.mark.parametrize("n_samples", [None, 5])
def test_shuffle_keeps_the_arrays(n_samples):
    arrays = [Array((9, 3), "float"), Array((9,), "int", 3)]
    kwargs = {} if n_samples is None else {"n_samples": n_samples}
    mine = ours("sklearn.utils.shuffle", *arrays, random_state=0, **kwargs)
    theirs = utils.shuffle(*[real(a) for a in arrays], random_state=0, **kwargs)
    for m, t in zip(mine, theirs):
        agrees(m, t)
    single = ours("sklearn.utils.shuffle", arrays[0])
    agrees(single, utils.shuffle(real(arrays[0])))


# -------------------------------------------------------------- scalers
SCALERS = ["StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer"]


@pytest.mark.parametrize("name", SCALERS)
@pytest.mark.parametrize("shape,dtype", [((10, 3), "float"), ((6, 1), "int"), ((4, 7), "int")])
def test_scalers_keep_the_shape_as_floats(name, shape, dtype):
    data = Array(shape, dtype)
    mine, theirs = make(f"sklearn.preprocessing.{name}")
    agrees(method(mine, "fit_transform", data), theirs.fit_transform(real(data)))
    agrees(method(mine, "transform", data), theirs.transform(real(data)))
    assert method(mine, "fit", data) is mine and theirs.fit(real(data)) is theirs
    if name != "Normalizer":
        agrees(method(mine, "inverse_transform", data), theirs.inverse_transform(real(data)))


@pytest.mark.parametrize("name", SCALERS)
@pytest.mark.parametrize("shape", [(10,), (4, 5, 2)])
def test_scalers_refuse_what_sklearn_refuses(name, shape):
    mine, theirs = make(f"sklearn.preprocessing.{name}")
    assert method(mine, "fit_transform", Array(shape, "float")) is library.DECLINE
    with pytest.raises(ValueError):
        theirs.fit_transform(np.zeros(shape))


@pytest.mark.parametrize("name", ["normalize", "scale", "minmax_scale"])
def test_scaling_functions(name):
    data = Array((8, 3), "float")
    agrees(ours(f"sklearn.preprocessing.{name}", data), getattr(preprocessing, name)(real(data)))


# ------------------------------------------------------------- encoders
LABELS = [["cat", "dog", "cat", "bird"], [3, 1, 2, 3, 1], ["yes", "no", "no"], [[2], [0], [1], [2]]]


@pytest.mark.parametrize("labels", LABELS, ids=str)
def test_label_encoder_of_known_labels(labels):
    mine, theirs = make("sklearn.preprocessing.LabelEncoder")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a column vector: scikit-learn warns and ravels it
        encoded = theirs.fit_transform(labels)
    got = method(mine, "fit_transform", labels)
    agrees(got, encoded)
    assert got.classes == len(theirs.classes_) == encoded.max() + 1
    assert mine.attrs["classes_"] == list(theirs.classes_)
    # fit, then transform: the same
    mine2, theirs2 = make("sklearn.preprocessing.LabelEncoder")
    assert method(mine2, "fit", labels) is mine2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs2.fit(labels)
        again = theirs2.transform(labels)
    agrees(method(mine2, "transform", labels), again)
    assert method(mine2, "transform", labels).classes == len(theirs2.classes_)


def test_label_encoder_of_labels_the_code_does_not_show():
    mine, theirs = make("sklearn.preprocessing.LabelEncoder")
    got = method(mine, "fit_transform", Array((20,), None))
    agrees(got, theirs.fit_transform(np.array(["a", "b"] * 10)))
    assert got.classes is None and mine.attrs["classes_"] is UNKNOWN
    # int labels below 5 stay below 5 once encoded (a valid bound)
    got = method(mine, "fit_transform", Array((20, 1), "int", 5))
    assert got.shape == (20,) and got.classes == 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert theirs.fit_transform(np.arange(20).reshape(20, 1) % 5).max() < 5
    # one-hot rows are not labels: scikit-learn refuses them
    assert method(mine, "fit_transform", Array((20, 3), "float", 3, True)) is library.DECLINE
    with pytest.raises(ValueError):
        theirs.fit_transform(np.eye(3)[np.arange(20) % 3])


def test_len_of_classes_sizes_a_layer():
    source = ("import numpy as np\nfrom tensorflow import keras\nfrom sklearn.preprocessing import LabelEncoder\n"
              "labels = ['cat', 'dog', 'bird', 'cat', 'dog', 'bird']\n"
              "encoder = LabelEncoder()\ny = encoder.fit_transform(labels)\n"
              "inputs = keras.Input(shape=(4,))\n"
              "outputs = keras.layers.Dense(len(encoder.classes_), activation='softmax')(inputs)\n")
    (dense,) = analyze_source(source).layers
    encoder = preprocessing.LabelEncoder().fit(["cat", "dog", "bird", "cat", "dog", "bird"])
    assert dense.output_shape == (None, len(encoder.classes_))


@pytest.mark.parametrize("sparse_kw", ["sparse_output", None])
@pytest.mark.parametrize("data,kwargs", [
    ([["red"], ["green"], ["blue"], ["green"]], {}),
    ([[1, 10], [2, 20], [1, 30], [3, 10]], {}),
    ([["a"], ["b"], ["a"]], {"categories": [["a", "b", "c"]]}),
    ([[0], [1], [2], [1]], {"dtype": np.int64}),
    ([["a"], ["b"], ["c"]], {"drop": "first"}),
], ids=str)
def test_one_hot_encoder_agrees(sparse_kw, data, kwargs):
    options = dict(kwargs)
    if sparse_kw is not None:
        options[sparse_kw] = False
    mine, theirs = make("sklearn.preprocessing.OneHotEncoder", **options)
    got = method(mine, "fit_transform", data)
    encoded = theirs.fit_transform(data)
    dense = encoded if sparse_kw else encoded.toarray()
    if sparse_kw is None:
        got = ours("numpy.ndarray.toarray", receiver=got)
    agrees(got, dense)
    if "drop" in kwargs:
        assert got.shape[1] is None  # the width drop leaves is not modelled
    else:
        assert got.shape[1] == dense.shape[1]
        assert mine.attrs["categories_"] == [list(c) for c in theirs.categories_]
    single = len(data[0]) == 1 and "drop" not in kwargs
    assert got.onehot == single and (got.classes == dense.shape[1] if single else got.classes is None)
    if single:
        assert (dense.sum(axis=1) == 1).all()  # really one-hot


def test_one_hot_encoder_of_unknown_categories_and_1d_data():
    mine, theirs = make("sklearn.preprocessing.OneHotEncoder", sparse_output=False)
    got = method(mine, "fit_transform", Array((30, 1), "int", 4))
    agrees(got, theirs.fit_transform(np.arange(30).reshape(30, 1) % 4))
    assert got.shape == (30, None) and got.onehot and got.classes is None
    assert method(mine, "fit_transform", Array((30,), "int", 4)) is library.DECLINE
    with pytest.raises(ValueError):
        theirs.fit_transform(np.arange(30) % 4)  # "Expected 2D array"


@pytest.mark.parametrize("labels", [["a", "b", "a"], [0, 1, 2, 1], ["x", "y", "z", "w", "x"], [5, 5]], ids=str)
def test_label_binarizer_agrees(labels):
    mine, theirs = make("sklearn.preprocessing.LabelBinarizer")
    got = method(mine, "fit_transform", labels)
    binarized = theirs.fit_transform(labels)
    agrees(got, binarized)
    assert got.shape == binarized.shape
    assert got.onehot == (binarized.shape[1] > 2)
    agrees(ours("sklearn.preprocessing.label_binarize", labels, classes=list(theirs.classes_)),
           preprocessing.label_binarize(labels, classes=list(theirs.classes_)))


def test_label_binarizer_of_unknown_labels_claims_no_width():
    mine, theirs = make("sklearn.preprocessing.LabelBinarizer")
    got = method(mine, "fit_transform", Array((12,), "int", 3))
    agrees(got, theirs.fit_transform(np.arange(12) % 3))
    agrees(got, theirs.fit_transform(np.arange(12) % 2))  # two classes: one column
    assert got.shape == (12, None) and not got.onehot


# ------------------------------------------------------------------ PCA
@pytest.mark.parametrize("args,kwargs", [((2,), {}), ((), {"n_components": 3}), ((), {}), ((0.9,), {})], ids=str)
@pytest.mark.parametrize("shape", [(20, 5), (4, 6)])
def test_pca_agrees(args, kwargs, shape):
    if args and isinstance(args[0], int) and args[0] > min(shape) or kwargs.get("n_components", 0) > min(shape):
        pytest.skip("more components than samples")
    data = Array(shape, "float")
    mine, theirs = make("sklearn.decomposition.PCA", *args, **kwargs)
    agrees(method(mine, "fit_transform", data), theirs.fit_transform(real(data)))


# ------------------------------------------------- pandas frames and series
def _frame_and_series(n=20):
    """Our frame of 5 known columns and a series of ints below 4, made by
    the pandas family as a program makes them, and pandas' own."""
    pd = pytest.importorskip("pandas")
    columns = {c: Array((n,), "float") for c in "abcde"}
    frame = ours("pandas.DataFrame", columns)
    series = ours("pandas.Series", Array((n,), "int", 4))
    real_frame = pd.DataFrame(np.random.default_rng(0).random((n, 5)), columns=list("abcde"))
    real_series = pd.Series(np.arange(n) % 4)
    return frame, series, real_frame, real_series


@pytest.mark.parametrize("sizes", SPLITS, ids=str)
def test_train_test_split_of_a_frame_and_a_series_keeps_them_pandas(sizes):
    frame, series, real_frame, real_series = _frame_and_series()
    assert frame.rows == 20 and series.array.shape == (20,)
    mine = ours("sklearn.model_selection.train_test_split", frame, series, **sizes)
    theirs = model_selection.train_test_split(real_frame, real_series, **sizes)
    assert [m.type_name for m in mine] == [f"pandas.{type(t).__name__}" for t in theirs]
    for m, t in zip(mine, theirs):
        assert tuple(m.attrs["shape"]) == t.shape
        agrees(m.attrs["values"], t.to_numpy())
    assert mine[0].attrs["columns"] == list(theirs[0].columns)
    assert mine[2].array.classes == 4  # the labels stay labels below 4


def test_shuffle_of_a_frame():
    frame, series, real_frame, real_series = _frame_and_series(9)
    mine = ours("sklearn.utils.shuffle", frame, series, random_state=0)
    theirs = utils.shuffle(real_frame, real_series, random_state=0)
    for m, t in zip(mine, theirs):
        assert tuple(m.attrs["shape"]) == t.shape


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler", "RobustScaler"])
def test_a_scaler_of_a_frame_gives_its_values_as_floats(name):
    frame, _, real_frame, _ = _frame_and_series()
    mine, theirs = make(f"sklearn.preprocessing.{name}")
    agrees(method(mine, "fit_transform", frame), theirs.fit_transform(real_frame))


def test_label_encoder_of_a_series():
    pd = pytest.importorskip("pandas")
    mine, theirs = make("sklearn.preprocessing.LabelEncoder")
    # a column of a CSV: its values are not shown, its encoding is (n,) ints
    column = ours("pandas.Series", Array((None,), None))
    got = method(mine, "fit_transform", column)
    real = theirs.fit_transform(pd.Series(["a", "b", "c"] * 4))
    assert got.shape == (None,) and got.dtype == kind(real.dtype) and real.ndim == 1
    # a series of shown values: the classes it learns are sklearn's
    shown = ours("pandas.Series", ["x", "y", "x", "z"])
    got = method(mine, "fit_transform", shown)
    real = theirs.fit_transform(pd.Series(["x", "y", "x", "z"]))
    agrees(got, real)
    assert got.classes == len(theirs.classes_) == len(mine.attrs["classes_"])
