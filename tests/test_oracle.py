"""The oracle test: every fixture runs under real TensorFlow/Keras (one
process, tests/oracle_runner.py) and shapelint must agree with it.

* every layer shape (and parameter count) shapelint claims equals Keras';
* a bad fixture really raises under TensorFlow (``# keras: raises``) or
  really runs (``# keras: silent``), as its header says;
* a good fixture runs under TensorFlow.

That each fixture gets exactly the findings its ``# expect:`` markers name
(and a good fixture none) needs no TensorFlow: tests/test_fixture_findings.py.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fixture_markers import FIXTURES, ROOT, expectations, fixture_id
from shapelint.engine import analyze_source

# Both tests compare with TensorFlow, run in a subprocess (tests/oracle_runner.py).
pytestmark = pytest.mark.keras


@pytest.fixture(scope="session")
def oracle(tmp_path_factory):
    out = tmp_path_factory.mktemp("oracle") / "oracle.json"
    cmd = [sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out)] + [str(p) for p in FIXTURES]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3000, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out, encoding="utf-8") as handle:
        return json.load(handle)


def _matches(ours, theirs) -> bool:
    """Our shape agrees with Keras' where we claim a size; ``None`` (unknown)
    claims nothing for that axis, but the rank must agree."""
    if ours is None:
        return True
    if theirs is None or len(ours) != len(theirs):
        return False
    return all(o is None or isinstance(o, str) or o == t for o, t in zip(ours, theirs))


# Printed at the end of the run by tests/conftest.py.
STATS = {"layers": 0, "fully_known": 0, "exact": 0, "fixtures": 0}


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_fixture_agrees_with_keras(path, oracle):
    source = path.read_text(encoding="utf-8")
    result = analyze_source(source, str(path))
    run = oracle[str(path)]
    expected, behaviour = expectations(source)
    bad = bool(expected)
    STATS["fixtures"] += 1

    # 1. Shapes and params against Keras, for every layer we claim.
    by_key = {}
    for rec in run["layers"]:
        by_key.setdefault((rec["line"], rec["col"], rec["class"]), []).append(rec)
    for layer in result.layers:
        js = layer.to_json()
        if js["output_shape"] is None:
            continue
        recs = by_key.get((js["line"], js["col"], js["layer"]))
        if not recs:
            # Keras never built it (it raised earlier): nothing to compare.
            assert run["error"] is not None, f"line {js['line']}: Keras saw no {js['layer']} here"
            continue
        assert any(_matches(js["output_shape"], r["output_shapes"][0]) for r in recs), (
            f"line {js['line']} {js['layer']}: shapelint {js['output_shape']} vs Keras "
            f"{[r['output_shapes'][0] for r in recs]}"
        )
        if js["exact"]:  # its None dims are claims too (the batch axis aside)
            assert any(js["output_shape"][1:] == r["output_shapes"][0][1:] for r in recs), (
                f"line {js['line']} {js['layer']}: shapelint claims exactly {js['output_shape']}, "
                f"Keras {[r['output_shapes'][0] for r in recs]}"
            )
            STATS["exact"] += 1
        if js["params"] is not None:
            assert any(js["params"] == r["params"] for r in recs), (
                f"line {js['line']} {js['layer']}: params {js['params']} vs Keras {[r['params'] for r in recs]}"
            )
        STATS["layers"] += 1
        if all(isinstance(d, int) for d in js["output_shape"][1:]):
            STATS["fully_known"] += 1

    # 2. What TensorFlow did.
    if not bad or behaviour in ("ok", "silent"):
        assert run["error"] is None, f"TensorFlow raised: {run['error']}"
    if behaviour == "raises":
        assert run["error"] is not None, "the fixture says Keras raises, but it ran"


def test_every_good_layer_shape_known(oracle):
    """On good fixtures, every layer the program applies has a fully known
    shape from shapelint at the same place, equal to Keras' (the batch axis
    aside: Keras' fit traces record the real batch size).  Keras' own inner
    layers (an LSTMCell, the projections inside MultiHeadAttention) are
    recorded at their parent's position under another class name; they are
    not applications in the program and are skipped.

    A line marked ``# unknown-to-shapelint: <why>`` (what the code does not
    show, such as a vocabulary learned by ``adapt()``) is counted apart: it
    must be unknown-or-agreeing, as everywhere, but need not be known."""
    missing = []
    total = excused = 0
    for path in FIXTURES:
        source = path.read_text(encoding="utf-8")
        if expectations(source)[0]:
            continue
        result = analyze_source(source, str(path))
        ours = {}  # (line, col) -> class -> every shape claimed there (loops)
        for layer in result.layers:
            ours.setdefault((layer.line, layer.col), {}).setdefault(layer.layer, []).append(
                layer.to_json()["output_shape"])
        unknown_lines = {n for n, line in enumerate(source.splitlines(), 1)
                         if "# unknown-to-shapelint:" in line}
        seen = set()
        for rec in oracle[str(path)]["layers"]:
            at = ours.get((rec["line"], rec["col"]), {})
            if at and rec["class"] not in at:
                continue  # an inner layer of the one applied here
            key = (rec["line"], rec["col"], rec["class"], tuple(rec["output_shapes"][0][1:]))
            if key in seen:
                continue
            seen.add(key)
            total += 1
            claimed = at.get(rec["class"], [])
            if rec["line"] in unknown_lines:
                excused += 1
                continue
            if not any(s is not None and s[1:] == rec["output_shapes"][0][1:] for s in claimed):
                missing.append(f"{path.name}:{rec['line']} {rec['class']} ours={claimed} keras={rec['output_shapes'][0]}")
    STATS["good_layers_known"] = total - len(missing) - excused
    STATS["good_layers_excused"] = excused
    assert not missing, "\n".join(missing)


def test_good_model_totals_match_keras(oracle):
    """``--shapes``' "Total params" of every model of a good fixture equals
    Keras' ``count_params()`` of the model constructed on the same line,
    wherever shapelint knows every layer's params (ops on the way, such as
    ``keras.ops.relu(x)``, must not cut the layers before them off)."""
    from shapelint.reporters.summary import model_total  # pylint: disable=import-outside-toplevel

    wrong, compared = [], 0
    for path in FIXTURES:
        source = path.read_text(encoding="utf-8")
        if expectations(source)[0]:
            continue
        graph = analyze_source(source, str(path)).graph
        keras_models = oracle[str(path)].get("models", [])
        for model in graph.models if graph is not None else []:
            total, known = model_total(graph, model)
            theirs = [m["params"] for m in keras_models
                      if m["line"] == getattr(model.node, "lineno", None) and m["params"] is not None]
            if not known or not theirs:
                continue
            compared += 1
            if total not in theirs:
                wrong.append(f"{path.name}:{model.node.lineno} shapelint {total:,} vs Keras {theirs}")
    STATS["good_model_totals"] = compared
    assert not wrong, "\n".join(wrong)
