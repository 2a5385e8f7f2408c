"""The pylint adapter: one checker named ``shapelint`` over the engine."""
from __future__ import annotations

from pylint.checkers import BaseChecker
from pylint.interfaces import HIGH, INFERENCE

from shapelint.engine import analyze_module
from shapelint.messages import KINDS
from shapelint.options import AnalysisOptions


class _PrefixDenylist(set):
    """astroid's module_denylist, matching whole package prefixes."""

    PREFIXES = ("keras", "tensorflow", "tf_keras")

    def __contains__(self, modname) -> bool:
        if isinstance(modname, str) and modname.split(".")[0] in self.PREFIXES:
            return True
        return super().__contains__(modname)


def skip_keras_sources() -> None:
    """Stop astroid from building keras/tensorflow modules for the whole
    pylint run (it otherwise parses dozens of them to infer one
    ``layers.Dense`` or a ``keras.Model`` base class).  Other checkers then
    see those names as uninferable: they report less about them, never more."""
    import astroid  # pylint: disable=import-outside-toplevel
    from astroid.manager import AstroidManager  # pylint: disable=import-outside-toplevel

    denylist = _PrefixDenylist(astroid.MANAGER.module_denylist)
    astroid.MANAGER.module_denylist = denylist
    AstroidManager.brain["module_denylist"] = denylist


class ShapeChecker(BaseChecker):
    name = "shapelint"
    msgs = {
        m.msg_id: ("%s", m.symbol, m.description) for m in KINDS
    }
    options = (
        (
            "shapelint-skip-keras-sources",
            {
                "default": False,
                "type": "yn",
                "metavar": "<y or n>",
                "help": "Keep astroid from parsing keras/tensorflow sources during the whole "
                "pylint run (faster; other checkers then treat Keras names as uninferable).",
            },
        ),
        (
            "shapelint-keras-version",
            {
                "default": 3,
                "type": "choice",
                "choices": ["2", "3"],
                "metavar": "<2 or 3>",
                "help": "The Keras major version the code runs under: 3 (Keras 3, the default) or 2 "
                "(tf_keras, TensorFlow <= 2.15), which accepts tf.* functions on symbolic tensors. "
                "A module that imports tf_keras is read as Keras 2 either way.",
            },
        ),
    )

    def open(self) -> None:
        if self.linter.config.shapelint_skip_keras_sources:
            skip_keras_sources()

    def visit_module(self, node) -> None:
        try:
            options = AnalysisOptions(int(self.linter.config.shapelint_keras_version))
            # only the findings are reported: no graph kept
            result = analyze_module(node, getattr(node, "file", None) or "<module>", options, keep_graph=False)
        except Exception:  # pylint: disable=broad-except
            return  # never crash pylint
        for f in result.findings:
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
