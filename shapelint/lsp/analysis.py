"""The engine run on what the editor holds: a file's buffer (never the file
on disk) or an open notebook's code cells, as the CLI would lint them.

The file's real path is passed to the engine, so a module of a project sees
its sibling modules as the CLI does, and ``[tool.shapelint]`` is found from
that path upward.  ``initializationOptions`` take precedence over it.
Nothing here knows pygls: the server hands in text and gets plain data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Tuple

from shapelint.cli.config import ConfigError, ConfigFinder, settings_from_table
from shapelint.cli.lint import suppressed
from shapelint.cli.rules import RuleSelection
from shapelint.engine import FileResult, analyze_source
from shapelint.lsp.positions import split_lines
from shapelint.notebook import Notebook, NotebookResult, analyse_cells, join_cells
from shapelint.options import DEFAULT_OPTIONS, AnalysisOptions

# Seconds of quiet after a change before the analysis: enough to take a burst
# of keystrokes (or a paste's several changes) as one, short enough that the
# seed scenario's diagnostics follow a change within 100 ms.
DEFAULT_DEBOUNCE = 0.05


@dataclass(frozen=True)
class ServerOptions:
    """What ``initializationOptions`` set: the ``[tool.shapelint]`` keys that
    concern one file (select, ignore, keras-version; they win over the
    project's) and ``debounce`` (seconds of quiet before analysing a change,
    or as long as the document's last analysis took if that is longer; 0:
    analyse every change at once)."""

    debounce: float = DEFAULT_DEBOUNCE
    select: Optional[FrozenSet[str]] = None
    ignore: FrozenSet[str] = frozenset()
    keras_version: Optional[int] = None


_FILE_KEYS = ("select", "ignore", "disable", "keras-version")


def server_options(data: Any) -> Tuple[ServerOptions, List[str]]:
    """The options from ``initializationOptions`` (a JSON object, or nothing),
    and what was wrong with them (each one line; the rest still applies)."""
    if data is None:
        return ServerOptions(), []
    if not isinstance(data, dict):
        return ServerOptions(), [f"initializationOptions must be an object, not {type(data).__name__}"]
    problems: List[str] = []
    debounce = DEFAULT_DEBOUNCE
    if "debounce" in data:
        value = data["debounce"]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10:
            debounce = float(value)
        else:
            problems.append(f"initializationOptions: debounce must be seconds between 0 and 10, not {value!r}")
    unknown = sorted(set(data) - set(_FILE_KEYS) - {"debounce"})
    if unknown:
        problems.append(f"initializationOptions: unknown key(s) {', '.join(unknown)} (known: debounce, "
                        f"{', '.join(_FILE_KEYS)})")
    table = {key: data[key] for key in _FILE_KEYS if key in data}
    try:
        settings = settings_from_table(table, "initializationOptions")
    except ConfigError as exc:
        problems.append(str(exc))
        return ServerOptions(debounce), problems
    return ServerOptions(debounce, settings.select, settings.ignore, settings.keras_version), problems


@dataclass(frozen=True)
class Part:
    """One editor document of the analysed program: the file itself, or one
    code cell of a notebook (program lines ``first_line`` onward, 1-based)."""

    uri: str
    first_line: int
    lines: Tuple[str, ...]  # its lines as the engine read them (IPython lines blanked)


@dataclass(frozen=True)
class CellText:
    """A notebook cell as the editor holds it."""

    uri: str
    code: bool  # a Python code cell (markdown and other languages are not)
    source: str


@dataclass
class Analysis:
    """One analysis of a document: the engine's result over ``program`` and
    the map from program lines back to the editor's documents."""

    key: str  # the document (file or notebook) URI
    path: str
    program: str
    parts: Tuple[Part, ...]
    result: FileResult
    notebook: Optional[Notebook] = None
    cells: Tuple[CellText, ...] = ()  # a notebook's cells, in order
    problems: List[str] = field(default_factory=list)  # for the log: configuration, internal errors

    def locate(self, line: int) -> Optional[Tuple[Part, int]]:
        """The part holding program line ``line`` and the 0-based line in it."""
        for part in self.parts:
            if part.first_line <= line < part.first_line + len(part.lines):
                return part, line - part.first_line
        return None

    def part(self, uri: str) -> Optional[Part]:
        return next((p for p in self.parts if p.uri == uri), None)

    def program_line(self, uri: str, line: int) -> Optional[Tuple[int, str]]:
        """(program line, its text) of 0-based ``line`` of document ``uri``."""
        part = self.part(uri)
        if part is None or not 0 <= line < len(part.lines):
            return None
        return part.first_line + line, part.lines[line]


@dataclass(frozen=True)
class FileSettings:
    """What applies to one file: its rules and engine options, and what was
    wrong with its configuration (logged; the defaults then apply)."""

    selection: RuleSelection
    engine: AnalysisOptions
    problems: Tuple[str, ...] = ()


def file_settings(path: str, options: ServerOptions) -> FileSettings:
    """``path``'s ``[tool.shapelint]`` (read afresh each time, so an edited
    pyproject.toml applies), with the server's options over it."""
    problems: Tuple[str, ...] = ()
    try:
        settings = ConfigFinder().for_file(path)
    except ConfigError as exc:
        problems = (f"{exc} (the defaults apply)",)
        settings = None
    select = options.select if options.select is not None else (settings.select if settings else None)
    ignore = options.ignore | (settings.ignore if settings else frozenset())
    version = options.keras_version or (settings.keras_version if settings else None)
    engine_options = DEFAULT_OPTIONS if version is None else AnalysisOptions(version)
    return FileSettings(RuleSelection(select, ignore), engine_options, problems)


def _run(path: str, program: str, settings: FileSettings,
         cells: Optional[Sequence[Tuple[int, int]]], problems: List[str]) -> FileResult:
    problems.extend(settings.problems)
    result = analyze_source(program, path, settings.engine)
    problems.extend(result.notes)
    lines = split_lines(program)
    result.findings = [f for f in result.findings
                       if settings.selection.reports(f.symbol) and not suppressed(lines, f)]
    if result.findings and result.graph is not None:
        from shapelint.fixes import annotate  # pylint: disable=import-outside-toplevel

        try:
            annotate(result, program, cells)
        except Exception as exc:  # pylint: disable=broad-except
            problems.append(f"planning the fixes failed ({type(exc).__name__}: {exc})")
    return result


def analyse_file(uri: str, path: str, text: str, settings: FileSettings) -> Analysis:
    problems: List[str] = []
    result = _run(path, text, settings, None, problems)
    part = Part(uri, 1, tuple(split_lines(text)))
    return Analysis(uri, path, text, (part,), result, problems=problems)


def analyse_notebook(uri: str, path: str, cells: Sequence[CellText], settings: FileSettings) -> Analysis:
    """The notebook's code cells as one program, as ``shapelint x.ipynb``
    reads a notebook file (cells numbered as Jupyter numbers them)."""
    problems: List[str] = []
    notebook = join_cells((number, cell.source) for number, cell in enumerate(cells, 1) if cell.code)
    spans = [(c.first_line, c.line_count) for c in notebook.cells]
    attempts: List[List[str]] = []

    def run(program: str) -> FileResult:
        attempts.append([])
        return _run(path, program, settings, spans, attempts[-1])

    # a cell that does not parse fails alone (its syntax error reported as any other)
    notebook, result = analyse_cells(notebook, run)
    problems.extend(attempts[-1])
    result.findings = [f for f in result.findings if settings.selection.reports(f.symbol)]
    lines = split_lines(notebook.program)
    numbered: Dict[int, CellText] = dict(enumerate(cells, 1))
    parts = tuple(Part(numbered[c.number].uri, c.first_line,
                       tuple(lines[c.first_line - 1:c.first_line - 1 + c.line_count]))
                  for c in notebook.cells)
    return Analysis(uri, path, notebook.program, parts, NotebookResult.wrap(result, notebook), notebook,
                    tuple(cells), problems)
