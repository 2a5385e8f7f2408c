"""The engine: source -> front end -> graph -> shapes -> checks.

It knows nothing of pylint or the CLI; both are thin adapters over
``analyze_source`` / ``analyze_module``.  It never raises: a file that does
not parse gets one syntax-error finding, an internal slip one note.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from shapelint.findings import Finding
from shapelint.messages import SYNTAX_ERROR
from shapelint.options import DEFAULT_OPTIONS, AnalysisOptions
from shapelint.shapes import dims

if TYPE_CHECKING:  # the graph (and networkx) load only for Keras modules
    from shapelint.graph import LayerCall, ShapeGraph


# ``keep_graph`` value: keep the graph only for a result with findings (the
# CLI marks fixes on it; a result without findings has no use for it).
KEEP_GRAPH_IF_FINDINGS = "if-findings"


@dataclass
class LayerRecord:
    line: int
    col: int
    layer: str
    input_shapes: list
    output_shape: Any
    params: Optional[int]
    exact: bool = False  # every None in output_shape is a dynamic axis in Keras too
    # The file of the run whose analysis made this application, when it is
    # not this file's own (its code is only reached from there).
    via: Optional[str] = None
    # Made in a function the module never calls, analysed on its own (its
    # parameters defaults or symbols): a listing of a run may replace such
    # rows, when not exact, by those of a file of the run that calls it.
    standalone: bool = False

    def to_json(self, internal: bool = False) -> dict:
        """The row of the JSON contract; ``internal`` also keeps what only a
        stored result needs (``standalone``)."""
        data = {
            "line": self.line,
            "col": self.col,
            "layer": self.layer,
            "input_shapes": [dims.shape_to_json(s) for s in self.input_shapes],
            "output_shape": dims.shape_to_json(self.output_shape),
            "params": self.params,
            "exact": self.exact,
        }
        if self.via is not None:
            data["via"] = self.via
        if internal and self.standalone:
            data["standalone"] = True
        return data

    @classmethod
    def from_json(cls, data: dict) -> "LayerRecord":
        """The record ``to_json`` gave; a symbolic size comes back as its text."""
        return cls(data["line"], data["col"], data["layer"],
                   [dims.shape_from_json(s) for s in data["input_shapes"]],
                   dims.shape_from_json(data["output_shape"]), data["params"], data["exact"],
                   data.get("via"), bool(data.get("standalone", False)))


@dataclass
class FileResult:
    path: str
    layers: List[LayerRecord] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)
    graph: Optional[ShapeGraph] = None
    notes: List[str] = field(default_factory=list)
    # What the analysis chose not to follow (a budget reached): --verbose.
    info: List[str] = field(default_factory=list)
    # The project's own modules the analysis read (absolute paths): a cached
    # result is only valid while they are unchanged.
    dependencies: List[str] = field(default_factory=list)
    # Applications this analysis made in the code of those modules (absolute
    # path -> distinct records): a function of models.py only train.py calls.
    # ``attach_elsewhere`` lists them under that file when it is in the run.
    elsewhere: Dict[str, List[LayerRecord]] = field(default_factory=dict)

    def to_json(self, confidence: bool = False) -> dict:
        """One entry of the JSON contract's ``files`` (the graph and notes
        stay out); ``confidence`` as in ``Finding.to_json``."""
        return {
            "path": self.path,
            "layers": [layer.to_json(confidence) for layer in self.layers],
            "findings": [f.to_json(confidence) for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict, path: Optional[str] = None) -> "FileResult":
        """The result ``to_json`` gave, under ``path`` when given (the same
        file named another way)."""
        return cls(path if path is not None else data["path"],
                   [LayerRecord.from_json(layer) for layer in data["layers"]],
                   [Finding.from_json(f) for f in data["findings"]])


def _record(call: LayerCall, where: Optional[Dict[int, tuple]] = None) -> LayerRecord:
    """``call``'s row; ``where``: the (line, column) of nodes already asked
    (a replayed function's applications share their nodes)."""
    node = call.node
    place = None if where is None else where.get(id(node))
    if place is None:
        place = (getattr(node, "lineno", 0) or 0, getattr(node, "col_offset", 0) or 0)
        if where is not None:
            where[id(node)] = place
    layer = call.name or call.config.class_name  # call.class_name
    if call.kind == "model" and layer != "Sequential" and not call.name:
        layer = "Functional"  # a backbone too: Keras' summary lists "resnet50 (Functional)"
    # (a functional model a subclass's __init__ made keeps the subclass's name, as Keras does)
    outputs = call.output_shapes
    # (positional: one is made per application listed)
    return LayerRecord(
        place[0],  # line
        place[1],  # col
        layer,
        list(call.input_shapes),
        outputs[0] if outputs else None,  # call.output_shape
        call.params,
        # exact: in a branch the analysis could not decide (or one option of
        # a layer chosen by if/else) the application may never happen with
        # these shapes: a conditional claim, never an exact one.
        call.exact and not call.in_uncertain_branch,
        None,  # via
        call.in_uncalled_function,  # standalone
    )


def _in(module: Any, node: Any) -> bool:
    """``node`` is code of ``module`` (not of a project module it imported)."""
    try:
        root = node.root()
    except Exception:  # pylint: disable=broad-except
        return True
    return root is module or not hasattr(root, "file")


def _file_of(module: Any, node: Any) -> Optional[str]:
    """None for code of ``module``, else the project file ``node`` is code of."""
    try:
        root = node.root()
    except Exception:  # pylint: disable=broad-except
        return None
    if root is module:
        return None
    return getattr(root, "file", None) or None


def _listed(module: Any, calls: List[LayerCall]):
    """The applications that are rows of a JSON listing: layers, and a
    model applied like a layer, as Keras' summary lists it.  Those met in
    this module's code (this file's rows), and by project file those met in
    the code of an imported module (distinct records).  Where a node is is
    asked once per node (a replayed function's applications share their
    nodes: NASNet's 2,850 have 50)."""
    where: Dict[int, Optional[str]] = {}
    here: List[LayerCall] = []
    elsewhere: Dict[str, List[LayerRecord]] = {}
    seen = set()
    for call in calls:
        if call.kind not in ("layer", "custom", "model") or not call.listed:
            continue
        key = id(call.node)
        if key not in where:
            where[key] = _file_of(module, call.node)
        path = where[key]
        if path is None:
            here.append(call)
            continue
        record = _record(call)
        ident = (path, repr(record))
        if ident not in seen:
            seen.add(ident)
            elsewhere.setdefault(path, []).append(record)
    return here, elsewhere


def _settled_sites(records: List[LayerRecord]):
    """The places a file's own analysis settled: some application there
    was met in code the module runs, or has Keras' own shape.  The rest are
    rows of a function the module never calls, analysed on its own with
    sizes it could not tell (or symbols for its parameters)."""
    return {(r.line, r.col) for r in records if r.via is None and (not r.standalone or _told(r))}


def _told(record: LayerRecord) -> bool:
    """Its output shape is Keras' own: exact, and no size a symbol."""
    shape = record.output_shape
    return record.exact and shape is not None and not any(dims.is_symbolic(d) for d in shape)


def attach_elsewhere(results: List[FileResult]) -> None:
    """List under each file of a run the applications other files' analyses
    made in its code (a builder of models.py that only train.py calls),
    each with ``via`` the file that reached it, at places its own analysis
    never applied a layer, or applied them only in a function the module
    never calls, with sizes it could not tell: those rows give way.  The distinct
    records, by position, after the file's own rows."""
    by_path = {os.path.abspath(r.path): r for r in results if isinstance(r, FileResult)}
    added: Dict[str, List[LayerRecord]] = {}
    for result in results:
        if not isinstance(result, FileResult):
            continue
        for path, records in result.elsewhere.items():
            target = by_path.get(path)
            if target is None or target is result:
                continue
            settled = _settled_sites(target.layers)
            for record in records:
                if record.standalone and not _told(record):
                    continue  # the other file's own uncalled function: no better
                if (record.line, record.col) not in settled:
                    added.setdefault(path, []).append(replace(record, via=result.path))
    for path, records in added.items():
        target = by_path[path]
        reached = {(r.line, r.col) for r in records}
        target.layers = [r for r in target.layers if (r.line, r.col) not in reached]
        seen = set()
        for record in sorted(records, key=lambda r: (r.line, r.col)):
            ident = repr(replace(record, via=None))  # the first file that reached it is named
            if ident not in seen:
                seen.add(ident)
                target.layers.append(record)


def _located_here(module: Any, graph: Any, findings: List[Finding]) -> List[Finding]:
    """The findings this file is where the fault is.  A layer's own fault in
    an imported module is that module's to report (its own run finds it); a
    training finding anchored on an imported model's head moves to this
    file's ``fit``/``evaluate``/``predict`` call that gave the data."""
    here: List[Finding] = []
    for finding in findings:
        if _in(module, finding.node):
            here.append(finding)
            continue
        for training in graph.trainings:
            if not _in(module, training.node):
                continue
            if any(graph.calls[i].node is finding.node for i in training.record.calls) or \
                    finding.node is training.compile_node:
                moved = Finding.at(training.node, finding.kind, finding.message, finding.suggestions,
                                   finding.confidence)
                if all(f.sort_key() != moved.sort_key() for f in here):
                    here.append(moved)
                break
    here.sort(key=Finding.sort_key)
    return here


@contextmanager
def _collector_paused():
    """No garbage collection while one module is parsed (the CLI), or
    analysed.

    The analysis allocates many short-lived containers; the generational
    collector would otherwise scan them, and every object of the host process
    (pylint's whole astroid heap) in its older generations, again and again:
    measured, 40% of the CLI's analysis time on real code.  With the collector
    paused, what the analysis left behind is collected once, by the host's
    next young-generation collection after it resumes.  The host's own
    objects are never frozen or collected differently."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(module: Any, path: str, options: AnalysisOptions, result: FileResult, keep_graph) -> None:
    """Fill ``result`` from one evaluation of ``module``.  Everything the
    evaluation made and the result does not keep is freed here, while the
    collector is still paused, by reference counting alone: the evaluator's
    cycles (it holds its own bound methods; its parts hold it) are broken,
    and the graph is dropped unless ``keep_graph`` asks for it (True;
    ``KEEP_GRAPH_IF_FINDINGS``: only when there are findings).  The
    collection when the collector resumes then scans only what the result
    holds (EfficientNet: about 30,000 objects, not 100,000)."""
    # pylint: disable-next=import-outside-toplevel
    from shapelint.checks import run_checks
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel

    evaluator = Evaluator(module, path, options)
    try:
        graph = evaluator.run()
        result.graph = graph
        result.dependencies = evaluator.project_files()
        result.info = list(evaluator.info)
        here, result.elsewhere = _listed(module, graph.calls)
        where: Dict[int, tuple] = {}
        result.layers = [_record(c, where) for c in here]
        result.findings = _located_here(module, graph, run_checks(graph))
    finally:
        evaluator.__dict__.clear()
    if not (keep_graph is True or (keep_graph == KEEP_GRAPH_IF_FINDINGS and result.findings)):
        # networkx caches views of a graph on the graph (a cycle): emptied,
        # the nodes' and edges' data go by reference counting
        result.graph.g.clear()
        result.graph = None


def analyze_module(module: Any, path: str = "<string>",
                   options: Optional[AnalysisOptions] = None, keep_graph=True) -> FileResult:
    """Analyse an already-parsed astroid module (pylint hands us one).
    ``options``: what to assume (the Keras version); the defaults if None.
    ``keep_graph``: whether ``result.graph`` is kept: True, False, or
    ``KEEP_GRAPH_IF_FINDINGS`` (what marking fixes needs)."""
    # pylint: disable-next=import-outside-toplevel
    from shapelint.frontend.parsing import keras_snippet_names, mentions_keras

    result = FileResult(path)
    try:
        # pylint: disable-next=import-outside-toplevel
        from shapelint.frontend.project import imports_keras_module

        if not (mentions_keras(module) or keras_snippet_names(module) or imports_keras_module(module, path)):
            return result  # nothing Keras can be built here (and networkx stays unloaded)
        with _collector_paused():
            _evaluate(module, path, options or DEFAULT_OPTIONS, result, keep_graph)
    except Exception as exc:  # pylint: disable=broad-except
        result.notes.append(f"shapelint could not analyse this file (internal error: "
                            f"{type(exc).__name__}: {exc}); it was skipped")
    return result


def analyze_source(source: str, path: str = "<string>",
                   options: Optional[AnalysisOptions] = None, keep_graph=True) -> FileResult:
    """Parse ``source`` with astroid (no imports) and analyse it
    (``keep_graph`` as in ``analyze_module``)."""
    import astroid  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    try:
        with _collector_paused():  # (the tree's nodes all live on: a collection would only scan them)
            module = parse(source, path=path)
    except astroid.AstroidSyntaxError as exc:
        err = getattr(exc, "error", None)
        line = getattr(err, "lineno", None) or 1
        col = max((getattr(err, "offset", None) or 1) - 1, 0)
        msg = getattr(err, "msg", None) or str(exc).splitlines()[0]
        result = FileResult(path)
        result.findings.append(Finding(
            SYNTAX_ERROR, line, col, line, col,
            f"could not parse this file ({msg}); it was not checked", [],
        ))
        return result
    except Exception as exc:  # pylint: disable=broad-except
        result = FileResult(path)
        result.notes.append(f"shapelint could not read this file: {exc}")
        return result
    return analyze_module(module, path, options, keep_graph)
