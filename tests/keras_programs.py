"""Shared by the tests that run small programs under Keras: write each
program out (as shapelint reads it, and with lines appended that only the
Keras run gets, so every position stays the same), run them all in one
oracle_runner process, and compare shapelint's exact claims with what Keras
applies at each (line, col, class)."""
from __future__ import annotations

import collections
import json
import subprocess
import sys
import textwrap

import pytest

from fixture_markers import ROOT
from shapelint.engine import analyze_source


def run_programs(folder, programs):
    """``programs``: name -> (text, appended lines).  Returns (paths, oracle
    record per name)."""
    paths, runs = {}, {}
    for name, (text, calls) in programs.items():
        program = textwrap.dedent(text).lstrip("\n")
        path = folder / f"{name}.py"
        path.write_text(program, encoding="utf-8")
        run = folder / f"{name}_run.py"
        run.write_text(program + calls, encoding="utf-8")
        paths[name], runs[name] = str(path), str(run)
    out = folder / "oracle.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out)]
                          + list(runs.values()), capture_output=True, text=True, timeout=1200, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    oracle = json.loads(out.read_text(encoding="utf-8"))
    return paths, {name: oracle[run] for name, run in runs.items()}


def programs_fixture(programs, folder):
    """The module's ``programs`` fixture: ``programs`` written out and run
    under Keras once per test module; it gives (paths, oracle record) per
    name, as ``run_programs`` does."""

    @pytest.fixture(scope="module", name="programs")
    def fixture(tmp_path_factory):
        return run_programs(tmp_path_factory.mktemp(folder), programs)

    return fixture


def claims_test(texts, known):
    """The module's test that each program's exact claims are Keras' (see
    ``check_claims``), one case per program of ``texts``."""

    @pytest.mark.parametrize("name", sorted(texts))
    def test(name, programs):
        paths, oracle = programs
        check_claims(name, paths[name], oracle[name], known)

    return test


def check_claims(name, path, run, known, unrecorded=()):
    """No finding; every exact claim one Keras makes there (no more often
    than Keras applies it); each (line, class) of ``known`` in this program
    known and exact at every application.  ``unrecorded``: (line, class) of
    applications the oracle does not record (a model Keras applies inside a
    Sequential), whose claims the caller checks otherwise.  Returns
    shapelint's rows."""
    assert run["error"] is None, run["error"]
    keras_shapes = collections.Counter(
        (r["line"], r["col"], r["class"], tuple(r["output_shapes"][0])) for r in run["layers"])
    with open(path, encoding="utf-8") as handle:
        result = analyze_source(handle.read(), path)
    assert not result.findings, [f.message for f in result.findings]
    claimed = collections.Counter()
    by_site = collections.defaultdict(list)
    rows = [layer.to_json() for layer in result.layers]
    for js in rows:
        by_site[(js["line"], js["layer"])].append(js)
        if js["exact"] and js["output_shape"] is not None and (js["line"], js["layer"]) not in unrecorded:
            claimed[(js["line"], js["col"], js["layer"], tuple(js["output_shape"]))] += 1
    wrong = {claim: count for claim, count in claimed.items() if count > keras_shapes[claim]}
    assert not wrong, f"{name}: claims Keras does not make (line, col, class, shape): {wrong}"
    for program, line, cls in known:
        if program == name:
            got = by_site.get((line, cls))
            assert got and all(j["exact"] and j["output_shape"] is not None for j in got), (
                f"{name}:{line} {cls}: {got}")
    return rows
