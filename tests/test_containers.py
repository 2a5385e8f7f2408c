"""Item assignment on the program's own dicts and lists (``d[k] = v``,
``xs[i] = v``): the value read back is what Python gives, and an item
replaced where the key cannot be told makes the container's items unknown.
The expected widths come from running the same container code in Python."""
from __future__ import annotations

import pytest

from shapelint.engine import analyze_source

SETUP = """\
config = {"units": 4, "depth": 2}
config["units"] = config["units"] * 2
sizes = [3, 5]
sizes[1] = 7
sizes[-2] = sizes[1] + 1
"""


def _widths(source: str):
    return [r.output_shape[-1] for r in analyze_source(source, "m.py").layers]


def test_item_assignments_are_read_back_as_python_gives_them():
    namespace: dict = {}
    exec(SETUP, namespace)  # pylint: disable=exec-used
    source = "from keras import layers\n" + SETUP + """\
inputs = layers.Input((4,))
a = layers.Dense(config["units"])(inputs)
b = layers.Dense(sizes[1])(inputs)
c = layers.Dense(sizes[0])(inputs)
"""
    assert _widths(source) == [namespace["config"]["units"], namespace["sizes"][1], namespace["sizes"][0]]


def test_an_item_replaced_under_an_unknown_key_makes_every_item_unknown():
    source = "from keras import layers\n" + SETUP + """\
config[name_from_elsewhere] = 99
sizes[position_from_elsewhere] = 11
inputs = layers.Input((4,))
a = layers.Dense(config["units"])(inputs)
b = layers.Dense(sizes[1])(inputs)
"""
    records = analyze_source(source, "m.py").layers
    assert [(r.output_shape, r.exact) for r in records] == [((None, None), False), ((None, None), False)]


def test_a_dict_filled_under_keys_the_code_does_not_show_is_not_taken_for_empty(tmp_path):
    """A mapping filled in a loop over file lines (``mapping[name] =
    [caption]``) holds keys the code does not show: its values are not an
    empty list, so the dataset sliced from them is not one of scalars.
    Every shape claimed for the vectorized captions is TensorFlow's."""
    tf = pytest.importorskip("tensorflow")
    path = tmp_path / "captions.txt"
    path.write_text("a.jpg\tone cat\nb.jpg\ttwo dogs here\n", encoding="utf-8")
    source = f"""\
import tensorflow as tf
from keras import layers
vectorize = layers.TextVectorization(max_tokens=50, output_sequence_length=8)
vectorize.adapt(["one cat", "two dogs here"])
mapping = {{}}
for line in open({str(path)!r}).read().splitlines():
    name, caption = line.split("\\t")
    mapping[name] = [caption]
ds = tf.data.Dataset.from_tensor_slices((list(mapping.keys()), list(mapping.values())))
ds = ds.map(lambda name, captions: (name, vectorize(captions)))
"""
    namespace: dict = {}
    exec(source, namespace)  # pylint: disable=exec-used
    theirs = tuple(namespace["ds"].element_spec[1].shape)
    assert len(theirs) == 2  # a list of captions per image: not a scalar
    for r in analyze_source(source, "m.py").layers:
        if r.output_shape is None:
            continue
        assert len(r.output_shape) == len(theirs), (r.output_shape, theirs)
        assert all(m is None or t is None or m == t for m, t in zip(r.output_shape, theirs)), (r.output_shape, theirs)
        assert not r.exact or tuple(r.output_shape) == theirs, (r.output_shape, theirs)
