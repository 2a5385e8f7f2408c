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
