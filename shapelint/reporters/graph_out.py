"""``--graph FILE``: the layer graph with shapes on the edges, as Graphviz
DOT (``.dot``, ``.gv``) or rendered by Graphviz's ``dot`` (``.svg``,
``.png``, ``.pdf``) when it is on PATH."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Iterable, Optional

from shapelint.engine import FileResult
from shapelint.reporters.entries import cell_and_line

DOT_SUFFIXES = (".dot", ".gv")
RENDERED_SUFFIXES = (".svg", ".png", ".pdf")
_LINE_LABEL = re.compile(r"\(line (\d+)\)")


class GraphError(Exception):
    """The graph could not be written (the message is for the user)."""


def unwritable(target: str) -> Optional[str]:
    """Why ``target`` cannot be written, or None; asked before linting."""
    suffix = os.path.splitext(target)[1].lower()
    if suffix in DOT_SUFFIXES:
        return None
    if suffix in RENDERED_SUFFIXES:
        if shutil.which("dot") is None:
            return (f"--graph {target}: rendering {suffix} needs Graphviz's 'dot', which is not on PATH; "
                    f"write {os.path.splitext(target)[0]}.dot and render it with: dot -T{suffix[1:]}")
        return None
    return (f"--graph {target}: cannot write {suffix or 'a file without an extension'}; "
            f"use .dot (or .svg, .png, .pdf with Graphviz's dot on PATH)")


def _dot(result: FileResult) -> str:
    dot = result.graph.to_dot()

    def relabel(match: "re.Match[str]") -> str:
        cell, line = cell_and_line(result, int(match.group(1)))
        return match.group(0) if cell is None else f"(cell {cell}, line {line})"

    return _LINE_LABEL.sub(relabel, dot)


def write(results: Iterable[FileResult], target: str) -> Optional[str]:
    """Write the graph; returns a note for the user, raises GraphError."""
    dots = [_dot(r) for r in results if isinstance(r, FileResult) and r.graph is not None and r.graph.calls]
    if not dots:
        return "shapelint: no layer graph to write (no Keras layers found)"
    dot = dots[0] if len(dots) == 1 else "\n".join(dots)
    suffix = os.path.splitext(target)[1].lower()
    if suffix in RENDERED_SUFFIXES:
        exe = shutil.which("dot")
        if exe is None:
            raise GraphError(unwritable(target))
        proc = subprocess.run([exe, f"-T{suffix[1:]}", "-o", target], input=dot.encode("utf-8"),
                              capture_output=True, check=False)
        if proc.returncode != 0:
            raise GraphError(f"--graph {target}: Graphviz failed: "
                             f"{proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
        return None
    try:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(dot)
    except OSError as exc:
        raise GraphError(f"--graph {target}: cannot write: {exc.strerror or exc}") from None
    return None
