"""Checks read the propagated ShapeGraph and return findings."""
from __future__ import annotations

from typing import List

from shapelint.checks import dense_head, keras1, layer_errors, training
from shapelint.findings import Finding
from shapelint.graph import ShapeGraph

CHECKS = (layer_errors.check, dense_head.check, training.check, keras1.check)


def run_checks(graph: ShapeGraph) -> List[Finding]:
    findings: List[Finding] = []
    seen = set()
    for check in CHECKS:
        for finding in check(graph):
            key = (finding.symbol, finding.line, finding.col, finding.end_line, finding.end_col)
            if key in seen:
                continue  # the same call reached twice (a helper called twice)
            seen.add(key)
            findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings
