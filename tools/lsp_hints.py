#!/usr/bin/env python
"""Print what ``shapelint server`` answers an editor for one file: the
``textDocument/inlayHint`` result as LSP JSON, one hint a line
(``--diagnostics``: the ``publishDiagnostics`` it sends on open).  A real client over stdio, as the
README's example was made:

    .venv/bin/python tools/lsp_hints.py tests/lsp_cases/cnn_head.py
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


async def answer(path: Path, diagnostics: bool) -> object:
    client = LanguageClient("lsp-hints", "0")
    published: asyncio.Future = asyncio.get_running_loop().create_future()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if not published.done():
            published.set_result(params)

    await client.start_io(sys.executable, "-m", "shapelint", "server", env=ENV)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         initialization_options={"debounce": 0}))
    client.initialized(types.InitializedParams())
    uri = path.resolve().as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "python", 1, path.read_text(encoding="utf-8"))))
    result: object = await asyncio.wait_for(published, 120)
    if not diagnostics:
        result = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(10 ** 6, 0))))
    data = client.protocol._converter.unstructure(result)  # pylint: disable=protected-access
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--diagnostics", action="store_true")
    args = parser.parse_args()
    data = asyncio.run(answer(args.path, args.diagnostics))
    items = data if isinstance(data, list) else [data]
    print("[\n" + ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items) + "\n]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
