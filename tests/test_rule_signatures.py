"""Every layer rule maps positional constructor arguments the way Keras does.

The front end binds ``Activation("softmax")`` or ``Conv2D(32, 3, 1, "same")``
through the rule's ``signature``: for every registered layer it must be the
positional parameters of the Keras class's ``__init__``, in order, as the
installed Keras declares them (inspected here, never at lint time).
"""
from __future__ import annotations

import inspect

import pytest

from shapelint.shapes.keras_signatures import KERAS_POSITIONAL
from shapelint.shapes.registry import RULES, lookup

lookup("Dense")  # loads the rules


def _positional(cls) -> tuple:
    names = []
    for param in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if param.kind is not param.POSITIONAL_OR_KEYWORD:
            break
        names.append(param.name)
    return tuple(names)


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_signature_is_keras_positional_order(keras, name):
    cls = getattr(keras.layers, name, None)
    if cls is None:
        pytest.skip(f"keras.layers has no {name} in this Keras")
    assert RULES[name].signature == _positional(cls)


@pytest.mark.parametrize("name", sorted(KERAS_POSITIONAL))
def test_signature_table_is_installed_keras(keras, name):
    assert KERAS_POSITIONAL[name] == _positional(getattr(keras.layers, name))


def test_activation_keeps_its_positional_argument():
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    result = analyze_source(
        "import keras\n"
        "x = keras.Input((4,))\n"
        "y = keras.layers.Activation('softmax')(keras.layers.Dense(3)(x))\n"
    )
    call = [c for c in result.graph.calls if c.config.class_name == "Activation"][0]
    assert call.config.get("activation") == "softmax"
