"""Names the program computes: ``setattr``/``getattr`` on an instance of the
program's classes (``setattr(self, name, ...)`` then ``getattr(self,
name)(x)``), closures' ``nonlocal`` and parameter defaults.  Each value is
compared with what Python or Keras computes for the same code; what cannot
be told stays unknown."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fixture_markers import ROOT
from shapelint.engine import analyze_source

PROGRAM = """
import keras
from keras import layers

NAMES = ["block_0", "block_1", "block_2"]


class Net(keras.Model):
    def __init__(self, depth=2):
        super().__init__()
        self.depth = depth
        for i, name in enumerate(NAMES[:depth]):
            setattr(self, name, layers.Dense(8 * (i + 1)))
        self.head = layers.Dense(3)

    def call(self, x):
        for name in NAMES[:self.depth]:
            x = getattr(self, name)(x)
        extra = getattr(self, "missing", None)
        return self.head(x)


inp = keras.Input((5,))
out = Net()(inp)
model = keras.Model(inp, out)
"""


def _line_of(source, text):
    return next(i for i, line in enumerate(source.splitlines(), 1) if text in line)


def _dense_rows(tmp_path, source):
    """(Keras' Dense rows running ``source``, shapelint's exact Dense rows):
    (line, class, output shape) each."""
    path = tmp_path / "net.py"
    path.write_text(source, encoding="utf-8")
    out = tmp_path / "oracle.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out), str(path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    run = json.loads(out.read_text(encoding="utf-8"))[str(path)]
    assert run["error"] is None
    theirs = sorted({(r["line"], r["class"], tuple(r["output_shapes"][0])) for r in run["layers"]
                     if r["class"] == "Dense"})  # Keras calls a subclassed model's layers twice
    ours = sorted((r.line, r.layer, tuple(r.output_shape)) for r in analyze_source(source, str(path)).layers
                  if r.layer == "Dense" and r.exact)
    return theirs, ours


@pytest.mark.keras
def test_layers_set_and_read_by_computed_name_are_applied_as_keras_applies_them(tmp_path):
    theirs, ours = _dense_rows(tmp_path, PROGRAM)
    assert len(theirs) == 3 and ours == theirs


def test_getattr_with_a_default_of_an_attribute_never_set_is_unknown():
    source = PROGRAM.replace('x = getattr(self, name)(x)', 'x = getattr(self, "blk_" + name, layers.Dense(2))(x)')
    line = _line_of(source, "blk_")
    rows = [r for r in analyze_source(source, "m.py").layers if r.line == line]
    assert not any(r.exact for r in rows)


DEFAULTS = """
import keras
from keras import layers

fns = []
for u in [32, 64]:
    fns.append(lambda x, u=u: layers.Dense(u)(x))
units = 8


def block(x, n=units, *, k=units + 1):
    return layers.Dense(n + k)(x)


units = 16
inp = keras.Input((4,))
a = fns[0](inp)
b = fns[1](inp)
c = block(inp)
"""


def test_defaults_are_evaluated_where_the_function_is_defined_as_python_does():
    namespace: dict = {}
    exec(DEFAULTS, namespace)  # pylint: disable=exec-used
    theirs = [tuple(namespace[name].shape) for name in "abc"]
    assert [tuple(r.output_shape) for r in analyze_source(DEFAULTS, "m.py").layers] == theirs


NONLOCAL = """
import keras
from keras import layers


def build():
    n = 1

    def grow(by):
        nonlocal n
        n += by

    grow(4)
    grow(2)
    inp = keras.Input((4,))
    return layers.Dense(n)(inp)


out = build()
"""


def test_nonlocal_writes_reach_the_enclosing_function_as_python_does():
    namespace: dict = {}
    exec(NONLOCAL, namespace)  # pylint: disable=exec-used
    assert [tuple(r.output_shape) for r in analyze_source(NONLOCAL, "m.py").layers] == [tuple(namespace["out"].shape)]


FSTRINGS = """
import keras
class Box:
    pass
box = Box()
i = 3
name = "dense"
setattr(box, f"block_{i}", 1)
setattr(box, f"{name}_{i}_x{i + 1}", 2)
a = getattr(box, "block_3")
b = getattr(box, f"dense_3_x{i + 1}")
c = getattr(box, f"block_{i:01d}", 0)
d = f"block_{i}"
"""


def test_f_strings_naming_attributes_are_the_strings_python_makes():
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.values import SOME_STR  # pylint: disable=import-outside-toplevel
    from shapelint.unknown import UNKNOWN  # pylint: disable=import-outside-toplevel
    namespace: dict = {}
    exec(FSTRINGS, namespace)  # pylint: disable=exec-used
    evaluator = Evaluator(parse(FSTRINGS))
    evaluator.run()
    assert [evaluator.module_env.lookup(n) for n in "ab"] == [namespace["a"], namespace["b"]] == [1, 2]
    # a format spec: some attribute, never a wrong one; an f-string that
    # names no attribute: some string (a layer name keeps summaries shared)
    assert namespace["c"] == 1 and evaluator.module_env.lookup("c") is UNKNOWN
    assert evaluator.module_env.lookup("d") is SOME_STR


@pytest.mark.keras
def test_layers_set_and_read_by_f_string_names_are_applied_as_keras_applies_them(tmp_path):
    source = PROGRAM.replace("setattr(self, name, ", 'setattr(self, f"block_{i}", ').replace(
        "for name in NAMES[:self.depth]:\n            x = getattr(self, name)(x)",
        'for i in range(self.depth):\n            x = getattr(self, f"block_{i}")(x)')
    assert 'f"block_{i}")(x)' in source
    theirs, ours = _dense_rows(tmp_path, source)
    assert len(theirs) == 3 and ours == theirs
