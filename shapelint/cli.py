"""The standalone ``shapelint`` command.  Imports neither pylint nor
TensorFlow: start-up stays small."""
from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Iterator, List, Optional

from shapelint import __version__

SKIP_DIRS = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", ".tox", "site-packages"}
_IGNORE = re.compile(r"#\s*shapelint:\s*ignore(?:\[([a-z0-9,\s-]+)\])?")


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


def load_config(start: str) -> dict:
    """``[tool.shapelint]`` from the nearest pyproject.toml above ``start``."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                import tomllib  # pylint: disable=import-outside-toplevel
            except ImportError:  # Python 3.10
                return {}
            try:
                with open(candidate, "rb") as handle:
                    return tomllib.load(handle).get("tool", {}).get("shapelint", {}) or {}
            except (OSError, ValueError):
                return {}
        parent = os.path.dirname(directory)
        if parent == directory:
            return {}
        directory = parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shapelint",
        description="Find tensor-shape bugs in Keras model code without running it.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default=None,
                        help="output format (default: text)")
    parser.add_argument("--shapes", action="store_true",
                        help="print a static model.summary() for each model")
    parser.add_argument("--graph", metavar="FILE.dot|FILE.svg",
                        help="write the layer graph with shapes on the edges")
    parser.add_argument("--disable", default=None, metavar="SYMBOLS",
                        help="comma-separated findings to turn off")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="lint files in N processes (0: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    parser.add_argument("--cache-dir", default=None, help="where the cache lives (default .shapelint_cache)")
    parser.add_argument("--version", action="version", version=f"shapelint {__version__}")
    return parser


def suppressed(source_lines: List[str], finding) -> bool:
    """``# shapelint: ignore`` or ``# shapelint: ignore[symbol, ...]`` on the
    finding's line."""
    if not 1 <= finding.line <= len(source_lines):
        return False
    match = _IGNORE.search(source_lines[finding.line - 1])
    if not match:
        return False
    if match.group(1) is None:
        return True
    return finding.symbol in {s.strip() for s in match.group(1).split(",")}


def lint_file(path: str, use_cache: bool, cache_dir: str, keep_graph: bool):
    """Analyse one file; returns (FileResult, error text or None)."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    import tokenize  # pylint: disable=import-outside-toplevel

    try:
        # PEP 263 coding lines and a UTF-8 BOM, as Python reads the file.
        with tokenize.open(path) as handle:
            source = handle.read()
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        return None, f"{path}: cannot read: {exc}"
    cache = None
    if use_cache and not keep_graph:
        from shapelint import cache as cache_mod  # pylint: disable=import-outside-toplevel

        cache = cache_mod.ResultCache(cache_dir)
        hit = cache.get(path, source)
        if hit is not None:
            return hit, None
    result = analyze_source(source, path)
    lines = source.splitlines()
    result.findings = [f for f in result.findings if not suppressed(lines, f)]
    if cache is not None and not result.notes:
        cache.put(path, source, result)
    if not keep_graph:
        result.graph = None  # results cross process boundaries with --jobs
    return result, None


def _lint_job(args):
    return lint_file(*args)


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    from shapelint.frontend import parsing  # pylint: disable=import-outside-toplevel

    parsing.SKIP_BOOTSTRAP = True  # this process never runs pylint
    config = load_config(os.getcwd())
    fmt = args.format or config.get("format", "text")
    if fmt not in ("text", "json", "sarif"):
        print(f"shapelint: unknown format {fmt!r} in [tool.shapelint]", file=sys.stderr)
        return 2
    disabled = set(config.get("disable", []) or [])
    if args.disable:
        disabled |= {s.strip() for s in args.disable.split(",") if s.strip()}
    jobs = args.jobs if args.jobs is not None else int(config.get("jobs", 1))
    if jobs == 0:
        jobs = os.cpu_count() or 1
    use_cache = not args.no_cache and bool(config.get("cache", True))
    cache_dir = args.cache_dir or config.get("cache-dir", ".shapelint_cache")
    keep_graph = bool(args.shapes or args.graph)

    from shapelint.reporters import json_out, sarif, summary, text  # pylint: disable=import-outside-toplevel

    files = list(iter_files(args.paths))
    work = [(p, use_cache, cache_dir, keep_graph) for p in files]
    if jobs > 1 and len(work) > 1 and not keep_graph:
        import multiprocessing  # pylint: disable=import-outside-toplevel

        with multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork").Pool(jobs) as pool:
            outcomes = pool.map(_lint_job, work, chunksize=max(1, len(work) // (jobs * 4)))
    else:
        outcomes = [lint_file(*w) for w in work]

    results, unreadable = [], False
    for result, error in outcomes:
        if error:
            print(error, file=sys.stderr)
            unreadable = True
            continue
        for note in result.notes:
            print(f"{result.path}: {note}", file=sys.stderr)
        result.findings = [f for f in result.findings if f.symbol not in disabled]
        results.append(result)

    if fmt == "json":
        sys.stdout.write(json_out.render(results))
    elif fmt == "sarif":
        sys.stdout.write(sarif.render(results))
    else:
        sys.stdout.write(text.render(results))
        if args.shapes:
            for result in results:
                sys.stdout.write(summary.render(result))
    if args.graph:
        from shapelint.reporters import graph_out  # pylint: disable=import-outside-toplevel

        message = graph_out.write(results, args.graph)
        if message:
            print(message, file=sys.stderr)
    if any(r.findings for r in results):
        return 1
    return 2 if unreadable and not results else 0


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
