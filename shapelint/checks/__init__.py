"""Checks read the propagated ShapeGraph and return findings."""
from __future__ import annotations

from typing import List

from shapelint.checks import cardinality, construction, dense_head, keras1, layer_errors, sequence_targets, training
from shapelint.findings import Finding
from shapelint.graph import ShapeGraph
from shapelint.messages import INPUT_DATA_MISMATCH, OUTPUT_TARGET_MISMATCH, SAMPLE_COUNT_MISMATCH

CHECKS = (layer_errors.check, dense_head.check, training.check, cardinality.check, construction.check,
          sequence_targets.check, keras1.check)


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
    # One finding per root cause: x whose axes are swapped or joined wrongly
    # misses the Input and, by the same mistake, y's sample count; the
    # input-data finding says how to fix both.
    misfit = {id(f.node) for f in findings if f.kind is INPUT_DATA_MISMATCH}
    findings = [f for f in findings if not (f.kind is SAMPLE_COUNT_MISMATCH and id(f.node) in misfit)]
    findings.sort(key=Finding.sort_key)
    return findings
