"""Keras initializers whose value carries a shape: ``Constant(M)``
(``keras.initializers.Constant``, ``keras.initializers.constant``,
``tf.constant_initializer``), kept as a LibraryObject holding M so that the
layer it initialises can compare it with its weight (frontend/layer_weights.py)."""
from __future__ import annotations

from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.layer_weights import CONSTANT_INITIALIZERS
from shapelint.frontend.library.registry import handles
from shapelint.frontend.values import LibraryObject


@handles(*CONSTANT_INITIALIZERS)
def constant(_ctx: Context, call: LibraryCall) -> Any:
    """``Constant(value=0.0)``: an initializer filling a weight with
    ``value`` broadcast to the weight's shape."""
    return LibraryObject(call.qualname, {"value": call.arg(0, "value", default=0.0)}, node=call.node)
