"""``--fix`` for one file: plan, edit, re-analyse, keep only what is proven.

As ruff does, fixes are made one after the other, each on the file as the
previous ones left it, and the file is analysed again after each.  A fix is
kept only when that analysis shows it did what it was for: the file still
parses and is analysed without an internal error, the findings it fixes are
gone, no rule reports more than before (nor any layer lost its shape).
Otherwise it is undone and named; the next fix is tried.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

from shapelint.engine import FileResult, analyze_source
from shapelint.fixes import Fix, plan
from shapelint.fixes.apply import EditError, apply_edits

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAX_FIXES = 100

# keep(finding, program lines): the finding is selected and not silenced
Keep = Callable[[object, List[str]], bool]


@dataclass
class FileFix:
    text: str                  # the file's text after the fixes (the input when none was made)
    fixed: int = 0             # findings that went away
    applied: List[Fix] = field(default_factory=list)
    failed: List[Tuple[Fix, str]] = field(default_factory=list)  # (fix, why it was not made)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass
class _State:
    text: str
    program: str
    cells: Optional[List[Tuple[int, int]]]
    result: FileResult
    kept: List[object]


def _analyse(text: str, path: str, notebook: bool, keep: Keep) -> _State:
    cells = None
    if notebook:
        from shapelint.notebook import read_notebook  # pylint: disable=import-outside-toplevel

        parsed = read_notebook(text)
        program = parsed.program
        cells = [(c.first_line, c.line_count) for c in parsed.cells]
    else:
        program = text
    result = analyze_source(program, path)
    lines = _LINE_BREAK.split(program)
    return _State(text, program, cells, result, [f for f in result.findings if keep(f, lines)])


def _unknown_layers(result: FileResult) -> int:
    return sum(1 for layer in result.layers if layer.output_shape is None)


def _verify(before: _State, after: _State, fix: Fix) -> Optional[str]:
    """Why the fixed file is not what the fix promised, or None."""
    if after.result.notes:
        return "the fixed file could not be analysed"
    if any(f.symbol == "syntax-error" for f in after.result.findings):
        return "the fixed file does not parse"
    old = Counter(f.symbol for f in before.result.findings)
    new = Counter(f.symbol for f in after.result.findings)
    fixed = Counter(f.symbol for f in fix.findings)
    for symbol in set(old) | set(new):
        if new[symbol] > old[symbol] - fixed[symbol]:
            return f"{symbol} still reported after the fix" if fixed[symbol] else \
                f"the fix would add a {symbol} finding"
    if _unknown_layers(after.result) > _unknown_layers(before.result):
        return "after the fix shapelint could not tell a layer's shape"
    return None


def _key(fix: Fix):
    return fix.info.description, tuple(sorted((f.symbol, f.message) for f in fix.findings))


def fix_file(text: str, path: str, *, notebook: bool, unsafe: bool, keep: Keep) -> FileFix:
    """Apply the fixes that apply (safe ones; unsafe ones too with ``unsafe``)
    to a Python file's text or a notebook's JSON text."""
    if notebook:
        from shapelint.fixes.notebook_edit import apply_to_notebook as edit  # pylint: disable=import-outside-toplevel
    else:
        edit = apply_edits
    state = _analyse(text, path, notebook, keep)
    outcome = FileFix(text)
    tried = set()
    for _ in range(_MAX_FIXES):
        view = FileResult(path, state.result.layers, state.kept, state.result.graph)
        fixes = [f for f in plan(view, state.program, state.cells)
                 if f.info.applies(unsafe) and _key(f) not in tried]
        if not fixes:
            break
        fix = fixes[0]
        tried.add(_key(fix))
        try:
            new_text = edit(state.text, fix.edits)
        except EditError as exc:
            outcome.failed.append((fix, str(exc)))
            continue
        after = _analyse(new_text, path, notebook, keep)
        problem = _verify(state, after, fix)
        if problem is not None:
            outcome.failed.append((fix, problem))
            continue
        outcome.fixed += max(len(state.kept) - len(after.kept), 0)
        outcome.applied.append(fix)
        state = after
    outcome.text = state.text
    return outcome
