"""Shared by the property tests of the rules (tests/test_rules_*.py but the
conv, pooling and spatial ones, which use tests/conv_cases.py): a layer is
called in Keras on symbolic ``KerasTensor``s and shapelint's ``infer`` must
give the same output shape(s) -- ``None`` exactly where Keras has ``None`` --
and parameter count, or refuse where Keras refuses.

Known, deliberate differences are spelled out where the cases are generated:
shapelint never reports an unknown size (``None``) against a known one, so the
generators keep ``None`` out of the places where Keras would refuse it; and
shapelint reports a few inputs Keras only refuses when the model runs (a dot
product over the batch axis, an attention query/key size mismatch), which
``check`` confirms by running the layer on real data.
"""
from __future__ import annotations

import inspect
import warnings

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from conftest import lazy_keras
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import ShapeError, lookup


def examples(n: int):
    """Hypothesis settings: ``n`` examples, no deadline (Keras is slow to
    build some layers)."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def kt(shape, dtype="float32"):
    """A symbolic Keras tensor of ``shape``."""
    return lazy_keras().KerasTensor(tuple(shape), dtype=dtype)


def keras_result(build):
    """``build()`` -> (layer, symbolic result): (output shapes, params) or
    the exception Keras raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer, result = build()
        except Exception as exc:  # pylint: disable=broad-except
            return exc
    return [tuple(t.shape) for t in lazy_keras().tree.flatten(result)], layer.count_params()


def shapelint_result(cfg, input_shapes):
    """shapelint's ``Out``, or the ShapeError it raised."""
    try:
        return infer(cfg, input_shapes)
    except ShapeError as exc:
        return exc


def check(cfg, input_shapes, build):
    """shapelint agrees with Keras on ``cfg`` applied to ``input_shapes``
    (``build()`` makes the layer and calls it on them in Keras)."""
    keras_res = keras_result(build)
    ours = shapelint_result(cfg, input_shapes)
    where = f"{cfg.class_name}{cfg.args} {cfg.call_kwargs} on {input_shapes}"
    if currently_in_test_context():
        event("both refuse" if isinstance(keras_res, Exception) else "both accept")
    if isinstance(keras_res, Exception):
        assert isinstance(ours, ShapeError), (
            f"{where}: Keras raises {type(keras_res).__name__}: {keras_res}, "
            f"shapelint gives {ours}"
        )
        return
    if isinstance(ours, ShapeError) and "raises at the first fit/predict" in ours.message:
        # A run-time refusal: Keras builds the layer, so run it on real data.
        import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
        concrete = [np.zeros([2 if d is None else d for d in s], "float32") for s in input_shapes]
        layer, _ = build()
        with pytest.raises(Exception):
            if lookup(cfg.class_name).inputs == "list":
                layer(concrete, **cfg.call_kwargs)
            else:
                layer(*concrete, **cfg.call_kwargs)
        return
    assert not isinstance(ours, ShapeError), (
        f"{where}: shapelint raises {ours.kind}: {ours.message}; Keras gives {keras_res}"
    )
    k_shapes, k_params = keras_res
    assert list(ours.shapes) == k_shapes, f"{where}: shapes {ours.shapes} != Keras {k_shapes}"
    assert ours.params == k_params, f"{where}: params {ours.params} != Keras {k_params}"


def call_on(cls, args, shape, dtype="float32", wrap=None):
    """A ``build`` for ``check``: ``cls(**args)`` (wrapped in ``wrap``) called
    on a tensor of ``shape``."""

    def build():
        layer = getattr(lazy_keras().layers, cls)(**args)
        if wrap is not None:
            layer = wrap(layer)
        return layer, layer(kt(shape, dtype))

    return build


def check_signature(keras, name):
    """The rule of ``name`` exists and its positional signature is the start
    of the Keras constructor's."""
    rule = lookup(name)
    assert rule is not None, name
    params = list(inspect.signature(getattr(keras.layers, name).__init__).parameters)[1:]
    assert params[: len(rule.signature)] == list(rule.signature), name


# Sizes, batch axes and maybe-unknown sizes of the generated inputs.
sizes = st.integers(1, 6)
maybe_none = st.one_of(st.none(), sizes)
batch = st.sampled_from([None, None, None, 2])
