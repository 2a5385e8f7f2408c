"""Weights the program hands a layer: ``Embedding(weights=[M])``,
``embeddings_initializer=Constant(M)``, ``layer.set_weights([...])``.

Keras 3 compares each array with the weight the layer creates:
``Layer.set_weights`` raises "Layer <name> weight shape (100, 8) is not
compatible with provided weight shape (50, 8)" (``Embedding(weights=...)``
calls it from ``__init__``); a ``Constant(M)`` initializer multiplies M by
``ops.ones(shape)``, which raises when M does not broadcast to the weight.
The shapes here are the weights of a layer whose input is known: Embedding
``(input_dim, output_dim)``; Dense ``(features, units)`` and ``(units,)``.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from shapelint.frontend.values import Array, LibraryObject
from shapelint.messages import WEIGHT_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.registry import LayerConfig, ShapeError, canonical_name

CONSTANT_INITIALIZERS = ("keras.initializers.Constant", "keras.initializers.constant",
                         "tensorflow.constant_initializer")


def weight_shapes(cfg: LayerConfig, input_shape) -> Optional[List[Tuple[str, tuple]]]:
    """(name, shape) of each weight the layer creates, in ``get_weights``
    order; None when a size is not known."""
    name = canonical_name(cfg.class_name)
    if name == "Embedding":
        vocab, dim = cfg.get("input_dim"), cfg.get("output_dim")
        if dims.is_int(vocab) and dims.is_int(dim):
            return [("embeddings", (vocab, dim))]
        return None
    if name == "Dense" and input_shape:
        units, features = cfg.get("units"), input_shape[-1]
        use_bias = cfg.get("use_bias", True)
        if dims.is_int(units) and dims.is_int(features) and isinstance(use_bias, bool):
            return [("kernel", (features, units))] + ([("bias", (units,))] if use_bias else [])
    return None


def _known(value: Any) -> Optional[tuple]:
    if isinstance(value, Array) and value.shape is not None and all(dims.is_int(d) for d in value.shape):
        return tuple(value.shape)
    return None


def _mismatch(cfg: LayerConfig, expected: tuple, given: tuple, how: str) -> ShapeError:
    return ShapeError(
        WEIGHT_SHAPE_MISMATCH,
        f"{how} gives {cfg.class_name} an array of shape {dims.fmt_shape(given)} for its weight of shape "
        f"{dims.fmt_shape(expected)}: Keras raises (\"weight shape {dims.fmt_shape(expected)} is not "
        f"compatible with provided weight shape {dims.fmt_shape(given)}\")",
        _fix(cfg, expected, given),
    )


def _fix(cfg: LayerConfig, expected: tuple, given: tuple) -> str:
    if canonical_name(cfg.class_name) == "Embedding" and len(given) == 2:
        return (f"build the layer for the matrix: Embedding(input_dim={given[0]}, output_dim={given[1]}), "
                f"or build the matrix for the layer: shape {dims.fmt_shape(expected)}")
    return f"give an array of shape {dims.fmt_shape(expected)}"


def constructor_weights_error(cfg: LayerConfig) -> Optional[ShapeError]:
    """``Embedding(..., weights=[M])`` (Keras builds and sets it at once)."""
    if canonical_name(cfg.class_name) != "Embedding" or not cfg.has("weights"):
        return None
    given = cfg.get("weights")
    arrays = given if isinstance(given, list) and len(given) == 1 else [given]
    shape = _known(arrays[0])
    expected = weight_shapes(cfg, None)
    if shape is None or expected is None or shape == expected[0][1]:
        return None
    return _mismatch(cfg, expected[0][1], shape, "weights=[...]")


def initializer_error(cfg: LayerConfig, input_shape) -> Optional[Tuple[str, ShapeError]]:
    """(keyword, error) for a ``Constant(M)`` initializer whose M does not
    broadcast to the weight it initialises (raised when the layer is built)."""
    expected = weight_shapes(cfg, input_shape)
    if expected is None:
        return None
    for name, shape in expected:
        init = cfg.get(f"{name}_initializer")
        if not isinstance(init, LibraryObject) or init.type_name not in CONSTANT_INITIALIZERS:
            continue
        given = _known(init.options.get("value"))
        if given is not None and not _broadcasts(given, shape):
            return f"{name}_initializer", ShapeError(
                WEIGHT_SHAPE_MISMATCH,
                f"{name}_initializer=Constant(...) gives {cfg.class_name} an array of shape "
                f"{dims.fmt_shape(given)} for its weight of shape {dims.fmt_shape(shape)}: Keras raises "
                f"when it builds the layer (\"Incompatible shapes: {_brackets(given)} vs. {_brackets(shape)}\")",
                _fix(cfg, shape, given))
    return None


def set_weights_error(cfg: LayerConfig, input_shape, arrays: Any) -> Optional[ShapeError]:
    """``layer.set_weights([...])`` on a built layer."""
    expected = weight_shapes(cfg, input_shape)
    if expected is None or not isinstance(arrays, (list, tuple)) or len(arrays) != len(expected):
        return None
    for (_name, shape), value in zip(expected, arrays):
        given = _known(value)
        if given is not None and given != shape:
            return _mismatch(cfg, shape, given, "set_weights([...])")
    return None


def _broadcasts(given: tuple, shape: tuple) -> bool:
    """``M * ones(shape)`` has ``shape`` (numpy broadcasting)."""
    if len(given) > len(shape):
        return False
    return all(g in (1, s) for g, s in zip(reversed(given), reversed(shape)))


def _brackets(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"
