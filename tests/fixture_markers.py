"""The markers of the fixtures (``fixtures/{bad,good}/*.py``), read by the
tests that check them: tests/test_fixture_findings.py (shapelint's findings,
no TensorFlow) and tests/test_oracle.py (what TensorFlow does).

* ``# expect: <symbol>[, <symbol>...]`` at the end of a line: shapelint
  reports exactly these findings on that line.  A fixture with no marker is
  a good one: no finding at all.
* ``# keras: raises|silent|ok`` (a header line): whether running the fixture
  under TensorFlow raises (the bug is a build-time error), runs without
  complaint (a silent bug) or runs (``ok``, the default).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
# Single-file fixtures; fixtures/projects/ holds multi-module projects,
# checked by tests/test_project.py.
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.py") if "projects" not in p.relative_to(ROOT / "fixtures").parts)
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")
KERAS = re.compile(r"^#\s*keras:\s*(raises|silent|ok)\b", re.M)


def fixture_id(path: Path) -> str:
    """The test id of a fixture: its path under fixtures/."""
    return str(path.relative_to(ROOT / "fixtures"))


def expected_findings(source: str) -> Dict[int, Set[str]]:
    """line -> the finding symbols its ``# expect:`` marker names."""
    expected = {}
    for lineno, line in enumerate(source.splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            expected[lineno] = {s.strip() for s in match.group(1).split(",")}
    return expected


def keras_behaviour(source: str) -> str:
    """What TensorFlow does with the fixture: ``raises``, ``silent`` or ``ok``."""
    header = KERAS.search(source)
    return header.group(1) if header else "ok"


def expectations(source: str) -> Tuple[Dict[int, Set[str]], str]:
    """(expected findings, TensorFlow behaviour) of a fixture's source."""
    return expected_findings(source), keras_behaviour(source)
