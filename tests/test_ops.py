"""ops.op_result against the real thing: keras.ops.* on KerasTensors, and
tensorflow.* under tf.function with None-dim placeholders.

Invariants checked on every case: an int dim equals the truth, the rank
agrees whenever a shape is returned, and an exact result equals the truth
(None where it has None).  Where Keras/TensorFlow refuse, shapelint must not
claim an exact shape; where shapelint says they refuse (``Refused``: a
finding), they must raise."""
import functools
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

from shapelint.frontend.library.tensor_ops import (  # noqa: E402
    Outputs, Refused, broadcast, op_result, op_shape, reduced_shape)
from shapelint.shapes import dims  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402


class T:
    """A stand-in for a symbolic tensor of the analysed program."""

    def __init__(self, shape, dtype="float32", exact=True):
        self.shape, self.dtype, self.exact = tuple(shape), dtype, exact

    def __repr__(self):
        return f"T{self.shape}"


DYN = object()  # a run-time size: ops.shape(x)[0] / tf.shape(x)[0] of a batch axis
RAISES = "raises"
UNKNOWN_RANK = "unknown rank"
REFUSED = "refused"  # ours: the rule raised Refused (shapelint reports the call)


def _ours(qual, args, kwargs):
    def conv(v):
        if v is DYN:
            return None
        if isinstance(v, (list, tuple)):
            return type(v)(conv(e) for e in v)
        return v
    try:
        return op_result(qual, conv(list(args)), {k: conv(v) for k, v in kwargs.items()},
                         lambda v: v.shape if isinstance(v, T) else None,
                         lambda v: isinstance(v, T) and v.exact)
    except Refused:
        return REFUSED, False


def _resolve(qual):
    root, *rest = qual.split(".")
    return functools.reduce(getattr, rest, tf if root == "tensorflow" else keras)


def _keras_truth(qual, args, kwargs):
    def conv(v):
        if isinstance(v, T):
            return keras.KerasTensor(v.shape, dtype=v.dtype)
        if v is DYN:
            return None
        if isinstance(v, (list, tuple)):
            return type(v)(conv(e) for e in v)
        return v
    try:
        out = _resolve(qual)(*conv(list(args)), **{k: conv(v) for k, v in kwargs.items()})
    except Exception:  # pylint: disable=broad-except
        return RAISES
    if isinstance(out, (tuple, list)):  # several tensors (moments): a list of their shapes
        return [tuple(o.shape) for o in out]
    return tuple(out.shape)


def _tf_truth(qual, args, kwargs):
    tensors = []

    def collect(v):
        if isinstance(v, T):
            tensors.append(v)
        elif isinstance(v, (list, tuple)):
            for e in v:
                collect(e)
    collect(list(args) + list(kwargs.values()))
    specs = [tf.TensorSpec(t.shape, t.dtype) for t in tensors] + [tf.TensorSpec((None,))]

    @tf.function(input_signature=specs)
    def fn(*placeholders):
        by_id = {id(t): p for t, p in zip(tensors, placeholders)}

        def conv(v):
            if isinstance(v, T):
                return by_id[id(v)]
            if v is DYN:
                return tf.shape(placeholders[-1])[0]
            if isinstance(v, (list, tuple)):
                return type(v)(conv(e) for e in v)
            return v
        return _resolve(qual)(*conv(list(args)), **{k: conv(v) for k, v in kwargs.items()})
    try:
        outputs = fn.get_concrete_function().structured_outputs
    except Exception:  # pylint: disable=broad-except
        return RAISES
    if isinstance(outputs, (tuple, list)):  # several tensors (moments): a list of their shapes
        return [UNKNOWN_RANK if o.shape.rank is None else tuple(o.shape) for o in outputs]
    shape = outputs.shape
    return UNKNOWN_RANK if shape.rank is None else tuple(shape)


def check(qual, args, kwargs=None, must_be_exact=False):
    kwargs = kwargs or {}
    truth = (_tf_truth if qual.startswith("tensorflow.") else _keras_truth)(qual, args, kwargs)
    shape, exact = _ours(qual, args, kwargs)
    if shape == REFUSED:  # a finding: a false alarm unless the op really raises
        assert truth == RAISES, f"{qual}{tuple(args)}{kwargs}: shapelint refuses it, truth {truth}"
        return truth
    if isinstance(truth, list):  # an op returning several tensors: each checked alone
        context = f"{qual}{tuple(args)}{kwargs}: ours {shape} exact={exact}, truth {truth}"
        assert shape is None or isinstance(shape, Outputs) and len(shape) == len(truth), context
        for i, one in enumerate(truth):
            _check_one(context, one, None if shape is None else shape[i], exact, must_be_exact)
        return truth
    if isinstance(shape, Outputs):
        assert truth == RAISES and not exact, f"{qual}: ours {shape}, truth {truth}"
        return truth
    return _check_one(f"{qual}{tuple(args)}{kwargs}: ours {shape} exact={exact}, truth {truth}",
                      truth, shape, exact, must_be_exact)


def _check_one(context, truth, shape, exact, must_be_exact):
    if truth in (RAISES, UNKNOWN_RANK):
        assert not exact, context
        assert shape is None or truth == RAISES, context
        return truth
    if shape is not None:
        assert len(shape) == len(truth), context
        assert all(t == d for d, t in zip(shape, truth) if isinstance(d, int)), context
    if exact:
        assert shape == truth, context
    if must_be_exact:
        assert exact, context
    return truth


# ----------------------------------------------------------------- Keras ops
B = None  # a batch axis
KERAS_CASES = [
    # reshape: a -1 next to a dynamic size stays None, as Keras says
    ("keras.ops.reshape", [T((B, 6, 4)), (-1, 4)], {}),
    ("keras.ops.reshape", [T((B, 6, 4)), (DYN, -1, 4)], {}),
    ("keras.ops.reshape", [T((B, 6, 4)), (DYN, 24)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (-1, 24)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (-1,)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (5, -1)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (7, 3)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (-1, -1)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (DYN, 24)], {}),
    ("keras.ops.numpy.reshape", [T((B, None, 4)), (DYN, -1, 2, 2)], {}),
    ("keras.ops.expand_dims", [T((B, 5)), 1], {}),
    ("keras.ops.expand_dims", [T((B, 5)), -1], {}),
    ("keras.ops.expand_dims", [T((B, 5)), (0, -1)], {}),
    ("keras.ops.expand_dims", [T((B, 5)), 3], {}),
    ("keras.ops.transpose", [T((B, 5, 3))], {}),
    ("keras.ops.transpose", [T((B, 5, 3)), (0, 2, 1)], {}),
    ("keras.ops.transpose", [T((B, 5, 3))], {"axes": (0, -1, 1)}),
    ("keras.ops.transpose", [T((B, 5, 3)), (0, 1)], {}),
    ("keras.ops.tile", [T((B, 5)), (2, 3)], {}),
    ("keras.ops.tile", [T((B, 5)), 3], {}),
    ("keras.ops.tile", [T((B, 5)), (2, 1, 3)], {}),
    ("keras.ops.tile", [T((B, 5)), (2, DYN)], {}),
    ("keras.ops.concatenate", [[T((B, 5)), T((B, 3))]], {"axis": -1}),
    ("keras.ops.concatenate", [[T((B, 5)), T((3, None))]], {"axis": -1}),
    ("keras.ops.concatenate", [[T((4, 5)), T((3, 5))]], {}),
    ("keras.ops.concatenate", [[T((4, 5)), T((3, 2))]], {"axis": -1}),
    ("keras.ops.concatenate", [[T((4, 5)), T((4, 2, 1))]], {"axis": -1}),
    ("keras.ops.stack", [[T((B, 5)), T((3, None))]], {"axis": -1}),
    ("keras.ops.stack", [[T((B, 5)), T((B, 5)), T((B, 5))]], {"axis": 1}),
    ("keras.ops.stack", [[T((4, 5)), T((4, 6))]], {}),
    ("keras.ops.mean", [T((B, 5, 3)), 1], {}),
    ("keras.ops.sum", [T((B, 5, 3))], {"axis": (1, -1), "keepdims": True}),
    ("keras.ops.max", [T((B, 5, 3))], {}),
    ("keras.ops.min", [T((B, 5, 3))], {"keepdims": True}),
    ("keras.ops.std", [T((B, 5, 3)), -1], {}),
    ("keras.ops.argmax", [T((B, 5, 3))], {"axis": -1}),
    ("keras.ops.argmax", [T((B, 5, 3))], {}),
    ("keras.ops.any", [T((B, 5, 3), "bool"), 0], {}),
    ("keras.ops.logsumexp", [T((B, 5, 3))], {"axis": 1, "keepdims": True}),
    ("keras.ops.norm", [T((B, 5, 3))], {}),
    ("keras.ops.norm", [T((B, 5, 3))], {"axis": -1, "keepdims": True}),
    ("keras.ops.norm", [T((B, 5, 3))], {"axis": (1, 2)}),
    ("keras.ops.one_hot", [T((B, 5), "int32"), 7], {}),
    ("keras.ops.one_hot", [T((B, 5), "int32"), 7], {"axis": 1}),
    ("keras.ops.one_hot", [T((B, 5), "int32"), 7], {"axis": 2}),
    ("keras.ops.nn.one_hot", [T((B,), "int32")], {"num_classes": 3}),
    ("keras.ops.squeeze", [T((B, 1, 4))], {}),
    ("keras.ops.squeeze", [T((B, 1, 4)), 1], {}),
    ("keras.ops.squeeze", [T((B, 1, 4)), 0], {}),
    ("keras.ops.squeeze", [T((3, 1, 4)), 2], {}),
    ("keras.ops.argsort", [T((B, 5, 3))], {}),
    ("keras.ops.argsort", [T((B, 5, 3))], {"axis": None}),
    ("keras.ops.argsort", [T((2, 5, 3))], {"axis": None}),
    ("keras.ops.numpy.sort", [T((B, 5, 3)), 1], {}),
    ("keras.ops.sort", [T((B, 5, 3))], {"axis": 3}),
    ("keras.ops.flip", [T((B, 5, 3))], {}),
    ("keras.ops.flip", [T((B, 5, 3))], {"axis": (1, 2)}),
    ("keras.ops.flip", [T((B, 5, 3))], {"axis": 4}),
    ("keras.ops.roll", [T((B, 5, 3)), 2], {}),
    ("keras.ops.roll", [T((B, 5, 3)), 2], {"axis": -1}),
    ("keras.ops.roll", [T((B, 5, 3)), 2, 3], {}),
    ("keras.ops.moveaxis", [T((B, 5, 3, 2)), 1, -1], {}),
    ("keras.ops.moveaxis", [T((B, 5, 3, 2)), [0, 1], [2, 0]], {}),
    ("keras.ops.moveaxis", [T((B, 5, 3)), 3, 0], {}),
    ("keras.ops.ravel", [T((B, 5, 3))], {}),
    ("keras.ops.ravel", [T((2, 5, 3))], {}),
    ("keras.ops.glu", [T((B, 5, 6))], {}),
    ("keras.ops.glu", [T((B, 5, 6))], {"axis": 1}),
    ("keras.ops.nn.glu", [T((B, 5, None))], {}),
    ("keras.ops.layer_normalization", [T((B, 5, 6))], {}),
    ("keras.ops.rms_normalization", [T((B, 5, 6))], {"axis": 1}),
    ("keras.ops.dot_product_attention", [T((B, 5, 2, 8)), T((B, 7, 2, 8)), T((B, 7, 2, 8))], {}),
    ("keras.ops.matmul", [T((B, 9, 8)), T((8, 3))], {}),
    ("keras.ops.matmul", [T((B, 9, 8)), T((8,))], {}),
    ("keras.ops.matmul", [T((8,)), T((B, 8, 3))], {}),
    ("keras.ops.matmul", [T((B, 9, 8)), T((B, 8, 3))], {}),
    ("keras.ops.matmul", [T((B, 9, 8)), T((7, 3))], {}),
    ("keras.ops.matmul", [T((2, 9, 8)), T((3, 8, 3))], {}),
    ("keras.ops.einsum", ["bij,jk->bik", T((B, 9, 8)), T((8, 3))], {}),
    ("keras.ops.einsum", ["bij,bkj->bik", T((B, 9, 8)), T((2, 7, 8))], {}),
    ("keras.ops.einsum", ["...ij,jk", T((B, 9, 8)), T((8, 3))], {}),
    ("keras.ops.einsum", ["ij->", T((4, 3))], {}),
    ("keras.ops.einsum", ["ij->ji", T((B, 3))], {}),
    ("keras.ops.einsum", ["bhqd,bhkd->bhqk", T((B, 4, 10, 8)), T((B, 4, None, 8))], {}),
    ("keras.ops.image.extract_patches", [T((B, 9, None, 3)), 3], {"strides": 2}),
    ("keras.ops.image.extract_patches", [T((B, 9, 8, 3)), (3, 3)], {}),
    ("keras.ops.image.extract_patches", [T((9, 8, 3)), (2, 2)], {"padding": "same", "strides": 3}),
    ("keras.ops.image.extract_patches", [T((B, 9, 8, 3)), 3], {"dilation_rate": 2, "strides": 1}),
    ("keras.ops.image.extract_patches", [T((B, 9, 8, None)), 3], {}),
    ("keras.ops.image.extract_patches", [T((B, 2, 8, 3)), 3], {}),
    ("keras.ops.image.resize", [T((B, 5, 5, 3)), (7, 9)], {}),
    ("keras.ops.image.resize", [T((5, None, 3)), (7, 9)], {"interpolation": "nearest"}),
    ("keras.ops.image.resize", [T((B, 5)), (7, 9)], {}),
    ("keras.ops.repeat", [T((B, 9, 8)), 2], {"axis": 1}),
    ("keras.ops.repeat", [T((B, 9, 8)), 2], {"axis": -1}),
    ("keras.ops.repeat", [T((B, 9, 8)), 2], {"axis": 0}),
    ("keras.ops.repeat", [T((B, 2)), [1, 3]], {"axis": 1}),
    ("keras.ops.repeat", [T((2, 3)), 2], {}),
    ("keras.ops.repeat", [T((B, 3)), 2], {}),
    ("keras.ops.take", [T((B, 5, 4)), [0, 1]], {"axis": 1}),
    ("keras.ops.take", [T((B, 5, 4)), [0, 1]], {}),
    ("keras.ops.take", [T((B, 5, 4)), 2], {"axis": -2}),
    ("keras.ops.take", [T((B, 5, 4)), T((B, 3), "int32")], {"axis": 1}),
    ("keras.ops.take", [T((B, 5, 4)), [[0, 1], [2, 3]]], {"axis": 2}),
    ("keras.ops.pad", [T((B, 9, 8)), [(0, 0), (1, 1), (2, 2)]], {}),
    ("keras.ops.pad", [T((B, 9, 8)), [(1, 2)]], {}),
    ("keras.ops.pad", [T((B, 9, 8)), 2], {}),
    ("keras.ops.pad", [T((B, 9, 8)), (1, 3)], {}),
    ("keras.ops.pad", [T((B, 9, 8)), [(1, 1), (2, 2)]], {}),
    ("keras.ops.cumsum", [T((2, 9, 8))], {}),
    ("keras.ops.cumsum", [T((B, 9, 8))], {}),
    ("keras.ops.cumsum", [T((B, 9, 8))], {"axis": 1}),
    ("keras.ops.cumprod", [T((B, 9, 8)), -1], {}),
    ("keras.ops.where", [T((B, 1), "bool"), T((1, 5)), T((5,))], {}),
    ("keras.ops.where", [T((B, 1), "bool"), T((1, 5)), 0.0], {}),
    ("keras.ops.where", [T((B, 1), "bool"), T((B, 1)), T((B, 1))], {}),
    ("keras.ops.cast", [T((B, 5)), "int32"], {}),
    ("keras.ops.softmax", [T((B, 5, 2))], {"axis": 1}),
    ("keras.ops.nn.log_softmax", [T((B, 5))], {}),
    ("keras.ops.convert_to_tensor", [T((B, 5))], {}),
    ("keras.ops.sqrt", [T((B, 5))], {}),
    ("keras.ops.clip", [T((B, 5)), 0.0, 1.0], {}),
    ("keras.ops.normalize", [T((B, 5))], {"axis": -1}),
    ("keras.activations.gelu", [T((B, 5))], {}),
    ("keras.ops.stop_gradient", [T((B, 5))], {}),
    ("keras.ops.add", [T((B, 1)), T((1, None))], {}),
    ("keras.ops.add", [T((B, 1)), T((4, 7))], {}),
    ("keras.ops.multiply", [T((B, 5)), 2.0], {}),
    ("keras.ops.subtract", [T((3, 5)), T((4, 5))], {}),
    ("keras.ops.maximum", [T((5,)), T((B, 1, 1))], {}),
    ("keras.ops.greater", [T((B, 5)), T((5,))], {}),
    # issue 13: moments (a pair), convolutions, segments, floor_divide, reshape's keyword
    ("keras.ops.moments", [T((B, 5, 3)), [1]], {}),
    ("keras.ops.moments", [T((B, 5, 3))], {"axes": [1, 2], "keepdims": True}),
    ("keras.ops.nn.moments", [T((B, 5, 3)), [0, -1]], {}),
    ("keras.ops.moments", [T((B, 5, 3)), [3]], {}),
    ("keras.ops.conv", [T((B, 9, 9, 3)), T((3, 3, 3, 8))], {}),
    ("keras.ops.conv", [T((B, 9, 9, 3)), T((3, 3, 3, 8))], {"strides": 2, "padding": "same"}),
    ("keras.ops.conv", [T((B, None, 9, 3)), T((3, 2, 3, 8))], {"dilation_rate": (2, 1)}),
    ("keras.ops.conv", [T((B, 20, 4)), T((5, 4, 6))], {"strides": 3}),
    ("keras.ops.conv", [T((B, 6, 6, 6, 2)), T((3, 3, 3, 2, 4))], {"padding": "same"}),
    ("keras.ops.conv", [T((B, 9, 9, 4)), T((3, 3, 2, 8))], {}),
    ("keras.ops.conv", [T((B, 9, 9, 3)), T((3, 3, 2, 8))], {}),
    ("keras.ops.conv", [T((B, 2, 2, 3)), T((3, 3, 3, 8))], {}),
    ("keras.ops.nn.depthwise_conv", [T((B, 9, 9, 3)), T((3, 3, 3, 2))], {}),
    ("keras.ops.depthwise_conv", [T((B, 9, 9, 3)), T((3, 3, 3, 2))], {"strides": 2, "padding": "same"}),
    ("keras.ops.depthwise_conv", [T((B, 20, 4)), T((5, 4, 1))], {}),
    ("keras.ops.segment_sum", [T((10, 4)), T((10,), "int32")], {"num_segments": 3}),
    ("keras.ops.segment_sum", [T((B, 4, 2)), T((B,), "int32"), 5], {}),
    ("keras.ops.segment_max", [T((10, 4)), T((10,), "int32")], {"num_segments": 3}),
    ("keras.ops.floor_divide", [T((B, 5)), T((5,))], {}),
    ("keras.ops.reshape", [T((B, 6, 4))], {"newshape": (-1, 4)}),
    ("keras.ops.reshape", [T((2, 6, 4))], {"newshape": (3, -1)}),
    ("keras.ops.reshape", [T((B, 6, 4))], {"new_shape": (-1, 4)}),  # Keras 3.15 rejects the keyword
    ("keras.ops.reshape", [T((B, 6, 4))], {"shape": (-1, 4)}),
    # ops met in custom layers' call(): complex parts, swapaxes, mod, top_k
    ("keras.ops.real", [T((B, 5, 3), "complex64")], {}),
    ("keras.ops.imag", [T((B, 5, 3))], {}),
    ("keras.ops.conj", [T((B, 5, 3), "complex64")], {}),
    ("keras.ops.angle", [T((B, 5, 3), "complex64")], {}),
    ("keras.ops.swapaxes", [T((B, 5, 3)), -1, -2], {}),
    ("keras.ops.numpy.swapaxes", [T((B, 5, 3))], {"axis1": 0, "axis2": 2}),
    ("keras.ops.swapaxes", [T((B, 5, 3)), 0, 3], {}),
    ("keras.ops.mod", [T((B, 5, 3), "int32"), T((5, 1), "int32")], {}),
    ("keras.ops.mod", [T((B, 5), "int32"), 3], {}),
    ("keras.ops.top_k", [T((B, 5)), 3], {}),
    ("keras.ops.top_k", [T((B, 5))], {"k": 7}),
    ("keras.ops.top_k", [T((B, None)), 3], {}),
    ("keras.ops.top_k", [T((5,)), 2], {}),
    ("keras.ops.top_k", [T(()), 2], {}),
    ("keras.ops.concatenate", [[T((B, 8, 2, 4)), T((B, 8, 4, 2))]], {"axis": 1}),
    ("keras.ops.concatenate", [[T((B, None)), T((B, 4)), T((B, 2))]], {"axis": 0}),
    ("keras.ops.stack", [[T((B, 8, 2)), T((B, 8, 4))]], {"axis": 1}),
]


# Element-wise ops of one namespace (session 12): each on a (None, 5, 3) tensor, the binary ones
# against a (5, 1) one (and a (4, 1) one they refuse); bitwise and integer ones on ints.
_INT_OPS = {"gcd", "lcm"}
_EXTRA_ARGS = {"saturate_cast": ["int32"], "threshold": [0.5, 0.0], "nan_to_num": [], "polygamma": []}
KERAS_CASES += [
    (f"keras.ops.{name}", [T((B, 5, 3))] + _EXTRA_ARGS.get(name, []), {})
    for name in sorted(__import__("shapelint.frontend.library.tensor_ops", fromlist=["x"]).KERAS_UNARY)
] + [
    (f"keras.ops.{name}", [T((B, 5, 3), dtype), T(shape, dtype)], {})
    for name in sorted(__import__("shapelint.frontend.library.tensor_ops", fromlist=["x"]).KERAS_BINARY)
    for dtype in ["int32" if name in _INT_OPS else "float32"]
    for shape in [(5, 1), (4, 1)]
]


@pytest.mark.parametrize("qual,args,kwargs", KERAS_CASES, ids=lambda v: str(v)[:40])
def test_keras_ops_agree_with_keras(qual, args, kwargs):
    check(qual, args, kwargs)


# ---------------------------------------------------------- TensorFlow ops
TF_CASES = [
    # TensorFlow also leaves a -1 next to a dynamic size None ...
    ("tensorflow.reshape", [T((B, 6, 4)), [DYN, -1, 4]], {}),
    ("tensorflow.reshape", [T((B, 6, 4)), [-1, 4]], {}),
    ("tensorflow.reshape", [T((B, 6, 4)), [6, -1]], {}),
    ("tensorflow.reshape", [T((B, None, 4)), [DYN, -1, 2, 2]], {}),
    # ... but resolves a single dynamic size of a fully known input
    ("tensorflow.reshape", [T((2, 6, 4)), [DYN, 24]], {}),
    ("tensorflow.reshape", [T((2, 6, 4)), [DYN, -1]], {}),
    ("tensorflow.reshape", [T((2, 6, 4)), [-1, 5]], {}),
    ("tensorflow.reshape", [T((2, 6, 4)), [3, -1]], {}),
    ("tensorflow.reshape", [T((2, 6, 4))], {"shape": [2, 24]}),
    ("tensorflow.expand_dims", [T((B, 5)), 1], {}),
    ("tensorflow.expand_dims", [T((B, 5))], {"axis": -1}),
    ("tensorflow.expand_dims", [T((B, 5)), 3], {}),
    ("tensorflow.transpose", [T((B, 5, 3))], {}),
    ("tensorflow.transpose", [T((B, 5, 3))], {"perm": [0, 2, 1]}),
    ("tensorflow.transpose", [T((B, 5, 3)), [0, -1, 1]], {}),
    ("tensorflow.tile", [T((B, 5)), [2, 3]], {}),
    ("tensorflow.tile", [T((B, 5)), [1, DYN]], {}),
    ("tensorflow.tile", [T((B, 5)), [2, 2, 2]], {}),
    ("tensorflow.concat", [[T((B, 5)), T((3, None))], -1], {}),
    ("tensorflow.concat", [[T((B, 5, 3)), T((B, None, 3))]], {"axis": 0}),
    ("tensorflow.concat", [[T((B, 5)), T((B, 6))], 0], {}),
    ("tensorflow.stack", [[T((B, 5)), T((3, None))]], {"axis": 1}),
    ("tensorflow.stack", [[T((B, 5)), T((B, 5))]], {"axis": -1}),
    ("tensorflow.reduce_sum", [T((B, 5, 3)), 1], {}),
    ("tensorflow.math.reduce_mean", [T((B, 5, 3))], {"axis": [1, -1], "keepdims": True}),
    ("tensorflow.reduce_max", [T((B, 5, 3))], {}),
    ("tensorflow.math.reduce_std", [T((B, 5, 3)), -1, True], {}),
    ("tensorflow.math.reduce_variance", [T((B, 5, 3)), 0], {}),
    ("tensorflow.reduce_logsumexp", [T((B, 5, 3))], {"axis": 3}),
    ("tensorflow.argmax", [T((B, 5, 3))], {}),
    ("tensorflow.math.argmin", [T((B, 5, 3)), -1], {}),
    ("tensorflow.norm", [T((B, 5, 3))], {}),
    ("tensorflow.norm", [T((B, 5, 3))], {"keepdims": True}),
    ("tensorflow.norm", [T((B, 5, 3))], {"axis": -1}),
    ("tensorflow.linalg.norm", [T((B, 5, 3))], {"axis": [1, 2]}),
    ("tensorflow.one_hot", [T((B, 5), "int32"), 7], {}),
    ("tensorflow.one_hot", [T((B, 5), "int32"), 7], {"axis": 0}),
    ("tensorflow.one_hot", [T((B, 5), "int32"), 7], {"axis": 2}),
    ("tensorflow.one_hot", [T((B, 5), "int32"), 7], {"axis": -2}),
    ("tensorflow.squeeze", [T((B, 1, 4))], {}),
    ("tensorflow.squeeze", [T((3, 1, 4))], {}),
    ("tensorflow.squeeze", [T((B, 1, 4)), 0], {}),
    ("tensorflow.squeeze", [T((B, 1, 4))], {"axis": [1]}),
    ("tensorflow.squeeze", [T((B, 3, 4)), 1], {}),
    ("tensorflow.squeeze", [T((2, 1, 4)), []], {}),
    ("tensorflow.matmul", [T((B, 5, 3)), T((B, 5, 3))], {"transpose_b": True}),
    ("tensorflow.matmul", [T((B, 5)), T((5, None))], {}),
    ("tensorflow.linalg.matmul", [T((B, 4, 5)), T((5, 3))], {}),
    ("tensorflow.matmul", [T((B, 4, 5)), T((4, 3))], {"transpose_a": True}),
    ("tensorflow.matmul", [T((B, 4, 5)), T((4, 3))], {}),
    ("tensorflow.einsum", ["bij,bkj->bik", T((B, 5, 3)), T((B, 7, 3))], {}),
    ("tensorflow.einsum", ["ij,ik->ijk", T((B, 5)), T((3, None))], {}),
    ("tensorflow.linalg.einsum", ["bij,jk->bik", T((B, 9, 8)), T((8, 3))], {}),
    ("tensorflow.nn.depth_to_space", [T((B, None, 4, 8)), 2], {}),
    ("tensorflow.nn.depth_to_space", [T((B, 4, 6, 8)), 2], {}),
    ("tensorflow.nn.depth_to_space", [T((B, 4, 6, 6)), 2], {}),
    ("tensorflow.nn.space_to_depth", [T((B, 4, 6, 8)), 2], {}),
    ("tensorflow.nn.space_to_depth", [T((B, None, 4, 8))], {"block_size": 2}),
    ("tensorflow.nn.space_to_depth", [T((B, 5, 4, 8)), 2], {}),
    ("tensorflow.image.extract_patches", [T((B, 9, 8, 3)), [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"], {}),
    ("tensorflow.image.extract_patches", [T((B, 9, None, 3))],
     {"sizes": [1, 3, 3, 1], "strides": [1, 2, 2, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ("tensorflow.image.extract_patches", [T((B, 9, 8, 3)), [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"], {}),
    ("tensorflow.image.extract_patches", [T((B, 9, 8, 3)), [1, 3, 3, 1], [1, 1, 1, 1], [1, 2, 2, 1], "VALID"], {}),
    ("tensorflow.image.resize", [T((B, 9, None, 3)), (5, 6)], {}),
    ("tensorflow.image.resize", [T((9, None, 3)), [5, 6]], {}),
    ("tensorflow.image.resize", [T((B, 9, 8, 3)), [DYN, 6]], {}),
    ("tensorflow.image.resize", [T((B, 5, 7, 3)), (4, 4)], {"preserve_aspect_ratio": True}),
    ("tensorflow.repeat", [T((B, 5, 3)), 2], {"axis": 1}),
    ("tensorflow.repeat", [T((B, 5, 3)), 2], {"axis": 0}),
    ("tensorflow.repeat", [T((2, 5, 3)), 2], {}),
    ("tensorflow.repeat", [T((B, 2)), [1, 3]], {"axis": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), [0, 2]], {}),
    ("tensorflow.gather", [T((B, 5, 3)), [0, 2]], {"axis": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"axis": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), [[0, 1], [1, 2]]], {"axis": -1}),
    ("tensorflow.pad", [T((B, 5, 3)), [[0, 0], [1, 2], [0, 1]]], {}),
    ("tensorflow.pad", [T((B, 5, 3)), [[0, 0], [1, DYN], [0, 1]]], {}),
    ("tensorflow.pad", [T((B, 5, 3)), [[1, 2]]], {}),
    ("tensorflow.cumsum", [T((B, 5, 3))], {}),
    ("tensorflow.math.cumsum", [T((B, 5, 3))], {"axis": 2, "reverse": True}),
    ("tensorflow.where", [T((B, 5, 1), "bool"), T((B, 5, 1)), T((5, 3))], {}),
    ("tensorflow.where", [T((B, 5, 1), "bool"), 1.0, T((B, 4))], {}),
    ("tensorflow.cast", [T((B, 5)), "int32"], {}),
    ("tensorflow.nn.softmax", [T((B, 5))], {}),
    ("tensorflow.nn.relu", [T((B, 5, None))], {}),
    ("tensorflow.math.sqrt", [T((B, 5))], {}),
    ("tensorflow.convert_to_tensor", [T((B, 5))], {}),
    ("tensorflow.identity", [T((B, 5))], {}),
    ("tensorflow.clip_by_value", [T((B, 5)), 0.0, 1.0], {}),
    ("tensorflow.math.l2_normalize", [T((B, 5))], {"axis": -1}),
    ("tensorflow.add", [T((B, 1)), T((1, None))], {}),
    ("tensorflow.math.multiply", [T((B, 5)), T((5,))], {}),
    ("tensorflow.maximum", [T((B, 5)), 0.0], {}),
    ("tensorflow.math.squared_difference", [T((B, 5)), T((B, 1))], {}),
    # issue 13: moments (a pair), spectral ops, convolutions, segments, floordiv, softmax
    ("tensorflow.nn.moments", [T((B, 5, 3)), [1]], {}),
    ("tensorflow.nn.moments", [T((B, 5, 3)), [0, 1]], {"keepdims": True}),
    ("tensorflow.nn.moments", [T((B, 5, 3))], {"axes": [-1]}),
    ("tensorflow.signal.stft", [T((B, 1000)), 256, 128], {}),
    ("tensorflow.signal.stft", [T((B, 1000)), 200, 80], {"fft_length": 256}),
    ("tensorflow.signal.stft", [T((B, 1000)), 255, 100], {"pad_end": True}),
    ("tensorflow.signal.stft", [T((B, None)), 256, 128], {}),
    ("tensorflow.signal.stft", [T((B, 2, 100)), 64, 32], {}),
    ("tensorflow.signal.stft", [T((B, 100)), 128, 32], {}),
    ("tensorflow.signal.fft", [T((B, 16), "complex64")], {}),
    ("tensorflow.signal.fft2d", [T((B, 8, 16), "complex64")], {}),
    ("tensorflow.signal.rfft", [T((B, 16))], {}),
    ("tensorflow.signal.rfft", [T((B, 15))], {}),
    ("tensorflow.signal.rfft", [T((B, 16)), [10]], {}),
    ("tensorflow.signal.rfft", [T((B, None))], {}),
    ("tensorflow.nn.conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 8)), 1, "VALID"], {}),
    ("tensorflow.nn.conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 8))], {"strides": [1, 2, 2, 1], "padding": "SAME"}),
    ("tensorflow.nn.conv2d", [T((B, None, 9, 3)), T((3, 3, 3, 8)), 2, "VALID"], {"dilations": 2}),
    ("tensorflow.nn.conv2d", [T((B, 9, 9, 4)), T((3, 3, 2, 8)), 1, "SAME"], {}),
    ("tensorflow.nn.conv2d", [T((B, 9, 9, 3)), T((3, 3, 2, 8)), 1, "SAME"], {}),
    ("tensorflow.nn.conv2d", [T((B, 2, 2, 3)), T((3, 3, 3, 8)), 1, "VALID"], {}),
    ("tensorflow.nn.conv1d", [T((B, 20, 4)), T((5, 4, 6)), 3, "VALID"], {}),
    ("tensorflow.nn.conv1d", [T((B, 20, 4)), T((5, 4, 6))], {"stride": 2, "padding": "SAME"}),
    ("tensorflow.nn.depthwise_conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 2)), [1, 1, 1, 1], "VALID"], {}),
    ("tensorflow.nn.depthwise_conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 2)), [1, 2, 2, 1], "SAME"], {}),
    ("tensorflow.math.segment_sum", [T((10, 4)), T((10,), "int32")], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((B, 4)), T((B,), "int32"), 6], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((B, 3, 4)), T((B, 3), "int32")], {"num_segments": 6}),
    ("tensorflow.math.unsorted_segment_max", [T((7, 4)), T((7,), "int32"), 2], {}),
    ("tensorflow.math.floordiv", [T((B, 5)), T((5,))], {}),
    ("tensorflow.nn.softmax", [T((B, 5))], {}),
    ("tensorflow.nn.log_softmax", [T((B, 5, 2))], {"axis": 1}),
    # ops met in custom layers' call() (keras-io): matrix transposes, complex parts, mods,
    # segments of a run-time count, repeats known at run time, gather's batch_dims, top_k,
    # normalize's pair, the inverse and 2-D real FFTs, concat of clashing sizes
    ("tensorflow.linalg.matrix_transpose", [T((B, 5, 3))], {}),
    ("tensorflow.linalg.matrix_transpose", [T((B, 5))], {}),
    ("tensorflow.linalg.matrix_transpose", [T((5,))], {}),
    ("tensorflow.linalg.adjoint", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.linalg.adjoint", [T((B, 4, 5, 3))], {}),
    ("tensorflow.math.real", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.math.real", [T((B, 5, 3))], {}),
    ("tensorflow.math.imag", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.math.conj", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.math.angle", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.complex", [T((B, 5, 3)), T((5, 1))], {}),
    ("tensorflow.complex", [T((B, 5, 3)), T((4, 1))], {}),
    ("tensorflow.complex", [T((B, 1)), T((1, None))], {}),
    ("tensorflow.complex", [], {"imag": T((B, 5)), "real": T((5,))}),
    ("tensorflow.math.floormod", [T((B, 5, 3), "int32"), T((5, 1), "int32")], {}),
    ("tensorflow.math.floormod", [T((B, 5), "int32"), 3], {}),
    ("tensorflow.math.mod", [T((B, 5), "int32"), T((B, 1), "int32")], {}),
    ("tensorflow.truncatemod", [T((B, 5, 3), "int32"), T((5, 1), "int32")], {}),
    ("tensorflow.truncatediv", [T((B, 5, 3), "int32"), T((4, 3), "int32")], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((B, 4)), T((B,), "int32"), DYN], {}),
    ("tensorflow.math.unsorted_segment_mean", [T((B, 3, 4)), T((B, 3), "int32")], {"num_segments": DYN}),
    ("tensorflow.math.unsorted_segment_sqrt_n", [T((B, 3, 4)), T((B, 3), "int32"), 3], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((5, 4)), T((3,), "int32"), 5], {}),
    ("tensorflow.math.unsorted_segment_min", [T((B, 4)), T((3,), "int32"), 5], {}),
    ("tensorflow.math.segment_mean", [T((B, 4)), T((B,), "int32")], {}),
    ("tensorflow.math.segment_sum", [T((B, 3, 4)), T((B, 3), "int32")], {}),
    ("tensorflow.math.segment_max", [T((5, 4)), T((3,), "int32")], {}),
    ("tensorflow.repeat", [T((1, 5, 3)), DYN], {"axis": 0}),
    ("tensorflow.repeat", [T((B, 5, 3))], {"repeats": DYN, "axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((), "int32")], {"axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((5,), "int32")], {"axis": -2}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((None,), "int32")], {"axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((1,), "int32")], {"axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((3,), "int32")], {"axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((5, 1), "int32")], {"axis": 1}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((), "int32")], {"axis": 3}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((), "int32")], {}),
    ("tensorflow.repeat", [T((4, None, 3)), 2], {"axis": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"batch_dims": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"axis": 2, "batch_dims": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"batch_dims": -1}),
    ("tensorflow.gather", [T((2, 5, 3)), T((3, 4), "int32")], {"axis": 1, "batch_dims": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((2, 4), "int32")], {"axis": 1, "batch_dims": 1}),
    ("tensorflow.gather", [T((3, 5, 3)), T((3, 4), "int32")], {"axis": 0, "batch_dims": 1}),
    ("tensorflow.gather", [T((B, 5, 3, 7)), T((B, 5, 4), "int32")], {"batch_dims": 2}),
    ("tensorflow.gather", [T((B, 5, 3, 7)), T((B, 5), "int32")], {"batch_dims": 2}),
    ("tensorflow.gather", [T((B, 5, 3, 7)), T((B, 5), "int32")], {"batch_dims": 3}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 2, 2), "int32")], {"axis": -1, "batch_dims": 1}),
    ("tensorflow.math.top_k", [T((B, 5)), 3], {}),
    ("tensorflow.math.top_k", [T((B, 5))], {}),
    ("tensorflow.nn.top_k", [T((B, None))], {"k": 3}),
    ("tensorflow.math.top_k", [T((B, 5)), 7], {}),
    ("tensorflow.math.top_k", [T((B, 5)), 0], {}),
    ("tensorflow.math.top_k", [T((B, 5)), -1], {}),
    ("tensorflow.math.top_k", [T(()), 1], {}),
    ("tensorflow.math.top_k", [T((B, 5)), DYN], {}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"axis": -1}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"axis": [1, 2]}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"axis": [1]}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"axis": 3}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"ord": 1, "axis": 1}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"ord": 2, "axis": [1, 2]}),
    ("tensorflow.math.l2_normalize", [T((B, 5, 3))], {"axis": [1]}),
    ("tensorflow.nn.l2_normalize", [T((B, 5, 3))], {}),
    ("tensorflow.signal.irfft", [T((B, 9), "complex64")], {}),
    ("tensorflow.signal.irfft", [T((B, 9), "complex64"), [10]], {}),
    ("tensorflow.signal.irfft", [T((B, None), "complex64")], {}),
    ("tensorflow.signal.irfft", [T((B, None), "complex64"), [10]], {}),
    ("tensorflow.signal.irfft", [T((B, 1), "complex64")], {}),
    ("tensorflow.signal.irfft", [T((), "complex64")], {}),
    ("tensorflow.signal.rfft", [T((B, None)), [10]], {}),
    ("tensorflow.signal.rfft2d", [T((B, 8, 9))], {}),
    ("tensorflow.signal.rfft2d", [T((B, 8, 9)), [6, 10]], {}),
    ("tensorflow.signal.rfft2d", [T((B, None, None))], {}),
    ("tensorflow.signal.rfft2d", [T((9,))], {}),
    ("tensorflow.signal.irfft2d", [T((B, 8, 5), "complex64")], {}),
    ("tensorflow.signal.irfft2d", [T((B, 8, 9), "complex64"), [6, 10]], {}),
    ("tensorflow.signal.ifft", [T((B, 16), "complex64")], {}),
    ("tensorflow.signal.fft2d", [T((16,), "complex64")], {}),
    ("tensorflow.concat", [[T((B, 8, 2, 4)), T((B, 8, 4, 2))]], {"axis": 1}),
    ("tensorflow.concat", [[T((B, 8, 2, 4)), T((B, 8, 2, 4))]], {"axis": 1}),
    ("tensorflow.concat", [[T((B, None)), T((B, 4)), T((B, 2))], 0], {}),
    ("tensorflow.concat", [[T((B, None)), T((B, 4)), T((B, None))], 0], {}),
    ("tensorflow.stack", [[T((B, 8, 2)), T((B, 8, 4))]], {"axis": 1}),
    # issue 13 (session 12): sorts, flips, rolls, shuffles, colour spaces, tensordot,
    # sequence masks, gather_nd, set_diag, broadcast_to, boolean masks, categorical draws
    ("tensorflow.argsort", [T((B, 5, 3))], {}),
    ("tensorflow.argsort", [T((B, 5, 3))], {"axis": 1, "direction": "DESCENDING"}),
    ("tensorflow.sort", [T((B, None))], {"axis": -1}),
    ("tensorflow.sort", [T((B, 5))], {"axis": 2}),
    ("tensorflow.reverse", [T((B, 5, 3)), [1]], {}),
    ("tensorflow.reverse", [T((B, 5, 3))], {"axis": [-1, 0]}),
    ("tensorflow.reverse", [T((B, 5, 3)), [3]], {}),
    ("tensorflow.roll", [T((B, 5, 3))], {"shift": 1, "axis": 1}),
    ("tensorflow.roll", [T((B, 5, 3))], {"shift": [-1, 2], "axis": [1, 2]}),
    ("tensorflow.roll", [T((B, 5, 3)), DYN, 0], {}),
    ("tensorflow.random.shuffle", [T((B, 5, 3))], {}),
    ("tensorflow.clip_by_norm", [T((B, 5, 3)), 1.0], {}),
    ("tensorflow.clip_by_norm", [T((B, 5, 3)), 1.0], {"axes": [1]}),
    ("tensorflow.image.rgb_to_yuv", [T((B, 8, 8, 3))], {}),
    ("tensorflow.image.rgb_to_hsv", [T((8, None, 3))], {}),
    ("tensorflow.image.yiq_to_rgb", [T((B, 8, 8, None))], {}),
    ("tensorflow.image.rgb_to_hsv", [T((B, 8, 8, None))], {}),
    ("tensorflow.image.rgb_to_yuv", [T((B, 8, 8, 4))], {}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((6, 3))], {"axes": 1}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((5, 6, 3))], {"axes": 2}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((4, 3))], {"axes": 1}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((3, 5))], {"axes": [[1], [1]]}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((6, 2, 5))], {"axes": [[1, 2], [2, 0]]}),
    ("tensorflow.tensordot", [T((B, None)), T((B, None))], {"axes": 2}),
    ("tensorflow.tensordot", [T((B, 5)), T((B, 5))], {"axes": 0}),
    ("tensorflow.tensordot", [T((B, 5)), T((5, 3))], {"axes": [1, 0]}),
    ("tensorflow.sequence_mask", [T((B,), "int32"), 9], {}),
    ("tensorflow.sequence_mask", [T((B, 4), "int32")], {}),
    ("tensorflow.sequence_mask", [T((B,), "int32")], {"maxlen": DYN}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, 2), "int32")], {}),
    ("tensorflow.gather_nd", [T((7, 5, 6)), T((4, 3, 1), "int32")], {}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, 1), "int32")], {"batch_dims": 1}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, 3, 2), "int32")], {"batch_dims": 1}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, 4), "int32")], {}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, None), "int32")], {}),
    ("tensorflow.linalg.set_diag", [T((B, 4, 4)), T((B, 4))], {}),
    ("tensorflow.linalg.set_diag", [T((3, 5)), T((3,))], {}),
    ("tensorflow.broadcast_to", [T((1, 5, 1)), [4, 5, 6]], {}),
    ("tensorflow.broadcast_to", [T((5, 1)), [DYN, 5, 6]], {}),
    ("tensorflow.broadcast_to", [T((B, 5, 6)), [DYN, 5, 6]], {}),
    ("tensorflow.broadcast_to", [T((B, 1)), [DYN, 3]], {}),
    ("tensorflow.broadcast_to", [T((5, 6)), [DYN, DYN]], {}),
    ("tensorflow.broadcast_to", [T((1, 6)), [DYN, DYN]], {}),
    ("tensorflow.broadcast_to", [T((5, 2)), [5, 3]], {}),
    ("tensorflow.boolean_mask", [T((B, 5, 6)), T((B, 5), "bool")], {}),
    ("tensorflow.boolean_mask", [T((B, 5, 6)), T((B,), "bool")], {}),
    ("tensorflow.boolean_mask", [T((B, 5, 6)), T((5,), "bool")], {"axis": 1}),
    ("tensorflow.boolean_mask", [T((7, 5, 6)), T((6,), "bool")], {}),
    ("tensorflow.random.categorical", [T((B, 5)), 3], {}),
    ("tensorflow.random.categorical", [T((4, 5)), DYN], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, 1, 0], [-1, 2, 3]], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, 1, 2], [-1, -1, -1]], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, DYN, 0], [DYN, 2, -1]], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, 1, 0], [-1, 5, 3]], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, 6, 0], [-1, -1, 3]], {}),
    ("tensorflow.slice", [T((7, 5)), [1, 1], [3, DYN]], {}),
    ("tensorflow.image.psnr", [T((B, 8, 8, 3)), T((B, 8, 8, 3)), 1.0], {}),
    ("tensorflow.image.ssim", [T((B, 16, 16, 3)), T((B, 16, 16, 3)), 1.0], {}),
    ("tensorflow.image.psnr", [T((8, 8, 3)), T((8, 8, 3)), 1.0], {}),
    ("tensorflow.image.psnr", [T((B, 8, 8, 3)), T((B, 8, 8, 1)), 1.0], {}),
    # a list of tensors given for a tensor: TensorFlow packs it (their stack)
    ("tensorflow.math.softmax", [[T((B, 1)), T((B, 1)), T((B, 1))]], {"axis": 0}),
    ("tensorflow.nn.softmax", [[T((B, 4)), T((B, 4))]], {}),
    ("tensorflow.reduce_sum", [[T((B, 3)), T((B, 3))]], {"axis": 0}),
    ("tensorflow.math.tanh", [[T((2, 3)), T((B, 3))]], {}),
    ("tensorflow.math.tanh", [[T((B, 3)), T((B, 4))]], {}),
    ("tensorflow.math.sigmoid", [[[T((3,)), T((3,))], [T((3,)), T((3,))]]], {}),
    ("tensorflow.transpose", [[T((B, 2)), T((B, 2)), T((B, 2))]], {"perm": [1, 0, 2]}),
    ("tensorflow.math.multiply", [[T((B, 2)), T((B, 2))], T((2, 1, 2))], {}),
]


TF_CASES += [
    (f"tensorflow.math.{name}", [T((B, 5, 3))], {})
    for name in sorted(__import__("shapelint.frontend.library.tensor_ops", fromlist=["x"]).TF_UNARY)
] + [
    (f"tensorflow.math.{name}", [T((B, 5, 3)), T(shape)], {})
    for name in sorted(__import__("shapelint.frontend.library.tensor_ops", fromlist=["x"]).TF_BINARY)
    if name != "logical_xor"
    for shape in [(5, 1), (4, 1)]
] + [("tensorflow.math.logical_xor", [T((B, 5, 3), "bool"), T((5, 1), "bool")], {})]


@pytest.mark.parametrize("qual,args,kwargs", TF_CASES, ids=lambda v: str(v)[:40])
def test_tf_ops_agree_with_tensorflow(qual, args, kwargs):
    check(qual, args, kwargs)


# Cases that must come out exact (guards against a rule that is safe only by giving up).
EXACT = [
    ("tensorflow.math.softmax", [[T((B, 1)), T((B, 1)), T((B, 1))]], {"axis": 0}),
    ("tensorflow.math.sigmoid", [[[T((3,)), T((3,))], [T((3,)), T((3,))]]], {}),
    ("keras.ops.reshape", [T((B, 6, 4)), (DYN, -1, 4)], {}),
    ("keras.ops.reshape", [T((2, 6, 4)), (-1, 24)], {}),
    ("tensorflow.reshape", [T((B, 6, 4)), [DYN, -1, 4]], {}),
    ("tensorflow.reshape", [T((2, 6, 4)), [DYN, 24]], {}),
    ("keras.ops.expand_dims", [T((B, 5)), (0, -1)], {}),
    ("keras.ops.transpose", [T((B, 5, 3)), (0, 2, 1)], {}),
    ("tensorflow.tile", [T((B, 5)), [1, DYN]], {}),
    ("keras.ops.concatenate", [[T((B, 5)), T((3, None))]], {"axis": -1}),
    ("tensorflow.concat", [[T((B, 5)), T((3, None))], -1], {}),
    ("tensorflow.math.reduce_mean", [T((B, 5, 3))], {"axis": [1, -1], "keepdims": True}),
    ("keras.ops.one_hot", [T((B, 5), "int32"), 7], {"axis": 1}),
    ("tensorflow.one_hot", [T((B, 5), "int32"), 7], {"axis": 0}),
    ("keras.ops.squeeze", [T((B, 1, 4))], {}),
    ("tensorflow.squeeze", [T((B, 1, 4)), 0], {}),
    ("keras.ops.matmul", [T((8,)), T((B, 8, 3))], {}),
    ("tensorflow.matmul", [T((B, 5, 3)), T((B, 5, 3))], {"transpose_b": True}),
    ("keras.ops.einsum", ["bhqd,bhkd->bhqk", T((B, 4, 10, 8)), T((B, 4, None, 8))], {}),
    ("tensorflow.einsum", ["ij,ik->ijk", T((B, 5)), T((3, None))], {}),
    ("tensorflow.nn.depth_to_space", [T((B, None, 4, 8)), 2], {}),
    ("keras.ops.image.extract_patches", [T((B, 9, None, 3)), 3], {"strides": 2}),
    ("tensorflow.image.extract_patches", [T((B, 9, None, 3))],
     {"sizes": [1, 3, 3, 1], "strides": [1, 2, 2, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ("keras.ops.image.resize", [T((5, None, 3)), (7, 9)], {}),
    ("tensorflow.image.resize", [T((B, 9, 8, 3)), [DYN, 6]], {}),
    ("keras.ops.repeat", [T((B, 2)), [1, 3]], {"axis": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"axis": 1}),
    ("keras.ops.take", [T((B, 5, 4)), [[0, 1], [2, 3]]], {"axis": 2}),
    ("keras.ops.pad", [T((B, 9, 8)), (1, 3)], {}),
    ("tensorflow.pad", [T((B, 5, 3)), [[0, 0], [1, DYN], [0, 1]]], {}),
    ("keras.ops.cumsum", [T((2, 9, 8))], {}),
    ("keras.ops.where", [T((B, 1), "bool"), T((1, 5)), 0.0], {}),
    ("tensorflow.where", [T((B, 5, 1), "bool"), 1.0, T((B, 4))], {}),
    ("keras.ops.add", [T((B, 1)), T((1, None))], {}),
    ("tensorflow.nn.softmax", [T((B, 5))], {}),
    ("keras.ops.moments", [T((B, 5, 3)), [1]], {}),
    ("keras.ops.conv", [T((B, 9, 9, 3)), T((3, 3, 3, 8))], {"strides": 2, "padding": "same"}),
    ("keras.ops.depthwise_conv", [T((B, 9, 9, 3)), T((3, 3, 3, 2))], {}),
    ("keras.ops.segment_sum", [T((10, 4)), T((10,), "int32")], {"num_segments": 3}),
    ("keras.ops.reshape", [T((B, 6, 4))], {"newshape": (-1, 4)}),
    ("tensorflow.nn.moments", [T((B, 5, 3)), [1]], {}),
    ("tensorflow.signal.stft", [T((B, 1000)), 256, 128], {}),
    ("tensorflow.signal.rfft", [T((B, 16))], {}),
    ("tensorflow.signal.fft", [T((B, 16), "complex64")], {}),
    ("tensorflow.nn.conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 8)), 1, "VALID"], {}),
    ("tensorflow.nn.conv1d", [T((B, 20, 4)), T((5, 4, 6)), 3, "VALID"], {}),
    ("tensorflow.nn.depthwise_conv2d", [T((B, 9, 9, 3)), T((3, 3, 3, 2)), [1, 2, 2, 1], "SAME"], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((B, 4)), T((B,), "int32"), 6], {}),
    ("tensorflow.math.floordiv", [T((B, 5)), T((5,))], {}),
    ("keras.ops.swapaxes", [T((B, 5, 3)), -1, -2], {}),
    ("keras.ops.real", [T((B, 5, 3), "complex64")], {}),
    ("keras.ops.top_k", [T((B, 5)), 3], {}),
    ("tensorflow.linalg.matrix_transpose", [T((B, 5, 3))], {}),
    ("tensorflow.linalg.adjoint", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.math.real", [T((B, 5, 3), "complex64")], {}),
    ("tensorflow.complex", [T((B, 5, 3)), T((5, 1))], {}),
    ("tensorflow.math.floormod", [T((B, 5), "int32"), 3], {}),
    ("tensorflow.truncatemod", [T((B, 5, 3), "int32"), T((5, 1), "int32")], {}),
    ("tensorflow.math.unsorted_segment_sum", [T((B, 4)), T((B,), "int32"), DYN], {}),
    ("tensorflow.math.unsorted_segment_sqrt_n", [T((B, 3, 4)), T((B, 3), "int32"), 3], {}),
    ("tensorflow.math.segment_mean", [T((B, 4)), T((B,), "int32")], {}),
    ("tensorflow.repeat", [T((1, 5, 3)), DYN], {"axis": 0}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((5,), "int32")], {"axis": -2}),
    ("tensorflow.repeat", [T((4, 5, 3)), T((), "int32")], {}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 4), "int32")], {"batch_dims": 1}),
    ("tensorflow.gather", [T((B, 5, 3)), T((B, 2, 2), "int32")], {"axis": -1, "batch_dims": 1}),
    ("tensorflow.math.top_k", [T((B, 5)), 3], {}),
    ("tensorflow.math.top_k", [T((B, 5)), DYN], {}),
    ("tensorflow.linalg.normalize", [T((B, 5, 3))], {"axis": [1, 2]}),
    ("tensorflow.signal.irfft", [T((B, 9), "complex64")], {}),
    ("tensorflow.signal.rfft2d", [T((B, 8, 9)), [6, 10]], {}),
    ("tensorflow.signal.irfft2d", [T((B, 8, 5), "complex64")], {}),
    ("tensorflow.concat", [[T((B, None)), T((B, 4)), T((B, None))], 0], {}),
    ("keras.ops.argsort", [T((2, 5, 3))], {"axis": None}),
    ("keras.ops.flip", [T((B, 5, 3))], {"axis": (1, 2)}),
    ("keras.ops.roll", [T((B, 5, 3)), 2], {"axis": -1}),
    ("keras.ops.moveaxis", [T((B, 5, 3, 2)), [0, 1], [2, 0]], {}),
    ("keras.ops.glu", [T((B, 5, 6))], {}),
    ("keras.ops.dot_product_attention", [T((B, 5, 2, 8)), T((B, 7, 2, 8)), T((B, 7, 2, 8))], {}),
    ("tensorflow.argsort", [T((B, 5, 3))], {"axis": 1, "direction": "DESCENDING"}),
    ("tensorflow.sort", [T((B, None))], {"axis": -1}),
    ("tensorflow.reverse", [T((B, 5, 3))], {"axis": [-1, 0]}),
    ("tensorflow.roll", [T((B, 5, 3))], {"shift": [-1, 2], "axis": [1, 2]}),
    ("tensorflow.random.shuffle", [T((B, 5, 3))], {}),
    ("tensorflow.clip_by_norm", [T((B, 5, 3)), 1.0], {"axes": [1]}),
    ("tensorflow.image.rgb_to_yuv", [T((B, 8, 8, 3))], {}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((6, 2, 5))], {"axes": [[1, 2], [2, 0]]}),
    ("tensorflow.tensordot", [T((B, 5, 6)), T((5, 6, 3))], {"axes": 2}),
    ("tensorflow.sequence_mask", [T((B,), "int32"), 9], {}),
    ("tensorflow.sequence_mask", [T((B, 4), "int32")], {}),
    ("tensorflow.gather_nd", [T((B, 5, 6)), T((B, 3, 2), "int32")], {"batch_dims": 1}),
    ("tensorflow.gather_nd", [T((7, 5, 6)), T((4, 3, 1), "int32")], {}),
    ("tensorflow.linalg.set_diag", [T((B, 4, 4)), T((B, 4))], {}),
    ("tensorflow.broadcast_to", [T((5, 1)), [DYN, 5, 6]], {}),
    ("tensorflow.broadcast_to", [T((B, 1)), [DYN, 3]], {}),
    ("tensorflow.boolean_mask", [T((B, 5, 6)), T((B, 5), "bool")], {}),
    ("tensorflow.random.categorical", [T((B, 5)), 3], {}),
    ("tensorflow.slice", [T((B, 5, 6)), [0, 1, 2], [-1, -1, -1]], {}),
    ("tensorflow.image.psnr", [T((B, 8, 8, 3)), T((B, 8, 8, 3)), 1.0], {}),
    ("keras.ops.tril", [T((B, 5, 3))], {}),
    ("keras.ops.log_sigmoid", [T((B, 5, 3))], {}),
    ("keras.ops.arctan2", [T((B, 5, 3)), T((5, 1))], {}),
    ("keras.ops.logaddexp", [T((B, 1, 3)), T((5, 1))], {}),
    ("tensorflow.math.is_nan", [T((B, 5, 3))], {}),
    ("tensorflow.math.atan2", [T((B, 5, 3)), T((5, 1))], {}),
]


@pytest.mark.parametrize("qual,args,kwargs", EXACT, ids=lambda v: str(v)[:40])
def test_supported_cases_are_exact(qual, args, kwargs):
    check(qual, args, kwargs, must_be_exact=True)


# ------------------------------------------------------------ properties
_dim = st.one_of(st.none(), st.integers(1, 4))
_shape = st.lists(_dim, min_size=0, max_size=4).map(tuple)


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(_shape, _shape)
def test_broadcast_agrees_with_keras(a, b):
    check("keras.ops.add", [T(a), T(b)])


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=1, max_size=4),
                  st.lists(st.sampled_from([-1, 1, 2, 3, 4, 6, DYN]), min_size=1, max_size=4))
def test_reshape_agrees_with_keras(shape, target):
    check("keras.ops.reshape", [T(shape), tuple(target)])


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=1, max_size=3),
                  st.lists(st.sampled_from([-1, 1, 2, 4, 6, DYN]), min_size=1, max_size=3))
def test_reshape_agrees_with_tensorflow(shape, target):
    check("tensorflow.reshape", [T(shape), list(target)])


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(_shape, _shape)
def test_broadcast_agrees_with_tensorflow(a, b):
    check("tensorflow.add", [T(a), T(b)])


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(st.lists(_dim, min_size=1, max_size=4),
                  st.one_of(st.none(), st.integers(-5, 4), st.lists(st.integers(-4, 3), max_size=3)),
                  st.booleans(), st.sampled_from(["mean", "sum", "max", "var"]))
def test_reductions_agree_with_keras(shape, axis, keepdims, name):
    check(f"keras.ops.{name}", [T(shape)], {"axis": axis, "keepdims": keepdims})


@hypothesis.settings(max_examples=100, deadline=None)
@hypothesis.given(st.lists(_dim, min_size=1, max_size=3), st.lists(_dim, min_size=1, max_size=3),
                  st.integers(-3, 2))
def test_concatenate_and_stack_agree_with_keras(a, b, axis):
    check("keras.ops.concatenate", [[T(a), T(b)]], {"axis": axis})
    check("keras.ops.stack", [[T(a), T(b)]], {"axis": axis})


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(st.lists(st.lists(_dim, min_size=1, max_size=3), min_size=2, max_size=3), st.integers(-2, 1))
def test_concat_agrees_with_tensorflow(shapes, axis):
    """TensorFlow merges the sizes off the axis as it goes (None, 4, 2 is refused)."""
    check("tensorflow.concat", [[T(s) for s in shapes], axis])


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(st.lists(_dim, min_size=1, max_size=3).map(tuple), st.lists(_dim, min_size=1, max_size=3).map(tuple))
def test_matmul_agrees_with_keras(a, b):
    """Refused (a finding) only where Keras' compute_matmul_output_shape raises."""
    check("keras.ops.matmul", [T(a), T(b)])


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.lists(_dim, min_size=2, max_size=3).map(tuple), st.lists(_dim, min_size=2, max_size=3).map(tuple),
                  st.booleans(), st.booleans())
def test_matmul_agrees_with_tensorflow(a, b, transpose_a, adjoint_b):
    check("tensorflow.matmul", [T(a), T(b)], {"transpose_a": transpose_a, "adjoint_b": adjoint_b})


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.lists(st.lists(_dim, min_size=1, max_size=3), min_size=2, max_size=3), st.integers(-2, 1))
def test_stack_agrees_with_tensorflow(shapes, axis):
    check("tensorflow.stack", [[T(s) for s in shapes], axis])


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(st.lists(_dim, min_size=1, max_size=3), st.lists(_dim, min_size=1, max_size=3),
                  st.integers(-3, 2), st.integers(-2, 2))
def test_gather_with_batch_dims_agrees_with_tensorflow(params, indices, axis, batch_dims):
    check("tensorflow.gather", [T(params), T(indices, "int32")], {"axis": axis, "batch_dims": batch_dims})


# ------------------------------------------------ exactness bookkeeping
def test_unknown_arguments_and_inexact_tensors_are_never_exact():
    x = T((None, 6, 4))
    assert _ours("keras.ops.reshape", [x, (UNKNOWN, -1, 4)], {}) == ((None, None, 4), False)
    assert _ours("keras.ops.reshape", [x, UNKNOWN], {}) == (None, False)
    assert _ours("keras.ops.reshape", [UNKNOWN, (-1, 4)], {}) == ((None, 4), False)  # rank unknown
    assert _ours("keras.ops.mean", [x], {"axis": UNKNOWN}) == (None, False)
    assert _ours("keras.ops.mean", [T((None, 6, 4), exact=False), 1], {}) == ((None, 4), False)
    assert _ours("keras.ops.cast", [x, UNKNOWN], {}) == ((None, 6, 4), True)  # dtype does not matter
    assert _ours("keras.ops.concatenate", [[x, UNKNOWN]], {"axis": 1}) == (None, False)
    assert _ours("keras.ops.add", [x, UNKNOWN], {}) == (None, False)
    assert _ours("keras.backend.sum", [x, 1], {}) == ((None, 4), False)  # Keras 2 API
    # an image's height and width swapped, not tf.transpose's reversed axes (4, 6, None)
    assert _ours("tensorflow.image.transpose", [x], {}) == ((6, None, 4), True)
    assert _ours("tensorflow.linalg.normalize", [x], {}) == (Outputs(((None, 6, 4), (1, 1, 1))), True)  # a pair
    assert _ours("numpy.reshape", [x, (-1,)], {}) == (None, False)


def test_symbolic_sizes_are_computed_never_guessed():
    h = dims.symbol("h")
    x = T((None, h, 4))
    assert _ours("keras.ops.reshape", [T((2, h, 4)), (2, -1)], {}) == ((2, 4 * h), True)
    assert _ours("keras.ops.reshape", [T((2, h, 4)), (3, -1)], {}) == ((3, None), False)
    assert _ours("keras.ops.concatenate", [[x, x]], {"axis": 1}) == ((None, 2 * h, 4), True)
    assert _ours("keras.ops.add", [x, T((None, 1, 4))], {}) == ((None, h, 4), True)
    assert _ours("keras.ops.add", [T((h,)), T((None,))], {}) == ((None,), False)  # h may be 1
    assert _ours("keras.ops.squeeze", [x], {}) == (None, False)


def test_public_helpers_keep_their_meaning():
    assert broadcast((None, 1), (1, 5)) == (None, 5)
    assert broadcast((3, 5), (4, 5)) == (None, 5)
    assert broadcast(None, (4,)) is None
    assert reduced_shape((2, 3, 4), (0, -1), True) == (1, 3, 1)
    assert reduced_shape((2, 3, 4), 3, False) is None
    assert op_shape("tensorflow.reduce_mean", [T((None, 6, 4))], {"axis": 1},
                    lambda v: v.shape if isinstance(v, T) else None) == (None, 4)


# ------------------------------------- spectrogram helpers (audio examples)
def test_linear_to_mel_weight_matrix_in_a_layer_agrees_with_keras():
    """``tf.signal.linear_to_mel_weight_matrix`` is a ``(num_spectrogram_bins,
    num_mel_bins)`` matrix: a layer that ``matmul``s a spectrogram with it."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    source = (
        "import keras\nimport tensorflow as tf\nfrom keras import layers\n"
        "class Mel(layers.Layer):\n"
        "    def call(self, x):\n"
        "        m = tf.signal.linear_to_mel_weight_matrix(num_mel_bins=80, num_spectrogram_bins=513)\n"
        "        d = tf.signal.linear_to_mel_weight_matrix(num_spectrogram_bins=x.shape[-1])\n"
        "        return tf.concat([tf.matmul(x, m), tf.matmul(x, d)], -1)\n"
        "y = Mel()(keras.Input((None, 513)))\n"
    )
    ours = [layer.output_shape for layer in analyze_source(source).layers if layer.layer == "Mel"]

    class Mel(keras.layers.Layer):
        def call(self, x):
            m = tf.signal.linear_to_mel_weight_matrix(num_mel_bins=80, num_spectrogram_bins=513)
            d = tf.signal.linear_to_mel_weight_matrix(num_spectrogram_bins=x.shape[-1])
            return tf.concat([tf.matmul(x, m), tf.matmul(x, d)], -1)

    assert ours == [tuple(Mel()(keras.Input((None, 513))).shape)] == [(None, None, 100)]


@pytest.mark.parametrize("shape", [(B, 10, 80), (B, None, 80), (4, 7)])
def test_tfio_dbscale_is_its_documented_formula(shape):
    """tensorflow_io does not install here: ``tfio.audio.dbscale(x, top_db)``
    is documented as ``10 * log10(x ** 2)`` floored at its maximum minus
    ``top_db``; that formula, run by TensorFlow, keeps the shape."""
    @tf.function(input_signature=[tf.TensorSpec(shape)])
    def formula(x):
        log_spec = 10.0 * (tf.math.log(tf.math.square(x)) / tf.math.log(10.0))
        return tf.math.maximum(log_spec, tf.math.reduce_max(log_spec) - 80)
    truth = tuple(formula.get_concrete_function().structured_outputs.shape)
    assert _ours("tensorflow_io.audio.dbscale", [T(shape)], {"top_db": 80}) == (truth, True)


# ------------------------------------------ constants made in a layer
FILLED = [
    "tf.Variable(0.1 * tf.ones((16,)))",
    "tf.ones([1, 16])",
    "tf.zeros((10, 16), dtype='float32')",
    "tf.fill([10, 1], 2.0)",
    "keras.ops.ones((16,))",
    "keras.ops.zeros(16)",
    "keras.ops.full((1, 10, 16), 0.5)",
    "tf.Variable(tf.zeros((4,)))",  # does not broadcast with the input: Keras raises
]


def _layer_agrees_with_keras(class_source, name):
    """The layer class ``name`` that ``class_source`` defines, applied to
    ``keras.Input((10, 16))``: shapelint's output shape is Keras' and
    exact, or not claimed where Keras raises."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    head = "import keras\nimport tensorflow as tf\nfrom keras import layers\n"
    ours = [layer for layer in analyze_source(head + class_source + f"y = {name}()(keras.Input((10, 16)))\n").layers
            if layer.layer == name]
    namespace = {"keras": keras, "tf": tf}
    exec(compile(head + class_source, f"<{name}>", "exec"), namespace)  # noqa: S102
    try:
        truth = tuple(namespace[name]()(keras.Input((10, 16))).shape)
    except Exception:  # pylint: disable=broad-except
        truth = RAISES
    assert len(ours) == 1
    if truth == RAISES:
        assert ours[0].output_shape is None or not ours[0].exact
    else:
        assert ours[0].output_shape == truth and ours[0].exact


@pytest.mark.parametrize("expr", FILLED)
def test_constants_in_a_layer_agree_with_keras(expr):
    """``tf.ones``/``zeros``/``fill``, ``ops.ones``/``zeros``/``full`` and
    ``tf.Variable`` of a tensor, made in ``__init__`` and multiplied with
    the input in ``call``: shapelint's output shape is Keras'."""
    _layer_agrees_with_keras(
        "class Scale(layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"        self.gamma = {expr}\n"
        "    def call(self, x):\n"
        "        return x * self.gamma\n", "Scale")


# ------------------------------------ tensors made from a shape in call()
MADE_IN_CALL = [
    "tf.random.uniform((tf.shape(x)[0], 1, 1), 0, 1)",
    "tf.random.normal((1, 10, 16))",
    "tf.random.truncated_normal([16], stddev=0.02)",
    "keras.random.uniform((keras.ops.shape(x)[0], 1, 1))",
    "keras.random.normal(shape=(1, 16))",
    "tf.ones((tf.shape(x)[0], 10, 1))",
    "keras.ops.zeros((keras.ops.shape(x)[0], 1, 16))",
    "tf.fill([tf.shape(x)[0], 1, 1], 0.5)",
    "tf.random.uniform((x.shape[0], 1, 1))",  # a None size: Keras 3 traces call() with TF tensors
    "keras.random.uniform((x.shape[0], 1, 16))",
    "tf.random.uniform(tf.shape(x))",  # TensorFlow's inference reads the shape tensor: (None, 10, 16)
    "tf.eye(10, 16)",
    "tf.eye(16)[:10]",
    "tf.eye(10, num_columns=16, batch_shape=[1])",
    "tf.linalg.eye(10, 16, batch_shape=[tf.shape(x)[0]])",
    "keras.ops.eye(10, 16)",
    "keras.ops.identity(16)[:1]",
]


@pytest.mark.parametrize("expr", MADE_IN_CALL)
def test_tensors_made_in_call_agree_with_keras(expr):
    """A tensor made from a shape inside ``call()`` (stochastic depth's
    ``tf.random.uniform((tf.shape(x)[0], 1, 1))``) multiplied with the
    input: shapelint's output shape is Keras' (built on an Input of
    (None, 10, 16)), or not claimed where Keras raises."""
    _layer_agrees_with_keras(
        "class Drop(layers.Layer):\n"
        "    def call(self, x):\n"
        f"        return x * {expr}\n", "Drop")


# ------------------------------------------ tensor ops in a layer's call()
CALLS = [
    # (what __init__ keeps, what call() returns), as met in keras-io examples
    ("self.n = 7", "tf.linalg.matrix_transpose(x)"),
    ("self.n = 7", "x + tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))"),
    ("self.scale = 48 ** -0.5", "x * self.scale"),
    ("self.scale = 2 ** 0.5", "x * tf.cast(self.scale, dtype=x.dtype)"),
    ("self.n = 7", "x[..., tf.newaxis] * 2.0"),
    ("self.n = 7", "tf.concat([tf.repeat(x[:1], repeats=tf.shape(x)[0], axis=0), x], axis=1)"),
    ("self.n = 7", "tf.math.floormod(tf.cast(x, 'int32'), self.n)"),
    ("self.n = 7", "tf.math.unsorted_segment_sum(x, tf.cast(x[:, 0, 0], 'int32'), num_segments=tf.shape(x)[0])"),
    ("self.n = 7", "tf.gather(x, tf.cast(x[:, :2, 0], 'int32'), batch_dims=1)"),
    ("self.n = 7", "tf.math.top_k(x, k=3)[0]"),
    ("self.n = 7", "tf.linalg.normalize(x, axis=-1)[1]"),
    # a Lambda's sinusoidal embedding (ddim), a distance floored at epsilon (siamese_contrastive)
    ("self.n = 7", "x * tf.exp(tf.linspace(tf.math.log(1.0), tf.math.log(1000.0), 32 // 2))"),
    ("self.n = 7", "x * keras.ops.linspace(0.0, 1.0, 16)"),
    ("self.n = 7", "x * tf.linspace(0.0, 1.0, tf.shape(x)[-1])"),
    ("self.n = 7", "tf.math.maximum(x, keras.backend.epsilon())"),
    ("self.n = 7", "tf.math.sqrt(tf.math.maximum(x, keras.config.epsilon()))"),
    ("self.n = 7", "tf.sin(2.0 * math.pi * x) + x * np.e"),
    # slices whose bounds TensorFlow knows at run time: the axis stays, of size None
    ("self.n = 7", "x[:, :, :tf.shape(x)[0]]"),
    ("self.n = 7", "x[:, tf.shape(x)[0]:, :self.n]"),
    ("self.n = 7", "x[..., 1:tf.shape(x)[0]]"),
    ("self.n = 7", "x[:, :tf.shape(x)[1] - 1]"),
    # paddings spelled out as a constant tensor (keras-io's speech Transformer)
    ("self.n = 7", "tf.pad(x, tf.constant([[0, 0], [0, 3], [1, 1]]))"),
    ("self.n = 7", "tf.pad(x, tf.constant([[0, 0], [0, 3], [1, 1]]), 'CONSTANT')[:, :12]"),
    # a scalar tensor index: the axis goes
    ("self.n = 7", "x[:, tf.argmax(tf.reduce_sum(x, axis=[0, 2]))]"),
    ("self.n = 7", "x[:, tf.argmax(tf.reduce_sum(x, axis=[0, 2])), :5]"),
    ("self.n = 7", "x[:, tf.cast(tf.argmax(tf.reduce_sum(x, axis=[0, 2])), 'int32'), :tf.shape(x)[0]]"),
    # masking and ordering ops of keras-io layers (masked autoencoder, Swin, recommenders)
    ("self.n = 7", "tf.gather(x, tf.argsort(tf.random.uniform((tf.shape(x)[0], 10)), axis=-1)[:, 3:], "
                   "axis=1, batch_dims=1)"),
    ("self.n = 7", "tf.roll(tf.reverse(x, axis=[1]), shift=[-1, -1], axis=[1, 2])"),
    ("self.n = 7", "tf.tensordot(x, tf.ones((16, 3)), axes=1)"),
    ("self.n = 7", "tf.broadcast_to(tf.ones((1, 10, 1)), tf.shape(x))"),
    ("self.n = 7", "tf.cast(tf.sequence_mask(tf.ones((tf.shape(x)[0],), tf.int32), 10), x.dtype)[..., None] * x"),
    ("self.n = 7", "tf.gather_nd(x, tf.zeros((tf.shape(x)[0], 4, 1), tf.int32), batch_dims=1)"),
    # a list of tensors packed by a tf op, then split again (keras-io's attention MIL pooling)
    ("self.n = 7", "tf.math.softmax([x[:, 0], x[:, 1], x[:, 2]], axis=0)[1]"),
    ("self.n = 7", "tf.concat([tf.math.softmax([x[:, i] for i in range(3)], axis=0)[i] for i in range(3)], axis=-1)"),
]


@pytest.mark.parametrize("init,expr", CALLS)
def test_tensor_ops_in_a_layer_agree_with_keras(init, expr):
    """A layer whose ``call()`` uses the op on its (None, 10, 16) input:
    shapelint's output shape is the one Keras 3 gives, and exact."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    source = (
        "import math\nimport keras\nimport numpy as np\nimport tensorflow as tf\nfrom keras import layers\n"
        "class Op(layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"        {init}\n"
        "    def call(self, x):\n"
        f"        return {expr}\n"
        "y = Op()(keras.Input((10, 16)))\n"
    )
    ours = [layer for layer in analyze_source(source).layers if layer.layer == "Op"]
    namespace: dict = {}
    exec(compile(source.replace("y = Op()(keras.Input((10, 16)))\n", ""), "<op>", "exec"),  # noqa: S102
         namespace)
    truth = tuple(namespace["Op"]()(keras.Input((10, 16))).shape)
    assert len(ours) == 1
    assert (ours[0].output_shape, ours[0].exact) == (truth, True)
