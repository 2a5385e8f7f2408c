"""The standalone ``shapelint`` command, with ruff's conventions: exit 0
clean, 1 findings, 2 a user's mistake (each named on one line, never a
traceback).  Imports neither pylint nor TensorFlow: start-up stays small."""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

from shapelint.cli.args import build_parser
from shapelint.cli.lint import lint_file  # noqa: F401  (tools/corpus_stats.py imports it from here)

__all__ = ["main", "run", "lint_file"]


def _error(text: str) -> None:
    print(f"shapelint: error: {text}", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["explain"]:
        from shapelint.cli import explain  # pylint: disable=import-outside-toplevel

        return explain.main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    from shapelint.cli.run import Run  # pylint: disable=import-outside-toplevel

    return Run(args, parser).execute()


def run() -> None:
    """Console-script entry point: never a traceback."""
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # shapelint ... | head
        try:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        except OSError:
            pass
        code = 1
    except Exception as exc:  # pylint: disable=broad-except
        _error(f"internal error: {type(exc).__name__}: {exc} (please report it)")
        code = 2
    sys.exit(code)
