"""Every fixture gets exactly the findings its ``# expect: <symbol>`` markers
name: those symbols on those lines and nothing else; a good fixture gets no
finding at all.

Pure shapelint, no TensorFlow or Keras: these checks run wherever shapelint
runs.  What TensorFlow itself does with the fixtures (the shapes, the
parameter counts, whether it raises) is tests/test_oracle.py's part.
"""
from __future__ import annotations

import pytest

from fixture_markers import FIXTURES, ROOT, expected_findings, fixture_id, keras_behaviour
from shapelint.engine import analyze_source

# Printed at the end of the run by tests/conftest.py.
STATS = {"fixtures": 0, "expected": 0, "found": 0}


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_findings_are_the_expected_ones(path):
    source = path.read_text(encoding="utf-8")
    expected = expected_findings(source)
    found = {}
    for finding in analyze_source(source, str(path)).findings:
        found.setdefault(finding.line, set()).add(finding.symbol)
    STATS["fixtures"] += 1
    STATS["expected"] += sum(len(symbols) for symbols in expected.values())
    STATS["found"] += sum(len(expected[line] & found.get(line, set())) for line in expected)
    assert found == expected, f"findings {found} != expected {expected}"


def test_markers_match_the_directory():
    """A fixture under bad/ says what it expects (at least one ``# expect:``
    marker and a ``# keras: raises|silent`` header); one under good/ has
    neither.  Without this, a bad fixture that lost its marker would pass as
    a good one as soon as shapelint stopped reporting it."""
    bad = [p for p in FIXTURES if p.parent.name == "bad"]
    good = [p for p in FIXTURES if p.parent.name == "good"]
    assert bad and good and len(bad) + len(good) == len(FIXTURES), (
        [str(p.relative_to(ROOT)) for p in FIXTURES if p.parent.name not in ("bad", "good")])
    wrong = []
    for path in bad:
        source = path.read_text(encoding="utf-8")
        if not expected_findings(source):
            wrong.append(f"{fixture_id(path)}: no '# expect:' marker")
        if keras_behaviour(source) not in ("raises", "silent"):
            wrong.append(f"{fixture_id(path)}: no '# keras: raises|silent' header")
    for path in good:
        source = path.read_text(encoding="utf-8")
        if expected_findings(source):
            wrong.append(f"{fixture_id(path)}: an '# expect:' marker in a good fixture")
        if keras_behaviour(source) != "ok":
            wrong.append(f"{fixture_id(path)}: a '# keras:' header in a good fixture")
    assert not wrong, "\n".join(wrong)
