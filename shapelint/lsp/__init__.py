"""``shapelint server``: a Language Server over stdio (pygls).

A thin adapter over the engine, as the CLI and the pylint plugin are: the
engine knows nothing of LSP.  ``analysis`` runs the engine on an editor's
buffer (a file or a notebook's cells), ``convert`` turns findings into
diagnostics, ``hints``, ``hover`` and ``actions`` answer those requests, and
``server`` (the only module that imports pygls) wires them to the protocol.
"""
