"""Property tests: the attention rules (shapelint/shapes/rules/attention.py --
MultiHeadAttention, Attention, AdditiveAttention) agree with Keras 3.

Each test draws query/value(/key) shapes and a configuration, calls the layer
in Keras on symbolic ``KerasTensor``s and checks (tests/layer_checks.py) that
shapelint's ``infer`` gives the same output shape(s) and parameter count, or
that both refuse.  A query/key size or key/value length mismatch of Attention
is one Keras only refuses when the layer runs: ``check`` runs it.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import batch, check, examples, kt, maybe_none, sizes
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
SETTINGS = examples(40)


@st.composite
def mha_case(draw):
    b = draw(batch)
    rank = draw(st.sampled_from([2, 3, 3, 3, 4]))
    query = (b,) + tuple(draw(maybe_none) for _ in range(rank - 2)) + (draw(sizes),)
    v_rank = draw(st.sampled_from([rank, rank, rank, 2, 3]))
    value = (b,) + tuple(draw(maybe_none) for _ in range(v_rank - 2)) + (draw(sizes),)
    key = None
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["same", "same", "other-last", "clash", "rank"]))
        if kind == "same":
            key = value
        elif kind == "other-last":
            key = value[:-1] + (draw(sizes),)
        elif kind == "clash" and len(value) > 2:
            # Known sizes only: Keras also refuses None vs 5, shapelint not.
            value = value[:1] + tuple(d or 3 for d in value[1:])
            key = value[:1] + tuple(d + 1 for d in value[1:-1]) + (draw(sizes),)
        else:
            key = value[:-1] + (2, draw(sizes))
    args = {"num_heads": draw(st.integers(1, 3)), "key_dim": draw(st.integers(1, 4))}
    if draw(st.booleans()):
        args["value_dim"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        args["output_shape"] = draw(
            st.one_of(sizes, st.lists(sizes, min_size=1, max_size=2).map(tuple))
        )
    for flag in ("use_bias", "use_gate"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    if rank == 4 and v_rank == 4 and draw(st.booleans()):
        args["attention_axes"] = draw(st.sampled_from([(1, 2), (2,), 1]))
    call = {}
    if draw(st.booleans()):
        call["return_attention_scores"] = draw(st.booleans())
    return query, value, key, args, call


@SETTINGS
@given(mha_case())
def test_multi_head_attention(keras, case):
    query, value, key, args, call = case
    shapes = [query, value] + ([key] if key is not None else [])

    def build():
        layer = keras.layers.MultiHeadAttention(**args)
        k = kt(key) if key is not None else None
        return layer, layer(kt(query), kt(value), key=k, **call)

    check(LayerConfig("MultiHeadAttention", args, call), shapes, build)


def test_multi_head_attention_examples():
    cfg = LayerConfig("MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
                      {"return_attention_scores": True})
    out = infer(cfg, [(None, 4, 5), (None, 7, 6)])
    # Keras declares (batch, heads, Tq, Tq) even though the key length is 7.
    assert out.shapes == [(None, 4, 5), (None, 2, 4, 4)]
    with pytest.raises(ShapeError) as info:
        infer(cfg, [(None, 4, 5), (None, 7, 6), (None, 8, 6)])
    assert info.value.kind == "merge-shape-mismatch"


@st.composite
def attention_case(draw):
    b = draw(batch)
    n = draw(st.sampled_from([2, 2, 3, 3, 1, 4]))
    shapes = []
    for _ in range(n):
        rank = draw(st.sampled_from([2, 3, 3, 3, 4]))
        shapes.append((b,) + tuple(draw(maybe_none) for _ in range(rank - 2)) + (draw(sizes),))
    cls = draw(st.sampled_from(["Attention", "AdditiveAttention"]))
    args = {}
    if draw(st.booleans()):
        args["use_scale"] = draw(st.booleans())
    if cls == "Attention" and draw(st.booleans()):
        args["score_mode"] = draw(st.sampled_from(["dot", "concat"]))
    call = {}
    if draw(st.booleans()):
        call["return_attention_scores"] = draw(st.booleans())
    return cls, shapes, args, call


@SETTINGS
@given(attention_case())
def test_attention(keras, case):
    cls, shapes, args, call = case

    def build():
        layer = getattr(keras.layers, cls)(**args)
        return layer, layer([kt(s) for s in shapes], **call)

    check(LayerConfig(cls, args, call), shapes, build)
