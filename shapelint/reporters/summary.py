"""A static ``model.summary()``: layer, output shape, params, totals."""
from __future__ import annotations

from typing import List, Tuple

from shapelint.engine import FileResult
from shapelint.reporters.entries import cell_and_line
from shapelint.shapes import dims


def _where(result: FileResult, line) -> str:
    """``line 7``, or ``cell 3, line 2`` in a notebook."""
    if not isinstance(line, int):
        return f"line {line}"
    cell, in_cell = cell_and_line(result, line)
    return f"line {line}" if cell is None else f"cell {cell}, line {in_cell}"


def model_total(graph, model) -> Tuple[int, bool]:
    """(total params, every layer's params known) of a model (the graph's)."""
    return graph.model_total(model)


def render(result: FileResult) -> str:
    graph = result.graph
    if graph is None or not graph.models:
        return f"{result.path}: no model found\n"
    out: List[str] = []
    for n, model in enumerate(graph.models, 1):
        line = getattr(model.node, "lineno", "?")
        name = model.name or f"model_{n}"
        cell, in_cell = cell_and_line(result, line) if isinstance(line, int) else (None, line)
        where = f"{line}" if cell is None else f"cell {cell}:{in_cell}"
        out.append(f'{result.path}:{where}: Model: "{name}" ({model.kind})')
        out.extend(model_table(result, model))
        out.append("")
    return "\n".join(out) + "\n"


def model_table(result: FileResult, model) -> List[str]:
    """One model's summary lines: the layer table and its total params."""
    graph = result.graph
    out: List[str] = []
    rows = [("Layer (type)", "Output Shape", "Param #")]
    seen = set()
    for index in model.calls:
        call = graph.calls[index]
        params = call.params
        if call.layer_id in seen:
            params_text = "(shared)"
        else:
            seen.add(call.layer_id)
            params_text = "?" if params is None else f"{params:,}"
        rows.append((f"{call.class_name} ({_where(result, call.node.lineno)})",
                     dims.fmt_shape(call.output_shape), params_text))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    rule = "-" * (sum(widths) + 6)
    out.append(rule)
    for i, row in enumerate(rows):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            out.append(rule)
    out.append(rule)
    total, known = model_total(graph, model)
    out.append(f"Total params: {total:,}" + ("" if known else " (+ unknown)"))
    return out
