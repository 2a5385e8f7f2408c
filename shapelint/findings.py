"""What a check reports: plain data, positions from the astroid node, and
its JSON form (the contract in README, which the JSON reporter prints and the
cache stores)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List

from shapelint.messages import FindingKind, by_symbol


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
    fix: Any = field(default=None, compare=False)  # shapelint.fixes.FixInfo when --fix can fix it

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

    def to_json(self, confidence: bool = False) -> dict:
        """The finding as the JSON contract has it.  ``confidence`` also keeps
        the confidence pylint gets, which the contract leaves out but a
        stored result needs."""
        data = {
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "symbol": self.symbol,
            "msg_id": self.msg_id,
            "message": self.message,
            "suggestions": list(self.suggestions),
            # What --fix can do: null, or {"applicability": "safe"|"unsafe", "description": ...}.
            "fix": self.fix.to_json() if self.fix is not None else None,
        }
        if confidence:
            data["confidence"] = self.confidence
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        """The finding ``to_json`` gave; its kind comes back from the symbol
        (KeyError for a symbol no kind has)."""
        from shapelint.fixes import FixInfo  # pylint: disable=import-outside-toplevel

        return cls(by_symbol(data["symbol"]), data["line"], data["col"], data["end_line"], data["end_col"],
                   data["message"], list(data["suggestions"]), data.get("confidence", "HIGH"),
                   fix=FixInfo.from_json(data.get("fix")))
