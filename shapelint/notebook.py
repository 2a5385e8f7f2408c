"""Jupyter notebooks (nbformat 4) as one Python program.

The code cells, in order, are the program the kernel runs top to bottom.
IPython-only lines (``%magic``, ``!shell``, ``x = !cmd``, ``obj?``) are
blanked, so every line keeps its position and a finding maps back to its cell
and the line within it.  Read with the json module only: no nbformat import at
lint time.
"""
from __future__ import annotations

import ast
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, fields
from typing import Callable, Iterable, List, Optional, Tuple

from shapelint.engine import FileResult
from shapelint.findings import Finding
from shapelint.messages import SYNTAX_ERROR

# A line IPython rewrites before Python sees it.
_MAGIC_LINE = re.compile(
    r"""^\s*(?:
        [%!]                               # %time fit(...), %matplotlib inline, !pip install
      | [A-Za-z_][\w.,\s]*=\s*[%!]         # files = !ls, t = %timeit -o f()
      | \?{1,2}[\w.]+\s*$                  # ?model.fit
      | [\w.]+\?{1,2}\s*$                  # model.fit?
    )""",
    re.X,
)
# Cell magics whose body is still Python; any other %%magic cell (%%bash,
# %%html, %%writefile, ...) is not Python and is blanked whole.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "memit", "tensorflow"}
PYTHON_KERNELS = ("python", "python3", "ipython", "ipython3")


class NotebookError(ValueError):
    """The file is not a notebook shapelint can read (one line for the user)."""


@dataclass(frozen=True)
class Cell:
    number: int      # 1-based among all cells, markdown included, as Jupyter numbers them
    first_line: int  # the program line of the cell's first line
    line_count: int


@dataclass(frozen=True)
class Broken:
    """A code cell Python cannot parse: Jupyter fails that cell alone and
    runs the others, so it is blanked out of the program and reported."""

    line: int  # the program line of the error
    col: int
    message: str


@dataclass(frozen=True)
class Notebook:
    program: str
    cells: Tuple[Cell, ...]  # the code cells, in order
    language: str = "python"  # the kernel's; another language has no program
    broken: Tuple[Broken, ...] = ()  # cells left out of the program

    @property
    def is_python(self) -> bool:
        return self.language in PYTHON_KERNELS

    def locate(self, line: int) -> Tuple[int, int]:
        """(cell number, line within that cell) of a program line."""
        starts = [c.first_line for c in self.cells]
        index = max(bisect_right(starts, line) - 1, 0)
        if not self.cells:
            return 1, line
        cell = self.cells[index]
        return cell.number, line - cell.first_line + 1


@dataclass
class NotebookResult(FileResult):
    """An engine result over a notebook's program, with the map back to its
    cells (findings and layers keep program lines; reporters show cells)."""

    notebook: Optional[Notebook] = None

    @classmethod
    def wrap(cls, result: FileResult, notebook: Notebook) -> "NotebookResult":
        values = {f.name: getattr(result, f.name) for f in fields(FileResult)}
        return cls(**values, notebook=notebook)


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        if not all(isinstance(part, str) for part in source):
            raise NotebookError("a cell's source is not text")
        return "".join(source)
    if not isinstance(source, str):
        raise NotebookError("a cell's source is not text")
    return source


def _split_lines(source: str) -> List[str]:
    """Lines as Python's tokenizer counts them (str.splitlines would also
    split on form feeds and other characters Python treats as blanks)."""
    lines = re.split(r"\r\n|\r|\n", source)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _python_lines(source: str) -> List[str]:
    lines = _split_lines(source)
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if len(first) > 2 else ""
        if name not in _PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines = [""] + lines[1:]
    out = []
    continued = False  # the line before was a magic ending in a backslash
    for line in lines:
        if continued or _MAGIC_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            # An indented magic keeps its block non-empty (for ...: %time step()).
            out.append(f"{indent}pass" if indent and not continued else "")
            continued = line.rstrip().endswith("\\")  # !cmd --a \ <newline> --b: one command
        else:
            out.append(line)
    return out


def _leading_indent(lines: List[str]) -> List[str]:
    """IPython's ``leading_indent`` transform: the first non-blank line's
    indentation removed from every line that starts with it."""
    first = next((line for line in lines if line.strip()), "")
    space = first[: len(first) - len(first.lstrip())]
    if not space:
        return lines
    return [line[len(space):] if line.startswith(space) else line for line in lines]


def _syntax_error(lines: List[str]) -> Optional[SyntaxError]:
    try:
        ast.parse("\n".join(lines) + "\n")
    except SyntaxError as exc:
        return exc
    except (ValueError, MemoryError, RecursionError):  # null bytes, absurd nesting
        return SyntaxError("cannot be parsed")
    return None


def _language(document: dict) -> str:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    for key in ("language_info", "kernelspec"):
        info = metadata.get(key)
        if isinstance(info, dict):
            name = info.get("name") if key == "language_info" else info.get("language")
            if isinstance(name, str) and name:
                return name.lower()
    return "python"


def read_notebook(text: str) -> Notebook:
    """The program of a notebook's code cells; NotebookError says why not."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"not a valid notebook (invalid JSON: {exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells", document.get("worksheets")), list):
        raise NotebookError("not a valid notebook (no 'cells' list)")
    version = document.get("nbformat")
    if version != 4:
        raise NotebookError(f"nbformat {version} is not supported (only nbformat 4; "
                            f"convert it with: jupyter nbconvert --to notebook --nbformat 4)")
    language = _language(document)
    if language not in PYTHON_KERNELS:
        return Notebook("", (), language)  # an R or Julia notebook is not a mistake: nothing to lint
    code_cells: List[Tuple[int, str]] = []
    for number, cell in enumerate(document["cells"], 1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is not a JSON object")
        if cell.get("cell_type") == "code":
            code_cells.append((number, _cell_source(cell)))
    return join_cells(code_cells)


def join_cells(code_cells: Iterable[Tuple[int, str]]) -> Notebook:
    """The program of code cells given as (cell number, source), in order:
    a notebook file's (``read_notebook``) or an editor's open notebook."""
    program: List[str] = []
    cells: List[Cell] = []
    for number, source in code_cells:
        lines = _python_lines(source)
        cells.append(Cell(number, len(program) + 1, len(lines)))
        program.extend(lines)
    return Notebook("\n".join(program) + "\n" if program else "", tuple(cells))


def without_broken_cells(notebook: Notebook) -> Optional[Notebook]:
    """The notebook with the cells Python cannot parse on their own blanked
    (Jupyter compiles each cell alone: a bad cell fails, the others run),
    each but an indented cell IPython dedents recorded in ``broken``; None
    when every cell parses on its own.  Asked only once the whole program
    failed to parse, so a notebook that parses costs nothing more."""
    program = _split_lines(notebook.program)
    broken: List[Broken] = []
    blanked = False
    for cell in notebook.cells:
        lines = program[cell.first_line - 1:cell.first_line - 1 + cell.line_count]
        error = _syntax_error(lines)
        if error is None:
            continue
        if _syntax_error(_leading_indent(lines)) is not None:
            # (a cell whose leading indentation IPython removes runs: left out
            # unreported, its columns would not be the cell's)
            line = min(max(error.lineno or 1, 1), max(cell.line_count, 1))
            broken.append(Broken(cell.first_line + line - 1, max((error.offset or 1) - 1, 0),
                                 error.msg or "invalid syntax"))
        program[cell.first_line - 1:cell.first_line - 1 + cell.line_count] = [""] * cell.line_count
        blanked = True
    if not blanked:
        return None
    return Notebook("\n".join(program) + "\n", notebook.cells, notebook.language, tuple(broken))


def analyse_cells(notebook: Notebook, analyse: Callable[[str], FileResult]) -> Tuple[Notebook, FileResult]:
    """``analyse(program)`` of the notebook's program; if it does not parse,
    again without the cells that fail on their own, with a syntax-error
    finding for each (first in the result)."""
    result = analyse(notebook.program)
    if not any(f.symbol == SYNTAX_ERROR.symbol for f in result.findings):
        return notebook, result
    isolated = without_broken_cells(notebook)
    if isolated is None:
        return notebook, result
    result = analyse(isolated.program)
    result.findings[:0] = broken_cell_findings(isolated)
    return isolated, result


def broken_cell_findings(notebook: Notebook) -> List[Finding]:
    """A syntax-error finding for each cell left out of the program."""
    return [Finding(SYNTAX_ERROR, b.line, b.col, b.line, b.col,
                    f"could not parse this cell ({b.message}); it was not checked (the other cells were)", [])
            for b in notebook.broken]
