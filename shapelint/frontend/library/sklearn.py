"""scikit-learn, as Keras programs use it to prepare data: ``train_test_split``
and ``shuffle``, the scalers, the label encoders (``LabelEncoder``,
``OneHotEncoder``, ``LabelBinarizer``, ``label_binarize``) and ``PCA``.

An estimator is a ``LibraryObject`` (type: its public qualified name); its
methods are the handlers ``<class>.<method>``, and what it learns in ``fit``
(``classes_``, ``categories_``) goes into its attributes when the code shows
the values it learns from (a list literal), else stays unknown.  A class
count learnt from data the code does not show is unknown: unknown is a valid
answer, a wrong width would not be.

Each handler mirrors the documented behaviour of scikit-learn 1.x
(sklearn/model_selection/_split.py, sklearn/preprocessing/_data.py,
_label.py, _encoders.py), tested against the installed library.
"""
from __future__ import annotations

import math
from typing import Any, List, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import dtype_of, frame_values, from_literal, located
from shapelint.frontend.library.pandas_frames import Frame, Series, make_frame, make_series
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, LibraryObject
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

SCALERS = ("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer")
ENCODERS = ("LabelEncoder", "OneHotEncoder", "LabelBinarizer")
PREPROCESSING = "sklearn.preprocessing"
PCA = "sklearn.decomposition.PCA"


def _sklearn_name(*lasts: str):
    """A matcher for scikit-learn names ending in one of ``lasts``, public
    (``sklearn.preprocessing.LabelEncoder``) or private
    (``sklearn.preprocessing._label.LabelEncoder``)."""
    return lambda qualname: qualname.startswith("sklearn.") and qualname.rpartition(".")[2] in lasts


# ------------------------------------------------------------------ data
def _data(value: Any) -> Any:
    """An argument as an array: an Array, a pandas frame or series (what
    ``check_array`` makes of it: its values), or a list literal of numbers."""
    if isinstance(value, Array):
        return value
    if frame_values(value) is not None:
        return frame_values(value)
    if isinstance(value, (list, tuple)):
        literal = from_literal(list(value), None)
        return literal if isinstance(literal, Array) else None
    return None


def _flat_values(value: Any) -> Optional[List[Any]]:
    """The labels of a flat list literal (or of a list of one-element rows,
    which scikit-learn ravels), when every one is a str or an int."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    out = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 1:
            item = item[0]
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            return None
        out.append(item)
    return out if len({type(v) for v in out}) == 1 else None


def _column_values(value: Any) -> Optional[List[List[Any]]]:
    """The columns of a 2-D list literal of str/int cells."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    if not all(isinstance(row, (list, tuple)) for row in value):
        return None
    width = len(value[0])
    if width == 0 or any(len(row) != width for row in value):
        return None
    columns = [[row[i] for row in value] for i in range(width)]
    for column in columns:
        if any(isinstance(v, bool) or not isinstance(v, (str, int, float)) for v in column):
            return None
    return columns


def _samples(value: Any) -> Any:
    """The sample count (first axis) of an argument, or None."""
    array = _data(value)
    if array is not None and array.shape:
        return array.shape[0]
    if isinstance(value, (list, tuple)):
        return len(value)
    return None


def _labels_1d(value: Any) -> Optional[Array]:
    """``column_or_1d(y)``: labels (n,) or a column (n, 1), raveled."""
    if isinstance(value, (list, tuple)):
        values = _flat_values(value)
        return Array((len(value),), "int" if values and isinstance(values[0], int) else None) \
            if values is not None else None
    value = _data(value)
    if not isinstance(value, Array) or value.shape is None or value.onehot:
        return None
    if len(value.shape) == 1 or len(value.shape) == 2 and value.shape[1] == 1:
        return Array((value.shape[0],), value.dtype, value.classes, distinct=value.distinct)
    return None


# ---------------------------------------------------------- splitting
def split_sizes(n_samples: Any, test_size: Any, train_size: Any) -> Any:
    """``_validate_shuffle_split(n, test_size, train_size, 0.25)``: (n_train,
    n_test), or None when it cannot be told (or scikit-learn would refuse
    the sizes)."""
    if not dims.is_int(n_samples):
        return None
    if test_size is None and train_size is None:
        test_size = 0.25
    for size in (test_size, train_size):
        if size is not None and (isinstance(size, bool) or not isinstance(size, (int, float))):
            return None
    if isinstance(test_size, int) and not 0 < test_size < n_samples \
            or isinstance(test_size, float) and not 0 < test_size < 1:
        return None
    if isinstance(train_size, int) and not 0 < train_size < n_samples \
            or isinstance(train_size, float) and not 0 < train_size < 1:
        return None
    if isinstance(test_size, float) and isinstance(train_size, float) and test_size + train_size > 1:
        return None
    n_test: Any = math.ceil(test_size * n_samples) if isinstance(test_size, float) else test_size
    n_train: Any = math.floor(train_size * n_samples) if isinstance(train_size, float) else train_size
    if train_size is None:
        n_train = n_samples - n_test
    elif test_size is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples or n_train == 0:
        return None
    return int(n_train), int(n_test)


def _rows(value: Any, count: Any, node: Any = None) -> Any:
    """``value`` with ``count`` samples (None: unknown), every other axis
    and what the labels are kept; UNKNOWN for what the code does not show.
    A pandas frame or series stays one (``_safe_indexing`` takes its rows
    with ``iloc``), with its columns."""
    if isinstance(value, Frame):
        columns = None if value.columns is None else {
            label: Array((count,), values.dtype, values.classes, distinct=values.distinct)
            for label, values in value.columns.items()}
        return make_frame(columns, count, node, width=value.width, dummies=value.dummies)
    if isinstance(value, Series):
        values = value.array
        return make_series(Array((count,), values.dtype, values.classes, distinct=values.distinct),
                           value.name, node)
    array = _data(value)
    if array is None or not array.shape:
        return UNKNOWN
    return Array((count,) + tuple(array.shape[1:]), array.dtype, array.classes, array.onehot)


@handles_matching(_sklearn_name("train_test_split"))
def train_test_split(_ctx: Context, call: LibraryCall) -> Any:
    """``train_test_split(*arrays, test_size=None, train_size=None, ...)``:
    [a_train, a_test, b_train, b_test, ...], each keeping every axis but the
    first; the sample counts as scikit-learn computes them (test: ceil of a
    fraction, train: the rest), known when the first array's length is."""
    if not call.args:
        return DECLINE
    lengths = [n for n in map(_samples, call.args) if dims.is_int(n)]
    sizes = split_sizes(lengths[0] if lengths else None, call.kwargs.get("test_size"), call.kwargs.get("train_size"))
    n_train, n_test = sizes if sizes is not None else (None, None)
    out: List[Any] = []
    for value in call.args:
        out += [located(call, _rows(value, n_train, call.node)), located(call, _rows(value, n_test, call.node))]
    return [UNKNOWN if v is DECLINE else v for v in out]


@handles("sklearn.utils.shuffle", "sklearn.utils._indexing.shuffle", "sklearn.utils.resample")
def shuffle(_ctx: Context, call: LibraryCall) -> Any:
    """``sklearn.utils.shuffle(*arrays, n_samples=None)`` (and ``resample``):
    the arrays in another order (``n_samples`` of them); one array alone is
    returned as itself, several as a list."""
    if not call.args:
        return DECLINE
    n_samples = call.kwargs.get("n_samples")
    count = n_samples if dims.is_int(n_samples) else _samples(call.args[0]) if n_samples is None else None
    out = [located(call, _rows(value, count, call.node)) for value in call.args]
    out = [UNKNOWN if v is DECLINE else v for v in out]
    return out[0] if len(out) == 1 else out


# -------------------------------------------------------------- scalers
def _estimator(type_name: str, *positional: str):
    """The constructor of an estimator: its settings are its options (the
    first ones may be passed by position: ``positional``)."""
    def construct(_ctx: Context, call: LibraryCall) -> Any:
        options = dict(call.kwargs)
        for name, value in zip(positional, call.args):
            options.setdefault(name, value)
        return LibraryObject(type_name, options, {}, call.node)
    construct.__name__ = type_name.rpartition(".")[2]
    construct.__doc__ = f"``{type_name}(...)``: an estimator; its settings are its options."
    return construct


def _features(value: Any) -> Any:
    """``check_array(X)`` of a scaler: 2-D, as floats; None when the code
    does not show it (or scikit-learn would refuse it: 1-D or 3-D)."""
    array = _data(value)
    if array is None or array.shape is None or len(array.shape) != 2:
        return None
    return Array(tuple(array.shape), "float")


for _name in SCALERS:
    handles_matching(_sklearn_name(_name))(_estimator(f"{PREPROCESSING}.{_name}"))


@handles(*(f"{PREPROCESSING}.{name}.{method}" for name in SCALERS
           for method in ("fit_transform", "transform", "inverse_transform")
           if (name, method) != ("Normalizer", "inverse_transform")))
def scale(_ctx: Context, call: LibraryCall) -> Any:
    """``scaler.fit_transform(X)`` / ``transform`` / ``inverse_transform``
    (StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler,
    Normalizer): X's shape, as floats (scikit-learn takes 2-D only)."""
    features = _features(call.arg(0, "X"))
    return located(call, features) if features is not None else DECLINE


@handles(*(f"{PREPROCESSING}.{name}.fit" for name in SCALERS + ENCODERS), f"{PCA}.fit",
         *(f"{PREPROCESSING}.{name}.partial_fit" for name in ("StandardScaler", "MinMaxScaler", "MaxAbsScaler")))
def fit(_ctx: Context, call: LibraryCall) -> Any:
    """``estimator.fit(X)``: the estimator itself (what an encoder learns is
    kept by its own ``fit`` below)."""
    estimator = call.receiver
    _learn(estimator, call.arg(0, "X", "y"))
    return estimator


@handles_matching(_sklearn_name("normalize", "scale", "minmax_scale", "robust_scale", "maxabs_scale"))
def scale_function(_ctx: Context, call: LibraryCall) -> Any:
    """``sklearn.preprocessing.normalize(X)`` (and ``scale``,
    ``minmax_scale``, ...): X's shape, as floats."""
    if not call.qualname.startswith(f"{PREPROCESSING}."):
        return DECLINE
    features = _features(call.arg(0, "X"))
    return located(call, features) if features is not None else DECLINE


# ------------------------------------------------------------- encoders
for _name in ENCODERS:
    handles_matching(_sklearn_name(_name))(_estimator(f"{PREPROCESSING}.{_name}"))

LABEL_ENCODER = f"{PREPROCESSING}.LabelEncoder"
ONE_HOT_ENCODER = f"{PREPROCESSING}.OneHotEncoder"
LABEL_BINARIZER = f"{PREPROCESSING}.LabelBinarizer"


def _learn(estimator: LibraryObject, data: Any) -> None:
    """What ``fit`` keeps: the classes of a label encoder, the categories of
    a OneHotEncoder, when the code shows the values."""
    name = estimator.type_name
    if name in (LABEL_ENCODER, LABEL_BINARIZER):
        values = _flat_values(data)
        shown = _labels_1d(data) if values is None else None
        if shown is not None and shown.distinct is not None:
            values = list(shown.distinct)
        estimator.attrs["classes_"] = sorted(set(values)) if values is not None else UNKNOWN
    elif name == ONE_HOT_ENCODER:
        estimator.attrs["categories_"] = _categories(estimator, data)


def _classes(estimator: LibraryObject) -> Any:
    """How many classes the encoder learnt (None: unknown)."""
    classes = estimator.attrs.get("classes_", UNKNOWN)
    return len(classes) if isinstance(classes, list) else None


@handles(f"{LABEL_ENCODER}.fit_transform", f"{LABEL_ENCODER}.transform")
def label_encode(_ctx: Context, call: LibraryCall) -> Any:
    """``LabelEncoder().fit_transform(y)``: (n,) ints below the class count
    (y raveled: a column (n, 1) is accepted with a warning)."""
    y = call.arg(0, "y")
    labels = _labels_1d(y)
    if call.name == "fit_transform":
        _learn(call.receiver, y)
    if labels is None:
        return DECLINE
    count = _classes(call.receiver)
    if count is None and labels.dtype == "int":
        count = labels.classes  # ids below k stay below k
    return located(call, Array(labels.shape, "int", count))


@handles(f"{LABEL_ENCODER}.inverse_transform")
def label_decode(_ctx: Context, call: LibraryCall) -> Any:
    """``encoder.inverse_transform(ids)``: one original label per id."""
    labels = _labels_1d(call.arg(0, "y"))
    return Array(labels.shape) if labels is not None else DECLINE


def _categories(encoder: LibraryObject, data: Any) -> Any:
    """``categories_``: the given ``categories`` lists, or each column's
    sorted distinct values of a literal; UNKNOWN else."""
    given = encoder.options.get("categories", "auto")
    if isinstance(given, (list, tuple)) and all(isinstance(c, (list, tuple)) for c in given):
        return [list(c) for c in given]
    if given != "auto":
        return UNKNOWN
    columns = _column_values(data)
    if columns is None:
        return UNKNOWN
    return [sorted(set(column)) for column in columns]


def _dense_or_sparse(encoder: LibraryObject) -> bool:
    """OneHotEncoder gives a dense array with ``sparse_output=False`` (or
    ``sparse=False`` before scikit-learn 1.2); a sparse matrix otherwise,
    whose shape is the same."""
    return encoder.options.get("sparse_output", encoder.options.get("sparse", True)) is False


@handles(f"{ONE_HOT_ENCODER}.fit_transform", f"{ONE_HOT_ENCODER}.transform")
def one_hot_encode(_ctx: Context, call: LibraryCall) -> Any:
    """``OneHotEncoder(...).fit_transform(X)``: X must be 2-D (n, features);
    one column per category of each feature, so the width is known when
    the categories are (``categories=[...]``, or a literal's values).  Of one
    feature it is a one-hot encoding of its classes.  ``drop``,
    ``min_frequency`` and ``max_categories`` change the width: unknown."""
    encoder = call.receiver
    x = call.arg(0, "X")
    if call.name == "fit_transform":
        _learn(encoder, x)
    array = _data(x)
    if array is None or array.shape is None:
        columns = _column_values(x)
        if columns is None:
            return DECLINE
        array = Array((len(x), len(columns)))
    if len(array.shape) != 2:
        return DECLINE
    categories = encoder.attrs.get("categories_", UNKNOWN)
    changes_width = any(encoder.options.get(k) is not None for k in ("drop", "min_frequency", "max_categories"))
    width = None
    if isinstance(categories, list) and not changes_width and len(categories) == array.shape[1]:
        width = sum(len(c) for c in categories)
    single = array.shape[1] == 1 and not changes_width
    dtype = dtype_of(encoder.options.get("dtype"), "float")
    return located(call, Array((array.shape[0], width), dtype, width if single else None, single))


@handles("numpy.ndarray.toarray", "numpy.ndarray.todense")
def sparse_to_dense(_ctx: Context, call: LibraryCall) -> Any:
    """``encoded.toarray()`` / ``todense()`` of the sparse matrix a
    OneHotEncoder gives by default (held as an array of its shape): the
    same shape, dense."""
    return call.receiver


@handles(f"{LABEL_BINARIZER}.fit_transform", f"{LABEL_BINARIZER}.transform")
def label_binarize_method(_ctx: Context, call: LibraryCall) -> Any:
    """``LabelBinarizer().fit_transform(y)``: (n, classes) ints, one-hot for
    three classes or more; two classes (or one) give a single column
    (n, 1).  The width is unknown unless the classes are."""
    y = call.arg(0, "y")
    if call.name == "fit_transform":
        _learn(call.receiver, y)
    labels = _labels_1d(y)
    if labels is None:
        return DECLINE
    return located(call, binarized(labels.shape[0], _classes(call.receiver)))


def binarized(n: Any, count: Optional[int]) -> Array:
    """``label_binarize`` of n labels of ``count`` classes."""
    if count is None:
        return Array((n, None), "int")
    if count <= 2:
        return Array((n, 1), "int", 2)
    return Array((n, count), "int", count, True)


@handles_matching(_sklearn_name("label_binarize"))
def label_binarize(_ctx: Context, call: LibraryCall) -> Any:
    """``label_binarize(y, *, classes)``: as LabelBinarizer with the given
    classes."""
    labels = _labels_1d(call.arg(0, "y"))
    classes = call.arg(1, "classes")
    if labels is None:
        return DECLINE
    count = len(classes) if isinstance(classes, (list, tuple)) else None
    return located(call, binarized(labels.shape[0], count))


# ------------------------------------------------------------------ PCA
handles_matching(_sklearn_name("PCA"))(_estimator(PCA, "n_components"))


@handles(f"{PCA}.fit_transform", f"{PCA}.transform")
def pca_transform(_ctx: Context, call: LibraryCall) -> Any:
    """``PCA(n_components).fit_transform(X)``: (n, n_components) floats;
    ``n_components=None`` keeps min(n_samples, n_features)."""
    features = _features(call.arg(0, "X"))
    if features is None:
        return DECLINE
    n, width = features.shape
    k = call.receiver.options.get("n_components")
    if dims.is_int(k):
        return located(call, Array((n, k), "float"))
    if k is None and dims.is_int(n) and dims.is_int(width):
        return located(call, Array((n, min(n, width)), "float"))
    return located(call, Array((n, None), "float"))
