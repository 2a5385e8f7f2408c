"""Training calls: ``compile()`` remembers the loss; ``fit()``,
``evaluate()``, ``predict()`` and friends record what data reaches which
model, for the training-time checks (output vs targets, label encoding,
data vs Input)."""
from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from shapelint.frontend import keras1, library
from shapelint.frontend.context import LibraryCall
from shapelint.frontend.library import DECLINE
from shapelint.frontend.library import tf_data
from shapelint.frontend.library.numpy_arrays import frame_values
from shapelint.frontend.resolve import Ref, normalise
from shapelint.frontend.values import (
    Array,
    Dataset,
    Generator,
    Instance,
    LibraryObject,
    LossSpec,
    ModelObj,
    Tensor,
    flatten,
)
from shapelint.graph import DataInfo, TrainingCall
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

if TYPE_CHECKING:
    from shapelint.frontend.context import EvaluatorContext

# Methods that pass data through a model.
DATA_METHODS = ("fit", "fit_generator", "evaluate", "predict", "train_on_batch",
                "test_on_batch", "predict_on_batch", "evaluate_generator")
_PREDICT_METHODS = ("predict", "predict_on_batch")
# Base classes whose instances fit takes as batches (``__getitem__(i)``).
_BATCH_SOURCES = frozenset({"keras.utils.Sequence", "keras.utils.PyDataset", "keras.utils.data_utils.Sequence",
                            "keras.trainers.data_adapters.py_dataset_adapter.PyDataset"})


class TrainingRecorder:
    """Records compile/fit/evaluate/predict calls into the graph."""

    data_methods = DATA_METHODS
    # Keras 1/2 spellings (predict_classes ...) are analysed as the Keras 3
    # method they stand for.
    methods = ("compile",) + DATA_METHODS + tuple(m for m in keras1.METHODS if m not in DATA_METHODS)

    def __init__(self, ctx: "EvaluatorContext"):
        self.ctx = ctx
        self.graph = ctx.graph
        # (batch source, fit call) -> its first batch: taken once per call
        self._batches: Dict[Tuple[int, Any], Tuple[Any, Tuple[Any, Any]]] = {}

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
        from_dataset = isinstance(x, (Dataset, LibraryObject, Generator)) or self.is_batch_source(x)
        if (isinstance(x, LibraryObject) and frame_values(x) is None and not x.type_name.startswith("pandas.")) \
                or isinstance(x, Generator) or self.is_batch_source(x):
            x, y = self.first_batch(x, node)  # a Keras Sequence (a pandas frame is data itself)
        build_on = self.build_input(x, node, "" if from_dataset else name, kwargs)
        if isinstance(x, Dataset):
            x, y, batched = _unpack_element(x)
        if model.kind == "sequential" and model.input_tensor is None:
            # Keras builds it on the first data it sees: on data the code
            # does not show it is built all the same (its input unknown), not
            # on whatever data a later call passes.
            self.ctx.keras.sequential_build(model, build_on if build_on is not None else UNKNOWN, node)
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
        if name == "fit":
            self._validation(model, kwargs.get("validation_data"), node)
        if name in _PREDICT_METHODS:
            return self._predictions(model, x, batched or from_dataset)
        return UNKNOWN

    def _validation(self, model: ModelObj, data: Any, node) -> None:
        """``fit(..., validation_data=(x_val, y_val[, sample_weight]))`` of
        arrays: Keras evaluates the model on them at the end of each epoch
        (``unpack_x_y_sample_weight``), so they meet the model and the loss as
        evaluate's data does, and what they do not fit raises at the fit.  A
        dataset or a batch source there is not followed."""
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3) or model.record is None:
            return
        x, y = data[0], data[1]
        for part in (x, y):
            if isinstance(part, (Dataset, Generator)) or self.is_batch_source(part) or (
                    isinstance(part, LibraryObject) and frame_values(part) is None):
                return
        self.graph.trainings.append(TrainingCall(
            record=model.record,
            method="fit",
            node=node,
            x=[data_info(v, False) for v in (x if isinstance(x, (list, tuple)) else [x])],
            y=[data_info(v, False) for v in (y if isinstance(y, (list, tuple)) else [y])],
            loss=model.loss,
            compile_node=model.compile_node,
        ))

    def _predictions(self, model: ModelObj, x: Any, batched: bool) -> Any:
        """What ``predict`` returns for a one-output model: an array of one
        row per sample (as many as ``x`` has; unknown for batched data)
        shaped like the model's output."""
        outs = model.outputs if model.kind == "functional" else (
            [model.output_tensor] if model.output_tensor is not None else [])
        if len(outs) != 1:
            return UNKNOWN
        shape = self.graph.shape(outs[0].tid)
        if shape is None or not self.graph.exact(outs[0].tid):
            return UNKNOWN  # one row per sample, whatever batch the model was built with
        samples = x.shape[0] if isinstance(x, Array) and x.shape and not batched else None
        return Array((samples,) + tuple(shape[1:]), "float")

    def build_input(self, x: Any, node, method: str = "", options: Optional[Dict[str, Any]] = None) -> Any:
        """The input shape Keras builds an unbuilt model on when ``x`` is
        the first data it sees (a Sequential, a subclassed model): an
        array's samples, the first batch of a Sequence or generator, or a
        batch of a batched dataset as its element_spec declares it (an
        unbatched one is not modelled); None when the code does not show
        it.  A None in data is a size the code does not show, not Keras' own.
        The batch axis of arrays is the one Keras traces the first
        ``method`` call with (``_first_batch``); None for the others."""
        batch, sample, dynamic = None, None, False
        if isinstance(x, Dataset):
            declared = _unpack_element(Dataset(x.spec, x.batched) if x.spec is not None else x)[0]
            sample = tuple(declared.shape) if x.batched and isinstance(declared, Array) and declared.shape \
                else None
            dynamic = sample is not None and declared.exact  # its Nones are the element_spec's
        else:
            if isinstance(x, Generator) or self.is_batch_source(x) or (
                    isinstance(x, LibraryObject) and frame_values(x) is None
                    and not x.type_name.startswith("pandas.")):
                x = self.first_batch(x, node)[0]
                method = ""  # a batch of a size fit does not fix
            if isinstance(x, Array) and x.shape:
                sample = tuple(x.shape[1:])
                batch = _first_batch(method, x.shape[0], options or {})
        if sample is None:
            return None
        return (batch,) + tuple(UNKNOWN if d is None and not dynamic else d for d in sample)

    def step_data(self, x: Any, y: Any, options: Dict[str, Any], node, method: str = "fit") -> Any:
        """The batch Keras hands a model's own ``train_step``/``test_step``
        /``predict_step``: a batched dataset's element as its
        ``element_spec`` declares it (batch axis None), a Sequence's or
        generator's first batch (batch axis None), or arrays, as ``x``
        alone or ``(x, y)``, whose batch axis is ``batch_size`` (32 by
        default) when it divides the samples and None when a smaller last
        batch makes Keras' batches of two sizes (``ArrayDataAdapter``).
        None when the code does not show the data or the batch size:
        an unbatched dataset, one batched with ``drop_remainder``, arrays
        of a sample count the code does not show."""
        if isinstance(x, Dataset):
            if not x.batched or x.fixed_batch:
                return None
            data = tf_data.structure(tf_data.batched_element(tf_data.static(x)),
                                     lambda part: self._batch_tensor(part, None, node))
            first = data[0] if isinstance(data, tuple) and data else data
            return data if isinstance(first, (Tensor, dict)) else None
        batch: Any = None
        if isinstance(x, Generator) or self.is_batch_source(x) or (
                isinstance(x, LibraryObject) and frame_values(x) is None and not x.type_name.startswith("pandas.")):
            x, y = self.first_batch(x, node)
        else:
            samples = {part.shape[0] if isinstance(part, Array) and part.shape else None
                       for part in flatten([x, y])} - {None}
            if len(samples) != 1:
                return None
            batch = _first_batch(method, samples.pop(), options)
            if batch is UNKNOWN:
                return None
        x = _map_data(x, lambda part: self._batch_tensor(part, batch, node))
        if not any(isinstance(part, Tensor) for part in flatten([x])):
            return None
        return x if y is None else (x, _map_data(y, lambda part: self._batch_tensor(part, batch, node)))

    def _batch_tensor(self, data: Any, batch: Any, node) -> Any:
        """A batch of ``data`` (an array, its first axis the samples, or a
        batched dataset's component) as the tensor Keras traces with: its
        batch axis ``batch``, a size the code does not show unknown."""
        data = frame_values(data) or data
        if not isinstance(data, Array) or not data.shape:
            return UNKNOWN
        return self.ctx.new_tensor((batch,) + tuple(dims.as_dim(d) for d in data.shape[1:]), node, origin="input",
                                   exact=tf_data.exact(dataclasses.replace(data, shape=data.shape[1:])))

    def is_batch_source(self, data: Any) -> bool:
        """An instance of the program's own ``keras.utils.Sequence`` /
        ``PyDataset`` subclass: Keras takes its items as batches."""
        return isinstance(data, Instance) and any(
            isinstance(item, Ref) and normalise(item.qualname) in _BATCH_SOURCES
            for item in self.ctx.classes.class_chain(data.cls))

    def first_batch(self, data: Any, node) -> Tuple[Any, Any]:
        """Data that comes in batches, passed to fit: a Keras Sequence
        (``ImageDataGenerator.flow``, ``flow_from_directory``: the library
        model of ``<type>.__getitem__``; the program's own subclass: its
        ``__getitem__(0)`` followed), or a generator (its first item).  The
        batch is (x, y), (x, y, sample_weight) or x alone; each array's first
        axis is the batch, of a size fit does not fix (the last one may be
        smaller)."""
        key = (id(data), node)
        if key in self._batches:
            return self._batches[key][1]
        if isinstance(data, Generator):
            batch = self.ctx.first_item(data)
        elif isinstance(data, Instance):
            batch = self.ctx.classes.instance_method(data, "__getitem__", [0], {}, node)
            batch = _as_batch(batch)
        else:
            batch = library.dispatch(self.ctx, LibraryCall(f"{data.type_name}.__getitem__", [0], {}, node,
                                                           receiver=data))
        if batch is DECLINE:
            out: Tuple[Any, Any] = (UNKNOWN, None)
        elif isinstance(batch, (tuple, list)) and 1 <= len(batch) <= 3:
            out = (batch[0], batch[1] if len(batch) > 1 else None)
        else:
            out = (batch, None)
        if isinstance(data, Generator):
            out = (_as_batch(out[0]), _as_batch(out[1]))
        self._batches[key] = (data, out)  # the object is kept: its id stays its own
        return out


def _as_batch(value: Any) -> Any:
    """A batch a program's code made: its arrays' first axis is the batch
    axis, whose size fit does not fix (the last batch may be smaller)."""
    if isinstance(value, (tuple, list)):
        return type(value)(_as_batch(v) for v in value)
    if isinstance(value, Array) and value.shape:
        return dataclasses.replace(value, shape=(None,) + tuple(value.shape[1:]))
    return value


def _map_data(value: Any, part) -> Any:
    """``part`` applied to each array of model data: x, a list or tuple of
    inputs, a dict of them by name."""
    if isinstance(value, (list, tuple)):
        return type(value)(_map_data(v, part) for v in value)
    if isinstance(value, dict):
        return {k: _map_data(v, part) for k, v in value.items()}
    return part(value)


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


def _first_batch(method: str, samples: Any, options: Dict[str, Any]) -> Any:
    """The batch axis of the arrays an unbuilt model is built on by its
    first ``method`` call (measured under Keras 3.15): ``fit`` and
    ``evaluate`` trace a batch of ``batch_size`` (32 by default) when it
    divides the samples and None when a smaller last batch makes the batches
    of two sizes (``ArrayDataAdapter``); ``predict`` runs on its first batch,
    ``batch_size`` rows or all the samples when fewer; the ``*_on_batch``
    methods take all the samples as one batch.  ``fit`` with
    ``validation_split`` trains on the first ``floor(samples * (1 -
    validation_split))`` of them (Keras' ``train_validation_split``).
    UNKNOWN when the code does not show the samples or the batch size, or gives
    ``steps_per_epoch`` without a batch size (Keras then sizes the batches
    from the steps)."""
    if not dims.is_int(samples) or samples <= 0:
        return UNKNOWN
    if method.endswith("_on_batch"):
        return samples
    if method not in ("fit", "evaluate", "predict"):
        return UNKNOWN
    split = options.get("validation_split") if method == "fit" else None
    if split not in (None, 0, 0.0):
        if not isinstance(split, (int, float)) or isinstance(split, bool) or not 0 < split < 1:
            return UNKNOWN
        samples = int(math.floor(samples * (1.0 - split)))
        if samples <= 0:
            return UNKNOWN
    size = options.get("batch_size")
    if size is None and options.get("steps_per_epoch", options.get("steps")) is not None:
        return UNKNOWN
    size = 32 if size is None else size
    if not dims.is_int(size) or size <= 0:
        return UNKNOWN
    if method == "predict":
        return min(size, samples)
    return size if samples >= size and samples % size == 0 else None
