"""Jupyter notebooks: the code cells form one program, IPython lines are
blanked in place, and every finding and layer is shown at its cell and the
line within it (text ``nb.ipynb:cell N:L:C``, JSON ``"cell"``, SARIF a region
relative to the cell with the cell in its property bag)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shapelint.notebook import NotebookError, read_notebook
from test_cli import ROOT, run

nbformat = pytest.importorskip("nbformat")
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell  # noqa: E402

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
KERNEL = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
          "language_info": {"name": "python"}}

# The seed scenario: a CNN for 20x20x1 images with Dense(1) straight after
# the last pooling layer, over several cells, with markdown and a magic between.
SEED_CELLS = [
    ("markdown", "# Pass or fail from a 20x20 image"),                                    # cell 1
    ("code", "%matplotlib inline\n"
             "import numpy as np\n"
             "from tensorflow.keras.layers import Conv2D, Dense, Input, MaxPooling2D\n"
             "from tensorflow.keras.models import Model"),                                 # cell 2
    ("markdown", "## The model\nTwo convolution blocks, then the head."),                 # cell 3
    ("code", 'images = Input(shape=(20, 20, 1))\n'
             'x = Conv2D(16, (3, 3), activation="relu", padding="same")(images)\n'
             'x = MaxPooling2D((2, 2))(x)\n'
             'x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)\n'
             'x = MaxPooling2D((2, 2))(x)'),                                               # cell 4
    ("code", '# the head\n'
             'score = Dense(1, activation="sigmoid")(x)\n'
             'model = Model(images, score)\n'
             'model.summary()'),                                                           # cell 5
    ("code", '!nvidia-smi\n'
             'model.compile(optimizer="adam", loss="binary_crossentropy")\n'
             'model.fit(np.zeros((16, 20, 20, 1)), np.zeros((16, 1)), epochs=1)'),         # cell 6
]
HEAD = (5, 2, 8)  # cell, line in the cell, column of Dense(1)(x)


def write_notebook(path: Path, cells, metadata=None) -> Path:
    makers = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}
    notebook = new_notebook(cells=[makers[kind](source) for kind, source in cells],
                            metadata=KERNEL if metadata is None else metadata)
    nbformat.validate(notebook)
    nbformat.write(notebook, str(path))
    return path


@pytest.fixture
def seed(tmp_path):
    return write_notebook(tmp_path / "nb.ipynb", SEED_CELLS)


def test_text_names_the_cell_and_the_line_within_it(seed):
    proc = run("--no-cache", seed)
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith(str(seed))]
    cell, line, col = HEAD
    assert lines[0].startswith(f"{seed}:cell {cell}:{line}:{col}: E5901 dense-on-unreduced-tensor "
                               f"Dense(1) gets a 4-D tensor (None, 5, 5, 32)")
    assert len(lines) == 1  # the targets fit gets are named there, not in a second finding
    assert "cannot match the targets (16, 1) fit() gets" in lines[0]
    assert "    fix: add GlobalAveragePooling2D()" in proc.stdout
    assert proc.stderr == ""


def test_json_adds_the_cell_and_lines_relative_to_it(seed):
    proc = run("--no-cache", "--format", "json", seed)
    (entry,) = json.loads(proc.stdout)["files"]
    assert entry["path"] == str(seed)
    head = entry["findings"][0]
    assert head["symbol"] == "dense-on-unreduced-tensor"
    assert (head["cell"], head["line"], head["col"], head["end_line"]) == (*HEAD, 2)
    assert head["end_col"] == len('score = Dense(1, activation="sigmoid")(x)')
    assert [(layer["cell"], layer["line"], layer["layer"]) for layer in entry["layers"]] == [
        (4, 2, "Conv2D"), (4, 3, "MaxPooling2D"), (4, 4, "Conv2D"), (4, 5, "MaxPooling2D"), (5, 2, "Dense")]
    assert entry["layers"][-1]["output_shape"] == [None, 5, 5, 1]


def test_sarif_region_is_relative_to_the_cell_and_validates(seed):
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA}")
    proc = run("--no-cache", "--format", "sarif", seed)
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    head = doc["runs"][0]["results"][0]
    assert head["ruleId"] == "dense-on-unreduced-tensor"
    location = head["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == seed.as_uri()
    region = location["region"]
    cell, line, col = HEAD
    assert (region["startLine"], region["startColumn"], region["endLine"]) == (line, col + 1, line)
    assert region["properties"] == {"cell": cell}


def test_shapes_and_graph_name_cells(seed, tmp_path):
    proc = run("--no-cache", "--shapes", "--select", "E0001", seed)
    assert f"{seed}:cell 5:3: Model:" in proc.stdout
    assert "Conv2D (cell 4, line 2)" in proc.stdout and "Dense (cell 5, line 2)" in proc.stdout
    graph = tmp_path / "g.dot"
    run("--no-cache", "--graph", graph, seed)
    assert 'label="Dense (cell 5, line 2)"' in graph.read_text()


def test_magics_and_shell_lines_are_blanked_in_place():
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "text"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["%load_ext autoreload\n", "files = !ls\n", "model.fit?\n", "??model\n",
                    "for i in range(2):\n", "    %time step(i)\n", "x = 1 % 2\n", "y = a != b"]},
        {"cell_type": "raw", "metadata": {}, "source": "raw"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "%%bash\necho hi\nls -l"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "%%time\nz = 3\n"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ""},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "w = 4"},
    ]
    notebook = read_notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": KERNEL,
                                         "cells": cells}))
    assert notebook.program.split("\n") == [
        "", "", "", "", "for i in range(2):", "    pass", "x = 1 % 2", "y = a != b",   # cell 2
        "", "", "",                                                                  # cell 4 (%%bash)
        "", "z = 3",                                                                 # cell 5 (%%time)
        "w = 4",                                                                     # cell 7
        ""]
    compile(notebook.program, "nb", "exec")
    assert notebook.locate(6) == (2, 6)
    assert notebook.locate(10) == (4, 2)
    assert notebook.locate(13) == (5, 2)
    assert notebook.locate(14) == (7, 1)  # the empty cell 6 holds no line


@pytest.mark.parametrize("text, needle", [
    ('{"cells": [', "invalid JSON"),
    ('[1, 2]', "no 'cells' list"),
    ('{"nbformat": 3, "worksheets": []}', "nbformat 3 is not supported"),
    ('{"nbformat": 4, "cells": [3]}', "cell 1 is not a JSON object"),
])
def test_not_a_notebook(text, needle):
    with pytest.raises(NotebookError, match=needle):
        read_notebook(text)


def test_invalid_notebook_is_a_file_level_error_and_the_run_goes_on(seed, tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    proc = run("--no-cache", broken, seed)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"shapelint: error: {broken}: not a valid notebook (invalid JSON" in proc.stderr
    assert f"{seed}:cell 5:2:8: E5901" in proc.stdout
    proc = run("--no-cache", "--format", "json", broken, seed)
    files = json.loads(proc.stdout)["files"]
    assert files[0]["path"] == str(broken) and "invalid JSON" in files[0]["error"]
    assert files[1]["findings"][0]["cell"] == 5


def test_a_notebook_in_another_language_is_skipped(tmp_path):
    r_notebook = write_notebook(tmp_path / "r.ipynb", [("code", "library(keras)\nx <- 1")],
                                metadata={"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}})
    proc = run("--no-cache", r_notebook)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "not a Python notebook (kernel language 'r'); skipped" in proc.stderr


def test_inline_ignore_in_a_cell(tmp_path):
    cells = [list(c) for c in SEED_CELLS]
    cells[4][1] = cells[4][1].replace('(x)\n', '(x)  # shapelint: ignore\n')
    notebook = write_notebook(tmp_path / "nb.ipynb", [tuple(c) for c in cells])
    assert run("--no-cache", notebook).returncode == 0


def test_notebook_on_stdin(seed):
    proc = subprocess.run([sys.executable, "-m", "shapelint", "-", "--stdin-filename", "train.ipynb"],
                          input=seed.read_text(), capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and proc.stdout.startswith("train.ipynb:cell 5:2:8: E5901")


def test_syntax_error_in_a_cell(tmp_path):
    notebook = write_notebook(tmp_path / "nb.ipynb", [("markdown", "hi"), ("code", "import keras"),
                                                      ("code", "x = 1\ndef f(:\n    pass")])
    proc = run("--no-cache", notebook)
    assert proc.returncode == 1 and proc.stdout.startswith(f"{notebook}:cell 3:2:")
    assert "E0001 syntax-error" in proc.stdout


def test_a_directory_of_notebooks(tmp_path, seed):
    """Several notebooks (and a checkpoint copy Jupyter keeps) lint without a
    crash, from the cache and in parallel alike."""
    write_notebook(tmp_path / "clean.ipynb", [
        ("markdown", "A clean one"),
        ("code", "import keras\nfrom keras import layers"),
        ("code", "model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(),\n"
                 "                          layers.Dense(10, activation='softmax')])"),
        ("code", "%%time\nmodel.compile(loss='sparse_categorical_crossentropy')")])
    write_notebook(tmp_path / "rnn.ipynb", [
        ("code", "import tensorflow as tf\ninputs = tf.keras.Input(shape=(None, 8))"),
        ("code", "h = tf.keras.layers.LSTM(16)(inputs)\nout = tf.keras.layers.Dense(1)(h)"),
        ("code", "model = tf.keras.Model(inputs, out)")])
    write_notebook(tmp_path / "empty.ipynb", [])
    write_notebook(tmp_path / "prose.ipynb", [("markdown", "only words")])
    (tmp_path / "sub").mkdir()
    shutil.copy(seed, tmp_path / "sub" / "again.ipynb")
    checkpoints = tmp_path / ".ipynb_checkpoints"
    checkpoints.mkdir()
    shutil.copy(seed, checkpoints / "nb-checkpoint.ipynb")
    cache = tmp_path / "cache"
    first = run("--format", "json", "--cache-dir", cache, tmp_path)
    second = run("--format", "json", "--cache-dir", cache, tmp_path)
    parallel = run("--format", "json", "--no-cache", "--jobs", "2", tmp_path)
    assert first.returncode == 1 and "Traceback" not in first.stderr and first.stderr == ""
    assert first.stdout == second.stdout == parallel.stdout
    files = {os.path.relpath(f["path"], tmp_path): f for f in json.loads(first.stdout)["files"]}
    assert sorted(files) == sorted(["clean.ipynb", "empty.ipynb", "nb.ipynb", "prose.ipynb",
                                    os.path.join("sub", "again.ipynb"), "rnn.ipynb"])
    assert [f["symbol"] for f in files["clean.ipynb"]["findings"]] == []
    assert files["clean.ipynb"]["layers"][-1]["output_shape"] == [None, 10]
    assert files["rnn.ipynb"]["layers"][0]["cell"] == 2
    assert files[os.path.join("sub", "again.ipynb")]["findings"][0]["cell"] == 5
    assert files["empty.ipynb"] == {"path": str(tmp_path / "empty.ipynb"), "layers": [], "findings": []}


def test_pre_commit_hook_takes_notebooks():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "types_or: [python, jupyter]" in hooks


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def test_pre_commit_hook_runs_on_a_notebook(tmp_path):
    """The real ``pre-commit try-repo``: the hook is given the notebook."""
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    project = tmp_path / "project"
    project.mkdir()
    write_notebook(project / "nb.ipynb", SEED_CELLS)
    _git("init", "-q", cwd=project)
    _git("add", ".", cwd=project)
    _git("commit", "-qm", "init", cwd=project)
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "shapelint", "--all-files"],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-home")})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "nb.ipynb:cell 5:2:8: E5901 dense-on-unreduced-tensor" in proc.stdout


# A cell Jupyter cannot run fails alone; the other cells run.  IPython's own
# input transformer (what Jupyter compiles) decides what parses.
BUG_CELL = ("import numpy as np\nfrom tensorflow import keras\n"
            "model = keras.Sequential([keras.Input((20, 20, 1)), keras.layers.Conv2D(4, 3),\n"
            "                          keras.layers.Dense(3, activation='softmax')])\n"
            "model.compile('adam', 'categorical_crossentropy')\n"
            "model.fit(np.zeros((8, 20, 20, 1)), keras.utils.to_categorical(np.arange(8) % 3, 3))\n")


@pytest.mark.parametrize("cell", [
    "print 'the old way'",                                     # Python 2: Jupyter fails this cell
    "matrix = # TODO\n",                                         # a lab template's blank
    "!saved_model_cli show --dir x \\\n    --tag_set serve\n",  # one shell command on two lines
    "  def read(name):\n    return name\n  first = read('a')\n",  # indented cell: IPython dedents it
    "%%bash\necho hi\n",
])
def test_a_cell_that_does_not_parse_fails_alone(cell, tmp_path):
    transformer = pytest.importorskip("IPython.core.inputtransformer2").TransformerManager()
    try:
        compile(transformer.transform_cell(cell), "<cell>", "exec")
        runs = True
    except SyntaxError:
        runs = False
    path = write_notebook(tmp_path / "nb.ipynb", [("code", cell), ("code", BUG_CELL)])
    proc = run("--no-cache", "--format", "json", path)
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    symbols = [(f["cell"], f["symbol"]) for f in findings]
    assert (2, "dense-on-unreduced-tensor") in symbols, symbols  # the other cell is checked
    assert ((1, "syntax-error") in symbols) is (not runs), (symbols, runs)
    if not runs:
        assert "could not parse this cell" in findings[0]["message"]


def test_the_language_server_reads_a_bad_cell_as_the_cli_does(tmp_path):
    """The editor's notebook: the cell that does not parse is reported, the
    next one is checked, and no problem is logged twice."""
    from shapelint.lsp.analysis import CellText, ServerOptions, analyse_notebook, file_settings  # noqa: E501 pylint: disable=import-outside-toplevel

    path = str(tmp_path / "nb.ipynb")
    cells = [CellText("cell-1", True, "print 'the old way'"), CellText("cell-2", True, BUG_CELL)]
    analysis = analyse_notebook("file://" + path, path, cells, file_settings(path, ServerOptions()))
    located = [(analysis.locate(f.line)[0].uri, f.symbol) for f in analysis.result.findings]
    assert ("cell-1", "syntax-error") in located and ("cell-2", "dense-on-unreduced-tensor") in located, located
    assert len(analysis.problems) == len(set(analysis.problems))
