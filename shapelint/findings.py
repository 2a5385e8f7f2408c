"""What a check reports: plain data, positions from the astroid node."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List

from shapelint.messages import MESSAGES, SYNTAX_ERROR


@dataclass
class Finding:
    symbol: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    suggestions: List[str] = field(default_factory=list)
    confidence: str = "HIGH"
    node: Any = field(default=None, repr=False, compare=False)  # for pylint
    fix: Any = field(default=None, compare=False)  # shapelint.fixes.FixInfo when --fix can fix it

    @property
    def msg_id(self) -> str:
        if self.symbol == SYNTAX_ERROR.symbol:
            return SYNTAX_ERROR.msg_id
        return MESSAGES[self.symbol].msg_id

    @classmethod
    def at(cls, node: Any, symbol: str, message: str, suggestions=(), confidence="HIGH") -> "Finding":
        line = getattr(node, "lineno", None) or 1
        col = getattr(node, "col_offset", None) or 0
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col
        return cls(symbol, line, col, end_line, end_col, message, list(suggestions), confidence, node)

    def sort_key(self):
        return (self.line, self.col, self.symbol)
