"""The kinds of finding shapelint reports, each defined once as an object
(mypy's ``errorcodes.py`` is the model): rules and checks raise a kind by
reference, never by a string, so a finding of a kind nobody registered
cannot be made.  The CLI, the reporters and the pylint adapter all read the
table derived from these objects.

Message ids use the block 59 (pylint reserves 51-99 for external checkers;
51 is pylint-django's and 64 pylint-pytest's).  Ids are never reused.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Final, Tuple

DOCS_URL = "https://github.com/shapelint/shapelint/blob/main/docs/messages/{symbol}.md"


@dataclass(frozen=True, eq=False)
class FindingKind:
    """One kind of finding: its pylint id and symbol, a one-line title and
    the description pylint shows (``pylint --help-msg``)."""

    msg_id: str
    symbol: str
    title: str
    description: str

    @property
    def docs_page(self) -> str:
        """The kind's page, relative to the repository root."""
        return f"docs/messages/{self.symbol}.md"

    @property
    def docs_url(self) -> str:
        return DOCS_URL.format(symbol=self.symbol)

    # A kind equals its symbol (and hashes like it): ``--disable`` lists,
    # ``# shapelint: ignore[...]`` comments and code that predates the kind
    # objects compare kinds with symbols.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingKind):
            return (self.msg_id, self.symbol) == (other.msg_id, other.symbol)
        if isinstance(other, str):
            return self.symbol == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.symbol)

    def __str__(self) -> str:
        return self.symbol


DENSE_ON_UNREDUCED_TENSOR: Final = FindingKind(
    "E5901",
    "dense-on-unreduced-tensor",
    "Dense head on an unreduced feature map",
    "A Dense layer that is (or feeds) the model output is applied to a 3-D "
    "or 4-D feature map whose spatial/temporal axes were never reduced, so "
    "the model outputs one prediction per position instead of one per sample. "
    "Add GlobalAveragePooling/GlobalMaxPooling or Flatten before it.",
)
INCOMPATIBLE_INPUT_RANK: Final = FindingKind(
    "E5902",
    "incompatible-input-rank",
    "Layer applied to a tensor of the wrong rank",
    "A layer is applied to a tensor whose number of dimensions it does not "
    "accept (Conv2D on a 3-D tensor, LSTM on a 2-D one, ...); Keras raises "
    "when the model is built.",
)
NON_POSITIVE_DIMENSION: Final = FindingKind(
    "E5903",
    "non-positive-dimension",
    "Kernel, pool or crop larger than what is left",
    "A convolution, pooling or cropping would make a spatial size zero or "
    "negative; Keras raises when the model is built.",
)
MERGE_SHAPE_MISMATCH: Final = FindingKind(
    "E5904",
    "merge-shape-mismatch",
    "Merged tensors have incompatible shapes",
    "Add/Concatenate/Multiply/... receive tensors whose shapes cannot be "
    "merged; Keras raises when the model is built.",
)
RESHAPE_SIZE_MISMATCH: Final = FindingKind(
    "E5905",
    "reshape-size-mismatch",
    "Reshape target does not hold the input's values",
    "A Reshape's target shape does not have as many values per sample as "
    "its input (Keras raises when the model is built), a tf.reshape or "
    "keras.ops.reshape target does not hold a tensor's known values "
    "(TensorFlow/Keras raise), or a numpy reshape of the data does not hold "
    "the array's values (numpy raises).",
)
OUTPUT_TARGET_MISMATCH: Final = FindingKind(
    "E5906",
    "output-target-mismatch",
    "Model output cannot meet the targets the loss sees",
    "The model output's shape cannot meet the target array passed to fit: "
    "Keras raises at fit, or (mse/mae and friends) broadcasts silently and "
    "trains a broken model.",
)
LOSS_ACTIVATION_MISMATCH: Final = FindingKind(
    "E5907",
    "loss-activation-mismatch",
    "Loss does not fit the output layer's activation or units",
    "The loss expects another kind of output than the head gives: "
    "categorical cross-entropy on one sigmoid unit, softmax over a single "
    "unit, from_logits=True after a softmax/sigmoid, ...",
)
LABEL_ENCODING_MISMATCH: Final = FindingKind(
    "E5908",
    "label-encoding-mismatch",
    "Labels encoded differently from what the loss expects",
    "Integer labels given to categorical_crossentropy, one-hot labels given "
    "to sparse_categorical_crossentropy, or a class count that differs "
    "from the output units.",
)
INPUT_DATA_MISMATCH: Final = FindingKind(
    "E5909",
    "input-data-mismatch",
    "Data passed to fit/evaluate/predict does not match the model input",
    "The per-sample shape of the data does not match the model's Input "
    "(a feature count that differs, a missing batch axis, an input_shape "
    "that includes the sample axis); Keras raises.",
)
INPUT_LENGTH_DIFFERS: Final = FindingKind(
    "W5910",
    "input-length-differs",
    "Data length differs from the Input the model was built for",
    "A non-batch size of the data differs from the model's Input but every "
    "layer still accepts it: Keras runs it without an error, on a model "
    "built for another length.",
)
UNDEFINED_FEATURE_DIMENSION: Final = FindingKind(
    "E5911",
    "undefined-feature-dimension",
    "Layer weights sized by an axis that is None",
    "Dense, convolutions, normalisations and RNNs create weights from the "
    "size of their feature (or channel) axis; when that axis is None -- a "
    "size known only at run time, e.g. Flatten over a variable-size Input "
    "-- Keras cannot build the layer and raises.",
)
INCOMPATIBLE_INPUT_SHAPE: Final = FindingKind(
    "E5912",
    "incompatible-input-shape",
    "Layer applied to a tensor whose size on some axis it does not accept",
    "A layer is applied to a tensor of a rank it accepts, but its own "
    "arguments fix the size of an axis the input gives another size (an "
    "EinsumDense whose output_shape repeats a shared axis with another "
    "size); Keras raises when the model is built.",
)
SAMPLE_COUNT_MISMATCH: Final = FindingKind(
    "E5913",
    "sample-count-mismatch",
    "Inputs and targets hold different numbers of samples",
    "The arrays passed to fit/evaluate (x, y, each input of a multi-input "
    "model) do not all have the same first-axis length; Keras raises "
    "\"Data cardinality is ambiguous\".",
)
WEIGHT_SHAPE_MISMATCH: Final = FindingKind(
    "E5914",
    "weight-shape-mismatch",
    "Weights given to a layer have another shape than the layer's own",
    "weights=[M], a Constant(M) initializer or set_weights([M]) hands a "
    "layer an array whose shape differs from the weight the layer creates "
    "(a pretrained embedding matrix for another vocabulary or dimension); "
    "Keras raises.",
)
TF_OP_ON_KERAS_TENSOR: Final = FindingKind(
    "E5915",
    "tf-op-on-keras-tensor",
    "TensorFlow function applied to a symbolic Keras tensor",
    "A tf.* function is called on a KerasTensor while a functional model is "
    "built; Keras 3 raises \"A KerasTensor cannot be used as input to a "
    "TensorFlow function\".  Use the keras.ops equivalent, or wrap the call "
    "in a Lambda or a custom layer.",
)
SHAPE_NOT_A_TUPLE: Final = FindingKind(
    "E5916",
    "shape-not-a-tuple",
    "An int where Keras expects a shape tuple",
    "input_shape=784 or Input(shape=784): a bare int where Keras wants a "
    "tuple such as (784,); Keras 3 raises \"Cannot convert '784' to a shape\".",
)
INCOMPATIBLE_OP_OPERANDS: Final = FindingKind(
    "E5917",
    "incompatible-op-operands",
    "Tensor operation given operands whose shapes it refuses",
    "A TensorFlow or keras.ops operation (or a Python operator on tensors) "
    "is given operands whose known sizes cannot meet: tf.matmul/keras.ops.matmul "
    "or @ whose inner sizes differ, an element-wise op whose operands do not "
    "broadcast, a concat of tensors whose other sizes differ.  TensorFlow or "
    "Keras raises at that call (numpy, for arithmetic on arrays that do not "
    "broadcast).",
)

KERAS1_ARGUMENT: Final = FindingKind(
    "E5920",
    "keras1-argument",
    "Keras 1 argument that Keras 3 refuses or reads otherwise",
    "A layer or fit() is given an argument under its Keras 1 name "
    "(border_mode=, nb_filter=, init=, output_dim= on Dense, nb_epoch= ...): "
    "Keras 3 raises at that call (\"Unrecognized keyword arguments\", or the "
    "renamed required argument is missing). Convolution2D(32, 3, 3) runs, but "
    "Keras 3 reads its third argument as strides.",
)
FEED_SHAPE_MISMATCH: Final = FindingKind(
    "E5918",
    "feed-shape-mismatch",
    "Value fed to a placeholder has another shape",
    "TensorFlow 1 graph code (tf.compat.v1) feeds a value to a placeholder "
    "whose declared shape it does not have (another rank, or another size "
    "on an axis the placeholder fixes): Session.run raises \"Cannot feed "
    "value of shape ... for Tensor ..., which has shape ...\" before "
    "running anything.",
)

# The registered kinds, in the order pylint and SARIF list them (each new
# kind goes last: SARIF's ruleIndex values depend on the order).
KINDS: Final[Tuple[FindingKind, ...]] = (
    DENSE_ON_UNREDUCED_TENSOR,
    INCOMPATIBLE_INPUT_RANK,
    NON_POSITIVE_DIMENSION,
    MERGE_SHAPE_MISMATCH,
    OUTPUT_TARGET_MISMATCH,
    LOSS_ACTIVATION_MISMATCH,
    LABEL_ENCODING_MISMATCH,
    INPUT_DATA_MISMATCH,
    INPUT_LENGTH_DIFFERS,
    UNDEFINED_FEATURE_DIMENSION,
    RESHAPE_SIZE_MISMATCH,
    INCOMPATIBLE_INPUT_SHAPE,
    SAMPLE_COUNT_MISMATCH,
    WEIGHT_SHAPE_MISMATCH,
    TF_OP_ON_KERAS_TENSOR,
    SHAPE_NOT_A_TUPLE,
    KERAS1_ARGUMENT,
    INCOMPATIBLE_OP_OPERANDS,
    FEED_SHAPE_MISMATCH,
)

MESSAGES: Final[Dict[str, FindingKind]] = {kind.symbol: kind for kind in KINDS}

# Not a registered kind: pylint reports syntax errors itself (E0001), the
# CLI reports this one for a file it cannot parse.
SYNTAX_ERROR: Final = FindingKind("E0001", "syntax-error", "File does not parse",
                                  "shapelint could not parse this file; nothing in it was checked.")


def by_symbol(symbol: str) -> FindingKind:
    """The kind named ``symbol`` (the syntax-error kind included)."""
    if symbol == SYNTAX_ERROR.symbol:
        return SYNTAX_ERROR
    return MESSAGES[symbol]
