"""The rule registry: Keras class name -> shape rule.

A rule mirrors one Keras layer family's ``compute_output_shape`` and the
input checks its ``build`` makes.  It is a plain function::

    @rule("Dense", signature=("units", "activation", "use_bias"))
    def dense(cfg: LayerConfig, inputs: list[Shape]) -> Out: ...

``cfg`` holds the constructor arguments (positional ones mapped through
``signature``), already evaluated by the front end; an argument the front end
could not evaluate is ``UNKNOWN``.  ``inputs`` are the shapes of the tensors
the layer is called on.  A rule returns ``Out`` or raises ``ShapeError`` when
Keras itself would refuse the input.  Adding a layer means adding one rule in
one file under ``shapes/rules/`` plus its property test.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from shapelint.messages import INCOMPATIBLE_INPUT_RANK, FindingKind
from shapelint.shapes import dims
from shapelint.shapes.dims import Dim, Shape
from shapelint.unknown import UNKNOWN


class ShapeError(Exception):
    """Keras would reject this input; ``kind`` is the finding it makes."""

    def __init__(self, kind: FindingKind, message: str, fix: str = ""):
        if not isinstance(kind, FindingKind):
            raise TypeError(f"ShapeError needs a FindingKind from shapelint.messages, not {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.fix = fix

    def __reduce__(self):
        # copy.copy (a replayed call's own error) and pickle: built again from
        # its three fields (Exception's own reduce passes the message alone)
        return (type(self), (self.kind, self.message, self.fix), self.__dict__)


# Values whose every read through a LayerConfig is to be known (id -> a
# one-item list set True when one is read): the float arguments of a
# function call being summarised for any value (frontend/summaries.py).
WATCHED: Dict[int, List[bool]] = {}


@dataclass(frozen=True)
class LayerConfig:
    class_name: str
    args: Dict[str, Any] = field(default_factory=dict)
    call_kwargs: Dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.args.get(name, default)
        if WATCHED and id(value) in WATCHED:
            WATCHED[id(value)][0] = True
        return value

    def get_for_params(self, name: str, default: Any = None) -> Any:
        """An argument that sizes only the weights, never an output shape
        (Embedding's ``input_dim``): an unevaluated one leaves the output
        exact."""
        return LayerConfig.get(self, name, default)

    def call_arg(self, name: str, default: Any = None) -> Any:
        """An argument of the layer's call (``return_attention_scores=``)."""
        return self.call_kwargs.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.args


# (argument name, value) pairs a rule application read through ``get``.
Reads = List[Tuple[str, Any]]
# The prefix of a read through ``get_for_params``: it never clears exactness.
PARAMS_ONLY = "params:"


@dataclass(frozen=True)
class TrackedConfig(LayerConfig):
    """The view of a config one rule application gets: ``get`` records what
    it read in ``reads``, the log of that application (``apply_rule`` then
    tells whether the output is exact).  A layer config nested in an argument
    (a wrapper's inner layer, an RNN's cells) is handed out tracked into the
    same log: the outer layer is as exact as the layers it holds."""

    reads: Reads = field(default_factory=list, compare=False, repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.args.get(name, default)
        if WATCHED and id(value) in WATCHED:
            WATCHED[id(value)][0] = True
        self.reads.append((name, value))
        if type(value) in _ATOMIC:  # tracked()'s first answer, without the call: most arguments
            return value
        return tracked(value, self.reads)

    def get_for_params(self, name: str, default: Any = None) -> Any:
        value = LayerConfig.get(self, name, default)
        self.reads.append((PARAMS_ONLY + name, value))
        return value

    def call_arg(self, name: str, default: Any = None) -> Any:
        value = self.call_kwargs.get(name, default)
        self.reads.append(("call:" + name, value))
        return value


_ATOMIC = frozenset((int, float, str, bool, type(None)))


def new_config(class_name: str, args: Dict[str, Any], call_kwargs: Optional[Dict[str, Any]] = None) -> LayerConfig:
    """``LayerConfig(class_name, args, call_kwargs)`` (``{}`` when None), made
    without the frozen dataclass's ``__init__`` (one object.__setattr__ per
    field): one per layer made."""
    cfg = object.__new__(LayerConfig)
    cfg.__dict__.update(class_name=class_name, args=args, call_kwargs={} if call_kwargs is None else call_kwargs)
    return cfg


def _tracked_config(cfg: LayerConfig, reads: Reads) -> "TrackedConfig":
    """``TrackedConfig(cfg.class_name, cfg.args, cfg.call_kwargs, reads)``,
    made without the frozen dataclass's ``__init__`` (one object.__setattr__
    per field; one is made at every layer application)."""
    view = object.__new__(TrackedConfig)
    view.__dict__.update(class_name=cfg.class_name, args=cfg.args, call_kwargs=cfg.call_kwargs, reads=reads)
    return view


def tracked(value: Any, reads: Reads) -> Any:
    """``value`` with every LayerConfig in it (in lists and tuples too)
    viewed through ``reads``; the value itself when it holds none."""
    if type(value) in _ATOMIC:  # most arguments: no config in them
        return value
    if isinstance(value, TrackedConfig) and value.reads is reads:
        return value
    if isinstance(value, LayerConfig):
        return _tracked_config(value, reads)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (LayerConfig, list, tuple)) for v in value):
        items = [tracked(v, reads) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return items if isinstance(value, list) else tuple(items)
    return value


@dataclass
class Out:
    """A rule's answer: the output shape(s) and the parameter count.

    ``exact``: every None in ``shapes`` is one Keras gives too (given inputs
    whose None dims are Keras' own).  ``apply_rule`` clears it when the rule read
    an argument the front end could not evaluate; a rule clears it itself for
    a size that depends on what it cannot see (a vocabulary from ``adapt``).
    """

    shapes: List[Shape]
    params: Optional[int] = None
    exact: bool = True

    @property
    def shape(self) -> Shape:
        return self.shapes[0] if self.shapes else None


@dataclass(frozen=True)
class Rule:
    name: str
    func: Callable[[LayerConfig, List[Shape]], Out]
    signature: Tuple[str, ...]
    # "single": called on one tensor; "list": on a list of tensors (merge);
    # "multi": positional tensors (query, value, key ...).
    inputs: str = "single"
    # When False, an input of unknown rank gives an unknown output without
    # calling the rule.
    handles_unknown_rank: bool = False
    # For findings: True when the layer changes the spatial/temporal axes.
    family: str = ""
    # (input index, axis) pairs whose size the layer's weights are made of:
    # Keras cannot build it when such an axis is None (a dynamic size).
    defined_axes: Optional[Callable[[LayerConfig, List[Shape]], List[Tuple[int, int]]]] = None


RULES: Dict[str, Rule] = {}
ALIASES: Dict[str, str] = {}
# Lower-case functional forms (``layers.concatenate``) -> class name.
FUNCTIONS: Dict[str, str] = {}


def rule(
    *names: str,
    signature: Union[Sequence[str], Mapping[str, Sequence[str]]] = (),
    inputs: str = "single",
    handles_unknown_rank: bool = False,
    family: str = "",
    defined_axes=None,
):
    """Register ``func`` as the rule for every Keras class name in ``names``.

    ``signature``: the constructor's positional parameters in Keras' order,
    one tuple for every name, or a mapping from each name to its own
    (``keras_signatures.KERAS_POSITIONAL``)."""

    def decorate(func):
        for name in names:
            own = signature.get(name, ()) if isinstance(signature, Mapping) else signature
            RULES[name] = Rule(
                name, func, tuple(own), inputs, handles_unknown_rank, family, defined_axes
            )
        return func

    return decorate


def alias(canonical: str, *others: str) -> None:
    for other in others:
        ALIASES[other] = canonical


def function(func_name: str, class_name: str) -> None:
    FUNCTIONS[func_name] = class_name


def canonical_name(name: str) -> str:
    return ALIASES.get(name, name)


def lookup(name: str) -> Optional[Rule]:
    if not _LOADED:
        _load_rules()
    return RULES.get(ALIASES.get(name, name))  # canonical_name(name), inlined: asked per layer use


_NAMES: set = set()


def known_layer_names() -> set:
    _load_rules()
    if not _NAMES:
        _NAMES.update(RULES)
        _NAMES.update(ALIASES)
    return _NAMES


_LOADED = False


def _load_rules() -> None:
    global _LOADED  # pylint: disable=global-statement
    if _LOADED:
        return
    _LOADED = True
    # Import for the side effect of registration.
    from shapelint.shapes import rules  # pylint: disable=import-outside-toplevel,unused-import


# --- applying a rule ------------------------------------------------------------

# Arguments that never change an output shape.
_NO_SHAPE_ARGS = ("activation", "recurrent_activation", "name", "dtype", "trainable", "seed")
_NO_SHAPE_SUFFIXES = ("_initializer", "_regularizer", "_constraint")


def apply_rule(rule_: Rule, cfg: LayerConfig, inputs: List[Shape], reads: Optional[Reads] = None) -> Out:
    """``rule_.func`` on a tracked view of ``cfg``, with ``Out.exact``
    cleared when the rule read an argument that is not a plain, evaluated
    value.  ``reads``: the log of the application this one is part of (a
    wrapper's); a fresh one otherwise."""
    log: Reads = [] if reads is None else reads
    start = len(log)
    out = rule_.func(tracked(cfg, log), inputs)
    if isinstance(out, Out) and out.exact:
        for k, v in log[start:]:
            if v is None or type(v) in _LITERALS:
                continue  # plain_value(v): most reads
            if k not in _NO_SHAPE_ARGS and not k.endswith(_NO_SHAPE_SUFFIXES) \
                    and not k.startswith(PARAMS_ONLY) and not plain_value(v):
                out.exact = False
                break
    return out


def apply_layer(cfg: LayerConfig, inputs: List[Shape], reads: Optional[Reads] = None) -> Optional[Out]:
    """``cfg``'s rule applied to ``inputs``; None when no rule answers (an
    unknown layer, an input of unknown rank the rule does not take, an
    internal slip).  Raises nothing but ``ShapeError``."""
    return apply_found(lookup(cfg.class_name), cfg, inputs, reads)


def apply_found(rule_: Optional[Rule], cfg: LayerConfig, inputs: List[Shape],
                reads: Optional[Reads] = None) -> Optional[Out]:
    """``apply_layer`` with ``cfg``'s rule already looked up (None: it has none)."""
    if rule_ is None:
        return None
    if not rule_.handles_unknown_rank and (not inputs or any(s is None for s in inputs)):
        return None
    try:
        out = apply_rule(rule_, cfg, list(inputs), reads)
    except ShapeError:
        raise
    except Exception:  # pylint: disable=broad-except
        return None  # unknown is a valid answer, a crash is not
    return out if isinstance(out, Out) else None


def apply_inner(outer: LayerConfig, inner: LayerConfig, inputs: List[Shape]) -> Out:
    """For a wrapper's rule: its inner layer's rule on ``inputs`` (an unknown
    output when none answers), the reads logged with the wrapper's own."""
    reads = outer.reads if isinstance(outer, TrackedConfig) else None
    out = apply_layer(inner, inputs, reads)
    return Out([None], None) if out is None else out


def plain_value(value: Any) -> bool:
    """An evaluated argument: a literal, a symbolic size, or a nested layer's config."""
    if value is None or type(value) in _LITERALS or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (tuple, list)):
        return all(plain_value(v) for v in value)
    if isinstance(value, dict):
        return all(plain_value(v) for v in value.values())
    if isinstance(value, LayerConfig):
        return True  # its own reads are tracked when its rule runs
    return dims.is_symbolic(value)


_LITERALS = frozenset((bool, int, float, str))


# --- helpers shared by rules -------------------------------------------------


def as_tuple(value: Any, n: int) -> Optional[Tuple[Dim, ...]]:
    """``3`` -> (3,)*n, ``(3, 2)`` -> (3, 2); None when not evaluable."""
    if type(value) is int:  # pylint: disable=unidiomatic-typecheck
        return (value,) * n  # (the commonest argument: as_dim's answer, at once)
    if value is UNKNOWN or value is None:
        return None
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            return None
        return tuple(dims.as_dim(v) for v in value)
    d = dims.as_dim(value)
    if d is None:
        return None
    return (d,) * n


def require_rank(
    cfg: LayerConfig,
    shape: Shape,
    ndim: Optional[int] = None,
    min_ndim: Optional[int] = None,
    fix: str = "",
) -> None:
    """Mirror Keras' InputSpec(ndim=...)/(min_ndim=...) check."""
    if shape is None:
        return
    rank = len(shape)
    if ndim is not None and rank != ndim:
        expected = f"{ndim}-D"
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"{cfg.class_name} expects a {expected} input but gets a "
            f"{rank}-D tensor {dims.fmt_shape(shape)}",
            fix,
        )
    if min_ndim is not None and rank < min_ndim:
        raise ShapeError(
            INCOMPATIBLE_INPUT_RANK,
            f"{cfg.class_name} expects an input of at least {min_ndim} "
            f"dimensions but gets a {rank}-D tensor {dims.fmt_shape(shape)}",
            fix,
        )


def last_axis(cfg: LayerConfig, inputs) -> List[Tuple[int, int]]:
    """The feature axis of the first input (Dense, RNNs)."""
    return [(0, -1)]


def channel_axis(cfg: LayerConfig, inputs) -> List[Tuple[int, int]]:
    """The channel axis of a convolution's input, by data_format."""
    last = channels_last(cfg)
    return [] if last is None else [(0, -1 if last else 1)]


def config_axis(cfg: LayerConfig, inputs) -> List[Tuple[int, int]]:
    """The normalised axis (or axes) of a normalisation layer."""
    axis = cfg.get("axis", -1)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return [(0, a) for a in axes if dims.is_int(a)]


def channels_last(cfg: LayerConfig) -> Optional[bool]:
    fmt = cfg.get("data_format", None)
    if fmt is None:
        return True
    if fmt == "channels_last":
        return True
    if fmt == "channels_first":
        return False
    return None

