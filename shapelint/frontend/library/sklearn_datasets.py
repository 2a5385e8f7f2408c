"""scikit-learn's toy datasets and sample generators, as Keras tutorials and
questions use them for data: ``load_iris()``, ``load_digits()``,
``load_breast_cancer()``, ``load_wine()``, ``load_diabetes()``,
``load_linnerud()``, ``fetch_california_housing()`` (the sizes their
documentation gives; the bundled ones are tested against the installed
library) and ``make_classification/make_moons/make_circles/make_blobs/
make_regression`` (sizes from their arguments).

A loader returns a ``Bunch``: a ``LibraryObject`` whose ``data``/``target``
(also read as ``bunch["data"]``) are Arrays; ``return_X_y=True`` gives the
pair.  ``as_frame=True`` (pandas frames) and any argument the code does not
show declines: unknown is a valid answer.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, LibraryObject

BUNCH = "sklearn.utils.Bunch"

# name -> (samples, feature axes, target: (axes, dtype, classes), images axes
# or None, target_names count or None)
LOADERS: Dict[str, tuple] = {
    "load_iris": (150, (4,), ((), "int", 3), None, 3),
    "load_digits": (1797, (64,), ((), "int", 10), (8, 8), 10),
    "load_breast_cancer": (569, (30,), ((), "int", 2), None, 2),
    "load_wine": (178, (13,), ((), "int", 3), None, 3),
    "load_diabetes": (442, (10,), ((), "float", None), None, None),
    "load_linnerud": (20, (3,), ((3,), "float", None), None, None),
    # downloaded: "Samples total 20640, Dimensionality 8", target in $100,000s
    "fetch_california_housing": (20640, (8,), ((), "float", None), None, None),
}


def _sklearn_dataset(*names: str):
    return lambda qualname: qualname.startswith("sklearn.") and ".datasets." in qualname + "." \
        and qualname.rpartition(".")[2] in names


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@handles_matching(_sklearn_dataset(*LOADERS))
def load(_ctx: Context, call: LibraryCall) -> Any:
    """``load_iris()`` and friends: a Bunch, or ``(data, target)`` with
    ``return_X_y=True``."""
    samples, features, (target_axes, target_dtype, classes), images, names = LOADERS[call.name]
    if call.kwargs.get("as_frame", False) is not False or call.args:
        return DECLINE
    return_x_y = call.kwargs.get("return_X_y", False)
    if not isinstance(return_x_y, bool):
        return DECLINE
    count: Optional[int] = samples
    if call.name == "load_digits":
        n_class = call.kwargs.get("n_class", 10)
        if _int(n_class) is None or not 1 <= n_class <= 10:
            return DECLINE
        if n_class < 10:  # the digits below n_class: how many is in the data
            count, classes = None, n_class
    data = Array((count,) + features, "float", node=call.node)
    target = Array((count,) + target_axes, target_dtype, classes, node=call.node)
    if return_x_y:
        return (data, target)
    attrs: Dict[str, Any] = {"data": data, "target": target}
    if images is not None:
        attrs["images"] = Array((count,) + images, "float", node=call.node)
    if names is not None:
        # the class names; the digits' are the digits themselves
        attrs["target_names"] = Array((names,), "int" if call.name == "load_digits" else "str", node=call.node)
    return LibraryObject(BUNCH, {}, attrs, call.node)


@handles(f"{BUNCH}.__getitem__")
def bunch_item(_ctx: Context, call: LibraryCall) -> Any:
    """``bunch["data"]``: the attribute of that name."""
    key = call.args[0] if call.args else None
    if isinstance(key, str) and key in call.receiver.attrs:
        return call.receiver.attrs[key]
    return DECLINE


def _samples(value: Any) -> Optional[int]:
    """``n_samples``: an int, or (for moons and circles) a pair of ints."""
    if _int(value) is not None:
        return value if value >= 0 else None
    if isinstance(value, tuple) and len(value) == 2 and all(_int(v) is not None and v >= 0 for v in value):
        return value[0] + value[1]
    return None


def _labelled(call: LibraryCall, n: Optional[int], features: Optional[int], classes: Optional[int]) -> Any:
    if n is None or features is None or classes is None:
        return DECLINE
    return (Array((n, features), "float", node=call.node), Array((n,), "int", classes, node=call.node))


@handles_matching(_sklearn_dataset("make_classification"))
def make_classification(_ctx: Context, call: LibraryCall) -> Any:
    """(X (n_samples, n_features), y (n_samples,)) over ``n_classes``."""
    if call.kwargs.get("return_X_y", True) is not True:
        return DECLINE
    n = call.arg(0, "n_samples", default=100)
    features = call.arg(1, "n_features", default=20)
    classes = call.kwargs.get("n_classes", 2)
    return _labelled(call, _int(n), _int(features), _int(classes))


@handles_matching(_sklearn_dataset("make_moons", "make_circles"))
def make_two_classes(_ctx: Context, call: LibraryCall) -> Any:
    """(X (n_samples, 2), y (n_samples,)) of two classes; ``n_samples`` may
    be a pair (one count per class)."""
    return _labelled(call, _samples(call.arg(0, "n_samples", default=100)), 2, 2)


@handles_matching(_sklearn_dataset("make_blobs"))
def make_blobs(_ctx: Context, call: LibraryCall) -> Any:
    """(X (n_samples, n_features), y (n_samples,)): ``centers`` clusters (3
    when not given), or one per row of a centers literal, whose width is
    then the feature count."""
    n = _int(call.arg(0, "n_samples", default=100))
    features = _int(call.arg(1, "n_features", default=2))
    centers = call.kwargs.get("centers")
    if centers is None:
        classes: Optional[int] = 3
    elif _int(centers) is not None:
        classes = centers if centers > 0 else None
    elif isinstance(centers, (list, tuple)) and centers and all(
            isinstance(row, (list, tuple)) and len(row) == len(centers[0]) for row in centers):
        classes, features = len(centers), len(centers[0])
    else:
        return DECLINE
    result = _labelled(call, n, features, classes)
    if result is DECLINE or call.kwargs.get("return_centers", False) is False:
        return result
    if call.kwargs.get("return_centers") is not True:
        return DECLINE
    return result + (Array((classes, features), "float", node=call.node),)


@handles_matching(_sklearn_dataset("make_regression"))
def make_regression(_ctx: Context, call: LibraryCall) -> Any:
    """(X (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)),
    and the coefficients with ``coef=True``."""
    n = _int(call.arg(0, "n_samples", default=100))
    features = _int(call.arg(1, "n_features", default=100))
    targets = _int(call.kwargs.get("n_targets", 1))
    coef = call.kwargs.get("coef", False)
    if n is None or features is None or targets is None or not isinstance(coef, bool):
        return DECLINE
    tail: Tuple[int, ...] = () if targets == 1 else (targets,)
    out: tuple = (Array((n, features), "float", node=call.node), Array((n,) + tail, "float", node=call.node))
    if coef:
        out += (Array((features,) + tail, "float", node=call.node),)
    return out
