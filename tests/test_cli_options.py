"""The options users know from ruff: --exit-zero, --select/--ignore (codes or
symbols), --statistics, --exclude, stdin, explain, colour, configuration
found from each file's directory, and a cache folder that ignores itself."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from shapelint.messages import KINDS

from test_cli import BUGGY, CLEAN, ROOT, run

# BUGGY (E5901 on line 7) and a second model whose targets do not fit its
# head (E5906): two findings of two kinds, from two mistakes.
TRAINED = BUGGY + ('import numpy as np\nfeatures = Input(shape=(4,))\nregressor = Model(features, Dense(3)(features))\n'
                   'regressor.compile(loss="mse")\n'
                   'regressor.fit(np.zeros((16, 4)), np.zeros((16, 2)))\n')


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bad.py").write_text(TRAINED)
    (tmp_path / "good.py").write_text(CLEAN)
    return tmp_path


def _codes(stdout: str):
    """The codes of the findings (not the detail lines, nor the closing line about fixes)."""
    return sorted(line.split()[1] for line in stdout.splitlines()
                  if not line.startswith(" ") and line.split()[0].endswith(":"))


def test_both_findings_by_default(project):
    proc = run("--no-cache", project / "bad.py")
    assert proc.returncode == 1 and _codes(proc.stdout) == ["E5901", "E5906"]


def test_exit_zero_keeps_the_findings(project):
    proc = run("--no-cache", "--exit-zero", project / "bad.py")
    assert proc.returncode == 0
    assert _codes(proc.stdout) == ["E5901", "E5906"]


def test_exit_zero_does_not_hide_errors(project):
    proc = run("--exit-zero", project / "bad.py", project / "nope.py")
    assert proc.returncode == 2


@pytest.mark.parametrize("name", ["E5901", "dense-on-unreduced-tensor", "e5901"])
def test_select_and_ignore_take_codes_and_symbols(project, name):
    proc = run("--no-cache", "--select", name, project / "bad.py")
    assert _codes(proc.stdout) == ["E5901"] and proc.returncode == 1
    proc = run("--no-cache", "--ignore", name, project / "bad.py")
    assert _codes(proc.stdout) == ["E5906"]
    proc = run("--no-cache", "--disable", name, project / "bad.py")
    assert _codes(proc.stdout) == ["E5906"]


def test_select_prefixes_lists_and_all(project):
    assert _codes(run("--no-cache", "--select", "E590", project / "bad.py").stdout) == ["E5901", "E5906"]
    assert _codes(run("--no-cache", "--select", "W", project / "bad.py").stdout) == []
    assert run("--no-cache", "--select", "W", project / "bad.py").returncode == 0
    proc = run("--no-cache", "--select", "ALL", "--ignore", "E5901,output-target-mismatch", project / "bad.py")
    assert proc.returncode == 0 and proc.stdout == ""
    proc = run("--no-cache", "--ignore", "E5901", "--ignore", "E5906", project / "bad.py")
    assert proc.returncode == 0


def test_syntax_errors_are_reported_whatever_is_selected(project):
    (project / "broken.py").write_text("def f(:\n")
    proc = run("--no-cache", "--select", "E5901", project / "broken.py")
    assert proc.returncode == 1 and "E0001 syntax-error" in proc.stdout
    assert run("--no-cache", "--ignore", "syntax-error", project / "broken.py").returncode == 0


def test_command_line_select_replaces_and_ignore_extends_the_configuration(project):
    (project / "pyproject.toml").write_text('[tool.shapelint]\nselect = ["E5906"]\nignore = ["W5910"]\n')
    assert _codes(run("--no-cache", "bad.py", cwd=project).stdout) == ["E5906"]
    assert _codes(run("--no-cache", "--select", "E5901", "bad.py", cwd=project).stdout) == ["E5901"]
    proc = run("--no-cache", "--ignore", "E5906", "bad.py", cwd=project)
    assert proc.returncode == 0 and proc.stdout == ""


def test_statistics(project):
    (project / "bad2.py").write_text(TRAINED)
    proc = run("--no-cache", "--statistics", project)
    assert proc.returncode == 1
    assert proc.stdout == "2\tE5901\tdense-on-unreduced-tensor\n2\tE5906\toutput-target-mismatch\n"
    proc = run("--no-cache", "--statistics", "--format", "json", "--ignore", "E5906", project)
    assert json.loads(proc.stdout) == [{"code": "E5901", "name": "dense-on-unreduced-tensor", "count": 2}]
    proc = run("--no-cache", "--statistics", project / "good.py")
    assert proc.returncode == 0 and proc.stdout == ""


def test_exclude_globs(project):
    (project / "gen").mkdir()
    (project / "gen" / "model.py").write_text(TRAINED)
    (project / "bad_test.py").write_text(TRAINED)

    def files(*args):
        proc = run("--no-cache", "--format", "json", *args, ".", cwd=project)
        return sorted(os.path.normpath(f["path"]) for f in json.loads(proc.stdout)["files"])

    everything = sorted(["bad.py", "bad_test.py", "good.py", os.path.join("gen", "model.py")])
    assert files() == everything
    assert files("--exclude", "gen") == ["bad.py", "bad_test.py", "good.py"]
    assert files("--exclude", "*_test.py,gen/*") == ["bad.py", "good.py"]
    assert files("--exclude", "gen", "--exclude", "bad*") == ["good.py"]
    # from the configuration, relative to the pyproject.toml
    (project / "pyproject.toml").write_text('[tool.shapelint]\nexclude = ["gen", "*_test.py"]\n')
    assert files() == ["bad.py", "good.py"]


def test_exclude_applies_to_files_named_explicitly(project):
    """As ruff's --force-exclude: a pre-commit run names every file."""
    (project / "gen").mkdir()
    (project / "gen" / "model.py").write_text(TRAINED)
    (project / "pyproject.toml").write_text('[tool.shapelint]\nexclude = ["gen"]\n')
    proc = run("--no-cache", "gen/model.py", "bad.py", cwd=project)
    assert "gen/model.py" not in proc.stdout and "bad.py:7:8" in proc.stdout
    proc = run("--no-cache", os.path.join(project, "gen", "model.py"))  # from anywhere
    assert proc.returncode == 0 and proc.stdout == ""
    # a pattern never matches the directories above the current one
    proc = run("--no-cache", "--exclude", project.name, "bad.py", cwd=project)
    assert proc.returncode == 1


def test_configuration_is_found_from_each_files_directory(project, tmp_path_factory):
    """ruff's rule: the nearest pyproject.toml with a [tool.shapelint] table
    above each file, wherever the command runs from."""
    sub = project / "sub"
    sub.mkdir()
    (sub / "model.py").write_text(TRAINED)
    (sub / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["E5906"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run("--no-cache", "--format", "json", project, cwd=elsewhere)
    by_file = {os.path.relpath(f["path"], project): sorted(x["msg_id"] for x in f["findings"])
               for f in json.loads(proc.stdout)["files"]}
    assert by_file == {"bad.py": ["E5901", "E5906"], "good.py": [], os.path.join("sub", "model.py"): ["E5901"]}


def test_stdin(project):
    def lint_stdin(*args, text=TRAINED, cwd=None):
        return subprocess.run([sys.executable, "-m", "shapelint", "--no-cache", *map(str, args)], input=text,
                              capture_output=True, text=True, cwd=cwd, check=False)
    proc = lint_stdin("-")
    assert proc.returncode == 1 and proc.stdout.startswith("-:7:8: E5901 dense-on-unreduced-tensor")
    proc = lint_stdin("-", "--stdin-filename", "models/cnn.py")
    assert proc.stdout.startswith("models/cnn.py:7:8: E5901")
    proc = lint_stdin("--stdin-filename", "cnn.py")  # no path: stdin, as ruff
    assert proc.stdout.startswith("cnn.py:7:8: E5901")
    assert lint_stdin("-", text=CLEAN).returncode == 0
    # the configuration is the one of --stdin-filename's directory
    (project / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["E5906"]\nexclude = ["gen"]\n')
    proc = lint_stdin("-", "--stdin-filename", project / "cnn.py")
    assert _codes(proc.stdout) == ["E5901"]
    proc = lint_stdin("-", "--stdin-filename", project / "gen" / "cnn.py")
    assert proc.returncode == 0 and proc.stdout == ""
    proc = lint_stdin("--format", "json", "-", "--stdin-filename", "cnn.py")
    assert json.loads(proc.stdout)["files"][0]["path"] == "cnn.py"


def test_explain_prints_the_docs_page():
    by_code = run("explain", "E5901")
    by_symbol = run("explain", "dense-on-unreduced-tensor")
    page = (ROOT / "docs" / "messages" / "dense-on-unreduced-tensor.md").read_text(encoding="utf-8")
    assert by_code.returncode == by_symbol.returncode == 0
    assert by_code.stdout == by_symbol.stdout == page
    listing = run("explain")
    assert listing.returncode == 0 and "E5901  dense-on-unreduced-tensor" in listing.stdout
    assert len(listing.stdout.splitlines()) == len(KINDS) + 1  # and syntax-error
    syntax = run("explain", "E0001")
    assert syntax.returncode == 0 and syntax.stdout.startswith("# syntax-error (E0001)")
    unknown = run("explain", "dense-on-unreduced")
    assert unknown.returncode == 2
    assert "unknown rule 'dense-on-unreduced' (did you mean 'dense-on-unreduced-tensor'?)" in unknown.stderr


def test_explain_finds_the_pages_in_the_package():
    """The pages ship as package data (shapelint/_docs), so an installed
    shapelint explains itself."""
    from shapelint.cli import explain

    assert os.path.isfile(os.path.join(explain.DOCS_DIRS[0], "dense-on-unreduced-tensor.md"))
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"shapelint._docs" = ["*.md"]' in pyproject


def _on_a_terminal(*args, env=None):
    """Run with stdout on a pseudo-terminal; return what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "shapelint", "--no-cache", *map(str, args)], stdout=follower,
                            stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only(project):
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    base["TERM"] = "xterm"
    coloured = _on_a_terminal(project / "bad.py", env=base)
    assert "\x1b[1;31mE5901\x1b[0m" in coloured
    assert "\x1b[" not in _on_a_terminal(project / "bad.py", env={**base, "NO_COLOR": "1"})
    assert "\x1b[" not in _on_a_terminal("--format", "json", project / "bad.py", env=base)
    assert "\x1b[" not in _on_a_terminal("--format", "sarif", project / "bad.py", env=base)
    piped = subprocess.run([sys.executable, "-m", "shapelint", str(project / "bad.py")], capture_output=True,
                           text=True, env=base, check=False)
    assert "\x1b[" not in piped.stdout
    forced = subprocess.run([sys.executable, "-m", "shapelint", str(project / "bad.py")], capture_output=True,
                            text=True, env={**base, "FORCE_COLOR": "1"}, check=False)
    assert "\x1b[1;31mE5901\x1b[0m" in forced.stdout
    forced_json = subprocess.run([sys.executable, "-m", "shapelint", "--format", "json", str(project / "bad.py")],
                                 capture_output=True, text=True, env={**base, "FORCE_COLOR": "1"}, check=False)
    assert "\x1b[" not in forced_json.stdout
    both = subprocess.run([sys.executable, "-m", "shapelint", str(project / "bad.py")], capture_output=True,
                          text=True, env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"}, check=False)
    assert "\x1b[" not in both.stdout


def test_inline_ignore_takes_codes_too(project):
    (project / "bad.py").write_text(BUGGY.replace('activation="sigmoid")(x)',
                                                  'activation="sigmoid")(x)  # shapelint: ignore[E5901]'))
    assert run("--no-cache", project / "bad.py").returncode == 0


def test_cache_folder_ignores_itself(project):
    cache = project / ".shapelint_cache"
    proc = run("bad.py", cwd=project)
    assert proc.returncode == 1
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    if subprocess.run(["git", "--version"], capture_output=True, check=False).returncode == 0:
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project,
                                capture_output=True, text=True, check=True).stdout
        assert ".shapelint_cache" not in status and "bad.py" in status
