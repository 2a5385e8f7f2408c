"""dense-on-unreduced-tensor: a Dense head left on a feature map.

A Dense layer acts on the last axis only.  Put after a conv/pooling stack
without Flatten or global pooling, it outputs one prediction per spatial
position: (None, 5, 5, 1) instead of (None, 1).  The check fires when

* the Dense is, or feeds through rank-keeping layers, a model output of rank
  3 or more, and
* that feature map's spatial/temporal axes provably differ from the axes it
  came from (the model input, or the last Reshape/Embedding that set the
  rank): the map was downsampled, so it cannot be a per-position
  prediction (segmentation, sequence tagging) either, and
* for a 3-D output (one vector per timestep), targets of one value per
  sample reach fit: a frame-wise output (a speech model trained with CTC,
  a tagger) is often what the author wants.

It reports once, on the first Dense of the head (where the reduction
belongs); the output-target mismatch the same head causes at fit is not
reported again.

Anything less certain stays silent.
"""
from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

from shapelint.checks import losses
from shapelint.findings import Finding
from shapelint.graph import LayerCall, ShapeGraph
from shapelint.messages import DENSE_ON_UNREDUCED_TENSOR
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError, lookup

_CHAIN_FAMILIES = ("dense", "elementwise")


def _family(call: LayerCall) -> str:
    rule = lookup(call.config.class_name)
    return rule.family if rule else ""


def _rank(shape) -> Optional[int]:
    return None if shape is None else len(shape)


def _head_chain(graph: ShapeGraph, out_tid: int) -> Tuple[List[LayerCall], int]:
    """The Dense/element-wise calls ending at ``out_tid`` (first to last)
    and the tensor that feeds them."""
    rank = _rank(graph.shape(out_tid))
    chain: List[LayerCall] = []
    tid = out_tid
    while True:
        call = graph.producer(tid)
        if call is None or _family(call) not in _CHAIN_FAMILIES:
            break
        inputs = graph.inputs_of(call)
        if len(inputs) != 1 or _rank(graph.shape(inputs[0])) != rank:
            break
        chain.append(call)
        tid = inputs[0]
    chain.reverse()
    # Only the part from the first Dense on is "the head".
    while chain and chain[0].class_name != "Dense":
        tid = graph.outputs_of(chain[0])[0]
        chain.pop(0)
    return chain, tid


def _origin(graph: ShapeGraph, tid: int) -> Optional[int]:
    """Walk back through layers that keep the rank to where the rank was
    set (a model Input, a Reshape, an Embedding ...).  None when the path
    leaves what we model or uses channels_first."""
    rank = _rank(graph.shape(tid))
    seen = set()
    while tid not in seen:
        seen.add(tid)
        call = graph.producer(tid)
        if call is None:
            sources = graph.op_inputs(tid)
            # An element-wise op (``ops.relu(x)``) keeps the map as it is.
            if len(sources) == 1 and graph.shape(sources[0]) is not None \
                    and graph.shape(sources[0]) == graph.shape(tid):
                tid = sources[0]
                continue
            return tid if graph.origin(tid) == "input" else None
        if call.config.get("data_format") == "channels_first":
            return None
        inputs = graph.inputs_of(call)
        if not inputs:
            return None
        first = inputs[0]
        if _rank(graph.shape(first)) != rank:
            return tid
        tid = first
    return None


def _desc(call: LayerCall) -> str:
    units = call.config.get("units")
    shown = dims.fmt_dim(units) if units is not None and not isinstance(units, bool) else "?"
    try:
        return f"{call.class_name}({shown})"
    except Exception:  # pylint: disable=broad-except
        return call.class_name


def _replay(chain: List[LayerCall], shape, replace_first: Optional[LayerConfig] = None):
    """Apply the head chain to ``shape``; returns (output shape, params)."""
    total = 0
    for i, call in enumerate(chain):
        cfg = replace_first if (i == 0 and replace_first is not None) else call.config
        try:
            out = infer(cfg, [shape])
        except ShapeError:
            return None, None
        shape = out.shape
        if out.params is None or total is None:
            total = None
        else:
            total += out.params
    return shape, total


def _fixes(chain: List[LayerCall], fmap, rest_params) -> List[str]:
    spatial, channels = fmap[1:-1], fmap[-1]
    k = len(spatial)
    fixes = []

    def describe(label, shape, params, extra=0):
        if shape is None:
            return None
        head = None if params is None else params + extra
        text = f"{label} -> {dims.fmt_shape(shape)}"
        if head is not None:
            text += f", head params {head:,}"
            if rest_params is not None:
                text += f", model params {head + rest_params:,}"
        return text

    if 1 <= k <= 3:
        shape, params = _replay(chain, (fmap[0], channels))
        fixes.append(describe(f"add GlobalAveragePooling{k}D() (or GlobalMaxPooling{k}D()) before it", shape, params))
    flat = dims.product(spatial + (channels,))
    shape, params = _replay(chain, (fmap[0], flat))
    fixes.append(describe("add Flatten() before it", shape, params))
    first = chain[0]
    units = first.config.get("units")
    if 1 <= k <= 3 and all(isinstance(d, int) for d in spatial) and isinstance(units, int):
        kernel = tuple(spatial) if k > 1 else spatial[0]
        conv = LayerConfig(f"Conv{k}D", {"filters": units, "kernel_size": kernel})
        try:
            conv_out = infer(conv, [fmap])
        except ShapeError:
            conv_out = None
        if conv_out is not None and conv_out.params is not None:
            rest = chain[1:]
            shape, params = _replay(rest, (fmap[0], units)) if rest else ((fmap[0], units), 0)
            label = (f"replace it by Conv{k}D({units}, {kernel}) + Reshape(({units},)) "
                     f"to reduce the map to 1x1")
            fixes.append(describe(label, shape, params, extra=conv_out.params))
    return [f for f in fixes if f]


def _model_params(graph: ShapeGraph, model_calls: List[int], exclude: List[LayerCall]):
    excluded = {c.layer_id for c in exclude}
    seen = set()
    total = 0
    for index in model_calls:
        call = graph.calls[index]
        if call.layer_id in excluded or call.layer_id in seen:
            continue
        seen.add(call.layer_id)
        if call.params is None:
            return None
        total += call.params
    return total


def _targets_per_sample(graph: ShapeGraph, model, out_tid: int) -> Optional[tuple]:
    """The targets ``fit`` passes for this output when they hold one value
    (or one row) per sample rather than one per position, to a Keras loss
    that compares them with the output: the evidence that a 3-D output is
    not an intended per-timestep prediction.  None otherwise (a custom loss,
    CTC for one, takes label sequences of another length)."""
    out_shape = graph.shape(out_tid)
    index = model.outputs.index(out_tid)
    for tc in graph.trainings:
        if tc.record is not model or not tc.y or len(tc.y) != len(model.outputs):
            continue
        y = tc.y[index]
        if losses.loss_family(tc, index) is None:
            continue
        if y is None or y.shape is None or len(y.shape) >= len(out_shape):
            continue
        if len(y.shape) == 2 and dims.equal(y.shape[1], out_shape[1]) is not False \
                and y.shape[1] != 1:
            continue  # (n, T): one integer label per timestep (sparse CE)
        return tuple(y.shape)
    return None


def unreduced_heads(graph: ShapeGraph) -> Iterator[Tuple[object, int, List[LayerCall], int]]:
    """(model, output tensor, head chain, feature-map tensor) of every model
    output that is a Dense head left on a downsampled map.  A 3-D map (one
    vector per timestep) is only a bug when targets of one value per sample
    reach fit: a per-timestep output (tagging, CTC) is often intended."""
    for model in graph.models:
        for out_tid in model.outputs:
            out_shape = graph.shape(out_tid)
            if out_shape is None or len(out_shape) < 3:
                continue
            chain, feature_tid = _head_chain(graph, out_tid)
            if not chain:
                continue
            fmap = graph.shape(feature_tid)
            origin = _origin(graph, feature_tid)
            if origin is None or fmap is None:
                continue
            origin_shape = graph.shape(origin)
            if origin_shape is None or len(origin_shape) != len(fmap):
                continue
            spatial, origin_spatial = fmap[1:-1], origin_shape[1:-1]
            if not any(dims.differs(a, b) for a, b in zip(spatial, origin_spatial)):
                continue
            if len(out_shape) == 3 and _targets_per_sample(graph, model, out_tid) is None:
                continue
            yield model, out_tid, chain, feature_tid


def check(graph: ShapeGraph) -> Iterator[Finding]:
    for model, out_tid, chain, feature_tid in unreduced_heads(graph):
        out_shape = graph.shape(out_tid)
        fmap = graph.shape(feature_tid)
        spatial = fmap[1:-1]
        rest = _model_params(graph, model.calls, chain)
        fixes = _fixes(chain, fmap, rest)
        last = chain[-1]
        target = f"(batch, {dims.fmt_dim(last.output_shape[-1])})"
        confidence = "HIGH" if all(
            not dims.is_symbolic(d) for d in list(fmap) + list(out_shape)
        ) else "INFERENCE"
        # One root cause, one finding: on the first Dense, where the
        # reduction belongs (the fixes are computed for that point).
        call = chain[0]
        in_shape = call.input_shapes[0]
        targets = _targets_per_sample(graph, model, out_tid)
        wanted = (f"the targets {dims.fmt_shape(targets)} fit() gets" if targets is not None
                  else f"2-D targets such as {target}")
        if call is last:
            tail = f"as the model output it cannot match {wanted}"
        else:
            tail = (f"it feeds the model output {dims.fmt_shape(out_shape)}, which cannot "
                    f"match {wanted}")
        axes = "spatial axes {} were" if len(spatial) > 1 else "time axis {} was"
        message = (
            f"{_desc(call)} gets a {len(in_shape)}-D tensor {dims.fmt_shape(in_shape)} "
            f"and outputs {dims.fmt_shape(call.output_shape)}; {tail} "
            f"(the {axes.format(dims.fmt_shape(tuple(spatial)))} never reduced)"
        )
        yield Finding.at(call.node, DENSE_ON_UNREDUCED_TENSOR, message, fixes, confidence)
