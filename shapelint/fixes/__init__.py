"""Automatic fixes (``shapelint --fix``), as ruff splits them: a *safe* fix
keeps what the program means and is applied by ``--fix``; an *unsafe* one
changes the model (its weights, what it learns) or picks one of several
remedies, and is applied only with ``--unsafe-fixes`` too.

A fix is planned from the analysis alone (the ShapeGraph and the astroid
nodes) by one module per finding kind, and only when the analysis is
certain: known shapes, one layer call at the anchor (no loop, no helper
called twice, no uncertain branch), one way to spell the new name.  An
unknown is better than a wrong edit.  Planning imports no LibCST: the CLI
plans on every run to mark fixable findings (``[*]``, JSON ``"fix"``);
``apply.py`` (LibCST) makes the edits under ``--fix`` and ``runner.py``
re-analyses the result before it keeps a fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from shapelint.fixes.edits import Edit, anchor, edits_conflict

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class FixInfo:
    """What a finding says about its fix (text ``[*]``, JSON ``"fix"``)."""

    applicability: str  # SAFE | UNSAFE
    description: str

    def to_json(self) -> dict:
        return {"applicability": self.applicability, "description": self.description}

    @classmethod
    def from_json(cls, data: Any) -> Optional["FixInfo"]:
        if not isinstance(data, dict):
            return None
        return cls(data["applicability"], data["description"])

    def applies(self, unsafe: bool) -> bool:
        return self.applicability == SAFE or unsafe


@dataclass(frozen=True)
class Fix:
    """One planned fix: the edits, and the findings they resolve."""

    info: FixInfo
    edits: Tuple[Edit, ...]
    findings: Tuple[Any, ...]  # Finding objects of the analysed result


def _planners():
    # pylint: disable=import-outside-toplevel
    from shapelint.fixes import channel_axis, global_pool, loss_encoding

    return {
        "dense-on-unreduced-tensor": global_pool.plan,
        "label-encoding-mismatch": loss_encoding.plan,
        "input-data-mismatch": channel_axis.plan,
    }


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def plan(result, source: str, cells: Optional[Sequence[Tuple[int, int]]] = None) -> List[Fix]:
    """The fixes for a result's findings.  ``cells``: (first line, line
    count) of each notebook cell; an edit must lie within one cell.

    Findings whose planned edits are the same share one fix (a Dense chain,
    fit and evaluate given the same labels); fixes whose edits overlap
    differently are all dropped (several candidate anchors)."""
    graph = getattr(result, "graph", None)
    if graph is None or not result.findings:
        return []
    planners = _planners()
    lines = _LINE_BREAK.split(source)
    planned: Dict[Tuple[Edit, ...], List[Any]] = {}
    infos: Dict[Tuple[Edit, ...], FixInfo] = {}
    for finding in result.findings:
        planner = planners.get(finding.symbol)
        if planner is None or finding.node is None:
            continue
        try:
            proposal = planner(graph, finding, lines)
        except Exception:  # pylint: disable=broad-except
            proposal = None  # a planner's slip costs a fix, never the lint
        if proposal is None:
            continue
        info, edits = proposal
        if cells is not None and not all(_in_one_cell(anchor(e), cells) for e in edits):
            continue
        planned.setdefault(edits, []).append(finding)
        infos.setdefault(edits, info)
    keys = list(planned)
    clashing = {i for i, a in enumerate(keys) for j, b in enumerate(keys) if i != j and edits_conflict(a, b)}
    return [Fix(infos[k], k, tuple(planned[k])) for i, k in enumerate(keys) if i not in clashing]


def _in_one_cell(span, cells: Sequence[Tuple[int, int]]) -> bool:
    return any(first <= span.line and span.end_line < first + count for first, count in cells)


def annotate(result, source: str, cells: Optional[Sequence[Tuple[int, int]]] = None) -> None:
    """Mark each finding that has a fix (``finding.fix``)."""
    for fix in plan(result, source, cells):
        for finding in fix.findings:
            finding.fix = fix.info


def fix_counts(findings: Iterable[Any], unsafe: bool) -> Tuple[int, int]:
    """(fixable under the current settings, hidden unsafe fixes)."""
    fixable = hidden = 0
    for finding in findings:
        info = getattr(finding, "fix", None)
        if info is None:
            continue
        if info.applies(unsafe):
            fixable += 1
        else:
            hidden += 1
    return fixable, hidden
