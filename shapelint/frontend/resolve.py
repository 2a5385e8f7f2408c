"""Lexical resolution of Keras names.

``layers.Dense`` is resolved by following the module's own imports (never by
importing or parsing Keras): ``from tensorflow.keras import layers`` binds
``layers`` to ``Ref("tensorflow.keras.layers")`` and the attribute gives
``tensorflow.keras.layers.Dense``, which normalises to ``keras.layers.Dense``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional, Tuple

from shapelint.shapes.registry import FUNCTIONS, canonical_name, known_layer_names

_PREFIXES = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.compat.v1.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras.src", "keras"),
    ("keras._tf_keras.keras", "keras"),
    # TensorFlow 1's names, kept in TensorFlow 2 under tf.compat.v1
    # (``import tensorflow.compat.v1 as tf``): the library models use tf.X.
    ("tensorflow.compat.v1", "tensorflow"),
    ("tensorflow.compat.v2", "tensorflow"),
)

# Modules whose public names include layers (for star imports and for
# ``keras.layers.core.Dense``-style paths of Keras 2).
LAYER_MODULE_MARKERS = ("layers",)


@dataclass(frozen=True)
class Ref:
    """A reference to something defined outside the module (by dotted name)."""

    qualname: str

    def attr(self, name: str) -> "Ref":
        key = (self.qualname, name)
        found = _ATTRS.get(key)
        if found is None:
            if len(_ATTRS) >= _MAX_ATTRS:
                _ATTRS.clear()
            found = _ATTRS[key] = Ref(f"{self.qualname}.{name}")
        return found


# (qualname, attribute) -> the Ref ``Ref.attr`` gives: a module reads the same
# dotted names again and again (``np.random.randint``, ``layers.Dense``), and
# a frozen dataclass is slow to make.  A Ref is immutable and compared by its
# name, so one object serves every read.
_ATTRS: dict = {}
_MAX_ATTRS = 8192


# Both are pure functions of the dotted name, asked for the same few hundred
# names over and over (130k calls on the keras-io examples): memoised.
@functools.lru_cache(maxsize=8192)
def normalise(qualname: str) -> str:
    for prefix, repl in _PREFIXES:
        if qualname == prefix or qualname.startswith(prefix + "."):
            return repl + qualname[len(prefix):]
    return qualname


# Packages with layer rules of their own (shapes/rules/third_party.py),
# registered under ``<package>.layers.<Class>``; KerasNLP is KerasHub's old name.
_THIRD_PARTY = {"tensorflow_addons": "tensorflow_addons", "keras_cv": "keras_cv", "keras_hub": "keras_hub",
                "keras_nlp": "keras_hub", "keras_contrib": "keras_contrib"}
_HUB_KERAS_LAYER = "tensorflow_hub.KerasLayer"


def _third_party_layer(parts) -> Optional[str]:
    """The registered name of a third-party layer class (``tfa.layers.
    normalizations.InstanceNormalization`` -> ``tensorflow_addons.layers.
    InstanceNormalization``), or None: only classes with a rule are layers."""
    if parts[0] == "tensorflow_hub" and parts[-1] == "KerasLayer":
        name = _HUB_KERAS_LAYER
    elif parts[0] in _THIRD_PARTY and "layers" in parts[1:-1]:
        name = f"{_THIRD_PARTY[parts[0]]}.layers.{parts[-1]}"
    else:
        return None
    return name if name in known_layer_names() else None


# TensorFlow 1's functional layers (``tf.layers.dense(inputs, units)``, in
# TensorFlow 2 ``tf.compat.v1.layers``): the Keras layer of that class built
# with the arguments after the input and applied to it.  tf.layers' classes
# were Keras' with TensorFlow 1's variable scopes; their arguments are
# Keras', in Keras' order.
TF1_LAYER_FUNCTIONS = {
    "dense": "Dense", "conv1d": "Conv1D", "conv2d": "Conv2D", "conv3d": "Conv3D",
    "conv2d_transpose": "Conv2DTranspose", "conv3d_transpose": "Conv3DTranspose",
    "separable_conv1d": "SeparableConv1D", "separable_conv2d": "SeparableConv2D",
    "max_pooling1d": "MaxPooling1D", "max_pooling2d": "MaxPooling2D", "max_pooling3d": "MaxPooling3D",
    "average_pooling1d": "AveragePooling1D", "average_pooling2d": "AveragePooling2D",
    "average_pooling3d": "AveragePooling3D", "flatten": "Flatten", "dropout": "Dropout",
    "batch_normalization": "BatchNormalization",
}


# tf.contrib.layers' (and TF-Slim's) functions, TensorFlow 1's other layer
# API: name -> (Keras class, its argument names for theirs, defaults that
# differ from the class's).  Documented in TensorFlow 1.15's
# tf.contrib.layers; contrib is gone from TensorFlow 2, nothing runs them.
CONTRIB_LAYER_FUNCTIONS = {
    "fully_connected": ("Dense", {"num_outputs": "units", "activation_fn": "activation"}, {}),
    "flatten": ("Flatten", {}, {}),
    "conv2d": ("Conv2D", {"num_outputs": "filters", "stride": "strides", "rate": "dilation_rate",
                          "activation_fn": "activation"}, {"padding": "same"}),
    "convolution2d": ("Conv2D", {"num_outputs": "filters", "stride": "strides", "rate": "dilation_rate",
                                 "activation_fn": "activation"}, {"padding": "same"}),
    "max_pool2d": ("MaxPooling2D", {"kernel_size": "pool_size", "stride": "strides"}, {"strides": 2}),
    "avg_pool2d": ("AveragePooling2D", {"kernel_size": "pool_size", "stride": "strides"}, {"strides": 2}),
}
_CONTRIB_MODULES = ("tensorflow.contrib.layers", "tensorflow.contrib.slim", "tensorflow.contrib.layers.python.layers")


# Keras 2 layers Keras 3 exports under ``tf.keras.layers`` only (its
# keras/src/legacy/layers.py, ``keras._tf_keras``): ``keras.layers`` of Keras
# 3 has no such attribute.
TF_KERAS_ONLY_LAYERS = frozenset({"RandomWidth", "RandomHeight", "ThresholdedReLU"})


def missing_in_keras3(qualname: str, name: str) -> bool:
    """``name`` (a layer class ``classify`` found) is spelled through
    ``keras.`` where Keras 3 has it under ``tensorflow.keras.`` only."""
    return name in TF_KERAS_ONLY_LAYERS and not qualname.startswith("tensorflow.")


def is_keras_layers_module(qualname: str) -> bool:
    parts = normalise(qualname).split(".")
    return parts[0] == "keras" and "layers" in parts[1:]


@functools.lru_cache(maxsize=8192)
def classify(qualname: str) -> Optional[Tuple[str, str]]:
    """What a Keras dotted name denotes.

    Returns ``(kind, name)`` with kind one of ``input``, ``model``,
    ``sequential``, ``layer`` (name = canonical class name), ``function``
    (lower-case merge function; name = its class), ``tf1_function``
    (TensorFlow 1's ``tf.layers.dense``; name = its class) -- or None.
    """
    parts = normalise(qualname).split(".")
    if len(parts) < 2:
        return None
    if parts[0] == "tensorflow" and parts[-1] in CONTRIB_LAYER_FUNCTIONS and ".".join(parts[:-1]) in _CONTRIB_MODULES:
        return ("contrib_function", parts[-1])
    if parts[0] == "tensorflow" and len(parts) == 3 and parts[1] == "layers":
        if parts[2] in TF1_LAYER_FUNCTIONS:
            return ("tf1_function", TF1_LAYER_FUNCTIONS[parts[2]])
        if parts[2][:1].isupper() and parts[2] in known_layer_names():
            return ("layer", canonical_name(parts[2]))
        return None
    if parts[0] != "keras":
        third = _third_party_layer(parts)
        return ("layer", third) if third is not None else None
    last = parts[-1]
    middle = parts[1:-1]
    layer_names = known_layer_names()  # also loads the rules (and FUNCTIONS)
    in_layers = "layers" in middle
    top = not middle or middle[0] in ("models", "engine", "layers")
    if last == "Input" and (top or in_layers):
        return ("input", "Input")
    if last in ("Model", "Functional") and top:
        return ("model", "Model")
    if last == "Sequential" and top:
        return ("sequential", "Sequential")
    if last == "clone_model" and (not middle or middle == ["models"]):
        return ("clone_model", "clone_model")
    if last == "InputLayer" and (top or in_layers):
        return ("layer", "InputLayer")
    if last == "Layer" and not middle:
        return ("layer", "Layer")  # Keras 3 exports the base class as keras.Layer too
    if in_layers or (not middle and last in layer_names):
        if last in FUNCTIONS:
            return ("function", FUNCTIONS[last])
        if last in layer_names:
            return ("layer", canonical_name(last))
        if last[:1].isupper():
            return ("layer", last)  # a Keras layer we have no rule for
    return None
