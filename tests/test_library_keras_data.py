"""Keras' data helpers against the real library: ``to_categorical``
against ``keras.utils.to_categorical``, the datasets against the shapes
Keras documents (no download), ``tf.constant`` of data against TensorFlow.
tf.data itself: tests/test_library_tf_data.py."""
import inspect
import os
import re

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
np = pytest.importorskip("numpy")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.values import Array  # noqa: E402

def ours(qualname, *args, receiver=None, **kwargs):
    return library.dispatch(None, LibraryCall(qualname, list(args), kwargs, node="call", receiver=receiver))


def labels(shape, classes):
    """Our labels and real ones that use every class (so Keras infers the
    same count the model knows)."""
    values = np.arange(int(np.prod(shape))).reshape(shape) % classes
    return Array(tuple(shape), "int", classes), values


def kind(dtype) -> str:
    dtype = tf.as_dtype(dtype)
    return "float" if dtype.is_floating else "int" if dtype.is_integer else "bool" if dtype == tf.bool else "?"


# ---------------------------------------------------------- to_categorical
SPELLINGS = ["keras.utils.to_categorical", "keras.utils.np_utils.to_categorical", "tensorflow.to_categorical"]


@pytest.mark.parametrize("shape,classes,num_classes", [((12,), 4, None), ((12, 1), 4, None), ((12,), 4, 6),
                                                       ((6, 2), 3, None), ((12, 1), 5, 5)])
@pytest.mark.parametrize("qualname", SPELLINGS)
def test_to_categorical_agrees_with_keras(qualname, shape, classes, num_classes):
    mine_labels, real_labels = labels(shape, classes)
    if num_classes is None:
        mine = ours(qualname, mine_labels)
        theirs = keras.utils.to_categorical(real_labels)
    else:
        mine = ours(qualname, mine_labels, num_classes=num_classes)
        theirs = keras.utils.to_categorical(real_labels, num_classes)
    assert isinstance(mine, Array) and mine.shape == theirs.shape
    assert mine.dtype == "float" == kind(theirs.dtype)
    assert mine.onehot and mine.classes == theirs.shape[-1]
    assert mine.node == "call"  # findings point at the call


def test_to_categorical_of_unknown_labels_declines():
    assert ours("keras.utils.to_categorical", Array(None), 10) is library.DECLINE
    assert ours("keras.utils.to_categorical", [1, 2]) is library.DECLINE


# ---------------------------------------------------------------- datasets
def _documented_shapes(name):
    """The ``assert x_train.shape == (...)`` lines of the dataset's docstring."""
    doc = getattr(keras.datasets, name).load_data.__doc__
    found = dict(re.findall(r"assert (\w+)\.shape == (\([\d, ]*\))", doc))
    return {k: eval(v) for k, v in found.items()}  # pylint: disable=eval-used


def _documented_classes(name):
    doc = getattr(keras.datasets, name).load_data.__doc__
    low, high = re.search(r"integers in range (\d+)-(\d+)", doc).groups()
    return int(high) - int(low) + 1


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10", "cifar100"])
def test_image_datasets_have_the_documented_shapes(name):
    (x_train, y_train), (x_test, y_test) = ours(f"keras.datasets.{name}.load_data")
    documented = _documented_shapes(name)
    mine = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    assert set(documented) == set(mine)
    for key, shape in documented.items():
        assert mine[key].shape == shape, key
    # "uint8 NumPy array", labels "integers in range 0-9"
    assert x_train.dtype == y_train.dtype == "int"
    assert y_train.classes == y_test.classes == _documented_classes(name)


def test_text_and_regression_datasets_have_the_documented_sizes():
    # reuters: "11,228 newswires ... labeled over 46 topics", split by
    # test_split (Keras: int(len(xs) * (1 - test_split)) for training).
    doc = keras.datasets.reuters.load_data.__doc__
    total = int(re.search(r"dataset of ([\d,]+) newswires", doc).group(1).replace(",", ""))
    topics = int(re.search(r"labeled over (\d+) topics", doc).group(1))
    split = inspect.signature(keras.datasets.reuters.load_data).parameters["test_split"].default
    (x_train, y_train), (x_test, y_test) = ours("keras.datasets.reuters.load_data")
    assert x_train.shape == y_train.shape == (int(total * (1 - split)),)
    assert x_test.shape == y_test.shape == (total - int(total * (1 - split)),)
    assert y_train.classes == topics and x_train.dtype is None  # lists of word ids of varying length
    # imdb: "25,000 movies reviews" for training and as many for testing,
    # "labeled by sentiment (positive/negative)".
    doc = keras.datasets.imdb.load_data.__doc__
    reviews = int(re.search(r"dataset of ([\d,]+) movies reviews", doc).group(1).replace(",", ""))
    (x_train, y_train), (x_test, y_test) = ours("keras.datasets.imdb.load_data")
    assert x_train.shape == y_train.shape == x_test.shape == y_test.shape == (reviews,)
    assert y_train.classes == 2
    # boston_housing: "(num_samples, 13)" of the StatLib set's 506 houses,
    # split by test_split.
    doc = keras.datasets.boston_housing.load_data.__doc__
    assert "`(num_samples, 13)`" in doc and "`(num_samples,)`" in doc
    split = inspect.signature(keras.datasets.boston_housing.load_data).parameters["test_split"].default
    (x_train, y_train), (x_test, y_test) = ours("keras.datasets.boston_housing.load_data")
    n_train = int(506 * (1 - split))
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == ((n_train, 13), (n_train,),
                                                                          (506 - n_train, 13), (506 - n_train,))
    assert x_train.dtype == y_train.dtype == "float"


def test_unknown_datasets_decline():
    assert ours("keras.datasets.some_new_set.load_data") is library.DECLINE


# ------------------------------------------------------- tensors of data
@pytest.mark.parametrize("qualname", ["tensorflow.constant", "tensorflow.convert_to_tensor"])
@pytest.mark.parametrize("value,dtype", [([[1, 2], [3, 4]], None), ([1.0, 2], None), ([[1, 2, 3]], "float32"),
                                         ([[[1], [2]]], None), (7, None)])
def test_tensors_of_literals_agree_with_tensorflow(qualname, value, dtype):
    kwargs = {} if dtype is None else {"dtype": dtype}
    mine = ours(qualname, value, **kwargs)
    if isinstance(value, int):
        assert mine == 7.0  # a plain number is the scalars family's: a number, shape ()
        return
    theirs = getattr(tf, qualname.rpartition(".")[2])(value, **kwargs)
    assert isinstance(mine, Array) and mine.shape == tuple(theirs.shape)
    assert mine.dtype == kind(theirs.dtype)


def test_tensor_of_an_array_is_that_array():
    data = Array((8, 3), "float")
    assert ours("tensorflow.constant", data) is data
    assert tuple(tf.constant(np.zeros((8, 3), np.float32)).shape) == data.shape
