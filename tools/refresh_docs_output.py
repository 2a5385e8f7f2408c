#!/usr/bin/env python
"""Refresh the "Message" block of every docs/messages/<symbol>.md page with
the real output of ``shapelint --no-cache docs/messages/<symbol>/bad.py``
(run from the repository root).  tests/test_docs.py checks they agree."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    changed = 0
    for page in sorted((ROOT / "docs" / "messages").glob("*.md")):
        bad = page.with_suffix("") / "bad.py"
        if not bad.exists():
            continue
        rel = bad.relative_to(ROOT).as_posix()
        out = subprocess.run([sys.executable, "-m", "shapelint", "--no-cache", rel], cwd=ROOT,
                             capture_output=True, text=True, check=False).stdout.rstrip("\n")
        text = page.read_text(encoding="utf-8")
        head, sep, tail = text.partition("## Message\n")
        if not sep:
            continue
        new_tail = re.sub(r"```text\n.*?```", lambda _m: f"```text\n{out}\n```", tail, count=1, flags=re.S)
        if new_tail != tail:
            page.write_text(head + sep + new_tail, encoding="utf-8")
            changed += 1
    print(f"refreshed {changed} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
