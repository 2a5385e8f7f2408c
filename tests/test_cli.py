"""The standalone CLI: formats, exit codes, bad input, no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUGGY = """\
from tensorflow.keras.layers import Conv2D, Dense, Input, MaxPooling2D
from tensorflow.keras.models import Model

images = Input(shape=(20, 20, 1))
x = Conv2D(32, (3, 3), padding="same")(images)
x = MaxPooling2D((2, 2))(x)
score = Dense(1, activation="sigmoid")(x)
model = Model(images, score)
"""

CLEAN = BUGGY.replace('score = Dense(1, activation="sigmoid")(x)',
                      'x = GlobalAveragePooling2D()(x)\nscore = Dense(1, activation="sigmoid")(x)').replace(
    "import Conv2D,", "import Conv2D, GlobalAveragePooling2D,")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "shapelint", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False)


def test_text_format_and_exit_code(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(BUGGY)
    proc = run(bad)
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first.startswith(f"{bad}:7:8: E5901 dense-on-unreduced-tensor Dense(1) gets a 4-D tensor (None, 10, 10, 32)")
    assert "    fix: add GlobalAveragePooling2D()" in proc.stdout
    assert proc.stderr == ""


def test_clean_file_exit_zero(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(CLEAN)
    proc = run(good)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == ""


def test_json_contract(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(BUGGY)
    proc = run("--format", "json", bad)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    (entry,) = doc["files"]
    assert set(entry) == {"path", "layers", "findings"}
    assert entry["layers"][0] == {
        "line": 5, "col": 4, "layer": "Conv2D",
        "input_shapes": [[None, 20, 20, 1]], "output_shape": [None, 20, 20, 32], "params": 320,
        "exact": True,
    }
    (finding,) = entry["findings"]
    assert set(finding) == {"line", "col", "end_line", "end_col", "symbol", "msg_id", "message", "suggestions",
                            "fix"}
    assert (finding["line"], finding["col"], finding["end_line"], finding["end_col"]) == (7, 8, 7, 41)
    assert finding["symbol"] == "dense-on-unreduced-tensor" and finding["msg_id"] == "E5901"
    assert len(finding["suggestions"]) == 3
    assert finding["fix"] == {"applicability": "unsafe",
                              "description": 'insert GlobalAveragePooling2D() before Dense(1, activation="sigmoid")'}


def test_syntax_error_file_is_one_line_and_run_goes_on(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n    pass\n")
    good = tmp_path / "good.py"
    good.write_text(CLEAN)
    proc = run(broken, good)
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{broken}:1:") and "syntax-error" in lines[0]
    assert proc.returncode == 1


def test_directory_recursion(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BUGGY)
    (tmp_path / "good.py").write_text(CLEAN)
    proc = run("--format", "json", tmp_path)
    paths = sorted(Path(f["path"]).name for f in json.loads(proc.stdout)["files"])
    assert paths == ["bad.py", "good.py"]


def test_usage_error_exit_two():
    proc = run("--format", "xml", "x.py")
    assert proc.returncode == 2
    proc = run()
    assert proc.returncode == 2


def test_missing_file_is_reported_not_raised(tmp_path):
    proc = run(tmp_path / "nope.py")
    assert "Traceback" not in proc.stderr
    assert "cannot read" in proc.stderr
    assert proc.returncode == 2


def test_shapes_summary(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(CLEAN)
    proc = run("--shapes", good)
    assert "Conv2D (line 5)" in proc.stdout
    assert "(None, 20, 20, 32)" in proc.stdout
    assert "Total params: 353" in proc.stdout  # Conv2D 320 + pooling 0 + Dense 33


def test_cli_does_not_import_pylint_or_tensorflow(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(CLEAN)
    code = ("import sys; from shapelint.cli import main; main([%r]); "
            "print(sorted(m for m in ('pylint', 'tensorflow', 'keras') if m in sys.modules))" % str(good))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stdout.strip().endswith("[]"), proc.stdout


SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def test_sarif_validates_against_the_official_schema(tmp_path):
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA} (it lives in ../shared, beside the checkout)")
    bad = tmp_path / "bad.py"
    bad.write_text(BUGGY)
    proc = run("--format", "sarif", bad)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "dense-on-unreduced-tensor"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (7, 9, 42)  # 1-based
    rule = doc["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "dense-on-unreduced-tensor" and rule["helpUri"].endswith("dense-on-unreduced-tensor.md")


def test_inline_ignore_and_disable_option_and_pyproject(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(BUGGY.replace('activation="sigmoid")(x)', 'activation="sigmoid")(x)  # shapelint: ignore[dense-on-unreduced-tensor]'))
    assert run(bad).returncode == 0
    bad.write_text(BUGGY.replace('activation="sigmoid")(x)', 'activation="sigmoid")(x)  # shapelint: ignore[merge-shape-mismatch]'))
    assert run(bad).returncode == 1
    assert run("--disable", "dense-on-unreduced-tensor", bad).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\ndisable = ["dense-on-unreduced-tensor"]\n')
    assert run(bad, cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nformat = "json"\n')
    proc = run(bad, cwd=tmp_path)
    assert json.loads(proc.stdout)["files"][0]["findings"][0]["symbol"] == "dense-on-unreduced-tensor"


def test_jobs_and_cache_give_the_same_results(tmp_path):
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(BUGGY if i % 2 else CLEAN)
    cache = tmp_path / "cache"
    first = run("--format", "json", "--cache-dir", cache, tmp_path)
    second = run("--format", "json", "--cache-dir", cache, tmp_path)  # from the cache
    parallel = run("--format", "json", "--no-cache", "--jobs", "2", tmp_path)
    assert first.stdout == second.stdout == parallel.stdout
    assert len(json.loads(first.stdout)["files"]) == 6
    assert any(cache.rglob("*.json"))


def test_graph_dot_output(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(CLEAN)
    target = tmp_path / "g.dot"
    proc = run("--graph", target, good)
    assert proc.returncode == 0
    dot = target.read_text()
    assert dot.startswith("digraph shapelint {")
    assert 'label="(None, 20, 20, 32)"' in dot


def test_bom_and_coding_line_files_are_read_as_python_reads_them(tmp_path):
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + BUGGY.encode())
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + BUGGY.encode())
    proc = run("--format", "json", bom, latin)
    files = json.loads(proc.stdout)["files"]
    assert [f["findings"][0]["symbol"] for f in files] == ["dense-on-unreduced-tensor"] * 2
