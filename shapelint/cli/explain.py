"""``shapelint explain CODE|SYMBOL``: print a rule's docs page (ruff's
``ruff rule``); ``shapelint explain`` lists the rules.

The pages ship inside the package as ``shapelint/_docs/<symbol>.md`` (package
data; in a checkout that is a link to ``docs/messages``), so an installed
shapelint explains itself offline."""
from __future__ import annotations

import os
import sys
from typing import List, Optional

from shapelint.cli.rules import RULES, UnknownRule, lookup

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS_DIRS = (
    os.path.join(_PACKAGE, "_docs"),                          # installed (package data), or the link in a checkout
    os.path.join(os.path.dirname(_PACKAGE), "docs", "messages"),  # a checkout without the link (Windows)
)


def docs_page(symbol: str) -> Optional[str]:
    for directory in DOCS_DIRS:
        path = os.path.join(directory, f"{symbol}.md")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    return None


def rule_table() -> str:
    rows = [f"{m.msg_id}  {m.symbol:<28}  {m.title}" for m in sorted(RULES.values(), key=lambda m: m.msg_id)]
    return "\n".join(rows) + "\n"


def main(names: List[str]) -> int:
    if not names:
        sys.stdout.write(rule_table())
        return 0
    if len(names) > 1 or names[0].startswith("-"):
        if names[0] in ("-h", "--help"):
            print("usage: shapelint explain [CODE|SYMBOL]\n\nPrint a rule's documentation "
                  "(no argument: list the rules).")
            return 0
        print("shapelint: error: usage: shapelint explain [CODE|SYMBOL] (one rule at a time)", file=sys.stderr)
        return 2
    message = lookup(names[0])
    if message is None:
        print(f"shapelint: error: {UnknownRule(names[0])}", file=sys.stderr)
        return 2
    page = docs_page(message.symbol)
    if page is None:  # syntax-error has no page; a packaging slip must not hide the rule
        page = f"# {message.symbol} ({message.msg_id})\n\n{message.title}.\n\n{message.description}\n"
    sys.stdout.write(page if page.endswith("\n") else page + "\n")
    return 0
