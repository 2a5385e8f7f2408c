"""Shared test setup.

TensorFlow/Keras is the *oracle* of the tests, never a lint-time import, and
the tests run without it too (what needs it is skipped):

* ``lazy_keras()`` / the session fixture ``keras``: Keras, imported on first
  use -- never when pytest collects the tests (tests/test_frontend.py checks
  that linting never imports Keras; collection stays fast) -- quiet, on the
  CPU, with the TensorFlow backend.  It skips the test when Keras cannot be
  imported.  Tests ask for the fixture; helper modules call
  ``from conftest import lazy_keras``.
* the marker ``keras``: the test needs TensorFlow/Keras without importing it
  here (it runs them in a subprocess, tests/oracle_runner.py).  Marked tests
  and the tests that use the ``keras`` fixture are skipped when TensorFlow or
  Keras is not installed.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

TF_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # no C++ log lines
    "KERAS_BACKEND": "tensorflow",
    "CUDA_VISIBLE_DEVICES": "",  # the CPU: same numbers everywhere
}
HAVE_KERAS = all(importlib.util.find_spec(name) is not None for name in ("tensorflow", "keras"))
NO_KERAS = "needs TensorFlow/Keras (the oracle), not installed"


@functools.lru_cache(maxsize=None)  # a skip is an exception: never cached
def lazy_keras():
    """The ``keras`` module, imported on the first call (the TensorFlow
    environment set first); skips the calling test if it cannot be imported."""
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    return pytest.importorskip("keras")


@pytest.fixture(scope="session", name="keras")
def keras_fixture():
    """Keras, imported when the first test that asks for it runs."""
    return lazy_keras()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "keras: needs TensorFlow/Keras (the oracle); skipped when they are not installed")


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    if HAVE_KERAS:
        return
    skip = pytest.mark.skip(reason=NO_KERAS)
    for item in items:
        if item.get_closest_marker("keras") or "keras" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """Print the totals of the fixture checks: the findings against the
    ``# expect:`` markers, and the layers compared with Keras (the oracle)."""
    for name, label in (("test_fixture_findings", "fixture findings"), ("test_oracle", "oracle")):
        mod = sys.modules.get(name) or sys.modules.get(f"tests.{name}")
        if mod is not None and mod.STATS["fixtures"]:
            terminalreporter.write_line(f"{label}: {mod.STATS}")
