"""One run of the command: check the options and configuration (any mistake
stops the run with exit 2 before linting), collect the files, lint them,
report.  A file that cannot be read is named on stderr (and as an error entry
in JSON/SARIF), the others are still linted, and the exit status is 2."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from typing import List, Optional, Union

from shapelint.cli.args import split_names
from shapelint.cli.config import ConfigError, ConfigFinder, Settings
from shapelint.cli.files import Collector, Target
from shapelint.cli.lint import Job, lint
from shapelint.cli.rules import RULES, RuleSelection, UnknownRule, resolve_all
from shapelint.engine import FileResult, attach_elsewhere
from shapelint.reporters.entries import FileError

DEFAULT_CACHE_DIR = ".shapelint_cache"


def _error(text: str) -> None:
    print(f"shapelint: error: {text}", file=sys.stderr)


def use_colour(stream) -> bool:
    """Colour on a terminal; NO_COLOR (no-color.org) turns it off, FORCE_COLOR
    (force-color.org) on even when piped.  NO_COLOR wins."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def statistics(results: List[FileResult], fmt: str) -> str:
    """Findings per rule, most frequent first (ruff's --statistics)."""
    import json  # pylint: disable=import-outside-toplevel

    counts = Counter(f.symbol for r in results for f in r.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], RULES[item[0]].msg_id))
    if fmt == "json":
        return json.dumps([{"code": RULES[s].msg_id, "name": s, "count": n} for s, n in rows]) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}\t{RULES[s].msg_id}\t{s}\n" for s, n in rows)


class Run:  # pylint: disable=too-few-public-methods
    def __init__(self, args: argparse.Namespace, parser: argparse.ArgumentParser):
        self.args = args
        self.parser = parser
        self.problems: List[str] = []  # a user's mistakes: the run stops with exit 2
        self.finder = ConfigFinder()
        self.settings = self._run_settings()
        self.format = args.format or self.settings.format or "text"
        self.stdin = args.paths == ["-"] or (not args.paths and args.stdin_filename is not None)
        self.select = self._rule_option("--select", args.select)
        self.ignore = (self._rule_option("--ignore", args.ignore) or frozenset()) | \
            (self._rule_option("--disable", args.disable) or frozenset())
        self.stdin_data: Optional[bytes] = None
        self.fix_failed = False

    def _rule_option(self, option: str, values: Optional[List[str]]):
        names = split_names(values)
        if names is None:
            return None
        try:
            return resolve_all(names)
        except UnknownRule as exc:
            self.problems.append(f"{option}: {exc}")
            return None

    def _check_options(self) -> None:
        args = self.args
        if "-" in args.paths and len(args.paths) > 1:
            self.problems.append("'-' (read stdin) cannot be combined with other paths")
        if args.stdin_filename is not None and not self.stdin:
            self.problems.append("--stdin-filename names the file read from stdin: pass '-' instead of paths")
        if args.jobs is not None and args.jobs < 0:
            self.problems.append(f"--jobs {args.jobs}: must be 0 (one per core) or more")
        if args.statistics and self.format == "sarif":
            self.problems.append("--statistics prints text or JSON, not SARIF")
        if args.graph:
            from shapelint.reporters import graph_out  # pylint: disable=import-outside-toplevel

            reason = graph_out.unwritable(args.graph)
            if reason:
                self.problems.append(reason)

    def _run_settings(self) -> Settings:
        """Run-wide settings (format, jobs, cache) come from the configuration
        found from the current directory, as ruff's do."""
        try:
            return self.finder.for_directory(os.getcwd())
        except ConfigError as exc:
            self.problems.append(str(exc))
            return Settings()

    def _collect(self) -> List[Union[Target, FileError]]:
        args = self.args
        collector = Collector(self.finder, split_names(args.exclude) or (), os.getcwd())
        if self.stdin:
            name = args.stdin_filename
            if name is not None and collector.excluded(name):
                entries: List[Union[Target, FileError]] = []
            else:
                target = collector.target(name or "-", bool(name and name.endswith(".ipynb")))
                entries = [target] if target is not None else []
        else:
            entries = collector.collect(args.paths).entries
        for problem in collector.config_errors:
            if problem not in self.problems:
                self.problems.append(problem)
        return entries

    def _stdin_data(self) -> bytes:
        if self.stdin_data is None:
            stream = getattr(sys.stdin, "buffer", None)
            self.stdin_data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
        return self.stdin_data

    def _fix(self, entries: List[Union[Target, FileError]]) -> int:
        """--fix: fix each file in place (stdin: keep the fixed text for
        stdout) before it is linted; the number of findings fixed."""
        try:
            from shapelint.fixes.runner import fix_file  # pylint: disable=import-outside-toplevel
        except ImportError as exc:
            _error(f"--fix needs LibCST ({exc}): pip install libcst")
            self.fix_failed = True
            return 0
        # pylint: disable=import-outside-toplevel
        from shapelint.cli.files import ReadError, decode_notebook, decode_python, read_bytes
        from shapelint.cli.lint import suppressed
        from shapelint.notebook import NotebookError

        fixed = 0
        for target in entries:
            if not isinstance(target, Target):
                continue
            try:
                data = self._stdin_data() if self.stdin else read_bytes(target.path)
                text = decode_notebook(data) if target.notebook else decode_python(data)
            except ReadError:
                continue  # the lint that follows names it
            selection = self._selection(target)
            try:
                outcome = fix_file(text, target.path, notebook=target.notebook, unsafe=self.args.unsafe_fixes,
                                   keep=lambda f, lines, s=selection: s.reports(f.symbol) and not suppressed(lines, f))
            except NotebookError:
                continue  # not a notebook shapelint can read: the lint that follows names it
            except Exception as exc:  # pylint: disable=broad-except
                print(f"shapelint: warning: {target.path}: not fixed (internal error: {type(exc).__name__}: {exc})",
                      file=sys.stderr)
                continue
            for fix, why in outcome.failed:
                print(f"shapelint: warning: {target.path}: fix not applied ({fix.info.description}): {why}",
                      file=sys.stderr)
            if not outcome.changed:
                continue
            fixed += outcome.fixed
            if self.args.diff:
                sys.stdout.write(_diff(target, text, outcome.text))
                continue
            new = _encode_like(outcome.text, data, target.notebook)
            if self.stdin:
                self.stdin_data = new
                continue
            try:
                with open(target.path, "wb") as handle:
                    handle.write(new)
            except OSError as exc:
                _error(f"{target.path}: cannot write the fixed file: {exc.strerror or exc}")
                self.fix_failed = True
        return fixed

    def _selection(self, target: Target) -> RuleSelection:
        settings = target.settings
        select = self.select if self.select is not None else settings.select
        return RuleSelection(select, settings.ignore | self.ignore)

    def _lint(self, entries: List[Union[Target, FileError]], settings: Settings, keep_graph: bool):
        args = self.args
        use_cache = not args.no_cache and settings.cache is not False
        cache_dir = args.cache_dir or settings.cache_dir or DEFAULT_CACHE_DIR
        data = self._stdin_data() if self.stdin else None
        jobs = [Job(e.path, e.notebook, use_cache, cache_dir, keep_graph, data, e.settings.keras_version)
                for e in entries if isinstance(e, Target)]
        processes = args.jobs if args.jobs is not None else (settings.jobs or 1)
        if processes == 0:
            processes = os.cpu_count() or 1
        if processes > 1 and len(jobs) > 1 and not keep_graph:
            import multiprocessing  # pylint: disable=import-outside-toplevel

            method = "spawn" if sys.platform == "win32" else "fork"
            with multiprocessing.get_context(method).Pool(processes) as pool:
                outcomes = iter(pool.map(lint, jobs, chunksize=max(1, len(jobs) // (processes * 4))))
        else:
            outcomes = (lint(job) for job in jobs)
        return [next(outcomes) if isinstance(e, Target) else e for e in entries]

    def execute(self) -> int:
        args = self.args
        if not args.paths and args.stdin_filename is None:
            self.parser.print_usage(sys.stderr)
            _error("no paths given (pass files, directories, or - to read stdin)")
            return 2
        self._check_options()
        entries = self._collect()
        if self.problems:  # nothing is linted; every mistake is named at once
            for problem in self.problems:
                _error(problem)
            for entry in entries:
                if isinstance(entry, FileError):
                    _error(f"{entry.path}: {entry.message}")
            return 2

        from shapelint.frontend import parsing  # pylint: disable=import-outside-toplevel

        parsing.SKIP_BOOTSTRAP = True  # this process never runs pylint
        keep_graph = bool(args.shapes or args.graph)
        if args.diff:  # the fixes as a diff; nothing written, nothing else reported
            fixed = self._fix(entries)
            print(f"Would fix {fixed} finding{'' if fixed == 1 else 's'}.", file=sys.stderr)
            return 2 if self.fix_failed else (1 if fixed else 0)
        fixed = self._fix(entries) if args.fix else None
        outcomes = self._lint(entries, self.settings, keep_graph)
        results: List[FileResult] = []
        failed = False
        for entry, outcome in zip(entries, outcomes):
            if isinstance(outcome, FileError):
                _error(f"{outcome.path}: {outcome.message}")
                failed = True
                continue
            for note in outcome.notes:
                print(f"{outcome.path}: {note}", file=sys.stderr)
            if args.verbose:
                for note in getattr(outcome, "info", ()):
                    print(f"{outcome.path}: info: {note}", file=sys.stderr)
            selection = self._selection(entry)
            outcome.findings = [f for f in outcome.findings if selection.reports(f.symbol)]
            results.append(outcome)
        attach_elsewhere(results)
        if not outcomes and not self.stdin:
            print("shapelint: warning: no Python files or notebooks found under the given paths", file=sys.stderr)

        failed |= self._write(outcomes, results, fixed) or self.fix_failed
        if failed:
            return 2
        if any(r.findings for r in results) and not args.exit_zero:
            return 1
        return 0

    def _write(self, outcomes, results: List[FileResult], fixed: Optional[int] = None) -> bool:
        """Print the report (and the graph); True if something failed.  With
        --fix on stdin, stdout gets the fixed text and the report goes to stderr."""
        from shapelint.reporters import json_out, sarif, summary, text  # pylint: disable=import-outside-toplevel

        args, out = self.args, sys.stdout
        if fixed is not None and self.stdin:
            stream = getattr(sys.stdout, "buffer", None)
            if stream is not None:
                stream.write(self._stdin_data())
            else:
                sys.stdout.write(self._stdin_data().decode("utf-8"))
            sys.stdout.flush()
            out = sys.stderr
        if args.statistics:
            out.write(statistics(results, self.format))
        elif self.format == "json":
            out.write(json_out.render(outcomes))
        elif self.format == "sarif":
            out.write(sarif.render(outcomes))
        else:
            out.write(text.render(results, colour=use_colour(out), unsafe_fixes=args.unsafe_fixes, footer=False))
            if args.shapes:
                for result in results:
                    out.write(summary.render(result))
            out.write(text.footer(results, args.unsafe_fixes, fixed))
        if fixed is not None and (args.statistics or self.format != "text"):
            remaining = sum(len(r.findings) for r in results)
            print(f"shapelint: {fixed} fixed, {remaining} remaining", file=sys.stderr)
        if args.graph:
            from shapelint.reporters import graph_out  # pylint: disable=import-outside-toplevel

            try:
                note = graph_out.write(results, args.graph)
            except graph_out.GraphError as exc:
                _error(str(exc))
                return True
            if note:
                print(note, file=sys.stderr)
        return False


def _encode_like(text: str, original: bytes, notebook: bool) -> bytes:
    """The fixed text in the encoding the file had (its BOM or PEP 263 coding line kept)."""
    import io  # pylint: disable=import-outside-toplevel
    import tokenize  # pylint: disable=import-outside-toplevel

    if notebook:
        return text.encode("utf-8-sig" if original.startswith(b"\xef\xbb\xbf") else "utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError:
        encoding = "utf-8"
    return text.encode(encoding)


def _diff(target: Target, before: str, after: str) -> str:
    """A unified diff of a fixed file; of each changed cell for a notebook."""
    import difflib  # pylint: disable=import-outside-toplevel

    def lines(text: str) -> List[str]:
        return [line if line.endswith(("\n", "\r")) else line + "\n" for line in text.splitlines(keepends=True)]

    if not target.notebook:
        return "".join(difflib.unified_diff(lines(before), lines(after), f"a/{target.path}", f"b/{target.path}"))
    import json  # pylint: disable=import-outside-toplevel

    old_cells, new_cells = json.loads(before)["cells"], json.loads(after)["cells"]
    out = []
    for number, (old, new) in enumerate(zip(old_cells, new_cells), 1):
        old_source, new_source = ("".join(c.get("source", "")) for c in (old, new))
        if old_source != new_source:
            name = f"{target.path}:cell {number}"
            out.extend(difflib.unified_diff(lines(old_source), lines(new_source), f"a/{name}", f"b/{name}"))
    return "".join(out)
