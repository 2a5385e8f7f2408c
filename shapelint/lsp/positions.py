"""Columns as LSP counts them.

astroid (like Python's ``ast``) gives 1-based lines and columns in UTF-8
bytes; LSP wants 0-based lines and columns in the position encoding the
client and server agreed on (UTF-16 code units unless the client offers
another).  Each conversion reads the line's text."""
from __future__ import annotations

import re
from typing import List

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what Python and LSP both count as a line break
_LINES_WITH_ENDS = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> List[str]:
    """The lines of ``text`` without their endings (a last empty line kept,
    as LSP counts it)."""
    return _LINE_BREAK.split(text)


def lines_with_ends(text: str) -> List[str]:
    return _LINES_WITH_ENDS.findall(text)


def _units(text: str, encoding: str) -> int:
    """The length of ``text`` in the encoding's code units."""
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    if encoding == UTF32 or text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def from_byte_column(line: str, byte_col: int, encoding: str = UTF16) -> int:
    """The LSP column of an astroid column (UTF-8 bytes into ``line``)."""
    byte_col = max(byte_col, 0)
    if line.isascii():
        return min(byte_col, len(line))
    if encoding == UTF8:
        return min(byte_col, len(line.encode("utf-8", errors="surrogatepass")))
    prefix = line.encode("utf-8", errors="surrogatepass")[:byte_col].decode("utf-8", errors="ignore")
    return _units(prefix, encoding)


def to_byte_column(line: str, column: int, encoding: str = UTF16) -> int:
    """The astroid column (UTF-8 bytes) of an LSP column into ``line``."""
    column = max(column, 0)
    if line.isascii():
        return min(column, len(line))
    if encoding == UTF8:
        return column
    units = 0
    for index, ch in enumerate(line):
        if units >= column:
            return len(line[:index].encode("utf-8", errors="surrogatepass"))
        units += 2 if encoding == UTF16 and ord(ch) > 0xFFFF else 1
    return len(line.encode("utf-8", errors="surrogatepass"))


def line_end(line: str, encoding: str = UTF16) -> int:
    """The LSP column just after the last character of ``line``."""
    return _units(line, encoding)
