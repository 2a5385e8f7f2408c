"""Results serialise with their own types (Finding, LayerRecord, FileResult
.to_json/.from_json): the JSON reporter prints that form, the cache stores
it, and the two agree."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from shapelint.cache import ResultCache
from shapelint.engine import FileResult, LayerRecord, analyze_source
from shapelint.findings import Finding
from shapelint.reporters import json_out
from shapelint.shapes import dims

ROOT = Path(__file__).resolve().parent.parent
FINDING_KEYS = ["line", "col", "end_line", "end_col", "symbol", "msg_id", "message", "suggestions", "fix"]
LAYER_KEYS = ["line", "col", "layer", "input_shapes", "output_shape", "params", "exact"]


def _result(rel: str) -> FileResult:
    return analyze_source((ROOT / rel).read_text(encoding="utf-8"), rel)


def test_the_contract_keys():
    result = _result("docs/messages/input-length-differs/bad.py")
    data = result.to_json()
    assert list(data) == ["path", "layers", "findings"] and data["path"] == result.path
    assert data["layers"] and all(list(layer) == LAYER_KEYS for layer in data["layers"])
    assert data["findings"] and all(list(f) == FINDING_KEYS for f in data["findings"])
    assert json_out.document([result]) == {"files": [data]}
    assert all(list(f) == FINDING_KEYS + ["confidence"] for f in result.to_json(confidence=True)["findings"])


def test_round_trip_keeps_kinds_and_confidence():
    for rel in ("docs/messages/input-length-differs/bad.py", "fixtures/bad/einsum_dense_shared_axis_mismatch.py"):
        result = _result(rel)
        data = json.loads(json.dumps(result.to_json(confidence=True)))
        back = FileResult.from_json(data)
        assert back.to_json(confidence=True) == result.to_json(confidence=True)
        assert [f.kind for f in back.findings] == [f.kind for f in result.findings]
        assert all(a.kind is b.kind for a, b in zip(back.findings, result.findings))
        assert [f.confidence for f in back.findings] == [f.confidence for f in result.findings]
    assert "INFERENCE" in [f.confidence for f in _result("docs/messages/input-length-differs/bad.py").findings]


def test_a_symbolic_size_round_trips_as_its_text():
    n = dims.symbol("n_classes")
    record = LayerRecord(3, 4, "Dense", [(None, 8)], (None, n), None, False)
    data = record.to_json()
    assert data["output_shape"] == [None, "n_classes"]
    assert LayerRecord.from_json(data).to_json() == data


def test_a_finding_from_json_needs_a_known_symbol():
    data = _result("fixtures/bad/einsum_dense_shared_axis_mismatch.py").findings[0].to_json()
    assert Finding.from_json(data).symbol == "incompatible-input-shape"
    with pytest.raises(KeyError):
        Finding.from_json(dict(data, symbol="no-such-kind"))


def test_the_cache_gives_back_what_the_reporter_prints(tmp_path):
    rel = "docs/messages/input-length-differs/bad.py"
    source = (ROOT / rel).read_text(encoding="utf-8")
    result = analyze_source(source, rel)
    cache = ResultCache(str(tmp_path))
    cache.put(rel, source, result)
    hit = cache.get(rel, source)
    assert hit is not None and json_out.render([hit]) == json_out.render([result])
    assert [f.confidence for f in hit.findings] == [f.confidence for f in result.findings]
    (stored,) = tmp_path.rglob("*.json")
    stored.write_text('{"layers": [], "findings": [{"symbol": "no-such-kind"}]}', encoding="utf-8")
    assert cache.get(rel, source) is None  # damaged or foreign: analysed again


def test_the_cache_imports_no_reporter():
    tree = ast.parse((ROOT / "shapelint" / "cache.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(m and m.startswith("shapelint.reporters") for m in modules), modules
