"""The findings shapelint reports: one table shared by the CLI and pylint.

Message ids use the block 59 (pylint reserves 51-99 for external checkers;
51 is pylint-django's and 64 pylint-pytest's).  Ids are never reused.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

DOCS_URL = "https://github.com/shapelint/shapelint/blob/main/docs/messages/{symbol}.md"


@dataclass(frozen=True)
class Message:
    msg_id: str
    symbol: str
    title: str
    description: str


MESSAGES: Dict[str, Message] = {
    m.symbol: m
    for m in (
        Message(
            "E5901",
            "dense-on-unreduced-tensor",
            "Dense head on an unreduced feature map",
            "A Dense layer that is (or feeds) the model output is applied to a 3-D "
            "or 4-D feature map whose spatial/temporal axes were never reduced, so "
            "the model outputs one prediction per position instead of one per sample. "
            "Add GlobalAveragePooling/GlobalMaxPooling or Flatten before it.",
        ),
        Message(
            "E5902",
            "incompatible-input-rank",
            "Layer applied to a tensor of the wrong rank",
            "A layer is applied to a tensor whose number of dimensions it does not "
            "accept (Conv2D on a 3-D tensor, LSTM on a 2-D one, ...); Keras raises "
            "when the model is built.",
        ),
        Message(
            "E5903",
            "non-positive-dimension",
            "Kernel, pool or crop larger than what is left",
            "A convolution, pooling or cropping would make a spatial size zero or "
            "negative; Keras raises when the model is built.",
        ),
        Message(
            "E5904",
            "merge-shape-mismatch",
            "Merged tensors have incompatible shapes",
            "Add/Concatenate/Multiply/... receive tensors whose shapes cannot be "
            "merged; Keras raises when the model is built.",
        ),
        Message(
            "E5906",
            "output-target-mismatch",
            "Model output cannot meet the targets the loss sees",
            "The model output's shape cannot meet the target array passed to fit: "
            "Keras raises at fit, or (mse/mae and friends) broadcasts silently and "
            "trains a broken model.",
        ),
        Message(
            "E5907",
            "loss-activation-mismatch",
            "Loss does not fit the output layer's activation or units",
            "The loss expects another kind of output than the head gives: "
            "categorical cross-entropy on one sigmoid unit, softmax over a single "
            "unit, from_logits=True after a softmax/sigmoid, ...",
        ),
        Message(
            "E5908",
            "label-encoding-mismatch",
            "Labels encoded differently from what the loss expects",
            "Integer labels given to categorical_crossentropy, one-hot labels given "
            "to sparse_categorical_crossentropy, or a class count that differs "
            "from the output units.",
        ),
        Message(
            "E5909",
            "input-data-mismatch",
            "Data passed to fit/evaluate/predict does not match the model input",
            "The per-sample shape of the data does not match the model's Input "
            "(a feature count that differs, a missing batch axis, an input_shape "
            "that includes the sample axis); Keras raises.",
        ),
        Message(
            "W5910",
            "input-length-differs",
            "Data length differs from the Input the model was built for",
            "A non-batch size of the data differs from the model's Input but every "
            "layer still accepts it: Keras runs it without an error, on a model "
            "built for another length.",
        ),
        Message(
            "E5911",
            "undefined-feature-dimension",
            "Layer weights sized by an axis that is None",
            "Dense, convolutions, normalisations and RNNs create weights from the "
            "size of their feature (or channel) axis; when that axis is None -- a "
            "size known only at run time, e.g. Flatten over a variable-size Input "
            "-- Keras cannot build the layer and raises.",
        ),
        Message(
            "E5905",
            "reshape-size-mismatch",
            "Reshape target does not hold the input's values",
            "A Reshape's target shape does not have as many values per sample as "
            "its input; Keras raises when the model is built.",
        ),
    )
}

SYNTAX_ERROR = Message("E0001", "syntax-error", "File does not parse",
                       "shapelint could not parse this file; nothing in it was checked.")


def by_symbol(symbol: str) -> Message:
    return MESSAGES[symbol]
