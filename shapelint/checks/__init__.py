"""Checks read the propagated ShapeGraph and return findings."""
from __future__ import annotations

from typing import List

from shapelint.checks import cardinality, construction, dense_head, layer_errors, sequence_targets, training
from shapelint.findings import Finding
from shapelint.graph import ShapeGraph
from shapelint.messages import OUTPUT_TARGET_MISMATCH

CHECKS = (layer_errors.check, dense_head.check, training.check, cardinality.check, construction.check,
          sequence_targets.check)


def run_checks(graph: ShapeGraph) -> List[Finding]:
    findings: List[Finding] = []
    seen = set()
    # One finding per root cause: a recurrent layer that drops the time axis
    # explains the output-vs-target mismatch found at the layers after it.
    explained = sequence_targets.superseded(graph)
    for check in CHECKS:
        for finding in check(graph):
            if (finding.kind is OUTPUT_TARGET_MISMATCH and check is not sequence_targets.check
                    and id(finding.node) in explained):
                continue
            key = (finding.symbol, finding.line, finding.col, finding.end_line, finding.end_col)
            if key in seen:
                continue  # the same call reached twice (a helper called twice)
            seen.add(key)
            findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings
