"""The project's own modules: ``from models import build_model`` in
``train.py`` follows ``models.py`` when it sits beside it (or in the package
the importer belongs to).

Resolution is lexical and lazy, as Python's import system would find the
file: a relative import (``from .config import X``) against the importer's
package; an absolute one against the importer's directory and the root of
the package it belongs to (the first parent without an ``__init__.py``).  A
module is parsed (with the same inference-free builder) only when something
is imported from it, and once per process.  Library modules (keras, numpy,
...) are never looked up here: a name that no project file provides stays a
library reference.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from shapelint.frontend.parsing import parse
from shapelint.frontend.resolve import Ref
from shapelint.frontend.scope import MISSING, Env, ReturnSignal
from shapelint.frontend.values import ProjectModule
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from astroid import nodes

    from shapelint.frontend.evaluator import Evaluator

# Parsed project modules by absolute path: (mtime, size, module); a file
# changed on disk is parsed again.
_PARSED: Dict[str, Tuple[float, int, object]] = {}
# Top-level names that are never project modules (no file lookup at all).
_LIBRARIES = frozenset({
    "keras", "tensorflow", "tf_keras", "numpy", "pandas", "sklearn", "scipy", "matplotlib", "os", "sys",
    "math", "random", "json", "re", "typing", "collections", "itertools", "functools", "pathlib",
    "dataclasses", "argparse", "logging", "time", "glob", "shutil", "pickle", "cv2", "PIL", "torch",
    "tensorflow_hub", "tensorflow_addons", "keras_cv", "keras_nlp", "keras_hub", "h5py", "tqdm",
    "__future__", "warnings", "abc", "enum", "copy", "string", "io", "csv", "datetime", "zipfile",
})


def _package_root(directory: str) -> str:
    """The directory an absolute import of the importer's package starts from."""
    root = directory
    while os.path.isfile(os.path.join(root, "__init__.py")):
        parent = os.path.dirname(root)
        if parent == root:
            break
        root = parent
    return root


def _candidates(base: str, parts: List[str]) -> List[str]:
    target = os.path.join(base, *parts)
    return [target + ".py", os.path.join(target, "__init__.py")]


def find_module(modname: str, level: int, importer_path: Optional[str]) -> Optional[str]:
    """The file ``import``/``from ... import`` would load for ``modname``
    (``level`` dots), seen from the file at ``importer_path``; None when it
    is not one of the project's files."""
    if not importer_path or importer_path.startswith("<") or not os.path.isfile(importer_path):
        return None
    parts = [p for p in (modname or "").split(".") if p]
    if not level and not parts:
        return None
    directory = os.path.dirname(os.path.abspath(importer_path))
    library = not level and parts[0] in _LIBRARIES
    if level:
        base = directory
        for _ in range(level - 1):
            base = os.path.dirname(base)
        bases = [base]
    elif library:
        bases = []
    else:
        bases = [directory]
        root = _package_root(directory)
        if root != directory:
            bases.append(root)
    if not level:
        bases.extend(_enclosing_bases(directory, parts[0]))
    for base in bases:
        for candidate in _candidates(base, parts) if parts else [os.path.join(base, "__init__.py")]:
            if library and os.path.dirname(candidate) != directory:
                continue  # the library's own sources beyond the importer's package: never read
            if os.path.isfile(candidate) and os.path.abspath(candidate) != os.path.abspath(importer_path):
                return os.path.abspath(candidate)
    return None


def _enclosing_bases(directory: str, package: str) -> List[str]:
    """Where ``import package.x`` starts when the importer sits inside a
    directory named ``package`` (a checkout run from its root, the package
    directories without ``__init__.py`` files): the parent of each such
    enclosing directory, innermost first."""
    bases = []
    current = directory
    while True:
        parent, name = os.path.split(current)
        if name == package:
            bases.append(parent)
        if not name or parent == current:
            return bases
        current = parent


def library_name(module: ProjectModule, name: str) -> Optional[Ref]:
    """``name`` of a library-named sibling module as the library reference,
    when a library model (or Keras' own classification) handles it."""
    if module.library is None:
        return None
    # pylint: disable-next=import-outside-toplevel
    from shapelint.frontend.library.registry import candidates
    from shapelint.frontend.resolve import classify, normalise  # pylint: disable=import-outside-toplevel

    qualname = f"{module.library}.{name}"
    if candidates(normalise(qualname)) or classify(qualname) is not None:
        return Ref(qualname)
    return None


def dotted_name(path: str) -> str:
    """The name a file has as a module of its package
    (``.../keras_applications/__init__.py`` -> ``keras_applications``)."""
    directory, fname = os.path.split(os.path.abspath(path))
    parts = [] if fname == "__init__.py" else [os.path.splitext(fname)[0]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts)


def load_module(path: str):
    """The parsed module at ``path`` (cached), or None when it cannot be read
    or does not parse: its names then stay unknown."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    cached = _PARSED.get(path)
    if cached is not None and cached[:2] == (stat.st_mtime, stat.st_size):
        return cached[2]
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        source = raw.decode("utf-8-sig")
        module = parse(source, path=path)
    except Exception:  # pylint: disable=broad-except
        return None  # a sibling that does not parse: what it provides stays unknown
    _PARSED[path] = (stat.st_mtime, stat.st_size, module)
    return module


def imports_keras_module(module, path: Optional[str], depth: int = 2) -> bool:
    """Does ``module`` import (directly, or through ``depth`` levels of the
    project's own modules) a project module that uses Keras?  A ``train.py``
    that only imports ``build_model`` from ``models.py`` is Keras code too."""
    from shapelint.frontend.parsing import mentions_keras, scan  # pylint: disable=import-outside-toplevel

    if depth <= 0 or not path:
        return False
    for modname, imported, level in scan(module).imports:
        if modname is not None:
            targets = [(modname, level)]
        else:
            targets = [(name, 0) for name, _ in imported]
        for modname, level in targets:
            found = find_module(modname, level, path)
            loaded = load_module(found) if found else None
            # a relative import of a package named for Keras (keras_applications'
            # own modules) counts as the absolute import would
            if loaded is not None and (mentions_keras(loaded) or "keras" in dotted_name(found)
                                       or imports_keras_module(loaded, found, depth - 1)):
                return True
    return False


class ProjectImports:
    """Imports as the evaluator follows them: the project's own modules
    (evaluated once each, with their own globals), else library references."""

    def __init__(self, ctx: "Evaluator", module, path: Optional[str]):
        self.ctx = ctx
        # The module scope of each module evaluated: the analysed one's, and
        # each imported project module's (its globals).
        self.module_envs: Dict[Any, Any] = {module: ctx.module_env}
        self.import_stack: List[str] = [path or ""]  # the files being imported right now
        self._imported: Dict[str, Any] = {}

    @property
    def importing(self) -> bool:
        """Evaluating an imported module's top level (its ``__main__`` block does not run)."""
        return len(self.import_stack) > 1

    def exec_import(self, stmt: nodes.Import, env: Env) -> None:
        for name, alias in stmt.names:
            local = self.module(name, 0) if "." not in name else None
            if local is not None:
                env.set(alias or name, local)  # import models [as m]: one of the project's files
            elif alias:
                env.set(alias, Ref(name))
            else:
                head = name.split(".")[0]
                env.set(head, Ref(head))

    def exec_import_from(self, stmt: nodes.ImportFrom, env: Env) -> None:
        local = self.module(stmt.modname, stmt.level or 0)
        if local is not None:
            for name, alias in stmt.names:
                if name == "*":
                    env.vars.update({k: v for k, v in local.env.vars.items() if not k.startswith("_")})
                    continue
                value = library_name(local, name) or local.env.lookup(name)
                if value is MISSING:  # from package import module
                    value = self.module(f"{stmt.modname}.{name}" if stmt.modname else name,
                                                stmt.level or 0)
                env.set(alias or name, UNKNOWN if value is None or value is MISSING else value)
            return
        if stmt.level:  # a relative import of a module that cannot be read
            for name, alias in stmt.names:
                if name != "*":
                    env.set(alias or name, UNKNOWN)
            return
        for name, alias in stmt.names:
            if name == "*":
                env.star_modules.append(stmt.modname)
            else:
                env.set(alias or name, Ref(f"{stmt.modname}.{name}"))

    def module(self, modname: str, level: int) -> Optional[ProjectModule]:
        """One of the project's own modules, evaluated once (its top level
        runs as on import: ``__name__`` is not ``"__main__"``); None when
        ``modname`` is not a file of the project."""
        path = find_module(modname, level, self.import_stack[-1])
        if path is None:
            return None
        if path in self._imported:
            return self._imported[path]  # None while it is being imported (a cycle)
        module = load_module(path)
        if module is None:
            return None
        self._imported[path] = None
        env = Env()
        self.module_envs[module] = env
        self.import_stack.append(path)
        try:
            self.ctx.exec_block(module.body, env)
        except ReturnSignal:
            pass
        finally:
            self.import_stack.pop()
        library = modname if not level and modname.split(".")[0] in _LIBRARIES else None
        self._imported[path] = ProjectModule(path, env, library)
        return self._imported[path]

    def files(self) -> List[str]:
        """The project modules this analysis imported (absolute paths)."""
        return sorted(self._imported)

    def env_of(self, node) -> Env:
        """The module scope the code of ``node`` sees as its globals."""
        try:
            return self.module_envs.get(node.root(), self.ctx.module_env)
        except Exception:  # pylint: disable=broad-except
            return self.ctx.module_env
