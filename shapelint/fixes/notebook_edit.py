"""Fix a notebook in place: edit the code cells' source and leave every other
byte of the JSON as it was.

The notebook is never re-serialised: the ``"source"`` value of each edited
cell is found in the raw text and replaced by the new one written in the
same style (a list of lines -- the original tokens kept for lines that did
not change -- or one string; the same separators; escaped non-ASCII only if
the file escapes it).  Each cell is edited as the Python module IPython
compiles it, IPython lines (``%magic``, ``!cmd``) held by placeholder
comments while LibCST edits the cell and put back afterwards.
"""
from __future__ import annotations

import difflib
import json
import re
from typing import Dict, List, Sequence, Tuple

from shapelint.fixes.apply import EditError, apply_edits
from shapelint.fixes.edits import Edit, anchor
from shapelint.notebook import read_notebook

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_MARK = "#shapelint-fix:ipython-line-{}#"
_MARKED = re.compile(r"#shapelint-fix:ipython-line-(\d+)#")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _split(source: str) -> List[str]:
    """Lines with their endings, split where Python splits them."""
    return _LINES.findall(source)


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


def _expect(text: str, index: int, char: str) -> int:
    index = _skip(text, index)
    if text[index:index + 1] != char:
        raise EditError(f"unexpected notebook JSON at offset {index}")
    return index + 1


def _object_members(text: str, index: int):
    """(key, value start, value end) of the JSON object starting at ``index``."""
    index = _expect(text, index, "{")
    if text[_skip(text, index)] == "}":
        return
    while True:
        index = _skip(text, index)
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, _expect(text, index, ":"))
        _value, end = _DECODER.raw_decode(text, index)
        yield key, index, end
        index = _skip(text, end)
        if text[index] == "}":
            return
        index = _expect(text, index, ",")


def _array_items(text: str, index: int) -> List[Tuple[int, int]]:
    """(start, end) of each item of the JSON array starting at ``index``."""
    items: List[Tuple[int, int]] = []
    index = _expect(text, index, "[")
    if text[_skip(text, index)] == "]":
        return items
    while True:
        index = _skip(text, index)
        _value, end = _DECODER.raw_decode(text, index)
        items.append((index, end))
        index = _skip(text, end)
        if text[index] == "]":
            return items
        index = _expect(text, index, ",")


def source_spans(text: str) -> Dict[int, Tuple[int, int]]:
    """Cell number (1-based among all cells) -> span of its ``"source"`` value."""
    spans: Dict[int, Tuple[int, int]] = {}
    for key, start, _end in _object_members(text, _skip(text, 0)):
        if key != "cells":
            continue
        for number, (cell_start, _cell_end) in enumerate(_array_items(text, start), 1):
            for cell_key, value_start, value_end in _object_members(text, cell_start):
                if cell_key == "source":
                    spans[number] = (value_start, value_end)
    return spans


def _program_lines(source: str) -> List[str]:
    """The cell's lines as the linted program has them (IPython lines blanked)."""
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]}
    return read_notebook(json.dumps(document)).program.split("\n")


def _edit_cell(source: str, edits: Sequence[Edit]) -> str:
    lines = _split(source)
    program = _program_lines(source)
    held: Dict[int, str] = {}
    code: List[str] = []
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        as_linted = program[number] if number < len(program) else body
        if as_linted != body:  # an IPython line: keep its place with a marked comment
            held[number] = body
            indent = as_linted[: len(as_linted) - len(as_linted.lstrip())]
            code.append(f"{indent}pass  {_MARK.format(number)}{ending}" if as_linted.strip()
                        else f"{_MARK.format(number)}{ending}")
        else:
            code.append(line)
    edited = apply_edits("".join(code), edits)

    def restore(match_line: str) -> str:
        found = _MARKED.search(match_line)
        if not found:
            return match_line
        body = match_line.rstrip("\r\n")
        return held[int(found.group(1))] + match_line[len(body):]

    return "".join(restore(line) for line in _split(edited))


def _write_source(text: str, start: int, end: int, new_source: str) -> str:
    """The JSON text of the new ``source`` value, in the original's style."""
    original = text[start:end]
    ensure_ascii = text.isascii()
    if not original.startswith("["):
        return json.dumps(new_source, ensure_ascii=ensure_ascii)
    items = _array_items(text, start)
    tokens = [text[a:b] for a, b in items]
    old_lines = [_DECODER.raw_decode(token)[0] for token in tokens]
    if not items:
        opening, separator, closing = "", ", ", ""
    else:
        opening = text[start + 1:items[0][0]]
        closing = text[items[-1][1]:end - 1]
        separator = text[items[0][1]:items[1][0]] if len(items) > 1 else "," + (opening or " ")
    new_lines = _split(new_source)
    new_tokens: List[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            new_tokens.extend(tokens[i1:i2])
        else:
            new_tokens.extend(json.dumps(line, ensure_ascii=ensure_ascii) for line in new_lines[j1:j2])
    return "[" + opening + separator.join(new_tokens) + closing + "]"


def apply_to_notebook(text: str, edits: Sequence[Edit]) -> str:
    """The notebook JSON text with the edits made in its cells' source.
    Edits are in program lines (as the analysis saw the code cells)."""
    notebook = read_notebook(text)
    spans = source_spans(text)
    by_cell: Dict[int, List[Edit]] = {}
    for edit in edits:
        line = anchor(edit).line
        cell = next((c for c in notebook.cells if c.first_line <= line < c.first_line + c.line_count), None)
        if cell is None or cell.number not in spans:
            raise EditError("an edit outside the code cells")
        by_cell.setdefault(cell.number, []).append(_shift(edit, 1 - cell.first_line))
    document = json.loads(text)
    pieces: List[Tuple[int, int, str]] = []
    for number, cell_edits in by_cell.items():
        source = document["cells"][number - 1]["source"]
        source = "".join(source) if isinstance(source, list) else source
        new_source = _edit_cell(source, cell_edits)
        if new_source != source:
            start, end = spans[number]
            pieces.append((start, end, _write_source(text, start, end, new_source)))
    for start, end, replacement in sorted(pieces, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _shift(edit: Edit, lines: int) -> Edit:
    from dataclasses import fields, replace  # pylint: disable=import-outside-toplevel

    changes = {f.name: getattr(edit, f.name).shifted(lines) for f in fields(edit)
               if hasattr(getattr(edit, f.name), "shifted")}
    return replace(edit, **changes)
