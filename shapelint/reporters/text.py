"""``path:line:col: ID symbol message`` lines, like pylint and ruff, with the
fixes as indented detail lines.  A notebook's findings read
``path:cell N:line:col: ...`` (the line within the cell), as ruff prints them."""
from __future__ import annotations

from typing import Iterable, List

from shapelint.engine import FileResult
from shapelint.reporters.entries import FileError, cell_and_line

# ANSI styles, used only when the CLI says the output is a terminal.
_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\033[1m", "\033[1;31m", "\033[1;33m", "\033[36m", "\033[0m"


def render(results: Iterable[FileResult], colour: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    lines: List[str] = []
    for result in results:
        if isinstance(result, FileError):
            continue  # the CLI reports unreadable files on stderr
        for f in result.findings:
            cell, line = cell_and_line(result, f.line)
            where = f"{result.path}:" + (f"cell {cell}:" if cell is not None else "") + f"{line}:{f.col}:"
            code = paint(f.msg_id, _YELLOW if f.msg_id.startswith("W") else _RED)
            lines.append(f"{paint(where, _BOLD)} {code} {f.symbol} {f.message}")
            for s in f.suggestions:
                lines.append(f"    {paint('fix:', _CYAN)} {s}")
    return "\n".join(lines) + ("\n" if lines else "")
