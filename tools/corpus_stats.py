"""Corpus statistics: run shapelint over every .py file under a directory.

    .venv/bin/python tools/corpus_stats.py DIR [--timeout SECONDS] [--json OUT.json] [--notebooks]

Each file is analysed in its own forked process (a per-file timeout guard: a
file that takes longer is killed and counted as a crash).  Prints:

* files, files with a model (>= 1 layer application seen), layer
  applications seen, and how many have a fully known output shape (rank known,
  every non-batch dim an int, or a None that Keras has too: the call is
  ``exact``), a rank-only shape (rank known, some dim unknown or symbolic) or
  an unknown one (output shape None);
* every finding by symbol, with file:line;
* crashes (internal-error notes, exceptions, timeouts) -- must be 0;
* time per file (median, max);
* why shapes are unknown: for layer applications with an unknown output, the
  count by layer class, and whether the input was already unknown
  (propagated) or the rule itself gave up; for propagated ones, the root
  construct the unknown came from (traced back through the graph);
* subclass ``call()`` methods whose layers were never seen.

Only the engine is used (``shapelint.cli.lint_file``, i.e. ``analyze_source``
plus ``# shapelint: ignore`` handling); nothing in shapelint is changed.  To
explain unknowns, a few interpreter methods are wrapped in the worker process
only (``_record_operands``): they record operands, applications to
non-tensors and constructed layers, and never change a shape or a finding.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict

MAX_TRACE = 200  # graph hops when tracing an unknown back to its root


# ------------------------------------------------------------ in the child
def _callee_text(node) -> str:
    try:
        text = node.func.as_string()
    except Exception:  # pylint: disable=broad-except
        return "?"
    return text if len(text) <= 60 else text[:57] + "..."


_IMPORTS: dict = {}


def _import_map(module) -> dict:
    """Local name -> dotted name, plus local classes/functions, for one module."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    key = id(module)
    if key in _IMPORTS:
        return _IMPORTS[key]
    names = {}
    for node in module.nodes_of_class((nodes.Import, nodes.ImportFrom)):
        for name, alias in node.names:
            if isinstance(node, nodes.ImportFrom):
                names[alias or name] = f"{node.modname}.{name}"
            else:
                names[alias or name.split(".")[0]] = name if alias else name.split(".")[0]
    for node in module.nodes_of_class((nodes.ClassDef, nodes.FunctionDef)):
        if isinstance(node.parent, nodes.Module):
            names.setdefault(node.name, "<local class>" if isinstance(node, nodes.ClassDef)
                             else "<local function>")
    _IMPORTS[key] = names
    return names


def _call_category(call_node) -> tuple:
    """(category, detail) for a call whose result is a tensor of unknown shape."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    text = _callee_text(call_node)
    func = call_node.func
    applied = isinstance(func, nodes.Call)  # X(...)(tensor): an object built inline and applied
    target = func.func if applied else func
    head_node = target
    while isinstance(head_node, (nodes.Attribute, nodes.Call, nodes.Subscript)):
        head_node = head_node.expr if isinstance(head_node, nodes.Attribute) else (
            head_node.func if isinstance(head_node, nodes.Call) else head_node.value)
    head = head_node.name if isinstance(head_node, nodes.Name) else ""
    qual = _import_map(call_node.root()).get(head, "")
    if isinstance(target, nodes.Attribute):
        try:
            qual = (qual + target.as_string()[len(head):]) if qual and not qual.startswith("<") else qual
        except Exception:  # pylint: disable=broad-except
            pass
    if head == "self":
        return ("self.<attr>(...) inside a subclass (attribute not followed)", text)
    if qual.startswith(("tensorflow_addons", "tfa")):
        return ("tensorflow_addons layer/op", text)
    if qual.startswith(("keras_cv", "keras_hub", "keras_nlp")):
        return ("keras_cv / keras_hub / keras_nlp layer or model", text)
    if qual.startswith(("transformers", "tensorflow_hub")):
        return ("HF transformers / tf-hub model", text)
    if qual.startswith(("tensorflow.keras.ops", "keras.ops", "keras.backend", "tensorflow.keras.backend")) \
            or qual in ("keras.src.ops",):
        return ("keras.ops / backend op", text)
    if qual.startswith("keras.activations") or qual.startswith("tensorflow.keras.activations"):
        return ("keras.activations.* called on a tensor", text)
    if qual.startswith(("keras", "tensorflow.keras")):
        if applied:
            return ("Keras layer/model applied to a non-tensor or unknown argument", text)
        return ("other keras.* call on a tensor", text)
    if qual.startswith("tensorflow"):
        return ("tf.* op", text)
    if qual.startswith("numpy"):
        return ("numpy call on a tensor", text)
    if qual == "<local class>":
        return ("local subclass instance: no call()/__call__ followed", text)
    if qual == "<local function>":
        return ("local function result not a followed tensor", text)
    if isinstance(target, nodes.Attribute) and not qual:
        return ("method call on a value (x.method(...), obj.attr(...))", text)
    return ("callable from a parameter/variable (e.g. activation_fn(x))", text)


def _describe_root(graph, tid) -> tuple:
    """(category, detail) for a tensor of unknown shape with no layer behind it."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    data = graph.g.nodes[("t", tid)]
    origin, node = data.get("origin"), data.get("node")
    if origin == "input":
        if isinstance(node, nodes.Call):
            text = _callee_text(node)
            if text.endswith("Sequential"):
                return ("Sequential never applied to a tensor nor given an input shape", text)
            if text.endswith("Input") or text.endswith("InputLayer"):
                return ("Input(shape=...) not evaluable", node.as_string()[:60])
            return ("model input of unknown shape", text)
        return ("model input of unknown shape", type(node).__name__)
    if origin == "loop":
        return ("loop-widened tensor (rank changed in a loop)", "")
    if origin == "join":
        return ("if/else branches with different ranks", "")
    if origin == "op":
        if node is None:
            return ("tensor arithmetic (x + y ...) on an unknown operand", "")
        if isinstance(node, nodes.Subscript):
            base = node.value
            if isinstance(base, nodes.Call) and _callee_text(base).endswith("shape"):
                return ("runtime shape query used as a size (ops.shape(x)[i], tf.shape(x)[i])",
                        node.as_string()[:60])
            return ("tensor slicing/indexing x[...]", node.as_string()[:60])
        if isinstance(node, nodes.FunctionDef):
            return ("local function not inlined (depth/recursion bound)", node.name)
        if isinstance(node, nodes.Call):
            return _call_category(node)
        return ("other op", type(node).__name__)
    return (f"origin {origin}", "")


def _trace(graph, tid, hops=0):
    """Follow an unknown-shaped tensor upstream to the first construct that
    lost the shape (its own inputs were known, its output is not).  Returns
    (category, detail, line of that construct)."""
    from shapelint.shapes.registry import lookup  # pylint: disable=import-outside-toplevel

    producer = graph.producer(tid)
    data = graph.g.nodes[("t", tid)]
    if hops > MAX_TRACE:
        return ("(trace too long)", "", 0)
    if producer is None:
        operands = data.get("operands")
        # x + y, an op we cannot follow, an if/else join: follow the operand
        # whose shape is unknown (recorded by _record_operands)
        for operand in operands or ():
            if graph.shape(operand) is None:
                return _trace(graph, operand, hops + 1)
        binop = data.get("binop_node")
        if data.get("origin") == "op" and data.get("node") is None and operands is not None:
            text = binop.as_string()[:60] if binop is not None else ""
            return ("tensor arithmetic with a non-tensor unknown operand (x * w, x + self.attr)", text,
                    getattr(binop, "lineno", 0) or 0)
        node = data.get("node")
        if data.get("origin") == "input" and node is not None:
            applied = _DIAG["seq_applied"].get(id(node), [])
            unknown_in = [t for t in applied if graph.shape(t) is None]
            if unknown_in:
                # the Sequential was only ever applied to an unknown tensor
                return _trace(graph, unknown_in[0], hops + 1)
        category, detail = _describe_root(graph, tid)
        return (category, detail, getattr(data.get("node"), "lineno", 0) or 0)
    line = getattr(producer.node, "lineno", 0) or 0
    if producer.kind == "model":
        for i, shape in enumerate(producer.input_shapes):
            if shape is None and i < len(producer.input_tids):
                return _trace(graph, producer.input_tids[i], hops + 1)
        return ("nested model/backbone with unknown output", producer.class_name, line)
    for i, shape in enumerate(producer.input_shapes):
        if shape is None and i < len(producer.input_tids):
            return _trace(graph, producer.input_tids[i], hops + 1)
    if producer.error is not None:
        return ("layer refused by its rule (a finding)", producer.class_name, line)
    if lookup(producer.class_name) is None:
        return ("layer class with no shapelint rule", producer.class_name, line)
    return ("rule gave unknown from a known input", producer.class_name, line)


def _unknown_reason(graph, call):
    """(kind, detail) for one layer application with an unknown output."""
    from shapelint.shapes.registry import lookup  # pylint: disable=import-outside-toplevel
    from shapelint.unknown import UNKNOWN  # pylint: disable=import-outside-toplevel

    missing = [i for i, s in enumerate(call.input_shapes) if s is None]
    if not call.input_shapes or missing:
        if not missing or missing[0] >= len(call.input_tids):
            return ("propagated", ("no input tensor", "", 0))
        return ("propagated", _trace(graph, call.input_tids[missing[0]]))
    if call.error is not None:
        return ("rule", ("shape error (reported as a finding)", call.error.kind))
    rule = lookup(call.class_name)
    if rule is None:
        return ("rule", ("no rule for this layer class", call.class_name))
    if any(v is UNKNOWN for v in call.config.args.values()):
        bad = sorted(k for k, v in call.config.args.items() if v is UNKNOWN)
        return ("rule", ("constructor argument not evaluable", ",".join(bad)))
    return ("rule", ("rule returned unknown (or raised internally)", call.class_name))


def _subclass_calls(path, layer_lines):
    """Keras-style subclass call() methods and whether any layer application
    was seen inside them; ``self.<x>(...)`` calls in unseen ones approximate
    the layer applications shapelint never saw."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    with open(path, encoding="utf-8") as handle:
        module = parse(handle.read(), path)
    out = []
    for cls in module.nodes_of_class(nodes.ClassDef):
        for stmt in cls.body:
            if isinstance(stmt, nodes.FunctionDef) and stmt.name == "call":
                lo, hi = stmt.lineno, stmt.end_lineno or stmt.lineno
                seen = any(lo <= ln <= hi for ln in layer_lines)
                self_calls = sum(
                    1 for c in stmt.nodes_of_class(nodes.Call)
                    if isinstance(c.func, nodes.Attribute) and isinstance(c.func.expr, nodes.Name)
                    and c.func.expr.name == "self"
                )
                out.append({"class": cls.name, "line": lo, "seen": seen, "self_calls": self_calls})
    return out


def _layer_class_of(call, names: dict):
    """The layer class a ``SomeLayer(...)`` call constructs -- a Keras layer
    (resolved through the module's imports, or spelled ``<...>.layers.Name``
    with a module handed in at run time, as keras_applications does) or a
    third-party layer shapelint knows -- or None."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.resolve import classify  # pylint: disable=import-outside-toplevel
    from shapelint.shapes.registry import known_layer_names  # pylint: disable=import-outside-toplevel

    chain, node = [], call.func
    while isinstance(node, nodes.Attribute):
        chain.append(node.attrname)
        node = node.expr
    if not isinstance(node, nodes.Name):
        return None
    chain.append(node.name)
    chain.reverse()
    last = chain[-1]
    if not last[:1].isupper() or last in ("Input", "Model", "Sequential", "Functional"):
        return None
    head = names.get(chain[0], "")
    if head.startswith("<"):
        return None  # a local class or function of that name
    qual = ".".join([head] + chain[1:]) if head else ".".join(chain)
    kind = classify(qual)
    if kind is not None:
        return kind[1] if kind[0] == "layer" and kind[1] != "InputLayer" else None
    if "layers" in chain[:-1] and last in known_layer_names():
        return last
    return None


def _construction_sites(path):
    """Every ``SomeLayer(...)`` expression of a known layer class in the
    file, as [line, col, class, enclosing scope] (whether or not shapelint evaluated it)."""
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    with open(path, encoding="utf-8") as handle:
        module = parse(handle.read(), path)
    names = _import_map(module)
    out = []
    for call in module.nodes_of_class(nodes.Call):
        cls = _layer_class_of(call, names)
        if cls is not None:
            out.append([call.lineno or 0, call.col_offset or 0, cls, _scope_kind(call)])
    return out


_DIAG: dict = {"invisible": [], "constructed": {}, "seq_applied": {}, "wrapped": {}, "steps": 0, "budget": False}


def _scope_kind(node) -> str:
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    try:
        frame = node.frame()
    except Exception:  # pylint: disable=broad-except
        return "?"
    if isinstance(frame, nodes.FunctionDef):
        if isinstance(frame.parent, nodes.ClassDef):
            return f"method {frame.name}() of a class"
        return "module-level function"
    return "module level"


def _record_operands() -> None:
    """Diagnostic hooks (this process only; shapes and findings unchanged):
    remember the tensor operands of ``x + y``, of calls shapelint cannot
    follow and of if/else joins, so an unknown can be traced upstream to the
    construct that lost it."""
    # pylint: disable=import-outside-toplevel
    from astroid import nodes

    from shapelint.frontend import evaluator, keras_models, scope
    from shapelint.frontend.values import LayerObj, Tensor, flatten

    cls, keras_cls = evaluator.Evaluator, keras_models.KerasModels
    if getattr(cls, "_corpus_stats_hooked", False):
        return

    def tag(graph, out, operands):
        if isinstance(out, Tensor):
            tids = [v.tid for v in flatten(list(operands)) if isinstance(v, Tensor) and v.tid != out.tid]
            graph.g.nodes[("t", out.tid)]["operands"] = tids
        return out

    apply_layer, make_layer = keras_cls.apply_layer, keras_cls.make_layer

    def hooked_apply(self, layer, args, kwargs, node, in_sequential=False):
        first = args[0] if args else kwargs.get("inputs", kwargs.get("query"))
        values = list(first) if isinstance(first, (list, tuple)) else [first]
        if not values or not all(isinstance(v, Tensor) for v in values):
            bad = next((v for v in values if not isinstance(v, Tensor)), None)
            _DIAG["invisible"].append({
                "line": getattr(node, "lineno", 0) or 0,
                "layer": layer.config.class_name,
                "scope": _scope_kind(node),
                "value": type(bad).__name__,
            })
        return apply_layer(self, layer, args, kwargs, node, in_sequential)

    def hooked_make(self, name, args, kwargs, node):
        out = make_layer(self, name, args, kwargs, node)
        if isinstance(out, LayerObj):
            _DIAG["constructed"][out.layer_id] = (getattr(node, "lineno", 0) or 0, name,
                                                  getattr(node, "col_offset", 0) or 0)
            # a layer given to a wrapper (Bidirectional(LSTM(...)), TimeDistributed)
            # is applied by the wrapper, never on its own
            inner = [v.layer_id for v in flatten([list(args), list(kwargs.values())]) if isinstance(v, LayerObj)]
            if inner:
                _DIAG["wrapped"][out.layer_id] = inner
        return out

    apply_model, eval_, run = keras_cls.apply_model, cls.eval, cls.run

    def hooked_run(self):
        try:
            return run(self)
        finally:
            _DIAG["steps"] = self.steps
            _DIAG["budget"] = self.steps > evaluator.MAX_STEPS

    cls.run = hooked_run

    def hooked_apply_model(self, model, args, node):
        if model.kind == "sequential" and model.input_tensor is None and args \
                and isinstance(args[0], Tensor):
            _DIAG["seq_applied"].setdefault(id(model.node), []).append(args[0].tid)
        return apply_model(self, model, args, node)

    def hooked_eval(self, node, env):
        out = eval_(self, node, env)
        if isinstance(node, nodes.BinOp) and isinstance(out, Tensor):
            self.graph.g.nodes[("t", out.tid)].setdefault("binop_node", node)
        return out

    keras_cls.apply_layer, keras_cls.make_layer = hooked_apply, hooked_make
    keras_cls.apply_model, cls.eval = hooked_apply_model, hooked_eval
    binop, unknown, join = cls.tensor_binop, cls.unknown_result, scope.join
    cls.tensor_binop = lambda self, left, right, *rest, **kw: tag(
        self.graph, binop(self, left, right, *rest, **kw), [left, right])
    cls.unknown_result = lambda self, args, kwargs, node: tag(
        self.graph, unknown(self, args, kwargs, node), list(args) + list(kwargs.values()))
    scope.join = evaluator.join = lambda graph, a, b: tag(graph, join(graph, a, b), [a, b])
    cls._corpus_stats_hooked = True  # pylint: disable=protected-access


def _warm_up() -> None:
    """Import the engine and load the rules once, before forking, so the
    per-file times measure analysis, not imports."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    _record_operands()
    analyze_source("import keras\nx = keras.Input((4, 4, 1))\ny = keras.layers.Conv2D(2, 3)(x)\n"
                   "m = keras.Model(x, y)\n")


def _status(call) -> str:
    """known (exact, Keras' own None axes allowed), rank-only or unknown."""
    from shapelint.shapes import dims  # pylint: disable=import-outside-toplevel

    shape = call.output_shape
    if shape is None:
        return "unknown"
    if dims.fully_known(shape) or (call.exact and not any(dims.is_symbolic(d) for d in shape)):
        return "known"
    return "rank-only"


def _analyse(path: str) -> dict:
    """Everything the report needs for one file, as plain data."""
    from shapelint.cli import lint_file  # pylint: disable=import-outside-toplevel
    from shapelint.shapes import dims  # pylint: disable=import-outside-toplevel

    _DIAG["invisible"].clear()
    _DIAG["constructed"].clear()
    _DIAG["seq_applied"].clear()
    _DIAG["wrapped"].clear()
    _DIAG["steps"], _DIAG["budget"] = 0, False
    start = time.perf_counter()
    result, error = lint_file(path, False, "", True)
    elapsed = time.perf_counter() - start
    if error:
        return {"path": path, "time": elapsed, "crash": error}
    layers, elsewhere = [], []
    graph = result.graph
    calls = [c for c in graph.calls if c.kind == "layer"] if graph is not None else []
    dynamic = 0
    for call in calls:
        try:
            root = call.node.root()
            other = getattr(root, "file", None)
        except Exception:  # pylint: disable=broad-except
            other = None
        if other and os.path.abspath(other) != os.path.abspath(path):
            # code of a project module this file imports: a site of that file
            elsewhere.append({"path": os.path.abspath(other),
                              "line": getattr(call.node, "lineno", 0) or 0,
                              "col": getattr(call.node, "col_offset", 0) or 0,
                              "layer": call.class_name, "status": _status(call),
                              "standalone": bool(call.in_uncalled_function)})
            continue
        shape = call.output_shape
        status = _status(call)
        if status == "known" and not dims.fully_known(shape):
            dynamic += 1  # with Keras' own None axes (a sequence length, an image size)
        entry = {
            "line": getattr(call.node, "lineno", 0) or 0,
            "col": getattr(call.node, "col_offset", 0) or 0,
            "layer": call.class_name,
            "status": status,
            "output_shape": dims.shape_to_json(shape),
            "input_shapes": [dims.shape_to_json(s) for s in call.input_shapes],
            "standalone": bool(call.in_uncalled_function),
        }
        if status == "unknown":
            entry["reason"] = _unknown_reason(graph, call)
        layers.append(entry)
    findings = [{"symbol": f.symbol, "line": f.line, "message": f.message} for f in result.findings]
    try:
        subclass = _subclass_calls(path, {entry["line"] for entry in layers})
    except Exception:  # pylint: disable=broad-except
        subclass = []
    applied_ids = {c.layer_id for c in calls}
    pending = list(applied_ids)
    while pending:  # what an applied wrapper wraps is applied with it
        for inner in _DIAG["wrapped"].get(pending.pop(), []):
            if inner not in applied_ids:
                applied_ids.add(inner)
                pending.append(inner)
    never_applied = [{"line": line, "layer": name} for lid, (line, name, _) in _DIAG["constructed"].items()
                     if lid not in applied_ids]
    # construction sites (line, col) of layer objects some application used
    applied_constructions = sorted({(line, col) for lid, (line, _, col) in _DIAG["constructed"].items()
                                    if lid in applied_ids})
    try:
        constructions = _construction_sites(path)
    except Exception:  # pylint: disable=broad-except
        constructions = []
    return {
        "path": path,
        "time": elapsed,
        "layers": layers,
        "elsewhere": elsewhere,
        "dynamic": dynamic,
        "invisible": list(_DIAG["invisible"]),
        "steps": _DIAG["steps"],
        "budget": _DIAG["budget"],
        "constructed": len(_DIAG["constructed"]),
        "never_applied": never_applied,
        "constructions": constructions,
        "applied_constructions": applied_constructions,
        "findings": findings,
        "notes": list(result.notes),
        "subclass_calls": subclass,
        "models": len(graph.models) if graph is not None else 0,
    }


def _child(path: str, conn) -> None:
    try:
        conn.send(_analyse(path))
    except BaseException as exc:  # pylint: disable=broad-except
        conn.send({"path": path, "time": None,
                   "crash": f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"})
    finally:
        conn.close()


def run_one(path: str, timeout: float) -> dict:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(path, child))
    start = time.perf_counter()
    proc.start()
    child.close()
    out, timed_out = None, False
    if parent.poll(timeout):
        try:
            out = parent.recv()
        except EOFError:
            out = None
        proc.join(5)
    else:
        timed_out = True
    if proc.is_alive():
        proc.kill()
        proc.join()
    parent.close()
    if out is None:
        wall = time.perf_counter() - start
        why = f"timeout after {timeout:g}s" if timed_out else f"child died (exit {proc.exitcode})"
        out = {"path": path, "time": wall, "crash": why}
    return out


# ------------------------------------------------------------------ report
def iter_py(root: str, suffixes=(".py",)):
    for base, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield os.path.join(base, name)


def _site_summary(layers) -> str:
    """Helpers inlined at several calls and unrolled loops apply one source
    line many times: count each call site once, by its best-known shape."""
    order = {"known": 0, "rank-only": 1, "unknown": 2}
    best = {}
    for r, layer in layers:
        key = (r["path"], layer["line"], layer["col"])
        best[key] = min(best.get(key, 2), order[layer["status"]])
    c = Counter(best.values())
    total = len(best) or 1
    return (f"{len(best)}: known {c[0]} ({100 * c[0] / total:.1f}%), rank-only {c[1]} "
            f"({100 * c[1] / total:.1f}%), unknown {c[2]} ({100 * c[2] / total:.1f}%)")


def call_sites(ok) -> dict:
    """Distinct layer call sites, (path, line, col) -> (status, cause).

    A site is every layer application at one source position: ``known``
    when every application there has an exact, fully known output (Keras'
    own None axes count as known), ``rank-only`` when none is unknown but
    some is not exact, else ``unknown``.  A construction of a known layer
    class that no application used (a function never called, a layer
    applied to a value shapelint does not know to be a tensor, a class
    never instantiated) is an unknown site of its own, at the constructor."""
    order = {"known": 0, "rank-only": 1, "unknown": 2}
    worst, cause = {}, {}
    for r in ok:
        for layer in r["layers"]:
            key = (r["path"], layer["line"], layer["col"])
            rank = order[layer["status"]]
            if rank >= worst.get(key, -1):
                if layer["status"] == "unknown":
                    reason = layer["reason"]
                    why = reason[1][0] if reason[0] == "rule" else "propagated: " + reason[1][0]
                    cause[key] = f"{why} [{layer['layer']}]" if reason[0] == "rule" else why
                elif layer["status"] == "rank-only":
                    cause[key] = "rank known, some size not (symbolic or unevaluated argument)"
                worst[key] = rank
        applied = {tuple(pos) for pos in r.get("applied_constructions", [])}
        invisible = {i["line"] for i in r.get("invisible", [])}
        for line, col, _cls, scope in r.get("constructions", []):
            key = (r["path"], line, col)
            if key in worst or (line, col) in applied:
                continue
            worst[key] = 2
            cause[key] = ("construction applied to a value not known to be a tensor" if line in invisible
                          else f"construction never applied to a tensor (in {scope})")
    # Code only another file's analysis reaches (a builder of models.py that
    # train.py calls): its applications count at sites the file's own
    # analysis never applied, or applied only in a function the module never
    # calls without exact shapes, as the CLI lists them for a run of both
    # (engine.attach_elsewhere).
    corpus = {os.path.abspath(r["path"]): r["path"] for r in ok}
    settled = {(os.path.abspath(r["path"]), layer["line"], layer["col"]) for r in ok for layer in r["layers"]
               if layer["status"] == "known" or not layer.get("standalone")}
    reached = set()
    for r in ok:
        for layer in r.get("elsewhere", []):
            if layer["path"] not in corpus or (layer["path"], layer["line"], layer["col"]) in settled:
                continue
            if layer.get("standalone") and layer["status"] != "known":
                continue
            key = (corpus[layer["path"]], layer["line"], layer["col"])
            rank = order[layer["status"]]
            if key not in reached or rank > worst.get(key, -1):
                reached.add(key)
                worst[key] = rank
                cause[key] = {"known": "", "rank-only": "rank known, some size not (reached from another file)",
                              "unknown": "unknown (reached from another file)"}[layer["status"]]
    names = {v: k for k, v in order.items()}
    return {key: (names[rank], cause.get(key, "")) for key, rank in worst.items()}


def _per_site_lines(ok) -> list:
    sites = call_sites(ok)
    c = Counter(status for status, _ in sites.values())
    total = len(sites) or 1
    from_constructions = sum(1 for status, why in sites.values() if why.startswith("construction"))
    lines = [f"  {len(sites)} sites (applications and never-applied constructions): "
             f"known {c['known']} ({100 * c['known'] / total:.1f}%), "
             f"rank-only {c['rank-only']} ({100 * c['rank-only'] / total:.1f}%), "
             f"unknown {c['unknown']} ({100 * c['unknown'] / total:.1f}%)",
             f"  of the unknown: constructions never applied {from_constructions}",
             "  -- top causes of the sites not known:"]
    causes = Counter(why for status, why in sites.values() if status != "known")
    for why, count in causes.most_common(15):
        lines.append(f"    {count:>5}  {why}")
    return lines


def report(results, root: str) -> str:
    lines = []
    rel = lambda p: os.path.relpath(p, root)  # noqa: E731
    crashes = [r for r in results if r.get("crash") or r.get("notes")]
    ok = [r for r in results if not r.get("crash")]
    layers = [(r, layer) for r in ok for layer in r["layers"]]
    status = Counter(layer["status"] for _, layer in layers)
    with_model = sum(1 for r in ok if r["layers"])
    n = len(layers) or 1
    times = sorted(r["time"] for r in results if r.get("time") is not None)

    lines.append("== shapelint corpus statistics: " + root)
    rows = [
        ("files", len(results)),
        ("files with a model (>=1 layer application)", with_model),
        ("layer applications seen", len(layers)),
        ("  output fully known", f"{status['known']} ({100 * status['known'] / n:.1f}%)"),
        ("    of which with Keras' own None axes", sum(r.get("dynamic", 0) for r in ok)),
        ("  output rank-only", f"{status['rank-only']} ({100 * status['rank-only'] / n:.1f}%)"),
        ("  output unknown", f"{status['unknown']} ({100 * status['unknown'] / n:.1f}%)"),
        ("distinct layer call sites (file:line:col)", _site_summary(layers)),
        ("findings", sum(len(r["findings"]) for r in ok)),
        ("files with findings", sum(1 for r in ok if r["findings"])),
        ("crashes (exceptions, notes, timeouts)", len(crashes)),
        ("files cut short by the step budget (silent)", sum(1 for r in ok if r.get("budget"))),
        ("time per file: median", f"{statistics.median(times) * 1000:.0f} ms" if times else "-"),
        ("time per file: max", f"{max(times) * 1000:.0f} ms ({rel(max(results, key=lambda r: r.get('time') or 0)['path'])})" if times else "-"),
        ("time: total", f"{sum(times):.1f} s" if times else "-"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        lines.append(f"  {key:<{width}}  {value}")

    lines.append("")
    lines.append("== per distinct call site (known = every application there exact)")
    lines.extend(_per_site_lines(ok))

    lines.append("")
    lines.append("== findings by symbol")
    by_symbol = defaultdict(list)
    for r in ok:
        for f in r["findings"]:
            by_symbol[f["symbol"]].append((rel(r["path"]), f))
    if not by_symbol:
        lines.append("  (none)")
    for symbol in sorted(by_symbol, key=lambda s: -len(by_symbol[s])):
        lines.append(f"  {symbol}: {len(by_symbol[symbol])}")
        for path, f in by_symbol[symbol]:
            lines.append(f"    {path}:{f['line']}  {f['message']}")

    lines.append("")
    lines.append("== crashes")
    if not crashes:
        lines.append("  (none)")
    for r in crashes:
        text = r.get("crash") or "; ".join(r.get("notes", []))
        lines.append(f"  {rel(r['path'])}: {text.strip().splitlines()[0] if text.strip() else text}")

    unknown = [(r, layer) for r, layer in layers if layer["status"] == "unknown"]
    lines.append("")
    lines.append(f"== unknown output shapes: {len(unknown)}")
    kinds = Counter(layer["reason"][0] for _, layer in unknown)
    lines.append(f"  input already unknown (propagated): {kinds['propagated']}")
    lines.append(f"  input known, the rule gave unknown:  {kinds['rule']}")
    lines.append("  -- by layer class (propagated / rule):")
    per_class = defaultdict(Counter)
    for _, layer in unknown:
        per_class[layer["layer"]][layer["reason"][0]] += 1
    for cls in sorted(per_class, key=lambda c: -sum(per_class[c].values()))[:25]:
        c = per_class[cls]
        lines.append(f"    {cls:<28} {sum(c.values()):>5}  ({c['propagated']} / {c['rule']})")
    if len(per_class) > 25:
        rest = sum(sum(per_class[c].values()) for c in sorted(per_class, key=lambda c: -sum(per_class[c].values()))[25:])
        lines.append(f"    ... {len(per_class) - 25} more classes: {rest}")
    lines.append("  -- the rule gave unknown, by cause:")
    rule_causes = Counter((layer["reason"][1][0], layer["reason"][1][1]) for _, layer in unknown
                          if layer["reason"][0] == "rule")
    for (cause, detail), count in rule_causes.most_common(25):
        lines.append(f"    {count:>5}  {cause}: {detail}")
    lines.append("  -- propagated: the construct where the shape was first lost, traced upstream")
    lines.append("     (applications affected / distinct layer call sites affected / distinct root sites / files)")
    prop = [(r, layer) for r, layer in unknown if layer["reason"][0] == "propagated"]
    apps, sites, root_sites, files = Counter(), defaultdict(set), defaultdict(set), defaultdict(set)
    detail_sites = defaultdict(lambda: defaultdict(set))
    for r, layer in prop:
        cause, detail, root_line = layer["reason"][1]
        apps[cause] += 1
        sites[cause].add((r["path"], layer["line"], layer["col"]))
        root_sites[cause].add((r["path"], root_line, detail))
        files[cause].add(r["path"])
        detail_sites[cause][detail].add((r["path"], layer["line"], layer["col"]))
    for cause, count in sorted(apps.items(), key=lambda kv: -len(sites[kv[0]])):
        lines.append(f"    {count:>5} / {len(sites[cause]):>4} / {len(root_sites[cause]):>3} / "
                     f"{len(files[cause]):>3}  {cause}")
        ranked = sorted(detail_sites[cause].items(), key=lambda kv: -len(kv[1]))
        for detail, where in ranked[:5]:
            if detail:
                lines.append(f"{'':>28}{len(where):>4} sites  {detail}")

    inv = [(r, i) for r in ok for i in r.get("invisible", [])]
    lines.append("")
    lines.append("== layer applications shapelint did not see (not in the counts above)")
    lines.append(f"  applied to a value not known to be a tensor: {len(inv)} applications, "
                 f"{len({(r['path'], i['line']) for r, i in inv})} sites, {len({r['path'] for r, _ in inv})} files")
    by_scope = Counter(i["scope"] for _, i in inv)
    for scope, count in by_scope.most_common(8):
        lines.append(f"    {count:>5}  in {scope}")
    inv_sites = defaultdict(set)
    for r, i in inv:
        inv_sites[i["layer"]].add((r["path"], i["line"]))
    lines.append("    by layer class (sites): " + ", ".join(
        f"{k} {len(v)}" for k, v in sorted(inv_sites.items(), key=lambda kv: -len(kv[1]))[:12]))
    by_value = Counter(i["value"] for _, i in inv)
    lines.append("    argument value: " + ", ".join(f"{k} {v}" for k, v in by_value.most_common()))
    never = [(r, n) for r in ok for n in r.get("never_applied", [])]
    lines.append(f"  layer instances constructed: {sum(r.get('constructed', 0) for r in ok)}; "
                 f"never applied to a tensor: {len(never)} "
                 f"({len({(r['path'], n['line']) for r, n in never})} sites, {len({r['path'] for r, _ in never})} files)")

    subs = [(r, s) for r in ok for s in r.get("subclass_calls", [])]
    unseen = [(r, s) for r, s in subs if not s["seen"]]
    lines.append("")
    lines.append("== subclass call() methods (layers, models)")
    lines.append(f"  call() methods: {len(subs)} in {len({r['path'] for r, _ in subs})} files; "
                 f"with no layer application seen: {len(unseen)} "
                 f"in {len({r['path'] for r, _ in unseen})} files")
    lines.append(f"  self.<x>(...) calls inside the unseen ones (approx. layer applications never seen): "
                 f"{sum(s['self_calls'] for _, s in unseen)}")
    files_unseen_only = [r for r in ok if r.get("subclass_calls") and not r["layers"]]
    lines.append(f"  files with subclass call() methods and no layer application seen at all: "
                 f"{len(files_unseen_only)}")
    no_model = [r for r in ok if not r["layers"]]
    lines.append(f"  files with no layer application seen: {len(no_model)}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="directory to scan for .py files")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-file time limit (s)")
    parser.add_argument("--json", metavar="FILE", help="also write the per-file data as JSON")
    parser.add_argument("--notebooks", action="store_true",
                        help="also read .ipynb files (as the CLI does: code cells joined, magics blanked)")
    args = parser.parse_args(argv)
    paths = list(iter_py(args.root, (".py", ".ipynb") if args.notebooks else (".py",)))
    if not paths:
        print(f"no .py files under {args.root}", file=sys.stderr)
        return 2
    _warm_up()
    results = [run_one(p, args.timeout) for p in paths]
    sys.stdout.write(report(results, args.root))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1, default=str)
    crashed = any(r.get("crash") or r.get("notes") for r in results)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
