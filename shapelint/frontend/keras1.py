"""Keras 1/2 spellings in programs people paste: arguments Keras 3 refuses
(``border_mode=``, ``nb_filter=``, ``init=``, ``nb_epoch=`` ...) and
``Convolution2D(32, 3, 3)``, whose third positional argument Keras 3 reads
as strides.

``translate_layer`` gives the arguments as Keras 3 spells them, so that the
rest of the analysis follows what the author meant (a later finding on a
layer built with the wrong padding would be misleading: Keras 3 raises at the
constructor, nothing after it runs), and one note per Keras 1 argument for
the ``keras1-argument`` finding, on that argument's own line.

Measured under TensorFlow 2.21 / Keras 3.15 (tools/measure_fit_behaviour.py
style, by hand): an unknown keyword raises ``ValueError: Unrecognized
keyword arguments passed to Conv2D: {'border_mode': 'same'}``; a renamed
required argument (``nb_filter=``, ``output_dim=`` on Dense, ``p=`` on
Dropout) raises ``TypeError: ... missing 1 required positional argument:
'filters'``; ``fit(nb_epoch=1)`` raises ``TypeError: fit() got an unexpected
keyword argument 'nb_epoch'``; ``Convolution2D(32, 3, 3)`` runs with
``strides=3``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from shapelint.shapes.registry import lookup

# Keras 1 keyword -> its Keras 3 name (any Keras layer).
_RENAMES: Dict[str, str] = {
    "border_mode": "padding",
    "dim_ordering": "data_format",
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "U_constraint": "recurrent_constraint",
    "b_constraint": "bias_constraint",
    "subsample": "strides",
    "subsample_length": "strides",
    "filter_length": "kernel_size",
    "pool_length": "pool_size",
    "stride": "strides",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
}
# Renamed required arguments: Keras 3 says the required one is missing.
_REQUIRED = {"nb_filter": "filters", "output_dim": "units", "p": "rate"}
# Keras 1 keywords with no Keras 3 counterpart.
_DROPPED = {"consume_less"}
_KERNEL_PARTS = ("nb_row", "nb_col")
# Every keyword translate_layer's loop acts on.
_KERAS1_KEYWORDS = frozenset(_REQUIRED) | frozenset(_RENAMES) | frozenset(_KERNEL_PARTS) | frozenset(_DROPPED)
_DIM_ORDERING = {"tf": "channels_last", "th": "channels_first"}
# Keras 1 fit/evaluate/predict keywords.
FIT_RENAMES = {"nb_epoch": "epochs", "nb_val_samples": "validation_steps",
               "samples_per_epoch": "steps_per_epoch", "nb_worker": "workers"}
# Keras 1/2 model methods and the Keras 3 method they are analysed as.
METHODS = {"predict_classes": "predict", "predict_proba": "predict", "predict_generator": "predict",
           "fit_generator": "fit", "evaluate_generator": "evaluate"}


@dataclass
class Note:
    """One Keras 1 argument: where it is and what to say."""

    node: Any
    message: str
    fix: str


def _keyword_node(call_node: Any, name: str) -> Any:
    for keyword in getattr(call_node, "keywords", None) or []:
        if keyword.arg == name:
            return keyword
    return call_node


def _spelled(node: Any, name: str) -> str:
    """The class name as the constructor call spells it (``Convolution2D``
    for Keras 2's alias of Conv2D)."""
    func = getattr(node, "func", None)
    return getattr(func, "attrname", None) or getattr(func, "name", None) or name


def keras3_spelling(name: str, kwargs: Dict[str, Any], node: Any) -> bool:
    """Nothing of Keras 1 in this layer construction (nearly every one):
    ``translate_layer`` would give its arguments back unchanged, with no
    note."""
    return (name not in ("Convolution2D", "Convolution3D") and _KERAS1_KEYWORDS.isdisjoint(kwargs)
            and _spelled(node, name) not in ("Convolution2D", "Convolution3D"))


def translate_layer(name: str, args: List[Any], kwargs: Dict[str, Any],
                    node: Any) -> Tuple[List[Any], Dict[str, Any], List[Note]]:
    """(args, kwargs) as Keras 3 spells them, and the notes to report."""
    rule = lookup(name)
    if rule is None:
        return args, kwargs, []
    if keras3_spelling(name, kwargs, node):
        return list(args), dict(kwargs), []  # nothing of Keras 1 (nearly every layer): the loop below finds nothing
    spelled = _spelled(node, name)
    if spelled in ("Convolution2D", "Convolution3D"):
        name = spelled
    keras_name = getattr(rule, "name", None) or name
    signature = set(rule.signature or ())
    notes: List[Note] = []
    kwargs = dict(kwargs)
    args = list(args)
    if name in ("Convolution2D", "Convolution3D") and len(args) >= 3 and all(
            isinstance(a, int) and not isinstance(a, bool) for a in args[:3]):
        k = 2 if name == "Convolution2D" else 3
        if len(args) >= 1 + k and all(isinstance(a, int) for a in args[1:1 + k]) and "kernel_size" not in kwargs:
            kernel = tuple(args[1:1 + k])
            notes.append(Note(
                node, f"{name}{tuple(args[:1 + k])} is the Keras 1 spelling (nb_filter, "
                      f"{'nb_row, nb_col' if k == 2 else 'kernel_dim1, kernel_dim2, kernel_dim3'}); Keras 3 reads "
                      f"(filters, kernel_size, strides), so this layer runs with kernel_size={args[1]} and "
                      f"strides={args[2]} without an error",
                f"write {name}({args[0]}, {kernel})"))
            # Keras 3 runs it with strides: the analysis follows what runs.
    for key in list(kwargs):
        if key in signature:
            continue  # a Keras 3 argument of this layer (Embedding's output_dim)
        if not (key in _REQUIRED or key in _RENAMES or key in _KERNEL_PARTS or key in _DROPPED):
            continue  # a Keras 3 keyword (name=, padding= ...)
        where = _keyword_node(node, key)
        if key in _REQUIRED:
            new = _REQUIRED[key]
            if new not in signature and not (key == "p" and "Dropout" in name):
                continue
            value = kwargs.pop(key)
            kwargs.setdefault(new, value)
            notes.append(Note(where, f"{key}= is the Keras 1 name of {new}=: Keras 3 raises at "
                                     f"{name}() (\"missing 1 required positional argument: '{new}'\")",
                              f"write {new}="))
        elif key in _RENAMES:
            new = _RENAMES[key]
            value = kwargs.pop(key)
            if key == "dim_ordering":
                value = _DIM_ORDERING.get(value, value)
            kwargs.setdefault(new, value)
            notes.append(Note(where, f"{key}= is the Keras 1 name of {new}=: Keras 3 raises at "
                                     f"{name}() (\"Unrecognized keyword arguments passed to "
                                     f"{keras_name}\")", f"write {new}="))
        elif key in _KERNEL_PARTS and "kernel_size" in signature:
            rows, cols = kwargs.pop("nb_row", None), kwargs.pop("nb_col", None)
            if rows is not None and cols is not None:
                kwargs.setdefault("kernel_size", (rows, cols))
            notes.append(Note(where, f"nb_row=/nb_col= are the Keras 1 kernel size: Keras 3 raises at "
                                     f"{name}() (\"Unrecognized keyword arguments passed to {keras_name}\")",
                              f"write kernel_size=({rows}, {cols})"))
        elif key in _DROPPED:
            kwargs.pop(key)
            notes.append(Note(where, f"{key}= is a Keras 1 argument Keras 3 no longer has: it raises at "
                                     f"{name}() (\"Unrecognized keyword arguments passed to {keras_name}\")",
                              f"remove {key}="))
    return args, kwargs, notes


def translate_fit(method: str, kwargs: Dict[str, Any], node: Any) -> Tuple[Dict[str, Any], List[Note]]:
    """fit/evaluate keywords as Keras 3 spells them, and the notes."""
    notes = []
    kwargs = dict(kwargs)
    for key, new in FIT_RENAMES.items():
        if key in kwargs:
            kwargs.setdefault(new, kwargs.pop(key))
            notes.append(Note(_keyword_node(node, key),
                              f"{key}= is the Keras 1 name of {new}=: Keras 3 raises at {method}() "
                              f"(\"got an unexpected keyword argument '{key}'\")", f"write {new}="))
    return kwargs, notes
