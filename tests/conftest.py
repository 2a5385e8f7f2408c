import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_terminal_summary(terminalreporter):
    """Print the oracle totals (layers compared with Keras, findings)."""
    mod = sys.modules.get("test_oracle") or sys.modules.get("tests.test_oracle")
    if mod is not None and mod.STATS["fixtures"]:
        terminalreporter.write_line(f"oracle: {mod.STATS}")
