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
from shapelint.engine import FileResult
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

    def _selection(self, target: Target) -> RuleSelection:
        settings = target.settings
        select = self.select if self.select is not None else settings.select
        return RuleSelection(select, settings.ignore | self.ignore)

    def _lint(self, entries: List[Union[Target, FileError]], settings: Settings, keep_graph: bool):
        args = self.args
        use_cache = not args.no_cache and settings.cache is not False
        cache_dir = args.cache_dir or settings.cache_dir or DEFAULT_CACHE_DIR
        data = None
        if self.stdin:
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
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
            selection = self._selection(entry)
            outcome.findings = [f for f in outcome.findings if selection.reports(f.symbol)]
            results.append(outcome)
        if not outcomes and not self.stdin:
            print("shapelint: warning: no Python files or notebooks found under the given paths", file=sys.stderr)

        failed |= self._write(outcomes, results)
        if failed:
            return 2
        if any(r.findings for r in results) and not args.exit_zero:
            return 1
        return 0

    def _write(self, outcomes, results: List[FileResult]) -> bool:
        """Print the report (and the graph); True if something failed."""
        from shapelint.reporters import json_out, sarif, summary, text  # pylint: disable=import-outside-toplevel

        args, out = self.args, sys.stdout
        if args.statistics:
            out.write(statistics(results, self.format))
        elif self.format == "json":
            out.write(json_out.render(outcomes))
        elif self.format == "sarif":
            out.write(sarif.render(outcomes))
        else:
            out.write(text.render(results, colour=use_colour(out)))
            if args.shapes:
                for result in results:
                    out.write(summary.render(result))
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
