"""Keras' data helpers against the real library: ``to_categorical`` and
``one_hot`` of data, the datasets against the shapes Keras documents (no
download), ``tf.constant`` of data against TensorFlow, the legacy image
preprocessing (``ImageDataGenerator.flow*``, ``load_img``) and the datasets
made from files or arrays (``image_dataset_from_directory``,
``text_dataset_from_directory``, ``timeseries_dataset_from_array``) against
what Keras yields on a tiny folder of images this test writes, and the text
helpers.  tf.data itself: tests/test_library_tf_data.py."""
import importlib
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
from shapelint.frontend.values import Array, Dataset  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402

_NP_DTYPES = {"float": np.float32, "int": np.int64}


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
    assert ours("keras.utils.to_categorical", ["cat", "dog"]) is library.DECLINE


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


def _real_load_data(monkeypatch, tmp_path, name, total, features, **kwargs):
    """Keras' own load_data on a stand-in file of the documented size (no
    download): what it returns for these arguments."""
    module = importlib.import_module(f"keras.src.datasets.{name}")
    rng = np.random.default_rng(0)
    if name == "reuters":
        seqs = np.empty(total, dtype=object)
        seqs[:] = [list(range(1, 2 + i % 40)) for i in range(total)]
        arrays = {"x": seqs, "y": rng.integers(0, 46, total)}
        monkeypatch.setattr(module.npz_utils, "load_npz", lambda _path: arrays)
    else:
        np.savez(tmp_path / "data.npz", x=rng.random((total,) + features), y=rng.random(total))
    monkeypatch.setattr(module, "get_file", lambda *a, **k: str(tmp_path / "data.npz"))
    return module.load_data(**kwargs)


@pytest.mark.parametrize("name, total, features, kwargs", [
    ("boston_housing", 506, (13,), {}),
    ("boston_housing", 506, (13,), {"test_split": 0.1}),
    ("boston_housing", 506, (13,), {"test_split": 0.33}),
    ("california_housing", 20640, (8,), {}),
    ("california_housing", 20640, (8,), {"version": "small"}),
    ("california_housing", 20640, (8,), {"version": "small", "test_split": 0.25}),
    ("california_housing", 20640, (8,), {"test_split": 0.0}),
    ("reuters", 11228, (), {"test_split": 0.3}),
])
def test_split_datasets_agree_with_keras(monkeypatch, tmp_path, name, total, features, kwargs):
    theirs = _real_load_data(monkeypatch, tmp_path, name, total, features, **kwargs)
    mine = ours(f"keras.datasets.{name}.load_data", **kwargs)
    assert [[a.shape for a in pair] for pair in mine] == [[a.shape for a in pair] for pair in theirs]


def test_datasets_filtered_by_length_have_unknown_counts(monkeypatch, tmp_path):
    # maxlen= drops longer sequences: how many stay depends on the data.
    (x_train, _), _ = _real_load_data(monkeypatch, tmp_path, "reuters", 11228, (), maxlen=20)
    assert len(x_train) < int(11228 * 0.8)
    for name in ("reuters", "imdb"):
        (x_train, y_train), (x_test, _) = ours(f"keras.datasets.{name}.load_data", maxlen=20)
        assert x_train.shape == y_train.shape == x_test.shape == (None,)
        (x_train, _), _ = ours(f"keras.datasets.{name}.load_data", num_words=1000)
        assert x_train.shape[0] is not None
    (x_train, _), _ = ours("keras.datasets.boston_housing.load_data", test_split=UNKNOWN)
    assert x_train.shape == (None, 13)


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


def test_to_categorical_of_literal_labels_takes_max_plus_one():
    for values in ([1, 2, 3, 1, 2, 3], [0, 2, 2], [[1], [4], [2]]):
        mine = ours("keras.utils.to_categorical", values)
        theirs = keras.utils.to_categorical(values)
        assert mine.shape == theirs.shape and mine.classes == theirs.shape[-1] and mine.onehot
    # 1-based labels 1..3 give 4 columns (class 0 never used)
    assert ours("keras.utils.to_categorical", [1, 2, 3]).shape == (3, 4)
    assert ours("keras.utils.to_categorical", ["a", "b"]) is library.DECLINE


def test_to_categorical_twice_gives_pairs():
    onehot = ours("keras.utils.to_categorical", Array((6,), "int", 3), 3)
    mine = ours("keras.utils.to_categorical", onehot)
    theirs = keras.utils.to_categorical(keras.utils.to_categorical(np.arange(6) % 3, 3))
    assert mine.shape == theirs.shape == (6, 3, 2)


@pytest.mark.parametrize("qualname,real", [("tensorflow.one_hot", lambda x, d: tf.one_hot(x, d)),
                                           ("keras.ops.one_hot", lambda x, d: keras.ops.one_hot(x, d))])
@pytest.mark.parametrize("shape", [(8,), (8, 1), (4, 5)])
def test_one_hot_of_data_agrees(qualname, real, shape):
    mine_labels, real_labels = labels(shape, 3)
    mine = ours(qualname, mine_labels, 3)
    theirs = real(real_labels, 3)
    assert isinstance(mine, Array) and mine.shape == tuple(theirs.shape)
    assert mine.dtype == kind(theirs.dtype) and mine.onehot and mine.classes == 3
    literal = ours(qualname, [0, 2, 1], 3)
    assert literal.shape == tuple(real(np.array([0, 2, 1]), 3).shape)


# ------------------------------------------------ image files on disk
@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    """Three class folders of small RGB images of different sizes (and one
    grayscale), as real programs point the helpers at."""
    from PIL import Image  # pylint: disable=import-outside-toplevel

    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    for c, name in enumerate(["cats", "dogs", "birds"]):
        (root / name).mkdir()
        for i in range(3):
            h, w = 20 + 5 * i, 30 - 3 * c
            mode = "L" if (c, i) == (2, 2) else "RGB"
            pixels = rng.integers(0, 255, (h, w, 3) if mode == "RGB" else (h, w), dtype=np.uint8)
            Image.fromarray(pixels, mode).save(root / name / f"{i}.png")
    return root


@pytest.fixture(scope="module")
def text_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("texts")
    for name in ["neg", "pos"]:
        (root / name).mkdir()
        for i in range(3):
            (root / name / f"{i}.txt").write_text(f"{name} review number {i}", encoding="utf-8")
    return root


def generator(**options):
    gen = keras.preprocessing.image.ImageDataGenerator if hasattr(keras.preprocessing.image, "ImageDataGenerator") \
        else tf.keras.preprocessing.image.ImageDataGenerator
    mine = ours("keras.preprocessing.image.ImageDataGenerator", **options)
    return mine, gen(**options)


def agrees(mine, theirs):
    """Our array against a real batch: the rank, every size we claim (the
    batch axis is None: the last batch may be smaller), the dtype kind."""
    theirs_shape = tuple(np.shape(theirs))
    assert isinstance(mine, Array) and mine.shape is not None, mine
    assert len(mine.shape) == len(theirs_shape), (mine.shape, theirs_shape)
    assert all(m is None or m == t for m, t in zip(mine.shape, theirs_shape)), (mine.shape, theirs_shape)
    if mine.dtype is not None:
        assert mine.dtype == kind(np.asarray(theirs).dtype), (mine.dtype, np.asarray(theirs).dtype)


def batch_agrees(mine, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(mine, tuple) and len(mine) == len(theirs), (mine, theirs)
        for m, t in zip(mine, theirs):
            agrees(m, t)
    else:
        agrees(mine, theirs)


def iterator_batch(iterator):
    return ours(f"{iterator.type_name}.__getitem__", 0, receiver=iterator)


@pytest.mark.parametrize("with_y,with_weights", [(True, False), (False, False), (True, True)])
@pytest.mark.parametrize("x_shape,y", [((10, 8, 8, 3), Array((10,), "int", 3)),
                                       ((10, 6, 5, 1), Array((10, 4), "float", 4, True))])
def test_flow_batches_agree(x_shape, y, with_y, with_weights):
    mine_gen, real_gen = generator(rescale=1.0 / 255, rotation_range=10)
    x = Array(x_shape, "int")
    real_x = np.random.default_rng(0).integers(0, 255, x_shape)
    real_y = np.arange(10) % 3 if y.shape == (10,) else np.eye(4)[np.arange(10) % 4]
    args, kwargs = [x], {"batch_size": 4}
    real_args = [real_x]
    if with_y:
        args.append(y)
        real_args.append(real_y)
    if with_weights:
        kwargs["sample_weight"] = Array((10,), "float")
    mine = ours(f"{mine_gen.type_name}.flow", *args, receiver=mine_gen, **kwargs)
    real_kwargs = dict(kwargs, sample_weight=np.ones(10)) if with_weights else kwargs
    theirs = real_gen.flow(*real_args, **real_kwargs)
    batch_agrees(iterator_batch(mine), theirs[0])
    assert mine.attrs["n"] == theirs.n
    if with_y:
        assert iterator_batch(mine)[1].classes == y.classes and iterator_batch(mine)[1].onehot == y.onehot


def test_flow_refuses_what_keras_refuses():
    mine_gen, real_gen = generator()
    assert ours(f"{mine_gen.type_name}.flow", Array((10, 8, 8), "float"), receiver=mine_gen) is library.DECLINE
    with pytest.raises(ValueError):
        real_gen.flow(np.zeros((10, 8, 8)))


DIRECTORY_OPTIONS = [
    {}, {"target_size": (32, 24)}, {"color_mode": "grayscale", "target_size": (16, 16)},
    {"color_mode": "rgba", "class_mode": "sparse"}, {"class_mode": "binary", "target_size": (10, 12)},
    {"class_mode": None}, {"class_mode": "input", "target_size": (8, 8)},
    {"classes": ["cats", "dogs"], "target_size": (12, 12)}, {"batch_size": 2, "class_mode": "categorical"},
]


@pytest.mark.parametrize("options", DIRECTORY_OPTIONS, ids=str)
@pytest.mark.parametrize("data_format", [None, "channels_first"])
def test_flow_from_directory_batches_agree(image_folder, options, data_format):
    gen_options = {} if data_format is None else {"data_format": data_format}
    mine_gen, real_gen = generator(rescale=1.0 / 255, **gen_options)
    mine = ours(f"{mine_gen.type_name}.flow_from_directory", str(image_folder), receiver=mine_gen, **options)
    theirs = real_gen.flow_from_directory(str(image_folder), **options)
    batch = iterator_batch(mine)
    batch_agrees(batch, theirs[0])
    images = batch[0] if isinstance(batch, tuple) else batch
    assert None not in images.shape[1:]  # the image shape is always known
    if "classes" in options:
        assert mine.attrs["num_classes"] == theirs.num_classes
        assert mine.attrs["class_indices"] == theirs.class_indices
    else:
        assert mine.attrs["num_classes"] is UNKNOWN  # the folders decide
    if options.get("class_mode", "categorical") == "categorical":
        assert batch[1].onehot and batch[1].classes == (theirs.num_classes if "classes" in options else None)


def test_flow_from_dataframe_batches_agree(image_folder):
    pd = pytest.importorskip("pandas")
    files = sorted(str(p) for p in image_folder.rglob("*.png"))
    frame = pd.DataFrame({"filename": files, "class": [p.split(os.sep)[-2] for p in files],
                          "score": np.arange(len(files), dtype="float32"),
                          "other": np.ones(len(files), dtype="float32")})
    two = frame[frame["class"].isin(["cats", "dogs"])]
    for data, options in [(frame, {}), (frame, {"target_size": (20, 20), "color_mode": "grayscale"}),
                          (two, {"class_mode": "binary"}), (frame, {"class_mode": "raw", "y_col": "score"}),
                          (frame, {"class_mode": "raw", "y_col": ["score", "other"]}),
                          (frame, {"class_mode": "sparse", "classes": ["birds", "cats", "dogs"]})]:
        mine_gen, real_gen = generator()
        mine = ours(f"{mine_gen.type_name}.flow_from_dataframe", UNKNOWN, receiver=mine_gen, **options)
        theirs = real_gen.flow_from_dataframe(data, **options)
        batch_agrees(iterator_batch(mine), theirs[0])


@pytest.mark.parametrize("options", [{}, {"target_size": (40, 30)}, {"color_mode": "grayscale", "target_size": (9, 9)},
                                     {"color_mode": "rgba"}], ids=str)
def test_load_img_and_img_to_array_agree(image_folder, options):
    path = str(next(image_folder.rglob("*.png")))
    img = ours("keras.utils.load_img", path, **options)
    mine = ours("keras.utils.img_to_array", img)
    theirs = keras.utils.img_to_array(keras.utils.load_img(path, **options))
    agrees(mine, theirs)
    if "target_size" in options:
        assert None not in mine.shape
    resized = ours("PIL.Image.Image.resize", (15, 7), receiver=img)
    agrees(ours("keras.preprocessing.image.img_to_array", resized),
           keras.utils.img_to_array(keras.utils.load_img(path, **options).resize((15, 7))))


# --------------------------------------------------- datasets from files
def spec_agrees(mine, spec, batched):
    """Our element (per sample) against an element_spec."""
    if isinstance(spec, tuple):
        assert isinstance(mine, tuple) and len(mine) == len(spec), (mine, spec)
        for m, s in zip(mine, spec):
            spec_agrees(m, s, batched)
        return
    assert isinstance(mine, Array) and mine.shape is not None, mine
    shape = ((None,) if batched else ()) + tuple(mine.shape)
    theirs = tuple(spec.shape)
    assert len(shape) == len(theirs) and all(m is None or m == t for m, t in zip(shape, theirs)), (shape, theirs)
    if mine.dtype is not None:
        assert mine.dtype == kind(spec.dtype), (mine.dtype, spec.dtype)


IMAGE_DATASET_OPTIONS = [
    {}, {"image_size": (64, 48)}, {"image_size": 32, "color_mode": "grayscale"},
    {"color_mode": "rgba", "label_mode": "categorical"}, {"label_mode": "categorical", "class_names": ["cats", "dogs",
                                                                                                       "birds"]},
    {"label_mode": None}, {"labels": None}, {"batch_size": None, "image_size": (20, 20)},
    {"class_names": ["cats", "dogs"], "label_mode": "binary"}, {"data_format": "channels_first"},
    {"validation_split": 0.34, "subset": "both", "seed": 1, "image_size": (16, 16)},
    {"validation_split": 0.34, "subset": "training", "seed": 1, "batch_size": 2},
]


@pytest.mark.parametrize("options", IMAGE_DATASET_OPTIONS, ids=str)
def test_image_dataset_from_directory_agrees(image_folder, options):
    mine = ours("keras.utils.image_dataset_from_directory", str(image_folder), **options)
    theirs = keras.utils.image_dataset_from_directory(str(image_folder), verbose=False, **options)
    if options.get("subset") == "both":
        assert isinstance(mine, list) and len(mine) == len(theirs) == 2
        pairs = list(zip(mine, theirs))
    else:
        pairs = [(mine, theirs)]
    for m, t in pairs:
        assert isinstance(m, Dataset)
        spec_agrees(m.element, t.element_spec, m.batched)
        images = m.element[0] if isinstance(m.element, tuple) else m.element
        assert None not in images.shape
    if options.get("label_mode") == "categorical":
        assert mine.element[1].onehot
        assert mine.element[1].classes == (len(theirs.class_names) if "class_names" in options else None)
    if "label_mode" not in options and "labels" not in options and "class_names" not in options:
        assert (mine[0] if isinstance(mine, list) else mine).element[1].classes is None  # the folders decide


@pytest.mark.parametrize("options", [{}, {"label_mode": "categorical"}, {"label_mode": "binary"}, {"batch_size": None},
                                     {"labels": None}, {"max_length": 5}], ids=str)
def test_text_dataset_from_directory_agrees(text_folder, options):
    mine = ours("keras.preprocessing.text_dataset_from_directory", str(text_folder), **options)
    theirs = keras.utils.text_dataset_from_directory(str(text_folder), verbose=False, **options)
    spec_agrees(mine.element, theirs.element_spec, mine.batched)


@pytest.mark.parametrize("data_shape,targets,options", [
    ((100, 3), "rows", {"sequence_length": 10}),
    ((100,), "rows", {"sequence_length": 7, "sampling_rate": 2, "sequence_stride": 3}),
    ((50, 4, 2), None, {"sequence_length": 5, "batch_size": 8}),
    ((60, 2), "classes", {"sequence_length": 12, "batch_size": None}),
    ((60, 2), "onehot", {"sequence_length": 6, "start_index": 3, "end_index": 40}),
], ids=str)
def test_timeseries_dataset_from_array_agrees(data_shape, targets, options):
    data = Array(data_shape, "float")
    real_data = np.random.default_rng(0).random(data_shape).astype("float32")
    n = data_shape[0]
    if targets is None:
        mine_t, real_t = None, None
    elif targets == "rows":
        mine_t, real_t = Array((n,), "float"), np.zeros(n, "float32")
    elif targets == "classes":
        mine_t, real_t = labels((n,), 4)
    else:
        mine_t, real_t = Array((n, 3), "float", 3, True), np.eye(3, dtype="float32")[np.arange(n) % 3]
    mine = ours("keras.utils.timeseries_dataset_from_array", data, mine_t, **options)
    theirs = keras.utils.timeseries_dataset_from_array(real_data, real_t, **options)
    # The spec leaves the time axis None; every window has sequence_length steps.
    spec_agrees(mine.spec, theirs.element_spec, mine.batched)
    first = next(iter(theirs))
    first = tuple(t.numpy() for t in first) if isinstance(first, tuple) else first.numpy()
    batch_agrees(structure_batch(mine.element, mine.batched), first)
    window = mine.element[0] if isinstance(mine.element, tuple) else mine.element
    assert window.shape[0] == options["sequence_length"]
    assert (mine.spec[0] if isinstance(mine.spec, tuple) else mine.spec).shape[0] is None
    if targets == "classes":
        assert mine.element[1].classes == 4


def structure_batch(element, batched):
    """Our per-sample element as one batch of it (or one sample)."""
    if isinstance(element, tuple):
        return tuple(structure_batch(e, batched) for e in element)
    return Array(((None,) if batched else ()) + tuple(element.shape), element.dtype)


# ---------------------------------------------------------------- text
def test_tokenizer_and_pad_sequences_agree():
    texts = ["the cat sat", "a dog", "the bird flew over the house"]
    token = tf.keras.preprocessing.text.Tokenizer(num_words=20)
    token.fit_on_texts(texts)
    mine_token = ours("keras.preprocessing.text.Tokenizer", num_words=20)
    assert ours(f"{mine_token.type_name}.fit_on_texts", texts, receiver=mine_token) is None
    sequences = ours(f"{mine_token.type_name}.texts_to_sequences", texts, receiver=mine_token)
    real_sequences = token.texts_to_sequences(texts)
    assert sequences.options["count"] == len(real_sequences)
    for maxlen in (None, 4, 10):
        mine = ours("keras.utils.pad_sequences", sequences, maxlen=maxlen)
        theirs = keras.utils.pad_sequences(real_sequences, maxlen=maxlen)
        agrees(mine, theirs)
        assert (mine.shape[1] is None) == (maxlen is None)  # the longest text is not known
    matrix = ours(f"{mine_token.type_name}.texts_to_matrix", texts, receiver=mine_token, mode="binary")
    agrees(matrix, token.texts_to_matrix(texts, mode="binary"))
    assert matrix.shape == (3, 20)
    matrix = ours(f"{mine_token.type_name}.sequences_to_matrix", sequences, receiver=mine_token)
    agrees(matrix, token.sequences_to_matrix(real_sequences))
    assert matrix.shape == (3, 20)
    unsized = ours("keras.preprocessing.text.Tokenizer")
    ours(f"{unsized.type_name}.fit_on_texts", texts, receiver=unsized)
    real_unsized = tf.keras.preprocessing.text.Tokenizer()
    real_unsized.fit_on_texts(texts)
    agrees(ours(f"{unsized.type_name}.texts_to_matrix", texts, receiver=unsized),
           real_unsized.texts_to_matrix(texts))
    literal = [[1, 2, 3], [4], [5, 6]]
    agrees(ours("keras.preprocessing.sequence.pad_sequences", literal), keras.utils.pad_sequences(literal))
    assert ours("keras.utils.pad_sequences", literal, maxlen=2, dtype="float32").dtype == "float"
    assert ours("keras.utils.pad_sequences", UNKNOWN, maxlen=5) is library.DECLINE  # sequences of what?


# ------------------------------------------------------------- spellings
def module_value(source, name):
    """``name``'s value once shapelint has run the module ``source``."""
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    evaluator = Evaluator(parse(source))
    evaluator.run()
    return evaluator.module_env.lookup(name)


# Keras 2's np_utils is gone from Keras 3: its to_categorical was the same
# function, compared here with Keras 3's.
TO_CATEGORICAL_SPELLINGS = [
    "from tensorflow import keras\ny = keras.utils.to_categorical(labels{})",
    "import tensorflow as tf\ny = tf.keras.utils.to_categorical(labels{})",
    "import keras\ny = keras.utils.to_categorical(labels{})",
    "from keras.utils import np_utils\ny = np_utils.to_categorical(labels{})",
    "import keras\ny = keras.utils.np_utils.to_categorical(labels{})",
    "from keras.utils import to_categorical\ny = to_categorical(labels{})",
    "from tensorflow.keras.utils import to_categorical\ny = to_categorical(labels{})",
    "from keras.utils.np_utils import to_categorical\ny = to_categorical(labels{})",
]


@pytest.mark.parametrize("spelling", TO_CATEGORICAL_SPELLINGS)
@pytest.mark.parametrize("labels_literal,extra", [("[1, 2, 3, 1]", ""), ("[0, 1, 2, 1]", ", num_classes=5")])
def test_every_to_categorical_spelling(spelling, labels_literal, extra):
    source = f"labels = {labels_literal}\n" + spelling.format(extra)
    mine = module_value(source, "y")
    theirs = keras.utils.to_categorical(eval(labels_literal), 5 if extra else None)  # pylint: disable=eval-used
    assert isinstance(mine, Array) and mine.shape == theirs.shape and mine.onehot


@pytest.mark.parametrize("spelling", [
    "from tensorflow.keras.preprocessing.image import ImageDataGenerator\ngen = ImageDataGenerator(rescale=1 / 255)",
    "import tensorflow as tf\ngen = tf.keras.preprocessing.image.ImageDataGenerator()",
    "from keras.preprocessing.image import ImageDataGenerator\ngen = ImageDataGenerator()",
    "from keras.preprocessing import image\ngen = image.ImageDataGenerator()",
])
def test_every_image_data_generator_spelling(spelling):
    source = spelling + ("\nit = gen.flow_from_directory('data', target_size=(20, 30), color_mode='rgba')"
                         "\nbatch = it.next()\n")
    x, y = module_value(source, "batch")
    assert x.shape == (None, 20, 30, 4) and y.onehot
