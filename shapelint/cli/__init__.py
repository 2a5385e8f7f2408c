"""The standalone ``shapelint`` command, with ruff's conventions: exit 0
clean, 1 findings, 2 a user's mistake (each named on one line, never a
traceback).  Imports neither pylint nor TensorFlow: start-up stays small."""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

from shapelint.cli.args import build_parser

__all__ = ["main", "run"]  # and lint_file, loaded on use (below)


def __getattr__(name: str):
    """``from shapelint.cli import lint_file`` (tools/corpus_stats.py), loaded
    on use so ``shapelint explain`` and ``--version`` skip the engine."""
    if name == "lint_file":
        from shapelint.cli.lint import lint_file  # pylint: disable=import-outside-toplevel

        return lint_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _error(text: str) -> None:
    print(f"shapelint: error: {text}", file=sys.stderr)


SERVER_USAGE = """usage: shapelint server [--stdio]

Run the shapelint language server over stdio (diagnostics, inlay shapes,
hover, quick fixes; notebooks too).  Editors start it; see the README.
"""


def _server(argv: Sequence[str]) -> int:
    """``shapelint server``: pygls is imported here only, and only if installed."""
    if "-h" in argv or "--help" in argv:
        sys.stdout.write(SERVER_USAGE)
        return 0
    unknown = [arg for arg in argv if arg != "--stdio"]
    if unknown:
        _error(f"server: unrecognized arguments: {' '.join(unknown)} (only --stdio is accepted)")
        return 2
    try:
        import lsprotocol  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        import pygls  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        _error("the language server needs pygls: pip install 'shapelint[server]'")
        return 2
    from shapelint.lsp.server import main as serve  # pylint: disable=import-outside-toplevel

    return serve()


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["explain"]:
        from shapelint.cli import explain  # pylint: disable=import-outside-toplevel

        return explain.main(argv[1:])
    if argv[:1] == ["server"]:
        return _server(argv[1:])
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
    except BrokenPipeError:  # shapelint ... | head: as the Python docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    except Exception as exc:  # pylint: disable=broad-except
        _error(f"internal error: {type(exc).__name__}: {exc} (please report it)")
        code = 2
    sys.exit(code)
