"""The language server's pure parts, without a client: columns in each
position encoding, the edits a fixed text makes, the hint labels, and the
guard that turns a handler's error into a log line."""
from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (the server and test extras)")

# pylint: disable=wrong-import-position
from lsprotocol import types  # noqa: E402

from shapelint.lsp.actions import text_edits  # noqa: E402
from shapelint.lsp.hints import shape_label  # noqa: E402
from shapelint.lsp.positions import from_byte_column, line_end, to_byte_column  # noqa: E402
from shapelint.lsp.server import guarded  # noqa: E402

LINE = 'sçöre = Dense(1, name="😀")(x)'


@pytest.mark.parametrize("encoding, expected", [("utf-16", 27), ("utf-32", 26), ("utf-8", 31)])
def test_a_byte_column_in_each_encoding(encoding, expected):
    byte_col = len('sçöre = Dense(1, name="😀")'.encode("utf-8"))
    assert from_byte_column(LINE, byte_col, encoding) == expected
    assert to_byte_column(LINE, expected, encoding) == byte_col


def test_columns_of_an_ascii_line_and_past_the_end():
    assert from_byte_column("x = Dense(1)(x)", 4) == 4
    assert from_byte_column("x", 10) == 1
    assert to_byte_column(LINE, 999) == len(LINE.encode("utf-8"))
    assert line_end(LINE) == len(LINE) + 1 and line_end(LINE, "utf-8") == len(LINE.encode("utf-8"))


def _apply(text: str, edits) -> str:
    lines = text.splitlines(keepends=True) + [""]

    def offset(position):
        return sum(len(line) for line in lines[:position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\nb\nc\n", "a\nb2\nb3\nc\nd\n"),
    ("a\nb", "a\nc"),
    ("a", "a\nb"),
    ("a\nb\n", "a\n"),
    ("import x\n\ny = f(x)\n", "import x, z\n\ny = f(z(x))\n"),
])
def test_text_edits_turn_the_old_text_into_the_new(old, new):
    edits = text_edits(old, new)
    assert _apply(old, edits) == new
    assert text_edits(old, old) == []


def test_text_edits_touch_only_the_changed_lines():
    edits = text_edits("a\nb\nc\nd\n", "A\nb\nc\nD\n")
    assert [(e.range.start.line, e.range.end.line, e.new_text) for e in edits] == [(0, 1, "A\n"), (3, 4, "D\n")]


def test_shape_labels():
    assert shape_label((None, 5, 5, 64), True) == "(None, 5, 5, 64)"
    assert shape_label((None, None, 8), True) == "(None, None, 8)"   # Keras' own None
    assert shape_label((None, None, 8), False) == "(None, ?, 8)"     # a size shapelint cannot tell
    assert shape_label((None, 3), False) == "(None, 3)"
    assert shape_label((None,), True) == "(None,)"
    assert shape_label(None, False) == "?"


class _Recorder:
    def __init__(self):
        self.logged = []

    def log(self, text, kind=None):
        self.logged.append((text, kind))


def test_a_failing_handler_is_logged_and_answers_the_default():
    @guarded(list)
    def handler(ls, params):
        raise ZeroDivisionError("boom")

    recorder = _Recorder()
    assert handler(recorder, None) == []
    assert recorder.logged == [("handler failed (ZeroDivisionError: boom)", types.MessageType.Error)]
