"""The analysis' bounds on time: nested loops, the statement budget, and
saying (under --verbose) when a bound was reached.  No TensorFlow needed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shapelint.engine import analyze_source
from shapelint.frontend.evaluator import MAX_STEPS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import gen_corpus  # noqa: E402  pylint: disable=wrong-import-position

NESTED = gen_corpus.NESTED_LOOP


def _layers(result):
    return [(r.line, r.layer, r.output_shape, r.exact) for r in result.layers]


def test_a_deep_data_loop_does_not_hide_the_model_after_it():
    result = analyze_source(NESTED, "nested.py")
    assert _layers(result) == [(10, "Dense", (None, 2), True)]
    assert result.info == []


def test_small_nests_are_still_unrolled_exactly():
    source = """\
from keras import layers
units = 1
for i in range(4):
    for j in range(8):
        units += 1
x = layers.Input((3,))
y = layers.Dense(units)(x)
"""
    assert _layers(analyze_source(source, "small.py")) == [(7, "Dense", (None, 33), True)]


def test_an_inner_loop_past_the_nest_bound_is_widened_not_guessed():
    source = """\
from keras import layers
units = 1
for i in range(64):
    for j in range(64):
        units += 1
x = layers.Input((3,))
y = layers.Dense(units)(x)
"""
    (record,) = analyze_source(source, "wide.py").layers
    # 64 * 64 trips are past the bound: the count is not claimed
    assert record.output_shape == (None, None) and not record.exact


def _over_budget() -> str:
    nest = "for i in range(32):\n    for j in range(32):\n        total += 1\n"
    copies = MAX_STEPS // (32 * 32) + 2
    return "from keras import layers\ntotal = 0\n" + nest * copies + \
        "x = layers.Input((3,))\ny = layers.Dense(2)(x)\n"


def test_reaching_the_budget_is_said_not_silent():
    result = analyze_source(_over_budget(), "big.py")
    assert result.layers == []  # past the budget: not followed ...
    assert result.info == [f"the analysis stopped after {MAX_STEPS:,} statements (a bound on the time per "
                           "file); code past that point was not followed"]  # ... and said so


def test_verbose_prints_the_budget_note(tmp_path):
    path = tmp_path / "big.py"
    path.write_text(_over_budget())
    quiet = subprocess.run([sys.executable, "-m", "shapelint", "--no-cache", str(path)],
                           capture_output=True, text=True, check=False)
    loud = subprocess.run([sys.executable, "-m", "shapelint", "--no-cache", "--verbose", str(path)],
                          capture_output=True, text=True, check=False)
    assert quiet.returncode == loud.returncode == 0
    assert quiet.stderr == ""
    assert loud.stderr == f"{path}: info: the analysis stopped after {MAX_STEPS:,} statements (a bound on " \
                          "the time per file); code past that point was not followed\n"


def test_the_note_survives_the_cache(tmp_path):
    path = tmp_path / "big.py"
    path.write_text(_over_budget())
    cmd = [sys.executable, "-m", "shapelint", "--cache-dir", str(tmp_path / "cache"), "-v", str(path)]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    second = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert "info: the analysis stopped" in first.stderr
    assert second.stderr == first.stderr
