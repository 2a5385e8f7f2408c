"""Findings as LSP diagnostics: the finding's exact span (in the client's
position encoding), its symbol as the code with the rule's page as the code
description, E-codes as errors and W-codes as warnings, and the fixes the
CLI prints as detail lines."""
from __future__ import annotations

from typing import Dict, List

from lsprotocol import types

from shapelint.findings import Finding
from shapelint.lsp.analysis import Analysis, Part
from shapelint.lsp.positions import UTF16, from_byte_column, line_end

SOURCE = "shapelint"


def position(part: Part, line: int, byte_col: int, encoding: str = UTF16) -> types.Position:
    """The LSP position of 0-based ``line`` of ``part`` and an astroid column."""
    if not part.lines:
        return types.Position(0, 0)
    line = min(max(line, 0), len(part.lines) - 1)
    return types.Position(line, from_byte_column(part.lines[line], byte_col, encoding))


def severity(finding: Finding) -> types.DiagnosticSeverity:
    return types.DiagnosticSeverity.Warning if finding.msg_id.startswith("W") else types.DiagnosticSeverity.Error


def message(finding: Finding) -> str:
    lines = [finding.message] + [f"fix: {s}" for s in finding.suggestions]
    return "\n".join(lines)


def diagnostic(analysis: Analysis, finding: Finding, encoding: str = UTF16):
    """(document URI, Diagnostic) of a finding, or None when its line is in
    no document (a notebook line that is in no cell)."""
    start = analysis.locate(finding.line)
    if start is None:
        return None
    part, line = start
    end_line = line + max(finding.end_line - finding.line, 0)
    if end_line >= len(part.lines):  # a span across cells ends with its first cell
        end_line = len(part.lines) - 1
        end = types.Position(end_line, line_end(part.lines[end_line], encoding))
    else:
        end = position(part, end_line, finding.end_col, encoding)
    begin = position(part, line, finding.col, encoding)
    if (end.line, end.character) < (begin.line, begin.character):
        end = begin
    data = {"symbol": finding.symbol, "line": finding.line, "col": finding.col}
    if finding.fix is not None:
        data["fix"] = finding.fix.to_json()
    kind = finding.kind
    href = None if kind.symbol == "syntax-error" else kind.docs_url
    return part.uri, types.Diagnostic(
        range=types.Range(begin, end),
        message=message(finding),
        severity=severity(finding),
        code=kind.symbol,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data=data,
    )


def diagnostics(analysis: Analysis, encoding: str = UTF16) -> Dict[str, List[types.Diagnostic]]:
    """The diagnostics of every document of the analysis (an empty list for
    a document without findings, so the client clears old ones)."""
    out: Dict[str, List[types.Diagnostic]] = {part.uri: [] for part in analysis.parts}
    for finding in analysis.result.findings:
        made = diagnostic(analysis, finding, encoding)
        if made is not None:
            uri, diag = made
            out.setdefault(uri, []).append(diag)
    return out
