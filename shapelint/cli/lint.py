"""Lint one file (in this process or a worker): read it, analyse it with the
engine (or take the result from the cache), drop the findings a
``# shapelint: ignore`` comment silences."""
from __future__ import annotations

import gc
import re
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

from shapelint.cli.files import ReadError, decode_notebook, decode_python, read_bytes
from shapelint.cli.rules import lookup
from shapelint.engine import FileResult
from shapelint.notebook import Notebook, NotebookError, NotebookResult, analyse_cells, read_notebook
from shapelint.reporters.entries import FileError

_IGNORE = re.compile(r"#\s*shapelint:\s*ignore(?:\[([A-Za-z0-9,\s-]+)\])?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Job:
    path: str
    notebook: bool
    use_cache: bool
    cache_dir: str
    keep_graph: bool
    data: Optional[bytes] = None  # the content, when it came on stdin
    keras_version: Optional[int] = None  # [tool.shapelint] keras-version; None: the default


def suppressed(source_lines: List[str], finding) -> bool:
    """``# shapelint: ignore`` or ``# shapelint: ignore[name, ...]`` (codes or
    symbols) on the finding's line."""
    if not 1 <= finding.line <= len(source_lines):
        return False
    match = _IGNORE.search(source_lines[finding.line - 1])
    if not match:
        return False
    if match.group(1) is None:
        return True
    named = {lookup(name) for name in match.group(1).split(",") if name.strip()}
    return any(m is not None and m.symbol == finding.symbol for m in named)


def _source(job: Job) -> Tuple[str, Optional[Notebook]]:
    data = job.data if job.data is not None else read_bytes(job.path)
    if job.notebook:
        try:
            notebook = read_notebook(decode_notebook(data))
        except NotebookError as exc:
            raise ReadError(str(exc)) from None
        return notebook.program, notebook
    return decode_python(data), None


def _mark_fixes(result: FileResult, source: str, notebook: Optional[Notebook]) -> None:
    """Say which findings ``--fix`` can fix (planned from the analysis; no LibCST)."""
    if not result.findings or result.graph is None:
        return
    from shapelint.fixes import annotate  # pylint: disable=import-outside-toplevel

    cells = None if notebook is None else [(c.first_line, c.line_count) for c in notebook.cells]
    annotate(result, source, cells)


_frozen_modules = [0]  # len(sys.modules) when the heap was last frozen


def _freeze_imported() -> None:
    """Move the modules imported so far (the engine's and its libraries',
    loaded lazily by the first files) out of the collector's reach: its full
    collections then scan one file's objects, not every module of the
    process again (measured: 0.6 s of 3.4 s on 166 real files).  Done in the
    CLI's own process only; a host such as pylint is never frozen."""
    if len(sys.modules) != _frozen_modules[0]:
        gc.collect()
        gc.freeze()
        _frozen_modules[0] = len(sys.modules)


def lint(job: Job) -> Union[FileResult, FileError]:
    """The result for one file, or why it could not be linted."""
    try:
        return _lint(job)
    finally:
        _freeze_imported()


def _lint(job: Job) -> Union[FileResult, FileError]:
    # pylint: disable-next=import-outside-toplevel
    from shapelint.engine import KEEP_GRAPH_IF_FINDINGS, analyze_source
    from shapelint.options import DEFAULT_OPTIONS, AnalysisOptions  # pylint: disable=import-outside-toplevel

    try:
        source, notebook = _source(job)
    except ReadError as exc:
        return FileError(job.path, str(exc))
    if notebook is not None and not notebook.is_python:
        skipped = NotebookResult(job.path, notebook=notebook)
        skipped.notes.append(f"not a Python notebook (kernel language {notebook.language!r}); skipped")
        return skipped
    options = DEFAULT_OPTIONS if job.keras_version is None else AnalysisOptions(job.keras_version)
    cache = None
    result: Optional[FileResult] = None
    if job.use_cache and not job.keep_graph and job.data is None:
        from shapelint import cache as cache_mod  # pylint: disable=import-outside-toplevel

        cache = cache_mod.ResultCache(job.cache_dir)
        result = cache.get(job.path, source, options.cache_key())
    if result is None:
        # the graph serves --graph/--summary (keep_graph) and marking fixes
        keep = True if job.keep_graph else KEEP_GRAPH_IF_FINDINGS
        if notebook is not None:  # a cell that does not parse fails alone
            notebook, result = analyse_cells(notebook, lambda program: analyze_source(program, job.path, options, keep))
            analysed = notebook.program
        else:
            result, analysed = analyze_source(source, job.path, options, keep), source
        lines = _LINE_BREAK.split(analysed)
        result.findings = [f for f in result.findings if not suppressed(lines, f)]
        if analysed == source:  # --fix does not edit a notebook with a cell left out
            _mark_fixes(result, analysed, notebook)
        if cache is not None and not result.notes:
            cache.put(job.path, source, result, options.cache_key())
    if not job.keep_graph:
        result.graph = None  # results cross process boundaries with --jobs
    if notebook is not None:
        return NotebookResult.wrap(result, notebook)
    return result


def lint_file(path: str, use_cache: bool, cache_dir: str, keep_graph: bool):
    """Analyse one Python file; (FileResult, None) or (None, error text).
    Kept for tools/corpus_stats.py."""
    outcome = lint(Job(path, path.endswith(".ipynb"), use_cache, cache_dir, keep_graph))
    if isinstance(outcome, FileError):
        return None, f"{outcome.path}: {outcome.message}"
    return outcome, None
