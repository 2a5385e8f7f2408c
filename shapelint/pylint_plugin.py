"""The pylint adapter: one checker named ``shapelint`` over the engine."""
from __future__ import annotations

from pylint.checkers import BaseChecker
from pylint.interfaces import HIGH, INFERENCE

from shapelint.engine import analyze_module
from shapelint.messages import MESSAGES


class ShapeChecker(BaseChecker):
    name = "shapelint"
    msgs = {
        m.msg_id: ("%s", m.symbol, m.description) for m in MESSAGES.values()
    }

    def visit_module(self, node) -> None:
        try:
            result = analyze_module(node, getattr(node, "file", None) or "<module>")
        except Exception:  # pylint: disable=broad-except
            return  # never crash pylint
        for f in result.findings:
            if f.symbol not in MESSAGES:
                continue
            text = f.message
            if f.suggestions:
                text += "; fix: " + f.suggestions[0]
            try:
                self._report(f, text, node)
            except Exception:  # pylint: disable=broad-except
                continue  # a message pylint refuses must not crash the run

    def _report(self, f, text, module) -> None:
        self.add_message(
            f.symbol,
            node=f.node if f.node is not None else module,
            line=f.line,
            col_offset=f.col,
            end_lineno=f.end_line,
            end_col_offset=f.end_col,
            args=(text,),
            confidence=HIGH if f.confidence == "HIGH" else INFERENCE,
        )


def register(linter) -> None:
    linter.register_checker(ShapeChecker(linter))
