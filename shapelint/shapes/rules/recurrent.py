"""Recurrent layers: SimpleRNN, LSTM, GRU, RNN(cell), their cells and
ConvLSTM1D/2D/3D.  Mirrors keras/src/layers/rnn/{rnn,simple_rnn,lstm,gru,
stacked_rnn_cells,conv_lstm}.py of Keras 3.

* ``InputSpec(ndim=3)``: the input must be ``(batch, timesteps, features)``.
* ``RNN.compute_output_shape``: ``(batch, units)``, or ``(batch, timesteps,
  units)`` with ``return_sequences=True``; with ``return_state=True`` the
  states follow the output: LSTM gives ``[output, h, c]``, GRU and SimpleRNN
  ``[output, h]``, each state ``(batch, units)``.  ``go_backwards`` does not
  change any shape.
* Parameters (the cells' ``build``): SimpleRNN ``F*u + u*u + u``; LSTM
  ``4*(F*u + u*u + u)``; GRU ``3*(F*u + u*u) + 6*u`` with the Keras 3 default
  ``reset_after=True`` (two bias rows), ``+ 3*u`` with ``reset_after=False``.
* ``RNN(cell)`` with SimpleRNNCell/LSTMCell/GRUCell, a list of them or
  StackedRNNCells: no InputSpec, but the cell is built on ``(batch,) +
  input[2:]`` and cannot create its kernel from an input of rank < 3 (with a
  static batch size a 2-D input builds, the batch size taken for the
  features, and fails at the first fit/predict: reported too); a higher rank
  is accepted (its last axis are the features).  The output size
  is the last cell's units; the states are every cell's, in order.
* ConvLSTM{1,2,3}D: ``InputSpec(ndim=rank + 3)``; every step goes through
  the convolution arithmetic of ``compute_conv_output_shape`` (the recurrent
  convolution always pads "same"); the states have the step output's shape.
  Parameters ``prod(kernel) * (C + f) * 4f + 4f``.

Not mirrored: ``stateful=True`` with an undefined batch size (Keras raises at
build; there is no finding kind for it), ``unroll=True`` with an undefined
time axis (Keras raises only when the layer runs) and a ``None`` feature,
channel or ConvLSTM spatial axis (Keras cannot create the kernel or refuses
it; shapelint's ``None`` may just mean "not known here", so it leaves those
sizes or the parameter count unknown instead of reporting).
"""
from __future__ import annotations

from shapelint.messages import INCOMPATIBLE_INPUT_RANK
from shapelint.shapes import dims
from shapelint.shapes.dims import as_dim
from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import (
    LayerConfig,
    Out,
    ShapeError,
    channels_last,
    last_axis,
    require_rank,
    rule,
)
from shapelint.shapes.rules.conv import (
    join_channels,
    n_spatial,
    padding_mode,
    spatial_output,
    split_channels,
    tuple_arg,
)
from shapelint.unknown import UNKNOWN

_RANK2_FIX = (
    "add a time axis: Reshape((timesteps, features)) or use "
    "return_sequences=True on the previous recurrent layer"
)
_RANK_HIGH_FIX = (
    "collapse the extra axes into the features first, e.g. "
    "Reshape((timesteps, -1)) or TimeDistributed(Flatten()); for images over "
    "time use ConvLSTM2D"
)

# Weight blocks (gates) per layer or cell.
_GATES = {
    "SimpleRNN": 1, "LSTM": 4, "GRU": 3,
    "SimpleRNNCell": 1, "LSTMCell": 4, "GRUCell": 3,
}
# States per cell.
_CELL_STATES = {"SimpleRNNCell": 1, "LSTMCell": 2, "GRUCell": 1}


def _flag(cfg: LayerConfig, name: str, default: bool):
    """A boolean argument: True/False, or UNKNOWN."""
    value = cfg.get(name, default)
    if value is UNKNOWN:
        return UNKNOWN
    return bool(value)


def _rnn_outputs(cfg: LayerConfig, sequence, last, states, params) -> Out:
    """Keras' recurrent outputs: the ``sequence`` output with
    return_sequences, else the ``last`` step's, then the ``states`` with
    return_state (unknown arguments leave the output or its count unknown)."""
    return_sequences = _flag(cfg, "return_sequences", False)
    return_state = _flag(cfg, "return_state", False)
    if return_state is UNKNOWN:
        return Out([None], params)  # how many tensors come out is not known
    output = None if return_sequences is UNKNOWN else (sequence if return_sequences else last)
    return Out([output] + (list(states) if return_state else []), params)


def rnn_params(cfg: LayerConfig, features, units):
    """Keras' ``count_params()`` of a built SimpleRNN/LSTM/GRU (or cell), or None."""
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
        if cfg.class_name in ("GRU", "GRUCell"):
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
    defined_axes=last_axis,
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
    defined_axes=last_axis,
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
    defined_axes=last_axis,
)
def gru(cfg: LayerConfig, inputs):
    return _recurrent(cfg, inputs, n_states=1)


def _recurrent(cfg: LayerConfig, inputs, n_states: int) -> Out:
    (shape,) = inputs[:1]
    require_rank(cfg, shape, ndim=3, fix=_rank_fix(shape))
    batch, steps, features = shape
    units = as_dim(cfg.get("units", UNKNOWN))
    params = rnn_params(cfg, features, units)
    out = _rnn_outputs(cfg, (batch, steps, units), (batch, units), [(batch, units)] * n_states, params)
    # units that are no size (a "TODO" string): Keras refuses them, the None is not its own
    out.exact = out.exact and units is not None
    return out


# --- RNN(cell) and the cells ---------------------------------------------------------

def _cells(value):
    """The cells of ``RNN(cell)`` as a list of LayerConfigs, or None."""
    if isinstance(value, LayerConfig) and value.class_name == "StackedRNNCells":
        value = value.get("cells", UNKNOWN)
    if isinstance(value, LayerConfig):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        return None
    if not all(isinstance(c, LayerConfig) and c.class_name in _CELL_STATES for c in value):
        return None
    return list(value)


def _stack(cells, features):
    """(units of each cell, total params or None): each cell reads the
    previous one's output (``StackedRNNCells.build``)."""
    units, params = [], 0
    for cell in cells:
        u = as_dim(cell.get("units", UNKNOWN))
        p = rnn_params(cell, features, u)
        params = None if params is None or p is None else params + p
        units.append(u)
        features = u
    return units, params


def _cell(cfg: LayerConfig, inputs):
    """A cell called directly, ``cell(x, states)``: its outputs are not
    followed; the parameters are those its ``build`` creates for ``x``."""
    (shape,) = inputs[:1]
    cells = [cfg] if cfg.class_name in _CELL_STATES else _cells(cfg)
    if not shape or cells is None:
        return Out([None], None)
    return Out([None], _stack(cells, shape[-1])[1])


rule("SimpleRNNCell", "LSTMCell", "GRUCell", signature=KERAS_POSITIONAL)(_cell)
rule("StackedRNNCells", signature=("cells",))(_cell)


@rule(
    "RNN",
    signature=(
        "cell", "return_sequences", "return_state", "go_backwards", "stateful",
        "unroll", "zero_output_for_mask",
    ),
    family="recurrent",
    defined_axes=last_axis,
)
def rnn(cfg: LayerConfig, inputs):
    """``RNN.build`` + ``RNN.compute_output_shape`` for the Keras cells."""
    (shape,) = inputs[:1]
    cells = _cells(cfg.get("cell", UNKNOWN))
    if cells is None:
        return Out([None], None)
    if len(shape) < 3:
        late = len(shape) == 2 and dims.is_int(shape[0])
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"RNN expects a (batch, timesteps, features) input but gets a "
            f"{len(shape)}-D tensor {dims.fmt_shape(shape)}"
            + ("; with a static batch size Keras builds the cell on the batch "
               "axis and raises at the first fit/predict" if late else ""),
            _RANK2_FIX,
        )
    batch, steps = shape[0], shape[1]
    units, params = _stack(cells, shape[-1])
    states = [(batch, u) for cell, u in zip(cells, units) for _ in range(_CELL_STATES[cell.class_name])]
    out = _rnn_outputs(cfg, (batch, steps, units[-1]), (batch, units[-1]), states, params)
    out.exact = out.exact and all(u is not None for u in units)
    return out


# --- ConvLSTM1D/2D/3D ------------------------------------------------------------------


@rule(
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    signature=KERAS_POSITIONAL,
    family="recurrent",
    # (batch, time, channels, ...) when channels_first
    defined_axes=lambda cfg, inputs: [] if channels_last(cfg) is None else [(0, -1 if channels_last(cfg) else 2)],
)
def conv_lstm(cfg: LayerConfig, inputs):
    """``ConvLSTM.compute_output_shape`` and ``ConvLSTMCell.build``."""
    (shape,) = inputs[:1]
    k = n_spatial(cfg)
    axes = "steps" if k == 1 else ", ".join(f"dim{i + 1}" for i in range(k))
    layout = f"{axes}, channels" if channels_last(cfg) is not False else f"channels, {axes}"
    require_rank(
        cfg, shape, ndim=k + 3,
        fix=f"{cfg.class_name} reads a sequence of feature maps: give it a "
        f"{k + 3}-D input (batch, time, {layout})",
    )
    batch, steps = shape[0], shape[1]
    step = (batch,) + tuple(shape[2:])
    filters = as_dim(cfg.get("filters", UNKNOWN))
    kernel = tuple_arg(cfg, "kernel_size", k, UNKNOWN)
    spatial, channels = split_channels(cfg, step)
    if spatial is None:
        state = join_channels(cfg, batch, None, None, k)
    else:
        out = spatial_output(
            cfg, step, spatial, kernel,
            tuple_arg(cfg, "strides", k, 1),
            padding_mode(cfg),
            tuple_arg(cfg, "dilation_rate", k, 1),
        )
        state = join_channels(cfg, batch, out, filters, k)
    params = None
    use_bias = _flag(cfg, "use_bias", True)
    if kernel is not None and use_bias is not UNKNOWN:
        gates = dims.mul(filters, 4)
        weights = dims.mul(dims.product(kernel), dims.mul(dims.add(channels, filters), gates))
        total = dims.add(weights, gates if use_bias else 0)
        params = total if dims.is_int(total) else None
    return _rnn_outputs(cfg, (batch, steps) + tuple(state[1:]), state, [state, state], params)
