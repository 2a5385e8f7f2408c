#!/usr/bin/env python
"""Benchmark the language server (a script, not a test).

    .venv/bin/python tools/lsp_bench.py [--repeats 20] [--layers 1000] [--seed PATH]

Starts ``shapelint server`` over stdio with a real LSP client (pygls) and
measures, as the median (and the slowest) of ``--repeats`` rounds, the wall
time seen by the client from sending a message to getting its answer:

* open: ``textDocument/didOpen`` -> ``publishDiagnostics`` (each round opens
  a new URI: no cached analysis);
* change: ``textDocument/didChange`` -> ``publishDiagnostics`` with the
  debounce off (``initializationOptions: {"debounce": 0}``), each change a
  new text (the head's units), so each is analysed;
* change, default debounce: the same with the server's default debounce
  (0.05 s, or as long as the file's last analysis took if longer);
* hint: ``textDocument/inlayHint`` for the whole file once its analysis is
  made (the request an editor sends after the diagnostics);
* hint after change: ``inlayHint`` sent right after a ``didChange`` while the
  debounce (10 s here) holds the analysis back: the request analyses.

for the seed scenario (the CNN whose Dense head sits on the feature map)
and for a generated ``--layers``-layer model (tools/gen_corpus.py).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen_corpus  # noqa: E402  pylint: disable=wrong-import-position

SEED = ROOT / "tests" / "lsp_cases" / "cnn_head.py"
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


class Session:
    def __init__(self, debounce: Optional[float]):
        self.debounce = debounce
        self.client = LanguageClient("lsp-bench", "0")
        self.waiting: Dict[str, asyncio.Future] = {}
        self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(
            lambda params: self._published(params))  # pylint: disable=unnecessary-lambda

    def _published(self, params: types.PublishDiagnosticsParams) -> None:
        future = self.waiting.pop(params.uri, None)
        if future is not None and not future.done():
            future.set_result(params.diagnostics)

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "shapelint", "server", env=ENV)
        options = None if self.debounce is None else {"debounce": self.debounce}
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options=options))
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def diagnostics_after(self, uri: str, send: Callable[[], None]) -> float:
        future = asyncio.get_running_loop().create_future()
        self.waiting[uri] = future
        start = time.perf_counter()
        send()
        await asyncio.wait_for(future, 600)
        return time.perf_counter() - start

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "python", 1, text)))

    def change(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def hints(self, uri: str) -> float:
        start = time.perf_counter()
        hints = await self.client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(10 ** 6, 0))))
        elapsed = time.perf_counter() - start
        assert hints, "no hints"
        return elapsed


def _variants(text: str, marker: str, repeats: int) -> List[str]:
    """``repeats`` texts that differ in the head's units."""
    assert marker in text, marker
    return [text.replace(marker, marker[:-1] + str(2 + n % 7), 1) for n in range(repeats)]


async def measure(name: str, text: str, marker: str, repeats: int, path: Path) -> Dict[str, List[float]]:
    times: Dict[str, List[float]] = {"open": [], "change": [], "change, default debounce": [], "hint": [],
                                     "hint after change": []}
    fast = Session(0)
    await fast.start()
    await fast.diagnostics_after(path.with_name("warm-up.py").as_uri(), lambda: fast.open(
        path.with_name("warm-up.py").as_uri(), text))
    for n in range(repeats):
        uri = path.with_name(f"open{n}.py").as_uri()
        times["open"].append(await fast.diagnostics_after(uri, lambda u=uri: fast.open(u, text)))
    uri = path.as_uri()
    await fast.diagnostics_after(uri, lambda: fast.open(uri, text))
    for version, variant in enumerate(_variants(text, marker, repeats), 2):
        times["change"].append(await fast.diagnostics_after(uri, lambda v=variant, n=version: fast.change(uri, v, n)))
        times["hint"].append(await fast.hints(uri))
    await fast.stop()

    default = Session(None)  # the server's own debounce
    await default.start()
    await default.diagnostics_after(uri, lambda: default.open(uri, text))
    for version, variant in enumerate(_variants(text, marker, repeats), 2):
        times["change, default debounce"].append(
            await default.diagnostics_after(uri, lambda v=variant, n=version: default.change(uri, v, n)))
    await default.stop()

    slow = Session(10.0)  # the debounce holds the analysis back: the hint request makes it
    await slow.start()
    await slow.diagnostics_after(uri, lambda: slow.open(uri, text))
    for version, variant in enumerate(_variants(text, marker, repeats), 2):
        slow.change(uri, variant, version)
        times["hint after change"].append(await slow.hints(uri))
    await slow.stop()
    print(f"{name}: {len(text.splitlines())} lines")
    return times


def _row(name: str, times: Dict[str, List[float]]) -> str:
    cells = [f"{statistics.median(v) * 1000:7.1f} ms (max {max(v) * 1000:6.1f})" for v in times.values()]
    return f"| {name} | " + " | ".join(cells) + " |"


async def main_async(args: argparse.Namespace) -> None:
    seed_text = Path(args.seed).read_text(encoding="utf-8")
    deep_text = gen_corpus.deep_model_source(args.layers)
    where = Path(args.workdir).resolve()
    rows = [
        ("seed scenario", await measure("seed", seed_text, "Dense(1", args.repeats, where / "seed.py")),
        (f"{args.layers}-layer model", await measure("deep", deep_text, "Dropout(0.1", args.repeats,
                                                     where / "deep.py")),
    ]
    print(f"\nnproc {os.cpu_count()}, Python {platform.python_version()}, {args.repeats} rounds, "
          f"median (slowest), client-side wall time")
    print("| file | open -> diagnostics | change -> diagnostics | change -> diagnostics, default debounce "
          "| inlay hints | inlay hints after change |")
    print("|---|---|---|---|---|---|")
    for name, times in rows:
        print(_row(name, times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--layers", type=int, default=1000)
    parser.add_argument("--seed", default=str(SEED))
    parser.add_argument("--workdir", default=str(ROOT / "tools"),
                        help="the directory the benchmark's (never written) file URIs are in")
    args = parser.parse_args()
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
