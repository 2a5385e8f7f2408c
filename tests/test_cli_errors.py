"""Every user mistake the CLI can meet exits 2 with one line naming it (never
a traceback); a file that cannot be read does not stop the others."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from test_cli import BUGGY, CLEAN, run


def _one_error(proc, *needles):
    """Exit 2, no traceback, and a ``shapelint: error:`` line with every needle."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("shapelint: error: ")]
    matching = [line for line in errors if all(n in line for n in needles)]
    assert matching, proc.stderr
    return matching[0]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bad.py").write_text(BUGGY)
    (tmp_path / "good.py").write_text(CLEAN)
    return tmp_path


def test_missing_path_is_named_and_the_other_files_are_linted(project):
    proc = run("--no-cache", project / "nope.py", project / "bad.py")
    _one_error(proc, "nope.py", "no such file or directory")
    assert "bad.py:7:8: E5901" in proc.stdout  # the run went on


def test_undecodable_file_is_a_file_level_error_in_every_format(project):
    latin = project / "latin.py"
    latin.write_bytes(b"from keras import layers\nname = 'caf\xe9'\n")
    proc = run("--no-cache", latin, project / "bad.py")
    line = _one_error(proc, "latin.py", "cannot decode as utf-8", "0xe9", "PEP 263")
    assert "offset 36" in line
    assert "E5901" in proc.stdout

    proc = run("--no-cache", "--format", "json", latin, project / "bad.py")
    assert proc.returncode == 2
    files = json.loads(proc.stdout)["files"]
    assert files[0] == {"path": str(latin), "error": files[0]["error"], "layers": [], "findings": []}
    assert "cannot decode" in files[0]["error"]
    assert files[1]["findings"][0]["symbol"] == "dense-on-unreduced-tensor"

    proc = run("--no-cache", "--format", "sarif", latin, project / "bad.py")
    assert proc.returncode == 2
    sarif_run = json.loads(proc.stdout)["runs"][0]
    (invocation,) = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "cannot decode" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(latin)
    assert [r["ruleId"] for r in sarif_run["results"]][0] == "dense-on-unreduced-tensor"


def test_unknown_coding_and_binary_files(project):
    coded = project / "coded.py"
    coded.write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    binary = project / "blob.py"
    binary.write_bytes(b"x = 1\n\0\0")
    proc = run("--no-cache", coded, binary, project / "good.py")
    _one_error(proc, "coded.py", "unknown encoding: klingon")
    _one_error(proc, "blob.py", "not a text file")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(project):
    secret = project / "secret.py"
    secret.write_text(CLEAN)
    secret.chmod(0)
    try:
        _one_error(run("--no-cache", secret), "secret.py", "cannot read", "ermission denied")
    finally:
        secret.chmod(0o644)


def test_non_python_target_named_explicitly(project):
    notes = project / "notes.txt"
    notes.write_text("not python\n")
    proc = run(notes, project / "good.py")
    _one_error(proc, "notes.txt", "not a Python file or notebook")
    assert proc.stdout == ""


def test_a_script_with_a_python_shebang_is_python(project):
    script = project / "train"
    script.write_text("#!/usr/bin/env python3\n" + BUGGY)
    proc = run("--no-cache", script)
    assert proc.returncode == 1 and f"{script}:8:8: E5901" in proc.stdout


def test_txt_files_in_a_directory_are_simply_not_linted(project):
    (project / "notes.txt").write_text("not python\n")
    proc = run("--no-cache", project)
    assert proc.returncode == 1 and proc.stderr == ""


@pytest.mark.parametrize("option", ["--ignore", "--disable", "--select"])
def test_unknown_rule_on_the_command_line(project, option):
    proc = run(option, "dense-on-unreduced", project / "bad.py")
    line = _one_error(proc, option, "unknown rule 'dense-on-unreduced'", "did you mean 'dense-on-unreduced-tensor'")
    assert proc.stdout == "", line


CONFIG_MISTAKES = [
    ('disable = "dense-on-unreduced-tensor"',
     ('disable must be a list of rule names, not a string', 'disable = ["dense-on-unreduced-tensor"]')),
    ('ignore = ["E5901", "no-such-rule"]', ("ignore lists an unknown rule 'no-such-rule'",)),
    ('select = ["E5990"]', ("select lists an unknown rule 'E5990'",)),
    ('disabel = ["E5901"]', ("unknown key 'disabel'", "did you mean 'disable'", "known keys:")),
    ('format = "xml"', ("format must be one of text, json, sarif",)),
    ('jobs = "2"', ("jobs must be a whole number",)),
    ('jobs = true', ("jobs must be a whole number",)),
    ('cache = "no"', ("cache must be true or false",)),
    ('exclude = "build"', ("exclude must be a list of glob patterns",)),
    ('keras-version = 4', ("keras-version must be 2 (tf_keras, TF <= 2.15) or 3 (Keras 3), not 4",)),
    ('keras-version = "3"', ("keras-version must be 2",)),
    ('ignore = [', ("not valid TOML",)),
    ('ignore = ["E5901"]\nignore = ["E5906"]', ("not valid TOML",)),
]


@pytest.mark.parametrize("toml, needles", CONFIG_MISTAKES, ids=[c[0].split()[0] for c in CONFIG_MISTAKES])
def test_bad_configuration_stops_the_run(project, toml, needles):
    (project / "pyproject.toml").write_text(f"[tool.shapelint]\n{toml}\n")
    proc = run("--no-cache", "bad.py", cwd=project)
    _one_error(proc, "pyproject.toml", *needles)
    assert proc.stdout == ""  # nothing linted with settings the user did not mean


def test_tool_shapelint_that_is_not_a_table(project):
    (project / "pyproject.toml").write_text("[tool]\nshapelint = 3\n")
    _one_error(run("bad.py", cwd=project), "[tool.shapelint] must be a table")


def test_broken_configuration_of_a_subdirectory_names_that_file(project):
    sub = project / "sub"
    sub.mkdir()
    (sub / "model.py").write_text(BUGGY)
    (sub / "pyproject.toml").write_text("[tool.shapelint\n")
    proc = run("--no-cache", ".", cwd=project)
    line = _one_error(proc, "not valid TOML")
    assert os.path.join("sub", "pyproject.toml") in line


def test_a_pyproject_without_a_shapelint_table_is_passed_over(project):
    sub = project / "sub"
    sub.mkdir()
    (sub / "model.py").write_text(BUGGY)
    (sub / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (project / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["E5901"]\n')
    proc = run("--no-cache", sub / "model.py")
    assert proc.returncode == 0, proc.stdout


def test_graph_extension_it_cannot_write(project):
    line = _one_error(run("--graph", project / "g.txt", project / "good.py"), "--graph", "cannot write .txt", ".dot")
    assert not (project / "g.txt").exists(), line
    _one_error(run("--graph", project / "graph", project / "good.py"), "a file without an extension")


def test_graph_svg_without_graphviz_refuses_before_linting(project, tmp_path):
    env_path = tmp_path / "empty-bin"
    env_path.mkdir()
    proc = subprocess.run([sys.executable, "-m", "shapelint", "--graph", str(project / "g.svg"),
                           str(project / "good.py")], capture_output=True, text=True, check=False,
                          env={**os.environ, "PATH": str(env_path)})
    _one_error(proc, "--graph", "needs Graphviz's 'dot'", "dot -Tsvg")
    assert not (project / "g.svg").exists() and not (project / "g.dot").exists()


def test_graph_that_cannot_be_written(project):
    _one_error(run("--graph", project / "no-dir" / "g.dot", project / "good.py"), "cannot write")


def test_usage_mistakes(project):
    _one_error(run("-", project / "bad.py"), "'-' (read stdin) cannot be combined")
    _one_error(run("--stdin-filename", "x.py", project / "bad.py"), "--stdin-filename")
    _one_error(run("--jobs", "-1", project / "bad.py"), "--jobs -1")
    _one_error(run("--statistics", "--format", "sarif", project / "bad.py"), "--statistics")
    proc = run("--frobnicate", project / "bad.py")  # argparse's own line
    assert proc.returncode == 2 and "unrecognized arguments: --frobnicate" in proc.stderr
    proc = run()
    assert proc.returncode == 2 and "no paths given" in proc.stderr


def test_several_problems_are_all_named(project):
    (project / "pyproject.toml").write_text('[tool.shapelint]\nformat = "xml"\n')
    proc = run("--ignore", "nope", "--graph", "g.txt", "bad.py", "missing.py", cwd=project)
    assert proc.returncode == 2 and proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("shapelint: error:")]
    assert len(errors) == 4 and errors[-1] == "shapelint: error: missing.py: cannot read: no such file or directory"


def test_tomli_is_used_before_python_3_11(project, monkeypatch):
    """On Python < 3.11 there is no tomllib: the same parser comes from tomli."""
    pytest.importorskip("tomli")
    from shapelint.cli import config

    monkeypatch.setitem(sys.modules, "tomllib", None)  # import tomllib -> ImportError
    (project / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["E5901"]\n')
    settings = config.ConfigFinder().for_directory(str(project))
    assert settings.ignore == {"dense-on-unreduced-tensor"}
    (project / "pyproject.toml").write_text("[tool.shapelint\n")
    with pytest.raises(config.ConfigError, match="not valid TOML"):
        config.ConfigFinder().for_directory(str(project))
