"""Library models: numpy, keras.ops/tf tensor ops, tf.data, Keras' data
helpers, image decoding, builtins and math -- one module per family, each
handler registered under the qualified name it models (see ``registry``).

Adding a library API is one handler in its family's module plus its test
against the real library.  ``FAMILIES`` is also the order in which handlers
of the same name are tried.
"""
from __future__ import annotations

import importlib

from shapelint.frontend.library.registry import DECLINE, dispatch, handles, handles_matching, set_family_order

FAMILIES = ()  # filled in as families move here

__all__ = ["DECLINE", "FAMILIES", "dispatch", "handles", "handles_matching", "load"]

_LOADED = [False]


def load() -> None:
    """Import every family module once (registration is their side effect)."""
    if _LOADED[0]:
        return
    _LOADED[0] = True
    modules = [f"{__name__}.{family}" for family in FAMILIES]
    set_family_order(modules)
    for module in modules:
        importlib.import_module(module)
