"""Keras' symbolic tensors, and TensorFlow functions applied to them.

While a functional model is built, ``keras.Input`` and every layer applied
to it give KerasTensors: placeholders with a shape and a dtype.  Keras 3
refuses to hand one to a TensorFlow function (``KerasTensor.__tf_tensor__``
raises "A KerasTensor cannot be used as input to a TensorFlow function");
only Keras layers and ``keras.ops`` take them.  Inside a layer's ``call()``
(a Lambda's function, a custom layer or model) Keras traces with backend
tensors instead, so TensorFlow functions are fine there (measured: a
``tf.nn.depth_to_space`` in a custom layer's ``call()`` or in a Lambda
builds).  Keras 2 (``tf_keras``, ``TF_USE_LEGACY_KERAS=1``) converts a
symbolic tensor into a TF op layer and accepts them all.

``SymbolicTensors`` keeps which tensors are KerasTensors (from ``Input``,
and whatever layers, ops and operators make of them), and records a
construction error for a ``tensorflow.*`` call that gets one outside any
traced ``call()``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, Set


from shapelint.frontend.parsing import scan
from shapelint.frontend.values import Tensor, flatten
from shapelint.messages import TF_OP_ON_KERAS_TENSOR
from shapelint.shapes.registry import ShapeError

if TYPE_CHECKING:
    from shapelint.frontend.context import EvaluatorContext

# tf.* functions (by their last name) and their keras.ops equivalent; every
# entry exists in Keras 3.15's keras.ops (tests/test_tf_op_on_keras_tensor.py).
KERAS_OPS = {
    "concat": "concatenate", "reduce_sum": "sum", "reduce_mean": "mean", "reduce_max": "max",
    "reduce_min": "min", "reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all",
    "reduce_std": "std", "reduce_variance": "var", "reduce_logsumexp": "logsumexp",
    "expand_dims": "expand_dims", "squeeze": "squeeze", "reshape": "reshape", "transpose": "transpose",
    "one_hot": "one_hot", "cast": "cast", "shape": "shape", "matmul": "matmul", "softmax": "softmax",
    "relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "stack": "stack", "split": "split",
    "tile": "tile", "gather": "take", "where": "where", "log": "log", "exp": "exp", "sqrt": "sqrt",
    "square": "square", "abs": "abs", "maximum": "maximum", "minimum": "minimum", "pad": "pad",
    "clip_by_value": "clip", "argmax": "argmax", "argmin": "argmin", "norm": "norm",
    "l2_normalize": "normalize", "einsum": "einsum", "reverse": "flip", "cumsum": "cumsum",
    "zeros_like": "zeros_like", "ones_like": "ones_like", "moments": "moments", "add": "add",
    "multiply": "multiply", "subtract": "subtract", "divide": "divide", "pow": "power",
    "depth_to_space": "depth_to_space", "space_to_depth": "space_to_depth", "gelu": "gelu",
    "elu": "elu", "selu": "selu", "softplus": "softplus", "leaky_relu": "leaky_relu",
    "log_softmax": "log_softmax", "sort": "sort", "top_k": "top_k", "roll": "roll", "round": "round",
    "floor": "floor", "ceil": "ceil", "sign": "sign", "erf": "erf", "rsqrt": "rsqrt", "sin": "sin",
    "cos": "cos", "repeat": "repeat", "broadcast_to": "broadcast_to", "resize": "image.resize",
    "equal": "equal", "greater": "greater", "less": "less", "logical_and": "logical_and",
    "logical_or": "logical_or", "logical_not": "logical_not", "unstack": "unstack", "swish": "silu",
    "silu": "silu", "log1p": "log1p", "cumprod": "cumprod", "argsort": "argsort",
    "extract_patches": "image.extract_patches", "rank": "ndim", "size": "size",
}

# tensorflow.* names that never convert their arguments to tensors.
_NOT_CONVERTING = ("tensorflow.nest.", "tensorflow.is_tensor", "tensorflow.is_symbolic_tensor",
                   "tensorflow.name_scope", "tensorflow.TensorSpec", "tensorflow.TensorShape",
                   "tensorflow.get_logger", "tensorflow.print", "tensorflow.function",
                   "tensorflow.config.", "tensorflow.random.set_seed", "tensorflow.device",
                   "tensorflow.GradientTape", "tensorflow.Variable", "tensorflow.summary.")


def module_keras_version(module: Any, assumed: int) -> int:
    """2 when the module uses Keras 2 by itself (imports ``tf_keras`` or
    sets ``TF_USE_LEGACY_KERAS``), else the version assumed by the options."""
    found = scan(module)
    for modname, imported, _level in found.imports:
        names = [modname] if modname is not None else [n for n, _ in imported]
        if any(n == "tf_keras" or n.startswith("tf_keras.") for n in names if n):
            return 2
    return 2 if found.legacy_keras_const else assumed


class SymbolicTensors:
    """The KerasTensors of the module, and the tf calls that get one."""

    def __init__(self, ctx: "EvaluatorContext", keras_version: int):
        self.ctx = ctx
        self.keras_version = keras_version
        self.tids: Set[int] = set()
        self.trace_depth = 0  # inside a traced call() (Lambda, custom layer or model)
        # Inside the call() of a layer or model applied to a KerasTensor,
        # Keras 3 traces in a TensorFlow FuncGraph (backend
        # compute_output_spec): the tensors made there (tid >= graph_floor)
        # are graph tensors.  ``raised_at``: the layer applications recorded
        # from there on come after TensorFlow raised in that trace (Keras
        # applies none of them, and the outermost call raises).
        self.graph_depth = 0
        self.graph_floor = 0
        # tf.constant of a literal made in the traced FuncGraph is a graph
        # tensor; the ops that read values (tf.pad's paddings) read them here.
        self.constant_arrays: Dict[int, Any] = {}
        self.raised_at: Optional[int] = None

    def mark(self, value: Any) -> None:
        for tensor in _tensors(value):
            self.tids.add(tensor.tid)

    def is_symbolic(self, *values: Any) -> bool:
        """A tensor of ``values`` (at any depth, as ``_tensors`` walks
        them) is a KerasTensor: the walk stops at the first one."""
        tids = self.tids
        return bool(tids) and _any_marked(values, tids)

    def propagate(self, inputs: Any, result: Any) -> None:
        """``result`` derives from ``inputs``: a KerasTensor in, KerasTensors out."""
        if self.is_symbolic(inputs):
            self.mark(result)

    @contextmanager
    def tracing(self, graph: bool = False) -> Iterator[None]:
        """Keras traces a layer's call() with backend tensors: tf ops are
        fine.  ``graph``: a symbolic call, traced in a FuncGraph."""
        self.trace_depth += 1
        if graph and not self.graph_depth:
            self.graph_floor = self.ctx.graph.tensor_count()
        self.graph_depth += graph
        try:
            yield
        finally:
            self.trace_depth -= 1
            self.graph_depth -= graph

    def graph_tensor(self, value: Any) -> bool:
        """A tensor made inside the FuncGraph Keras traces a symbolic call in."""
        return bool(self.graph_depth) and isinstance(value, Tensor) and value.tid >= self.graph_floor

    def raise_in_trace(self) -> None:
        """TensorFlow raises here, inside a traced symbolic call: what the
        trace applies from here on Keras never applies (see ``raised_at``)."""
        if self.graph_depth and self.raised_at is None:
            self.raised_at = len(self.ctx.graph.calls)

    def check_tf_call(self, qualname: str, args, kwargs, node) -> None:
        if (self.keras_version < 3 or self.trace_depth or not qualname.startswith("tensorflow.")
                or qualname.startswith(_NOT_CONVERTING)):
            return
        if not self.is_symbolic(list(args), list(kwargs.values())):
            return
        self.ctx.keras.record_construction_error(node, tf_op_error(qualname, node))


def tf_op_error(qualname: str, node) -> ShapeError:
    spelled = _spelled(node) or qualname.replace("tensorflow.", "tf.", 1)
    last = qualname.rpartition(".")[2]
    equivalent = KERAS_OPS.get(last)
    fixes = []
    if equivalent is not None:
        fixes.append(f"keras.ops.{equivalent}(...) takes Keras tensors")
    fixes.append(f"or wrap it in a layer: keras.layers.Lambda(lambda t: {spelled}(t, ...)), "
                 "or a custom Layer whose call() uses it")
    return ShapeError(
        TF_OP_ON_KERAS_TENSOR,
        f"{spelled}() is given a symbolic Keras tensor while the functional model is built: Keras 3 raises "
        f"(\"A KerasTensor cannot be used as input to a TensorFlow function\")",
        "; ".join(fixes),
    )


def _spelled(node) -> Optional[str]:
    func = getattr(node, "func", None)
    if func is None:
        return None
    try:
        return func.as_string()
    except Exception:  # pylint: disable=broad-except
        return None


def _any_marked(values: Any, tids: set) -> bool:
    """``any(t.tid in tids for v in values for t in _tensors(v))``, without
    the lists: asked for nearly every call the front end meets."""
    for v in values:
        if isinstance(v, Tensor):
            if v.tid in tids:
                return True
        elif isinstance(v, (list, tuple)):
            if _any_marked(v, tids):
                return True
        elif isinstance(v, dict) and _any_marked(v.values(), tids):
            return True
    return False


def _tensors(value: Any):
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for t in flatten(list(value)) if isinstance(t, Tensor)]
    if isinstance(value, dict):
        return [t for t in flatten(list(value.values())) if isinstance(t, Tensor)]
    return []
