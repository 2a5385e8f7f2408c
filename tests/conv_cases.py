"""Shared by the property tests of the conv, pooling and spatial rules
(tests/test_rules_{conv,pooling,spatial}.py), as shapelint/shapes/rules/conv.py
shares its helpers with the pooling and spatial rules.

A strategy draws a ``Case``: a layer config (always one Keras' constructor
accepts) and an input shape (small sizes, None axes, both data formats,
sometimes a wrong rank).  The layer is called on a ``keras.KerasTensor`` --
which runs the InputSpec check, ``build`` and ``compute_output_shape`` -- and
shapelint's ``infer`` must give the same output shape and ``count_params()``,
or raise a ShapeError where Keras raises.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from hypothesis import assume, event
from hypothesis import strategies as st

from conftest import lazy_keras
from shapelint.shapes import dims
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, ShapeError, canonical_name, lookup
from shapelint.unknown import UNKNOWN

REJECT_KINDS = {"incompatible-input-rank", "non-positive-dimension"}
FORMATS = ("channels_last", "channels_first")


@dataclass(frozen=True)
class Case:
    name: str
    kwargs: Dict[str, Any]
    shape: Tuple[Any, ...]
    # The input Keras is given when the channel axis is None (Keras cannot
    # build a conv with unknown channels): same shape, a valid channel size.
    keras_shape: Optional[Tuple[Any, ...]] = None
    # Output axes that depend on the unknown channel count.
    unknown_axes: Tuple[int, ...] = ()

    @property
    def unknown_channels(self) -> bool:
        return self.keras_shape is not None


def run_keras(case: Case):
    """(output shape, count_params) or the exception Keras raised."""
    keras = lazy_keras()
    layer = getattr(keras.layers, case.name)(**case.kwargs)
    try:
        out = layer(keras.KerasTensor(case.keras_shape or case.shape))
    except Exception as exc:  # pylint: disable=broad-except
        return exc
    return tuple(out.shape), layer.count_params()


def run_shapelint(case: Case, args: Optional[Dict[str, Any]] = None, shape=None):
    try:
        return infer(LayerConfig(case.name, dict(case.kwargs if args is None else args)),
                     [case.shape if shape is None else shape])
    except ShapeError as exc:
        return exc


def expected(case: Case, theirs):
    shape, params = theirs
    if case.unknown_channels:
        shape = tuple(None if i in case.unknown_axes else d for i, d in enumerate(shape))
        params = None
    return shape, params


def assert_agrees(case: Case) -> None:
    theirs = run_keras(case)
    ours = run_shapelint(case)
    if isinstance(theirs, Exception):
        event(f"both reject: {getattr(ours, 'kind', None)}")
        assert isinstance(ours, ShapeError), (
            f"Keras rejects {case} ({type(theirs).__name__}: {str(theirs)[:200]}) "
            f"but shapelint gives {ours}"
        )
        assert ours.kind in REJECT_KINDS
        assert case.name in ours.message
        return
    assert not isinstance(ours, ShapeError), f"shapelint rejects {case}: {ours.message}; Keras gives {theirs}"
    event("both accept" + (", unknown channels" if case.unknown_channels else ""))
    want_shape, want_params = expected(case, theirs)
    assert ours.shape == want_shape, f"{case}: shapelint {ours.shape}, Keras {want_shape}"
    assert ours.params == want_params, f"{case}: shapelint params {ours.params}, Keras {want_params}"


# --- strategies --------------------------------------------------------------------

def maybe_none(low, high):
    """An int in [low, high], or None about one time in (high - low + 2)."""
    return st.integers(low - 1, high).map(lambda n: None if n == low - 1 else n)


sizes = maybe_none(1, 12)


def tuple_or_int(k, values):
    """An int, or a k-tuple/list of ints, all drawn from ``values``."""
    return st.one_of(
        values,
        st.tuples(*[values] * k),
        st.lists(values, min_size=k, max_size=k),
    )


@st.composite
def input_shape(draw, k, data_format, channels, wrong_rank=True):
    """(batch, spatial..., channels) in the layer's data_format; sometimes a
    tensor of the wrong rank."""
    spatial = [draw(sizes) for _ in range(k)]
    if wrong_rank and draw(st.integers(0, 9)) == 0:
        # One axis too few (the common missing channel axis) or too many.
        if draw(st.booleans()):
            return (None,) + tuple(spatial)
        spatial.append(draw(st.integers(1, 4)))
    if data_format == "channels_first":
        return (None, channels) + tuple(spatial)
    return (None,) + tuple(spatial) + (channels,)


# --- unknown arguments and symbolic sizes ------------------------------------------------


def check_unknown_arguments(case: Case, data) -> None:
    """With some arguments UNKNOWN: the rank stays known (except an unknown
    keepdims), every known dim is Keras' dim, and shapelint only rejects
    what Keras rejects."""
    hidden = data.draw(st.sets(st.sampled_from(sorted(case.kwargs)), min_size=1)) if case.kwargs else set()
    args = {n: (UNKNOWN if n in hidden else v) for n, v in case.kwargs.items()}
    ours = run_shapelint(case, args)
    theirs = run_keras(case)
    if isinstance(ours, ShapeError):
        assert isinstance(theirs, Exception), f"{case} with {hidden} unknown: {ours.message}"
        return
    if isinstance(theirs, Exception):
        return
    want, params = expected(case, theirs)
    if "keepdims" in hidden:
        assert ours.shape is None
        return
    assert ours.shape is not None and len(ours.shape) == len(want), (case, hidden, ours.shape)
    for got, exp in zip(ours.shape, want):
        assert got is None or got == exp, (case, hidden, ours.shape, want)
    assert ours.params is None or ours.params == params, (case, hidden, ours.params, params)


def check_symbolic_size(case: Case, data) -> None:
    """A spatial size given as a symbol h gives, once h is replaced by its
    value, the concrete answer; it never rejects what the concrete size
    accepts."""
    known = [i for i, d in enumerate(case.shape) if isinstance(d, int) and i > 0]
    assume(known)
    axis = data.draw(st.sampled_from(known))
    h = dims.symbol("h")
    shape = tuple(h if i == axis else d for i, d in enumerate(case.shape))
    concrete = run_shapelint(case)
    symbolic = run_shapelint(case, shape=shape)
    if isinstance(symbolic, ShapeError):
        assert isinstance(concrete, ShapeError) and concrete.kind == symbolic.kind
        return
    if isinstance(concrete, ShapeError):
        return  # a symbol cannot prove what the concrete size shows
    value = case.shape[axis]
    subs = tuple(d if d is None or isinstance(d, int) else int(d.subs(h, value))
                 for d in symbolic.shape)
    for got, exp in zip(subs, concrete.shape):
        assert got is None or got == exp, (case, axis, symbolic.shape, concrete.shape)
    # A symbolic channel count leaves the parameter count unknown.
    assert symbolic.params in (None, concrete.params)


# --- registration ------------------------------------------------------------------


def keras_layer_names(prefixes):
    """The names (aliases included) in ``keras.layers`` that start with one
    of ``prefixes`` -- never none."""
    names = sorted(
        n for n in dir(lazy_keras().layers)
        if n.startswith(prefixes) and not n.startswith("ConvLSTM")
    )
    assert names, prefixes
    return names


def check_registered(names) -> None:
    """Every Keras name and alias has a rule, under the canonical name of the
    same Keras class."""
    keras = lazy_keras()
    for name in names:
        rule = lookup(name)
        assert rule is not None, name
        canonical = canonical_name(name)
        assert getattr(keras.layers, canonical) is getattr(keras.layers, name), (name, canonical)


def family_of(name: str) -> str:
    """The rule family a conv, pooling or spatial layer belongs to."""
    if name.startswith("Global"):
        return "global_pool"
    if "Pool" in name:
        return "pool"
    if name.startswith(("UpSampling", "ZeroPadding", "Cropping")):
        return "spatial"
    return "conv"
