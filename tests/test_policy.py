"""The reporting policy lives in the checks (checks/policy.py): the front end
records every layer error and where it met the call; whether the error is
reported is decided once, for every check that reads ``call.error``."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shapelint.checks import layer_errors
from shapelint.checks.policy import reported_error
from shapelint.graph import LayerCall, ShapeGraph
from shapelint.messages import INCOMPATIBLE_INPUT_RANK, UNDEFINED_FEATURE_DIMENSION
from shapelint.shapes.registry import LayerConfig, ShapeError

CHECKS = Path(__file__).resolve().parent.parent / "shapelint" / "checks"


def _call(kind, uncertain=False, uncalled=False) -> LayerCall:
    error = None if kind is None else ShapeError(kind, "message", "fix")
    return LayerCall(index=-1, layer_id=0, config=LayerConfig("Dense", {"units": 2}), node=None,
                     input_shapes=[(None, 3)], output_shapes=[None], params=None, error=error,
                     in_uncertain_branch=uncertain, in_uncalled_function=uncalled)


@pytest.mark.parametrize("kind, uncertain, uncalled, reported", [
    (None, False, False, False),
    (INCOMPATIBLE_INPUT_RANK, False, False, True),
    (INCOMPATIBLE_INPUT_RANK, True, False, False),  # the branch may never run
    (INCOMPATIBLE_INPUT_RANK, False, True, True),  # holds whatever the callers pass
    (UNDEFINED_FEATURE_DIMENSION, False, False, True),
    (UNDEFINED_FEATURE_DIMENSION, False, True, False),  # a None default the callers may override
    (UNDEFINED_FEATURE_DIMENSION, True, True, False),
])
def test_reported_error(kind, uncertain, uncalled, reported):
    call = _call(kind, uncertain, uncalled)
    assert reported_error(call) is (call.error if reported else None)


def test_layer_errors_reports_by_the_policy():
    graph = ShapeGraph()
    for call in (_call(INCOMPATIBLE_INPUT_RANK), _call(INCOMPATIBLE_INPUT_RANK, uncertain=True),
                 _call(UNDEFINED_FEATURE_DIMENSION, uncalled=True)):
        graph.add_call(call, [])
    assert [f.kind for f in layer_errors.check(graph)] == [INCOMPATIBLE_INPUT_RANK]


def test_no_check_reads_call_error_around_the_policy():
    for path in sorted(CHECKS.glob("*.py")):
        if path.name == "policy.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reads = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "error"]
        assert not reads, f"{path.name}:{reads} reads .error: use checks.policy.reported_error(call)"
