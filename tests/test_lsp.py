"""``shapelint server`` end to end: a real LSP client (pytest-lsp) starts the
server over stdio and drives it as an editor does.  What the server says is
checked against what the CLI's JSON says for the same text (ranges, codes,
shapes, params) and, for a quick fix, by linting the edited text again."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Sequence

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="the language server tests need pytest-lsp (the test extra)")

# pylint: disable=wrong-import-position
import attrs  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "lsp_cases"
SEED = CASES / "cnn_head.py"
SAFE_FIX = CASES / "labels_safe_fix.py"
DOCS = "https://github.com/shapelint/shapelint/blob/main/docs/messages/{}.md"
# The server and the CLI run this checkout's code, whatever is installed.
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "shapelint", "server"], server_env=ENV)
WAIT = 60.0  # seconds: a generous bound for a loaded machine (no timing is asserted)

pytestmark = pytest.mark.asyncio


def _capabilities(encodings: Sequence[str] = ("utf-16",)) -> types.ClientCapabilities:
    """Neovim 0.11's capabilities with notebook sync (as VS Code has) and the given encodings."""
    base = client_capabilities("neovim@v0.11.0")
    return attrs.evolve(
        base,
        general=attrs.evolve(base.general, position_encodings=list(encodings)),
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()),
    )


def _init(options=None, encodings: Sequence[str] = ("utf-16",)) -> types.InitializeParams:
    return types.InitializeParams(capabilities=_capabilities(encodings), root_uri=CASES.as_uri(),
                                  initialization_options=options)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    """A session with the debounce off, so each change is analysed at once."""
    lsp_client.init_result = await lsp_client.initialize_session(_init({"debounce": 0}))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG)
async def bare(lsp_client: LanguageClient):
    """A server the test initializes itself."""
    yield
    await lsp_client.shutdown_session()


# --- Helpers ------------------------------------------------------------------------------------------

def cli_json(text: str, path: Path) -> dict:
    """The CLI's JSON for ``text`` read as file ``path``."""
    proc = subprocess.run([sys.executable, "-m", "shapelint", "--format", "json", "--no-cache",
                           "--stdin-filename", str(path), "-"], input=text, capture_output=True, text=True,
                          env=ENV, cwd=path.parent, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["files"][0]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_col(line: str, byte_col: int) -> int:
    return utf16(line.encode("utf-8")[:byte_col].decode("utf-8"))


def offset(text: str, position: types.Position) -> int:
    lines = text.splitlines(keepends=True) + [""]
    start = sum(len(line) for line in lines[:position.line])
    line, units, index = lines[position.line], 0, 0
    while units < position.character and index < len(line):
        units += utf16(line[index])
        index += 1
    return start + index


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def whole_file() -> types.Range:
    return types.Range(types.Position(0, 0), types.Position(100000, 0))


async def diagnostics_after(client: LanguageClient, uris: Sequence[str], action) -> Dict[str, list]:
    """Do ``action`` and wait until each of ``uris`` got its diagnostics."""
    for uri in uris:
        client.diagnostics.pop(uri, None)
    action()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not all(uri in client.diagnostics for uri in uris):
        assert loop.time() < deadline, f"no diagnostics for {[u for u in uris if u not in client.diagnostics]}"
        await asyncio.sleep(0.01)
    return {uri: list(client.diagnostics[uri]) for uri in uris}


async def open_file(client: LanguageClient, path: Path, text: str = None) -> List[types.Diagnostic]:
    text = path.read_text(encoding="utf-8") if text is None else text
    uri = path.as_uri()
    got = await diagnostics_after(client, [uri], lambda: client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, text))))
    return got[uri]


async def change_file(client: LanguageClient, path: Path, text: str, version: int) -> List[types.Diagnostic]:
    uri = path.as_uri()
    got = await diagnostics_after(client, [uri], lambda: client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=text)])))
    return got[uri]


def expected_label(layer: dict) -> str:
    """The hint the CLI's JSON implies for a layer: a null is Keras' None when
    the shape is exact (and on the batch axis), else a size shapelint cannot tell."""
    sizes = ["None" if d is None and (layer["exact"] or axis == 0) else "?" if d is None else str(d)
             for axis, d in enumerate(layer["output_shape"])]
    shape = "(" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"
    params = layer["params"]
    return f"{shape} · {params:,} param{'' if params == 1 else 's'}"


# --- The session ---------------------------------------------------------------------------------------

async def test_initialize_announces_what_the_server_does(client: LanguageClient):
    capabilities = client.init_result.capabilities
    assert client.init_result.server_info.name == "shapelint"
    assert capabilities.position_encoding == types.PositionEncodingKind.Utf16
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert capabilities.text_document_sync.open_close
    assert capabilities.hover_provider
    assert capabilities.inlay_hint_provider
    assert set(capabilities.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.shapelint"}
    selector = capabilities.notebook_document_sync.notebook_selector[0]
    assert [c.language for c in selector.cells] == ["python"]


async def test_did_open_reports_the_dense_head_with_its_range_and_code(client: LanguageClient):
    found = await open_file(client, SEED)
    expected = cli_json(SEED.read_text(encoding="utf-8"), SEED)["findings"]
    assert len(found) == len(expected) == 1
    diagnostic, finding = found[0], expected[0]
    assert finding["symbol"] == "dense-on-unreduced-tensor" and finding["line"] == 13
    assert diagnostic.range == types.Range(types.Position(12, 8), types.Position(12, 41))
    assert (diagnostic.range.start.line + 1, diagnostic.range.start.character,
            diagnostic.range.end.line + 1, diagnostic.range.end.character) == \
        (finding["line"], finding["col"], finding["end_line"], finding["end_col"])
    assert diagnostic.code == "dense-on-unreduced-tensor"
    assert diagnostic.code_description.href == DOCS.format("dense-on-unreduced-tensor")
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.source == "shapelint"
    assert diagnostic.message.splitlines()[0] == finding["message"]
    assert diagnostic.message.splitlines()[1:] == [f"fix: {s}" for s in finding["suggestions"]]


async def test_inlay_hints_give_each_layer_line_its_shape_as_the_cli_computes_it(client: LanguageClient):
    text = SEED.read_text(encoding="utf-8")
    await open_file(client, SEED)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(SEED.as_uri()), range=whole_file()))
    layers = cli_json(text, SEED)["layers"]
    lines = text.splitlines()
    by_line = {h.position.line: h for h in hints}
    assert len(layers) == 5
    for layer in layers:
        hint = by_line[layer["line"] - 1]
        assert hint.label == expected_label(layer)
        assert hint.position.character == utf16(lines[layer["line"] - 1])  # at the end of the line
        assert hint.kind == types.InlayHintKind.Type
    assert by_line[12].label == "(None, 5, 5, 1) · 65 params"
    model_hint = by_line[14]  # model = Model(inputs=images, outputs=score)
    assert model_hint.label == f"model_1: {sum(layer['params'] for layer in layers):,} params" == \
        "model_1: 18,881 params"
    assert sorted(by_line) == [8, 9, 10, 11, 12, 14]


async def test_inlay_hints_show_unknown_sizes_several_layers_a_line_and_sequential_models(client: LanguageClient):
    path = CASES / "unknown_and_sequential.py"
    text = path.read_text(encoding="utf-8")
    await open_file(client, path)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(path.as_uri()), range=whole_file()))
    labels = {h.position.line + 1: h.label for h in hints if not h.label.startswith("model_")}
    models = {h.position.line + 1: h.label for h in hints if h.label.startswith("model_")}
    layers = cli_json(text, path)["layers"]
    by_line: Dict[int, list] = {}
    for layer in layers:
        by_line.setdefault(layer["line"], []).append(layer)
    assert sorted(labels) == sorted(by_line) == [11, 12, 13, 18, 19]
    for line, on_line in by_line.items():
        if len(on_line) == 1:
            assert labels[line] == expected_label(on_line[0])
    assert labels[11] == "(None, ?, 8) · 800 params"  # steps is known only at run time
    assert [layer["output_shape"] for layer in by_line[11]] == [[None, None, 8]]
    assert not by_line[11][0]["exact"]
    assert labels[13] == "GlobalAveragePooling1D (None, 4) · 0 params  Dense (None, 2) · 10 params"
    assert labels[18] == "(None, 6) · 456 params"  # Input(shape=(None, 12)): Keras' own None, reduced
    assert models == {14: "model_1: 910 params", 20: "model_2: 477 params"}  # at the end of each model call
    tooltip = next(h.tooltip for h in hints if h.position.line + 1 == 18)
    assert tooltip == "LSTM: (None, None, 12) -> (None, 6)"


async def test_inlay_hints_only_within_the_requested_range(client: LanguageClient):
    await open_file(client, SEED)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(SEED.as_uri()),
        range=types.Range(types.Position(10, 0), types.Position(11, 0))))
    assert [(h.position.line, h.label) for h in hints] == [(10, "(None, 10, 10, 64) · 18,496 params"),
                                                          (11, "(None, 5, 5, 64) · 0 params")]


async def test_hover_on_a_layer_and_on_a_model(client: LanguageClient):
    await open_file(client, SEED)
    document = types.TextDocumentIdentifier(SEED.as_uri())
    for position in (types.Position(12, 10), types.Position(12, 2)):  # on Dense, on `score` it is assigned to
        on_dense = await client.text_document_hover_async(types.HoverParams(document, position))
        assert on_dense.contents.kind == types.MarkupKind.Markdown
        assert on_dense.contents.value.splitlines() == [
            "**Dense**", "", "- input: `(None, 5, 5, 64)`", "- output: `(None, 5, 5, 1)`", "- params: 65"]
    summary = subprocess.run([sys.executable, "-m", "shapelint", "--shapes", "--no-cache", str(SEED)],
                             capture_output=True, text=True, env=ENV, check=False).stdout
    table = summary[summary.index("-----"):summary.index("Total params: 18,881")] + "Total params: 18,881"
    for position in (types.Position(16, 2), types.Position(14, 12)):  # `model` in model.fit, the Model call
        on_model = await client.text_document_hover_async(types.HoverParams(document, position))
        assert on_model.contents.value.startswith('**Model "model_1"** (functional)')
        assert table in on_model.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(document, types.Position(3, 3)))
    assert nothing is None


async def test_quick_fix_edit_applied_lints_clean(client: LanguageClient):
    text = SEED.read_text(encoding="utf-8")
    found = await open_file(client, SEED)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(SEED.as_uri()),
        range=types.Range(types.Position(12, 0), types.Position(12, 0)),
        context=types.CodeActionContext(diagnostics=found)))
    assert len(actions) == 1
    action = actions[0]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title == 'shapelint: insert GlobalAveragePooling2D() before Dense(1, activation="sigmoid") ' \
                           '(unsafe fix: changes the model)'
    assert not action.is_preferred  # unsafe
    assert action.diagnostics[0].code == "dense-on-unreduced-tensor"
    fixed = apply_text_edits(text, action.edit.changes[SEED.as_uri()])
    assert 'score = Dense(1, activation="sigmoid")(GlobalAveragePooling2D()(x))' in fixed
    assert cli_json(fixed, SEED)["findings"] == []
    after = await change_file(client, SEED, fixed, 2)
    assert after == []


async def test_safe_fix_is_preferred_and_fix_all_applies_it(client: LanguageClient):
    text = SAFE_FIX.read_text(encoding="utf-8")
    found = await open_file(client, SAFE_FIX)
    assert [d.code for d in found] == ["label-encoding-mismatch"]
    assert found[0].severity == types.DiagnosticSeverity.Error
    document = types.TextDocumentIdentifier(SAFE_FIX.as_uri())
    quick = await client.text_document_code_action_async(types.CodeActionParams(
        document, found[0].range, types.CodeActionContext(diagnostics=found)))
    assert [a.is_preferred for a in quick] == [True] and "unsafe" not in quick[0].title
    fix_all = await client.text_document_code_action_async(types.CodeActionParams(
        document, whole_file(), types.CodeActionContext(diagnostics=[], only=["source.fixAll"])))
    assert [a.kind for a in fix_all] == ["source.fixAll.shapelint"]
    for action in (quick[0], fix_all[0]):
        fixed = apply_text_edits(text, action.edit.changes[SAFE_FIX.as_uri()])
        assert 'loss="sparse_categorical_crossentropy"' in fixed
        assert cli_json(fixed, SAFE_FIX)["findings"] == []


async def test_did_change_updates_the_diagnostics(client: LanguageClient):
    text = SEED.read_text(encoding="utf-8")
    assert len(await open_file(client, SEED)) == 1
    reduced = text.replace("score = Dense(1", "x = Flatten()(x)\nscore = Dense(1").replace(
        "Input, MaxPooling2D", "Flatten, Input, MaxPooling2D")
    assert await change_file(client, SEED, reduced, 2) == []
    back = await change_file(client, SEED, text, 3)
    assert [d.code for d in back] == ["dense-on-unreduced-tensor"]
    # An incremental change: the head on line 13 becomes Dense(4); the finding follows the buffer.
    uri = SEED.as_uri()
    start = text.splitlines()[12].index("1")
    got = await diagnostics_after(client, [uri], lambda: client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=4, uri=uri),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(12, start), types.Position(12, start + 1)), text="4")])))
    assert "Dense(4) gets a 4-D tensor" in got[uri][0].message


async def test_diagnostics_come_from_the_buffer_not_the_disk(client: LanguageClient, tmp_path):
    path = tmp_path / "model.py"
    path.write_text("print('nothing to see')\n", encoding="utf-8")
    found = await open_file(client, path, SEED.read_text(encoding="utf-8"))
    assert [d.code for d in found] == ["dense-on-unreduced-tensor"]


async def test_only_python_documents_are_analysed(client: LanguageClient, tmp_path):
    notes = (tmp_path / "notes.md").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(notes, "markdown", 1, "# Dense(1) on a (None, 5, 5, 64) map\n")))
    found = await open_file(client, SEED)  # answered in order: the markdown file came first
    assert [d.code for d in found] == ["dense-on-unreduced-tensor"]
    assert notes not in client.diagnostics


async def test_columns_are_utf16_on_a_non_ascii_line(client: LanguageClient, tmp_path):
    path = tmp_path / "unicode.py"
    text = SEED.read_text(encoding="utf-8").replace(
        'score = Dense(1, activation="sigmoid")(x)', 'sçöre = Dense(1, name="tête😀")(x); é = 1').replace(
        "outputs=score", "outputs=sçöre")
    found = await open_file(client, path, text)
    line = text.splitlines()[12]
    finding = cli_json(text, path)["findings"][0]
    assert finding["col"] == len("sçöre = ".encode("utf-8"))  # astroid counts UTF-8 bytes
    assert found[0].range == types.Range(
        types.Position(12, utf16_col(line, finding["col"])), types.Position(12, utf16_col(line, finding["end_col"])))
    assert found[0].range.start.character == len("sçöre = ")
    assert found[0].range.end.character == line.index(";") + 1  # the emoji is two UTF-16 units
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(path.as_uri()), range=whole_file()))
    assert {h.position.line: h.position.character for h in hints}[12] == utf16(line) == len(line) + 1
    on_dense = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(path.as_uri()), types.Position(12, len("sçöre = De"))))
    assert on_dense.contents.value.startswith("**Dense**")


async def test_utf8_positions_when_the_client_prefers_them(bare: LanguageClient, tmp_path):
    result = await bare.initialize_session(_init({"debounce": 0}, encodings=("utf-8", "utf-16")))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    path = tmp_path / "unicode.py"
    text = SEED.read_text(encoding="utf-8").replace("score", "sçöre")
    found = await open_file(bare, path, text)
    finding = cli_json(text, path)["findings"][0]
    assert (found[0].range.start.character, found[0].range.end.character) == (finding["col"], finding["end_col"])


# --- Notebooks -----------------------------------------------------------------------------------------

def _notebook(path: Path, cells: Sequence[tuple]) -> types.DidOpenNotebookDocumentParams:
    """notebookDocument/didOpen for ``cells`` of (kind, source)."""
    uri = path.as_uri()
    cell_uris = [f"vscode-notebook-cell:{path}#cell{n}" for n in range(len(cells))]
    return types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code if kind == "code" else
                                      types.NotebookCellKind.Markup, document=cell_uri)
                   for (kind, _), cell_uri in zip(cells, cell_uris)]),
        cell_text_documents=[types.TextDocumentItem(cell_uri, "python" if kind == "code" else "markdown", 1, source)
                             for (kind, source), cell_uri in zip(cells, cell_uris)])


def _seed_cells() -> List[tuple]:
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    return [("markdown", "# A CNN\nwith a head on the feature map\n"),
            ("code", "".join(lines[3:6]) + "%matplotlib inline\n"),  # imports, and an IPython line
            ("code", "".join(lines[7:13])),                            # the layers (the head last)
            ("markdown", "Now train it."),
            ("code", "".join(lines[14:17]))]                           # Model, compile, fit


async def test_notebook_gets_diagnostics_and_hints_per_cell(client: LanguageClient, tmp_path):
    path = tmp_path / "cnn.ipynb"
    params = _notebook(path, _seed_cells())
    code_uris = [params.cell_text_documents[i].uri for i in (1, 2, 4)]
    got = await diagnostics_after(client, code_uris, lambda: client.notebook_document_did_open(params))
    imports, layers, training = (got[u] for u in code_uris)
    assert imports == [] and training == []
    assert [d.code for d in layers] == ["dense-on-unreduced-tensor"]
    assert layers[0].range == types.Range(types.Position(5, 8), types.Position(5, 41))  # line 6 of its cell
    # The CLI on the same notebook file reports it in cell 3 (Jupyter numbering counts markdown cells).
    notebook_file = {"cells": [{"cell_type": k, "metadata": {}, "source": s,
                                **({"outputs": [], "execution_count": None} if k == "code" else {})}
                               for k, s in _seed_cells()],
                     "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook_file), encoding="utf-8")
    text = subprocess.run([sys.executable, "-m", "shapelint", "--no-cache", str(path)], capture_output=True,
                          text=True, env=ENV, check=False).stdout
    assert f"{path}:cell 3:6:8: E5901" in text
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(code_uris[1]), range=whole_file()))
    assert [(h.position.line, h.label) for h in hints] == [
        (1, "(None, 20, 20, 32) · 320 params"), (2, "(None, 10, 10, 32) · 0 params"),
        (3, "(None, 10, 10, 64) · 18,496 params"), (4, "(None, 5, 5, 64) · 0 params"),
        (5, "(None, 5, 5, 1) · 65 params")]
    model_hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(code_uris[2]), range=whole_file()))
    assert [(h.position.line, h.label) for h in model_hints] == [(0, "model_1: 18,881 params")]
    on_model = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(code_uris[2]), types.Position(2, 2)))
    assert "Dense (cell 3, line 6)" in on_model.contents.value


async def test_notebook_change_and_quick_fix_per_cell(client: LanguageClient, tmp_path):
    path = tmp_path / "cnn.ipynb"
    cells = _seed_cells()
    params = _notebook(path, cells)
    layers_uri = params.cell_text_documents[2].uri
    code_uris = [params.cell_text_documents[i].uri for i in (1, 2, 4)]
    got = await diagnostics_after(client, code_uris, lambda: client.notebook_document_did_open(params))
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(layers_uri), got[layers_uri][0].range,
        types.CodeActionContext(diagnostics=got[layers_uri])))
    assert len(actions) == 1
    changes = actions[0].edit.changes
    imports_uri = params.cell_text_documents[1].uri
    assert set(changes) == {imports_uri, layers_uri}  # the import cell and the head's cell
    new_imports = apply_text_edits(cells[1][1], changes[imports_uri])
    new_layers = apply_text_edits(cells[2][1], changes[layers_uri])
    assert "GlobalAveragePooling2D, Input" in new_imports and "%matplotlib inline" in new_imports
    assert "(GlobalAveragePooling2D()(x))" in new_layers
    # The edited cells, sent as notebookDocument/didChange: the finding is gone.
    change = types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=path.as_uri()),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(version=2, uri=uri),
                changes=[types.TextDocumentContentChangeWholeDocument(text=new)])
            for uri, new in ((imports_uri, new_imports), (layers_uri, new_layers))])))
    got = await diagnostics_after(client, code_uris, lambda: client.notebook_document_did_change(change))
    assert all(found == [] for found in got.values())


async def test_removing_a_cell_or_closing_clears_its_diagnostics(client: LanguageClient, tmp_path):
    path = tmp_path / "cnn.ipynb"
    params = _notebook(path, _seed_cells())
    layers_uri = params.cell_text_documents[2].uri
    code_uris = [params.cell_text_documents[i].uri for i in (1, 2, 4)]
    got = await diagnostics_after(client, code_uris, lambda: client.notebook_document_did_open(params))
    assert len(got[layers_uri]) == 1
    # The layers cell is deleted: the head is gone with it, and its old diagnostic is cleared.
    removed = types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=path.as_uri()),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=2, delete_count=1, cells=[]),
                did_close=[types.TextDocumentIdentifier(layers_uri)]))))
    got = await diagnostics_after(client, [layers_uri], lambda: client.notebook_document_did_change(removed))
    assert got[layers_uri] == []
    # Closing a file clears its diagnostics.
    assert len(await open_file(client, SEED)) == 1
    got = await diagnostics_after(client, [SEED.as_uri()], lambda: client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(SEED.as_uri()))))
    assert got[SEED.as_uri()] == []


# --- Malformed input: the session goes on --------------------------------------------------------------

async def _still_serving(client: LanguageClient) -> None:
    found = await open_file(client, SEED)
    assert [d.code for d in found] == ["dense-on-unreduced-tensor"]


async def test_syntax_error_mid_edit(client: LanguageClient):
    text = SEED.read_text(encoding="utf-8")
    await open_file(client, SEED)
    broken = text.replace('score = Dense(1, activation="sigmoid")(x)', 'score = Dense(1, activation="sig')
    found = await change_file(client, SEED, broken, 2)
    assert [(d.code, d.range.start.line) for d in found] == [("syntax-error", 12)]
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(SEED.as_uri()), range=whole_file()))
    assert list(hints) == []
    assert [d.code for d in await change_file(client, SEED, text, 3)] == ["dense-on-unreduced-tensor"]


async def test_a_5000_line_file(client: LanguageClient, tmp_path):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = [f"x = Conv2D(8, (3, 3), padding='same', name='c{n}')(x)" for n in range(5000)]
    text = "\n".join(lines[:12] + body + lines[12:]) + "\n"
    path = tmp_path / "long.py"
    found = await open_file(client, path, text)
    assert len(text.splitlines()) > 5000
    assert [d.code for d in found] == ["dense-on-unreduced-tensor"]
    assert found[0].range.start.line == 12 + 5000
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(path.as_uri()),
        range=types.Range(types.Position(4000, 0), types.Position(4001, 0))))
    assert [h.label for h in hints] == ["(None, 5, 5, 8) · 584 params"] * 2


async def test_binary_junk(client: LanguageClient, tmp_path):
    junk = bytes(range(256)).decode("latin-1") * 20 + "\x00\ufffd\udcff"
    found = await open_file(client, tmp_path / "junk.py", junk)
    assert [(d.code, d.range.start.line) for d in found] == [("syntax-error", 0)]
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier((tmp_path / "junk.py").as_uri()), range=whole_file()))
    assert list(hints) == []
    await _still_serving(client)


# --- Configuration -------------------------------------------------------------------------------------

async def test_initialization_options_select_and_ignore(bare: LanguageClient):
    await bare.initialize_session(_init({"debounce": 0, "ignore": ["E5901"]}))
    assert await open_file(bare, SEED) == []


async def test_bad_initialization_options_are_logged_and_ignored(bare: LanguageClient):
    await bare.initialize_session(_init({"debounce": "soon", "ignore": ["no-such-rule"], "colour": True}))
    messages = [m.message for m in bare.log_messages]
    assert any("debounce must be seconds" in m for m in messages), messages
    assert any("no-such-rule" in m for m in messages), messages
    assert any("unknown key(s) colour" in m for m in messages), messages
    assert [d.code for d in await open_file(bare, SEED)] == ["dense-on-unreduced-tensor"]


async def test_pyproject_configuration_applies(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nignore = ["dense-on-unreduced-tensor"]\n',
                                             encoding="utf-8")
    assert await open_file(client, tmp_path / "model.py", SEED.read_text(encoding="utf-8")) == []
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nignore = "oops"\n', encoding="utf-8")
    found = await change_file(client, tmp_path / "model.py", SEED.read_text(encoding="utf-8"), 2)
    assert [d.code for d in found] == ["dense-on-unreduced-tensor"]  # a broken table: the defaults, logged
    assert any("must be a list of rule names" in m.message for m in client.log_messages)


async def test_a_project_module_sees_its_siblings(client: LanguageClient):
    project = ROOT / "fixtures" / "projects" / "labels_bad"
    train = project / "train.py"
    found = await open_file(client, train)
    expected = cli_json(train.read_text(encoding="utf-8"), train)["findings"]
    assert [(d.range.start.line + 1, d.code) for d in found] == [(f["line"], f["symbol"]) for f in expected] == \
        [(10, "label-encoding-mismatch")]


async def test_debounced_changes_analyse_the_latest_text(bare: LanguageClient):
    await bare.initialize_session(_init({"debounce": 0.05}))
    text = SEED.read_text(encoding="utf-8")
    assert len(await open_file(bare, SEED)) == 1
    uri = SEED.as_uri()

    def burst():
        for version, head in enumerate(("Dense(2", "Dense(3", "Dense(7"), 2):
            bare.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [types.TextDocumentContentChangeWholeDocument(text=text.replace("Dense(1", head))]))

    got = await diagnostics_after(bare, [uri], burst)
    assert "Dense(7) gets a 4-D tensor" in got[uri][0].message
