"""Rule names as users write them: a code (``E5901``), a symbol
(``dense-on-unreduced-tensor``), a code prefix (``E59``, ``W``) or ``ALL``,
as ruff's ``--select``/``--ignore`` accept them."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional

from shapelint.messages import MESSAGES, SYNTAX_ERROR, FindingKind

RULES: Dict[str, FindingKind] = {**MESSAGES, SYNTAX_ERROR.symbol: SYNTAX_ERROR}
BY_CODE: Dict[str, FindingKind] = {m.msg_id: m for m in RULES.values()}
ALL = frozenset(RULES)


class UnknownRule(ValueError):
    def __init__(self, name: str):
        close = difflib.get_close_matches(name, list(RULES) + list(BY_CODE), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        super().__init__(f"unknown rule '{name}'{hint}; 'shapelint explain' lists the rules")


def lookup(name: str) -> Optional[FindingKind]:
    """The one message a code or symbol names, or None."""
    key = name.strip()
    return RULES.get(key.lower()) or BY_CODE.get(key.upper())


def resolve(name: str) -> FrozenSet[str]:
    """The symbols a rule name selects; UnknownRule if it selects none."""
    key = name.strip()
    if key.upper() == "ALL":
        return ALL
    message = lookup(key)
    if message is not None:
        return frozenset({message.symbol})
    prefix = key.upper()
    if prefix[:1].isalpha() and (prefix[1:].isdigit() or len(prefix) == 1):
        matched = frozenset(m.symbol for code, m in BY_CODE.items() if code.startswith(prefix))
        if matched:
            return matched
    raise UnknownRule(key)


def resolve_all(names: Iterable[str]) -> FrozenSet[str]:
    symbols: FrozenSet[str] = frozenset()
    for name in names:
        symbols |= resolve(name)
    return symbols


@dataclass(frozen=True)
class RuleSelection:
    """Which findings a file reports: ``select`` (None: all) minus ``ignore``.
    A syntax error is reported whatever ``select`` says (as ruff does), unless
    ``ignore`` names it."""

    select: Optional[FrozenSet[str]] = None
    ignore: FrozenSet[str] = frozenset()

    def reports(self, symbol: str) -> bool:
        if symbol in self.ignore:
            return False
        return self.select is None or symbol in self.select or symbol == SYNTAX_ERROR.symbol
