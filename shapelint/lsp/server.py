"""The language server: pygls wiring over ``analysis`` and the converters.

Every handler is guarded: an error in one analysis or request becomes one
``window/logMessage`` line and an empty answer; the session goes on.
Documents are analysed from the editor's text (never the file on disk): on
open at once, on change after ``debounce`` seconds of quiet (the latest text
then), and on a request whose cached analysis is stale (a hint or hover
right after a change does not wait for the debounce).
"""
from __future__ import annotations

import asyncio
import functools
import time
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from shapelint import __version__
from shapelint.lsp import actions, convert, hints, hover
from shapelint.lsp.analysis import (Analysis, CellText, ServerOptions, analyse_file, analyse_notebook, file_settings,
                                    server_options)

NAME = "shapelint"
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        notebook="*", cells=[types.NotebookCellLanguage(language="python")])],
)


def _is_python(language_id: Optional[str]) -> bool:
    """A document the client says is Python (``python``, ``ipython``, ...; none said: Python)."""
    return not language_id or "python" in language_id.lower()


class ShapelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(NAME, __version__, notebook_document_sync=NOTEBOOK_SYNC)
        self.options = ServerOptions()
        # key -> ((the text or cells analysed, the settings), its analysis)
        self.analyses: Dict[str, Tuple[Any, Analysis]] = {}
        self.pending: Dict[str, asyncio.TimerHandle] = {}
        self.published: Dict[str, Set[str]] = {}  # key -> the URIs given diagnostics last time
        self.logged: Dict[str, List[str]] = {}
        self.fixes = actions.FixCache()
        self.cost: Dict[str, float] = {}  # key -> seconds its last analysis took

    # --- Logging -------------------------------------------------------------------------------------
    def log(self, text: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        try:
            self.window_log_message(types.LogMessageParams(kind, f"shapelint: {text}"))
        except Exception:  # pylint: disable=broad-except
            pass  # the client is gone: nothing to tell

    @property
    def encoding(self) -> str:
        try:
            return str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding)
                       or "utf-16")
        except Exception:  # pylint: disable=broad-except
            return "utf-16"

    # --- Documents -----------------------------------------------------------------------------------
    def key_of(self, uri: str) -> str:
        """The document analysed for ``uri``: its notebook for a cell, else itself."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def _input(self, key: str):
        """What the editor holds for ``key`` now: a text, a tuple of cells, or None."""
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        documents = self.workspace.text_documents
        if notebook is not None:
            cells = []
            for cell in notebook.cells:
                document = documents.get(cell.document)
                source = document.source if document is not None else ""
                python = document is None or _is_python(document.language_id)
                cells.append(CellText(cell.document, cell.kind == types.NotebookCellKind.Code and python, source))
            return tuple(cells)
        document = documents.get(key)
        return None if document is None or not _is_python(document.language_id) else document.source

    def analysis(self, key: str) -> Optional[Analysis]:
        """The analysis of ``key``'s current text: the cached one, or made now."""
        held = self._input(key)
        if held is None:
            return None
        path = to_fs_path(key) or key
        settings = file_settings(path, self.options)
        cached = self.analyses.get(key)
        if cached is not None and cached[0] == (held, settings):
            return cached[1]
        start = time.perf_counter()
        if isinstance(held, tuple):
            made = analyse_notebook(key, path, held, settings)
        else:
            made = analyse_file(key, path, held, settings)
        self.cost[key] = time.perf_counter() - start
        self.analyses[key] = ((held, settings), made)
        if made.problems and made.problems != self.logged.get(key):
            for problem in made.problems:
                self.log(f"{path}: {problem}")
        self.logged[key] = made.problems
        return made

    def publish(self, key: str) -> None:
        self.pending.pop(key, None)
        try:
            analysis = self.analysis(key)
            if analysis is None:
                return
            by_uri = convert.diagnostics(analysis, self.encoding)
        except Exception as exc:  # pylint: disable=broad-except
            self.log(f"{key}: analysis failed ({type(exc).__name__}: {exc})", types.MessageType.Error)
            return
        for uri in self.published.get(key, set()) - set(by_uri):
            by_uri[uri] = []  # a cell that is gone, or no longer code
        documents = self.workspace.text_documents
        for uri, found in by_uri.items():
            document = documents.get(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=found, version=document.version if document is not None else None))
        self.published[key] = {uri for uri, found in by_uri.items() if found}

    def schedule(self, key: str) -> None:
        """Publish after ``debounce`` seconds without another change (or as
        long as the last analysis took, if longer: a big file is not analysed
        at every pause in typing)."""
        handle = self.pending.pop(key, None)
        if handle is not None:
            handle.cancel()
        if self.options.debounce <= 0:
            self.publish(key)
            return
        delay = max(self.options.debounce, min(self.cost.get(key, 0.0), 2.0))
        self.pending[key] = asyncio.get_running_loop().call_later(delay, self.publish, key)

    def forget(self, key: str) -> None:
        handle = self.pending.pop(key, None)
        if handle is not None:
            handle.cancel()
        self.analyses.pop(key, None)
        self.logged.pop(key, None)
        self.cost.pop(key, None)
        for uri in self.published.pop(key, set()):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def guarded(default: Any = None) -> Callable:
    """A handler that never raises: an error is logged and ``default`` answered."""
    def wrap(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def run(ls: ShapelintServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception as exc:  # pylint: disable=broad-except
                ls.log(f"{handler.__name__} failed ({type(exc).__name__}: {exc})", types.MessageType.Error)
                return default() if callable(default) else default
        return run
    return wrap


def build() -> ShapelintServer:  # pylint: disable=too-many-locals
    server = ShapelintServer()

    @server.feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: ShapelintServer, params: types.InitializeParams) -> None:
        ls.options, problems = server_options(params.initialization_options)
        for problem in problems:
            ls.log(problem, types.MessageType.Error)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: ShapelintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(ls.key_of(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: ShapelintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(ls.key_of(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: ShapelintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    @guarded()
    def notebook_open(ls: ShapelintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.publish(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    @guarded()
    def notebook_change(ls: ShapelintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    @guarded()
    def notebook_close(ls: ShapelintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.forget(params.notebook_document.uri)

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guarded(list)
    def inlay_hint(ls: ShapelintServer, params: types.InlayHintParams) -> List[types.InlayHint]:
        uri = params.text_document.uri
        analysis = ls.analysis(ls.key_of(uri))
        return [] if analysis is None else hints.inlay_hints(analysis, uri, params.range, ls.encoding)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    def on_hover(ls: ShapelintServer, params: types.HoverParams) -> Optional[types.Hover]:
        uri = params.text_document.uri
        analysis = ls.analysis(ls.key_of(uri))
        return None if analysis is None else hover.hover(analysis, uri, params.position, ls.encoding)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]))
    @guarded(list)
    def code_action(ls: ShapelintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        uri = params.text_document.uri
        analysis = ls.analysis(ls.key_of(uri))
        if analysis is None:
            return []
        return actions.code_actions(analysis, uri, params.range, params.context.only, ls.fixes,
                                    lambda text: ls.log(f"{analysis.path}: {text}", types.MessageType.Info),
                                    ls.encoding)

    return server


def main(argv: Optional[List[str]] = None) -> int:
    """``shapelint server``: serve LSP over stdio until the client exits."""
    del argv  # --stdio, which editors pass, is the only transport
    from shapelint.frontend import parsing  # pylint: disable=import-outside-toplevel

    parsing.SKIP_BOOTSTRAP = True  # this process never runs pylint
    build().start_io()
    return 0
