import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_terminal_summary(terminalreporter):
    """Print the totals of the fixture checks: the findings against the
    ``# expect:`` markers, and the layers compared with Keras (the oracle)."""
    for name, label in (("test_fixture_findings", "fixture findings"), ("test_oracle", "oracle")):
        mod = sys.modules.get(name) or sys.modules.get(f"tests.{name}")
        if mod is not None and mod.STATS["fixtures"]:
            terminalreporter.write_line(f"{label}: {mod.STATS}")
