"""``--graph FILE.dot|FILE.svg``: the layer graph with shapes on the edges."""
from __future__ import annotations

import shutil
import subprocess
from typing import Iterable, Optional

from shapelint.engine import FileResult


def write(results: Iterable[FileResult], target: str) -> Optional[str]:
    """Write DOT (or SVG through Graphviz); returns a note for the user."""
    dots = [r.graph.to_dot() for r in results if r.graph is not None and r.graph.calls]
    if not dots:
        return "shapelint: no layer graph to write (no Keras layers found)"
    dot = dots[0] if len(dots) == 1 else "\n".join(dots)
    if target.endswith(".svg"):
        exe = shutil.which("dot")
        if exe is None:
            fallback = target[:-4] + ".dot"
            with open(fallback, "w", encoding="utf-8") as handle:
                handle.write(dot)
            return (f"shapelint: Graphviz 'dot' is not installed, so no SVG was rendered; "
                    f"wrote the DOT source to {fallback} (render it with: dot -Tsvg {fallback})")
        proc = subprocess.run([exe, "-Tsvg", "-o", target], input=dot, text=True,
                              capture_output=True, check=False)
        if proc.returncode != 0:
            return f"shapelint: Graphviz failed: {proc.stderr.strip()[:200]}"
        return None
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(dot)
    return None
