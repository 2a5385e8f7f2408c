"""``path:line:col: ID symbol message`` lines, like pylint and ruff, with the
fixes as indented detail lines.  A notebook's findings read
``path:cell N:line:col: ...`` (the line within the cell), as ruff prints them.

As ruff marks them, ``[*]`` after the code says ``--fix`` can fix the finding
(an unsafe fix only counts with ``--unsafe-fixes``), and a last line counts
the fixes, those ``--unsafe-fixes`` would enable included."""
from __future__ import annotations

from typing import Iterable, List, Optional

from shapelint.engine import FileResult
from shapelint.fixes import fix_counts
from shapelint.reporters.entries import FileError, cell_and_line

# ANSI styles, used only when the CLI says the output is a terminal.
_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\033[1m", "\033[1;31m", "\033[1;33m", "\033[36m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}es" if word.endswith("x") else f"{count} {word}s"


def fix_summary(findings: List, unsafe_fixes: bool, fixed: Optional[int] = None) -> List[str]:
    """ruff's closing lines: what --fix did (``fixed``: under --fix), what it
    can do, and the unsafe fixes --unsafe-fixes would enable."""
    fixable, hidden = fix_counts(findings, unsafe_fixes)
    hint = f"{_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option"
    lines = []
    if fixed is not None:
        total = fixed + len(findings)
        if total:
            lines.append(f"Found {_plural(total, 'finding')} ({fixed} fixed, {len(findings)} remaining).")
        if hidden:
            lines.append(f"No fixes available ({hint}).")
        return lines
    if fixable:
        lines.append(f"[*] {fixable} fixable with the `--fix` option" + (f" ({hint})." if hidden else "."))
    elif hidden:
        lines.append(f"No fixes available ({hint}).")
    return lines


def footer(results: Iterable[FileResult], unsafe_fixes: bool = False, fixed: Optional[int] = None) -> str:
    findings = [f for r in results if not isinstance(r, FileError) for f in r.findings]
    lines = fix_summary(findings, unsafe_fixes, fixed)
    return "".join(line + "\n" for line in lines)


def render(results: Iterable[FileResult], colour: bool = False, unsafe_fixes: bool = False,
           fixed: Optional[int] = None, footer: bool = True) -> str:  # pylint: disable=redefined-outer-name
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    lines: List[str] = []
    findings: List = []
    for result in results:
        if isinstance(result, FileError):
            continue  # the CLI reports unreadable files on stderr
        for f in result.findings:
            findings.append(f)
            cell, line = cell_and_line(result, f.line)
            where = f"{result.path}:" + (f"cell {cell}:" if cell is not None else "") + f"{line}:{f.col}:"
            code = paint(f.msg_id, _YELLOW if f.msg_id.startswith("W") else _RED)
            info = getattr(f, "fix", None)
            marker = f" {paint('[*]', _CYAN)}" if info is not None and info.applies(unsafe_fixes) else ""
            lines.append(f"{paint(where, _BOLD)} {code}{marker} {f.symbol} {f.message}")
            for s in f.suggestions:
                lines.append(f"    {paint('fix:', _CYAN)} {s}")
    if footer:
        lines.extend(fix_summary(findings, unsafe_fixes, fixed))
    return "\n".join(lines) + ("\n" if lines else "")
