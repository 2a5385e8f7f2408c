"""Hover: on a layer application (or the name its output is assigned to),
its input and output shapes and params; on a model (its
``Model(...)``/``Sequential(...)`` call, or a name the model is assigned
to), the static ``model.summary()`` the CLI's ``--shapes`` prints."""
from __future__ import annotations

import re
from typing import Any, List, Optional, Tuple

from lsprotocol import types

from shapelint.lsp.analysis import Analysis
from shapelint.lsp.hints import in_file, input_labels, layer_calls, shape_label
from shapelint.lsp.positions import UTF16, to_byte_column
from shapelint.reporters.summary import model_table

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _contains(node: Any, line: int, col: int) -> bool:
    start = (getattr(node, "lineno", None) or 0, getattr(node, "col_offset", None) or 0)
    end = (getattr(node, "end_lineno", None) or start[0], getattr(node, "end_col_offset", None) or start[1])
    return start <= (line, col) <= end


def _size(node: Any) -> Tuple[int, int]:
    return ((getattr(node, "end_lineno", 0) or 0) - (getattr(node, "lineno", 0) or 0),
            (getattr(node, "end_col_offset", 0) or 0) - (getattr(node, "col_offset", 0) or 0))


def _word(text: str, col: int) -> Optional[str]:
    """The identifier around byte column ``col`` of ``text`` (an ASCII name)."""
    data = text.encode("utf-8", errors="surrogatepass")
    for match in _IDENTIFIER.finditer(data.decode("latin-1")):
        if match.start() <= col <= match.end():
            return match.group()
    return None


def _targets(node: Any) -> List[Any]:
    """The names ``node`` is assigned to (``x = node``, ``x: T = node``)."""
    parent = getattr(node, "parent", None)
    if getattr(parent, "value", None) is not node:
        return []
    return [t for t in getattr(parent, "targets", None) or [getattr(parent, "target", None)]
            if t is not None and type(t).__name__ in ("AssignName", "Name")]


def _model_names(model: Any) -> List[str]:
    """The names a model is assigned to (``model = Model(...)``)."""
    parent = getattr(model.node, "parent", None)
    names = []
    for target in getattr(parent, "targets", None) or [getattr(parent, "target", None)]:
        name = getattr(target, "name", None)
        if isinstance(name, str):
            names.append(name)
    return names


def model_hover(analysis: Analysis, model: Any, number: int) -> str:
    name = model.name or f"model_{number}"
    table = "\n".join(model_table(analysis.result, model))
    return f'**Model "{name}"** ({model.kind}) -- static `model.summary()`\n\n```text\n{table}\n```'


def layer_hover(analysis: Analysis, call: Any) -> str:
    lines = [f"**{call.class_name}**",
             "",
             f"- input: `{input_labels(analysis, call)}`",
             f"- output: `{shape_label(call.output_shape, call.exact)}`",
             f"- params: {'unknown' if call.params is None else format(call.params, ',')}"]
    if call.error is not None:
        lines.append(f"- Keras refuses it: {getattr(call.error, 'message', call.error)}")
    return "\n".join(lines)


def hover_text(analysis: Analysis, line: int, col: int) -> Optional[str]:
    """The hover at program line ``line``, byte column ``col``."""
    graph = analysis.result.graph
    if graph is None:
        return None
    models = [(n, m) for n, m in enumerate(graph.models, 1) if in_file(analysis, m.node)]
    calls = [c for c in layer_calls(analysis) if _contains(c.node, line, col)]
    # The innermost call under the cursor: Dense(...)(x) inside Model(...)(...).
    inside = [(n, m) for n, m in models if _contains(m.node, line, col)]
    if calls and not (inside and _size(inside[0][1].node) < min(_size(c.node) for c in calls)):
        return layer_hover(analysis, min(calls, key=lambda c: _size(c.node)))
    if inside:
        return model_hover(analysis, inside[0][1], inside[0][0])
    for call in layer_calls(analysis):  # the name a layer's output is assigned to: score = Dense(1)(x)
        if any(_contains(target, line, col) for target in _targets(call.node)):
            return layer_hover(analysis, call)
    located = analysis.locate(line)
    word = _word(located[0].lines[located[1]], col) if located else None
    for number, model in models:
        if word is not None and word in _model_names(model):
            return model_hover(analysis, model, number)
    return None


def hover(analysis: Analysis, uri: str, where: types.Position, encoding: str = UTF16) -> Optional[types.Hover]:
    found = analysis.program_line(uri, where.line)
    if found is None:
        return None
    line, text = found
    value = hover_text(analysis, line, to_byte_column(text, where.character, encoding))
    if value is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value))
