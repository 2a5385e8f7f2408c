"""``[tool.shapelint]`` in ``pyproject.toml``, found as ruff finds its own:
the nearest ``pyproject.toml`` with a ``[tool.shapelint]`` table, from each
file's directory upward (looked up once per directory).  Every mistake in it
is a ConfigError: one line naming the file, the key and the fix."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, Optional, Tuple, Union

from shapelint.cli.rules import RuleSelection, UnknownRule, resolve_all
from shapelint.options import KERAS_VERSIONS

FORMATS = ("text", "json", "sarif")


class ConfigError(Exception):
    """A pyproject.toml shapelint cannot use (the run stops with exit 2)."""


@dataclass(frozen=True)
class Settings:
    """One ``[tool.shapelint]`` table, checked.  ``None`` means "not set"."""

    source: Optional[str] = None  # the pyproject.toml, or None: built-in defaults
    root: str = "."                # the directory ``exclude`` patterns are relative to
    format: Optional[str] = None
    select: Optional[FrozenSet[str]] = None
    ignore: FrozenSet[str] = frozenset()
    exclude: Tuple[str, ...] = ()
    jobs: Optional[int] = None
    cache: Optional[bool] = None
    cache_dir: Optional[str] = None
    keras_version: Optional[int] = None  # 2 or 3; None: the engine's default (3)

    @property
    def rules(self) -> RuleSelection:
        return RuleSelection(self.select, self.ignore)


def _load_toml(path: str) -> dict:
    try:
        import tomllib  # pylint: disable=import-outside-toplevel
    except ImportError:  # Python < 3.11: the same parser, from PyPI
        try:
            import tomli as tomllib  # pylint: disable=import-outside-toplevel
        except ImportError:
            raise ConfigError(f"{display(path)}: reading it needs the 'tomli' package on "
                              f"Python < 3.11 (pip install tomli)") from None
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{display(path)}: cannot read it: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display(path)}: not valid TOML: {exc}") from None


def display(path: str) -> str:
    """A path as the user would type it: relative when under the current directory."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _rule_list(key: str) -> Callable[[Any], FrozenSet[str]]:
    def check(value: Any) -> FrozenSet[str]:
        if isinstance(value, str):
            raise ValueError(f"must be a list of rule names, not a string: write {key} = [\"{value}\"]")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of rule names (codes or symbols), not {_type_name(value)}")
        try:
            return resolve_all(value)
        except UnknownRule as exc:
            raise ValueError(f"lists an {exc}") from None
    return check


def _string_list(value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        raise ValueError(f"must be a list of glob patterns, not a string: write exclude = [\"{value}\"]")
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"must be a list of glob patterns, not {_type_name(value)}")
    return tuple(value)


def _format(value: Any) -> str:
    if value not in FORMATS:
        raise ValueError(f"must be one of {', '.join(FORMATS)}, not {value!r}")
    return value


def _jobs(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a whole number >= 0 (0: one process per core), not {value!r}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def _keras_version(value: Any) -> int:
    if isinstance(value, bool) or value not in KERAS_VERSIONS:
        raise ValueError(f"must be 2 (tf_keras, TF <= 2.15) or 3 (Keras 3), not {value!r}")
    return value


def _directory(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"must be a directory name, not {value!r}")
    return value


# key -> (Settings field, checker)
KEYS: Dict[str, Tuple[str, Callable[[Any], Any]]] = {
    "format": ("format", _format),
    "select": ("select", _rule_list("select")),
    "ignore": ("ignore", _rule_list("ignore")),
    "disable": ("ignore", _rule_list("disable")),  # the older name of ignore
    "exclude": ("exclude", _string_list),
    "jobs": ("jobs", _jobs),
    "cache": ("cache", _boolean),
    "cache-dir": ("cache_dir", _directory),
    "keras-version": ("keras_version", _keras_version),
}


def settings_from_table(table: Any, path: str) -> Settings:
    """Check a ``[tool.shapelint]`` table; ConfigError on the first mistake."""
    where = f"{display(path)}: [tool.shapelint]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, not {_type_name(table)}")
    values: Dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ConfigError(f"{where}: unknown key '{key}' ({hint}known keys: {', '.join(sorted(KEYS))})")
        name, check = KEYS[key]
        try:
            checked = check(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {key} {exc}") from None
        values[name] = values.get(name, frozenset()) | checked if name == "ignore" else checked
    root = os.path.dirname(os.path.abspath(path))
    if "cache_dir" in values:
        values["cache_dir"] = os.path.join(root, values["cache_dir"])
    return Settings(source=path, root=root, **values)


class ConfigFinder:
    """Settings for any directory, each pyproject.toml read at most once."""

    def __init__(self) -> None:
        self._by_directory: Dict[str, Union[Settings, ConfigError]] = {}

    def _own(self, directory: str) -> Optional[Settings]:
        """The settings of ``directory``'s own pyproject.toml, if it has a
        [tool.shapelint] table."""
        candidate = os.path.join(directory, "pyproject.toml")
        if not os.path.isfile(candidate):
            return None
        document = _load_toml(candidate)
        tool = document.get("tool", {})
        if not isinstance(tool, dict) or "shapelint" not in tool:
            return None
        return settings_from_table(tool["shapelint"], candidate)

    def for_directory(self, directory: str) -> Settings:
        """The settings that govern files in ``directory`` (ConfigError if the
        pyproject.toml that governs them is broken)."""
        directory = os.path.abspath(directory)
        visited = []
        found: Union[Settings, ConfigError, None] = None
        current = directory
        while True:
            if current in self._by_directory:
                found = self._by_directory[current]
                break
            visited.append(current)
            try:
                found = self._own(current)
            except ConfigError as exc:
                found = exc
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                found = Settings(root=os.getcwd())
                break
            current = parent
        for seen in visited:
            self._by_directory[seen] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def for_file(self, path: str) -> Settings:
        return self.for_directory(os.path.dirname(os.path.abspath(path)))
