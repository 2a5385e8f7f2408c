"""What a fix changes, as plain data: edits anchored at source spans.

A planner (one module per fix) reads the analysis and returns these; the
applier (``apply.py``, the only module that imports LibCST) finds the node at
each span in the concrete syntax tree and rewrites that node alone, so every
other byte of the file -- comments, blank lines, quotes, line endings -- is
kept.  Spans are in the program's own coordinates: 1-based lines, 0-based
columns counted in characters (astroid counts UTF-8 bytes; ``span_of``
converts), as LibCST's ``PositionProvider`` reports them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Tuple, Union


@dataclass(frozen=True)
class Span:
    line: int
    col: int
    end_line: int
    end_col: int

    def shifted(self, lines: int) -> "Span":
        return Span(self.line + lines, self.col, self.end_line + lines, self.end_col)

    def overlaps(self, other: "Span") -> bool:
        return (self.line, self.col) < (other.end_line, other.end_col) and \
            (other.line, other.col) < (self.end_line, self.end_col)


def _char_col(lines: List[str], line: int, byte_col: int) -> int:
    if not 1 <= line <= len(lines):
        return byte_col
    text = lines[line - 1]
    if text.isascii():
        return byte_col
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


def span_of(node: Any, lines: List[str]) -> Span:
    """The span of an astroid node (its own text, without enclosing parentheses)."""
    return Span(node.lineno, _char_col(lines, node.lineno, node.col_offset),
                node.end_lineno, _char_col(lines, node.end_lineno, node.end_col_offset))


def source_text(node: Any, lines: List[str], limit: int = 40) -> str:
    """The node's own text as the user wrote it (first line, shortened), for messages."""
    span = span_of(node, lines)
    text = lines[span.line - 1][span.col:] if span.line != span.end_line else \
        lines[span.line - 1][span.col:span.end_col]
    text = text.strip()
    return text if len(text) <= limit and span.line == span.end_line else text[:limit - 3].rstrip() + "..."


# --- The edits --------------------------------------------------------------
# Each names the node it changes by its span and says what becomes of it.
# ``text`` is always a Python expression or statement to parse, never a patch.

@dataclass(frozen=True)
class WrapArgument:
    """``layer(x)`` -> ``layer(<wrapper>(x))``: the call's one positional argument."""

    call: Span
    wrapper: str  # an expression that is called on the argument, e.g. "GlobalAveragePooling2D()"


@dataclass(frozen=True)
class InsertElementBefore:
    """``[a, b]`` -> ``[a, <text>, b]``: a new element before ``b`` (keeping the list's layout)."""

    element: Span
    text: str


@dataclass(frozen=True)
class InsertStatementBefore:
    """A new statement before the one whose whole expression is the call at ``call``."""

    call: Span
    text: str


@dataclass(frozen=True)
class ReplaceString:
    """A string literal's value (its prefix and quotes are kept)."""

    string: Span
    value: str


@dataclass(frozen=True)
class RenameName:
    """The last name of ``a.b.Name`` or of a bare ``Name``."""

    name: Span
    new: str


@dataclass(frozen=True)
class AppendElement:
    """``(28, 28)`` -> ``(28, 28, 3)``: one more element at the end of a tuple
    or list literal, named by its first element (a tuple's own parentheses
    are counted in its span by astroid, not by LibCST)."""

    first: Span
    text: str


@dataclass(frozen=True)
class AddImportName:
    """``from m import a, b`` -> ``from m import a, b, <name>`` (in sorted place when the names are sorted)."""

    statement: Span  # the ImportFrom statement
    name: str


@dataclass(frozen=True)
class RenameImportName:
    """``from m import a, old`` -> ``from m import a, new`` (when nothing else uses ``old``)."""

    statement: Span  # the ImportFrom statement
    old: str
    new: str


Edit = Union[WrapArgument, InsertElementBefore, InsertStatementBefore, ReplaceString, RenameName,
             AppendElement, AddImportName, RenameImportName]


def anchor(edit: Edit) -> Span:
    return next(value for value in vars(edit).values() if isinstance(value, Span))


def edits_conflict(a: Tuple[Edit, ...], b: Tuple[Edit, ...]) -> bool:
    """Do two fixes change overlapping text differently?  Making the very
    same edit, or adding names to one import statement, is no conflict."""
    imports = (AddImportName, RenameImportName)
    for x in a:
        for y in b:
            if x == y:
                continue
            if isinstance(x, imports) and isinstance(y, imports) and \
                    not (isinstance(x, RenameImportName) and isinstance(y, RenameImportName) and x.old == y.old):
                continue
            if anchor(x).overlaps(anchor(y)):
                return True
    return False
