"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention.
Mirrors keras/src/layers/attention/*.py of Keras 3.

MultiHeadAttention is called as ``mha(query, value, key=None, ...)``
(``inputs="multi"``: the rule gets ``[query, value]`` or ``[query, value,
key]``).  Keras' ``build`` refuses a key whose shape differs from the value's
on any axis but the last (rank included); the output is the query's shape
with the last axis replaced by ``output_shape`` (default: the query's last
size).  With ``return_attention_scores=True`` the second output is, exactly as
Keras' ``compute_output_spec`` declares it, ``(batch, num_heads, Tq, Tq)`` --
the *query* length twice, even when the key is longer (the real tensor is
``(batch, heads, Tq, Tv)``), and 4-D even with several attention axes.
Parameters: the query/key/value/output (and, with ``use_gate``, gate)
EinsumDense projections:
``q*H*K + k*H*K + v*H*V + H*V*prod(out)`` plus biases
``H*K + H*K + H*V + prod(out)`` (``+ q*H*V + H*V`` for the gate).

Attention / AdditiveAttention are called on a list ``[query, value]`` or
``[query, value, key]`` (``inputs="list"``; any other length is refused).
Keras does not compare their sizes when the model is built: the output is
``query.shape[:-1] + (value.shape[-1],)``, the scores ``query.shape[:-1] +
(key.shape[-2],)``.  Parameters: Attention has a scalar ``scale`` with
``use_scale=True`` and a scalar ``concat_score_weight`` with
``score_mode="concat"``; AdditiveAttention (``use_scale=True`` by default) a
``scale`` vector of the query's last size.
"""
from __future__ import annotations

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, MERGE_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    require_rank,
    rule,
)
from shapelint.unknown import UNKNOWN


def _returns_scores(cfg: LayerConfig):
    value = cfg.call_arg("return_attention_scores", False)
    if value is UNKNOWN:
        return UNKNOWN
    return bool(value)


def _mha_params(cfg, query, value, key, heads, key_dim, value_dim, out_dims):
    use_bias = cfg.get_for_params("use_bias", True)
    use_gate = cfg.get_for_params("use_gate", False)
    if use_bias is UNKNOWN or use_gate is UNKNOWN:
        return None
    sizes = [query[-1], key[-1], value[-1], heads, key_dim, value_dim] + list(out_dims)
    if not all(dims.is_int(s) for s in sizes):
        return None
    q, k, v = query[-1], key[-1], value[-1]
    h, kd, vd = heads, key_dim, value_dim
    out = dims.product(out_dims)
    params = q * h * kd + k * h * kd + v * h * vd + h * vd * out
    if use_bias:
        params += h * kd + h * kd + h * vd + out
    if use_gate:
        params += q * h * vd + (h * vd if use_bias else 0)
    return params


@rule(
    "MultiHeadAttention",
    signature=KERAS_POSITIONAL,
    inputs="multi",
    family="attention",
    defined_axes=lambda cfg, inputs: [(i, -1) for i in range(min(len(inputs), 3))],
)
def multi_head_attention(cfg: LayerConfig, inputs):
    if len(inputs) < 2:
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            "MultiHeadAttention needs a query and a value tensor but gets "
            f"{len(inputs)} tensor(s)",
            "call it as mha(query, value) -- mha(x, x) for self-attention",
        )
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    require_rank(cfg, query, min_ndim=2, fix="give the query at least a (batch, features) shape")
    if len(value) != len(key) or any(
        dims.differs(a, b) for a, b in zip(value[1:-1], key[1:-1])
    ):
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"MultiHeadAttention: the key {dims.fmt_shape(key)} and the value "
            f"{dims.fmt_shape(value)} must have the same shape on every axis but "
            "the last",
            "give key and value the same length (the attended sequence), e.g. "
            "build both from the same tensor",
        )
    # the heads and their sizes shape only the projections' weights (and
    # the heads axis of the scores, read again below)
    heads = as_dim(cfg.get_for_params("num_heads", UNKNOWN))
    key_dim = as_dim(cfg.get_for_params("key_dim", UNKNOWN))
    value_dim = cfg.get_for_params("value_dim", None)
    value_dim = key_dim if value_dim is None or value_dim == 0 else as_dim(value_dim)
    out_arg = cfg.get("output_shape", None)
    if out_arg is UNKNOWN:
        output, out_dims = None, None
    elif out_arg:
        if dims.is_int(out_arg):
            out_dims = (out_arg,)
        elif isinstance(out_arg, (list, tuple)):
            out_dims = tuple(as_dim(d) for d in out_arg)
        else:
            out_dims = None
        output = None if out_dims is None else tuple(query[:-1]) + out_dims
    else:
        out_dims = (query[-1],)
        output = tuple(query)
    params = None
    if out_dims is not None:
        params = _mha_params(cfg, query, value, key, heads, key_dim, value_dim, out_dims)
    scores = _returns_scores(cfg)
    if scores is UNKNOWN:
        return Out([None], params)
    shapes = [output]
    if scores:
        heads = as_dim(cfg.get("num_heads", UNKNOWN))
        shapes.append((query[0], heads, query[1], query[1]))
    return Out(shapes, params)


def _attention_common(cfg: LayerConfig, inputs):
    if len(inputs) not in (2, 3):
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"{cfg.class_name} must be called on a list [query, value] or "
            f"[query, value, key], but gets {len(inputs)} tensor(s): "
            + " and ".join(dims.fmt_shape(s) for s in inputs),
            f"call it as {cfg.class_name}()([query, value])",
        )
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    for name, shape in (("query", query), ("value", value)):
        if len(shape) < 1:
            raise ShapeError(
                INCOMPATIBLE_INPUT_RANK,
                f"{cfg.class_name}: the {name} is a 0-D tensor",
            )
    # Keras builds these layers without looking at the sizes; a mismatch
    # only raises at the first fit/predict ("Dimensions must be equal").
    if cfg.class_name == "Attention" and len(query) >= 3 and len(key) >= 3 \
            and dims.differs(query[-1], key[-1]) and cfg.get("score_mode", "dot") != "concat":
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"{cfg.class_name} scores query {dims.fmt_shape(query)} against key "
            f"{dims.fmt_shape(key)}: their feature sizes {dims.fmt_dim(query[-1])} and "
            f"{dims.fmt_dim(key[-1])} differ; Keras builds it but raises at the first fit/predict",
            "project query and key to the same size (Dense) first",
        )
    if cfg.class_name == "Attention" and len(key) >= 3 and len(value) >= 3 \
            and dims.differs(key[-2], value[-2]):
        raise ShapeError(
            MERGE_SHAPE_MISMATCH,
            f"{cfg.class_name}: key {dims.fmt_shape(key)} and value {dims.fmt_shape(value)} have "
            f"different lengths; Keras builds it but raises at the first fit/predict",
            "give key and value the same number of steps",
        )
    output = tuple(query[:-1]) + (value[-1],)
    scores = _returns_scores(cfg)
    if scores is UNKNOWN:
        return None
    shapes = [output]
    if scores:
        require_rank(
            cfg, key, min_ndim=2, fix="give the key a (batch, Tv, dim) shape"
        )
        shapes.append(tuple(query[:-1]) + (key[-2],))
    return shapes


@rule(
    "Attention",
    signature=("use_scale", "score_mode", "dropout", "seed"),
    inputs="list",
    family="attention",
)
def attention(cfg: LayerConfig, inputs):
    shapes = _attention_common(cfg, inputs)
    use_scale = cfg.get("use_scale", False)
    score_mode = cfg.get("score_mode", "dot")
    params = None
    if use_scale is not UNKNOWN and score_mode is not UNKNOWN:
        params = (1 if use_scale else 0) + (1 if score_mode == "concat" else 0)
    return Out(shapes if shapes is not None else [None], params)


@rule(
    "AdditiveAttention",
    signature=("use_scale", "dropout"),
    inputs="list",
    family="attention",
)
def additive_attention(cfg: LayerConfig, inputs):
    shapes = _attention_common(cfg, inputs)
    use_scale = cfg.get("use_scale", True)
    params = None
    if use_scale is not UNKNOWN:
        if not use_scale:
            params = 0
        elif dims.is_int(inputs[0][-1]):
            params = inputs[0][-1]
    return Out(shapes if shapes is not None else [None], params)
