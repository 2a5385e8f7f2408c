"""``path:line:col: ID symbol message`` lines, like pylint and ruff, with the
fixes as indented detail lines."""
from __future__ import annotations

from typing import Iterable, List

from shapelint.engine import FileResult


def render(results: Iterable[FileResult]) -> str:
    lines: List[str] = []
    for result in results:
        for f in result.findings:
            lines.append(f"{result.path}:{f.line}:{f.col}: {f.msg_id} {f.symbol} {f.message}")
            for s in f.suggestions:
                lines.append(f"    fix: {s}")
    return "\n".join(lines) + ("\n" if lines else "")
