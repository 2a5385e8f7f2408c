"""Item assignment on the program's own dicts and lists (``d[k] = v``,
``xs[i] = v``): the value read back is what Python gives, and an item
replaced where the key cannot be told makes the container's items unknown.
The expected widths come from running the same container code in Python."""
from __future__ import annotations

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
