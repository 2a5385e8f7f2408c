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
from typing import Dict, List, Optional, Tuple

from shapelint.frontend.parsing import parse

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
    if not level and (not parts or parts[0] in _LIBRARIES):
        return None
    directory = os.path.dirname(os.path.abspath(importer_path))
    if level:
        base = directory
        for _ in range(level - 1):
            base = os.path.dirname(base)
        bases = [base]
    else:
        bases = [directory]
        root = _package_root(directory)
        if root != directory:
            bases.append(root)
    for base in bases:
        for candidate in _candidates(base, parts) if parts else [os.path.join(base, "__init__.py")]:
            if os.path.isfile(candidate) and os.path.abspath(candidate) != os.path.abspath(importer_path):
                return os.path.abspath(candidate)
    return None


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
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.parsing import mentions_keras  # pylint: disable=import-outside-toplevel

    if depth <= 0 or not path:
        return False
    for node in module.nodes_of_class((nodes.Import, nodes.ImportFrom)):
        if isinstance(node, nodes.ImportFrom):
            targets = [(node.modname, node.level or 0)]
        else:
            targets = [(name, 0) for name, _ in node.names]
        for modname, level in targets:
            found = find_module(modname, level, path)
            loaded = load_module(found) if found else None
            if loaded is not None and (mentions_keras(loaded) or imports_keras_module(loaded, found, depth - 1)):
                return True
    return False
