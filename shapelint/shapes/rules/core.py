"""Core layers: Dense, element-wise layers, normalisation, Flatten, Reshape,
Permute, RepeatVector, Lambda.  Mirrors keras/src/layers/core, activations,
normalization, regularization and reshaping/{flatten,reshape,permute,
repeat_vector}.py of Keras 3."""
from __future__ import annotations

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, INCOMPATIBLE_INPUT_SHAPE, RESHAPE_SIZE_MISMATCH
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    config_axis,
    last_axis,
    require_rank,
    rule,
)
from shapelint.unknown import UNKNOWN


@rule(
    "Dense",
    signature=KERAS_POSITIONAL,
    family="dense",
    defined_axes=last_axis,
)
def dense(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, min_ndim=2, fix="give it at least a (batch, features) input")
    units = as_dim(cfg.get("units", UNKNOWN))
    out = shape[:-1] + (units,)
    params = None
    last = shape[-1]
    if isinstance(units, int) and isinstance(last, int):
        params = last * units + (units if cfg.get("use_bias", True) is not False else 0)
    return Out([out], params)


# Layers whose output shape is their input shape and which hold no weights.
_IDENTITY = (
    "Activation",
    "ReLU",
    "Softmax",
    "LeakyReLU",
    "ELU",
    "ThresholdedReLU",
    "Dropout",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
    "Masking",
    "Identity",
    "Rescaling",
    "UnitNormalization",
)


@rule(*_IDENTITY, signature=KERAS_POSITIONAL, handles_unknown_rank=True, family="elementwise")
def identity(cfg: LayerConfig, inputs):
    return Out([inputs[0]], 0)


@rule("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", signature=KERAS_POSITIONAL, family="elementwise")
def spatial_dropout(cfg: LayerConfig, inputs):
    ndim = int(cfg.class_name[-2]) + 2
    require_rank(cfg, inputs[0], ndim=ndim)
    return Out([inputs[0]], 0)


def _axis_size(shape, axis):
    if not dims.is_int(axis):
        return UNKNOWN
    if -len(shape) <= axis < len(shape):
        return shape[axis]
    raise ShapeError(
        INCOMPATIBLE_INPUT_RANK,
        f"axis {axis} is out of range for a {len(shape)}-D input {dims.fmt_shape(shape)}",
    )


@rule("BatchNormalization", signature=KERAS_POSITIONAL,
      family="elementwise", defined_axes=config_axis)
def batch_norm(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    size = _axis_size(shape, cfg.get("axis", -1))
    params = None
    if isinstance(size, int):
        n = 2  # moving mean and variance
        n += 1 if cfg.get("center", True) is not False else 0
        n += 1 if cfg.get("scale", True) is not False else 0
        params = n * size
    return Out([shape], params)


@rule("LayerNormalization", signature=KERAS_POSITIONAL,
      family="elementwise", defined_axes=config_axis)
def layer_norm(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    axis = cfg.get("axis", -1)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    sizes = [_axis_size(shape, a) for a in axes]
    params = None
    if all(isinstance(s, int) for s in sizes):
        size = dims.product(sizes)
        n = (1 if cfg.get("center", True) is not False else 0) + (
            1 if cfg.get("scale", True) is not False else 0
        )
        params = n * size
    return Out([shape], params)


@rule("Normalization", signature=KERAS_POSITIONAL, family="elementwise")
def normalization(cfg: LayerConfig, inputs):
    # Keras keeps mean, variance and count as weights when axis=-1 is used;
    # their sizes depend on adapt(), so the count is left unknown.
    return Out([inputs[0]], None)


@rule("PReLU", signature=KERAS_POSITIONAL, family="elementwise")
def prelu(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    param_shape = list(shape[1:])
    shared = cfg.get("shared_axes", None)
    if shared is UNKNOWN:
        return Out([shape], None)
    if shared is not None:
        for a in shared if isinstance(shared, (list, tuple)) else [shared]:
            if isinstance(a, int) and 1 <= a <= len(param_shape):
                param_shape[a - 1] = 1
    return Out([shape], dims.product(param_shape) if all(isinstance(d, int) for d in param_shape) else None)


@rule("Lambda", signature=KERAS_POSITIONAL, handles_unknown_rank=True)
def lambda_layer(cfg: LayerConfig, inputs):
    # The function is arbitrary code: its output is unknown -- unless an
    # output_shape tuple is given, which Keras then trusts: (batch,) + it.
    declared = cfg.get("output_shape", None)
    if isinstance(declared, (tuple, list)) and all(
        dims.is_int(d) or d is None for d in declared
    ) and inputs and inputs[0] is not None:
        return Out([(inputs[0][0],) + tuple(declared)], 0)
    return Out([None], 0)


@rule("GroupNormalization", signature=KERAS_POSITIONAL,
      family="elementwise", defined_axes=config_axis)
def group_norm(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    size = _axis_size(shape, cfg.get("axis", -1))
    params = None
    if isinstance(size, int):
        n = (1 if cfg.get("center", True) is not False else 0) + (
            1 if cfg.get("scale", True) is not False else 0)
        params = n * size
    return Out([shape], params)


@rule("Flatten", signature=("data_format",), family="flatten")
def flatten(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, min_ndim=1)
    rest = shape[1:]
    if not rest:
        flat = 1
    elif any(d is None for d in rest):
        flat = None
    else:
        flat = dims.product(rest)
    return Out([(shape[0], flat)], 0)


def _reshape_fix(in_shape, target) -> str:
    """A concrete target that holds the input: the given one with one axis
    (the last that can) resized, e.g. Reshape((7, 7, 32)) for 1568 values."""
    size = dims.product(in_shape[1:])
    sizes = [d for d in target if d != -1]
    if dims.is_int(size) and all(dims.is_int(d) and d > 0 for d in sizes) and len(sizes) == len(target):
        for axis in reversed(range(len(target))):
            others = dims.product(d for i, d in enumerate(target) if i != axis)
            if others and size % others == 0:
                fixed = tuple(size // others if i == axis else d for i, d in enumerate(target))
                return f"Reshape({dims.fmt_shape(fixed)}) holds the {size:,} values per sample"
    return ("make the target's sizes multiply to the input's size per sample, "
            "or use -1 for one axis")


def _reshape_error(in_shape, target):
    return ShapeError(
        RESHAPE_SIZE_MISMATCH,
        f"Reshape({dims.fmt_shape(tuple(target))}) cannot hold a tensor of shape "
        f"{dims.fmt_shape(in_shape)}: {dims.fmt_dim(dims.product(in_shape[1:]))} "
        f"values per sample vs {dims.fmt_dim(dims.product(d for d in target if d != -1))}",
        _reshape_fix(in_shape, target),
    )


@rule("Reshape", signature=("target_shape",), handles_unknown_rank=True, family="reshape")
def reshape(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    target = cfg.get("target_shape", UNKNOWN)
    if dims.is_int(target):
        target = (target,)
    if not isinstance(target, (list, tuple)):
        return Out([None], 0)
    target = [as_dim(t) if t != -1 else -1 for t in target]
    if shape is None:
        return Out([(None,) + tuple(None if t == -1 else t for t in target)], 0)
    in_rest = shape[1:]
    if any(d is None for d in in_rest) or any(t is None for t in target):
        return Out([(shape[0],) + tuple(None if t == -1 else t for t in target)], 0)
    size = dims.product(in_rest)
    n_unknown = sum(1 for t in target if t == -1)
    if n_unknown == 0:
        if dims.differs(size, dims.product(target)):
            raise _reshape_error(shape, target)
        return Out([(shape[0],) + tuple(target)], 0)
    if n_unknown > 1:
        return Out([(shape[0],) + tuple(None if t == -1 else t for t in target)], 0)
    known = dims.product(t for t in target if t != -1)
    if isinstance(size, int) and isinstance(known, int):
        if known == 0 or size % known != 0:
            raise _reshape_error(shape, target)
        fill = size // known
    else:
        fill = dims.floordiv(size, known)
    return Out([(shape[0],) + tuple(fill if t == -1 else t for t in target)], 0)


@rule("Permute", signature=("dims",), family="reshape")
def permute(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    order = cfg.get("dims", UNKNOWN)
    if not isinstance(order, (list, tuple)) or not all(isinstance(i, int) for i in order):
        return Out([None if shape is None else (None,) * len(shape)], 0)
    require_rank(cfg, shape, ndim=len(order) + 1)
    return Out([(shape[0],) + tuple(shape[i] for i in order)], 0)


@rule("RepeatVector", signature=("n",), family="reshape")
def repeat_vector(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    require_rank(cfg, shape, ndim=2, fix="flatten or pool the input to (batch, features) first")
    return Out([(shape[0], as_dim(cfg.get("n", UNKNOWN)), shape[1])], 0)



# --- EinsumDense --------------------------------------------------------------
# Mirrors keras/src/layers/core/einsum_dense.py: ``_analyze_einsum_string`` /
# ``_analyze_split_string`` give the output shape (``compute_output_shape``)
# and the kernel/bias shapes (``build``).  Like Keras, the output copies the
# user's ``output_shape`` (a ``None`` there stays ``None``), prefixed with the
# batch axis and extended by the axes an ellipsis stands for.


class _EinsumConfigError(Exception):
    """The equation/output_shape/bias_axes are inconsistent (Keras raises a
    ValueError that is not about the input's shape)."""


def _einsum_split(equation):
    import re  # pylint: disable=import-outside-toplevel

    text = re.sub(r"\.\.\.", "0", equation)
    match = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", text)
    if match:
        return match, False
    match = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", text)
    if match:
        return match, True
    match = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", text)
    if match:
        return match, False
    raise _EinsumConfigError(f"invalid einsum equation {equation!r}")


def _at(seq, index):
    if -len(seq) <= index < len(seq):
        return seq[index]
    raise IndexError(index)


def einsum_analyze(equation, bias_axes, input_shape, partial):
    """(kernel_shape, bias_shape or None, full_output_shape)."""
    match, left_elided = _einsum_split(equation)
    input_spec, weight_spec, output_spec = match.group(1), match.group(2), match.group(3)
    elided = len(input_shape) - len(input_spec)
    if elided < 0:
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"EinsumDense({equation!r}) expects an input of at least "
            f"{len(input_spec)} dimensions but gets a {len(input_shape)}-D tensor "
            f"{dims.fmt_shape(input_shape)}",
            "reshape the input to the rank the equation's input term names",
        )
    output_shape = list(partial)
    output_shape.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0 and not left_elided:
        for i in range(len(input_shape) - elided, len(input_shape)):
            output_shape.append(input_shape[i])
    if left_elided:
        input_map = {d: (i + elided) - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    try:
        for d in input_spec:
            in_dim = _at(input_shape, input_map[d])
            if d in output_map:
                out_dim = _at(output_shape, output_map[d])
                if dims.differs(out_dim, in_dim):
                    # Keras also refuses a None input size here; shapelint's
                    # None may only mean "not known", so it stays silent.
                    raise ShapeError(
                        INCOMPATIBLE_INPUT_SHAPE,
                        f"EinsumDense({equation!r}, output_shape={tuple(partial)}): "
                        f"axis {d!r} is {dims.fmt_dim(in_dim)} in the input "
                        f"{dims.fmt_shape(input_shape)} but {dims.fmt_dim(out_dim)} "
                        "in output_shape",
                        "make output_shape repeat the input's size on the shared axis "
                        "(or None there)",
                    )
        for d in output_spec:
            if d not in input_spec and d not in weight_spec:
                raise _EinsumConfigError(f"output axis {d!r} has no source")
        kernel = []
        for d in weight_spec:
            if d in output_map:
                kernel.append(_at(output_shape, output_map[d]))
            elif d in input_map:
                kernel.append(_at(input_shape, input_map[d]))
            else:
                raise _EinsumConfigError(f"weight axis {d!r} has no match")
        bias = None
        if bias_axes is not None:
            shift = elided if left_elided else 0
            index = {c: _at(output_shape, i + shift) for i, c in enumerate(output_spec)}
            for c in bias_axes:
                if c not in output_spec:
                    raise _EinsumConfigError(f"bias axis {c!r} is not an output axis")
            first = min(output_spec.find(c) for c in bias_axes)
            bias = [index[c] if c in bias_axes else 1 for c in output_spec[first:]]
            if not left_elided:
                bias += [1] * elided
    except IndexError as exc:
        raise _EinsumConfigError("output_shape does not match the equation") from exc
    return kernel, bias, tuple(output_shape)


@rule(
    "EinsumDense",
    signature=KERAS_POSITIONAL,
    family="dense",
)
def einsum_dense(cfg: LayerConfig, inputs):
    (shape,) = inputs[:1]
    equation = cfg.get("equation", UNKNOWN)
    partial = cfg.get("output_shape", UNKNOWN)
    bias_axes = cfg.get("bias_axes", None)
    if dims.is_int(partial):
        partial = (partial,)
    if (
        not isinstance(equation, str)
        or not isinstance(partial, (list, tuple))
        or not (bias_axes is None or isinstance(bias_axes, str))
    ):
        return Out([None], None)
    partial = tuple(None if p is None else as_dim(p) for p in partial)
    try:
        kernel, bias, out = einsum_analyze(equation, bias_axes, shape, partial)
    except _EinsumConfigError:
        return Out([None], None)
    params = None
    weights = [kernel] + ([bias] if bias is not None else [])
    if all(isinstance(d, int) for w in weights for d in w):
        params = sum(dims.product(w) for w in weights)
        lora = cfg.get("lora_rank", None)
        if lora is UNKNOWN:
            params = None
        elif dims.is_int(lora) and lora and kernel:
            params += dims.product(kernel[:-1]) * lora + lora * kernel[-1]
    return Out([out], params)
