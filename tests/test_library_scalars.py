"""The scalars family against the real libraries: a numpy, TensorFlow or
keras.ops function given a plain number (``int(np.round(float(h) / 6))`` in
a pooling size) computes what the library computes; calls it does not take
(a tensor-making ``shape=``) are left to the other families."""
from __future__ import annotations

import importlib
import math

import pytest

from shapelint.frontend import library
from shapelint.frontend.context import LibraryCall
from shapelint.frontend.library.scalars import _SCALAR_FUNCS

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

MODULES = ["numpy", "tensorflow", "tensorflow.math", "keras.ops"]
NAMES = [n for n in _SCALAR_FUNCS if n not in ("cast", "convert_to_tensor", "constant")]


def ours(qualname, *args, **kwargs):
    return library.dispatch(None, LibraryCall(qualname, list(args), kwargs, node=None))


def _real(module, name):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


@pytest.mark.keras
@pytest.mark.parametrize("module", MODULES)
@hypothesis.settings(max_examples=25, deadline=None)
@hypothesis.given(value=st.one_of(st.integers(1, 40), st.floats(0.25, 40).map(lambda v: round(v * 4) / 4)))
def test_scalar_functions_agree_with_the_library(module, value):
    for name in NAMES:
        real = _real(module, name)
        if real is None:
            continue
        theirs = float(real(float(value)))
        mine = ours(f"{module}.{name}", value)
        assert isinstance(mine, float) and math.isclose(mine, theirs, rel_tol=1e-6), (module, name, value)


@pytest.mark.keras
def test_a_constant_filled_to_a_shape_is_no_scalar():
    tf = pytest.importorskip("tensorflow")
    for value, shape in ((0.0, (2, 3)), (1, [4]), (2.5, ())):
        assert ours("tensorflow.constant", value, shape=shape).shape == tuple(tf.constant(value, shape=shape).shape)


def test_calls_that_do_not_give_a_scalar_are_declined():
    assert ours("numpy.round", 2.567, 2) is library.DECLINE  # decimals: not followed
