"""Property tests: shapelint's recurrent / embedding / merge / attention /
wrapper / EinsumDense rules against real Keras 3.

Each test draws a layer configuration and input shapes, builds the layer in
Keras on symbolic ``KerasTensor``s and checks that shapelint's ``infer`` gives
the same output shape(s) and parameter count -- or that both refuse.

Known, deliberate differences are spelled out where they are generated:
shapelint never reports an unknown size (``None``) against a known one, so the
generators keep ``None`` out of the places where Keras would refuse it; and
shapelint reports a few inputs Keras only refuses when the model runs (a dot
product over the batch axis), which the tests confirm by running the layer.
"""
from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import lazy_keras
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import FUNCTIONS, LayerConfig, ShapeError, lookup

# Keras (tests/conftest.py) is imported when the first test of this module
# runs, not when pytest collects it.
pytestmark = pytest.mark.usefixtures("keras")


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# --- helpers -----------------------------------------------------------------


def _shapes(result):
    """Output shape(s) of a symbolic Keras call, flattened to a list."""
    return [tuple(t.shape) for t in lazy_keras().tree.flatten(result)]


def _keras(build):
    """(shapes, params) or the exception Keras raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer, result = build()
        except Exception as exc:  # pylint: disable=broad-except
            return exc
    return _shapes(result), layer.count_params()


def _shapelint(cfg, input_shapes):
    try:
        return infer(cfg, input_shapes)
    except ShapeError as exc:
        return exc


def _kt(shape, dtype="float32"):
    return lazy_keras().KerasTensor(tuple(shape), dtype=dtype)


def check(cfg, input_shapes, build, params=True):
    keras_res = _keras(build)
    ours = _shapelint(cfg, input_shapes)
    where = f"{cfg.class_name}{cfg.args} {cfg.call_kwargs} on {input_shapes}"
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
        layer = getattr(lazy_keras().layers, cfg.class_name)(**cfg.args)
        with pytest.raises(Exception):
            layer(concrete, **cfg.call_kwargs)
        return
    assert not isinstance(ours, ShapeError), (
        f"{where}: shapelint raises {ours.kind}: {ours.message}; Keras gives "
        f"{keras_res}"
    )
    k_shapes, k_params = keras_res
    assert list(ours.shapes) == k_shapes, f"{where}: shapes {ours.shapes} != Keras {k_shapes}"
    if params:
        assert ours.params == k_params, f"{where}: params {ours.params} != Keras {k_params}"


sizes = st.integers(1, 6)
maybe_none = st.one_of(st.none(), sizes)
batch = st.sampled_from([None, None, None, 2])


# --- recurrent ---------------------------------------------------------------

rnn_classes = st.sampled_from(["SimpleRNN", "LSTM", "GRU"])


@st.composite
def rnn_config(draw, cls=None):
    cls = cls or draw(rnn_classes)
    args = {"units": draw(st.integers(1, 8))}
    for flag in ("return_sequences", "return_state", "use_bias", "go_backwards"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    if cls == "GRU" and draw(st.booleans()):
        args["reset_after"] = draw(st.booleans())
    return cls, args


@st.composite
def sequence_shape(draw, ranks=(1, 2, 3, 3, 3, 3, 3, 3, 4)):
    rank = draw(st.sampled_from(ranks))
    if rank == 1:
        return (draw(batch),)
    # The time axis may be None; the feature axis stays known (Keras cannot
    # create a kernel for an unknown feature size, shapelint stays silent).
    middle = tuple(draw(maybe_none) for _ in range(rank - 2))
    return (draw(batch),) + middle + (draw(sizes),)


@SETTINGS
@given(rnn_config(), sequence_shape())
def test_recurrent(keras, conf, shape):
    cls, args = conf

    def build():
        layer = getattr(keras.layers, cls)(**args)
        return layer, layer(_kt(shape))

    check(LayerConfig(cls, args), [shape], build)


def test_recurrent_examples():
    out = infer(LayerConfig("LSTM", {"units": 8, "return_state": True}), [(None, 10, 3)])
    assert out.shapes == [(None, 8), (None, 8), (None, 8)]
    assert out.params == 4 * (3 * 8 + 8 * 8 + 8)
    out = infer(LayerConfig("GRU", {"units": 4}), [(None, None, 3)])
    assert out.params == 3 * (3 * 4 + 4 * 4) + 2 * 3 * 4  # reset_after=True
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("LSTM", {"units": 8}), [(None, 16)])
    assert info.value.kind == "incompatible-input-rank"
    assert "Reshape((timesteps, features))" in info.value.fix


# --- embedding ---------------------------------------------------------------


@SETTINGS
@given(
    st.integers(1, 50),
    st.integers(1, 8),
    st.lists(maybe_none, min_size=0, max_size=3),
    batch,
    st.sampled_from([None, 7]),
    st.sampled_from([None, None, 2]),
)
def test_embedding(keras, input_dim, output_dim, rest, b, input_length, lora_rank):
    shape = (b,) + tuple(rest)
    args = {"input_dim": input_dim, "output_dim": output_dim}
    if input_length is not None:
        # Keras 3 accepts input_length with a deprecation warning and ignores it.
        args["input_length"] = input_length
    if lora_rank is not None:
        args["lora_rank"] = lora_rank

    def build():
        layer = keras.layers.Embedding(**args)
        return layer, layer(_kt(shape, "int32"))

    check(LayerConfig("Embedding", args), [shape], build)


# --- merge -------------------------------------------------------------------


@st.composite
def merge_inputs(draw, min_inputs=1, max_inputs=4, allow_rank_change=True):
    """A base shape and variants of it: some sizes set to 1, changed, None,
    or leading axes dropped -- so that equal, broadcastable and clashing shapes
    all occur."""
    rank = draw(st.integers(1, 4))
    base = [draw(st.integers(1, 4)) for _ in range(rank)]
    n = draw(st.integers(min_inputs, max_inputs))
    shapes = []
    b = draw(batch)
    for _ in range(n):
        shape = list(base)
        for i in range(len(shape)):
            shape[i] = draw(
                st.sampled_from(
                    [shape[i]] * 4 + [1, None, draw(st.integers(1, 4))]
                )
            )
        if allow_rank_change and shape and draw(st.integers(0, 4)) == 0:
            shape = shape[draw(st.integers(1, len(shape))):]
        shapes.append((b if draw(st.integers(0, 5)) else draw(st.sampled_from([None, 2, 3])),) + tuple(shape))
    return shapes


elementwise_classes = st.sampled_from(
    ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]
)


@SETTINGS
@given(elementwise_classes, merge_inputs())
def test_elementwise_merge(keras, cls, shapes):
    def build():
        layer = getattr(keras.layers, cls)()
        return layer, layer([_kt(s) for s in shapes])

    check(LayerConfig(cls, {}), shapes, build)


@SETTINGS
@given(merge_inputs(min_inputs=1, max_inputs=3), st.data())
def test_concatenate(keras, shapes, data):
    rank = len(shapes[0])
    axis = data.draw(
        st.one_of(st.just(-1), st.integers(-rank - 1, rank)), label="axis"
    )
    args = {} if axis == -1 and data.draw(st.booleans()) else {"axis": axis}

    def build():
        layer = keras.layers.Concatenate(**args)
        return layer, layer([_kt(s) for s in shapes])

    cfg = LayerConfig("Concatenate", args)
    if any(not -len(s) <= axis < len(s) for s in shapes):
        # An axis some input lacks: shapelint reports it.  Keras nearly always
        # raises too (IndexError), but a None first size can make its
        # compute_output_shape stop before looking at the short input.
        assert isinstance(_shapelint(cfg, shapes), ShapeError)
        return
    check(cfg, shapes, build)


def test_concatenate_examples():
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("Concatenate", {}), [(None, 8, 8, 3), (None, 4, 4, 3)])
    err = info.value
    assert err.kind == "merge-shape-mismatch"
    assert "(None, 8, 8, 3)" in err.message and "(None, 4, 4, 3)" in err.message
    assert "axis -3" in err.message and "8 vs 4" in err.fix
    # Keras copies the first input's other sizes.
    out = infer(LayerConfig("Concatenate", {}), [(None, None, 4), (None, 5, 3)])
    assert out.shapes == [(None, None, 7)]
    with pytest.raises(ShapeError) as info:
        infer(LayerConfig("Subtract", {}), [(None, 3)])
    assert info.value.kind == "merge-shape-mismatch"


@st.composite
def dot_case(draw):
    n = draw(st.sampled_from([2] * 8 + [1, 3]))
    b = draw(batch)
    # Dot axes sizes stay known: Keras' build refuses None != 5 as well.
    shapes = [
        [b] + [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 3)))]
        for _ in range(n)
    ]
    r0, r1 = len(shapes[0]), len(shapes[-1])
    if n != 2 or draw(st.integers(0, 3)) == 0:
        # Anything, out-of-range and batch axes included.
        if draw(st.booleans()):
            axes = draw(st.integers(-4, 3))
        else:
            axes = (draw(st.integers(-3, 3)), draw(st.integers(-3, 3)))
    elif draw(st.booleans()):
        axes = draw(st.sampled_from(
            list(range(1, min(r0, r1))) + list(range(-1, -max(r0, r1), -1))
        ))
    else:
        axes = (
            draw(st.integers(1, r0 - 1)) * draw(st.sampled_from([1, 1, -1])),
            draw(st.integers(1, r1 - 1)) * draw(st.sampled_from([1, 1, -1])),
        )
    if isinstance(axes, int):
        pair = [axes % len(s) if axes < 0 else axes for s in shapes[:2]]
    else:
        pair = list(axes)
    if n == 2 and draw(st.integers(0, 3)) and all(
        -len(s) <= a < len(s) and a % len(s) for a, s in zip(pair, shapes)
    ):
        shapes[1][pair[1]] = shapes[0][pair[0]]  # usually a matching pair
    return [tuple(s) for s in shapes], axes, draw(st.booleans())


@SETTINGS
@given(dot_case())
def test_dot(keras, case):
    shapes, axes, normalize = case
    args = {"axes": axes, "normalize": normalize}

    def build():
        layer = keras.layers.Dot(**args)
        return layer, layer([_kt(s) for s in shapes])

    cfg = LayerConfig("Dot", args)
    if isinstance(axes, int):
        # Keras takes a negative int axis modulo each input's rank.
        pair = [axes % len(s) if axes < 0 else axes for s in shapes[:2]]
    else:
        pair = list(axes)
    if (
        len(shapes) == 2
        and all(-len(s) <= a < len(s) for a, s in zip(pair, shapes))
        and any(a % len(s) == 0 for a, s in zip(pair, shapes))
    ):
        # A dot over the batch axis: Keras' symbolic build lets it through,
        # but batch_dot refuses it as soon as the layer runs.
        assert isinstance(_shapelint(cfg, shapes), ShapeError)
        import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
        concrete = [np.ones([2] + list(s[1:]), "float32") for s in shapes]
        with pytest.raises(ValueError):
            keras.layers.Dot(**args)(concrete)
        return
    check(cfg, shapes, build)


def test_dot_examples():
    out = infer(LayerConfig("Dot", {"axes": (1, 2)}), [(None, 4, 5), (None, 3, 4)])
    assert out.shapes == [(None, 5, 3)]
    out = infer(LayerConfig("Dot", {"axes": 1}), [(None, 4), (None, 4)])
    assert out.shapes == [(None, 1)]
    # layers.dot() defaults to axes=-1.
    out = infer(LayerConfig("Dot", {}), [(None, 3, 4), (None, 5, 4)])
    assert out.shapes == [(None, 3, 5)]


def test_functional_forms():
    lookup("Add")  # loads the rules
    for name in ("concatenate", "add", "subtract", "multiply", "average",
                 "maximum", "minimum", "dot"):
        assert FUNCTIONS[name] == name.capitalize()
        assert lookup(FUNCTIONS[name]).inputs == "list"


# --- attention ---------------------------------------------------------------


@st.composite
def mha_case(draw):
    b = draw(batch)
    rank = draw(st.sampled_from([2, 3, 3, 3, 4]))
    query = (b,) + tuple(draw(maybe_none) for _ in range(rank - 2)) + (draw(sizes),)
    v_rank = draw(st.sampled_from([rank, rank, rank, 2, 3]))
    value = (b,) + tuple(draw(maybe_none) for _ in range(v_rank - 2)) + (draw(sizes),)
    key = None
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["same", "same", "other-last", "clash", "rank"]))
        if kind == "same":
            key = value
        elif kind == "other-last":
            key = value[:-1] + (draw(sizes),)
        elif kind == "clash" and len(value) > 2:
            # Known sizes only: Keras also refuses None vs 5, shapelint not.
            value = value[:1] + tuple(d or 3 for d in value[1:])
            key = value[:1] + tuple(d + 1 for d in value[1:-1]) + (draw(sizes),)
        else:
            key = value[:-1] + (2, draw(sizes))
    args = {"num_heads": draw(st.integers(1, 3)), "key_dim": draw(st.integers(1, 4))}
    if draw(st.booleans()):
        args["value_dim"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        args["output_shape"] = draw(
            st.one_of(sizes, st.lists(sizes, min_size=1, max_size=2).map(tuple))
        )
    for flag in ("use_bias", "use_gate"):
        if draw(st.booleans()):
            args[flag] = draw(st.booleans())
    if rank == 4 and v_rank == 4 and draw(st.booleans()):
        args["attention_axes"] = draw(st.sampled_from([(1, 2), (2,), 1]))
    call = {}
    if draw(st.booleans()):
        call["return_attention_scores"] = draw(st.booleans())
    return query, value, key, args, call


@SETTINGS
@given(mha_case())
def test_multi_head_attention(keras, case):
    query, value, key, args, call = case
    shapes = [query, value] + ([key] if key is not None else [])

    def build():
        layer = keras.layers.MultiHeadAttention(**args)
        k = _kt(key) if key is not None else None
        return layer, layer(_kt(query), _kt(value), key=k, **call)

    check(LayerConfig("MultiHeadAttention", args, call), shapes, build)


def test_multi_head_attention_examples():
    cfg = LayerConfig("MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
                      {"return_attention_scores": True})
    out = infer(cfg, [(None, 4, 5), (None, 7, 6)])
    # Keras declares (batch, heads, Tq, Tq) even though the key length is 7.
    assert out.shapes == [(None, 4, 5), (None, 2, 4, 4)]
    with pytest.raises(ShapeError) as info:
        infer(cfg, [(None, 4, 5), (None, 7, 6), (None, 8, 6)])
    assert info.value.kind == "merge-shape-mismatch"


@st.composite
def attention_case(draw):
    b = draw(batch)
    n = draw(st.sampled_from([2, 2, 3, 3, 1, 4]))
    shapes = []
    for _ in range(n):
        rank = draw(st.sampled_from([2, 3, 3, 3, 4]))
        shapes.append((b,) + tuple(draw(maybe_none) for _ in range(rank - 2)) + (draw(sizes),))
    cls = draw(st.sampled_from(["Attention", "AdditiveAttention"]))
    args = {}
    if draw(st.booleans()):
        args["use_scale"] = draw(st.booleans())
    if cls == "Attention" and draw(st.booleans()):
        args["score_mode"] = draw(st.sampled_from(["dot", "concat"]))
    call = {}
    if draw(st.booleans()):
        call["return_attention_scores"] = draw(st.booleans())
    return cls, shapes, args, call


@SETTINGS
@given(attention_case())
def test_attention(keras, case):
    cls, shapes, args, call = case

    def build():
        layer = getattr(keras.layers, cls)(**args)
        return layer, layer([_kt(s) for s in shapes], **call)

    check(LayerConfig(cls, args, call), shapes, build)


# --- wrappers ----------------------------------------------------------------


@st.composite
def time_distributed_case(draw):
    inner = draw(st.sampled_from(["Dense", "Dense", "Flatten", "Dropout", "LSTM", "Embedding"]))
    b = draw(batch)
    if inner == "LSTM":
        # Keras *builds* (does not call) the LSTM on the step shape, so
        # TimeDistributed(LSTM) on a 5-D input, or on a 3-D input with a
        # static batch size (taken for the features), passes Keras' build and
        # fails when run; shapelint reports it (see the example test).
        rank = draw(st.sampled_from([2, 3, 4]))
        b = None
    else:
        rank = draw(st.sampled_from([2, 3, 3, 4, 5]))
    shape = (b,) + tuple(draw(maybe_none) for _ in range(max(rank - 2, 0))) + (draw(sizes),)
    if rank > 2:
        # The inner layer's own axes: the last one stays known (kernels).
        shape = shape[:2] + tuple(draw(sizes) for _ in range(rank - 2))
    args = {
        "Dense": lambda: {"units": draw(st.integers(1, 5))},
        "Flatten": dict,
        "Dropout": lambda: {"rate": 0.5},
        "LSTM": lambda: {"units": draw(st.integers(1, 4))},
        "Embedding": lambda: {"input_dim": 10, "output_dim": draw(sizes)},
    }[inner]()
    return inner, args, shape


@SETTINGS
@given(time_distributed_case())
def test_time_distributed(keras, case):
    inner, args, shape = case
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig(inner, dict(args))})

    def build():
        layer = keras.layers.TimeDistributed(getattr(keras.layers, inner)(**args))
        return layer, layer(_kt(shape))

    check(cfg, [shape], build)


@st.composite
def bidirectional_case(draw):
    cls, args = draw(rnn_config())
    args.pop("go_backwards", None)
    merge_mode = draw(st.sampled_from(["concat", "sum", "mul", "ave", None, "default"]))
    backward = None
    if draw(st.integers(0, 2)) == 0:
        # With states, keep one class (an LSTM has two states, a GRU one).
        b_cls = cls if args.get("return_state") else draw(rnn_classes)
        b_cls, b_args = draw(rnn_config(b_cls))
        b_args["go_backwards"] = True
        for flag in ("return_sequences", "return_state"):
            if draw(st.integers(0, 5)):  # usually consistent, sometimes not
                b_args[flag] = args.get(flag, False)
        backward = (b_cls, b_args)
    shape = draw(sequence_shape(ranks=(2, 3, 3, 3, 4)))
    return cls, args, merge_mode, backward, shape


@SETTINGS
@given(bidirectional_case())
def test_bidirectional(keras, case):
    cls, args, merge_mode, backward, shape = case
    wargs = {"layer": LayerConfig(cls, dict(args))}
    kw = {}
    if merge_mode != "default":
        wargs["merge_mode"] = merge_mode
        kw["merge_mode"] = merge_mode
    if backward is not None:
        wargs["backward_layer"] = LayerConfig(backward[0], dict(backward[1]))

    def build():
        if backward is not None:
            kw["backward_layer"] = getattr(keras.layers, backward[0])(**backward[1])
        layer = keras.layers.Bidirectional(getattr(keras.layers, cls)(**args), **kw)
        return layer, layer(_kt(shape))

    check(LayerConfig("Bidirectional", wargs), [shape], build)


def test_time_distributed_lstm_on_3d_is_reported(keras):
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig("LSTM", {"units": 4})})
    with pytest.raises(ShapeError) as info:
        infer(cfg, [(2, 5, 3)])
    assert info.value.kind == "incompatible-input-rank"
    # Keras builds it (kernel from the batch size!) but it fails when run.
    layer = keras.layers.TimeDistributed(keras.layers.LSTM(4))
    assert tuple(layer(_kt((2, 5, 3))).shape) == (2, 5, 4)
    import numpy as np  # it comes with Keras; pylint: disable=import-outside-toplevel
    with pytest.raises(Exception):  # pylint: disable=broad-exception-caught
        keras.layers.TimeDistributed(keras.layers.LSTM(4))(np.ones((2, 5, 3), "float32"))


def test_bidirectional_examples():
    cfg = LayerConfig("Bidirectional", {"layer": LayerConfig("LSTM", {"units": 8, "return_sequences": True})})
    out = infer(cfg, [(None, 10, 3)])
    assert out.shapes == [(None, 10, 16)]
    assert out.params == 2 * 4 * (3 * 8 + 8 * 8 + 8)
    cfg = LayerConfig("TimeDistributed", {"layer": LayerConfig("Dense", {"units": 4})})
    assert infer(cfg, [(None, 5, 3)]).shapes == [(None, 5, 4)]
    with pytest.raises(ShapeError):
        infer(cfg, [(None, 3)])


# --- EinsumDense --------------------------------------------------------------

# (equation, output_shape builder, bias choices, input rank)
EINSUM = [
    ("ab,bc->ac", lambda d, t: (d,), [None, "c"], 2),
    ("abc,cd->abd", lambda d, t: (t, d), [None, "d"], 3),
    ("abc,cde->abde", lambda d, t: (t, 2, d), [None, "de", "e"], 3),
    ("abc,cd->abd", lambda d, t: (None, d), [None, "d"], 3),
    ("...b,bc->...c", lambda d, t: d, [None, "c"], 3),
    ("abcd,cde->abe", lambda d, t: (t, d), [None, "e"], 4),
    ("ab...,bc->ac...", lambda d, t: (d,), [None, "c"], 3),
]


@SETTINGS
@given(
    st.sampled_from(EINSUM), sizes, sizes, st.data(),
)
def test_einsum_dense(keras, spec, d, t, data):
    equation, make_out, biases, rank = spec
    rank = data.draw(st.sampled_from([rank, rank, rank, rank - 1, rank + 1]), label="rank")
    shape = (data.draw(batch),) + tuple(data.draw(sizes) for _ in range(max(rank - 1, 0)))
    if data.draw(st.booleans()) and len(shape) > 1:
        t = shape[1]  # make the shared axis match
    args = {"equation": equation, "output_shape": make_out(d, t),
            "bias_axes": data.draw(st.sampled_from(biases))}

    def build():
        layer = keras.layers.EinsumDense(**args)
        return layer, layer(_kt(shape))

    check(LayerConfig("EinsumDense", args), [shape], build)


def test_symbolic_sizes():
    from shapelint.shapes import dims  # pylint: disable=import-outside-toplevel

    h = dims.symbol("h")
    out = infer(LayerConfig("Concatenate", {}), [(None, h, 4), (None, h, 3)])
    assert out.shapes == [(None, h, 7)]
    out = infer(LayerConfig("Concatenate", {"axis": 1}), [(None, h, 4), (None, 2, 4)])
    assert out.shapes == [(None, h + 2, 4)]
    with pytest.raises(ShapeError):
        infer(LayerConfig("Add", {}), [(None, h, 4), (None, h + 1, 4)])
    # Cannot be told apart: no finding, unknown size.
    assert infer(LayerConfig("Add", {}), [(None, h, 4), (None, 5, 4)]).shapes == [(None, None, 4)]
    out = infer(LayerConfig("Bidirectional", {"layer": LayerConfig("GRU", {"units": 4, "return_sequences": True})}),
                [(None, h, 3)])
    assert out.shapes == [(None, h, 8)] and out.params == 2 * 108
