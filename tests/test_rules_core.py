"""Property tests: the core rules (shapelint/shapes/rules/core.py) against
Keras 3 -- EinsumDense only: its output shape and parameter count for several
equations, bias axes and input ranks (tests/layer_checks.py compares).

The other core rules (Dense, the element-wise and normalisation layers,
Flatten, Reshape, Permute, RepeatVector, Lambda) have no property test: they
are compared with Keras only inside whole programs, the fixtures
(tests/test_oracle.py) and the fuzz differential test (tests/test_fuzz.py).
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import batch, check, examples, kt, sizes
from shapelint.shapes.registry import LayerConfig

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
SETTINGS = examples(40)


# (equation, output_shape builder, bias choices, input rank)
EINSUM = [
    ("ab,bc->ac", lambda d, t: (d,), [None, "c"], 2),
    ("abc,cd->abd", lambda d, t: (t, d), [None, "d"], 3),
    ("abc,cde->abde", lambda d, t: (t, 2, d), [None, "de", "e"], 3),
    ("abc,cd->abd", lambda d, t: (None, d), [None, "d"], 3),
    ("...b,bc->...c", lambda d, t: d, [None, "c"], 3),
    ("abcd,cde->abe", lambda d, t: (t, d), [None, "e"], 4),
    ("ab...,bc->ac...", lambda d, t: (d,), [None, "c"], 3),
]


@SETTINGS
@given(
    st.sampled_from(EINSUM), sizes, sizes, st.data(),
)
def test_einsum_dense(keras, spec, d, t, data):
    equation, make_out, biases, rank = spec
    rank = data.draw(st.sampled_from([rank, rank, rank, rank - 1, rank + 1]), label="rank")
    shape = (data.draw(batch),) + tuple(data.draw(sizes) for _ in range(max(rank - 1, 0)))
    if data.draw(st.booleans()) and len(shape) > 1:
        t = shape[1]  # make the shared axis match
    args = {"equation": equation, "output_shape": make_out(d, t),
            "bias_axes": data.draw(st.sampled_from(biases))}

    def build():
        layer = keras.layers.EinsumDense(**args)
        return layer, layer(kt(shape))

    check(LayerConfig("EinsumDense", args), [shape], build)
