"""Property tests: the Embedding rule (shapelint/shapes/rules/embedding.py)
agrees with Keras 3: output shape and parameter count (``lora_rank``
included) for inputs of any rank, ``input_length`` accepted and ignored as
Keras 3 does (tests/layer_checks.py compares).
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layer_checks import batch, check, examples, kt, maybe_none
from shapelint.shapes.registry import LayerConfig

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")
SETTINGS = examples(40)


@SETTINGS
@given(
    st.integers(1, 50),
    st.integers(1, 8),
    st.lists(maybe_none, min_size=0, max_size=3),
    batch,
    st.sampled_from([None, 7]),
    st.sampled_from([None, None, 2]),
)
def test_embedding(keras, input_dim, output_dim, rest, b, input_length, lora_rank):
    shape = (b,) + tuple(rest)
    args = {"input_dim": input_dim, "output_dim": output_dim}
    if input_length is not None:
        # Keras 3 accepts input_length with a deprecation warning and ignores it.
        args["input_length"] = input_length
    if lora_rank is not None:
        args["lora_rank"] = lora_rank

    def build():
        layer = keras.layers.Embedding(**args)
        return layer, layer(kt(shape, "int32"))

    check(LayerConfig("Embedding", args), [shape], build)
