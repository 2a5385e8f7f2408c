"""Finding kinds are objects defined once in ``shapelint.messages``: the
table is derived from them, every rule and check raises one by reference,
and every registered kind has its message docs."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shapelint import messages
from shapelint.findings import Finding
from shapelint.messages import KINDS, MESSAGES, SYNTAX_ERROR, FindingKind, by_symbol
from shapelint.shapes.registry import ShapeError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "shapelint").rglob("*.py"))
KIND_NAMES = {name for name, value in vars(messages).items() if isinstance(value, FindingKind)}


def _kind_argument(call: ast.Call):
    """The argument of a ``ShapeError(...)``/``Finding(...)``/``Finding.at(...)``
    call that names the kind, or None for other calls."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in ("ShapeError", "Finding"):
        index, keyword = 0, "kind"
    elif isinstance(func, ast.Attribute) and func.attr == "at" \
            and isinstance(func.value, ast.Name) and func.value.id == "Finding":
        index, keyword = 1, "kind"
    else:
        return None
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), ast.Constant(None))


def _imported_from_messages(tree: ast.Module) -> set:
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "shapelint.messages"
            for alias in node.names}


def _raise_sites():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_from_messages(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                arg = _kind_argument(node)
                if arg is not None:
                    yield path.relative_to(ROOT), node.lineno, arg, imported


def test_the_table_is_derived_from_the_kind_objects():
    assert MESSAGES == {kind.symbol: kind for kind in KINDS}
    assert all(MESSAGES[kind.symbol] is kind for kind in KINDS)
    defined = {value for value in vars(messages).values() if isinstance(value, FindingKind)}
    assert defined - set(KINDS) == {SYNTAX_ERROR}, "a kind defined but not registered"
    assert len({k.msg_id for k in KINDS}) == len(KINDS) and len(MESSAGES) == len(KINDS)
    for kind in KINDS:
        assert kind.msg_id[0] in "EW" and kind.msg_id[1:3] == "59" and kind.msg_id[3:].isdigit(), kind
        assert kind.title and kind.description, kind


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_kind_has_a_message_and_a_docs_page(kind):
    assert kind.docs_page == f"docs/messages/{kind.symbol}.md"
    page = ROOT / kind.docs_page
    assert page.is_file(), f"missing {kind.docs_page}"
    assert page.read_text(encoding="utf-8").splitlines()[0] == f"# {kind.symbol} ({kind.msg_id})"
    for example in ("bad.py", "good.py"):
        assert (ROOT / "docs" / "messages" / kind.symbol / example).is_file(), (kind.symbol, example)
    assert by_symbol(kind.symbol) is kind


def test_every_raise_site_names_a_registered_kind():
    """Scan the source: each ``ShapeError(kind, ...)``, ``Finding(kind, ...)``
    and ``Finding.at(node, kind, ...)`` passes a kind object imported from
    shapelint.messages (or re-raises one it caught: ``exc.kind``)."""
    sites = list(_raise_sites())
    assert len(sites) > 40  # the scan really sees the rules and checks
    for path, line, arg, imported in sites:
        where = f"{path}:{line}"
        if isinstance(arg, ast.Attribute) and arg.attr == "kind":
            continue  # a caught error's kind, passed on
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "by_symbol":
            continue  # a stored finding read back: by_symbol refuses an unknown symbol
        assert isinstance(arg, ast.Name), f"{where}: the kind must be a reference, got {ast.dump(arg)}"
        if path.name == "findings.py":
            continue  # Finding.at's own ``cls(kind, ...)``
        assert arg.id in KIND_NAMES and arg.id in imported, f"{where}: {arg.id} is no kind from shapelint.messages"
        kind = getattr(messages, arg.id)
        assert kind in KINDS or kind is SYNTAX_ERROR, f"{where}: {kind.symbol} is not a registered kind"


def test_a_string_is_not_a_kind():
    with pytest.raises(TypeError):
        ShapeError("incompatible-input-rank", "a string kind")
    with pytest.raises(TypeError):
        Finding("dense-on-unreduced-tensor", 1, 0, 1, 0, "a string kind")
    error = ShapeError(messages.INCOMPATIBLE_INPUT_RANK, "m", "f")
    assert error.kind is messages.INCOMPATIBLE_INPUT_RANK and (error.message, error.fix) == ("m", "f")


def test_a_finding_reads_its_symbol_and_id_from_its_kind():
    finding = Finding.at(None, messages.INPUT_LENGTH_DIFFERS, "text")
    assert (finding.symbol, finding.msg_id, finding.line) == ("input-length-differs", "W5910", 1)
    assert by_symbol("syntax-error") is SYNTAX_ERROR


def test_a_kind_equals_its_symbol():
    """--disable lists and ``ignore[...]`` comments name kinds by symbol."""
    kind = messages.MERGE_SHAPE_MISMATCH
    assert kind == "merge-shape-mismatch" and "merge-shape-mismatch" == kind
    assert kind in {"merge-shape-mismatch"} and str(kind) == "merge-shape-mismatch"
    assert kind != messages.INCOMPATIBLE_INPUT_RANK and kind != "incompatible-input-rank"
