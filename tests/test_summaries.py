"""Function summaries (frontend/summaries.py): a replayed call must be
indistinguishable from analysing the body again.  No TensorFlow needed: the
reference is shapelint's own analysis with summaries switched off."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from shapelint.engine import analyze_source
from shapelint.frontend import evaluator as evaluator_mod
from shapelint.frontend import summaries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import gen_corpus  # noqa: E402  pylint: disable=wrong-import-position


def _json(source: str, path: str, enabled: bool) -> str:
    old = summaries.ENABLED
    summaries.ENABLED = enabled
    try:
        return json.dumps(analyze_source(source, path).to_json(confidence=True), sort_keys=True)
    finally:
        summaries.ENABLED = old


def _programs():
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for index in range(60):
        name, source = gen_corpus.generate(index, seed=3)
        yield f"gen/{name}", source


@pytest.mark.parametrize("path,source", list(_programs()), ids=lambda v: v if "/" in str(v) else None)
def test_replaying_summaries_changes_no_output(path, source):
    assert _json(source, path, True) == _json(source, path, False)


def _replays(source: str) -> int:
    counted = []
    original = evaluator_mod.Evaluator.run

    def run(self):
        graph = original(self)
        counted.append(self.summaries.replays)
        return graph

    evaluator_mod.Evaluator.run = run
    try:
        analyze_source(source, "m.py")
    finally:
        evaluator_mod.Evaluator.run = original
    return counted[0]


def _shapes(source: str):
    return [(r.line, r.layer, r.output_shape, r.exact) for r in analyze_source(source, "m.py").layers]


BLOCKS = """\
from keras import layers

def block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same")(x)
    y = layers.BatchNormalization()(y)
    return layers.Activation("relu")(y)

inputs = layers.Input((32, 32, 16))
x = inputs
for i in range(4):
    x = block(x, 16)
x = block(x, 32)
"""


def test_a_builder_called_again_with_the_same_shapes_is_replayed_and_every_layer_listed():
    # the first call gets the Input (another origin), the second records,
    # the third and fourth replay; the last has other filters
    assert _replays(BLOCKS) == 2
    shapes = _shapes(BLOCKS)
    assert len(shapes) == 15  # five calls, three layers each: every application is listed
    assert shapes[-3:] == [(4, "Conv2D", (None, 32, 32, 32), True), (5, "BatchNormalization", (None, 32, 32, 32), True),
                           (6, "Activation", (None, 32, 32, 32), True)]


def test_a_global_changed_between_calls_is_not_replayed():
    source = """\
from keras import layers
WIDTH = 8
def head(x):
    return layers.Dense(WIDTH)(x)
inputs = layers.Input((4,))
a = head(inputs)
WIDTH = 16
b = head(inputs)
"""
    assert [s[2] for s in _shapes(source)] == [(None, 8), (None, 16)]


def test_closures_over_different_values_are_told_apart():
    source = """\
from keras import layers
def make(width):
    def apply(x):
        return layers.Dense(width)(x)
    return apply
narrow, wide = make(8), make(16)
inputs = layers.Input((4,))
a = narrow(inputs)
b = wide(inputs)
c = narrow(inputs)
"""
    assert [s[2] for s in _shapes(source)] == [(None, 8), (None, 16), (None, 8)]


def test_a_call_that_changes_its_argument_is_analysed_again():
    source = """\
from keras import layers
def grow(x, sizes):
    sizes.append(sizes[-1] * 2)
    return layers.Dense(sizes[-1])(x)
inputs = layers.Input((4,))
first = [4]
a = grow(inputs, first)
second = [4]
b = grow(inputs, second)
c = layers.Dense(second[-1] + 1)(inputs)
"""
    # a replay would leave ``second`` as it was: c would get 5 units, not 9
    assert _replays(source) == 0
    assert [s[2] for s in _shapes(source)] == [(None, 8), (None, 8), (None, 9)]


def test_a_shared_layer_passed_in_is_not_summarised():
    source = """\
from keras import layers
shared = layers.Dense(8)
def tower(x):
    return shared(x)
a = tower(layers.Input((4,)))
b = tower(layers.Input((4,)))
"""
    # the layer object is read from outside: each call is analysed, the
    # second application is the same layer (one set of weights)
    assert _replays(source) == 0
    records = analyze_source(source, "m.py").layers
    assert [(r.output_shape, r.params) for r in records] == [((None, 8), 40), ((None, 8), 40)]


def test_a_replayed_error_is_reported_at_each_call():
    source = """\
from keras import layers, models
def head(x):
    return layers.Dense(1)(x)
images = layers.Input((8, 8, 3))
a = head(images)
b = head(images)
model = models.Model(images, [a, b])
"""
    on, off = _json(source, "m.py", True), _json(source, "m.py", False)
    assert on == off
    assert _replays(source) == 1
