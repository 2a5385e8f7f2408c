"""A content-hash cache of results, as ruff and mypy keep: re-linting an
unchanged file costs a hash and a small JSON read.  The key covers the
file's text, its path and shapelint's own code, so any change invalidates."""
from __future__ import annotations

import hashlib
import json
import os
from typing import Optional

from shapelint.engine import FileResult, LayerRecord
from shapelint.findings import Finding
from shapelint.fixes import FixInfo
from shapelint.reporters.json_out import finding_to_json, fix_to_json

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

    def _file(self, path: str, source: str) -> str:
        key = hashlib.sha256(
            (_code_hash() + "\0" + os.path.abspath(path) + "\0" + source).encode("utf-8", "surrogatepass")
        ).hexdigest()
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, path: str, source: str) -> Optional[FileResult]:
        try:
            with open(self._file(path, source), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        try:
            result = FileResult(path)
            result.layers = [LayerRecord(**layer) for layer in data["layers"]]
            result.findings = [
                Finding(f["symbol"], f["line"], f["col"], f["end_line"], f["end_col"],
                        f["message"], f["suggestions"], f.get("confidence", "HIGH"),
                        fix=FixInfo.from_json(f.get("fix")))
                for f in data["findings"]
            ]
            return result
        except (KeyError, TypeError):
            return None

    def put(self, path: str, source: str, result: FileResult) -> None:
        target = self._file(path, source)
        data = {
            "layers": [layer.to_json() for layer in result.layers],
            "findings": [dict(finding_to_json(f), confidence=f.confidence, fix=fix_to_json(f))
                         for f in result.findings],
        }
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._ignore_itself()
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is only slower
