"""``shapelint server`` as a command: pygls is needed only by it, and a
missing pygls or a wrong argument is a one-line error (exit 2).  The server
itself is tested end to end in test_lsp.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def test_server_without_pygls_is_a_one_line_error():
    code = ("import sys; sys.modules['pygls'] = None\n"
            "from shapelint.cli import main\nsys.exit(main(['server']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "shapelint: error: the language server needs pygls: pip install 'shapelint[server]'\n"


def test_server_rejects_unknown_arguments():
    proc = subprocess.run([sys.executable, "-m", "shapelint", "server", "--tcp"], capture_output=True, text=True,
                          env=ENV, check=False)
    assert proc.returncode == 2 and "unrecognized arguments: --tcp" in proc.stderr


def test_readme_hints_are_real_output():
    """The README's LSP JSON of the seed scenario's hints is what the server sends."""
    import re  # pylint: disable=import-outside-toplevel

    import pytest  # pylint: disable=import-outside-toplevel

    pytest.importorskip("pygls", reason="the language server needs pygls (the server and test extras)")

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### In the editor: the language server")
    match = re.search(r"`python tools/lsp_hints.py (\S+)`.*?```json\n(.*?)```", readme[start:], re.S)
    assert match, "the README lost its hints example"
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "lsp_hints.py"), match.group(1)],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == match.group(2), "README shows stale hints: re-run tools/lsp_hints.py and copy them"
