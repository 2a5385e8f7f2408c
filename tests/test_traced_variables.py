"""``tf.Variable`` made of a tensor while Keras 3 traces a symbolic call
(issue 13: keras-io's Swin Transformer), against Keras running each program
(tests/oracle_runner.py).

Keras 3 gives a layer applied to a KerasTensor the output its call() traces
in a TensorFlow FuncGraph (backend ``compute_output_spec``).  A tensor made
there -- ``tf.zeros``, ``tf.convert_to_tensor(array)`` -- is a graph tensor,
and ``tf.Variable`` of it raises ("could not be lifted out of a
`tf.function`"): in the call() itself, or in the build() of a layer that
call() applies first (its build runs inside the trace).  The call raises, so
Keras applies nothing after it: shapelint claims no shape there, nor for
what the trace applied after the raise, nor downstream.  The twins run: a
numpy initial value (converted outside the graph), a build() run by a
top-level call (eager), an eager call.
"""
from __future__ import annotations

import pytest

import keras_programs
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")

PROGRAMS = {
    "nested_build": ("""
    import numpy as np
    import keras
    import tensorflow as tf
    from keras import layers

    class Inner(layers.Layer):
        def build(self, input_shape):
            self.table = self.add_weight(shape=(9, 2), initializer="zeros")
            self.index = tf.Variable(tf.convert_to_tensor(np.arange(4)), trainable=False)

        def call(self, x):
            y = layers.Dense(8)(x)
            bias = tf.gather(self.table, self.index)
            return tf.reshape(tf.reshape(y, (-1, 4, 2)) + bias, (-1, 8))

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.norm = layers.LayerNormalization()
            self.inner = Inner()

        def call(self, x):
            return self.inner(self.norm(x))

    inp = keras.Input((8,))
    a = layers.Dense(3)(Outer()(inp))
    """, ""),
    "nested_build_fixed": ("""
    import numpy as np
    import keras
    import tensorflow as tf
    from keras import layers

    class Inner(layers.Layer):
        def build(self, input_shape):
            self.table = self.add_weight(shape=(9, 2), initializer="zeros")
            self.index = tf.Variable(np.arange(4), trainable=False)

        def call(self, x):
            bias = tf.gather(self.table, self.index)
            return tf.reshape(tf.reshape(x, (-1, 4, 2)) + bias, (-1, 8))

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.norm = layers.LayerNormalization()
            self.inner = Inner()

        def call(self, x):
            return self.inner(self.norm(x))

    class Top(layers.Layer):
        def build(self, input_shape):
            self.index = tf.Variable(tf.convert_to_tensor(np.arange(4)), trainable=False)

        def call(self, x):
            return tf.reshape(x, (-1, 4, 2)) + tf.cast(tf.reshape(self.index, (4, 1)), x.dtype)

    inp = keras.Input((8,))
    a = layers.Dense(3)(Outer()(inp))
    b = layers.Dense(3)(Top()(inp))
    """, ""),
    "variable_in_call": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Shift(layers.Layer):
        def call(self, x):
            return x + tf.Variable(tf.zeros((3,)))

    inp = keras.Input((3,))
    a = layers.Dense(2)(Shift()(inp))
    """, ""),
    "variable_in_call_fixed": ("""
    import keras
    import tensorflow as tf
    from keras import layers

    class Shift(layers.Layer):
        def call(self, x):
            return x + tf.Variable(tf.zeros((3,)))

    out = Shift()(tf.ones((2, 3)))
    a = layers.Dense(2)(out)
    """, ""),
}

# (program, line, class): known and exact at every application (the twins)
KNOWN = [
    ("nested_build_fixed", 32, "Outer"), ("nested_build_fixed", 32, "Dense"),
    ("nested_build_fixed", 33, "Top"), ("nested_build_fixed", 33, "Dense"),
    ("variable_in_call_fixed", 9, "Shift"), ("variable_in_call_fixed", 10, "Dense"),
]

# (program, line): the application Keras raises in; no shape is claimed
# there or after it, nor for what its trace applied after the raise
RAISES = {"nested_build": 26, "variable_in_call": 10}

programs = keras_programs.programs_fixture(PROGRAMS, "traced_variables")  # pylint: disable=invalid-name


@pytest.mark.parametrize("name", sorted(n for n in PROGRAMS if n not in RAISES))
def test_the_twins_are_keras_s(name, programs):  # pylint: disable=redefined-outer-name
    paths, oracle = programs
    keras_programs.check_claims(name, paths[name], oracle[name], KNOWN)


@pytest.mark.parametrize("name", sorted(RAISES))
def test_nothing_is_claimed_from_the_raise_on(name, programs):  # pylint: disable=redefined-outer-name
    paths, oracle = programs
    assert oracle[name]["error"] is not None, f"{name} ran under Keras"
    line = RAISES[name]
    with open(paths[name], encoding="utf-8") as handle:
        result = analyze_source(handle.read(), paths[name])
    recorded = {(r["line"], r["col"], r["class"]) for r in oracle[name]["layers"]}
    for layer in result.layers:
        js = layer.to_json()
        if js["exact"] and js["output_shape"] is not None:
            assert js["line"] < line and (js["line"], js["col"], js["layer"]) in recorded, js
