"""The standalone ``shapelint`` command.  Imports neither pylint nor
TensorFlow: start-up stays small."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator, List, Optional

from shapelint import __version__

SKIP_DIRS = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", ".tox", "site-packages"}


def iter_files(paths: List[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isdir(path):
            for root, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(filenames):
                    if name.endswith(".py"):
                        yield os.path.join(root, name)
        else:
            yield path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shapelint",
        description="Find tensor-shape bugs in Keras model code without running it.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--shapes", action="store_true",
                        help="print a static model.summary() for each model")
    parser.add_argument("--version", action="version", version=f"shapelint {__version__}")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel
    from shapelint.reporters import json_out, summary, text  # pylint: disable=import-outside-toplevel

    results = []
    missing = False
    for path in iter_files(args.paths):
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            missing = True
            continue
        result = analyze_source(source, path)
        for note in result.notes:
            print(f"{path}: {note}", file=sys.stderr)
        results.append(result)
    if args.format == "json":
        sys.stdout.write(json_out.render(results))
    else:
        sys.stdout.write(text.render(results))
        if args.shapes:
            for result in results:
                sys.stdout.write(summary.render(result))
    if any(r.findings for r in results):
        return 1
    return 2 if missing and not results else 0


def run() -> None:
    """Console-script entry point: never a traceback."""
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # pylint: disable=broad-except
        print(f"shapelint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 2
    sys.exit(code)
