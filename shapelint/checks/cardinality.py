"""x and y of one fit/evaluate call hold the same number of samples.

Keras 3 (``trainers/data_adapters/data_adapter_utils.check_data_cardinality``)
collects the first-axis length of every array in ``(x, y, sample_weight)``
and raises "Data cardinality is ambiguous" when they are not all equal.
"""
from __future__ import annotations

from typing import Iterator, List, Optional

from shapelint.findings import Finding
from shapelint.graph import DataInfo, ShapeGraph, TrainingCall
from shapelint.messages import SAMPLE_COUNT_MISMATCH
from shapelint.shapes import dims


def _counts(datas: Optional[List[Optional[DataInfo]]], expected: int) -> List[Optional[int]]:
    """The sample count of each array, None where unknown; [] when the data
    does not line up with the model's inputs/outputs (then it is not read)."""
    if not datas or len(datas) != expected:
        return []
    out: List[Optional[int]] = []
    for data in datas:
        first = data.shape[0] if data is not None and data.shape else None
        out.append(first if dims.is_int(first) and isinstance(first, int) else None)
    return out


def _sizes(counts: List[Optional[int]]) -> str:
    return ", ".join("?" if c is None else str(c) for c in counts)


def _finding(tc: TrainingCall, xs: List[Optional[int]], ys: List[Optional[int]]) -> Optional[Finding]:
    known = {c for c in xs + ys if c is not None}
    if len(known) < 2:
        return None
    what = f"{tc.method}() gets x with {_sizes(xs)} samples" + (f" and y with {_sizes(ys)}" if ys else "")
    smallest = min(known)
    return Finding.at(
        tc.node, SAMPLE_COUNT_MISMATCH,
        f"{what}: Keras raises at {tc.method} (\"Data cardinality is ambiguous. Make sure all arrays "
        f"contain the same number of samples.\")",
        ["give every array the same samples, e.g. the same train/test split for x and y "
         f"(or cut them to the same length: [:{smallest}])"])


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for tc in graph.trainings:
        if tc.from_dataset:
            continue
        xs = _counts(tc.x, len(tc.record.inputs))
        ys = _counts(tc.y, len(tc.record.outputs)) if tc.y is not None else []
        finding = _finding(tc, xs, ys)
        if finding is not None:
            yield finding


