"""The registry of library models: names, family order, and the precedence
that order encodes (numbers before data before tensor ops)."""
import re

import pytest

from shapelint.frontend import library
from shapelint.frontend.context import LibraryCall, ModuleState
from shapelint.frontend.library import registry, tensor_ops
from shapelint.frontend.resolve import normalise
from shapelint.frontend.values import Array, Tensor
from shapelint.unknown import UNKNOWN

library.load()
MODULES = [f"shapelint.frontend.library.{family}" for family in library.FAMILIES]
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Ctx:
    """The smallest Context: tensors are shapes in a dict."""

    def __init__(self):
        self.state = ModuleState()
        self.shapes = {}
        self.graph = None

    def tensor(self, shape, exact=True):
        t = Tensor(len(self.shapes))
        self.shapes[t.tid] = (shape, exact)
        return t

    def new_tensor(self, shape, node=None, *, origin="op", exact=False, inputs=()):
        return self.tensor(shape, exact)

    def shape_of(self, value):
        return self.shapes[value.tid][0] if isinstance(value, Tensor) else None

    def exact_of(self, value):
        return isinstance(value, Tensor) and self.shapes[value.tid][1]

    def shape_value(self, tensor):
        return self.shape_of(tensor)


def call(qualname, *args, **kwargs):
    return LibraryCall(qualname, list(args), kwargs, node=None)


def test_every_registered_name_is_a_normalised_dotted_name():
    names = registry.registered_names()
    assert len(names) > 1000
    for name in names:
        parts = name.split(".")
        assert len(parts) >= 2 and all(_IDENT.match(p) for p in parts), name
        assert normalise(name) == name, name


def test_families_are_the_registry_order_and_every_family_registers():
    assert [m for m, _ in sorted(registry._FAMILY_RANK.items(), key=lambda kv: kv[1])] == MODULES
    families = {e.family for entries in registry._EXACT.values() for e in entries}
    families |= {e.family for _, e in registry._PATTERNS}
    assert families == set(MODULES)


def test_candidates_follow_the_family_order():
    probes = registry.registered_names() + [
        "tensorflow.math.equal", "keras.utils.to_categorical", "keras.datasets.mnist.load_data",
        "tensorflow.data.Dataset.from_tensor_slices", "keras.backend.set_image_data_format"]
    rank = {m: i for i, m in enumerate(MODULES)}
    for name in probes:
        ranks = [rank[e.family] for e in registry.candidates(name)]
        assert ranks == sorted(ranks), name
    fams = lambda name: [e.family.rpartition(".")[2] for e in registry.candidates(name)]  # noqa: E731
    assert fams("tensorflow.cast") == ["scalars", "numpy_data", "tensor_ops"]  # a number, data, a tensor
    assert fams("tensorflow.math.equal") == ["scalars", "tensor_ops"]
    assert fams("tensorflow.constant") == ["scalars", "keras_data"]
    assert fams("tensorflow.convert_to_tensor") == ["scalars", "keras_data", "tensor_ops"]


def test_a_handler_outside_the_families_fails_loudly():
    with pytest.raises(ValueError, match="not a library family"):
        @library.handles("numpy.not_a_real_function")
        def _handler(ctx, call):  # pragma: no cover - never registered
            return None
    with pytest.raises(ValueError, match="not a library family"):
        @library.handles_matching(lambda name: False)
        def _pattern(ctx, call):  # pragma: no cover - never registered
            return None
    assert "numpy.not_a_real_function" not in registry.registered_names()


def test_each_tensor_op_has_one_home():
    with pytest.raises(ValueError, match="two tensor-op rules"):
        tensor_ops.op("reshape", keras=True)(lambda c, tf: (None, False))


def test_precedence_numbers_then_data_then_tensor_ops():
    ctx = Ctx()
    x = ctx.tensor((None, 5))
    assert library.dispatch(ctx, call("tensorflow.constant", 3)) == 3.0  # a number, not data
    assert library.dispatch(ctx, call("tensorflow.cast", 3, "float32")) == 3.0  # before the tensor op
    assert library.dispatch(ctx, call("tensorflow.math.equal", 64, 64)) is True
    out = library.dispatch(ctx, call("tensorflow.math.equal", x, 1))
    assert isinstance(out, Tensor) and ctx.shape_of(out) == (None, 5)
    data = Array((10, 3), "float")
    assert library.dispatch(ctx, call("tensorflow.convert_to_tensor", data)) is data  # data before the op
    out = library.dispatch(ctx, call("tensorflow.convert_to_tensor", x))
    assert isinstance(out, Tensor) and ctx.shape_of(out) == (None, 5)


def test_declining_everywhere_leaves_the_fallback_to_the_evaluator():
    ctx = Ctx()
    assert library.dispatch(ctx, call("keras.ops.reshape", [1, 2], (2,))) is library.DECLINE  # no tensor
    assert library.dispatch(ctx, call("numpy.zeros", UNKNOWN)) is library.DECLINE
    assert library.dispatch(ctx, call("somewhere.unknown")) is library.DECLINE
    # ... but a builtin that knows it cannot tell answers UNKNOWN itself.
    assert library.dispatch(ctx, call("builtins.len", UNKNOWN)) is UNKNOWN


def test_image_data_format_follows_the_program():
    ctx = Ctx()
    assert library.dispatch(ctx, call("keras.backend.image_data_format")) == "channels_last"
    assert library.dispatch(ctx, call("keras.config.set_image_data_format", "channels_first")) is None
    assert ctx.state.image_data_format_set
    # what Keras itself answers after the same call
    keras = pytest.importorskip("keras")
    old = keras.config.image_data_format()
    try:
        keras.config.set_image_data_format("channels_first")
        expected = keras.config.image_data_format()
    finally:
        keras.config.set_image_data_format(old)
    assert library.dispatch(ctx, call("keras.backend.image_data_format")) == expected == "channels_first"
    # a value the code does not show: the format is unknown from then on
    assert library.dispatch(ctx, call("keras.config.set_image_data_format", UNKNOWN)) is None
    assert library.dispatch(ctx, call("keras.backend.image_data_format")) is UNKNOWN
