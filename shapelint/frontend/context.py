"""What a library model sees of the evaluator: a small protocol, so that no
handler imports the evaluator (and no import cycle appears).

A handler gets a ``Context`` and a ``LibraryCall``.  It reads argument values
(plain Python values, ``UNKNOWN``, or the abstract values of ``values.py``),
asks for tensor shapes through ``shape_of``/``exact_of``, makes new tensors
with ``new_tensor``, and may call back into the program with ``call`` (a
local function passed as an argument)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol

from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.values import Tensor
    from shapelint.graph import ShapeGraph
    from shapelint.shapes.dims import Shape


@dataclass
class ModuleState:
    """Module-wide settings the program itself changes while it runs."""

    # keras.backend.set_image_data_format(...) was called: channels_last
    # (Keras' default) can no longer be assumed; the format it set when the
    # code shows it ("channels_first"), else None.
    image_data_format_set: bool = False
    image_data_format: Optional[str] = None

    def data_format_key(self) -> tuple:
        """What a layer built now takes for its data_format by default."""
        return (self.image_data_format_set, self.image_data_format)

    def default_data_format(self) -> Any:
        """The data_format a layer built now gets when given none: Keras
        reads the global setting at construction."""
        if not self.image_data_format_set:
            return None  # Keras' own default: the rules take channels_last
        return self.image_data_format if self.image_data_format is not None else UNKNOWN


@dataclass
class LibraryCall:
    """One call of a library function or method, arguments evaluated."""

    qualname: str  # normalised dotted name: ``keras.ops.reshape``, ``numpy.ndarray.reshape``
    args: List[Any]
    kwargs: Dict[str, Any]
    node: Any  # the astroid Call node
    spelled: str = ""  # the dotted name as the program spells it (before normalising)
    receiver: Any = None  # for a method: the object it is called on
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The last part of the dotted name (``reshape``)."""
        return self.qualname.rpartition(".")[2]

    @property
    def module(self) -> str:
        """Everything before the last dot (``keras.ops``)."""
        return self.qualname.rpartition(".")[0]

    def arg(self, index: Optional[int], *names: str, default: Any = None) -> Any:
        """The argument passed by one of ``names`` or at position ``index``."""
        for name in names:
            if name in self.kwargs:
                return self.kwargs[name]
        if index is not None and index < len(self.args):
            return self.args[index]
        return default


class Context(Protocol):
    """The evaluator, as library models see it."""

    graph: "ShapeGraph"
    state: ModuleState

    def new_tensor(self, shape: "Shape", node: Any = None, *, origin: str = "op",
                   exact: bool = False, inputs: Any = ()) -> "Tensor":
        """A new tensor of ``shape`` made at ``node``.  ``exact``: every None in
        ``shape`` is one Keras reports too (a dynamic axis).  ``inputs``: the
        values an op made it from (any nesting); the tensors among them are
        joined to it in the graph, so walks back see through the op."""

    def shape_of(self, value: Any) -> "Shape":
        """A tensor's shape as the graph holds it; None when ``value`` is not a
        tensor or its rank is unknown."""

    def exact_of(self, value: Any) -> bool:
        """``value`` is a tensor whose None dims are Keras' own."""

    def shape_value(self, tensor: "Tensor") -> Any:
        """``x.shape`` as the program sees it: Keras' None for a dynamic axis,
        UNKNOWN for a size the analysis could not tell."""

    def call(self, func: Any, args: List[Any], kwargs: Dict[str, Any], node: Any) -> Any:
        """Call an abstract value (a local function, a layer ...) as the
        program would."""

    def first_item(self, gen: Any) -> Any:
        """The first item of one of the program's generators (``next(gen)``),
        its body run up to its first ``yield``; UNKNOWN if not followed."""

    def exhaust(self, gen: Any) -> None:
        """A generator consumed whole (a loop, ``list(gen)``): its body runs
        once for what it builds."""

    def record_error(self, node: Any, error: Any) -> None:
        """Something the program does at ``node`` raises (a ``ShapeError``):
        reported there, as Keras' errors outside a layer are
        (checks/construction.py)."""

    def keras_symbolic(self, values: Any) -> bool:
        """True when ``values`` hold a KerasTensor (a functional model being
        built) outside any traced ``call()``: Keras' own shape rules
        (``compute_output_spec``) judge a keras.ops call on it, not the
        backend's."""

    def unknown_result(self, args: List[Any], kwargs: Dict[str, Any], node: Any) -> Any:
        """What a call we cannot follow gives: a tensor of unknown shape when
        it takes a tensor, else UNKNOWN."""


class EvaluatorContext(Context, Protocol):
    """What the Keras-construction, local-class and training modules see of
    the evaluator: the library models' context, plus evaluation, the module
    scope and each other."""

    module_env: Any  # scope.Env of the module
    keras: Any  # keras_models.KerasModels
    symbolic: Any  # symbolic.SymbolicTensors: which tensors are KerasTensors
    classes: Any  # local_classes.LocalClasses
    training: Any  # training.TrainingRecorder

    def eval(self, node: Any, env: Any) -> Any:
        """The abstract value of an expression in a scope."""

    def exec_stmt(self, stmt: Any, env: Any) -> None:
        """Run one statement in a scope."""

    def attribute(self, obj: Any, name: str) -> Any:
        """``obj.name`` as the program reads it."""

    def store_attribute(self, owner: Any, name: str, value: Any) -> None:
        """``owner.name = value`` as the program writes it."""

    def env_of(self, node: Any) -> Any:
        """The module scope (globals) the code of ``node`` sees: the analysed
        module's, or that of the project module it was imported from."""

    def next_layer_id(self) -> int:
        """A new layer identity (layers applied twice share theirs)."""

    @property
    def in_uncertain_branch(self) -> bool:
        """Evaluating a branch whose condition is unknown (it may never run)."""

    @property
    def in_uncalled_function(self) -> bool:
        """Evaluating a function the module never calls, on its own."""
