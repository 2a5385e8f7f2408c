"""tf.data against real tf.data: the ``Dataset`` a handler (or a whole
program, for ``map`` and the functions it calls) gives must have the
``element_spec`` TensorFlow reports for the same code -- every size we claim
equal, None (unknown) claiming nothing but the rank."""
import os
import runpy
import textwrap

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
np = pytest.importorskip("numpy")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.evaluator import Evaluator  # noqa: E402
from shapelint.frontend.parsing import parse  # noqa: E402
from shapelint.frontend.values import Array, Dataset  # noqa: E402

_NP_DTYPES = {"float": np.float32, "int": np.int64}


def ours(qualname, *args, receiver=None, **kwargs):
    return library.dispatch(None, LibraryCall(qualname, list(args), kwargs, node="call", receiver=receiver))


def kind(dtype) -> str:
    dtype = tf.as_dtype(dtype)
    return "float" if dtype.is_floating else "int" if dtype.is_integer else "bool" if dtype == tf.bool else "?"


def _real_element(element):
    if isinstance(element, Array):
        return np.zeros(element.shape, _NP_DTYPES[element.dtype])
    if isinstance(element, dict):
        return {k: _real_element(v) for k, v in element.items()}
    return tuple(_real_element(e) for e in element)


def spec_shapes(spec):
    """(shape, dtype kind) of every component of an element_spec."""
    if isinstance(spec, tuple):
        return tuple(spec_shapes(s) for s in spec)
    if isinstance(spec, dict):
        return {k: spec_shapes(v) for k, v in spec.items()}
    return (tuple(spec.shape), kind(spec.dtype) if spec.dtype != tf.string else None)


def our_shapes(element, batched):
    if isinstance(element, tuple):
        return tuple(our_shapes(e, batched) for e in element)
    if isinstance(element, dict):
        return {k: our_shapes(v, batched) for k, v in element.items()}
    if element.shape is None:
        return (None, element.dtype)
    return (((None,) if batched else ()) + element.shape, element.dtype)


def assert_agrees(mine, theirs):
    """Our (shape, dtype) components against element_spec's: equal where we
    claim a size or a dtype; an unknown rank claims nothing."""
    if isinstance(theirs, tuple) and not (len(theirs) == 2 and isinstance(theirs[1], (str, type(None)))
                                          and isinstance(theirs[0], tuple)):
        assert isinstance(mine, tuple) and len(mine) == len(theirs), (mine, theirs)
        for m, t in zip(mine, theirs):
            assert_agrees(m, t)
        return
    if isinstance(theirs, dict):
        assert isinstance(mine, dict) and set(mine) == set(theirs), (mine, theirs)
        for k in theirs:
            assert_agrees(mine[k], theirs[k])
        return
    (m_shape, m_dtype), (t_shape, t_dtype) = mine, theirs
    if m_shape is not None:
        assert len(m_shape) == len(t_shape), (mine, theirs)
        assert all(m is None or m == t for m, t in zip(m_shape, t_shape)), (mine, theirs)
    if m_dtype is not None:
        assert m_dtype == t_dtype, (mine, theirs)


def known_parts(mine) -> int:
    """How many components have a known rank (the answer is not empty)."""
    if isinstance(mine, tuple) and not (len(mine) == 2 and isinstance(mine[0], (tuple, type(None)))
                                        and isinstance(mine[1], (str, type(None)))):
        return sum(known_parts(m) for m in mine)
    if isinstance(mine, dict):
        return sum(known_parts(m) for m in mine.values())
    return int(mine[0] is not None)


# ------------------------------------------------------ handler by handler
ELEMENTS = [Array((5, 4), "float"), (Array((5, 28, 28), "float"), Array((5,), "int", 10)),
            (Array((5, 3), "float"), Array((5, 1), "int")),
            {"pixels": Array((5, 8, 8), "float"), "meta": Array((5, 2), "float")},
            ({"a": Array((5, 3), "float"), "b": Array((5,), "int")}, Array((5, 2), "float"))]

CHAINS = [(), ("batch",), ("shuffle", "batch", "prefetch"), ("batch", "repeat", "take"), ("cache", "skip"),
          ("batch", "unbatch"), ("batch", "batch"), ("unbatch",), ("batch", "batch", "unbatch"),
          ("filter", "batch"), ("padded_batch",), ("batch", "rebatch")]
ARGS = {"batch": (2,), "shuffle": (4,), "prefetch": (1,), "repeat": (), "take": (3,), "skip": (1,), "cache": (),
        "unbatch": (), "padded_batch": (2,), "rebatch": (3,)}


def _apply(dataset, method):
    if method == "filter":
        return dataset.filter(lambda *parts: True)
    return getattr(dataset, method)(*ARGS[method])


@pytest.mark.parametrize("sliced", ELEMENTS, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("chain", CHAINS, ids=str)
def test_dataset_element_specs_agree_with_tf_data(sliced, chain):
    mine = ours("tensorflow.data.Dataset.from_tensor_slices", sliced)
    theirs = tf.data.Dataset.from_tensor_slices(_real_element(sliced))
    for method in chain:
        if method == "unbatch" and not isinstance(sliced, Array) and "batch" not in chain:
            return  # unbatching per-sample scalars: tf.data refuses rank 0
        mine = ours(f"tensorflow.data.Dataset.{method}", *ARGS.get(method, ()), receiver=mine)
        theirs = _apply(theirs, method)
    assert isinstance(mine, Dataset)
    ours_shapes = our_shapes(mine.element, mine.batched)
    assert_agrees(ours_shapes, spec_shapes(theirs.element_spec))
    assert known_parts(ours_shapes) > 0


@pytest.mark.parametrize("value", [[1, 2, 3], [[1.0, 2.0], [3.0, 4.0]], ["a.jpg", "b.jpg"], ([1, 2], ["x", "y"])],
                         ids=str)
def test_slices_of_literals(value):
    mine = ours("tensorflow.data.Dataset.from_tensor_slices", value)
    theirs = tf.data.Dataset.from_tensor_slices(value)
    assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))


def test_from_tensors_zip_and_range():
    x, y = Array((6, 3), "float"), Array((6,), "int", 2)
    mine = ours("tensorflow.data.Dataset.from_tensors", (x, y))
    theirs = tf.data.Dataset.from_tensors(_real_element((x, y)))
    assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))
    xs = ours("tensorflow.data.Dataset.from_tensor_slices", x)
    ys = ours("tensorflow.data.Dataset.from_tensor_slices", y)
    real_xs, real_ys = (tf.data.Dataset.from_tensor_slices(_real_element(a)) for a in (x, y))
    cases = [
        (ours("tensorflow.data.Dataset.zip", (xs, ys)), tf.data.Dataset.zip((real_xs, real_ys))),
        (ours("tensorflow.data.Dataset.zip", xs, ys), tf.data.Dataset.zip(real_xs, real_ys)),
        (ours("tensorflow.data.Dataset.zip", {"x": xs, "y": ys}), tf.data.Dataset.zip({"x": real_xs, "y": real_ys})),
        (ours("tensorflow.data.Dataset.zip", (ours("tensorflow.data.Dataset.batch", 2, receiver=xs), ys)),
         tf.data.Dataset.zip((real_xs.batch(2), real_ys))),
        (ours("tensorflow.data.Dataset.range", 5), tf.data.Dataset.range(5)),
        (ours("tensorflow.data.Dataset.concatenate", xs, receiver=xs), real_xs.concatenate(real_xs)),
    ]
    for mine, theirs in cases:
        assert isinstance(mine, Dataset)
        assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))


def _spec(shape, dtype="float32"):
    return ours("tensorflow.TensorSpec", shape, dtype), tf.TensorSpec(shape, dtype)


@pytest.mark.parametrize("components", [
    [((28, 28, 1), "float32"), ((), "int64")],
    [((None, 10), "float32")],
    [((None, 32, 32, 3), "float32"), ((None, 4), "float32")],
], ids=str)
def test_from_generator_declared_elements(components):
    pairs = [_spec(shape, dtype) for shape, dtype in components]
    mine_sig = tuple(p[0] for p in pairs) if len(pairs) > 1 else pairs[0][0]
    real_sig = tuple(p[1] for p in pairs) if len(pairs) > 1 else pairs[0][1]
    mine = ours("tensorflow.data.Dataset.from_generator", object(), output_signature=mine_sig)
    theirs = tf.data.Dataset.from_generator(lambda: iter([]), output_signature=real_sig)
    assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))
    # the older output_types/output_shapes
    shapes = tuple(shape for shape, _ in components) if len(components) > 1 else components[0][0]
    types = tuple(tf.as_dtype(d) for _, d in components) if len(components) > 1 else tf.as_dtype(components[0][1])
    mine = ours("tensorflow.data.Dataset.from_generator", object(),
                tuple(dtype for _, dtype in components) if len(components) > 1 else components[0][1], shapes)
    theirs = tf.data.Dataset.from_generator(lambda: iter([]), types, shapes)
    assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))


def test_concatenate_of_different_sizes_forgets_them():
    a = ours("tensorflow.data.Dataset.from_tensor_slices", Array((4, 3), "float"))
    b = ours("tensorflow.data.Dataset.from_tensor_slices", Array((4, 5), "float"))
    mine = ours("tensorflow.data.Dataset.concatenate", b, receiver=a)
    theirs = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3), np.float32)).concatenate(
        tf.data.Dataset.from_tensor_slices(np.zeros((4, 5), np.float32)))
    assert our_shapes(mine.element, mine.batched) == ((None,), "float")
    assert_agrees(our_shapes(mine.element, mine.batched), spec_shapes(theirs.element_spec))


def test_datasets_of_what_the_code_does_not_show():
    # a dataset all the same (a map function may make its elements known)
    unseen = ours("tensorflow.data.Dataset.from_tensor_slices", Array(None))
    assert isinstance(unseen, Dataset) and unseen.element.shape is None
    assert ours("tensorflow.data.Dataset.from_tensor_slices") is library.DECLINE
    assert ours("tensorflow.data.Dataset.map", lambda x: x, receiver=Dataset(Array((3,)))) is library.DECLINE
    # one part unknown, the other known
    mine = ours("tensorflow.data.Dataset.from_tensor_slices", (object(), Array((5,), "int")))
    assert mine.element[0].shape is None and mine.element[1].shape == ()


# ------------------------------------------------------------ whole programs
def run_both(source: str, tmp_path, name: str = "ds"):
    """The program's dataset ``name`` as shapelint evaluates it and as
    TensorFlow builds it (from a file, so that autograph finds the source
    of its functions)."""
    source = textwrap.dedent(source)
    evaluator = Evaluator(parse(source))
    evaluator.run()
    mine = evaluator.module_env.lookup(name)
    path = tmp_path / "program.py"
    path.write_text(source, encoding="utf-8")
    return mine, runpy.run_path(str(path))[name]


HEADER = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(12, 32, 32, 3).astype("float32")
y = np.random.randint(0, 4, (12,))
"""

PROGRAMS = {
    "resize_in_map": """
        def preprocess(image, label):
            image = tf.image.resize(image, (16, 16))
            return image, label
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(preprocess).batch(4)
        """,
    "one_hot_in_lambda": """
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, tf.one_hot(b, 4))).batch(4)
        """,
    "expand_dims_after_batch": """
        ds = tf.data.Dataset.from_tensor_slices((x[..., 0], y)).batch(4).map(
            lambda a, b: (tf.expand_dims(a, -1), b))
        """,
    "rescaling_layer_in_map": """
        rescale = layers.Rescaling(1.0 / 255)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (rescale(a), b))
        """,
    "cast_and_divide": """
        def scale(image, label):
            return tf.cast(image, tf.float32) / 255.0, label
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(scale, num_parallel_calls=tf.data.AUTOTUNE)
        """,
    "dict_features": """
        def split(image, label):
            return {"image": image, "flat": tf.reshape(image, (-1,))}, label
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(split).batch(3)
        """,
    "to_categorical_in_map": """
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(
            lambda a, b: (a, keras.utils.to_categorical(b, num_classes=4)))
        """,
    "files_decoded": """
        paths = ["a.jpg", "b.jpg", "c.jpg"]
        def load(path):
            raw = tf.io.read_file(path)
            image = tf.image.decode_jpeg(raw, channels=3)
            return tf.image.resize(image, [20, 24])
        ds = tf.data.Dataset.from_tensor_slices(paths).map(load).batch(2)
        """,
    "single_component": """
        ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.flip_left_right(a))
        """,
    "zip_of_mapped": """
        images = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.resize(a, (8, 8)))
        labels = tf.data.Dataset.from_tensor_slices(y).map(lambda b: tf.one_hot(b, 4))
        ds = tf.data.Dataset.zip((images, labels)).batch(2)
        """,
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_programs_agree_with_tf_data(name, tmp_path):
    mine, theirs = run_both(HEADER + textwrap.dedent(PROGRAMS[name]), tmp_path)
    assert isinstance(mine, Dataset), mine
    ours_shapes = our_shapes(mine.element, mine.batched)
    assert_agrees(ours_shapes, spec_shapes(theirs.element_spec))
    assert known_parts(ours_shapes) > 0


def test_one_hot_in_map_makes_one_hot_labels(tmp_path):
    mine, theirs = run_both(HEADER + textwrap.dedent(PROGRAMS["one_hot_in_lambda"]), tmp_path)
    label = mine.element[1]
    assert label.onehot and label.classes == 4 == theirs.element_spec[1].shape[-1]
    mine, _ = run_both(HEADER + textwrap.dedent(PROGRAMS["resize_in_map"]), tmp_path)
    assert mine.element[1].classes == 4  # a label passed through untouched keeps its class count
