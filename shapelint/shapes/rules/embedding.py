"""Embedding.  Mirrors keras/src/layers/core/embedding.py of Keras 3.

``compute_output_shape`` is ``(*input_shape, output_dim)`` for an input of any
rank (a ``(batch,)`` input gives ``(batch, output_dim)``); the weights are the
``(input_dim, output_dim)`` table, plus ``input_dim*rank + rank*output_dim``
with ``lora_rank``.

``input_length`` (Keras 2): Keras 3 still *accepts* it -- ``__init__`` pops it
from ``**kwargs`` and emits ``UserWarning("Argument `input_length` is
deprecated. Just remove it.")`` -- and then *ignores* it: it neither checks the
input's length nor defines an input shape.  The rule ignores it too.
``input_dim``/``output_dim`` that are not positive integers make Keras raise in
the constructor (not a shape error): the output dimension is then unknown.
"""
from __future__ import annotations

from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.registry import LayerConfig, Out, rule
from shapelint.unknown import UNKNOWN


@rule(
    "Embedding",
    signature=(
        "input_dim", "output_dim", "embeddings_initializer",
        "embeddings_regularizer", "embeddings_constraint", "mask_zero",
        "weights", "lora_rank", "lora_alpha", "quantization_config",
    ),
    family="embedding",
)
def embedding(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    output_dim = as_dim(cfg.get("output_dim", UNKNOWN))
    if isinstance(output_dim, int) and output_dim <= 0:
        output_dim = None
    input_dim = cfg.get_for_params("input_dim", UNKNOWN)  # sizes the table, not the output
    input_dim = input_dim if dims.is_int(input_dim) else None
    params = None
    if isinstance(input_dim, int) and isinstance(output_dim, int) and input_dim > 0:
        params = input_dim * output_dim
        lora = cfg.get_for_params("lora_rank", None)
        if lora is UNKNOWN:
            params = None
        elif dims.is_int(lora) and lora:
            params += input_dim * lora + lora * output_dim
    return Out([tuple(shape) + (output_dim,)], params)
