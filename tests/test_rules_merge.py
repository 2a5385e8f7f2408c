"""Property tests: the merge rules (shapelint/shapes/rules/merge.py --
Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot and their
functional forms) agree with Keras 3.

Each test draws input shapes -- equal, broadcastable and clashing -- calls the
layer in Keras on symbolic ``KerasTensor``s and checks (tests/layer_checks.py)
that shapelint's ``infer`` gives the same output shape and parameter count, or
that both refuse.  shapelint never reports an unknown size (``None``) against
a known one, so the dot axes stay known; and it reports a dot product over the
batch axis, which Keras only refuses when the layer runs: the test runs it.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import batch, check, examples, kt, shapelint_result
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import FUNCTIONS, LayerConfig, ShapeError, lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
SETTINGS = examples(40)


# --- element-wise merges and Concatenate ---------------------------------------


@st.composite
def merge_inputs(draw, min_inputs=1, max_inputs=4, allow_rank_change=True):
    """A base shape and variants of it: some sizes set to 1, changed, None,
    or leading axes dropped -- so that equal, broadcastable and clashing shapes
    all occur."""
    rank = draw(st.integers(1, 4))
    base = [draw(st.integers(1, 4)) for _ in range(rank)]
    n = draw(st.integers(min_inputs, max_inputs))
    shapes = []
    b = draw(batch)
    for _ in range(n):
        shape = list(base)
        for i in range(len(shape)):
            shape[i] = draw(
                st.sampled_from(
                    [shape[i]] * 4 + [1, None, draw(st.integers(1, 4))]
                )
            )
        if allow_rank_change and shape and draw(st.integers(0, 4)) == 0:
            shape = shape[draw(st.integers(1, len(shape))):]
        shapes.append((b if draw(st.integers(0, 5)) else draw(st.sampled_from([None, 2, 3])),) + tuple(shape))
    return shapes


elementwise_classes = st.sampled_from(
    ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]
)


@SETTINGS
@given(elementwise_classes, merge_inputs())
def test_elementwise_merge(keras, cls, shapes):
    def build():
        layer = getattr(keras.layers, cls)()
        return layer, layer([kt(s) for s in shapes])

    check(LayerConfig(cls, {}), shapes, build)


@SETTINGS
@given(merge_inputs(min_inputs=1, max_inputs=3), st.data())
def test_concatenate(keras, shapes, data):
    rank = len(shapes[0])
    axis = data.draw(
        st.one_of(st.just(-1), st.integers(-rank - 1, rank)), label="axis"
    )
    args = {} if axis == -1 and data.draw(st.booleans()) else {"axis": axis}

    def build():
        layer = keras.layers.Concatenate(**args)
        return layer, layer([kt(s) for s in shapes])

    cfg = LayerConfig("Concatenate", args)
    if any(not -len(s) <= axis < len(s) for s in shapes):
        # An axis some input lacks: shapelint reports it.  Keras nearly always
        # raises too (IndexError), but a None first size can make its
        # compute_output_shape stop before looking at the short input.
        assert isinstance(shapelint_result(cfg, shapes), ShapeError)
        return
    check(cfg, shapes, build)


def test_concatenate_examples():
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("Concatenate", {}), [(None, 8, 8, 3), (None, 4, 4, 3)])
    err = info.value
    assert err.kind == "merge-shape-mismatch"
    assert "(None, 8, 8, 3)" in err.message and "(None, 4, 4, 3)" in err.message
    assert "axis -3" in err.message and "8 vs 4" in err.fix
    # Keras copies the first input's other sizes.
    out = infer(LayerConfig("Concatenate", {}), [(None, None, 4), (None, 5, 3)])
    assert out.shapes == [(None, None, 7)]
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("Subtract", {}), [(None, 3)])
    assert info.value.kind == "merge-shape-mismatch"


@st.composite
def dot_case(draw):
    n = draw(st.sampled_from([2] * 8 + [1, 3]))
    b = draw(batch)
    # Dot axes sizes stay known: Keras' build refuses None != 5 as well.
    shapes = [
        [b] + [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 3)))]
        for _ in range(n)
    ]
    r0, r1 = len(shapes[0]), len(shapes[-1])
    if n != 2 or draw(st.integers(0, 3)) == 0:
        # Anything, out-of-range and batch axes included.
        if draw(st.booleans()):
            axes = draw(st.integers(-4, 3))
        else:
            axes = (draw(st.integers(-3, 3)), draw(st.integers(-3, 3)))
    elif draw(st.booleans()):
        axes = draw(st.sampled_from(
            list(range(1, min(r0, r1))) + list(range(-1, -max(r0, r1), -1))
        ))
    else:
        axes = (
            draw(st.integers(1, r0 - 1)) * draw(st.sampled_from([1, 1, -1])),
            draw(st.integers(1, r1 - 1)) * draw(st.sampled_from([1, 1, -1])),
        )
    if isinstance(axes, int):
        pair = [axes % len(s) if axes < 0 else axes for s in shapes[:2]]
    else:
        pair = list(axes)
    if n == 2 and draw(st.integers(0, 3)) and all(
        -len(s) <= a < len(s) and a % len(s) for a, s in zip(pair, shapes)
    ):
        shapes[1][pair[1]] = shapes[0][pair[0]]  # usually a matching pair
    return [tuple(s) for s in shapes], axes, draw(st.booleans())


@SETTINGS
@given(dot_case())
def test_dot(keras, case):
    shapes, axes, normalize = case
    args = {"axes": axes, "normalize": normalize}

    def build():
        layer = keras.layers.Dot(**args)
        return layer, layer([kt(s) for s in shapes])

    cfg = LayerConfig("Dot", args)
    if isinstance(axes, int):
        # Keras takes a negative int axis modulo each input's rank.
        pair = [axes % len(s) if axes < 0 else axes for s in shapes[:2]]
    else:
        pair = list(axes)
    if (
        len(shapes) == 2
        and all(-len(s) <= a < len(s) for a, s in zip(pair, shapes))
        and any(a % len(s) == 0 for a, s in zip(pair, shapes))
    ):
        # A dot over the batch axis: Keras' symbolic build lets it through,
        # but batch_dot refuses it as soon as the layer runs.
        assert isinstance(shapelint_result(cfg, shapes), ShapeError)
        import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
        concrete = [np.ones([2] + list(s[1:]), "float32") for s in shapes]
        with pytest.raises(ValueError):
            keras.layers.Dot(**args)(concrete)
        return
    check(cfg, shapes, build)


def test_dot_examples():
    out = infer(LayerConfig("Dot", {"axes": (1, 2)}), [(None, 4, 5), (None, 3, 4)])
    assert out.shapes == [(None, 5, 3)]
    out = infer(LayerConfig("Dot", {"axes": 1}), [(None, 4), (None, 4)])
    assert out.shapes == [(None, 1)]
    # layers.dot() defaults to axes=-1.
    out = infer(LayerConfig("Dot", {}), [(None, 3, 4), (None, 5, 4)])
    assert out.shapes == [(None, 3, 5)]


def test_functional_forms():
    lookup("Add")  # loads the rules
    for name in ("concatenate", "add", "subtract", "multiply", "average",
                 "maximum", "minimum", "dot"):
        assert FUNCTIONS[name] == name.capitalize()
        assert lookup(FUNCTIONS[name]).inputs == "list"


def test_symbolic_sizes():
    h = dims.symbol("h")
    out = infer(LayerConfig("Concatenate", {}), [(None, h, 4), (None, h, 3)])
    assert out.shapes == [(None, h, 7)]
    out = infer(LayerConfig("Concatenate", {"axis": 1}), [(None, h, 4), (None, 2, 4)])
    assert out.shapes == [(None, h + 2, 4)]
    with pytest.raises(ShapeError):
        infer(LayerConfig("Add", {}), [(None, h, 4), (None, h + 1, 4)])
    # Cannot be told apart: no finding, unknown size.
    assert infer(LayerConfig("Add", {}), [(None, h, 4), (None, 5, 4)]).shapes == [(None, None, 4)]
