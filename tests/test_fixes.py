"""``--fix``: each fix makes exactly the planned edit (tests/fix_cases/NAME.py
becomes NAME.fixed.py, byte for byte), the fixed file lints clean, Keras
builds and fits the fixed program (and raised on the original), and no fix
is offered where the analysis is not certain."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shapelint.engine import analyze_source
from shapelint.fixes import annotate
from shapelint.fixes.runner import fix_file
from test_cli import ROOT, run

CASES = Path(__file__).resolve().parent / "fix_cases"
# One finding per root cause: the head is reported once (its output-vs-target
# mismatch is not repeated).
GAP = {"dense-on-unreduced-tensor"}
# case -> (the symbols its findings have, the fix's applicability)
EXPECTED = {
    "gap_functional_names": (GAP, "unsafe"),
    "gap_sequential_list": (GAP, "unsafe"),
    "gap_sequential_add": (GAP, "unsafe"),
    "gap_text_conv1d": (GAP, "unsafe"),
    "gap_video_conv3d": (GAP, "unsafe"),
    "loss_string_to_sparse": ({"label-encoding-mismatch"}, "safe"),
    "loss_class_to_categorical": ({"label-encoding-mismatch"}, "safe"),
    "loss_function_imported": ({"label-encoding-mismatch"}, "safe"),
    "loss_list_two_outputs": ({"label-encoding-mismatch"}, "safe"),
    "channel_axis_functional": ({"input-data-mismatch", "incompatible-input-rank"}, "unsafe"),
    "channel_axis_sequential": ({"input-data-mismatch"}, "unsafe"),
}
FIXED_SYMBOL = {"gap": "dense-on-unreduced-tensor", "loss": "label-encoding-mismatch",
                "channel": "input-data-mismatch"}


def _original(case: str) -> Path:
    return CASES / f"{case}.py"


def _fixed(case: str) -> Path:
    return CASES / f"{case}.fixed.py"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _keep_all(_finding, _lines) -> bool:
    return True


def test_every_case_is_listed():
    names = {p.name[:-3] for p in CASES.glob("*.py") if not p.name.endswith(".fixed.py")}
    assert names == set(EXPECTED)
    assert {p.name[:-9] for p in CASES.glob("*.fixed.py")} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_finding_says_it_can_be_fixed(case):
    symbols, applicability = EXPECTED[case]
    source = _read(_original(case))
    result = analyze_source(source, case)
    assert {f.symbol for f in result.findings} == symbols
    annotate(result, source)
    primary = FIXED_SYMBOL[case.split("_")[0]]
    fixable = [f for f in result.findings if f.fix is not None]
    assert fixable and all(f.symbol == primary for f in fixable)
    assert all(f.fix.applicability == applicability for f in fixable)
    assert all(f.fix is not None for f in result.findings if f.symbol == primary)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_fix_makes_the_planned_edit_and_lints_clean(case):
    _symbols, applicability = EXPECTED[case]
    source = _read(_original(case))
    outcome = fix_file(source, case, notebook=False, unsafe=True, keep=_keep_all)
    assert not outcome.failed
    assert outcome.text == _read(_fixed(case))
    assert outcome.fixed == len(analyze_source(source, case).findings)
    fixed = analyze_source(outcome.text, case)
    assert fixed.findings == [] and not fixed.notes
    # Without --unsafe-fixes only a safe fix is made.
    safe_only = fix_file(source, case, notebook=False, unsafe=False, keep=_keep_all)
    assert safe_only.text == (outcome.text if applicability == "safe" else source)


def test_the_cli_fixes_a_file_and_says_how_many(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("gap_text_conv1d"), target)
    proc = run("--no-cache", "--fix", "--unsafe-fixes", target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "Found 1 finding (1 fixed, 0 remaining).\n"
    assert target.read_text(encoding="utf-8") == _read(_fixed("gap_text_conv1d"))


def test_unsafe_fixes_wait_for_unsafe_fixes(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("gap_functional_names"), target)
    proc = run("--no-cache", target)
    assert " E5901 dense-on-unreduced-tensor " in proc.stdout and "[*]" not in proc.stdout
    assert proc.stdout.endswith("No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n")
    proc = run("--no-cache", "--unsafe-fixes", target)
    assert " E5901 [*] dense-on-unreduced-tensor " in proc.stdout
    assert proc.stdout.endswith("[*] 1 fixable with the `--fix` option.\n")
    proc = run("--no-cache", "--fix", target)
    assert proc.returncode == 1
    assert target.read_text(encoding="utf-8") == _read(_original("gap_functional_names"))
    assert proc.stdout.endswith("Found 1 finding (0 fixed, 1 remaining).\n"
                                "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n")


def test_safe_fix_marked_in_text_and_json_and_kept_by_the_cache(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("loss_string_to_sparse"), target)
    proc = run("--no-cache", target)
    findings = [line for line in proc.stdout.splitlines() if line.startswith(str(target))]
    # The same labels at evaluate() are not reported again (one finding per root cause).
    assert len(findings) == 1 and all(" E5908 [*] label-encoding-mismatch " in line for line in findings)
    assert proc.stdout.endswith("[*] 1 fixable with the `--fix` option.\n")
    cache = tmp_path / "cache"
    documents = [json.loads(run("--format", "json", "--cache-dir", cache, target).stdout) for _ in range(2)]
    assert any(cache.rglob("*.json"))  # the second run read the cache
    assert documents[0] == documents[1]
    fixes = [f["fix"] for f in documents[0]["files"][0]["findings"]]
    assert fixes == [{"applicability": "safe", "description":
                      "use loss='sparse_categorical_crossentropy': the labels are integer class ids"}]


def test_a_finding_without_fix_has_null_in_json(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("channel_axis_functional"), target)
    findings = json.loads(run("--no-cache", "--format", "json", target).stdout)["files"][0]["findings"]
    assert {f["symbol"]: f["fix"] is None for f in findings} == {
        "incompatible-input-rank": True, "input-data-mismatch": False}


def test_fix_honours_ignore_select_and_suppression_comments(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("gap_sequential_list"), target)
    proc = run("--no-cache", "--fix", "--unsafe-fixes", "--ignore", "E5901", target)
    # Nothing is fixed, and nothing else is left: the head was the one finding.
    assert target.read_text(encoding="utf-8") == _read(_original("gap_sequential_list")) and proc.returncode == 0
    source = _read(_original("loss_string_to_sparse"))
    silenced = source.replace("verbose=0)\n", "verbose=0)  # shapelint: ignore[label-encoding-mismatch]\n")
    assert silenced.count("# shapelint: ignore") == 2  # fit and evaluate
    target.write_text(silenced, encoding="utf-8")
    proc = run("--no-cache", "--fix", target)
    assert proc.returncode == 0 and target.read_text(encoding="utf-8") == silenced


def test_stdin_fix_prints_the_fixed_source(tmp_path):
    source = _original("loss_string_to_sparse").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "shapelint", "--fix", "-", "--stdin-filename", "model.py"],
                          input=source, capture_output=True, check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == _fixed("loss_string_to_sparse").read_bytes()
    assert proc.stderr.decode().endswith("Found 1 finding (1 fixed, 0 remaining).\n")


def test_diff_shows_the_fix_and_writes_nothing(tmp_path):
    target = tmp_path / "model.py"
    shutil.copy(_original("gap_sequential_add"), target)
    proc = run("--diff", "--unsafe-fixes", target)
    assert proc.returncode == 1
    assert "+model.add(tf.keras.layers.GlobalAveragePooling2D())\n" in proc.stdout
    assert proc.stderr == "Would fix 1 finding.\n"
    assert target.read_text(encoding="utf-8") == _read(_original("gap_sequential_add"))
    assert run("--diff", target).returncode == 0  # no safe fix to make


def test_line_endings_bom_and_encoding_are_kept(tmp_path):
    source = _read(_original("loss_string_to_sparse"))
    fixed = _read(_fixed("loss_string_to_sparse"))
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8"))
    assert run("--no-cache", "--fix", crlf).returncode == 0
    assert crlf.read_bytes() == b"\xef\xbb\xbf" + fixed.replace("\n", "\r\n").encode("utf-8")
    latin = tmp_path / "latin.py"
    header = "# -*- coding: latin-1 -*-\n# donn\u00e9es: 16 exemples\n"
    latin.write_bytes((header + source).encode("latin-1"))
    assert run("--no-cache", "--fix", latin).returncode == 0
    assert latin.read_bytes() == (header + fixed).encode("latin-1")


def test_a_fix_the_analysis_does_not_confirm_is_not_made(monkeypatch):
    """runner.py re-analyses after each fix: one that leaves its finding (or
    adds another) is undone and named."""
    from shapelint import fixes  # pylint: disable=import-outside-toplevel
    from shapelint.fixes.edits import ReplaceString, span_of  # pylint: disable=import-outside-toplevel

    def wrong(graph, _finding, lines):
        loss = graph.trainings[0].compile_node.keywords[1].value
        return fixes.FixInfo(fixes.SAFE, "use mse"), (ReplaceString(span_of(loss, lines), "mse"),)

    monkeypatch.setattr(fixes, "_planners", lambda: {"label-encoding-mismatch": wrong})
    source = _read(_original("loss_string_to_sparse"))
    outcome = fix_file(source, "m.py", notebook=False, unsafe=False, keep=_keep_all)
    assert outcome.text == source and outcome.fixed == 0 and not outcome.applied
    ((fix, why),) = outcome.failed
    assert fix.info.description == "use mse" and "would add a output-target-mismatch" in why


# Programs with a finding whose fix would not be certain: no fix is offered.
UNFIXABLE = {
    "subclassed_model": """\
import numpy as np
import keras
from keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3)
        self.pool = layers.MaxPooling2D()
        self.head = layers.Dense(1)

    def call(self, x):
        return self.head(self.pool(self.conv(x)))

model = Net()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 16, 16, 1), np.random.rand(8, 1))
""",
    "helper_called_on_two_shapes": """\
from tensorflow import keras
from tensorflow.keras import layers

def head(x):
    return layers.Dense(1)(x)

a = keras.Input((16, 16, 3))
m1 = keras.Model(a, head(layers.MaxPooling2D()(a)))
c = keras.Input((16,))
m2 = keras.Model(c, head(c))
""",
    "head_in_a_loop": """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input((16, 16, 3))
outputs = []
for units in (1, 2):
    x = layers.MaxPooling2D()(inputs)
    outputs.append(layers.Dense(units)(x))
model = keras.Model(inputs, outputs)
""",
    "metric_names_the_encoding": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input((20,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["categorical_accuracy"])
model.fit(np.random.rand(16, 20), np.random.randint(0, 10, (16,)))
""",
    "labels_of_both_encodings": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

y = np.random.randint(0, 10, (16,))
model = keras.Sequential([keras.Input((20,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(16, 20), y)
model.evaluate(np.random.rand(16, 20), keras.utils.to_categorical(y, 10))
""",
    "loss_in_a_variable": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

loss = "categorical_crossentropy"
model = keras.Sequential([keras.Input((20,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss=loss)
model.fit(np.random.rand(16, 20), np.random.randint(0, 10, (16,)))
""",
    "label_smoothing_has_no_sparse_twin": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input((20,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
model.fit(np.random.rand(16, 20), np.random.randint(0, 10, (16,)))
""",
    "input_shape_in_a_variable": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

shape = (28, 28)
model = keras.Sequential([keras.Input(shape=shape), layers.Flatten(), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 28, 28, 3), np.random.randint(0, 2, (16,)))
""",
    "predict_gives_another_shape": """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 28, 28, 3), np.random.randint(0, 2, (16,)))
model.predict(np.random.rand(4, 28, 28))
""",
    "layers_module_passed_in": """\
import numpy as np
from tensorflow import keras

def build(layers):
    inputs = keras.Input((16, 16, 3))
    x = layers.MaxPooling2D()(inputs)
    return keras.Model(inputs, layers.Dense(1)(x))

model = build(keras.layers)
""",
}


@pytest.mark.parametrize("name", sorted(UNFIXABLE))
def test_no_fix_without_certainty(name, tmp_path):
    source = UNFIXABLE[name]
    result = analyze_source(source, f"{name}.py")
    assert result.findings, "the case must have a finding for the test to mean anything"
    annotate(result, source)
    assert [f.symbol for f in result.findings if f.fix is not None] == []
    target = tmp_path / f"{name}.py"
    target.write_text(source, encoding="utf-8")
    run("--no-cache", "--fix", "--unsafe-fixes", target)
    assert target.read_text(encoding="utf-8") == source


# --- Notebooks: only the edited cells' "source" changes --------------------------------------------

nbformat = pytest.importorskip("nbformat")


def _seed_notebook(path: Path) -> Path:
    from test_notebooks import SEED_CELLS, write_notebook  # pylint: disable=import-outside-toplevel

    return write_notebook(path, SEED_CELLS)


def _outside(text: str, spans) -> str:
    """The text with the given spans cut out."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        last = end
    return "".join(out) + text[last:]


def test_notebook_with_nothing_fixed_is_byte_identical(tmp_path):
    notebook = _seed_notebook(tmp_path / "nb.ipynb")
    before = notebook.read_bytes()
    proc = run("--no-cache", "--fix", notebook)  # its only fix is unsafe
    assert proc.returncode == 1 and notebook.read_bytes() == before
    clean = tmp_path / "clean.ipynb"
    fixed_program = _fixed("gap_functional_names").read_text(encoding="utf-8")
    from test_notebooks import write_notebook  # pylint: disable=import-outside-toplevel

    write_notebook(clean, [("markdown", "# A clean one"), ("code", "%load_ext autoreload\n" + fixed_program)])
    before = clean.read_bytes()
    proc = run("--no-cache", "--fix", "--unsafe-fixes", clean)
    assert proc.returncode == 0 and proc.stdout == "" and clean.read_bytes() == before


def test_notebook_fix_edits_only_the_cells_source(tmp_path):
    from shapelint.fixes.notebook_edit import source_spans  # pylint: disable=import-outside-toplevel

    notebook = _seed_notebook(tmp_path / "nb.ipynb")
    before = notebook.read_text(encoding="utf-8")
    proc = run("--no-cache", "--fix", "--unsafe-fixes", notebook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "Found 1 finding (1 fixed, 0 remaining).\n"  # the head: one finding, one fix
    after = notebook.read_text(encoding="utf-8")
    old_spans, new_spans = source_spans(before), source_spans(after)
    changed = [n for n in old_spans if before[slice(*old_spans[n])] != after[slice(*new_spans[n])]]
    assert changed == [2, 5]
    assert _outside(before, [old_spans[n] for n in changed]) == _outside(after, [new_spans[n] for n in changed])
    cells = json.loads(after)["cells"]
    assert cells[1]["source"] == [
        "%matplotlib inline\n", "import numpy as np\n",
        "from tensorflow.keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input, MaxPooling2D\n",
        "from tensorflow.keras.models import Model"]
    assert cells[4]["source"][1] == 'score = Dense(1, activation="sigmoid")(GlobalAveragePooling2D()(x))\n'
    nbformat.validate(nbformat.reads(after, as_version=4))


def test_notebook_cell_gains_a_line(tmp_path):
    """model.add(GlobalAveragePooling2D()) is a new line in the cell's source list."""
    from test_notebooks import write_notebook  # pylint: disable=import-outside-toplevel

    source, fixed = _read(_original("gap_sequential_add")), _read(_fixed("gap_sequential_add"))
    head, body = source.split("\nmodel = ", 1)
    notebook = write_notebook(tmp_path / "add.ipynb", [("code", head), ("markdown", "The model"),
                                                       ("code", "%%time\nmodel = " + body.rstrip("\n"))])
    proc = run("--no-cache", "--fix", "--unsafe-fixes", notebook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[0]["source"]) == head
    assert "".join(cells[2]["source"]) == "%%time\nmodel = " + fixed.split("\nmodel = ", 1)[1].rstrip("\n")


def test_fix_on_a_notebook_it_cannot_read_is_the_usual_error(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    proc = run("--no-cache", "--fix", "--unsafe-fixes", broken)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"shapelint: error: {broken}: not a valid notebook")
    assert broken.read_text(encoding="utf-8") == '{"cells": ['


def test_notebook_in_another_json_style_keeps_its_style(tmp_path):
    """One-string sources, two-space indent, non-ASCII escaped: all kept."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Pr\u00e9vision"},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": _read(_original("loss_string_to_sparse"))},
    ]
    document = {"cells": cells, "metadata": {"language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    notebook = tmp_path / "styled.ipynb"
    notebook.write_text(json.dumps(document, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
    proc = run("--no-cache", "--fix", notebook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    document["cells"][1]["source"] = _read(_fixed("loss_string_to_sparse"))
    assert notebook.read_text(encoding="utf-8") == json.dumps(document, indent=2, ensure_ascii=True) + "\n"


# --- Keras builds and fits every fixed program, and raised on the originals ------------------------

@pytest.mark.keras
def test_fixed_programs_build_and_fit_under_keras(tmp_path):
    from shapelint.notebook import read_notebook  # pylint: disable=import-outside-toplevel

    notebook = _seed_notebook(tmp_path / "nb.ipynb")
    original_program = tmp_path / "notebook_original.py"
    original_program.write_text(read_notebook(notebook.read_text(encoding="utf-8")).program, encoding="utf-8")
    proc = run("--no-cache", "--fix", "--unsafe-fixes", notebook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fixed_program = tmp_path / "notebook_fixed.py"
    fixed_program.write_text(read_notebook(notebook.read_text(encoding="utf-8")).program, encoding="utf-8")

    originals = [str(_original(case)) for case in sorted(EXPECTED)] + [str(original_program)]
    fixed = [str(_fixed(case)) for case in sorted(EXPECTED)] + [str(fixed_program)]
    out = tmp_path / "outcome.json"
    cmd = [sys.executable, str(ROOT / "tests" / "fix_runner.py"), str(out)] + originals + fixed
    subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=True)
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert {p: outcome[p] for p in fixed} == {p: None for p in fixed}
    assert [p for p in originals if outcome[p] is None] == []  # each original was a bug Keras raises on


def test_linting_never_imports_libcst(tmp_path):
    """LibCST is for --fix only: planning the fixes (the [*] marks) does not load it."""
    target = tmp_path / "model.py"
    shutil.copy(_original("loss_string_to_sparse"), target)
    code = ("import sys\nfrom shapelint.cli import main\n"
            f"code = main(['--no-cache', '--unsafe-fixes', {str(target)!r}])\n"
            "print(code, 'libcst' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stdout.splitlines()[-1] == "1 False", proc.stdout + proc.stderr
