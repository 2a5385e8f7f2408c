"""Library models: numpy, pandas, scikit-learn, keras.ops/tf tensor ops,
tf.data, Keras' data helpers, image decoding, builtins and math -- one module
per family, each
handler registered under the qualified name it models (see ``registry``).

Adding a library API is one handler in its family's module plus its test
against the real library.  ``FAMILIES`` is also the order in which handlers
of the same name are tried.
"""
from __future__ import annotations

import importlib
from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library import registry
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching, set_family_order

# The order handlers of one name are tried in.  It only matters where two
# families model the same name, and there it is the order of the evaluator's
# former if-chain:
#   * plain numbers first: ``tf.math.equal(64, x.shape[-1])`` is a bool,
#     ``tf.cast(self.units, tf.float32)``/``tf.constant(3)`` a number (scalars
#     before keras_data and tensor_ops);
#   * data before tensor ops: ``tf.convert_to_tensor(x_train)`` is the array,
#     ``tf.convert_to_tensor(t)`` of a Keras tensor falls through to the op;
#   * tensor ops last: they model any call that passes a tensor;
#   * data before builtins: ``len(x_train)`` is the array's first size, and a
#     list filled in a loop (``ListOf``) has its own ``append``; both decline
#     anything else, which the builtins family then models.
#   * images before numpy_data: ``np.array(img)`` of a Pillow image; any
#     other argument is declined to numpy_data.
# keras_backend, keras_initializers, tf_image and sklearn share no name with
# another family (``next``: keras_data models an image iterator's, builtins
# a generator's; each declines the other).
FAMILIES = ("scalars", "keras_backend", "keras_initializers", "images", "numpy_data", "pandas_data", "builtins", "tf_image",
            "keras_data", "sklearn", "sklearn_datasets", "tf_data", "tf_graph",
            "tensor_ops")

__all__ = ["DECLINE", "FAMILIES", "dispatch", "handles", "handles_matching", "load"]

_LOADED = [False]
# Known before any family module is imported, so that registering a handler
# from elsewhere fails at once (``registry.handles``).
set_family_order([f"{__name__}.{family}" for family in FAMILIES])


def load() -> None:
    """Import every family module once (registration is their side effect)."""
    if _LOADED[0]:
        return
    _LOADED[0] = True
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")


def dispatch(ctx: Context, call: LibraryCall) -> Any:
    """The first answer of the handlers of ``call.qualname`` (family order),
    or DECLINE when none models the call."""
    load()
    return registry.dispatch(ctx, call)
