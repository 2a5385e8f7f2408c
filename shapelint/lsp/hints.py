"""Inlay hints: the shapes as the analysis computed them, at the end of the
line where each layer application ends, and the total params at the end of
each ``Model(...)``/``Sequential(...)`` call.

A size is written as Keras' ``model.summary()`` writes it: ``None`` for a
dynamic axis (the batch, a variable length) and a number for a known size;
a size shapelint could not tell is ``?`` (and a shape whose rank it could not
tell is ``?`` whole)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from lsprotocol import types

from shapelint.lsp.analysis import Analysis
from shapelint.lsp.positions import UTF16, line_end
from shapelint.reporters.summary import model_total
from shapelint.shapes import dims


def shape_label(shape: Any, exact: bool) -> str:
    """``(None, 5, 5, 64)``; an unknown size ``?``.  ``exact``: every None is
    a dynamic axis in Keras too; otherwise only the batch axis (the first) is."""
    if shape is None:
        return "?"
    sizes = []
    for axis, size in enumerate(shape):
        if size is None:
            sizes.append("None" if exact or axis == 0 else "?")
        else:
            sizes.append(dims.fmt_dim(size))
    inner = ", ".join(sizes) + ("," if len(sizes) == 1 else "")
    return f"({inner})"


def params_label(params: Optional[int]) -> str:
    if params is None:
        return ""
    return f"{params:,} param" + ("" if params == 1 else "s")


def layer_label(call: Any) -> str:
    """``(None, 5, 5, 1) · 65 params``: a layer call's output and, when known, its params."""
    params = params_label(call.params)
    shape = shape_label(call.output_shape, call.exact)
    return f"{shape} · {params}" if params else shape


def in_file(analysis: Analysis, node: Any) -> bool:
    """``node`` is code of the analysed file (not of a module it imported)."""
    try:
        root = node.root()
    except Exception:  # pylint: disable=broad-except
        return False
    return getattr(root, "file", None) == analysis.path


def layer_calls(analysis: Analysis) -> List[Any]:
    """The file's layer applications (the graph's LayerCalls the JSON's
    ``layers`` are made from), in order."""
    graph = analysis.result.graph
    if graph is None:
        return []
    return [c for c in graph.calls if c.kind in ("layer", "custom") and in_file(analysis, c.node)]


def input_labels(analysis: Analysis, call: Any) -> str:
    graph = analysis.result.graph
    tids = list(call.input_tids)
    if len(tids) == len(call.input_shapes):
        labels = [shape_label(s, graph.exact(t)) for s, t in zip(call.input_shapes, tids)]
    else:
        labels = [shape_label(s, False) for s in call.input_shapes]
    return " + ".join(labels) or "()"


def hint_lines(analysis: Analysis) -> List[Tuple[int, str, str]]:
    """(program line, label, tooltip) of every hint: one a line where layer
    applications end (several on one line: each named), one a model call."""
    by_line: Dict[int, List[Any]] = {}
    for call in layer_calls(analysis):
        line = getattr(call.node, "end_lineno", None) or call.node.lineno
        by_line.setdefault(line, []).append(call)
    out: List[Tuple[int, str, str]] = []
    for line, calls in by_line.items():
        if len(calls) == 1:
            label = layer_label(calls[0])
        else:
            label = "  ".join(f"{c.class_name} {layer_label(c)}" for c in calls)
        tooltip = "\n".join(f"{c.class_name}: {input_labels(analysis, c)} -> "
                            f"{shape_label(c.output_shape, c.exact)}" for c in calls)
        out.append((line, label, tooltip))
    graph = analysis.result.graph
    for number, model in enumerate(graph.models if graph is not None else (), 1):
        if not in_file(analysis, model.node):
            continue
        total, known = model_total(graph, model)
        name = model.name or f"model_{number}"
        label = f"{name}: {total:,} params" + ("" if known else " + ?")
        line = getattr(model.node, "end_lineno", None) or getattr(model.node, "lineno", 1)
        out.append((line, label, f"{model.kind} model, {len(model.calls)} layer calls"))
    out.sort(key=lambda item: item[0])
    return out


def inlay_hints(analysis: Analysis, uri: str, window: types.Range, encoding: str = UTF16) -> List[types.InlayHint]:
    """The hints of document ``uri`` (a file, or one cell) within ``window``."""
    part = analysis.part(uri)
    if part is None:
        return []
    hints = []
    for line, label, tooltip in hint_lines(analysis):
        local = line - part.first_line
        if not 0 <= local < len(part.lines) or not window.start.line <= local <= window.end.line:
            continue
        hints.append(types.InlayHint(
            position=types.Position(local, line_end(part.lines[local], encoding)),
            label=label,
            kind=types.InlayHintKind.Type,
            tooltip=tooltip,
            padding_left=True,
        ))
    return hints
