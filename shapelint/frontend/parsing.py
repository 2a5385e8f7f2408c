"""Parse source into an astroid tree without any inference.

``astroid.parse`` infers every ``self.attr = ...`` assignment and imports the
module behind every ``from x import *`` while it builds the tree: on Keras
code that builds dozens of keras/tensorflow modules (measured: 20 s for one
small subclassed model).  The front end resolves names lexically and needs
none of that, so this builder skips both steps and astroid's transforms.
"""
from __future__ import annotations

import bisect
import weakref
from typing import Dict, List, Optional, Tuple

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager

from shapelint.frontend.walk import nodes_in


class _LexicalBuilder(AstroidBuilder):
    def delayed_assattr(self, node) -> None:  # noqa: D401 - astroid's hook
        """Do not infer ``self.x = ...`` targets."""

    def add_from_names_to_locals(self, node, global_name) -> None:
        """Record imported names without importing star-imported modules."""
        for name, asname in node.names:
            if name == "*":
                continue
            target = node.root() if (asname or name) in global_name else node.parent
            target.set_local(asname or name, node)


# The standalone CLI never infers anything, so it can skip astroid's
# bootstrap (building the ``builtins`` module from live objects: 0.3 s of
# start-up).  Only a process that will never run pylint may set this: the
# CLI does; the pylint plugin and library callers do not.
SKIP_BOOTSTRAP = False


def parse(source: str, path: str = "<string>") -> nodes.Module:
    if SKIP_BOOTSTRAP:
        from astroid import raw_building  # pylint: disable=import-outside-toplevel

        raw_building.InspectBuilder.bootstrapped = True
    builder = _LexicalBuilder(AstroidManager(), apply_transforms=False)
    return builder.string_build(source, modname="", path=path)


_SCANNED_KINDS = (nodes.Name, nodes.AssignName, nodes.ClassDef, nodes.FunctionDef, nodes.Import, nodes.ImportFrom,
                  nodes.Const)
_SCANNED: Dict[type, bool] = {}  # node class -> is it one of _SCANNED_KINDS (a subclass too)


class ModuleScan:
    """What the module-wide questions need, from one walk of the tree (made
    once per module: the engine, the evaluator and the project imports all
    ask them)."""

    def __init__(self, module: nodes.Module):
        # (modname or None, [(name, alias)], level) of each Import (modname
        # None) / ImportFrom, in order: plain values, never the nodes (the
        # scan is cached under its module, which a node would keep alive)
        self.imports: List[Tuple[Optional[str], List[Tuple[str, Optional[str]]], int]] = []
        self.used, self.called, self.bound, self.defined = set(), set(), set(), set()
        self.legacy_keras_const = False  # a "TF_USE_LEGACY_KERAS" string somewhere
        uses: List[Tuple[Optional[int], str]] = []  # (line, name) of every Name
        for node in nodes_in(module):
            kind = type(node)
            scanned = _SCANNED.get(kind)
            if scanned is None:
                scanned = _SCANNED[kind] = issubclass(kind, _SCANNED_KINDS)
            if not scanned:
                continue  # most nodes: the tests below, at once
            if isinstance(node, nodes.Name):
                uses.append((node.lineno, node.name))
                if node.name[:1].isupper():
                    self.used.add(node.name)
                    if isinstance(node.parent, nodes.Call) and node.parent.func is node:
                        self.called.add(node.name)
            elif isinstance(node, nodes.AssignName):
                self.bound.add(node.name)
            elif isinstance(node, (nodes.ClassDef, nodes.FunctionDef)):
                self.bound.add(node.name)
                self.defined.add(node.name)
            elif isinstance(node, (nodes.Import, nodes.ImportFrom)):
                if isinstance(node, nodes.ImportFrom):
                    self.imports.append((node.modname, list(node.names), node.level or 0))
                else:
                    self.imports.append((None, list(node.names), 0))
                for name, asname in node.names:
                    self.bound.add((asname or name).split(".")[0])
            elif node.value == "TF_USE_LEGACY_KERAS":
                self.legacy_keras_const = True
        # (line, name) of the Names of functions and classes the module
        # defines, by line; None when a Name has no line (made by a
        # transform): what ``names_within`` answers from
        self.def_uses: Optional[List[Tuple[int, str]]] = None if any(line is None for line, _ in uses) else \
            sorted((line, name) for line, name in uses if name in self.defined)
        self.snippet_names: Optional[dict] = None

    def names_within(self, first: int, last: int) -> Optional[List[str]]:
        """The names of the module's functions and classes that Names on
        lines ``first`` to ``last`` read (None: not known from the scan).
        A def's lines, its decorators' included, hold its own nodes and no
        others': the names its subtree reads, without walking it."""
        if self.def_uses is None:
            return None
        uses = self.def_uses
        start = bisect.bisect_left(uses, first, key=_line)
        stop = bisect.bisect_right(uses, last, key=_line)
        return [name for _, name in uses[start:stop]]


def _line(use: Tuple[int, str]) -> int:
    return use[0]


_SCANS: "weakref.WeakKeyDictionary[nodes.Module, ModuleScan]" = weakref.WeakKeyDictionary()


def scan(module: nodes.Module) -> ModuleScan:
    try:
        return _SCANS[module]
    except (KeyError, TypeError):
        pass
    found = ModuleScan(module)
    try:
        _SCANS[module] = found
    except TypeError:
        pass  # not weakly referenceable: not cached
    return found


def mentions_keras(module: nodes.Module) -> bool:
    """Does the module import anything from Keras or TensorFlow?"""
    for modname, imported, _level in scan(module).imports:
        names = [modname] + [name for name, _ in imported]
        if any(("keras" in n or "tensorflow" in n) for n in names if n):
            return True
    return False


# Names a snippet uses without binding them that Keras exports besides its
# layer classes (the layers come from the shape-rule registry).
_KERAS_TOP_NAMES = {"Sequential": "keras.models.Sequential", "Model": "keras.models.Model",
                    "Input": "keras.layers.Input", "InputLayer": "keras.layers.InputLayer"}


def keras_snippet_names(module: nodes.Module) -> dict:
    """Keras names the module uses but never binds, each with the Keras name
    it stands for: a StackOverflow snippet or a notebook cell exported alone
    (``model = Sequential(); model.add(Dense(10))`` with no import), a star
    import from a module shapelint cannot read, or a layer used under its
    other name (``Convolution2D`` imported, ``Conv2D`` used).

    Empty unless one of them is called, and when the module binds any Keras
    name itself by a class or function of its own (its own ``Dense``): then
    its names are its own.  One walk of the tree; the layer registry is only
    consulted when some capitalised name is left unbound."""
    found = scan(module)
    if found.snippet_names is None:
        found.snippet_names = _snippet_names(found.used, found.called, found.bound, found.defined)
    return found.snippet_names


def _snippet_names(used: set, called: set, bound: set, defined: set) -> dict:
    unbound = (used - bound) & called
    if not unbound:
        return {}
    import builtins  # pylint: disable=import-outside-toplevel

    unbound = {n for n in unbound if not hasattr(builtins, n)}
    if not unbound:
        return {}
    from shapelint.shapes.registry import known_layer_names  # pylint: disable=import-outside-toplevel

    layer_names = known_layer_names()
    keras_names = set(layer_names) | set(_KERAS_TOP_NAMES)
    if defined & keras_names:
        return {}  # the module has a Dense (or a Model ...) of its own
    out = {}
    for name in (used - bound):
        if name in _KERAS_TOP_NAMES:
            out[name] = _KERAS_TOP_NAMES[name]
        elif name in layer_names:
            out[name] = f"keras.layers.{name}"
    if not set(out) & called:
        return {}
    return out
