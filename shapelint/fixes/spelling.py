"""How the module itself spells a Keras name, so that a fix writes the new
name the same way: ``layers.GlobalAveragePooling2D`` where the module writes
``layers.Dense``, ``tf.keras.layers.GlobalAveragePooling2D`` where it writes
``tf.keras.layers.Dense``, a bare name added to the ``from ... import`` that
brought ``Dense`` in.

Resolved lexically, as the front end resolves names (STYLE.md): flatten the
attribute chain, look its head up in the module's imports, normalise
``tensorflow.keras`` and friends to ``keras``.  Anything else (a name bound
by an assignment, a parameter, a module passed in) gives None: no fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from astroid import nodes

from shapelint.fixes.edits import AddImportName, Edit, RenameImportName, span_of
from shapelint.frontend.resolve import normalise


@dataclass(frozen=True)
class Spelled:
    """A name as the module writes it, and the import edit it needs (if any)."""

    text: str
    edits: Tuple[Edit, ...] = ()


def _chain(expr: Any) -> Optional[List[str]]:
    """``tf.keras.layers.Dense`` -> ['tf', 'keras', 'layers', 'Dense']."""
    parts: List[str] = []
    while isinstance(expr, nodes.Attribute):
        parts.append(expr.attrname)
        expr = expr.expr
    if not isinstance(expr, nodes.Name):
        return None
    parts.append(expr.name)
    return parts[::-1]


def _binding(name_node: nodes.Name) -> Optional[Any]:
    """The one import statement that binds a name where it is used, or None
    (not an import, bound several times, or not bound at all)."""
    _scope, assignments = name_node.lookup(name_node.name)
    if len(assignments) != 1:
        return None
    binding = assignments[0]
    return binding if isinstance(binding, (nodes.Import, nodes.ImportFrom)) else None


def _imported_qualname(binding: Any, name: str) -> Optional[str]:
    """The dotted name an import binds to ``name``."""
    for imported, alias in binding.names:
        if isinstance(binding, nodes.Import):
            if alias == name:
                return imported
            if alias is None and imported.split(".")[0] == name:
                return name  # ``import tensorflow.keras`` binds ``tensorflow``
        elif (alias or imported) == name:
            if binding.level:
                return None  # a relative import is the project's own module
            return f"{binding.modname}.{imported}"
    return None


def qualified_name(expr: Any) -> Optional[str]:
    """The normalised dotted name an expression denotes through the module's
    imports (``keras.layers.Dense``), or None."""
    parts = _chain(expr)
    if parts is None:
        return None
    head = expr
    while isinstance(head, nodes.Attribute):
        head = head.expr
    binding = _binding(head)
    if binding is None:
        if _star_import_module(expr.root(), parts[0]) is not None and len(parts) == 1:
            return f"{_star_import_module(expr.root(), parts[0])}.{parts[0]}"
        return None
    base = _imported_qualname(binding, parts[0])
    if base is None:
        return None
    return normalise(".".join([base] + parts[1:]))


def _star_import_module(module: nodes.Module, name: str) -> Optional[str]:
    """``from keras.layers import *`` at module level makes ``name`` a layer."""
    if name in module.locals:
        return None
    for statement in module.body:
        if isinstance(statement, nodes.ImportFrom) and not statement.level and \
                any(imported == "*" for imported, _ in statement.names):
            if normalise(statement.modname) in ("keras.layers", "keras.losses"):
                return normalise(statement.modname)
    return None


def _is_module_level(statement: Any) -> bool:
    return isinstance(statement.parent, nodes.Module)


def _bound_anywhere(module: nodes.Module, name: str) -> bool:
    """Is ``name`` assigned, defined, imported or a parameter anywhere in the module?"""
    if name in module.locals:
        return True
    for scope in module.nodes_of_class((nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)):
        if name in scope.locals:
            return True
    return False


def _only_use(expr: nodes.Name, binding: Any) -> bool:
    """Is ``expr`` the one place the module uses the name its import binds?"""
    uses = [n for n in expr.root().nodes_of_class(nodes.Name) if n.name == expr.name]
    return uses == [expr] and _binding(expr) is binding


def sibling(expr: Any, module_path: str, new_name: str, lines: List[str],
            replaces: bool = False) -> Optional[Spelled]:
    """Spell ``module_path.new_name`` (``keras.layers.GlobalAveragePooling2D``)
    the way ``expr`` -- a name the module resolves into ``module_path`` --
    is spelled; None when the module's spelling cannot be told for certain.
    ``replaces``: the new name takes the place of ``expr``, so an import used
    nowhere else is renamed rather than left unused."""
    parts = _chain(expr)
    if parts is None or qualified_name(expr) != f"{module_path}.{parts[-1]}":
        return None
    module = expr.root()
    if isinstance(expr, nodes.Attribute):
        prefix = expr.expr.as_string()
        return Spelled(f"{prefix}.{new_name}")
    # A bare name: from a star import, or from ``from <module_path> import Name``.
    binding = _binding(expr)
    if binding is None:
        if _star_import_module(module, parts[0]) == module_path and not _bound_anywhere(module, new_name):
            return Spelled(new_name)
        return None
    if not isinstance(binding, nodes.ImportFrom) or normalise(binding.modname) != module_path:
        return None
    existing = module.locals.get(new_name)
    if existing:
        # Already imported (under its own name, from the same module): use it.
        if len(existing) == 1 and isinstance(existing[0], nodes.ImportFrom) and \
                normalise(existing[0].modname) == module_path and \
                (new_name, None) in existing[0].names:
            return Spelled(new_name)
        return None
    if _bound_anywhere(module, new_name) or not _is_module_level(binding):
        return None
    if replaces and (parts[0], None) in binding.names and _only_use(expr, binding):
        return Spelled(new_name, (RenameImportName(span_of(binding, lines), parts[0], new_name),))
    return Spelled(new_name, (AddImportName(span_of(binding, lines), new_name),))
