"""The pylint adapter: through pylint's own test utilities and a real
``pylint --load-plugins shapelint`` run."""
from __future__ import annotations

import json
import subprocess
import sys

import astroid
from pylint.interfaces import HIGH
from pylint.testutils import CheckerTestCase, MessageTest

from shapelint.pylint_plugin import ShapeChecker

SOURCE = """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(12, 12, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.MaxPooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


class TestShapeChecker(CheckerTestCase):
    CHECKER_CLASS = ShapeChecker

    def test_dense_head_reported_with_range(self):
        module = astroid.parse(SOURCE)
        call = module.body[5].value  # layers.Dense(1)(x)
        with self.assertAddsMessages(
            MessageTest(
                msg_id="dense-on-unreduced-tensor",
                node=module.body[5].value, line=7, col_offset=10, end_line=7, end_col_offset=28,
                confidence=HIGH,
                args=("Dense(1) gets a 4-D tensor (None, 5, 5, 8) and outputs (None, 5, 5, 1); "
                      "as the model output it cannot match 2-D targets such as (batch, 1) "
                      "(the spatial axes (5, 5) were never reduced); fix: add "
                      "GlobalAveragePooling2D() (or GlobalMaxPooling2D()) before it -> (None, 1), "
                      "head params 9, model params 233",),
            ),
            ignore_position=False,
        ):
            assert call.lineno == 7
            self.walk(module)

    def test_clean_module_adds_nothing(self):
        module = astroid.parse(SOURCE.replace("outputs = layers.Dense(1)(x)",
                                              "outputs = layers.Dense(1)(layers.Flatten()(x))"))
        with self.assertNoMessages():
            self.walk(module)

    def test_non_keras_and_odd_code_adds_nothing(self):
        module = astroid.parse("import os\nclass A:\n    def f(self, *a, **k):\n        return a[0](**k)\n"
                               "x = [i for i in range(10 ** 6)]\nwhile True:\n    break\n")
        with self.assertNoMessages():
            self.walk(module)


def test_real_pylint_run_json2(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(SOURCE)
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=shapelint", "--disable=all",
         "--enable=shapelint", "--output-format=json2", str(path)],
        capture_output=True, text=True, check=False,
    )
    doc = json.loads(proc.stdout)
    (msg,) = doc["messages"]
    assert msg["symbol"] == "dense-on-unreduced-tensor"
    assert msg["messageId"] == "E5901"
    assert (msg["line"], msg["column"], msg["endLine"], msg["endColumn"]) == (7, 10, 7, 28)
    assert proc.returncode & 2  # pylint's bit for an error message


def test_pylint_and_cli_report_the_same_findings(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(SOURCE)
    pyl = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=shapelint", "--disable=all",
         "--enable=shapelint", "--output-format=json2", str(path)],
        capture_output=True, text=True, check=False,
    )
    cli = subprocess.run([sys.executable, "-m", "shapelint", "--format", "json", str(path)],
                         capture_output=True, text=True, check=False)
    ours = [(f["line"], f["col"], f["end_line"], f["end_col"], f["symbol"])
            for f in json.loads(cli.stdout)["files"][0]["findings"]]
    theirs = [(m["line"], m["column"], m["endLine"], m["endColumn"], m["symbol"])
              for m in json.loads(pyl.stdout)["messages"]]
    assert ours == theirs and ours


def test_skip_keras_sources_option_keeps_findings(tmp_path):
    """With --shapelint-skip-keras-sources astroid builds no keras module in
    the whole run, and shapelint still reports (it never needed them)."""
    path = tmp_path / "model.py"
    path.write_text(SOURCE + "class Net(keras.Model):\n    pass\n")
    code = (
        "import sys, json\n"
        "from pylint.lint import Run\n"
        "from astroid.manager import AstroidManager\n"
        "try:\n"
        "    Run(['--load-plugins=shapelint', '--shapelint-skip-keras-sources=y', '--disable=all',\n"
        "         '--enable=shapelint,no-member', '--output-format=json2', sys.argv[1]], exit=False)\n"
        "finally:\n"
        "    built = [m for m in AstroidManager().astroid_cache if m.split('.')[0] in ('keras', 'tensorflow')]\n"
        "    print('BUILT', built, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False)
    doc = json.loads(proc.stdout)
    assert [m["symbol"] for m in doc["messages"]] == ["dense-on-unreduced-tensor"]
    assert "BUILT []" in proc.stderr
