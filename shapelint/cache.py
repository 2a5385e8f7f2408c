"""A content-hash cache of results, as ruff and mypy keep: re-linting an
unchanged file costs a hash and a small JSON read.  The key covers the
file's text, its path and shapelint's own code, so any change invalidates."""
from __future__ import annotations

import hashlib
import json
import os
from typing import Optional

from shapelint.engine import FileResult, LayerRecord

_CODE_HASH: Optional[str] = None


def _code_hash() -> str:
    global _CODE_HASH  # pylint: disable=global-statement
    if _CODE_HASH is None:
        digest = hashlib.sha256()
        root = os.path.dirname(os.path.abspath(__file__))
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".py"):
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        digest.update(name.encode() + handle.read())
        _CODE_HASH = digest.hexdigest()
    return _CODE_HASH


def _digest(path: str) -> str:
    """The content hash of a project module a result depends on ("" when gone)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""


class ResultCache:
    def __init__(self, directory: str):
        self.directory = directory

    def _ignore_itself(self) -> None:
        """A ``.gitignore`` of ``*`` in the cache folder, as ruff, mypy and
        pytest write: the cache never shows up in ``git status``."""
        marker = os.path.join(self.directory, ".gitignore")
        if not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write("# Automatically created by shapelint.\n*\n")

    def _file(self, path: str, source: str, variant: str = "") -> str:
        """``variant``: the analysis options (AnalysisOptions.cache_key)."""
        key = hashlib.sha256(
            (_code_hash() + "\0" + variant + "\0" + os.path.abspath(path) + "\0" + source)
            .encode("utf-8", "surrogatepass")
        ).hexdigest()
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, path: str, source: str, variant: str = "") -> Optional[FileResult]:
        try:
            with open(self._file(path, source, variant), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        try:
            if any(_digest(dep) != digest for dep, digest in data.get("dependencies", {}).items()):
                return None  # a project module it imports has changed
            result = FileResult.from_json(data, path)
            result.dependencies = sorted(data.get("dependencies", {}))
            result.info = [str(note) for note in data.get("info", [])]
            result.elsewhere = {str(dep): [LayerRecord.from_json(r) for r in records]
                                for dep, records in data.get("elsewhere", {}).items()}
            return result
        except (KeyError, TypeError, AttributeError):
            return None  # written by another shapelint, or damaged: analyse again

    def put(self, path: str, source: str, result: FileResult, variant: str = "") -> None:
        target = self._file(path, source, variant)
        data = result.to_json(confidence=True)
        data["dependencies"] = {dep: _digest(dep) for dep in result.dependencies}
        data["info"] = list(result.info)
        data["elsewhere"] = {dep: [r.to_json() for r in records] for dep, records in result.elsewhere.items()}
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._ignore_itself()
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is only slower
