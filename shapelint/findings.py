"""What a check reports: plain data, positions from the astroid node."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List

from shapelint.messages import FindingKind


@dataclass
class Finding:
    kind: FindingKind
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    suggestions: List[str] = field(default_factory=list)
    confidence: str = "HIGH"
    node: Any = field(default=None, repr=False, compare=False)  # for pylint

    def __post_init__(self) -> None:
        if not isinstance(self.kind, FindingKind):
            raise TypeError(f"Finding needs a FindingKind from shapelint.messages, not {self.kind!r}")

    @property
    def symbol(self) -> str:
        return self.kind.symbol

    @property
    def msg_id(self) -> str:
        return self.kind.msg_id

    @classmethod
    def at(cls, node: Any, kind: FindingKind, message: str, suggestions=(), confidence="HIGH") -> "Finding":
        line = getattr(node, "lineno", None) or 1
        col = getattr(node, "col_offset", None) or 0
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col
        return cls(kind, line, col, end_line, end_col, message, list(suggestions), confidence, node)

    def sort_key(self):
        return (self.line, self.col, self.symbol)
