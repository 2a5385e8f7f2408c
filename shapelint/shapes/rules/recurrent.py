"""Recurrent layers: SimpleRNN, LSTM, GRU.  Mirrors keras/src/layers/rnn/
{rnn,simple_rnn,lstm,gru}.py of Keras 3.

* ``InputSpec(ndim=3)``: the input must be ``(batch, timesteps, features)``.
* ``RNN.compute_output_shape``: ``(batch, units)``, or ``(batch, timesteps,
  units)`` with ``return_sequences=True``; with ``return_state=True`` the
  states follow the output: LSTM gives ``[output, h, c]``, GRU and SimpleRNN
  ``[output, h]``, each state ``(batch, units)``.  ``go_backwards`` does not
  change any shape.
* Parameters (the cells' ``build``): SimpleRNN ``F*u + u*u + u``; LSTM
  ``4*(F*u + u*u + u)``; GRU ``3*(F*u + u*u) + 6*u`` with the Keras 3 default
  ``reset_after=True`` (two bias rows), ``+ 3*u`` with ``reset_after=False``.

Not mirrored: ``stateful=True`` with an undefined batch size (Keras raises at
build; there is no finding kind for it), ``unroll=True`` with an undefined
time axis (Keras raises only when the layer runs) and a ``None`` feature axis
(Keras cannot create the kernel; shapelint's ``None`` may just mean "not
known here", so it leaves the parameter count unknown instead of reporting).
ConvLSTM1D/2D/3D are not covered: their output depends on the convolution
arithmetic and is left unknown.
"""
from __future__ import annotations

from shapelint.shapes.registry import UNKNOWN, LayerConfig, Out, as_dim, require_rank, rule

_RANK2_FIX = (
    "add a time axis: Reshape((timesteps, features)) or use "
    "return_sequences=True on the previous recurrent layer"
)
_RANK_HIGH_FIX = (
    "collapse the extra axes into the features first, e.g. "
    "Reshape((timesteps, -1)) or TimeDistributed(Flatten()); for images over "
    "time use ConvLSTM2D"
)

# Weight blocks per cell: (number of gates, bias vectors per gate block).
_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _flag(cfg: LayerConfig, name: str, default: bool):
    """A boolean argument: True/False, or UNKNOWN."""
    value = cfg.get(name, default)
    if value is UNKNOWN:
        return UNKNOWN
    return bool(value)


def rnn_params(cfg: LayerConfig, features, units):
    """Keras' ``count_params()`` of a built SimpleRNN/LSTM/GRU, or None."""
    if not (isinstance(features, int) and isinstance(units, int)):
        return None
    gates = _GATES.get(cfg.class_name)
    if gates is None:
        return None
    use_bias = _flag(cfg, "use_bias", True)
    if use_bias is UNKNOWN:
        return None
    params = gates * (features * units + units * units)
    if use_bias:
        bias_rows = 1
        if cfg.class_name == "GRU":
            reset_after = _flag(cfg, "reset_after", True)
            if reset_after is UNKNOWN:
                return None
            bias_rows = 2 if reset_after else 1
        params += bias_rows * gates * units
    return params


def _rank_fix(shape) -> str:
    return _RANK2_FIX if shape is not None and len(shape) < 3 else _RANK_HIGH_FIX


@rule(
    "SimpleRNN",
    signature=(
        "units", "activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint",
        "dropout", "recurrent_dropout", "return_sequences", "return_state",
        "go_backwards", "stateful", "unroll", "seed",
    ),
    family="recurrent",
)
def simple_rnn(cfg: LayerConfig, inputs):
    return _recurrent(cfg, inputs, n_states=1)


@rule(
    "LSTM",
    signature=(
        "units", "activation", "recurrent_activation", "use_bias",
        "kernel_initializer", "recurrent_initializer", "bias_initializer",
        "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed", "return_sequences", "return_state",
        "go_backwards", "stateful", "unroll", "use_cudnn",
    ),
    family="recurrent",
)
def lstm(cfg: LayerConfig, inputs):
    return _recurrent(cfg, inputs, n_states=2)


@rule(
    "GRU",
    signature=(
        "units", "activation", "recurrent_activation", "use_bias",
        "kernel_initializer", "recurrent_initializer", "bias_initializer",
        "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "seed",
        "return_sequences", "return_state", "go_backwards", "stateful",
        "unroll", "reset_after", "use_cudnn",
    ),
    family="recurrent",
)
def gru(cfg: LayerConfig, inputs):
    return _recurrent(cfg, inputs, n_states=1)


def _recurrent(cfg: LayerConfig, inputs, n_states: int) -> Out:
    (shape,) = inputs[:1]
    require_rank(cfg, shape, ndim=3, fix=_rank_fix(shape))
    batch, steps, features = shape
    units = as_dim(cfg.get("units", UNKNOWN))
    params = rnn_params(cfg, features, units)
    return_sequences = _flag(cfg, "return_sequences", False)
    return_state = _flag(cfg, "return_state", False)
    if return_state is UNKNOWN:
        # How many tensors come out is not known.
        return Out([None], params)
    if return_sequences is UNKNOWN:
        output = None
    elif return_sequences:
        output = (batch, steps, units)
    else:
        output = (batch, units)
    shapes = [output]
    if return_state:
        shapes += [(batch, units)] * n_states
    return Out(shapes, params)
