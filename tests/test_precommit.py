"""The pre-commit hook, through the real ``pre-commit try-repo``: it fails
on a buggy Keras file and passes on a clean one."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUGGY = (ROOT / "tests" / "test_cli.py").read_text().split('BUGGY = """\\\n')[1].split('"""')[0]


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (the test extra installs it)")
    work = tmp_path_factory.mktemp("precommit")
    (work / "bad.py").write_text(BUGGY)
    clean = BUGGY.replace('score = Dense(1, activation="sigmoid")(x)',
                          'score = Dense(1, activation="sigmoid")(Flatten()(x))').replace(
        "import Conv2D,", "import Conv2D, Flatten,")
    (work / "good.py").write_text(clean)
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-qm", "init", cwd=work)
    return work


def _try_repo(project, filename):
    env = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pc-home")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "shapelint", "--files", filename],
        cwd=project, capture_output=True, text=True, env=env, timeout=900, check=False,
    )


def test_hook_fails_on_buggy_file(project):
    proc = _try_repo(project, "bad.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "dense-on-unreduced-tensor" in proc.stdout


def test_hook_passes_on_clean_file(project):
    proc = _try_repo(project, "good.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
