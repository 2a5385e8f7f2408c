"""The IR: a networkx DiGraph of tensors and layer applications.

Nodes are ``("t", n)`` for tensors, ``("c", n)`` for layer calls and
``("o", n)`` for op applications (``keras.ops.relu(x)``, ``x + y``, ``x[:, 0]``:
one node per op, named by the tensor it makes); edges run tensor -> call ->
tensor and tensor -> op -> tensor.  Ops are not layers: they have no
LayerCall row (a summary lists layers), but walks back from a tensor
(``ancestors_calls``, ``producer_through_ops``) see through them.  Models are kept beside the graph as records naming
their input and output tensors.  The graph is data: the front end adds to it,
the shape rules annotate it, the checks read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import networkx as nx

from shapelint.shapes.dims import Shape, fully_known
from shapelint.shapes.registry import LayerConfig


@dataclass
class LayerCall:
    """One application of a layer to tensors (one row of a summary)."""

    index: int
    layer_id: int  # the layer instance: shared layers share it
    config: LayerConfig
    node: Any  # astroid node the user sees (for positions)
    input_shapes: List[Shape]
    output_shapes: List[Shape]
    params: Optional[int]
    error: Any = None  # ShapeError when Keras would refuse it
    in_sequential: bool = False
    input_tids: List[int] = field(default_factory=list)  # in call order
    # "layer"; "model" for a whole model (a backbone, a nested Model)
    # applied like a layer: its shape comes from the model, not a rule;
    # "custom" for a layer class defined in the module: its shape comes
    # from following its call() (or its own compute_output_shape).
    kind: str = "layer"
    # Every None in the output shape is a None in Keras too (a dynamic axis),
    # not a size shapelint could not tell.
    exact: bool = False
    # The class the program names, when it is not the Keras class whose rule
    # applies (a local subclass of a Keras layer that keeps its shape logic).
    name: str = ""
    # Where the front end met the call, for the checks' reporting policy:
    # inside a branch whose condition it could not decide (the branch may
    # never run), and inside a function the module never calls (analysed on
    # its own, parameters from defaults: its callers may pass other values).
    in_uncertain_branch: bool = False
    in_uncalled_function: bool = False
    # A row of the JSON's layers: False for the call that stands for a
    # backbone's own layers at its construction (Keras applies them, not
    # the program).
    listed: bool = True
    # For kind "model": the keras.applications backbone it is, as (name,
    # keyword arguments), so that a replay on another input shape computes
    # its output again; None for any other model.
    backbone: Any = None
    # For kind "model": the model applied (a ModelObj), so that an
    # application to another input shape runs its layers again, as Keras does.
    model: Any = None

    @property
    def class_name(self) -> str:
        return self.name or self.config.class_name

    @property
    def output_shape(self) -> Shape:
        return self.output_shapes[0] if self.output_shapes else None


@dataclass
class ModelRecord:
    kind: str  # "functional" | "sequential"
    node: Any
    name: str
    inputs: List[int] = field(default_factory=list)  # tensor ids
    outputs: List[int] = field(default_factory=list)
    calls: List[int] = field(default_factory=list)  # call indices, in order


@dataclass
class DataInfo:
    """Training data as the code shows it: full shape, sample axis first."""

    shape: tuple
    dtype: Optional[str] = None
    classes: Optional[int] = None
    onehot: bool = False
    node: Any = None


@dataclass
class TrainingCall:
    """``model.fit(x, y)`` and friends: what data reaches which model."""

    record: ModelRecord
    method: str
    node: Any
    x: List[Optional[DataInfo]]
    y: Optional[List[Optional[DataInfo]]]
    loss: Any = None  # LossSpec, list or dict of them, or None
    compile_node: Any = None
    # x (and y) are the elements of a tf.data.Dataset, not arrays: their
    # first axis is not a sample count.
    from_dataset: bool = False


@dataclass
class ConstructionError:
    """Something Keras refuses outside a layer's shape rule: a shape given
    as a bare int, weights of another shape than the layer's, a TensorFlow
    function on a symbolic tensor.  ``node``: where to report it; the
    ``in_*`` flags as on LayerCall, for the reporting policy."""

    node: Any
    error: Any  # ShapeError
    in_uncertain_branch: bool = False
    in_uncalled_function: bool = False


class ShapeGraph:
    def __init__(self) -> None:
        self.g = nx.DiGraph()
        # The DiGraph's own adjacency and node-attribute dicts: a node or an
        # edge is added straight into them, as ``add_node``/``add_edge`` do
        # (without their generic checks and a cache clearing per node and
        # per edge; measured, 1.3% of the instructions of Keras'
        # efficientnet.py, whose 8 models make some 12,000 nodes).
        self._succ, self._pred, self._attrs = self.g._succ, self.g._pred, self.g._node  # pylint: disable=protected-access
        self._converted = self.g.__networkx_cache__
        self.calls: List[LayerCall] = []
        self.models: List[ModelRecord] = []
        self.trainings: List[TrainingCall] = []
        self.construction_errors: List[ConstructionError] = []
        # Keras 1 arguments met while building (frontend/keras1.py's notes),
        # reported by checks/keras1.py on their own lines.
        self.keras1_notes: List[Any] = []
        self._next_tensor = 0
        # Each tensor node's attribute dict (the graph's own, shared): the
        # front end reads a tensor's shape/exact/origin for nearly every
        # value it touches, and networkx's node view costs more than the read.
        self._tensor_data: List[Dict[str, Any]] = []
        # The tapes of the function summaries being recorded: every tensor
        # ("t", tid) and layer application ("c", index) added, in order.
        self.tapes: List[List[Tuple[str, int]]] = []

    # -- tensors -----------------------------------------------------------
    def tensor_count(self) -> int:
        """The id the next tensor gets (ids only grow)."""
        return self._next_tensor

    def new_tensor(self, shape: Shape, producer: Optional[int] = None,
                   origin: str = "layer", node: Any = None, exact: bool = False,
                   op_inputs: Optional[List[int]] = None) -> int:
        """A tensor node.  ``exact``: every None in ``shape`` is Keras' own
        None (a dynamic axis such as the batch), not an unknown size.
        ``op_inputs``: the tensors an op made it from (an op node joins them)."""
        # "declared": what the maker said of its Nones, before the first axis
        # is taken for a batch axis (a dataset element's first axis is not).
        data = {"shape": shape, "origin": origin, "node": node,
                "exact": shape is not None and (exact or fully_known(shape)), "declared": bool(exact)}
        return self._add_tensor(data, producer, op_inputs)

    def copy_tensor(self, data: Dict[str, Any], producer: Optional[int] = None,
                    op_inputs: Optional[List[int]] = None) -> int:
        """A new tensor node with a copy of ``data``, the attribute dict
        ``new_tensor`` gave another one (a function summary's tensor made
        again): what ``new_tensor`` makes of the same shape, origin, node and
        declared exactness."""
        return self._add_tensor(data.copy(), producer, op_inputs)

    def _add_tensor(self, data: Dict[str, Any], producer: Optional[int], op_inputs: Optional[List[int]]) -> int:
        tid = self._next_tensor
        self._next_tensor += 1
        for tape in self.tapes:
            tape.append(("t", tid))
        key = ("t", tid)
        node = data["node"]
        succ, pred = self._succ, self._pred
        succ[key], pred[key], self._attrs[key] = {}, {}, data  # a new node: its number is new
        self._tensor_data.append(data)
        # The edges into the new node are new: added as _add_edge adds them,
        # without its tests (it is still used for a node not in the graph).
        if producer is not None:
            maker = ("c", producer)
            if maker in succ:
                edge: Dict[str, Any] = {}
                succ[maker][key] = edge
                pred[key][maker] = edge
            else:
                self._add_edge(maker, key, {})
        elif op_inputs:
            op = ("o", tid)
            op_pred: Dict[Any, Dict[str, Any]] = {}
            succ[op], pred[op], self._attrs[op] = {}, op_pred, {"node": node}
            for pos, source in enumerate(op_inputs):
                before = ("t", source)
                out = succ.get(before)
                if out is None:
                    self._add_edge(before, op, {"position": pos})
                elif op not in out:
                    edge = {"position": pos}
                    out[op] = edge
                    op_pred[before] = edge
            edge = {}
            succ[op][key] = edge
            pred[key][op] = edge
        if self._converted:
            self._converted.clear()
        return tid

    def _add_edge(self, u: Tuple[str, int], v: Tuple[str, int], data: Dict[str, Any]) -> None:
        """``self.g.add_edge(u, v, **data)`` (its cache of converted graphs,
        filled only by a networkx backend, is cleared by the caller)."""
        succ = self._succ
        if u not in succ:
            succ[u], self._pred[u], self._attrs[u] = {}, {}, {}
        if v not in succ:
            succ[v], self._pred[v], self._attrs[v] = {}, {}, {}
        edge = succ[u].get(v)
        if edge is None:
            edge = data
        else:
            edge.update(data)
        succ[u][v] = edge
        self._pred[v][u] = edge

    @property
    def next_tensor_id(self) -> int:
        return self._next_tensor

    def tensor_data(self, tid: int) -> Dict[str, Any]:
        """The tensor node's attribute dict (``self.g.nodes[("t", tid)]``)."""
        return self._tensor_data[tid]

    def shape(self, tid: int) -> Shape:
        return self._tensor_data[tid]["shape"]

    def exact(self, tid: int) -> bool:
        return self._tensor_data[tid]["exact"]

    def declared_exact(self, tid: int) -> bool:
        """Its maker said every None in its shape is Keras'/TensorFlow's own
        (``exact`` also takes a first axis of None for a batch axis)."""
        return self._tensor_data[tid].get("declared", False)

    def origin(self, tid: int) -> str:
        return self._tensor_data[tid]["origin"]

    def producer(self, tid: int) -> Optional[LayerCall]:
        for pred in self.g.predecessors(("t", tid)):
            if pred[0] == "c":
                return self.calls[pred[1]]
        return None

    def inputs_of(self, call: LayerCall) -> List[int]:
        """Input tensors in call order (a tensor given twice appears twice)."""
        return list(call.input_tids)

    def outputs_of(self, call: LayerCall) -> List[int]:
        return sorted(t[1] for t in self.g.successors(("c", call.index)))

    def consumers(self, tid: int) -> List[LayerCall]:
        return [self.calls[c[1]] for c in self.g.successors(("t", tid)) if c[0] == "c"]

    def op_inputs(self, tid: int) -> List[int]:
        """The tensors an op made ``tid`` from ([] when no op made it)."""
        preds = self._pred.get(("o", tid))  # the DiGraph's own dicts, as in ancestors_calls
        if preds is None:
            return []
        return [p[1] for p in sorted(preds, key=lambda p: preds[p]["position"])]

    # -- calls -------------------------------------------------------------
    def add_call(self, call: LayerCall, input_tensors: List[int]) -> None:
        """``call``, applied to ``input_tensors`` (a list the call keeps)."""
        call.index = len(self.calls)
        call.input_tids = input_tensors
        self.calls.append(call)
        for tape in self.tapes:
            tape.append(("c", call.index))
        key = ("c", call.index)
        succ = self._succ
        call_pred: Dict[Any, Dict[str, Any]] = {}
        succ[key], self._pred[key], self._attrs[key] = {}, call_pred, {"call": call}
        for pos, tid in enumerate(input_tensors):
            before = ("t", tid)
            out = succ.get(before)
            if out is None:
                self._add_edge(before, key, {"position": pos})
                continue
            edge = out.get(key)
            if edge is None:  # _add_edge's work, inlined: the call node is new
                edge = {"position": pos}
                out[key] = edge
                call_pred[before] = edge
            else:  # the same tensor given again: its last position, as _add_edge leaves it
                edge["position"] = pos
        if self._converted:
            self._converted.clear()

    def add_model(self, model: ModelRecord) -> None:
        self.models.append(model)

    def model_total(self, model: ModelRecord) -> Tuple[int, bool]:
        """(total params, every layer's params known) of a model: each layer
        counted once however often it is applied, as ``count_params()``."""
        seen, total, known = set(), 0, True
        for index in model.calls:
            call = self.calls[index]
            if call.layer_id in seen:
                continue
            seen.add(call.layer_id)
            if call.params is None:
                known = False
            else:
                total += call.params
        return total, known

    def ancestors_calls(self, tid: int) -> List[LayerCall]:
        """The layer applications ``tid`` derives from (``nx.ancestors``'
        set, found by one walk of the predecessor dicts), in no set order."""
        pred = self._pred
        seen = set()
        stack = [("t", tid)]
        while stack:
            for before in pred[stack.pop()]:
                if before not in seen:
                    seen.add(before)
                    stack.append(before)
        return [self.calls[n[1]] for n in seen if n[0] == "c"]

    def ancestor_call_indexes(self, tids: List[int]) -> set:
        """The indexes of the layer applications the tensors ``tids`` derive
        from: the calls ``ancestors_calls`` finds for each, by a walk of
        tensors alone.  A tensor's only predecessor is the call or the op
        that made it (``new_tensor``), a call's are its ``input_tids``
        (``add_call``) and an op's the tensors it was made from; a call
        is expanded once, through its own list, with no node tuples hashed."""
        pred, calls = self._pred, self.calls
        found: set = set()
        seen = set(tids)
        stack = list(seen)
        while stack:
            for kind, ref in pred[("t", stack.pop())]:
                if kind == "c":
                    if ref in found:
                        continue
                    found.add(ref)
                    inputs: Any = calls[ref].input_tids
                else:  # the op that made it: its input tensors
                    inputs = [t for _, t in pred[(kind, ref)]]
                for tid in inputs:
                    if tid not in seen:
                        seen.add(tid)
                        stack.append(tid)
        return found

    def tensor_record(self, tid: int) -> Tuple[Dict[str, Any], Optional[int], List[int]]:
        """(``tensor_data``, ``producer_index``, ``op_inputs``) of ``tid`` in
        one look at its predecessors: a tensor has one at most, the call or
        the op ``new_tensor`` made it with (what a function summary keeps)."""
        producer, inputs = None, []
        for kind, ref in self._pred[("t", tid)]:
            if kind == "c":
                producer = ref
                break
            if kind == "o":
                inputs = self.op_inputs(tid)
        return self._tensor_data[tid], producer, inputs

    def producer_index(self, tid: int) -> Optional[int]:
        """The index of the call that made ``tid`` (None: not a layer's output)."""
        for pred in self._pred[("t", tid)]:
            if pred[0] == "c":
                return pred[1]
        return None

    def to_dot(self) -> str:
        """The graph in Graphviz DOT, shapes on the edges."""
        from shapelint.shapes.dims import fmt_shape  # pylint: disable=import-outside-toplevel

        lines = ["digraph shapelint {", "  rankdir=TB;"]
        for call in self.calls:
            lines.append(
                f'  c{call.index} [shape=box, label="{call.class_name} (line {call.node.lineno})"];'
            )
        for t, data in self.g.nodes(data=True):
            if t[0] == "o":
                lines.append(f'  o{t[1]} [shape=ellipse, label="op (line {getattr(data["node"], "lineno", "?")})"];')
            if t[0] != "t":
                continue
            preds = [p for p in self.g.predecessors(t) if p[0] in ("c", "o")]
            succs = list(self.g.successors(t))
            src = f"{preds[0][0]}{preds[0][1]}" if preds else f"in{t[1]}"
            if not preds:
                lines.append(f'  in{t[1]} [shape=ellipse, label="Input"];')
            for s in succs:
                lines.append(f'  {src} -> {s[0]}{s[1]} [label="{fmt_shape(data["shape"])}"];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def stats(self) -> Dict[str, int]:
        return {"tensors": self._next_tensor, "calls": len(self.calls), "models": len(self.models)}
