"""Training calls: ``compile()`` remembers the loss; ``fit()``,
``evaluate()``, ``predict()`` and friends record what data reaches which
model, for the training-time checks (output vs targets, label encoding,
data vs Input)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Tuple

from shapelint.frontend import keras1, library
from shapelint.frontend.context import LibraryCall
from shapelint.frontend.library import DECLINE
from shapelint.frontend.library.numpy_arrays import frame_values
from shapelint.frontend.resolve import Ref, normalise
from shapelint.frontend.values import Array, Dataset, LibraryObject, LossSpec, ModelObj
from shapelint.graph import DataInfo, TrainingCall
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.context import EvaluatorContext

# Methods that pass data through a model.
DATA_METHODS = ("fit", "fit_generator", "evaluate", "predict", "train_on_batch",
                "test_on_batch", "predict_on_batch", "evaluate_generator")
_PREDICT_METHODS = ("predict", "predict_on_batch")


class TrainingRecorder:
    """Records compile/fit/evaluate/predict calls into the graph."""

    data_methods = DATA_METHODS
    # Keras 1/2 spellings (predict_classes ...) are analysed as the Keras 3
    # method they stand for.
    methods = ("compile",) + DATA_METHODS + tuple(m for m in keras1.METHODS if m not in DATA_METHODS)

    def __init__(self, ctx: "EvaluatorContext"):
        self.ctx = ctx
        self.graph = ctx.graph

    @staticmethod
    def call_keras_api(qualname: str, args, kwargs, node) -> Any:
        """``keras.losses.CategoricalCrossentropy(from_logits=True)``: a loss
        object; DECLINE for anything else."""
        last = qualname.rpartition(".")[2]
        if qualname.startswith("keras.losses.") and last[:1].isupper():
            return LossSpec(_snake(last), kwargs.get("from_logits") is True, node)
        return DECLINE

    def record(self, model: ModelObj, name: str, args, kwargs, node) -> Any:
        if name == "compile":
            loss = kwargs.get("loss", args[1] if len(args) > 1 else None)
            model.loss = loss_spec(loss, node)
            model.compile_node = node
            return None
        name = keras1.METHODS.get(name, name)
        kwargs, notes = keras1.translate_fit(name, kwargs, node)
        self.graph.keras1_notes.extend(notes)
        record = model.record
        if record is None:
            return None
        x = args[0] if args else kwargs.get("x", UNKNOWN)
        if name in _PREDICT_METHODS:
            y = None
        else:
            y = args[1] if len(args) > 1 else kwargs.get("y", None)
        batched = False
        # Data that comes in batches (a dataset, a Keras Sequence) pairs x and y itself.
        from_dataset = isinstance(x, (Dataset, LibraryObject))
        if isinstance(x, LibraryObject) and frame_values(x) is None and not x.type_name.startswith("pandas."):
            x, y = self._first_batch(x, node)  # a Keras Sequence (a pandas frame is data itself)
        # Keras builds an unbuilt Sequential on the first data it sees: an
        # array's samples, or a batch of a batched dataset as its
        # element_spec declares it (an unbatched one is not modelled).
        build_on = tuple(x.shape[1:]) if isinstance(x, Array) and x.shape else None
        if isinstance(x, Dataset):
            declared = _unpack_element(Dataset(x.spec, x.batched) if x.spec is not None else x)[0]
            build_on = tuple(declared.shape) if x.batched and isinstance(declared, Array) and declared.shape \
                else None
            x, y, batched = _unpack_element(x)
        if model.kind == "sequential" and model.input_tensor is None and build_on is not None:
            # A None in data is a size the code does not show, not Keras' own.
            self.ctx.keras.sequential_build(
                model, (None,) + tuple(UNKNOWN if d is None else d for d in build_on), node)
        self.graph.trainings.append(TrainingCall(
            record=record,
            method=name,
            node=node,
            x=[data_info(v, batched) for v in (x if isinstance(x, (list, tuple)) else [x])],
            y=None if y is None else [data_info(v, batched) for v in (y if isinstance(y, (list, tuple)) else [y])],
            loss=model.loss,
            compile_node=model.compile_node,
            from_dataset=from_dataset,
        ))
        if name in _PREDICT_METHODS:
            return self._predictions(model, x, batched or from_dataset)
        return UNKNOWN

    def _predictions(self, model: ModelObj, x: Any, batched: bool) -> Any:
        """What ``predict`` returns for a one-output model: an array of one
        row per sample (as many as ``x`` has; unknown for batched data)
        shaped like the model's output."""
        outs = model.outputs if model.kind == "functional" else (
            [model.output_tensor] if model.output_tensor is not None else [])
        if len(outs) != 1:
            return UNKNOWN
        shape = self.graph.shape(outs[0].tid)
        if shape is None or not self.graph.exact(outs[0].tid) or shape[0] is not None:
            return UNKNOWN
        samples = x.shape[0] if isinstance(x, Array) and x.shape and not batched else None
        return Array((samples,) + tuple(shape[1:]), "float")

    def _first_batch(self, data: LibraryObject, node) -> Tuple[Any, Any]:
        """A Keras Sequence passed to fit (``ImageDataGenerator.flow``,
        ``flow_from_directory``): fit takes its items as batches, so the
        data is what ``data[0]`` gives (the library model of
        ``<type>.__getitem__``): (x, y), or x alone."""
        batch = library.dispatch(self.ctx, LibraryCall(f"{data.type_name}.__getitem__", [0], {}, node,
                                                       receiver=data))
        if batch is DECLINE:
            return UNKNOWN, None
        if isinstance(batch, (tuple, list)):
            return batch[0], batch[1] if len(batch) > 1 else None
        return batch, None


def _unpack_element(dataset: Dataset) -> Tuple[Any, Any, bool]:
    """(x, y, batched) of a dataset's element, as Keras unpacks it
    (``unpack_x_y_sample_weight``): a tuple of one is x, of two (x, y), of
    three (x, y, sample_weight); anything else is x."""
    element = dataset.element
    if isinstance(element, (tuple, list)) and 1 <= len(element) <= 3:
        return element[0], element[1] if len(element) > 1 else None, dataset.batched
    return element, None, dataset.batched


def loss_spec(loss: Any, node) -> Any:
    """``compile(loss=...)`` as the checks read it: a LossSpec, or a list or
    dict of them (one per output), or None."""
    if isinstance(loss, LossSpec):
        return loss
    if isinstance(loss, str):
        return LossSpec(loss, False, node)
    if isinstance(loss, Ref):
        last = normalise(loss.qualname).split(".")[-1]
        return LossSpec(_snake(last) if last[:1].isupper() else last, False, node)
    if isinstance(loss, (list, tuple)):
        return [loss_spec(v, node) for v in loss]
    if isinstance(loss, dict):
        return {k: loss_spec(v, node) for k, v in loss.items()}
    return None


def data_info(value: Any, batched: bool) -> Any:
    """Plain data for the checks: the full shape (sample axis first), or
    None when the code does not show it.  Keras takes a pandas frame or
    series as its values."""
    value = frame_values(value) or value
    if not isinstance(value, Array) or value.shape is None:
        return None
    shape = ((None,) + tuple(value.shape)) if batched else tuple(value.shape)
    return DataInfo(shape, value.dtype, value.classes, value.onehot, value.node)


def _snake(name: str) -> str:
    """``CategoricalCrossentropy`` -> ``categorical_crossentropy``."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
