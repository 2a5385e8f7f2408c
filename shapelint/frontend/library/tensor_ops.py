"""Tensor operations called on Keras tensors outside layers:
``tf.nn.relu(x)``, ``keras.ops.mean(x, axis=1)``, ``tf.concat([a, b], -1)``,
``ops.reshape(x, (-1, 4))`` ...

Each rule mirrors the op's own static shape logic: ``compute_output_spec`` in
``keras/src/ops/*.py`` for ``keras.ops.*`` (and ``keras.activations.*``), and
TensorFlow's graph shape inference for ``tensorflow.*``.  A rule gives the
shape and whether it is *exact*: every ``None`` in it is a ``None`` that
Keras/TensorFlow itself reports for symbolic inputs.  ``keras.backend.*`` (the
Keras 2 API, absent from Keras 3) is handled for a few ops, never exactly.

``@op(name, tf=, keras=, backend=, image=)`` registers a rule under exactly
the namespaces the op lives in: TensorFlow's ``tensorflow``/``.math``/``.nn``/
``.linalg``, ``keras.ops`` and its submodules with ``keras.activations``,
``keras.backend``, or (image ops) ``tensorflow.image``/``keras.ops.image``.
A tensor-op handler declines a call that passes no tensor (numbers are the
``scalars`` family's, data the data families').

A rule that finds operands TensorFlow/Keras certainly refuse (every size it
compares is a known int, or symbolic and provably different) raises
``Refused``: ``tensor_op`` records the error at the call (reported as
construction errors are, checks/construction.py under checks/policy.py) and
the call gives a tensor of unknown shape -- the program stops there, so
nothing after it is claimed.  A rule never refuses on a ``None``.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles
from shapelint.frontend.values import RUNTIME, Array, Tensor, takes_tensor
from shapelint.messages import INCOMPATIBLE_OP_OPERANDS, RESHAPE_SIZE_MISMATCH, FindingKind
from shapelint.shapes import dims
from shapelint.shapes.registry import ShapeError
from shapelint.unknown import UNKNOWN

Result = Tuple[Optional[tuple], bool]
Rule = Callable[["_Call", bool], Result]
_MISSING = object()

TF_MODULES = ("tensorflow", "tensorflow.math", "tensorflow.nn", "tensorflow.linalg")
KERAS_MODULES = ("keras.ops", "keras.ops.numpy", "keras.ops.nn", "keras.ops.core", "keras.ops.math",
                 "keras.ops.linalg", "keras.activations")
TF_IMAGE, KERAS_IMAGE, BACKEND = "tensorflow.image", "keras.ops.image", "keras.backend"
TF_SIGNAL = "tensorflow.signal"
# tf.image ops that keep the image's shape (TensorFlow's static inference).
_TF_IMAGE_SAME = {
    "convert_image_dtype", "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
    "adjust_gamma", "per_image_standardization", "flip_left_right", "flip_up_down",
    "random_flip_left_right", "random_flip_up_down", "random_brightness", "random_contrast",
    "random_saturation", "random_hue", "stateless_random_brightness", "stateless_random_contrast",
    "stateless_random_saturation", "stateless_random_hue", "stateless_random_flip_left_right",
    "stateless_random_flip_up_down",
}

ELEMENTWISE = {
    "relu", "relu6", "gelu", "swish", "silu", "sigmoid", "tanh", "softmax", "log_softmax", "elu",
    "selu", "softplus", "softsign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "abs",
    "negative", "sign", "cast", "identity", "stop_gradient", "clip_by_value", "clip",
    "l2_normalize", "normalize", "dropout", "erf", "floor", "ceil", "round", "leaky_relu",
    "hard_sigmoid", "hard_swish", "mish", "sin", "cos", "reciprocal", "convert_to_tensor",
    "zeros_like", "ones_like", "logical_not",
}
BINARY = {
    "add", "subtract", "multiply", "divide", "maximum", "minimum", "pow", "power", "true_divide",
    "floor_divide", "floordiv", "mod", "squared_difference", "divide_no_nan", "equal", "not_equal",
    "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_or",
}
# More element-wise ops of one namespace only (Keras' compute_output_spec or
# TensorFlow's UnchangedShape / BroadcastBinaryOpShapeFn).
KERAS_UNARY = {
    "absolute", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cosh", "sinh", "tan",
    "log10", "log2", "exp2", "trunc", "isnan", "isinf", "isfinite", "signbit", "erfinv", "cbrt",
    "conjugate", "deg2rad", "rad2deg", "nan_to_num", "hard_tanh", "hard_silu", "celu", "log_sigmoid",
    "sparse_plus", "squareplus", "tanh_shrink", "hard_shrink", "soft_shrink", "threshold",
    "sparse_sigmoid", "saturate_cast", "tril", "triu",
}
TF_UNARY = {
    "acos", "acosh", "asin", "asinh", "atan", "atanh", "cosh", "sinh", "tan", "is_nan", "is_inf",
    "is_finite", "log_sigmoid", "erfc", "erfinv", "lgamma", "digamma", "reciprocal_no_nan", "rint",
}
# (Keras' bitwise ops and shifts are left out: their compute_output_spec is
# the first operand's shape, unbroadcast.)
KERAS_BINARY = {"arctan2", "hypot", "fmod", "logaddexp", "logical_xor", "heaviside", "nextafter", "gcd", "lcm"}
TF_BINARY = {"atan2", "xdivy", "xlogy", "xlog1py", "logical_xor", "igamma", "zeta", "polygamma"}
# name -> (positional index of axis, of keepdims); TensorFlow spells them reduce_*.
REDUCTIONS = {name: (1, 2) for name in (
    "mean", "sum", "max", "min", "prod", "std", "var", "logsumexp", "any", "all", "amax", "amin",
    "reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_std",
    "reduce_variance", "reduce_logsumexp", "reduce_any", "reduce_all", "reduce_euclidean_norm",
    "argmax", "argmin")}
REDUCTIONS["norm"] = (2, 3)

_RULES: Dict[str, Rule] = {}  # qualified name -> its rule (one home per op)


# ------------------------------------------------------------ registration
def op(*names: str, tf: bool = False, keras: bool = False, backend: bool = False,
       image: bool = False, modules: Tuple[str, ...] = ()) -> Callable[[Rule], Rule]:
    """Register a shape rule for ``names`` in the namespaces the op lives in:
    ``tf``: tensorflow and its math/nn/linalg modules (``tensorflow.image``
    for an ``image`` op); ``keras``: keras.ops, its submodules and
    keras.activations (``keras.ops.image`` for an ``image`` op);
    ``backend``: the Keras 2 ``keras.backend``; ``modules``: exactly these
    (an op that lives in one or two modules only: ``tensorflow.signal``)."""
    if image:
        found: Tuple[str, ...] = (TF_IMAGE,) * tf + (KERAS_IMAGE,) * keras
    else:
        found = TF_MODULES * tf + KERAS_MODULES * keras + (BACKEND,) * backend
    modules = found + tuple(modules)

    def decorate(rule: Rule) -> Rule:
        qualnames = [f"{module}.{name}" for name in names for module in modules]
        for qualname in qualnames:
            if qualname in _RULES:
                raise ValueError(f"{qualname} has two tensor-op rules")
            _RULES[qualname] = rule
        handles(*qualnames)(tensor_op)
        return rule

    return decorate


class Refused(Exception):
    """Raised by a rule: TensorFlow (``tensorflow.*``) or Keras certainly
    refuse the call's operands.  ``what``: what does not fit, said of the
    operands (``multiplies (3, 4) by (5, 6): the inner sizes 4 and 5
    differ``); ``tf_said``: what TensorFlow raises (``TensorFlow raises
    ("Matrix size-incompatible ...")``), which is also what a keras.ops call
    on eager or traced tensors meets; ``keras_said``: what Keras' own shape
    rule raises on a KerasTensor (keras.ops only); ``kind``: the finding."""

    def __init__(self, kind: FindingKind, what: str, tf_said: str, keras_said: Optional[str] = None,
                 fix: str = ""):
        super().__init__(what)
        self.kind, self.what, self.fix = kind, what, fix
        self.tf_said, self.keras_said = tf_said, keras_said

    def error(self, callee: str, symbolic: bool = False, call: bool = True) -> ShapeError:
        """The error recorded at the call, ``callee`` as the program spells it
        (``call``: a function, shown ``callee(...)``; else an operator's
        text, shown as given); ``symbolic``: on a KerasTensor, where Keras'
        rule raises."""
        said = self.keras_said if symbolic and self.keras_said else self.tf_said
        return ShapeError(self.kind, f"{callee}{'(...)' if call else ''} {self.what}; {said}", self.fix)


def spelled_callee(node: Any, default: str) -> str:
    """The called name as the program spells it (``tf.matmul``), shortened
    to its last part past 40 characters."""
    func = getattr(node, "func", None)
    try:
        callee = func.as_string() if func is not None else default
    except Exception:  # pylint: disable=broad-except
        callee = default
    return callee.rsplit(".", 1)[-1] if len(callee) > 40 else callee


def tensor_op(ctx: Context, call: LibraryCall) -> Any:
    """A new tensor of the op's shape, when the call passes a tensor (the
    shape is None when the rule cannot tell it, or the op refuses the
    operands: that error is recorded at the call)."""
    shape_of, exact_of = _with_arrays(ctx)
    if not takes_tensor(call.args, call.kwargs):
        # numpy data only (the data families declined it): TensorFlow makes
        # tensors of it, so what it refuses is still refused.  A reshape of
        # data is the numpy family's to judge (it records its refusal).
        if call.name != "reshape" and any(isinstance(v, Array) for v in list(call.args) + list(call.kwargs.values())):
            try:
                op_result(call.qualname, call.args, call.kwargs, shape_of, exact_of)
            except Refused as refused:
                ctx.record_error(call.node, refused.error(spelled_callee(call.node, call.name), False))
                return UNKNOWN
        return DECLINE
    # a constant the traced call() made of a literal: its values, for the
    # ops that read them (the same shape and exactness as the tensor)
    constants = getattr(getattr(ctx, "symbolic", None), "constant_arrays", None)
    args, kwargs = call.args, call.kwargs
    if constants:
        args = [constants.get(a.tid, a) if isinstance(a, Tensor) else a for a in args]
        kwargs = {k: constants.get(v.tid, v) if isinstance(v, Tensor) else v for k, v in kwargs.items()}
    try:
        shape, exact = op_result(call.qualname, args, kwargs, shape_of, exact_of)
    except Refused as refused:
        ctx.record_error(call.node, refused.error(spelled_callee(call.node, call.name),
                                                  ctx.keras_symbolic([call.args, call.kwargs])))
        shape, exact = None, False
    if isinstance(shape, Outputs):
        outs = [ctx.new_tensor(s, call.node, origin="op", exact=exact, inputs=[call.args, call.kwargs])
                for s in shape]
        return outs if isinstance(shape, OutputList) else tuple(outs)
    return ctx.new_tensor(shape, call.node, origin="op", exact=exact, inputs=[call.args, call.kwargs])


def _with_arrays(ctx: Context):
    """``shape_of``/``exact_of`` for the rules, a numpy array being the
    tensor TensorFlow and Keras make of it: its shape (a size the code does
    not show is None, and then the shape is not exact)."""

    def shape_of(value):
        if isinstance(value, Array):
            return tuple(value.shape) if value.shape is not None else None
        return ctx.shape_of(value)

    def exact_of(value):
        if isinstance(value, Array):
            return value.shape is not None and all(dims.is_int(d) for d in value.shape)
        return ctx.exact_of(value)

    return shape_of, exact_of


class Outputs(tuple):
    """The shapes of an op that returns several tensors (``moments``: the
    mean and the variance), in order: the op returns them as a tuple."""


class OutputList(Outputs):
    """As ``Outputs``, for an op that returns a Python list (``tf.split``,
    ``tf.unstack``): the program may assign its items (``parts[0] = ...``)."""


def op_result(qualname: str, args: List[Any], kwargs: dict, shape_of: Callable[[Any], Any],
              exact_of: Callable[[Any], bool]) -> Result:
    """(shape, exact) of ``qualname(*args, **kwargs)``; (None, False) for a
    name no rule models.

    ``shape_of(v)``: a tensor's shape, or None (not a tensor / rank unknown).
    ``exact_of(v)``: True when v is a tensor whose None dims are Keras' own.
    ``exact`` is True only when every tensor and argument the rule read was
    exact and the shape is what Keras 3 (TensorFlow for ``tensorflow.*``)
    reports, None dims included.  The shape may be partly None otherwise.
    Raises ``Refused`` when TensorFlow/Keras certainly refuse the operands
    (never for ``keras.backend.*``, which Keras 3 lacks: (None, False))."""
    rule = _RULES.get(qualname)
    if rule is None:
        return None, False
    module, _, name = qualname.rpartition(".")
    # a size known at run time reads as the rules' None (a dynamic size)
    args, kwargs = _runtime_as_none(args), {k: _runtime_as_none(v) for k, v in kwargs.items()}
    call = _Call(name, args, kwargs, shape_of, exact_of)
    call.packs = module in TF_MODULES or module in (TF_IMAGE, TF_SIGNAL)
    try:
        shape, exact = rule(call, call.packs)
    except Refused:
        if module == BACKEND:
            return None, False
        raise
    return shape, bool(exact and call.exact and shape is not None and module != BACKEND)


def op_shape(qualname: str, args: List[Any], kwargs: dict, shape_of: Callable[[Any], Any]) -> Any:
    """The output shape of ``qualname(*args, **kwargs)``, or None if unknown
    (or refused)."""
    try:
        return op_result(qualname, args, kwargs, shape_of, lambda _v: False)[0]
    except Refused:
        return None


# ---------------------------------------------------------------- helpers
def _runtime_as_none(v):
    if v is RUNTIME:
        return None
    if isinstance(v, (list, tuple)) and any(e is RUNTIME or isinstance(e, (list, tuple)) for e in v):
        return type(v)(_runtime_as_none(e) for e in v)
    return v


def _has_unknown(v) -> bool:
    if v is UNKNOWN:
        return True
    if isinstance(v, (list, tuple)):
        return any(_has_unknown(e) for e in v)
    if isinstance(v, dict):
        return any(_has_unknown(e) for e in v.values())
    return False


def _is_one(d) -> Optional[bool]:
    return None if d is None else dims.equal(d, 1)


def _canon(axis, rank) -> Optional[int]:
    """``canonicalize_axis``: a valid axis made non-negative, else None."""
    return axis % rank if dims.is_int(axis) and -rank <= axis < rank else None


def _exact_div(a, b):
    """``a // b`` when b provably divides a, else None."""
    return dims.exact_div(a, b)


def _literal_shape(v) -> Optional[tuple]:
    """The shape ``np.array(v)`` has for nested lists of ints."""
    if dims.is_int(v):
        return ()
    if isinstance(v, (list, tuple)) and v:
        inner = {_literal_shape(e) for e in v}
        if len(inner) == 1 and None not in inner:
            return (len(v),) + inner.pop()
    return None


def _merge_dim(a, b):
    """TensorFlow's ``Merge`` of two compatible dims: None yields to a size."""
    if a is None or b is None:
        return b if a is None else a
    return a if dims.equal(a, b) else None


class _Call:
    """One call's arguments.  Reading an argument through ``get``/``shape``
    records whether everything the rule used was exact."""

    def __init__(self, name, args, kwargs, shape_of, exact_of):
        self.name = name  # the op's own name (``reduce_mean``), for rules shared by several ops
        self.args, self.kwargs = list(args), kwargs
        self.shape_of, self.exact_of = shape_of, exact_of
        self.exact = True
        # TensorFlow converts a list of tensors given for a tensor to their
        # stack (``tf.math.softmax([a, b], axis=0)``); Keras' ops do not.
        self.packs = False

    def get(self, index: Optional[int], *names: str, default: Any = None) -> Any:
        """The argument passed by one of ``names`` or at position ``index``."""
        for n in names:
            if n in self.kwargs:
                value = self.kwargs[n]
                break
        else:
            value = self.args[index] if index is not None and index < len(self.args) else default
        if _has_unknown(value):
            self.exact = False
        return value

    def shape(self, value) -> Optional[tuple]:
        """A tensor argument's shape (None: not a tensor or rank unknown)."""
        if self.packs and isinstance(value, (list, tuple)) and value and _all_tensors(value, self.shape_of):
            return self._packed(value)
        shape = self.shape_of(value)
        if shape is None or not self.exact_of(value):
            self.exact = False
        return None if shape is None else tuple(shape)

    def _packed(self, items) -> Optional[tuple]:
        """The shape of the tensor TensorFlow packs a list of tensors into
        (``tf.convert_to_tensor``: their stack, the sizes merged as
        ``tf.stack``'s shape function does); None unless every item is a
        tensor of one rank with no two known sizes that differ."""
        shapes = []
        for item in items:
            if isinstance(item, (list, tuple)):
                shape = self._packed(item)
            else:
                shape = self.shape_of(item)
                if shape is not None and not self.exact_of(item):
                    self.exact = False
            if shape is None:
                self.exact = False
                return None
            shapes.append(tuple(shape))
        if len({len(s) for s in shapes}) != 1:
            self.exact = False
            return None
        merged = list(shapes[0])
        for shape in shapes[1:]:
            for i, (a, b) in enumerate(zip(merged, shape)):
                if a is not None and b is not None and not dims.equal(a, b):
                    self.exact = False
                    return None
                merged[i] = _merge_dim(a, b)
        if len(set(shapes)) != 1:
            self.exact = False  # a None merged with a size: TensorFlow's own shape may differ
        return (len(shapes),) + tuple(merged)

    def operand(self, value) -> Optional[tuple]:
        """A tensor's shape, or ``()`` for a Python number."""
        if isinstance(value, (int, float)) or dims.is_symbolic(value):
            return ()  # a number, or a size the program computed (self.num_buckets)
        return self.shape(value)

    def x(self) -> Optional[tuple]:
        """The shape of the first (input) tensor, however it is passed."""
        return self.shape(self.get(0, "x", "input", "features", "logits", "t", "value", "tensor",
                                   "input_tensor", "images", "a", "params", "indices"))


def _all_tensors(items, shape_of) -> bool:
    """A non-empty list (nested lists allowed) of nothing but tensors (or
    arrays) of known rank."""
    return bool(items) and all(_all_tensors(i, shape_of) if isinstance(i, (list, tuple))
                               else not isinstance(i, (int, float, str, bool)) and i is not None
                               and shape_of(i) is not None for i in items)


def broadcast_result(a, b) -> Result:
    """Keras' ``broadcast_shapes`` (TensorFlow's ``BroadcastBinaryOpShapeFn``
    agrees): None vs 1 is None, None vs k is k.  An undecidable dim or sizes
    Keras would refuse give None and a non-exact result."""
    if a is None or b is None:
        return None, False
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out, exact = [], True
    for x, y in zip(a, b):
        if x is None or y is None:
            other = y if x is None else x
            one = _is_one(other)
            out.append(None if one in (True, None) else other)
            exact = exact and (other is None or one is not None)
        elif _is_one(x):
            out.append(y)
        elif _is_one(y) or dims.equal(x, y):
            out.append(x)
        else:
            out.append(None)
            exact = False
    return tuple(out), exact


def broadcast(a, b) -> Optional[tuple]:
    """The broadcast shape of ``a`` and ``b`` (see ``broadcast_result``)."""
    return broadcast_result(a, b)[0]


def _never_broadcast(x, y) -> bool:
    """Two aligned sizes every broadcast refuses: neither is (or may be) 1
    and they provably differ.  A None never refuses."""
    return (x is not None and y is not None and _is_one(x) is False and _is_one(y) is False
            and dims.equal(x, y) is False)


def broadcast_clash(a, b) -> Optional[Tuple[Any, Any]]:
    """The first aligned pair of sizes of ``a`` and ``b`` (shapes of known
    rank) that cannot broadcast, as Keras' ``broadcast_shapes`` and
    TensorFlow's ``BroadcastBinaryOpShapeFn`` refuse them; None if none."""
    if a is None or b is None:
        return None
    n = max(len(a), len(b))
    for x, y in zip((1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)):
        if _never_broadcast(x, y):
            return x, y
    return None


def _tf_shape(shape) -> str:
    """A shape as TensorFlow prints it in its errors: ``[32,10]``, ``[?,10]``."""
    return "[" + ",".join("?" if d is None else dims.fmt_dim(d) for d in shape) + "]"


def _tf_said(shapes, eager: str, graph: str) -> str:
    """What TensorFlow says: its kernel's words (eager tensors, every size
    known), else its graph shape inference's."""
    known = all(dims.is_int(d) for s in shapes for d in s)
    return f"TensorFlow raises (\"{eager if known else graph}\")"


def refuse_broadcast(a, b, tf: bool, verb: str = "broadcasts") -> None:
    """Raise ``Refused`` when shapes ``a`` and ``b`` cannot broadcast."""
    clash = broadcast_clash(a, b)
    if clash is None:
        return
    x, y = clash
    tf_said = _tf_said((a, b), f"Incompatible shapes: {_tf_shape(a)} vs. {_tf_shape(b)}",
                       f"Dimensions must be equal, but are {dims.fmt_dim(x)} and {dims.fmt_dim(y)}")
    raise Refused(INCOMPATIBLE_OP_OPERANDS,
                  f"{verb} shapes {dims.fmt_shape(a)} and {dims.fmt_shape(b)}: aligned from the last axis, "
                  f"sizes {dims.fmt_dim(x)} and {dims.fmt_dim(y)} differ and neither is 1", tf_said,
                  None if tf else _keras_broadcast_said(x, y),
                  "element-wise operands need equal sizes (or 1) on each axis counted from the last")


def _keras_broadcast_said(x, y) -> str:
    return (f"Keras raises (\"Cannot broadcast shape, the failure dim has value {dims.fmt_dim(x)}, which "
            f"cannot be broadcasted to {dims.fmt_dim(y)}\")")


def reduced_shape(shape, axis, keepdims) -> Optional[tuple]:
    """Keras' ``reduce_shape``; None when an axis is invalid or repeated."""
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    picked = [_canon(a, len(shape)) for a in axes]
    if None in picked or len(set(picked)) != len(picked):
        return None
    if keepdims:
        return tuple(1 if i in picked else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in picked)


# ------------------------------------------------------------------ rules
@op(*sorted(ELEMENTWISE - {"clip", "normalize", "clip_by_value"}), tf=True, keras=True, backend=True)
@op("clip", "normalize", keras=True, backend=True)  # tf.linalg.normalize returns (tensor, norm)
@op("clip_by_value", tf=True)
@op("dbscale", modules=("tensorflow_io.audio",))  # tensorflow_io: 10*log10(x**2), floored at max - top_db
@op("real", "imag", "conj", "angle", tf=True, keras=True)  # of a real tensor too: its own shape
@op(*sorted(KERAS_UNARY), keras=True)
@op(*sorted(TF_UNARY), tf=True)
def _unary(c: _Call, _tf: bool) -> Result:
    """Element-wise ops and activations keep the shape."""
    return c.x(), True


@op(*sorted(BINARY), tf=True, keras=True, backend=True)
@op("floormod", "truncatemod", "truncatediv", "complex", tf=True)  # tf.complex(real, imag) broadcasts
@op(*sorted(KERAS_BINARY), keras=True)
@op(*sorted(TF_BINARY), tf=True)
def _binary(c: _Call, tf: bool) -> Result:
    """``broadcast_shapes`` of the two operands; refused when two known
    sizes differ and neither is 1."""
    a, b = c.operand(c.get(0, "x1", "x", "real")), c.operand(c.get(1, "x2", "y", "imag"))
    refuse_broadcast(a, b, tf)
    return broadcast_result(a, b)


@op("where", tf=True, keras=True)
def _where(c: _Call, _tf: bool) -> Result:
    """``Where.compute_output_spec`` / ``SelectV2``: the three broadcast."""
    x1, x2 = c.get(1, "x1", "x", default=_MISSING), c.get(2, "x2", "y", default=_MISSING)
    if _MISSING in (x1, x2):
        return None, False  # the one-argument form's size depends on the data
    first, ok1 = broadcast_result(c.operand(c.get(0, "condition")), c.operand(x1))
    out, ok2 = broadcast_result(first, c.operand(x2))
    return out, ok1 and ok2


@op("mean", "sum", "max", "min", "prod", "std", "var", "logsumexp", "any", "all", keras=True, backend=True)
@op("amax", "amin", keras=True)
@op(*sorted(n for n in REDUCTIONS if n.startswith("reduce_")), tf=True)
@op("argmax", "argmin", "norm", tf=True, keras=True)
def _reduction(c: _Call, tf: bool) -> Result:
    """``reduce_shape``; TensorFlow's argmax/argmin default to axis 0 and
    take no keepdims."""
    name = c.name
    shape = c.x()
    at_axis, at_keep = REDUCTIONS[name]
    if tf and name in ("argmax", "argmin"):
        axis, keepdims = c.get(1, "axis", "dimension"), False
        axis = 0 if axis is None else axis
    else:
        axis = c.get(at_axis, "axis", "reduction_indices")
        keepdims = c.get(at_keep, "keepdims", "keep_dims", default=False)
    if keepdims is None and tf:
        keepdims = False
    if shape is None or keepdims not in (True, False):
        return None, False
    return reduced_shape(shape, axis, keepdims), True


@op("reshape", tf=True, keras=True, backend=True)
def _reshape(c: _Call, tf: bool) -> Result:
    """``compute_reshape_output_shape``: a -1 is only resolved when the input
    and every other target size are known.  TensorFlow resolves a single
    dynamic size the same way (``tf.reshape(x, [tf.shape(y)[0], 24])`` on a
    fully known x), Keras leaves it None."""
    shape = c.x()
    target = c.get(1, "shape" if tf else "newshape")
    if c.shape_of(target) is not None:  # a shape tensor: only its length
        n = c.shape_of(target)
        return ((None,) * n[0] if len(n) == 1 and dims.is_int(n[0]) else None), False
    if not isinstance(target, (list, tuple)):
        return None, False
    out = []
    for d in target:
        if not (dims.is_size(d) or d is None):
            c.exact = False
            d = UNKNOWN
        out.append(d)
    if any(dims.is_int(d) and d < -1 for d in out) or out.count(-1) > 1:
        return None, False  # Keras refuses these
    if shape is not None:
        _refuse_reshape(shape, out, tf)
    holes = [i for i, d in enumerate(out) if d is None or d is UNKNOWN or d == -1]
    result = [None if i in holes else d for i, d in enumerate(out)]
    known = dims.product(d for i, d in enumerate(out) if i not in holes)
    if shape is None:
        return tuple(result), False
    if None in shape:
        # TensorFlow refuses a full target that the input's known sizes cannot divide.
        fits = _exact_div(known, dims.product(d for d in shape if d is not None)) is not None
        return tuple(result), bool(holes) or not tf or fits
    total = dims.product(shape)
    if not holes:
        return tuple(result), dims.equal(total, known) is True
    if -1 in out and len(holes) == 1 or tf and len(holes) == 1 and out[holes[0]] is None:
        size = _exact_div(total, known)
        result[holes[0]] = size
        return tuple(result), size is not None
    return tuple(result), UNKNOWN not in out


def _refuse_reshape(shape: tuple, target: list, tf: bool) -> None:
    """Raise ``Refused`` (reshape-size-mismatch) when every size of the
    tensor and of the target is a known int (one -1 aside) and the target
    cannot hold the tensor's values; for TensorFlow also when the tensor has
    one None size but its known ones cannot divide a target with no -1 (its
    shape inference refuses that; Keras decides only at run time)."""
    if not all(dims.is_int(d) for d in target) or not all(dims.is_int(d) or d is None for d in shape):
        return
    rest = dims.product(d for d in target if d != -1)
    known = dims.product(d for d in shape if d is not None)
    if None in shape:
        if not tf or shape.count(None) != 1 or -1 in target or known == 0 or rest % known == 0:
            return  # TensorFlow leaves two unknown sizes to run time
        tf_said = (f"TensorFlow raises (\"Dimension size must be evenly divisible by {known} but is "
                   f"{rest}\")")
        what = (f"reshapes a tensor of shape {dims.fmt_shape(shape)} into {dims.fmt_shape(tuple(target))}: "
                f"{rest:,} values, not a multiple of the {known:,} that its known sizes hold")
        raise Refused(RESHAPE_SIZE_MISMATCH, what, tf_said, None,
                      f"the sizes must multiply to a multiple of {known:,} (use -1 for the unknown one)")
    if -1 in target:
        if rest == 0 or known % rest == 0:
            return
        wanted = f"a multiple of {rest:,} values (the sizes other than -1 multiply to {rest:,})"
        eager = (f"Input to reshape is a tensor with {known} values, but the requested shape requires a multiple "
                 f"of {rest}")
        keras_said = ("Keras raises (\"The total size of the tensor must be unchanged, however, the input size "
                      "cannot by divided by the specified dimensions\")")
    else:
        if rest == known:
            return
        wanted = f"{rest:,} values"
        eager = f"Input to reshape is a tensor with {known} values, but the requested shape has {rest}"
        keras_said = "Keras raises (\"The total size of the tensor must be unchanged\")"
    what = (f"reshapes a tensor of shape {dims.fmt_shape(shape)} ({known:,} values) into "
            f"{dims.fmt_shape(tuple(target))}, which needs {wanted}")
    raise Refused(RESHAPE_SIZE_MISMATCH, what, f"TensorFlow raises (\"{eager}\")", None if tf else keras_said,
                  f"make the sizes multiply to {known:,}, or use -1 for one of them")


@op("expand_dims", tf=True, keras=True)
def _expand_dims(c: _Call, tf: bool) -> Result:
    """``compute_expand_dims_output_shape`` (TensorFlow: one int axis)."""
    shape, axis = c.x(), c.get(1, "axis")
    axes = axis if isinstance(axis, (list, tuple)) and not tf else (axis,)
    if shape is None:
        return None, False
    rank = len(shape) + len(axes)
    picked = {_canon(a, rank) for a in axes}
    if tf and dims.is_int(axis) and None in picked:
        raise _tf_refused(
            f"adds axis {axis} to {dims.fmt_shape(shape)}, of rank {len(shape)}: the axis must be in "
            f"[{-rank}, {rank - 1}]", f"dim {axis} not in the interval [{-rank}, {rank - 1}]",
            f"use an axis in [{-rank}, {rank - 1}] (-1 adds one last)")
    if None in picked or len(picked) != len(axes):
        return None, False
    rest = iter(shape)
    return tuple(1 if i in picked else next(rest) for i in range(rank)), True


@op("squeeze", tf=True, keras=True)
def _squeeze(c: _Call, tf: bool) -> Result:
    """``Squeeze.compute_output_spec``: Keras drops size-1 axes and refuses to
    squeeze a None; TensorFlow squeezes a None axis when named and loses the
    rank when not."""
    shape, axis = c.x(), c.get(1, "axis", "squeeze_dims")
    if shape is None:
        return None, False
    if axis is None or tf and axis == []:  # tf.squeeze(x, []) squeezes all
        ones = [_is_one(d) for d in shape]
        if None in ones and (tf or any(d is not None and o is None for d, o in zip(shape, ones))):
            return None, False
        return tuple(d for d, one in zip(shape, ones) if not one), True
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    picked = {_canon(a, len(shape)) for a in axes}
    if None in picked:
        return None, False
    ones = [_is_one(shape[a]) for a in picked]
    if tf:
        for a in sorted(picked):
            if dims.is_int(shape[a]) and shape[a] != 1:
                raise _tf_refused(
                    f"squeezes axis {a} of {dims.fmt_shape(shape)}, of size {shape[a]}: only an axis of size 1 "
                    f"can be squeezed", f"Can not squeeze dim[{a}], expected a dimension of 1, got {shape[a]}",
                    "squeeze an axis of size 1, or reshape (tf.reshape) to the shape you mean")
    exact = all(ones) or tf and all(o or shape[a] is None for o, a in zip(ones, picked))
    return tuple(d for i, d in enumerate(shape) if i not in picked), exact


@op("transpose", tf=True, keras=True)
def _transpose(c: _Call, tf: bool) -> Result:
    """``compute_transpose_output_shape``."""
    shape, perm = c.x(), c.get(1, "perm" if tf else "axes")
    if shape is None:
        return None, False
    if perm is None:
        return tuple(reversed(shape)), True
    if tf and isinstance(perm, (list, tuple)) and len(perm) != len(shape) and all(dims.is_int(a) for a in perm):
        raise _tf_refused(
            f"permutes {dims.fmt_shape(shape)} (rank {len(shape)}) by {list(perm)}, a permutation of "
            f"{len(perm)} axes", f"Dimension must be {len(shape)} but is {len(perm)}",
            f"give one axis per dimension: a permutation of range({len(shape)})")
    if not isinstance(perm, (list, tuple)) or len(perm) != len(shape):
        return None, False
    picked = [_canon(a, len(shape)) for a in perm]
    if None in picked or len(set(picked)) != len(shape):
        return None, False
    return tuple(shape[a] for a in picked), True


@op("matrix_transpose", "adjoint", modules=("tensorflow.linalg",))
@op("swapaxes", modules=("keras.ops", "keras.ops.numpy"))
def _swapaxes(c: _Call, tf: bool) -> Result:
    """``tf.linalg.matrix_transpose``/``adjoint``: the last two axes swapped
    (TensorFlow refuses a rank below 2); ``Swapaxes.compute_output_spec``:
    ``axis1`` and ``axis2`` swapped."""
    shape = c.x()
    if shape is None:
        return None, False
    if tf:
        first, second = -2, -1
    else:
        first, second = c.get(1, "axis1"), c.get(2, "axis2")
    a, b = _canon(first, len(shape)), _canon(second, len(shape))
    if a is None or b is None:
        return None, False
    out = list(shape)
    out[a], out[b] = shape[b], shape[a]
    return tuple(out), True


@op("tile", tf=True, keras=True)
def _tile(c: _Call, tf: bool) -> Result:
    """``Tile.compute_output_spec`` (Keras pads the shorter of shape and
    repeats with 1s; TensorFlow needs one multiple per axis)."""
    shape, reps = c.x(), c.get(1, "multiples" if tf else "repeats")
    reps = [reps] if dims.is_int(reps) and not tf else reps
    if shape is None or not isinstance(reps, (list, tuple)) or tf and len(reps) != len(shape):
        return None, False
    reps = [1] * (len(shape) - len(reps)) + list(reps)
    shape = (1,) * (len(reps) - len(shape)) + shape
    exact = all(dims.is_size(r) or tf and r is None for r in reps)
    return tuple(dims.mul(d, r) if dims.is_size(r) else None for d, r in zip(shape, reps)), exact


@op("concatenate", keras=True)
@op("concat", tf=True)
def _concatenate(c: _Call, tf: bool) -> Result:
    """``Concatenate.compute_output_spec``: Keras keeps the first tensor's
    sizes off the axis; TensorFlow merges them (None yields to a size)."""
    tensors = c.get(0, "values" if tf else "xs", "tensors")
    axis = c.get(1, "axis", default=None if tf else 0)
    return _join(c, tf, tensors, axis, stack=False)


@op("stack", tf=True, keras=True)
def _stack(c: _Call, tf: bool) -> Result:
    """``Stack.compute_output_spec``: a new axis of size len(xs)."""
    return _join(c, tf, c.get(0, "values" if tf else "x"), c.get(1, "axis", default=0), stack=True)


def _join(c: _Call, tf: bool, tensors, axis, stack: bool) -> Result:
    if not isinstance(tensors, (list, tuple)) or not tensors:
        return None, False
    shapes = [c.shape(t) for t in tensors]
    if any(s is None for s in shapes):
        return None, False
    if len({len(s) for s in shapes}) != 1:
        _refuse_join(shapes, axis, tf, stack, None)
    first = shapes[0]
    axis = _canon(axis, len(first) + stack)
    if axis is None:
        return None, False
    out, exact = list(first), True
    for other in shapes[1:]:
        for i, b in enumerate(other):
            if i == axis and not stack:
                continue
            a = out[i] if tf else first[i]  # TensorFlow checks against the sizes merged so far
            same = None if a is None or b is None else dims.equal(a, b)
            if same is False:  # both refuse provably different sizes off the axis
                _refuse_join(shapes, axis, tf, stack, (i, a, b, other))
            if same is None and a is not None and b is not None:
                exact = False  # sizes that may differ
                out[i] = None
            elif tf:
                out[i] = _merge_dim(out[i], b)
    if stack:
        out.insert(axis, len(shapes))
    else:
        out[axis] = 0
        for s in shapes:
            out[axis] = dims.add(out[axis], s[axis])
    return tuple(out), exact


def _refuse_join(shapes, axis, tf: bool, stack: bool, clash) -> None:
    """Raise ``Refused`` for a concatenate/stack of ``shapes``: of different
    ranks (``clash`` None), or with sizes ``a`` and ``b`` at axis ``i`` that
    differ (``clash``: ``(i, a, b, other)``)."""
    shown = " and ".join(dims.fmt_shape(s) for s in shapes) if len(shapes) <= 3 else \
        f"{len(shapes)} tensors, {dims.fmt_shape(shapes[0])} first"
    verb = "stacks" if stack else "concatenates"
    if clash is None:
        other = next(s for s in shapes if len(s) != len(shapes[0]))
        what = f"{verb} {shown}: their ranks differ ({len(shapes[0])} vs {len(other)})"
        if stack:
            tf_said = _tf_said(shapes, "Shapes of all inputs must match",
                               f"Shapes must be equal rank, but are {len(shapes[0])} and {len(other)}")
        else:
            tf_said = _tf_said(shapes, "ConcatOp : Ranks of all input tensors should match",
                               f"Shape must be rank {len(shapes[0])} but is rank {len(other)}")
        keras_said = f"Keras raises (\"Every value in `{'x' if stack else 'xs'}` must have the same shape\")"
        raise Refused(INCOMPATIBLE_OP_OPERANDS, what, tf_said, None if tf else keras_said,
                      "give every tensor the same rank")
    i, a, b, other = clash
    joined = "" if stack else f" on axis {axis}"
    what = f"{verb} {shown}{joined}: their sizes on axis {i} differ ({dims.fmt_dim(a)} vs {dims.fmt_dim(b)})"
    graph = f"Dimension {i} in both shapes must be equal, but are {dims.fmt_dim(a)} and {dims.fmt_dim(b)}"
    if stack:
        tf_said = _tf_said(shapes, f"Shapes of all inputs must match: values[0].shape = {_tf_shape(shapes[0])} != "
                           f"values[{shapes.index(other)}].shape = {_tf_shape(other)}", graph)
        keras_said = "Keras raises (\"Every value in `x` must have the same shape\")"
    else:
        tf_said = _tf_said(shapes, f"ConcatOp : Dimension {i} in both shapes must be equal", graph)
        keras_said = "Keras raises (\"Every value in `xs` must have the same shape except on the `axis` dim\")"
    fix = ("stacked tensors need the same shape" if stack else
           f"concatenated tensors need the same size on every axis but the one joined (axis {axis})")
    raise Refused(INCOMPATIBLE_OP_OPERANDS, what, tf_said, None if tf else keras_said, fix)


@op("one_hot", tf=True, keras=True, backend=True)
def _one_hot(c: _Call, tf: bool) -> Result:
    """``OneHot.compute_output_spec`` (Keras: axis -1 or in [0, rank));
    ``tf.one_hot`` takes axis -1 or in [0, rank]."""
    shape = c.x()
    depth = c.get(1, "depth" if tf else "num_classes")
    axis = c.get(4 if tf else 2, "axis", default=-1)
    if tf and axis is None:
        axis = -1
    if shape is None or not dims.is_int(axis) or not -1 <= axis < len(shape) + tf:
        return None, False
    axis = len(shape) if axis == -1 else axis
    return shape[:axis] + ((depth if dims.is_size(depth) else None),) + shape[axis:], dims.is_size(depth)


@op("matmul", tf=True, keras=True)
def _matmul(c: _Call, tf: bool) -> Result:
    """``compute_matmul_output_shape`` (Keras promotes 1-D operands);
    TensorFlow's ``BatchMatMulV2`` with its transpose/adjoint flags."""
    a = c.shape(c.get(0, "a" if tf else "x1"))
    b = c.shape(c.get(1, "b" if tf else "x2"))
    if a is None or b is None:
        return None, False
    flipped = False
    if tf:
        if len(a) < 2 or len(b) < 2:
            return None, False
        if c.get(2, "transpose_a") or c.get(4, "adjoint_a"):
            a, flipped = a[:-2] + (a[-1], a[-2]), True
        if c.get(3, "transpose_b") or c.get(5, "adjoint_b"):
            b, flipped = b[:-2] + (b[-1], b[-2]), True
    return matmul_result(a, b, tf, flipped)


def matmul_result(a: tuple, b: tuple, tf: bool, flipped: bool = False) -> Result:
    """``a @ b`` for shapes ``a`` and ``b`` (TensorFlow's transposes already
    applied: ``flipped``): Keras' ``compute_matmul_output_shape`` (1-D
    operands promoted), TensorFlow's ``BatchMatMulV2`` (ranks below 2 not
    modelled).  Raises ``Refused`` when the inner sizes provably differ or
    the batch axes cannot broadcast."""
    if not a or not b or tf and (len(a) < 2 or len(b) < 2):
        return None, False
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    inner = None in (a2[-1], b2[-2]) or dims.equal(a2[-1], b2[-2])
    if inner is False:
        _refuse_matmul(a, b, tf, flipped, (a2[-1], b2[-2]))
    if broadcast_clash(a2[:-2], b2[:-2]) is not None:
        _refuse_matmul(a, b, tf, flipped, None)
    batch, exact = broadcast_result(a2[:-2], b2[:-2])
    out = batch + (a2[-2], b2[-1])
    out = out[:-2] + out[-1:] if len(a) == 1 else out
    out = out[:-1] if len(b) == 1 else out
    return out, exact and inner is True


def _refuse_matmul(a: tuple, b: tuple, tf: bool, flipped: bool, inner) -> None:
    """Raise ``Refused`` for ``a @ b``: inner sizes ``inner`` that differ,
    or (``inner`` None) batch axes that cannot broadcast."""
    shown = f"{dims.fmt_shape(a)} by {dims.fmt_shape(b)}" + (" (after its transposes)" if flipped else "")
    if inner is not None:
        x, y = (dims.fmt_dim(d) for d in inner)
        what = f"multiplies {shown}: the inner sizes {x} and {y} differ"
        tf_said = (f"TensorFlow raises (\"Dimensions must be equal, but are {x} and {y}\")" if flipped else
                   _tf_said((a, b), f"Matrix size-incompatible: In[0]: {_tf_shape(a)}, In[1]: {_tf_shape(b)}"
                            if len(a) == len(b) == 2 else "Matrix size-incompatible",
                            f"Dimensions must be equal, but are {x} and {y}"))
        keras_said = None if tf else (
            "Keras raises (\"Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal\")")
        fix = (f"the first operand's last size ({x}) must equal the second's "
               f"{'size' if len(b) == 1 else 'second-to-last size'} ({y})")
        if len(b) >= 2 and not flipped and dims.equal(a[-1], b[-1]) is True:
            fix += (": the second operand looks transposed (transpose_b=True)" if tf else
                    ": the second operand looks transposed (swap its last two axes: keras.ops.swapaxes(b, -1, -2))")
        raise Refused(INCOMPATIBLE_OP_OPERANDS, what, tf_said, keras_said, fix)
    x, y = broadcast_clash(a[:-2], b[:-2])
    what = (f"multiplies {shown}: the batch axes {dims.fmt_shape(a[:-2])} and {dims.fmt_shape(b[:-2])} "
            f"cannot broadcast ({dims.fmt_dim(x)} vs {dims.fmt_dim(y)})")
    tf_said = _tf_said((a, b), f"In[0] and In[1] must have compatible batch dimensions: {_tf_shape(a)} vs. "
                       f"{_tf_shape(b)}", f"Dimensions must be equal, but are {dims.fmt_dim(x)} and {dims.fmt_dim(y)}")
    raise Refused(INCOMPATIBLE_OP_OPERANDS, what, tf_said, None if tf else _keras_broadcast_said(x, y),
                  "the axes before the last two must be equal (or 1) when counted from the last")


@op("einsum", tf=True, keras=True)
def _einsum(c: _Call, tf: bool) -> Result:
    """``Einsum.compute_output_spec``: each operand is laid out on the output
    subscripts (1 for a missing letter) and the layouts broadcast.
    TensorFlow merges a letter's sizes instead (None yields to a size)."""
    eq = c.get(0, "equation", "subscripts")
    operands = [c.shape(t) for t in c.args[1:]]
    if not isinstance(eq, str) or not operands or any(s is None for s in operands):
        return None, False
    eq = eq.replace(" ", "")
    if eq.count("->") > 1:
        return None, False
    lhs, _, rhs = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(operands):
        return None, False
    if tf:
        return _tf_einsum(specs, rhs, operands) if "->" in eq and "..." not in eq else (None, False)
    letters = [s for s in lhs if s.isalpha()]
    if "->" not in eq:
        rhs = "..." + "".join(sorted(s for s in set(letters) if letters.count(s) == 1))
    out_head, _, out_tail = rhs.partition("...")
    layouts = []
    for spec, shape in zip(specs, operands):
        head, ell, tail = spec.partition("...")
        if len(head) + len(tail) > len(shape) or not ell and len(head) != len(shape):
            return None, False
        sizes: dict = {}
        for s, d in list(zip(head, shape)) + list(zip(reversed(tail), reversed(shape))):
            sizes.setdefault(s, d)  # the first occurrence wins, as in Keras' str.replace
        wild = list(shape[len(head):len(shape) - len(tail)]) if ell else []
        layouts.append([sizes.get(s, 1) for s in out_head] + (wild if "..." in rhs else [])
                       + [sizes.get(s, 1) for s in out_tail])
    out, exact = tuple(layouts[0]), True
    for layout in layouts[1:]:
        out, ok = broadcast_result(out, layout)
        exact = exact and ok
    return out, exact


def _tf_einsum(specs, rhs, operands) -> Result:
    """TensorFlow's einsum shape function: an output letter's size is the
    merge of its sizes in the operands."""
    if any(len(sp) != len(sh) for sp, sh in zip(specs, operands)) or not set(rhs) <= set("".join(specs)):
        return None, False
    out, exact = [], True
    for letter in rhs:
        found = {dims.to_json(d): d for sp, sh in zip(specs, operands)
                 for s, d in zip(sp, sh) if s == letter and d is not None}
        exact = exact and len(found) <= 1
        out.append(next(iter(found.values())) if len(found) == 1 else None)
    return tuple(out), exact


@op("depth_to_space", "space_to_depth", tf=True)
def _space_depth(c: _Call, _tf: bool) -> Result:
    """``tf.nn.depth_to_space`` / ``space_to_depth`` on NHWC."""
    name = c.name
    shape, block = c.x(), c.get(1, "block_size")
    if shape is None or len(shape) != 4 or not dims.is_int(block) or block < 2:
        return None, False
    if c.get(2, "data_format", default="NHWC") != "NHWC":
        return None, False
    n, h, w, ch = shape
    if name == "depth_to_space":
        out_c = None if ch is None else _exact_div(ch, block * block)
        return (n, dims.mul(h, block), dims.mul(w, block), out_c), ch is None or out_c is not None
    hw = [None if d is None else _exact_div(d, block) for d in (h, w)]
    ok = all(q is not None or d is None for q, d in zip(hw, (h, w)))
    return (n, hw[0], hw[1], dims.mul(ch, block * block)), ok


def _conv_size(n, k, stride, rate, padding):
    """One spatial size of ``compute_conv_output_shape``."""
    if n is None:
        return None
    if padding == "same":
        return dims.add(dims.floordiv(dims.sub(n, 1), stride), 1)
    out = dims.add(dims.floordiv(dims.sub(n, rate * (k - 1) + 1), stride), 1)
    return out if not dims.is_int(out) or out > 0 else None


def _pair(v):
    return (v, v) if dims.is_int(v) else tuple(v) if isinstance(v, (list, tuple)) else None


@op("extract_patches", tf=True, keras=True, image=True)
def _extract_patches(c: _Call, tf: bool) -> Result:
    """``ExtractPatches.compute_output_spec`` (2-D, channels_last);
    ``tf.image.extract_patches`` loses both sizes when one is unknown."""
    shape = c.x()
    if tf:
        sizes, strides, rates = (c.get(i, k) for i, k in ((1, "sizes"), (2, "strides"), (3, "rates")))
        padding = c.get(4, "padding")
        if not all(isinstance(v, (list, tuple)) and len(v) == 4 for v in (sizes, strides, rates)):
            return None, False
        size, stride, rate = sizes[1:3], strides[1:3], rates[1:3]
        padding = padding.lower() if isinstance(padding, str) else None
    else:
        size = _pair(c.get(1, "size"))
        stride = _pair(c.get(2, "strides")) if c.get(2, "strides") is not None else size
        rate = _pair(c.get(3, "dilation_rate", default=1))
        padding = c.get(4, "padding", default="valid")
        if c.get(5, "data_format") not in (None, "channels_last"):
            return None, False
    if (shape is None or len(shape) not in ((4,) if tf else (3, 4)) or padding not in ("valid", "same")
            or not all(v is not None and len(v) == 2 and all(map(dims.is_int, v)) for v in (size, stride, rate))):
        return None, False
    hw = [_conv_size(shape[-3 + i], size[i], stride[i], rate[i], padding) for i in range(2)]
    bad = [h is None and shape[-3 + i] is not None for i, h in enumerate(hw)]
    if tf and None in shape[-3:-1]:
        hw = [None, None]
    channels = dims.mul(size[0] * size[1], shape[-1])
    return shape[:-3] + tuple(hw) + (channels,), not any(bad) and (tf or shape[-1] is not None)


@op("resize", tf=True, keras=True, image=True)
def _resize(c: _Call, tf: bool) -> Result:
    """``Resize.compute_output_spec``: height and width become ``size``."""
    shape, size = c.x(), c.get(1, "size")
    if shape is None or len(shape) not in (3, 4) or not isinstance(size, (list, tuple)) or len(size) != 2:
        return None, False
    if not tf and c.get(None, "data_format") not in (None, "channels_last"):
        return None, False
    keep = tf and c.get(3, "preserve_aspect_ratio") not in (False, None)
    hw = tuple(None if keep or not dims.is_size(d) else d for d in size)
    exact = not keep and all(dims.is_size(d) or d is None for d in size)
    return shape[:-3] + hw + shape[-1:], exact


@op("repeat", tf=True, keras=True)
def _repeat(c: _Call, tf: bool) -> Result:
    """``Repeat.compute_output_spec``: without an axis, the flattened size.
    ``tf.repeat`` also takes the repeats as a tensor or a run-time size
    (``tf.shape(x)[0]``): the repeated axis is then None."""
    shape, reps, axis = c.x(), c.get(1, "repeats", default=_MISSING), c.get(2, "axis")
    if tf and shape is not None and (reps is None or c.shape_of(reps) is not None):
        return _repeat_at_run_time(c, shape, reps, axis)
    if shape is None or not (dims.is_int(reps) or isinstance(reps, (list, tuple)) and all(map(dims.is_int, reps))):
        return None, False
    reps = [reps] if dims.is_int(reps) else list(reps)
    if axis is None:
        if None in shape:
            return (None,), True
        total = dims.product(shape)
        if len(reps) == 1:
            return (dims.mul(total, reps[0]),), True
        return (sum(reps),), dims.equal(total, len(reps)) is True
    i = _canon(axis, len(shape))
    if i is None:
        return None, False
    out = list(shape)
    if shape[i] is None:
        return tuple(out), True
    out[i] = dims.mul(shape[i], reps[0]) if len(reps) == 1 else sum(reps)
    return tuple(out), len(reps) == 1 or dims.equal(shape[i], len(reps)) is True


def _repeat_at_run_time(c: _Call, shape: tuple, reps, axis) -> Result:
    """``tf.repeat`` whose repeats TensorFlow only knows at run time: a
    scalar (or one repeat per element of the axis) makes that axis None;
    TensorFlow refuses repeats of rank 2 and a known count that is neither 1
    nor the axis' size."""
    counts = () if reps is None else c.shape(reps)
    if len(counts) > 1:
        return None, False
    if axis is None:
        return (None,), not counts
    i = _canon(axis, len(shape))
    if i is None:
        return None, False
    n = counts[0] if counts else 1
    if n is not None and n != 1 and shape[i] is not None and dims.equal(shape[i], n) is not True:
        return None, False
    return shape[:i] + (None,) + shape[i + 1:], True


@op("take", keras=True)
@op("gather", tf=True)
def _take(c: _Call, tf: bool) -> Result:
    """``Take.compute_output_spec`` / ``tf.gather``: the axis is replaced by
    the indices' shape (Keras without an axis: the indices' shape).  With
    ``batch_dims=b`` (TensorFlow) the first b axes of the indices are the
    params' own: ``params[:axis] + indices[b:] + params[axis + 1:]``, the
    axis defaulting to b."""
    shape = c.x()
    indices = c.get(1, "indices")
    batch = c.get(4, "batch_dims", default=0) if tf else 0
    axis = c.get(3 if tf else 2, "axis", default=None)
    if tf and axis is None:
        axis = batch
    idx = _literal_shape(indices) if c.shape_of(indices) is None else c.shape(indices)
    if shape is None or idx is None or not dims.is_int(batch):
        return None, False
    if axis is None and not tf:
        return idx, True
    i = _canon(axis, len(shape))
    if batch < 0:
        batch += len(idx)
    if i is None or not 0 <= batch <= min(i, len(idx)):
        return None, False  # TensorFlow refuses batch_dims past the axis or the indices' rank
    return shape[:i] + idx[batch:] + shape[i + 1:], True


@op("pad", tf=True, keras=True)
def _pad(c: _Call, tf: bool) -> Result:
    """``Pad.compute_output_spec``: each size grows by its two pads (Keras
    accepts one pad or one pair for every axis)."""
    shape, width = c.x(), c.get(1, "paddings" if tf else "pad_width")
    if shape is None:
        return None, False
    if isinstance(width, Array) and width.values is not None:
        width = width.values  # tf.constant([[0, 2], [0, 0]])
    if not tf and dims.is_int(width):
        width = [(width, width)]
    elif not tf and isinstance(width, (list, tuple)) and width and dims.is_int(width[0]):
        width = [width]
    if not isinstance(width, (list, tuple)) or not all(isinstance(p, (list, tuple)) for p in width):
        return None, False
    width = [tuple(p) * 2 if len(p) == 1 and not tf else tuple(p) for p in width]
    if not tf and len(width) == 1:
        width = width * len(shape)
    if len(width) != len(shape) or any(len(p) != 2 for p in width):
        return None, False
    out = []
    for d, (lo, hi) in zip(shape, width):
        out.append(dims.add(d, dims.add(lo, hi)) if dims.is_size(lo) and dims.is_size(hi) else None)
    exact = all(dims.is_size(v) or tf and v is None for p in width for v in p)
    return tuple(out), exact


@op("cumsum", "cumprod", tf=True, keras=True)
def _cumsum(c: _Call, tf: bool) -> Result:
    """``Cumsum.compute_output_spec``: Keras flattens without an axis;
    ``tf.cumsum`` defaults to axis 0."""
    shape, axis = c.x(), c.get(1, "axis", default=0 if tf else None)
    if shape is None:
        return None, False
    if axis is None:
        return ((None,) if None in shape else (dims.product(shape),)), True
    return (shape, True) if _canon(axis, len(shape)) is not None else (None, False)


@op(*sorted(_TF_IMAGE_SAME), tf=True, image=True)
def _same_image(c: _Call, _tf: bool) -> Result:
    """tf.image ops that keep the image's shape."""
    image = c.args[0] if c.args else c.kwargs.get("image")
    shape = c.shape_of(image)
    return shape, shape is not None and c.exact_of(image)


_BOX_ARGS = {
    "crop_to_bounding_box": ("offset_height", "offset_width", "target_height", "target_width"),
    "pad_to_bounding_box": ("offset_height", "offset_width", "target_height", "target_width"),
    "resize_with_crop_or_pad": ("target_height", "target_width"),
    "resize_with_pad": ("target_height", "target_width"),
}


@op(*sorted(_BOX_ARGS), tf=True, image=True)
def _bounding_box(c: _Call, _tf: bool) -> Result:
    """``tf.image.crop_to_bounding_box``/``pad_to_bounding_box(image,
    offset_height, offset_width, target_height, target_width)``,
    ``resize_with_crop_or_pad``/``resize_with_pad(image, target_height,
    target_width)`` of a 3-D or 4-D image: ``[batch,] target_height,
    target_width, channels`` -- image_ops_impl's ``set_shape``, a size given
    as a run-time tensor None.  Sizes TensorFlow checks while building
    (Python ints against static image sizes) that fail: unknown (it raises)."""
    shape = c.shape(c.get(0, "image"))
    values = dict(zip(_BOX_ARGS[c.name], (c.get(i + 1, n) for i, n in enumerate(_BOX_ARGS[c.name]))))
    if shape is None or len(shape) not in (3, 4) or not all(
            v is None or dims.is_int(v) and not isinstance(v, bool) for v in values.values()):
        return None, False
    height, width = shape[-3], shape[-2]
    off_h, off_w = values.get("offset_height", 0), values.get("offset_width", 0)
    target_h, target_w = values["target_height"], values["target_width"]
    checks = [(off_h, 0, 0), (off_w, 0, 0), (target_h, 1, 0), (target_w, 1, 0)]  # (value, minimum, ...)
    if c.name == "crop_to_bounding_box":  # the image holds the box
        checks += [(height, target_h, off_h), (width, target_w, off_w)]
    elif c.name == "pad_to_bounding_box":  # the box holds the image
        checks += [(target_h, height, off_h), (target_w, width, off_w)]
    for value, least, plus in checks:
        if all(dims.is_int(v) for v in (value, least, plus)) and value < least + plus:
            return None, False  # TensorFlow raises ValueError while building the op
    return shape[:-3] + (target_h, target_w, shape[-1]), True


@op("rgb_to_grayscale", "grayscale_to_rgb", tf=True, image=True)
def _color_channels(c: _Call, _tf: bool) -> Result:
    """``tf.image.rgb_to_grayscale``: the last axis becomes 1;
    ``grayscale_to_rgb``: 3, of an image whose last axis is not a known size
    other than 1 (TensorFlow refuses that while building the op: unknown)."""
    shape = c.shape(c.get(0, "images"))
    if not shape:
        return None, False
    if c.name == "grayscale_to_rgb":
        if dims.is_int(shape[-1]) and shape[-1] != 1 or len(shape) < 2:
            return None, False
        return shape[:-1] + (3,), True
    return shape[:-1] + (1,), True


@op("rot90", tf=True, image=True)
def _rot90(c: _Call, _tf: bool) -> Result:
    """``tf.image.rot90(image, k=1)``: TensorFlow picks the rotation at run
    time, so height and width are None whatever ``k`` (its static shape)."""
    shape = c.shape(c.get(0, "image"))
    if shape is None or len(shape) not in (3, 4):
        return None, False
    return shape[:-3] + (None, None, shape[-1]), True


@op("transpose", tf=True, image=True)
def _image_transpose(c: _Call, _tf: bool) -> Result:
    """``tf.image.transpose(image)``: height and width swapped."""
    shape = c.shape(c.get(0, "image"))
    if shape is None or len(shape) not in (3, 4):
        return None, False
    return shape[:-3] + (shape[-2], shape[-3], shape[-1]), True


@op("random_crop", "stateless_random_crop", tf=True, image=True)
def _random_crop(c: _Call, _tf: bool) -> Result:
    """``tf.image.random_crop(value, size)``: a tensor of shape ``size``
    (TensorFlow sets it when ``size`` is a list of ints); a size of another
    rank, or larger than a known axis, is refused: unknown."""
    shape, size = c.shape(c.get(0, "value")), c.get(1, "size")
    if shape is None or not isinstance(size, (list, tuple)) or len(size) != len(shape) or not all(
            dims.is_int(d) and not isinstance(d, bool) and d >= 0 for d in size):
        return None, False
    if any(dims.is_int(d) and d < s for d, s in zip(shape, size)):
        return None, False
    return tuple(size), True


@op("central_crop", tf=True, image=True)
def _central_crop(c: _Call, _tf: bool) -> Result:
    """``tf.image.central_crop(image, central_fraction)``: each known side
    ``n`` keeps ``n - 2 * int((n - n * fraction) / 2)`` (image_ops_impl's
    arithmetic), None stays None; a fraction outside (0, 1] is refused."""
    shape, fraction = c.shape(c.get(0, "image")), c.get(1, "central_fraction")
    if shape is None or len(shape) not in (3, 4) or not isinstance(fraction, (int, float)) \
            or isinstance(fraction, bool) or not 0.0 < fraction <= 1.0:
        return None, False
    if fraction == 1.0:
        return shape, True

    def side(n):
        return n - 2 * int((n - n * fraction) / 2) if dims.is_int(n) else None

    return shape[:-3] + (side(shape[-3]), side(shape[-2]), shape[-1]), True


# ------------------------------------------------ moments, spectral ops, convolutions, segments
@op("moments", modules=("tensorflow.nn", "keras.ops", "keras.ops.nn"))
def _moments(c: _Call, _tf: bool) -> Result:
    """``tf.nn.moments`` / ``Moments.compute_output_spec``: the mean and the
    variance, each ``x`` reduced over ``axes``."""
    shape, axes = c.x(), c.get(1, "axes")
    keepdims = c.get(3 if _tf else 2, "keepdims", default=False)
    if shape is None or keepdims not in (True, False) or not (
            dims.is_int(axes) or isinstance(axes, (list, tuple)) and all(map(dims.is_int, axes))):
        return None, False
    out = reduced_shape(shape, axes, keepdims)
    return (None, False) if out is None else (Outputs((out, out)), True)


@op("fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d", modules=(TF_SIGNAL,))
def _fft(c: _Call, _tf: bool) -> Result:
    """The complex FFTs keep the shape (over the innermost 1, 2 or 3 axes)."""
    shape = c.x()
    need = int(c.name[-2]) if c.name.endswith("d") else 1
    return (shape, True) if shape is not None and len(shape) >= need else (None, False)


@op("rfft", "irfft", "rfft2d", "irfft2d", "rfft3d", "irfft3d", modules=(TF_SIGNAL,))
def _rfft(c: _Call, _tf: bool) -> Result:
    """``tf.signal.rfft``/``irfft`` over the innermost 1, 2 or 3 axes: their
    sizes become ``fft_length`` (given as a list of that many ints; by
    default the input's sizes, the last one ``2 * (n - 1)`` for the inverse),
    except that the last of a forward transform becomes ``fft_length // 2 +
    1``."""
    rank = int(c.name[-2]) if c.name.endswith("d") else 1
    inverse = c.name.startswith("i")
    shape = c.x()
    length = c.get(1, "fft_length")
    if shape is None or len(shape) < rank:
        return None, False
    if length is None:
        n = list(shape[-rank:])
        if inverse and n[-1] is not None:
            if not dims.is_int(n[-1]) or n[-1] < 1:
                return shape[:-rank] + (None,) * rank, False
            n[-1] = 2 * (n[-1] - 1)
    elif isinstance(length, (list, tuple)) and len(length) == rank and all(map(dims.is_int, length)):
        n = list(length)
    else:
        return None, False
    if not inverse and n[-1] is not None:
        n[-1] = dims.add(dims.floordiv(n[-1], 2), 1)
    return shape[:-rank] + tuple(n), all(dims.is_int(d) or d is None for d in n)


@op("top_k", modules=("tensorflow.math", "tensorflow.nn", "keras.ops", "keras.ops.math"))
def _top_k(c: _Call, tf: bool) -> Result:
    """``tf.math.top_k`` / ``TopK.compute_output_spec``: the values and the
    indices, each ``x`` with its last axis of size ``k`` (TensorFlow: 1 by
    default, None when only known at run time, refused above that axis'
    size; Keras does not check)."""
    shape = c.x()
    k = c.get(1, "k", default=1 if tf else _MISSING)
    if shape is None or not shape or k is _MISSING:
        return None, False
    if tf and k is None:
        return Outputs((shape[:-1] + (None,),) * 2), True
    if not dims.is_int(k) or k < 0 or tf and dims.is_int(shape[-1]) and k > shape[-1]:
        return None, False
    return Outputs((shape[:-1] + (k,),) * 2), True


@op("normalize", modules=("tensorflow.linalg",))
def _tf_normalize(c: _Call, _tf: bool) -> Result:
    """``tf.linalg.normalize``: the tensor divided by its norm, and that
    norm (``tf.norm(..., keepdims=True)``: 1 on the reduced axes, every axis
    by default; an axis is one int or a pair).  Only the Euclidean norm:
    others change what TensorFlow can tell or are refused for some axes."""
    shape, axis = c.x(), c.get(2, "axis")
    if shape is None or c.get(1, "ord", default="euclidean") != "euclidean":
        return None, False
    if axis is not None and not (dims.is_int(axis) or isinstance(axis, (list, tuple)) and len(axis) == 2):
        return None, False
    norm = reduced_shape(shape, axis, True)
    return (None, False) if norm is None else (Outputs((shape, norm)), True)


@op("stft", modules=(TF_SIGNAL,))
def _stft(c: _Call, _tf: bool) -> Result:
    """``tf.signal.stft``: ``signals[..., samples]`` -> ``[..., frames,
    fft_length // 2 + 1]``; ``fft_length`` defaults to the smallest power of
    two at least ``frame_length``; the frames are ``1 + (samples -
    frame_length) // frame_step`` (``ceil(samples / frame_step)`` with
    ``pad_end``)."""
    shape = c.shape(c.get(0, "signals"))
    frame_length, frame_step = c.get(1, "frame_length"), c.get(2, "frame_step")
    fft_length, pad_end = c.get(3, "fft_length"), c.get(5, "pad_end", default=False)
    if shape is None or not shape or not all(dims.is_int(v) and v > 0 for v in (frame_length, frame_step)) \
            or pad_end not in (True, False):
        return None, False
    if fft_length is None:
        fft_length = 1 << max(int(frame_length - 1).bit_length(), 0)
    if not dims.is_int(fft_length):
        return None, False
    n = shape[-1]
    if n is None:
        frames = None
    elif pad_end:
        frames = -(-n // frame_step)
    else:
        frames = max(0, 1 + (n - frame_length) // frame_step)
    return shape[:-1] + (frames, fft_length // 2 + 1), dims.is_int(n) or n is None


def _tf_conv(c: _Call, rank: int, depthwise: bool) -> Result:
    """``tf.nn.conv1d/conv2d/depthwise_conv2d`` (channels last): the filter
    ``(*kernel, in, out)`` -- ``(*kernel, in, multiplier)`` depthwise."""
    shape = c.x()
    kernel = c.shape(c.get(1, "filters", "filter"))
    strides = c.get(2, "strides", "stride")
    padding = c.get(3, "padding")
    fmt = c.get(4, "data_format")
    rates = c.get(5, "dilations", "rate", default=None)
    if shape is not None and kernel is not None and len(kernel) == rank + 2 and len(shape) < rank + 2:
        raise _tf_refused(
            f"is given an input of shape {dims.fmt_shape(shape)} (rank {len(shape)}): a {rank}-D convolution "
            f"takes rank {rank + 2} (batch, {'width' if rank == 1 else 'height, width'}, channels)",
            f"Shape must be rank {rank + 2} but is rank {len(shape)}",
            f"reshape the input first (tf.reshape(x, [-1, ..., channels]))")
    if shape is None or kernel is None or len(shape) != rank + 2 or len(kernel) != rank + 2:
        return None, False
    if fmt not in (None, "NHWC", "NWC") or not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        return None, False

    def per_axis(v, default):
        if v is None:
            return (default,) * rank
        if dims.is_int(v):
            return (v,) * rank
        if isinstance(v, (list, tuple)) and len(v) == rank and all(map(dims.is_int, v)):
            return tuple(v)
        if isinstance(v, (list, tuple)) and len(v) == rank + 2 and all(map(dims.is_int, v)):
            return tuple(v[1:-1])
        return None

    stride, rate = per_axis(strides, 1), per_axis(rates, 1)
    if stride is None or rate is None or any(k is None for k in kernel[:rank]):
        return None, False
    channels, k_in, k_out = shape[-1], kernel[-2], kernel[-1]
    if dims.is_int(channels) and dims.is_int(k_in) and k_in > 0 and (channels % k_in or (depthwise and channels != k_in)):
        raise _tf_refused(
            f"convolves an input of {channels} channel{'s' if channels != 1 else ''} {dims.fmt_shape(shape)} with "
            f"a filter {dims.fmt_shape(kernel)} made for {'exactly ' if depthwise else 'a divisor of '}{k_in}",
            f"Depth of input ({channels}) is not a multiple of input depth of filter ({k_in})",
            f"the filter's second-to-last size is the input's channels: {channels}")
    if channels is None or k_in is None or not dims.is_int(channels) or not dims.is_int(k_in) \
            or channels % k_in or (depthwise and channels != k_in):
        return None, False
    out_c = None if k_out is None else (channels * k_out if depthwise else k_out)
    sizes = tuple(_conv_size(shape[1 + i], kernel[i], stride[i], rate[i], padding.lower()) for i in range(rank))
    for i, size in enumerate(sizes):
        if size is None and dims.is_int(shape[1 + i]) and dims.is_int(kernel[i]) and padding.upper() == "VALID":
            _negative_size(shape, 1 + i, rate[i] * (kernel[i] - 1) + 1, "convolution")
    if any(s is None and shape[1 + i] is not None for i, s in enumerate(sizes)):
        return None, False
    return (shape[0],) + sizes + (out_c,), True


def _negative_size(shape, axis: int, window: int, what: str) -> None:
    """A VALID window larger than the size it slides over: TensorFlow's
    shape inference refuses it."""
    raise _tf_refused(
        f"slides a {what} window of {window} over axis {axis} of {dims.fmt_shape(shape)}, of size {shape[axis]}",
        f"Negative dimension size caused by subtracting {window} from {shape[axis]}",
        "use padding=\"SAME\", a smaller window, or a larger input")


@op("conv2d", modules=("tensorflow.nn",))
def _conv2d(c: _Call, _tf: bool) -> Result:
    return _tf_conv(c, 2, False)


@op("conv1d", modules=("tensorflow.nn",))
def _conv1d(c: _Call, _tf: bool) -> Result:
    return _tf_conv(c, 1, False)


@op("depthwise_conv2d", modules=("tensorflow.nn",))
def _depthwise_conv2d(c: _Call, _tf: bool) -> Result:
    return _tf_conv(c, 2, True)


@op("conv", "depthwise_conv", modules=("keras.ops", "keras.ops.nn"))
def _keras_conv(c: _Call, _tf: bool) -> Result:
    """``Conv.compute_output_spec`` / ``DepthwiseConv``: the kernel
    ``(*kernel_size, in, out)`` (``(*kernel_size, in, multiplier)``)
    decides the rank; channels_last only."""
    shape, kernel = c.shape(c.get(0, "inputs")), c.shape(c.get(1, "kernel"))
    padding = c.get(3, "padding", default="valid")
    if shape is None or kernel is None or len(shape) != len(kernel) or len(shape) < 3 \
            or c.get(4, "data_format") not in (None, "channels_last") or padding not in ("valid", "same"):
        return None, False
    rank = len(shape) - 2

    def per_axis(v):
        if dims.is_int(v):
            return (v,) * rank
        if isinstance(v, (list, tuple)) and len(v) == rank and all(map(dims.is_int, v)):
            return tuple(v)
        return None

    stride, rate = per_axis(c.get(2, "strides", default=1)), per_axis(c.get(5, "dilation_rate", default=1))
    if stride is None or rate is None or any(not dims.is_int(k) for k in kernel[:rank]):
        return None, False
    channels, k_in, k_out = shape[-1], kernel[-2], kernel[-1]
    if not (dims.is_int(channels) and dims.is_int(k_in)) or channels != k_in:
        return None, False  # Keras' symbolic conv takes no groups
    out_c = k_out if c.name == "conv" or k_out is None else dims.mul(channels, k_out)
    sizes = tuple(_conv_size(shape[1 + i], kernel[i], stride[i], rate[i], padding) for i in range(rank))
    if any(s is None and shape[1 + i] is not None for i, s in enumerate(sizes)):
        return None, False
    return (shape[0],) + sizes + (out_c,), True


@op("segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod", modules=("tensorflow.math",))
@op("unsorted_segment_sum", "unsorted_segment_mean", "unsorted_segment_max", "unsorted_segment_min",
    "unsorted_segment_prod", "unsorted_segment_sqrt_n", modules=("tensorflow.math",))
@op("segment_sum", "segment_max", modules=("keras.ops", "keras.ops.math"))
def _segment(c: _Call, tf: bool) -> Result:
    """``data`` with its ``segment_ids.ndim`` leading axes replaced by one of
    ``num_segments``: None when it is a run-time size, and always for
    TensorFlow's sorted segment ops, which take ids of rank 1 only (as Keras'
    do).  TensorFlow's unsorted ops need ``num_segments`` and refuse ids whose
    sizes differ from the data's leading ones."""
    data, ids = c.shape(c.get(0, "data")), c.shape(c.get(1, "segment_ids"))
    num = c.get(2, "num_segments", default=_MISSING)
    unsorted = c.name.startswith("unsorted")
    if data is None or ids is None or not 1 <= len(ids) <= len(data):
        return None, False
    if len(ids) != 1 and not unsorted:
        return None, False
    if unsorted and any(dims.equal(i, d) is False for i, d in zip(ids, data) if None not in (i, d)):
        return None, False
    if not tf or unsorted:
        if num is _MISSING and unsorted:
            return None, False
        num = None if num is _MISSING else num
        if num is not None and not dims.is_size(num):
            return (None,) + data[len(ids):], False
    else:
        num = None
    return (num,) + data[len(ids):], True


# ------------------------------------------- TensorFlow's nn layers as ops
@op("max_pool", "avg_pool", "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d", "max_pool3d", "avg_pool3d",
    modules=("tensorflow.nn",))
def _tf_pool(c: _Call, _tf: bool) -> Result:
    """``tf.nn.max_pool(input, ksize, strides, padding)`` and the rest
    (channels last; ``value=`` is TensorFlow 1's name of the input):
    ``ksize``/``strides`` an int, one per spatial axis, or one per axis with
    1 for the batch and the channels.  Sizes as ``compute_pooling_output_shape``
    (SAME: ceil(n / stride); VALID: floor((n - k) / stride) + 1)."""
    shape = c.shape(c.get(0, "input", "value"))
    ksize, strides, padding = c.get(1, "ksize"), c.get(2, "strides"), c.get(3, "padding")
    fmt = c.get(4, "data_format")
    if shape is None or len(shape) < 3 or fmt not in (None, "NHWC", "NWC", "NDHWC") \
            or not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        return None, False
    rank = len(shape) - 2
    fixed = {"1d": 1, "2d": 2, "3d": 3}.get(c.name[-2:])
    if (fixed or rank) != rank:
        return None, False

    def per_axis(v):
        if dims.is_int(v):
            return (v,) * rank
        if isinstance(v, (list, tuple)) and len(v) == 1 and dims.is_int(v[0]):
            return (v[0],) * rank
        if isinstance(v, (list, tuple)) and len(v) == rank and all(map(dims.is_int, v)):
            return tuple(v)
        if isinstance(v, (list, tuple)) and len(v) == rank + 2 and all(map(dims.is_int, v)) \
                and v[0] == 1 and v[-1] == 1:
            return tuple(v[1:-1])
        return None

    kernel, stride = per_axis(ksize), per_axis(strides)
    if kernel is None or stride is None or min(kernel + stride) < 1:
        return None, False
    sizes = tuple(_conv_size(shape[1 + i], kernel[i], stride[i], 1, padding.lower()) for i in range(rank))
    for i, size in enumerate(sizes):
        if size is None and dims.is_int(shape[1 + i]) and padding.upper() == "VALID":
            _negative_size(shape, 1 + i, kernel[i], "pooling")
    if any(s is None and shape[1 + i] is not None for i, s in enumerate(sizes)):
        return None, False
    return (shape[0],) + sizes + (shape[-1],), True


@op("bias_add", modules=("tensorflow.nn",))
def _bias_add(c: _Call, _tf: bool) -> Result:
    """``tf.nn.bias_add(value, bias)``: the value's shape (the bias is the
    size of its last axis)."""
    shape = c.shape(c.get(0, "value"))
    bias = c.shape(c.get(1, "bias"))
    if shape is None or bias is None or len(bias) != 1 or not shape:
        return None, False
    if dims.is_int(shape[-1]) and dims.is_int(bias[0]) and shape[-1] != bias[0]:
        return None, False
    return tuple(shape), True


# ------------------------------------------------ TensorFlow's loss ops
def _loss_operands(c: _Call, label_names: Tuple[str, ...], logit_names: Tuple[str, ...]):
    """(labels shape, logits shape) of a loss op, given by keyword (TensorFlow
    1's nn losses take nothing else) or in TensorFlow 2's order (labels,
    logits)."""
    return c.shape(c.get(0, *label_names)), c.shape(c.get(1, *logit_names))


def _tf_refused(what: str, tf_said: str, fix: str) -> "Refused":
    return Refused(INCOMPATIBLE_OP_OPERANDS, what, f"TensorFlow raises (\"{tf_said}\")", None, fix)


@op("softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2", modules=("tensorflow.nn",))
def _softmax_cross_entropy(c: _Call, _tf: bool) -> Result:
    """``tf.nn.softmax_cross_entropy_with_logits(labels=, logits=)``: one
    loss per row, the logits' shape without the class axis.  The kernel
    broadcasts labels and logits; labels of another rank, or another class
    count than the logits' (neither 1), are refused when the op runs (the
    static check, which sees only known batch sizes, may pass)."""
    labels, logits = _loss_operands(c, ("labels",), ("logits",))
    axis = c.get(2, "axis", "dim", default=-1)
    if logits is None or not logits or axis not in (-1, len(logits) - 1):
        return None, False
    if labels is not None and len(labels) != len(logits):
        raise _tf_refused(
            f"is given labels of shape {dims.fmt_shape(labels)} for logits of shape {dims.fmt_shape(logits)}: "
            f"labels must be rows of class probabilities, as many per row as the logits have",
            "logits and labels must be broadcastable",
            "one-hot encode the labels (tf.one_hot(labels, depth)), or use "
            "tf.nn.sparse_softmax_cross_entropy_with_logits for class ids")
    if labels is not None and _never_broadcast(labels[-1], logits[-1]):
        raise _tf_refused(
            f"is given labels of {dims.fmt_dim(labels[-1])} classes for logits of {dims.fmt_dim(logits[-1])} "
            f"({dims.fmt_shape(labels)} vs {dims.fmt_shape(logits)})",
            "logits and labels must be broadcastable",
            f"the last layer must give {dims.fmt_dim(labels[-1])} logits per row, or the labels "
            f"{dims.fmt_dim(logits[-1])} classes")
    return tuple(logits[:-1]), True


@op("sparse_softmax_cross_entropy_with_logits", modules=("tensorflow.nn",))
def _sparse_softmax_cross_entropy(c: _Call, _tf: bool) -> Result:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits(labels=, logits=)``:
    the labels are class ids, one axis fewer than the logits, and of their
    shape without the class axis (TensorFlow checks both statically)."""
    labels, logits = _loss_operands(c, ("labels",), ("logits",))
    if logits is None or not logits:
        return None, False
    if labels is None:
        return tuple(logits[:-1]), False
    if len(labels) != len(logits) - 1:
        hint = ("the labels look one-hot: give class ids (tf.argmax(labels, -1)), or use "
                "tf.nn.softmax_cross_entropy_with_logits" if len(labels) == len(logits) and labels[-1] not in (1,)
                else "give one class id per row: squeeze the labels' last axis (tf.squeeze(labels, -1))"
                if len(labels) == len(logits) else "give one class id per row of logits")
        raise _tf_refused(
            f"is given labels of shape {dims.fmt_shape(labels)} (rank {len(labels)}) for logits of shape "
            f"{dims.fmt_shape(logits)}: the class ids must have rank {len(logits) - 1}",
            f"`labels.shape.rank` must equal `logits.shape.rank - 1`", hint)
    for a, b in zip(labels, logits[:-1]):
        if a is not None and b is not None and dims.equal(a, b) is False:
            raise _tf_refused(
                f"is given labels of shape {dims.fmt_shape(labels)} for logits of shape {dims.fmt_shape(logits)}",
                "`labels.shape` must equal `logits.shape` except for the last dimension",
                "give one class id per row of logits")
    return tuple(_merge_dim(a, b) for a, b in zip(labels, logits[:-1])), True


def _same_shape_loss(labels, logits, tf_said: str, names: str = "logits") -> None:
    """``labels.shape.merge_with(logits.shape)`` (or
    ``assert_is_compatible_with``): refused unless the ranks match and the
    sizes both know agree."""
    if labels is None or logits is None:
        return
    if len(labels) == len(logits) and not any(
            a is not None and b is not None and dims.equal(a, b) is False for a, b in zip(labels, logits)):
        return
    if len(labels) == len(logits) - 1 and logits[-1] == 1:
        fix = "make the labels a column, as the predictions are: labels.reshape(-1, 1)"
    elif labels and logits and len(labels) == len(logits) and labels[-1] == 1 and _is_one(logits[-1]) is False:
        fix = (f"one label per row needs one unit in the last layer; for {dims.fmt_dim(logits[-1])} classes, "
               f"one-hot encode the labels")
    elif len(labels) == len(logits) - 1:
        fix = f"one-hot encode the labels to {dims.fmt_dim(logits[-1])} columns, or give the last layer one unit"
    else:
        fix = f"give the labels the {names}' shape"
    raise _tf_refused(
        f"is given labels of shape {dims.fmt_shape(labels)} for {names} of shape {dims.fmt_shape(logits)}: "
        f"they must have the same shape", tf_said, fix)


@op("sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits", modules=("tensorflow.nn",))
def _sigmoid_cross_entropy(c: _Call, _tf: bool) -> Result:
    """``tf.nn.sigmoid_cross_entropy_with_logits(labels=, logits=)``: an
    element-wise loss; labels and logits must have one shape."""
    labels, logits = _loss_operands(c, ("labels", "targets"), ("logits",))
    _same_shape_loss(labels, logits, "`logits` and `labels` must have the same shape")
    if logits is None:
        return None, False
    return (tuple(_merge_dim(a, b) for a, b in zip(labels, logits)) if labels is not None else tuple(logits)), True


# TensorFlow 1's tf.losses (tf.compat.v1.losses): the names TensorFlow 2's
# tf.losses (Keras' losses, which broadcast) does not also have.
_V1_LOSSES = {
    "softmax_cross_entropy": (("onehot_labels",), ("logits",)),
    "sigmoid_cross_entropy": (("multi_class_labels",), ("logits",)),
    "absolute_difference": (("labels",), ("predictions",)),
    "log_loss": (("labels",), ("predictions",)),
    "hinge_loss": (("labels",), ("logits",)),
    "huber_loss": (("labels",), ("predictions",)),
    "mean_pairwise_squared_error": (("labels",), ("predictions",)),
}


@op(*sorted(_V1_LOSSES), modules=("tensorflow.losses",))
def _v1_loss(c: _Call, _tf: bool) -> Result:
    """``tf.losses.softmax_cross_entropy(onehot_labels, logits)`` and the
    other TensorFlow 1 losses: the predictions' shape must be compatible
    with the labels' (``assert_is_compatible_with``); a scalar under the
    default reduction."""
    label_names, logit_names = _V1_LOSSES[c.name]
    labels, logits = _loss_operands(c, label_names, logit_names)
    if labels is not None and logits is not None:
        _same_shape_loss(labels, logits, f"Shapes {_tf2_shape(logits)} and {_tf2_shape(labels)} are incompatible",
                         logit_names[0])
    return ((), True) if c.get(None, "reduction") is None and c.get(None, "weights") is None else (None, False)


@op("sparse_softmax_cross_entropy", modules=("tensorflow.losses",))
def _v1_sparse_loss(c: _Call, _tf: bool) -> Result:
    """``tf.losses.sparse_softmax_cross_entropy(labels, logits)``: labels of
    the logits' rank lose a last axis of 1 first, then as the nn op."""
    labels, logits = _loss_operands(c, ("labels",), ("logits",))
    if labels is not None and logits is not None and len(labels) == len(logits) and labels and labels[-1] == 1:
        labels = labels[:-1]
    if labels is not None and logits is not None and logits and len(labels) != len(logits) - 1:
        raise _tf_refused(
            f"is given labels of shape {dims.fmt_shape(labels)} (rank {len(labels)}) for logits of shape "
            f"{dims.fmt_shape(logits)}: the class ids must have rank {len(logits) - 1}",
            "`labels.shape.rank` must equal `logits.shape.rank - 1`",
            "the labels look one-hot: give class ids (tf.argmax(labels, -1)), or use "
            "tf.losses.softmax_cross_entropy")
    return ((), True) if c.get(None, "reduction") is None and c.get(None, "weights") is None else (None, False)


def _tf2_shape(shape) -> str:
    """A shape as TensorFlow 2 prints a TensorShape: ``(None, 10)``."""
    inner = ", ".join("None" if d is None else dims.fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


@op("unstack", tf=True, keras=True)
def _unstack(c: _Call, _tf: bool) -> Result:
    """``tf.unstack(value, num=None, axis=0)`` / ``ops.unstack(x, num=None,
    axis=0)``: the slices along ``axis``, as many as its size (or ``num``)."""
    shape = c.x()
    num, axis = c.get(1, "num"), c.get(2, "axis", default=0)
    if shape is None or not dims.is_int(axis) or not -len(shape) <= axis < len(shape):
        return None, False
    axis %= len(shape)
    count = shape[axis] if dims.is_int(shape[axis]) else num
    if not dims.is_int(count) or count < 0 or (dims.is_int(num) and num != count) or count > 4096:
        return None, False
    return OutputList((shape[:axis] + shape[axis + 1:],) * count), True


@op("embedding_lookup", modules=("tensorflow.nn",))
def _embedding_lookup(c: _Call, _tf: bool) -> Result:
    """``tf.nn.embedding_lookup(params, ids)``: a row of ``params`` per id,
    ``ids.shape + params.shape[1:]``."""
    params, ids = c.shape(c.get(0, "params")), c.get(1, "ids")
    ids_shape = c.shape(ids)
    if params is None or not params or ids_shape is None:
        return None, False
    return tuple(ids_shape) + tuple(params[1:]), True


@op("split", tf=True)
def _split(c: _Call, _tf: bool) -> Result:
    """``tf.split(value, num_or_size_splits, axis=0)``: ``n`` equal pieces
    (the size must be a multiple of ``n``), or pieces of the given sizes
    (one may be -1: what is left; they must add up to the size)."""
    shape = c.x()
    splits, axis = c.get(1, "num_or_size_splits"), c.get(2, "axis", default=0)
    if shape is None or not dims.is_int(axis) or not -len(shape) <= axis < len(shape):
        return None, False
    axis %= len(shape)
    size = shape[axis]
    if dims.is_int(splits) and not isinstance(splits, bool):
        if splits < 1 or splits > 4096:
            return None, False
        if dims.is_int(size) and size % splits:
            raise _tf_refused(
                f"splits axis {axis} of {dims.fmt_shape(shape)}, of size {size}, into {splits} equal pieces",
                f"Dimension size must be evenly divisible by {splits} but is {size}",
                f"split into a divisor of {size}, or give the pieces' sizes (a list adding up to {size})")
        piece = size // splits if dims.is_int(size) else None
        return OutputList((shape[:axis] + (piece,) + shape[axis + 1:],) * splits), True
    if not isinstance(splits, (list, tuple)) or not splits or len(splits) > 4096 \
            or not all(dims.is_int(p) for p in splits) or sum(1 for p in splits if p == -1) > 1:
        return None, False
    known = sum(p for p in splits if p != -1)
    if dims.is_int(size) and (known > size if -1 in splits else known != size):
        raise _tf_refused(
            f"splits axis {axis} of {dims.fmt_shape(shape)}, of size {size}, into pieces of {list(splits)}",
            f"can't split axis of size {size} into pieces of size {list(splits)}",
            f"the pieces must add up to {size} (one may be -1: what is left)")
    pieces = [p if p != -1 else (size - known if dims.is_int(size) else None) for p in splits]
    return OutputList(tuple(shape[:axis] + (p,) + shape[axis + 1:] for p in pieces)), True


# keras.applications.<family>.preprocess_input: the mode each family passes
# to imagenet_utils.preprocess_input (keras/src/applications/*.py); None:
# the function returns its input (the model preprocesses itself).
# ------------------------------------------------ more TensorFlow ops met in custom layers' call()
def _valid_axis(axis, rank) -> bool:
    """An int axis TensorFlow takes for a tensor of this rank."""
    return dims.is_int(axis) and not isinstance(axis, bool) and -rank <= axis < rank


@op("argsort", "sort", tf=True)
def _sort(c: _Call, _tf: bool) -> Result:
    """``tf.sort`` / ``tf.argsort(values, axis=-1)``: the values' shape
    (sorted along a valid int axis)."""
    shape, axis = c.shape(c.get(0, "values")), c.get(1, "axis", default=-1)
    if not shape or not _valid_axis(axis, len(shape)):
        return None, False
    return shape, True


@op("reverse", tf=True)
def _reverse(c: _Call, _tf: bool) -> Result:
    """``tf.reverse(tensor, axis)``: the tensor's shape, for a list of valid,
    distinct int axes."""
    shape, axis = c.shape(c.get(0, "tensor")), c.get(1, "axis")
    if shape is None or not isinstance(axis, (list, tuple)) or not all(_valid_axis(a, len(shape)) for a in axis):
        return None, False
    if len({a % len(shape) for a in axis}) != len(axis):
        return None, False
    return shape, True


@op("roll", tf=True)
def _roll(c: _Call, _tf: bool) -> Result:
    """``tf.roll(input, shift, axis)``: the input's shape; ``shift`` and
    ``axis`` an int each or lists of one length."""
    shape, shift, axis = c.shape(c.get(0, "input")), c.get(1, "shift"), c.get(2, "axis")
    if not shape:
        return None, False
    shifts = shift if isinstance(shift, (list, tuple)) else [shift]
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    if len(shifts) != len(axes) or not all(_valid_axis(a, len(shape)) for a in axes) \
            or not all(dims.is_int(s) or s is None for s in shifts):
        return None, False
    return shape, True


@op("shuffle", modules=("tensorflow.random",))
@op("clip_by_norm", modules=("tensorflow", "tensorflow.math"))
def _same_shape(c: _Call, _tf: bool) -> Result:
    """``tf.random.shuffle(value)`` (along the first axis) and
    ``tf.clip_by_norm(t, clip_norm)``: the tensor's shape."""
    shape = c.shape(c.get(0, "value", "t"))
    if shape is None or c.name == "shuffle" and not shape:
        return None, False
    return shape, True


@op("rgb_to_yuv", "yuv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_hsv", "hsv_to_rgb", tf=True, image=True)
def _color_space(c: _Call, _tf: bool) -> Result:
    """``tf.image.rgb_to_yuv`` and the other colour-space conversions: the
    image's shape, whose last axis must be 3 (or None: TensorFlow checks it
    at run time).  Its last axis is 3 even where the image's is None
    (a ``tensordot`` with a 3x3 kernel for YUV/YIQ, the HSV kernels' shape
    function for HSV)."""
    shape = c.shape(c.get(0, "images", "image"))
    if not shape or shape[-1] not in (3, None):
        return None, False
    return shape[:-1] + (3,), True


@op("tensordot", tf=True)
def _tensordot(c: _Call, _tf: bool) -> Result:
    """``tf.tensordot(a, b, axes)``: ``a``'s free axes then ``b``'s (the
    static shape TensorFlow sets when both ranks are known); ``axes`` an int
    n (a's last n against b's first n) or a pair of axis lists.  Contracted
    sizes that provably differ are refused by TensorFlow: unknown."""
    a, b = c.shape(c.get(0, "a")), c.shape(c.get(1, "b"))
    axes = c.get(2, "axes")
    if a is None or b is None:
        return None, False
    if dims.is_int(axes) and not isinstance(axes, bool):
        if not 0 <= axes <= min(len(a), len(b)):
            return None, False
        a_axes, b_axes = list(range(len(a) - axes, len(a))), list(range(axes))
    elif isinstance(axes, (list, tuple)) and len(axes) == 2:
        a_axes, b_axes = ([x] if dims.is_int(x) else x for x in axes)
        if not isinstance(a_axes, (list, tuple)) or not isinstance(b_axes, (list, tuple)) \
                or len(a_axes) != len(b_axes) or not all(_valid_axis(x, len(a)) for x in a_axes) \
                or not all(_valid_axis(x, len(b)) for x in b_axes):
            return None, False
        a_axes, b_axes = [x % len(a) for x in a_axes], [x % len(b) for x in b_axes]
    else:
        return None, False
    if len(set(a_axes)) != len(a_axes) or len(set(b_axes)) != len(b_axes):
        return None, False
    if any(dims.equal(a[i], b[j]) is False for i, j in zip(a_axes, b_axes)):
        return None, False
    return (tuple(d for i, d in enumerate(a) if i not in a_axes)
            + tuple(d for j, d in enumerate(b) if j not in b_axes)), True


@op("sequence_mask", tf=True)
def _sequence_mask(c: _Call, _tf: bool) -> Result:
    """``tf.sequence_mask(lengths, maxlen)``: the lengths' shape and one
    axis of ``maxlen`` (None without it: the largest length, known at run
    time)."""
    lengths = c.get(0, "lengths")
    shape = c.shape(lengths)
    if shape is None:
        return None, False
    maxlen = c.get(1, "maxlen", default=None)
    if maxlen is not None and not (dims.is_int(maxlen) and not isinstance(maxlen, bool) and maxlen >= 0):
        return None, False
    return shape + (maxlen,), True


@op("gather_nd", tf=True)
def _gather_nd(c: _Call, _tf: bool) -> Result:
    """``tf.gather_nd(params, indices, batch_dims=0)``: the indices' shape
    but their last axis, then the params' axes past ``batch_dims`` plus that
    last size (which must be known and fit)."""
    params, indices = c.shape(c.get(0, "params")), c.shape(c.get(1, "indices"))
    batch = c.get(2, "batch_dims", default=0)
    if params is None or not indices or not dims.is_int(batch) or isinstance(batch, bool) or batch < 0:
        return None, False
    depth = indices[-1]
    if not dims.is_int(depth) or batch + depth > len(params) or batch >= len(indices):
        return None, False
    return indices[:-1] + params[batch + depth:], True


@op("set_diag", "matrix_set_diag", modules=("tensorflow.linalg",))
def _set_diag(c: _Call, _tf: bool) -> Result:
    """``tf.linalg.set_diag(input, diagonal)``: the input's shape (a
    matrix or a batch of them)."""
    shape = c.shape(c.get(0, "input"))
    if shape is None or len(shape) < 2:
        return None, False
    return shape, True


@op("broadcast_to", tf=True)
def _broadcast_to(c: _Call, _tf: bool) -> Result:
    """``tf.broadcast_to(input, shape)``: ``shape`` (a list of sizes, a size
    known at run time None), when the input broadcasts to it."""
    shape, target = c.shape(c.get(0, "input")), c.get(1, "shape")
    if shape is None or not isinstance(target, (list, tuple)) or len(target) < len(shape):
        return None, False
    out = []
    for d in target:
        if d is not None and not (dims.is_int(d) and not isinstance(d, bool) and d >= 0):
            return None, False
        out.append(d)
    for x, y in zip(shape[::-1], out[::-1]):
        if dims.is_int(x) and x != 1 and dims.is_int(y) and x != y:
            return None, False
    # TensorFlow's shape function: a None of the target stays None only where
    # the input's aligned size is not a known size other than 1
    aligned = (None,) * (len(out) - len(shape)) + tuple(shape)
    result = tuple(y if y is not None else (x if dims.is_int(x) and x != 1 else None)
                   for x, y in zip(aligned, out))
    return result, True


@op("boolean_mask", tf=True)
def _boolean_mask(c: _Call, _tf: bool) -> Result:
    """``tf.boolean_mask(tensor, mask, axis=0)``: the mask's axes of the
    tensor become one of run-time size (None); the rest stay."""
    shape, mask = c.shape(c.get(0, "tensor")), c.shape(c.get(1, "mask"))
    axis = c.get(2, "axis", default=None)
    axis = 0 if axis is None else axis
    if shape is None or not mask or not dims.is_int(axis) or isinstance(axis, bool) or axis < 0:
        return None, False
    if axis + len(mask) > len(shape):
        return None, False
    if any(dims.equal(s, m) is False for s, m in zip(shape[axis:], mask)):
        return None, False
    return shape[:axis] + (None,) + shape[axis + len(mask):], True


@op("argsort", "sort", "flip", "roll", modules=("keras.ops", "keras.ops.numpy"))
def _keras_same_or_flat(c: _Call, _tf: bool) -> Result:
    """``Argsort``/``Sort.compute_output_spec``: the input's shape along an
    axis (-1 by default); with ``axis=None`` the input flattened (None if a
    size is None).  ``Flip``/``Roll``: the input's shape (their axis None by
    default: every axis)."""
    shape = c.x()
    default = -1 if c.name in ("argsort", "sort") else None
    axis = c.get(2 if c.name == "roll" else 1, "axis", default=default)
    if shape is None:
        return None, False
    if axis is None:
        if c.name in ("flip", "roll"):
            return shape, True
        return ((None,) if None in shape else (dims.product(shape),)), True
    axes = axis if isinstance(axis, (list, tuple)) and c.name in ("flip", "roll") else [axis]
    if not all(_valid_axis(a, len(shape)) for a in axes):
        return None, False
    return shape, True


@op("slice", tf=True)
def _slice(c: _Call, _tf: bool) -> Result:
    """``tf.slice(input_, begin, size)``: ``size``, a -1 being what is left
    of the axis past ``begin`` -- None where that axis is not a known size,
    or where any of ``begin`` is known at run time only (TensorFlow then
    cannot read ``begin`` as a constant); a size known at run time only is
    None."""
    shape = c.shape(c.get(0, "input_"))
    begin, size = c.get(1, "begin"), c.get(2, "size")
    if shape is None or not isinstance(begin, (list, tuple)) or not isinstance(size, (list, tuple)) \
            or len(begin) != len(shape) or len(size) != len(shape):
        return None, False
    out = []
    constant_begin = all(dims.is_int(b) for b in begin)
    for d, b, n in zip(shape, begin, size):
        if not all(v is None or dims.is_int(v) and not isinstance(v, bool) for v in (b, n)):
            return None, False
        if dims.is_int(b) and (b < 0 or dims.is_int(d) and b > d):
            return None, False  # TensorFlow refuses a begin outside the axis
        if n == -1:
            out.append(d - b if constant_begin and dims.is_int(d) else None)
        elif n is None or n >= 0:
            if dims.is_int(n) and dims.is_int(b) and dims.is_int(d) and b + n > d:
                return None, False
            out.append(n)
        else:
            return None, False
    return tuple(out), True


@op("psnr", "ssim", "ssim_multiscale", tf=True, image=True)
def _image_quality(c: _Call, _tf: bool) -> Result:
    """``tf.image.psnr(a, b, max_val)`` / ``ssim``: one value per image, the
    images' shape without its last three axes (height, width, channels)."""
    a, b = c.shape(c.get(0, "a", "img1")), c.shape(c.get(1, "b", "img2"))
    if a is None or b is None or len(a) < 3 or len(a) != len(b):
        return None, False
    if any(dims.equal(x, y) is False for x, y in zip(a, b)):
        return None, False
    return tuple(_merge_dim(x, y) for x, y in zip(a[:-3], b[:-3])), True


@op("moveaxis", modules=("keras.ops", "keras.ops.numpy"))
def _moveaxis(c: _Call, _tf: bool) -> Result:
    """``Moveaxis.compute_output_spec``: the source axes go to the
    destinations, the others keep their order."""
    shape = c.x()
    source, destination = c.get(1, "source"), c.get(2, "destination")
    if shape is None:
        return None, False
    source = list(source) if isinstance(source, (list, tuple)) else [source]
    destination = list(destination) if isinstance(destination, (list, tuple)) else [destination]
    n = len(shape)
    if len(source) != len(destination) or not all(_valid_axis(a, n) for a in source + destination):
        return None, False
    source, destination = [a % n for a in source], [a % n for a in destination]
    if len(set(source)) != len(source) or len(set(destination)) != len(destination):
        return None, False
    out: List[Any] = [_MISSING] * n
    for s_, d_ in zip(source, destination):
        out[d_] = shape[s_]
    rest = iter(d for i, d in enumerate(shape) if i not in source)
    return tuple(next(rest) if d is _MISSING else d for d in out), True


@op("ravel", modules=("keras.ops", "keras.ops.numpy"))
def _ravel(c: _Call, _tf: bool) -> Result:
    """``Ravel.compute_output_spec``: one axis of every value (None if a
    size is None)."""
    shape = c.x()
    if shape is None:
        return None, False
    return ((None,) if None in shape else (dims.product(shape),)), True


@op("glu", modules=("keras.ops", "keras.ops.nn"))
def _glu(c: _Call, _tf: bool) -> Result:
    """``Glu.compute_output_spec``: the axis (-1 by default) halved; an odd
    size is refused (unknown)."""
    shape, axis = c.x(), c.get(1, "axis", default=-1)
    if not shape or not _valid_axis(axis, len(shape)):
        return None, False
    d = shape[axis]
    if d is None:
        return shape, True
    half = dims.exact_div(d, 2)
    if half is None:
        return None, False
    out = list(shape)
    out[axis] = half
    return tuple(out), True


@op("layer_normalization", "rms_normalization", modules=("keras.ops", "keras.ops.nn"))
def _normalization(c: _Call, _tf: bool) -> Result:
    """``LayerNorm``/``RMSNorm.compute_output_spec``: the input's shape."""
    return c.x(), True


@op("dot_product_attention", modules=("keras.ops", "keras.ops.nn"))
def _dot_product_attention(c: _Call, _tf: bool) -> Result:
    """``DotProductAttention.compute_output_spec``: the query's shape."""
    return c.shape(c.get(0, "query")), True


@op("categorical", modules=("tensorflow.random",))
def _categorical(c: _Call, _tf: bool) -> Result:
    """``tf.random.categorical(logits, num_samples)``: (batch, num_samples)."""
    shape, n = c.shape(c.get(0, "logits")), c.get(1, "num_samples")
    if shape is None or len(shape) != 2 or not (n is None or dims.is_int(n) and not isinstance(n, bool) and n >= 0):
        return None, False
    return (shape[0], n), True


_PREPROCESS_MODES = {
    "convnext": None, "efficientnet": None, "efficientnet_v2": None, "mobilenet_v3": None,
    "densenet": "torch",
    "inception_resnet_v2": "tf", "inception_v3": "tf", "mobilenet": "tf", "mobilenet_v2": "tf",
    "nasnet": "tf", "resnet_v2": "tf", "xception": "tf",
    "resnet": "caffe", "resnet50": "caffe", "vgg16": "caffe", "vgg19": "caffe",
    "imagenet_utils": "caffe",  # its default mode
}


def _preprocessing(mode: Optional[str]) -> Rule:
    def rule(c: _Call, _tf: bool) -> Result:
        """``_preprocess_tensor_input``: "tf" scales (the input's shape);
        "torch" adds and divides by a per-channel (3,) mean and std, "caffe"
        stacks channels 2, 1, 0 and adds the (3,) mean: channels-last images
        of 3 channels keep their shape (other channel counts or data formats
        are left unknown)."""
        chosen = c.get(2, "mode", default="caffe") if mode == "caffe?" else mode
        shape = c.x()
        if shape is None or chosen not in (None, "tf", "torch", "caffe"):
            return None, False
        if chosen in ("torch", "caffe"):
            data_format = c.get(1, "data_format", default=None)
            if data_format not in (None, "channels_last") or not shape or shape[-1] != 3:
                return None, False
        return shape, True
    return rule


for _family, _mode in _PREPROCESS_MODES.items():
    op("preprocess_input", modules=(f"keras.applications.{_family}",))(
        _preprocessing("caffe?" if _family == "imagenet_utils" else _mode))


# The tf.strings and tf.audio rules (tf_strings.py) are tensor-op rules run
# by this family's handler: registered when this module is.
from shapelint.frontend.library import tf_strings  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import,cyclic-import
