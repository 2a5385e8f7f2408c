"""tf.data: ``Dataset.from_tensor_slices`` of arrays the code shows, and the
``Dataset`` methods that keep its elements (``batch`` adds a batch axis).
A ``Dataset`` value holds the per-sample element, as ``element_spec`` would
show it before batching."""
from __future__ import annotations

from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_data import located
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, Dataset


def _drop_first(element: Any) -> Any:
    """The per-sample element of sliced arrays (a tuple stays a tuple)."""
    if isinstance(element, Array):
        if element.shape is None or not element.shape:
            return None
        return Array(element.shape[1:], element.dtype, element.classes, element.onehot)
    if isinstance(element, (tuple, list)):
        parts = [_drop_first(e) for e in element]
        return None if any(p is None for p in parts) else tuple(parts)
    return None


# Any spelling that reaches tf.data (tf.compat.v1.data ...); numpy names are
# numpy's.
@handles_matching(lambda qualname: qualname.endswith("data.Dataset.from_tensor_slices")
                  and not qualname.startswith("numpy."))
def from_tensor_slices(_ctx: Context, call: LibraryCall) -> Any:
    """``tf.data.Dataset.from_tensor_slices(x)`` / ``((x, y))``: elements
    are the arrays sliced along their first axis."""
    if not call.args:
        return DECLINE
    per_sample = _drop_first(call.args[0])
    return located(call, Dataset(per_sample)) if per_sample is not None else DECLINE


@handles("tensorflow.data.Dataset.batch")
def batch(_ctx: Context, call: LibraryCall) -> Any:
    """``ds.batch(n)``: the same elements with a batch axis."""
    return Dataset(call.receiver.element, True)


@handles(*(f"tensorflow.data.Dataset.{name}" for name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip")))
def same_elements(_ctx: Context, call: LibraryCall) -> Any:
    """``ds.shuffle(n)``, ``prefetch``, ``repeat``, ``cache``, ``take``,
    ``skip``: the elements are unchanged."""
    dataset = call.receiver
    return Dataset(dataset.element, dataset.batched)
