"""Which files a run lints, and reading them as Python reads them.

Directories are walked for ``*.py`` and ``*.ipynb`` (hidden directories such
as ``.ipynb_checkpoints``, virtualenvs and caches skipped).  A file named on
the command line must be Python (``.py``, ``.pyi``, ``.pyw``, a script with a
python shebang) or a notebook.  ``exclude`` globs apply to both, as ruff's
``--force-exclude`` does, so a pre-commit run honours them too.
"""
from __future__ import annotations

import codecs
import io
import os
import tokenize
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from shapelint.cli.config import ConfigError, ConfigFinder, Settings
from shapelint.reporters.entries import FileError

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".tox", "site-packages",
             ".ipynb_checkpoints"}
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
NOTEBOOK_SUFFIX = ".ipynb"


@dataclass(frozen=True)
class Target:
    """A file to lint: how it is shown, what it is, and its settings."""

    path: str
    notebook: bool
    settings: Settings


@dataclass
class Collection:
    entries: List[Union[Target, FileError]]  # in the order given; the run goes on without a FileError
    config_errors: List[str]                 # the run stops (exit 2)


def _has_python_shebang(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


def _matches(path: str, patterns: Sequence[str], base: str) -> bool:
    """Does a glob match the path's name, or its path relative to ``base``?"""
    if not patterns:
        return False
    name = os.path.basename(path)
    try:
        relative = os.path.relpath(path, base).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        relative = ".."
    inside = not relative.startswith("../") and relative != ".."
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if fnmatch(name, pattern) or (inside and fnmatch(relative, pattern)):
            return True
    return False


def _below(path: str, base: str) -> bool:
    return path.startswith(base.rstrip(os.sep) + os.sep)


class Collector:
    def __init__(self, finder: ConfigFinder, cli_exclude: Sequence[str], cwd: str):
        self.finder = finder
        self.cli_exclude = tuple(cli_exclude)
        self.cwd = cwd
        self.config_errors: List[str] = []

    def settings(self, directory: str) -> Optional[Settings]:
        try:
            return self.finder.for_directory(directory)
        except ConfigError as exc:
            if str(exc) not in self.config_errors:
                self.config_errors.append(str(exc))
            return None

    def _excluded_here(self, path: str) -> bool:
        """Is ``path`` itself excluded, by --exclude or by the settings of the
        directory that holds it?"""
        absolute = os.path.abspath(path)
        if _matches(absolute, self.cli_exclude, self.cwd):
            return True
        settings = self.settings(os.path.dirname(absolute))
        return settings is not None and _matches(absolute, settings.exclude, settings.root)

    def excluded(self, path: str) -> bool:
        """Is a path named on the command line excluded, itself or through a
        directory above it (looking no higher than the current directory and
        the project root, so ``--exclude tmp`` never hides ``/tmp/x.py``)?"""
        current = os.path.abspath(path)
        named = True
        while True:
            parent = os.path.dirname(current)
            if parent == current:
                return False
            settings = self.settings(parent)
            project = settings if settings is not None and settings.source else None
            if (named or _below(current, self.cwd)) and _matches(current, self.cli_exclude, self.cwd):
                return True
            if project and (named or _below(current, project.root)) and \
                    _matches(current, project.exclude, project.root):
                return True
            if not (_below(parent, self.cwd) or (project and _below(parent, project.root))):
                return False
            named = False
            current = parent

    def walk(self, directory: str, file_errors: List[FileError]) -> Iterator[Tuple[str, bool]]:
        def on_error(exc: OSError) -> None:
            file_errors.append(FileError(exc.filename or directory, f"cannot read directory: {exc.strerror}"))

        for root, dirnames, filenames in os.walk(directory, onerror=on_error):
            dirnames[:] = sorted(
                d for d in dirnames
                if d not in SKIP_DIRS and not d.startswith(".") and not self._excluded_here(os.path.join(root, d))
            )
            for name in sorted(filenames):
                path = os.path.join(root, name)
                if name.endswith(".py") or name.endswith(NOTEBOOK_SUFFIX):
                    if not self._excluded_here(path):
                        yield path, name.endswith(NOTEBOOK_SUFFIX)

    def target(self, path: str, notebook: bool) -> Optional[Target]:
        settings = self.settings(os.path.dirname(os.path.abspath(path)))
        return None if settings is None else Target(path, notebook, settings)

    def collect(self, paths: Iterable[str]) -> Collection:
        entries: List[Union[Target, FileError]] = []
        seen = set()

        def add(path: str, notebook: bool) -> None:
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                target = self.target(path, notebook)
                if target is not None:
                    entries.append(target)

        for path in paths:
            if not os.path.exists(path):
                entries.append(FileError(path, "cannot read: no such file or directory"))
            elif os.path.isdir(path):
                if not self.excluded(path):
                    errors: List[FileError] = []
                    for found, notebook in self.walk(path, errors):
                        add(found, notebook)
                    entries.extend(errors)
            elif self.excluded(path):
                continue
            elif path.endswith(NOTEBOOK_SUFFIX):
                add(path, True)
            elif path.endswith(PYTHON_SUFFIXES) or _has_python_shebang(path):
                add(path, False)
            else:
                entries.append(FileError(
                    path, "not a Python file or notebook (shapelint reads .py and .ipynb files, "
                          "and scripts with a python shebang)"))
        return Collection(entries, self.config_errors)


class ReadError(Exception):
    """A file that cannot be read as text; the message is for the user."""


def decode_python(data: bytes) -> str:
    """Bytes to text as Python reads a source file: a UTF-8 BOM or a PEP 263
    coding line, else UTF-8."""
    if b"\0" in data:
        raise ReadError("not a text file (it contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "unknown encoding" in str(exc):  # a coding line naming no codec Python knows
            raise ReadError(f"cannot decode: {exc} (in its coding line)") from None
        encoding = "utf-8"  # non-UTF-8 bytes in the first two lines: say where below
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"cannot decode as {exc.encoding}: byte 0x{data[exc.start]:02x} at offset {exc.start} "
            f"({exc.reason}); save the file as UTF-8 or declare its encoding (PEP 263)") from None
    if encoding == "utf-8-sig" and text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        text = text[1:]
    return text


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReadError(f"cannot read: {reason[:1].lower()}{reason[1:]}") from None


def decode_notebook(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"not a valid notebook (not UTF-8: byte 0x{data[exc.start]:02x} "
                        f"at offset {exc.start})") from None
