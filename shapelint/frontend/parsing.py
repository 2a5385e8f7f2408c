"""Parse source into an astroid tree without any inference.

``astroid.parse`` infers every ``self.attr = ...`` assignment and imports the
module behind every ``from x import *`` while it builds the tree: on Keras
code that builds dozens of keras/tensorflow modules (measured: 20 s for one
small subclassed model).  The front end resolves names lexically and needs
none of that, so this builder skips both steps and astroid's transforms.
"""
from __future__ import annotations

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager


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


def mentions_keras(module: nodes.Module) -> bool:
    """Does the module import anything from Keras or TensorFlow?"""
    for node in module.nodes_of_class((nodes.Import, nodes.ImportFrom)):
        names = [node.modname] if isinstance(node, nodes.ImportFrom) else []
        names += [name for name, _ in node.names]
        if any(("keras" in n or "tensorflow" in n) for n in names if n):
            return True
    return False
