"""SARIF artifact locations are URI references (SARIF 2.1.0, 3.4.3): an
absolute path becomes a ``file://`` URI, a relative one a percent-encoded
relative reference -- checked against the official schema in ../shared."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from test_cli import BUGGY, ROOT, run

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
# RFC 3986: what a URI reference may contain (unreserved, reserved, and %XX).
URI_CHARACTERS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def _validate(doc: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA} (it lives in ../shared, beside the checkout)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _uris(doc: dict):
    return [loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in doc["runs"][0]["results"] for loc in result["locations"]]


@pytest.mark.parametrize("name", ["bad.py", "my model \u00e9.py"])
def test_absolute_path_is_a_file_uri(tmp_path, name):
    bad = tmp_path / name
    bad.write_text(BUGGY, encoding="utf-8")
    proc = run("--no-cache", "--format", "sarif", bad)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    _validate(doc)
    (uri,) = _uris(doc)
    assert uri == bad.as_uri() and uri.startswith("file:///")
    assert URI_CHARACTERS.match(uri), uri
    parts = urllib.parse.urlsplit(uri)
    assert parts.scheme == "file" and Path(urllib.request.url2pathname(parts.path)) == bad


def test_relative_path_is_a_relative_reference(tmp_path):
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "bad.py").write_text(BUGGY, encoding="utf-8")
    proc = run("--no-cache", "--format", "sarif", "sub dir/bad.py", cwd=tmp_path)
    doc = json.loads(proc.stdout)
    _validate(doc)
    assert _uris(doc) == ["sub%20dir/bad.py"]
