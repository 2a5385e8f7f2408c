"""Wrappers: TimeDistributed, Bidirectional, SpectralNormalization.  Mirrors
keras/src/layers/rnn/{time_distributed,bidirectional}.py and
keras/src/layers/normalization/spectral_normalization.py of Keras 3.  The wrapped layer reaches the
rule as a ``LayerConfig`` in ``cfg.args`` and its own rule is applied through
``registry.apply_inner`` (its argument reads count as the wrapper's).

* TimeDistributed(layer): the input needs at least 3 dimensions; the layer
  sees ``(batch,) + input[2:]`` and the output is ``(batch, T) +
  inner_output[1:]``; the parameters are the layer's.
* Bidirectional(layer, merge_mode, backward_layer): the input must suit the
  (recurrent) layer.  Keras derives the output from the *forward* layer only:
  ``concat`` doubles its last size, ``sum``/``mul``/``ave`` keep it, ``None``
  gives two outputs; with ``return_state`` the forward layer's states follow,
  twice (forward's, then backward's).  A ``backward_layer`` with other units
  is therefore still reported as ``2*forward_units`` with ``concat``, as
  Keras' ``compute_output_shape`` does.  Parameters: forward + backward
  layer's.  A ``backward_layer`` whose ``return_sequences``/``return_state``
  differ from the forward layer's is refused by Keras (the two outputs could
  not be merged).
* SpectralNormalization(layer, power_iterations): the layer's output; its
  parameters plus a ``vector_u`` of ``(1, kernel.shape[-1])``.  Keras refuses
  a layer without ``kernel`` or ``embeddings`` (SeparableConv, LSTM,
  normalisation layers ...): the output is then left unknown.
"""
from __future__ import annotations

from shapelint.messages import MERGE_SHAPE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    apply_inner,
    canonical_name,
    channels_last,
    lookup,
    require_rank,
    rule,
)
from shapelint.unknown import UNKNOWN


def _inner(cfg: LayerConfig, name: str = "layer"):
    inner = cfg.get(name, None)
    return inner if isinstance(inner, LayerConfig) else None


def _reraise(cfg: LayerConfig, inner: LayerConfig, exc: ShapeError) -> ShapeError:
    return ShapeError(
        exc.kind, f"{cfg.class_name}({inner.class_name}): {exc.message}", exc.fix
    )


def _single_inner(cfg: LayerConfig):
    """The wrapped layer's config when a rule for one input knows it, else None."""
    inner = _inner(cfg)
    inner_rule = lookup(inner.class_name) if inner is not None else None
    return inner if inner_rule is not None and inner_rule.inputs == "single" else None


def _apply_inner(cfg: LayerConfig, inner: LayerConfig, shape) -> Out:
    """The wrapped layer's rule on ``shape``; its refusal is reported on the wrapper."""
    try:
        return apply_inner(cfg, inner, [shape])
    except ShapeError as exc:
        raise _reraise(cfg, inner, exc) from exc


@rule("TimeDistributed", signature=("layer",), family="wrapper")
def time_distributed(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(
        cfg,
        shape,
        min_ndim=3,
        fix="TimeDistributed applies its layer to every step of a (batch, time, "
        "...) tensor: add a time axis (e.g. Reshape) or use the layer directly",
    )
    inner = _single_inner(cfg)
    if inner is None:
        return Out([None], None)
    out = _apply_inner(cfg, inner, (shape[0],) + tuple(shape[2:]))
    if len(out.shapes) != 1 or out.shape is None:
        return Out([None], out.params)
    inner_out = out.shape
    return Out([(inner_out[0], shape[1]) + tuple(inner_out[1:])], out.params)


def _flag(layer: LayerConfig, name: str):
    value = layer.get(name, False)
    return UNKNOWN if value is UNKNOWN else bool(value)


@rule(
    "Bidirectional",
    signature=("layer", "merge_mode", "weights", "backward_layer"),
    family="wrapper",
    defined_axes=lambda cfg, inputs: [(0, -1)] if isinstance(cfg.get("layer"), LayerConfig) and cfg.get(
        "layer").class_name in ("LSTM", "GRU", "SimpleRNN", "RNN") else [],
)
def bidirectional(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    forward = _inner(cfg)
    if forward is None:
        return Out([None], None)
    forward_rule = lookup(forward.class_name)
    if forward_rule is None or forward_rule.family != "recurrent":
        return Out([None], None)
    backward = _inner(cfg, "backward_layer")
    if backward is not None:
        for attr in ("return_sequences", "return_state"):
            f, b = _flag(forward, attr), _flag(backward, attr)
            if f is not UNKNOWN and b is not UNKNOWN and f != b:
                raise ShapeError(
                    MERGE_SHAPE_MISMATCH,
                    f"Bidirectional: the forward {forward.class_name} has "
                    f"{attr}={f} but the backward {backward.class_name} has "
                    f"{attr}={b}",
                    f"give both layers the same {attr}",
                )
    if forward_rule.name in ("SimpleRNN", "LSTM", "GRU"):
        require_rank(
            cfg,
            shape,
            ndim=3,
            fix="a recurrent layer reads a (batch, timesteps, features) tensor: "
            "add a time axis with Reshape, or set return_sequences=True on the "
            "previous recurrent layer",
        )
    try:
        f_out = apply_inner(cfg, forward, [shape])
        b_out = apply_inner(cfg, backward, [shape]) if backward is not None else f_out
    except ShapeError as exc:
        raise _reraise(cfg, forward, exc) from exc
    params = None
    if f_out.params is not None and b_out.params is not None:
        params = f_out.params + b_out.params
    merge_mode = cfg.get("merge_mode", "concat")
    return_state = _flag(forward, "return_state")
    if merge_mode is UNKNOWN or return_state is UNKNOWN or f_out.shape is None:
        return Out([None], params)
    output, states = f_out.shapes[0], list(f_out.shapes[1:]) if return_state else []
    if merge_mode == "concat":
        outputs = [tuple(output[:-1]) + (dims.mul(output[-1], 2),)]
    elif merge_mode in ("sum", "mul", "ave"):
        outputs = [output]
    elif merge_mode is None:
        outputs = [output, output]
    else:  # Keras refuses other modes in the constructor.
        return Out([None], params)
    return Out(outputs + states + states, params)


# The argument (and its default) that sets the last size of the kernel (or
# embeddings) of the layers that have one.
_KERNEL_LAST = {
    "Dense": ("units", UNKNOWN),
    "Conv1D": ("filters", UNKNOWN),
    "Conv2D": ("filters", UNKNOWN),
    "Conv3D": ("filters", UNKNOWN),
    "DepthwiseConv1D": ("depth_multiplier", 1),
    "DepthwiseConv2D": ("depth_multiplier", 1),
    "Embedding": ("output_dim", UNKNOWN),
}
_TRANSPOSE = ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")


def _kernel_last(inner: LayerConfig, shape):
    """(whether Keras finds a ``kernel``/``embeddings`` on the wrapped layer,
    that weight's last size or None)."""
    name = canonical_name(inner.class_name)
    if name in _KERNEL_LAST:
        arg, default = _KERNEL_LAST[name]
        return True, as_dim(inner.get(arg, default))
    if name in _TRANSPOSE:  # kernel (*kernel_size, filters, input channels)
        last = channels_last(inner)
        return True, None if last is None else shape[-1] if last else shape[1]
    return name == "EinsumDense", None


@rule("SpectralNormalization", signature=("layer", "power_iterations"), family="wrapper")
def spectral_normalization(cfg: LayerConfig, inputs):
    """``SpectralNormalization.build`` / ``compute_output_shape``."""
    (shape,) = inputs[:1]
    inner = _single_inner(cfg)
    if inner is None:
        return Out([None], None)
    out = _apply_inner(cfg, inner, shape)
    has_kernel, last = _kernel_last(inner, shape)
    if not has_kernel:
        return Out([None], None)
    params = None
    if isinstance(last, int) and out.params is not None:
        params = out.params + last
    return Out(out.shapes, params)
