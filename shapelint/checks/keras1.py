"""keras1-argument: a Keras 1 argument Keras 3 refuses (``border_mode=``,
``nb_filter=``, ``nb_epoch=`` ...) or reads otherwise (``Convolution2D(32, 3,
3)``: strides).  The front end translates them (frontend/keras1.py) so the
rest of the analysis follows what the author meant; this check reports each
one, on its own line."""
from __future__ import annotations

from typing import Iterator

from shapelint.findings import Finding
from shapelint.graph import ShapeGraph
from shapelint.messages import KERAS1_ARGUMENT


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for note in graph.keras1_notes:
        yield Finding.at(note.node, KERAS1_ARGUMENT, note.message, [note.fix])
