"""Make planned edits with LibCST, losslessly: the concrete syntax tree keeps
every comment, blank line, quote and line ending, and only the nodes an edit
names are rebuilt.  The one module that imports LibCST (``--fix`` only).

Each edit finds its node by span (LibCST's ``PositionProvider``: 1-based
lines, columns in characters) and type.  A node that cannot be found, or is
not the shape the planner expected, raises ``EditError``: the fix is then
not made.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from shapelint.fixes.edits import (AddImportName, AppendElement, Edit, InsertElementBefore,
                                   InsertStatementBefore, RenameImportName, RenameName, ReplaceString, Span,
                                   WrapArgument)


class EditError(Exception):
    """An edit whose node is not where (or what) the planner said."""


def _span(code_range) -> Span:
    return Span(code_range.start.line, code_range.start.column, code_range.end.line, code_range.end.column)


def _has_newline(node: cst.CSTNode) -> bool:
    return "\n" in cst.Module(body=[]).code_for_node(node) or "\r" in cst.Module(body=[]).code_for_node(node)


def _separator(items: Sequence, before: int) -> cst.Comma:
    """The comma that separates items of this sequence (the one just before
    position ``before`` if there is one), so a new item keeps the layout."""
    candidates = [items[before - 1]] if 0 < before <= len(items) - 1 else []
    candidates += list(items[:-1])
    for item in candidates:
        if isinstance(item.comma, cst.Comma):
            return item.comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _clean(comma: cst.Comma) -> cst.Comma:
    """A separator without the comments or blank lines that follow it."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(newline=after.first_line.newline),
                                   empty_lines=[])
    return comma.with_changes(whitespace_after=after)


def _insert(items: Sequence, index: int, new_item, multiline: bool) -> List:
    """``items`` (Elements, Args, ImportAliases: each with a ``comma``) with
    ``new_item`` at ``index``, commas arranged as the sequence has them."""
    items = list(items)
    if index < len(items):
        return items[:index] + [new_item.with_changes(comma=_clean(_separator(items, index)))] + items[index:]
    last = items[-1]
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    separator = _clean(_separator(items, len(items)))
    if trailing is not None and multiline:
        # a trailing comma in a one-item-per-line layout stays trailing
        new_item = new_item.with_changes(comma=trailing)
    items[-1] = last.with_changes(comma=separator)
    return items + [new_item]


class _Editor(cst.CSTTransformer):
    """Applies the edits to the nodes they name (keyed by the original node)."""

    def __init__(self, targets: Dict[cst.CSTNode, List[Tuple[Edit, Any]]], statements: Dict[cst.CSTNode, str]):
        super().__init__()
        self.targets = targets          # node -> (edit, the element it names) on it
        self.statements = statements    # statement line -> new statement to put before it
        self.done: List[Edit] = []

    def on_leave(self, original_node, updated_node):
        updated = super().on_leave(original_node, updated_node)
        for edit, element in self.targets.get(original_node, ()):
            updated = self._edit(edit, element, original_node, updated)
            self.done.append(edit)
        if isinstance(original_node, (cst.Module, cst.IndentedBlock)) and self.statements:
            updated = self._insert_statements(original_node, updated)
        return updated

    def _insert_statements(self, original, updated):
        body: List[cst.CSTNode] = []
        for before, after in zip(original.body, updated.body):
            text = self.statements.get(before)
            if text is not None:
                new = cst.parse_statement(text)
                new = new.with_changes(leading_lines=after.leading_lines)  # comments stay above both
                body.append(new)
                after = after.with_changes(leading_lines=())
                self.done.append(text)
            body.append(after)
        return updated.with_changes(body=body)

    @staticmethod
    def _edit(edit: Edit, element, original, updated):  # pylint: disable=too-many-return-statements
        if isinstance(edit, WrapArgument):
            argument = updated.args[0]
            wrapped = cst.Call(func=cst.parse_expression(edit.wrapper), args=[cst.Arg(value=argument.value)])
            return updated.with_changes(args=[argument.with_changes(value=wrapped)] + list(updated.args[1:]))
        if isinstance(edit, InsertElementBefore):
            index = next(i for i, e in enumerate(original.elements) if e is element)
            new = cst.Element(value=cst.parse_expression(edit.text))
            return updated.with_changes(elements=_insert(updated.elements, index, new, _has_newline(original)))
        if isinstance(edit, AppendElement):
            new = cst.Element(value=cst.parse_expression(edit.text))
            multiline = _has_newline(original)
            changes = {"elements": _insert(updated.elements, len(updated.elements), new, multiline)}
            if not multiline:  # (20, ) -> (20, 3), not (20, 3 )
                if isinstance(updated, cst.List):
                    changes["rbracket"] = updated.rbracket.with_changes(whitespace_before=cst.SimpleWhitespace(""))
                elif updated.rpar:
                    changes["rpar"] = [updated.rpar[0].with_changes(whitespace_before=cst.SimpleWhitespace(""))] + \
                        list(updated.rpar[1:])
            return updated.with_changes(**changes)
        if isinstance(edit, ReplaceString):
            quote = updated.quote
            return updated.with_changes(value=f"{updated.prefix}{quote}{edit.value}{quote}")
        if isinstance(edit, RenameName):
            if isinstance(updated, cst.Attribute):
                return updated.with_changes(attr=updated.attr.with_changes(value=edit.new))
            return updated.with_changes(value=edit.new)
        if isinstance(edit, AddImportName):
            names = list(updated.names)
            alias = cst.ImportAlias(name=cst.Name(edit.name))
            plain = [a.name.value for a in names if isinstance(a.name, cst.Name)]
            index = len(names)
            if len(plain) == len(names) and plain == sorted(plain, key=str.lower):
                index = sum(1 for name in plain if name.lower() < edit.name.lower())
            return updated.with_changes(names=_insert(names, index, alias, _has_newline(original)))
        if isinstance(edit, RenameImportName):
            names = [alias.with_changes(name=cst.Name(edit.new))
                     if isinstance(alias.name, cst.Name) and alias.name.value == edit.old and alias.asname is None
                     else alias for alias in updated.names]
            if names == list(updated.names):
                raise EditError(f"{edit.old} is not imported by this statement")
            return updated.with_changes(names=names)
        raise EditError(f"unknown edit {edit!r}")


def _find(index: Dict[Span, List[cst.CSTNode]], span: Span, kinds: Tuple[type, ...]) -> cst.CSTNode:
    found = [node for node in index.get(span, ()) if isinstance(node, kinds)]
    if len(found) != 1:
        raise EditError(f"no single {'/'.join(k.__name__ for k in kinds)} at {span}")
    return found[0]


def apply_edits(code: str, edits: Sequence[Edit]) -> str:
    """``code`` with the edits made; EditError when one cannot be made."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(code))
    except cst.ParserSyntaxError as exc:
        raise EditError(f"LibCST cannot parse the file: {exc}") from None
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    index: Dict[Span, List[cst.CSTNode]] = {}
    for node, code_range in positions.items():
        index.setdefault(_span(code_range), []).append(node)
    targets: Dict[cst.CSTNode, List[Tuple[Edit, Any]]] = {}
    statements: Dict[cst.CSTNode, str] = {}
    wanted = 0
    for edit in dict.fromkeys(edits):  # the same edit twice is made once
        wanted += 1
        if isinstance(edit, WrapArgument):
            call = _find(index, edit.call, (cst.Call,))
            if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
                raise EditError("the layer call does not take exactly one positional argument")
            targets.setdefault(call, []).append((edit, None))
        elif isinstance(edit, InsertElementBefore):
            value = _find(index, edit.element, (cst.Call, cst.Name, cst.Attribute))
            element = parents[value]
            sequence = parents.get(element)
            if not isinstance(element, cst.Element) or not isinstance(sequence, (cst.List, cst.Tuple)):
                raise EditError("the layer is not an element of a list")
            targets.setdefault(sequence, []).append((edit, element))
        elif isinstance(edit, AppendElement):
            value = _find(index, edit.first, (cst.BaseExpression,))
            element = parents[value]
            sequence = parents.get(element)
            if not isinstance(element, cst.Element) or not isinstance(sequence, (cst.List, cst.Tuple)) \
                    or sequence.elements[0] is not element:
                raise EditError("not the first element of a tuple or list")
            targets.setdefault(sequence, []).append((edit, None))
        elif isinstance(edit, InsertStatementBefore):
            call = _find(index, edit.call, (cst.Call,))
            expression = parents[call]
            line = parents.get(expression)
            if not isinstance(expression, cst.Expr) or not isinstance(line, cst.SimpleStatementLine) \
                    or len(line.body) != 1:
                raise EditError("the call is not a statement of its own")
            statements[line] = edit.text
        elif isinstance(edit, ReplaceString):
            targets.setdefault(_find(index, edit.string, (cst.SimpleString,)), []).append((edit, None))
        elif isinstance(edit, RenameName):
            targets.setdefault(_find(index, edit.name, (cst.Name, cst.Attribute)), []).append((edit, None))
        elif isinstance(edit, (AddImportName, RenameImportName)):
            statement = _find(index, edit.statement, (cst.ImportFrom,))
            if isinstance(statement.names, cst.ImportStar):
                raise EditError("a star import")
            targets.setdefault(statement, []).append((edit, None))
        else:
            raise EditError(f"unknown edit {edit!r}")
    editor = _Editor(targets, statements)
    module = wrapper.module.visit(editor)
    if len(editor.done) != wanted:
        raise EditError("not every edit found its node")
    return module.code
