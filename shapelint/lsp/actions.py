"""Code actions: the fixes of ``shapelint --fix`` as workspace edits.

Each fixable finding under the cursor gets a quick fix made exactly as
``--fix`` makes it (``fixes.runner.fix_file``: planned from the analysis,
applied with LibCST, re-analysed and kept only if the finding is gone and
nothing got worse), on the buffer's text.  A safe fix is the preferred
action; an unsafe one (it changes the model) says so in its title.  A
``source.fixAll.shapelint`` action applies every safe fix of the document.
The edits replace the lines that changed (a notebook's: in each cell that
changed)."""
from __future__ import annotations

import difflib
import json
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from lsprotocol import types

from shapelint.findings import Finding
from shapelint.lsp import convert
from shapelint.lsp.analysis import Analysis
from shapelint.lsp.positions import UTF16, line_end, lines_with_ends

FIX_ALL = "source.fixAll.shapelint"


def _line_position(lines: List[str], index: int, encoding: str) -> types.Position:
    """The position where old line ``index`` starts (or the end of the text)."""
    if index > 0 and index == len(lines) and not lines[-1].endswith(("\n", "\r")):
        return types.Position(index - 1, line_end(lines[-1], encoding))
    return types.Position(index, 0)


def text_edits(old: str, new: str, encoding: str = UTF16) -> List[types.TextEdit]:
    """Edits that turn ``old`` into ``new``: each run of changed lines
    replaced whole (none when the texts are equal)."""
    if old == new:
        return []
    before, after = lines_with_ends(old), lines_with_ends(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        span = types.Range(_line_position(before, i1, encoding), _line_position(before, i2, encoding))
        edits.append(types.TextEdit(range=span, new_text="".join(after[j1:j2])))
    return edits


def _notebook_json(analysis: Analysis) -> str:
    """The open notebook as an nbformat 4 file, for ``fix_file``."""
    cells = []
    for cell in analysis.cells:
        if cell.code:
            cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                          "source": cell.source})
        else:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": cell.source})
    return json.dumps({"cells": cells, "metadata": {"language_info": {"name": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _cell_sources(text: str) -> List[str]:
    sources = []
    for cell in json.loads(text)["cells"]:
        source = cell.get("source", "")
        sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def fixed_documents(analysis: Analysis, unsafe: bool,
                    keep: Callable[[Finding, List[str]], bool]) -> Tuple[Dict[str, str], List[str]]:
    """({document URI: its fixed text}, why fixes failed) for the fixes
    ``keep`` selects, made as ``--fix`` makes them."""
    from shapelint.fixes.runner import fix_file  # pylint: disable=import-outside-toplevel

    notebook = analysis.notebook is not None
    text = _notebook_json(analysis) if notebook else analysis.program
    outcome = fix_file(text, analysis.path, notebook=notebook, unsafe=unsafe, keep=keep)
    failed = [f"fix not applied ({fix.info.description}): {why}" for fix, why in outcome.failed]
    if not outcome.changed:
        return {}, failed
    if not notebook:
        return {analysis.key: outcome.text}, failed
    changed = {}
    for cell, source in zip(analysis.cells, _cell_sources(outcome.text)):
        if source != cell.source:
            changed[cell.uri] = source
    return changed, failed


def _originals(analysis: Analysis) -> Dict[str, str]:
    if analysis.notebook is None:
        return {analysis.key: analysis.program}
    return {cell.uri: cell.source for cell in analysis.cells}


def workspace_edit(analysis: Analysis, fixed: Dict[str, str], encoding: str = UTF16) -> types.WorkspaceEdit:
    originals = _originals(analysis)
    return types.WorkspaceEdit(changes={uri: text_edits(originals[uri], text, encoding)
                                        for uri, text in fixed.items()})


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Ranges on a common line (a cursor anywhere on the finding's lines)."""
    return a.start.line <= b.end.line and b.start.line <= a.end.line


def _wanted(only: Optional[Sequence[str]], kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


class FixCache:  # pylint: disable=too-few-public-methods
    """Fixes already made for an analysis (the client asks again as the cursor moves)."""

    def __init__(self) -> None:
        self.made: Dict[Tuple[str, str, tuple], Tuple[Dict[str, str], List[str]]] = {}

    def get(self, analysis: Analysis, key: tuple, make: Callable[[], Tuple[Dict[str, str], List[str]]]):
        if len(self.made) > 64:
            self.made.clear()
        slot = (analysis.key, analysis.program, key)
        if slot not in self.made:
            self.made[slot] = make()
        return self.made[slot]


def code_actions(analysis: Analysis, uri: str, window: types.Range, only: Optional[Sequence[str]],
                 cache: FixCache, log: Callable[[str], None], encoding: str = UTF16) -> List[types.CodeAction]:
    actions: List[types.CodeAction] = []
    fixable = [f for f in analysis.result.findings if f.fix is not None]
    reported = {(f.symbol, f.line, f.col) for f in analysis.result.findings}  # selected, not silenced
    if _wanted(only, types.CodeActionKind.QuickFix.value):
        for finding in fixable:
            made = convert.diagnostic(analysis, finding, encoding)
            if made is None or made[0] != uri or not _overlaps(made[1].range, window):
                continue
            target = (finding.symbol, finding.line, finding.col)
            fixed, failed = cache.get(analysis, target, lambda t=target: fixed_documents(
                analysis, True, lambda f, lines: (f.symbol, f.line, f.col) == t))
            for why in failed:
                log(why)
            if not fixed:
                continue
            safe = finding.fix.applicability == "safe"
            title = f"shapelint: {finding.fix.description}" + ("" if safe else " (unsafe fix: changes the model)")
            actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[made[1]], is_preferred=safe,
                                            edit=workspace_edit(analysis, fixed, encoding)))
    safe_ones = [f for f in fixable if f.fix.applicability == "safe"]
    if safe_ones and only and _wanted(only, FIX_ALL):
        fixed, failed = cache.get(analysis, ("all",), lambda: fixed_documents(
            analysis, False, lambda f, lines: (f.symbol, f.line, f.col) in reported))
        if fixed:
            actions.append(types.CodeAction(title="shapelint: apply every safe fix", kind=FIX_ALL,
                                            edit=workspace_edit(analysis, fixed, encoding)))
    return actions
