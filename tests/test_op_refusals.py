"""incompatible-op-operands against the real thing: each program here runs
under TensorFlow 2 / Keras 3 (tests/oracle_runner.py, all in one process).

A program with a line marked ``# refused: <symbol>`` must raise there, and
shapelint must report ``<symbol>`` on that line and nothing else; every
other program must run to its end, and shapelint must report nothing.  The
programs come in twins: the refused one and the one with its shapes fixed.
"""
from __future__ import annotations

import re

import pytest

import keras_programs
from shapelint.engine import analyze_source

pytest.importorskip("tensorflow")
pytest.importorskip("keras")

REFUSED = re.compile(r"#\s*refused:\s*([a-z-]+)\s*$")
OPS = "incompatible-op-operands"

PROGRAMS = {
    # ------------------------------------------- numpy data given to tf ops
    "tf_ops_on_numpy_data": """
        import numpy as np
        import tensorflow as tf
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        b = tf.constant([[1.0, 2.0, 3.0]])
        c = tf.matmul(a, b)  # refused: incompatible-op-operands
        """,
    "tf_ops_on_numpy_data_fixed": """
        import numpy as np
        import tensorflow as tf
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        b = tf.constant([[1.0, 2.0, 3.0]])
        c = tf.matmul(b, tf.constant(np.ones((3, 2), np.float32)))
        d = tf.add(np.ones((3, 4)), np.ones((4,)))
        """,
    "tf_add_numpy_arrays": """
        import numpy as np
        import tensorflow as tf
        d = tf.add(np.ones((3, 4)), np.ones((5,)))  # refused: incompatible-op-operands
        """,
    "tf_add_numpy_arrays_fixed": """
        import numpy as np
        import tensorflow as tf
        d = tf.add(np.ones((3, 4)), np.ones((3, 1)))
        """,
    "tf_matmul_numpy_by_variable": """
        import numpy as np
        import tensorflow as tf
        x = np.random.rand(100, 8).astype(np.float32)
        w = tf.Variable(tf.random.normal([10, 1]))
        y = tf.matmul(x, w)  # refused: incompatible-op-operands
        """,
    "tf_matmul_numpy_by_variable_fixed": """
        import numpy as np
        import tensorflow as tf
        x = np.random.rand(100, 8).astype(np.float32)
        w = tf.Variable(tf.random.normal([8, 1]))
        y = tf.matmul(x, w)
        """,
    # ---------------------------------------------------------------- matmul
    "tf_matmul_eager": """
        import tensorflow as tf
        a = tf.ones((3, 4))
        b = tf.ones((5, 6))
        c = tf.matmul(a, b)  # refused: incompatible-op-operands
        """,
    "tf_matmul_eager_fixed": """
        import tensorflow as tf
        a = tf.ones((3, 4))
        b = tf.ones((4, 6))
        c = tf.matmul(a, b)
        """,
    "tf_matmul_transposed": """
        import tensorflow as tf
        a = tf.ones((3, 4))
        c = tf.linalg.matmul(a, tf.ones((6, 4)), transpose_a=True)  # refused: incompatible-op-operands
        """,
    "tf_matmul_transposed_fixed": """
        import tensorflow as tf
        a = tf.ones((3, 4))
        c = tf.linalg.matmul(a, tf.ones((6, 4)), transpose_b=True)
        d = tf.matmul(tf.ones((4, 3)), tf.ones((5, 4)), adjoint_a=True, adjoint_b=True)
        """,
    "tf_matmul_batch": """
        import tensorflow as tf
        c = tf.matmul(tf.ones((2, 3, 4)), tf.ones((3, 4, 6)))  # refused: incompatible-op-operands
        """,
    "tf_matmul_batch_fixed": """
        import tensorflow as tf
        c = tf.matmul(tf.ones((2, 3, 4)), tf.ones((1, 4, 6)))
        d = tf.matmul(tf.ones((5, 2, 3, 4)), tf.ones((2, 4, 6)))
        """,
    "keras_matmul_functional": """
        import keras
        x = keras.Input((784,))
        w = keras.ops.ones((500, 10))
        y = keras.ops.matmul(x, w)  # refused: incompatible-op-operands
        model = keras.Model(x, y)
        """,
    "keras_matmul_functional_fixed": """
        import keras
        x = keras.Input((784,))
        w = keras.ops.ones((784, 10))
        y = keras.ops.matmul(x, w)
        v = keras.ops.matmul(y, keras.ops.ones((10,)))
        model = keras.Model(x, [y, v])
        """,
    "keras_matmul_eager": """
        from keras import ops
        y = ops.matmul(ops.ones((2, 3, 4)), ops.ones((3, 4, 6)))  # refused: incompatible-op-operands
        """,
    "keras_matmul_eager_fixed": """
        from keras import ops
        y = ops.matmul(ops.ones((2, 3, 4)), ops.ones((4, 6)))
        """,
    "matmul_in_layer_call": """
        import keras
        import tensorflow as tf

        class Project(keras.layers.Layer):
            def call(self, x):
                return tf.matmul(x, tf.ones((500, 10)))  # refused: incompatible-op-operands

        x = keras.Input((784,))
        y = Project()(x)
        model = keras.Model(x, y)
        """,
    "matmul_in_layer_call_fixed": """
        import keras
        import tensorflow as tf

        class Project(keras.layers.Layer):
            def call(self, x):
                return tf.matmul(x, tf.ones((784, 10)))

        x = keras.Input((784,))
        y = Project()(x)
        model = keras.Model(x, y)
        """,
    # ----------------------------------------------------- element-wise ops
    "tf_add_eager": """
        import tensorflow as tf
        logits = tf.ones((32, 10))
        bias = tf.ones((32, 5))
        out = tf.math.add(logits, bias)  # refused: incompatible-op-operands
        """,
    "tf_add_eager_fixed": """
        import tensorflow as tf
        logits = tf.ones((32, 10))
        out = tf.math.add(logits, tf.ones((10,)))
        out = tf.multiply(out, tf.ones((32, 1)))
        out = tf.maximum(tf.ones((32, 1, 10)), tf.ones((4, 1)))
        """,
    "keras_add_functional": """
        import keras
        from keras import layers, ops
        x = keras.Input((20,))
        a = layers.Dense(10)(x)
        b = layers.Dense(5)(x)
        y = ops.multiply(a, b)  # refused: incompatible-op-operands
        model = keras.Model(x, y)
        """,
    "keras_add_functional_fixed": """
        import keras
        from keras import layers, ops
        x = keras.Input((20,))
        a = layers.Dense(10)(x)
        b = layers.Dense(1)(x)
        y = ops.multiply(a, b)
        model = keras.Model(x, y)
        """,
    "matmul_operator_functional": """
        import keras
        from keras import layers, ops
        x = keras.Input((784,))
        y = x @ ops.ones((500, 10))  # refused: incompatible-op-operands
        model = keras.Model(x, layers.Dense(3)(y))
        """,
    "matmul_operator_functional_fixed": """
        import keras
        from keras import layers, ops
        x = keras.Input((784,))
        y = x @ ops.ones((784, 10))
        z = layers.Dense(3)(y)
        v = layers.Dense(2)(ops.expand_dims(z, 1) @ ops.ones((3, 4)))
        model = keras.Model(x, [z, v])
        """,
    "matmul_operator_eager": """
        import tensorflow as tf
        c = tf.ones((3, 4)) @ tf.ones((5, 6))  # refused: incompatible-op-operands
        """,
    "matmul_operator_eager_fixed": """
        import tensorflow as tf
        c = tf.ones((3, 4)) @ tf.ones((4, 6))
        """,
    # -------------------------------------------- Python operators on tensors
    "tf_operator_eager": """
        import numpy as np
        import tensorflow as tf
        logits = tf.ones((32, 10))
        scaled = logits * 2.0 - np.ones((32, 1))
        out = scaled + tf.ones((32, 5))  # refused: incompatible-op-operands
        """,
    "tf_operator_eager_fixed": """
        import numpy as np
        import tensorflow as tf
        logits = tf.ones((32, 10))
        scaled = logits * 2.0 - np.ones((32, 1))
        out = scaled + tf.ones((10,))
        """,
    "tf_augmented_assignment": """
        import tensorflow as tf
        total = tf.zeros((4, 3))
        total += tf.ones((3, 4))  # refused: incompatible-op-operands
        """,
    "tf_augmented_assignment_fixed": """
        import tensorflow as tf
        total = tf.zeros((4, 3))
        total += tf.ones((4, 1))
        """,
    "keras_operator_functional": """
        import keras
        from keras import layers
        x = keras.Input((20,))
        gate = layers.Dense(10, activation="sigmoid")(x)
        y = gate * layers.Dense(5)(x)  # refused: incompatible-op-operands
        model = keras.Model(x, y)
        """,
    "keras_operator_functional_fixed": """
        import keras
        from keras import layers
        x = keras.Input((20,))
        gate = layers.Dense(10, activation="sigmoid")(x)
        y = gate * layers.Dense(10)(x)
        model = keras.Model(x, y)
        """,
    "operator_in_layer_call": """
        import keras

        class Shift(keras.layers.Layer):
            def build(self, input_shape):
                self.shift = self.add_weight(shape=(5,), initializer="zeros")

            def call(self, x):
                return x - self.shift  # refused: incompatible-op-operands

        x = keras.Input((784,))
        model = keras.Model(x, Shift()(x))
        """,
    "operator_in_layer_call_fixed": """
        import keras

        class Shift(keras.layers.Layer):
            def build(self, input_shape):
                self.shift = self.add_weight(shape=(input_shape[-1],), initializer="zeros")

            def call(self, x):
                return x - self.shift

        x = keras.Input((784,))
        model = keras.Model(x, Shift()(x))
        """,
    # -------------------------------------------------------- concat, stack
    "tf_concat_eager": """
        import tensorflow as tf
        c = tf.concat([tf.ones((4, 5)), tf.ones((3, 2))], 0)  # refused: incompatible-op-operands
        """,
    "tf_concat_eager_fixed": """
        import tensorflow as tf
        c = tf.concat([tf.ones((4, 5)), tf.ones((3, 5))], 0)
        """,
    "tf_concat_ranks": """
        import tensorflow as tf
        c = tf.concat([tf.ones((4, 5)), tf.ones((4, 5, 1))], axis=-1)  # refused: incompatible-op-operands
        """,
    "tf_concat_ranks_fixed": """
        import tensorflow as tf
        c = tf.concat([tf.ones((4, 5, 1)), tf.ones((4, 5, 1))], axis=-1)
        """,
    "keras_concatenate_functional": """
        import keras
        from keras import ops
        a = keras.Input((5, 3))
        b = keras.Input((4, 2))
        c = ops.concatenate([a, b], axis=-1)  # refused: incompatible-op-operands
        model = keras.Model([a, b], c)
        """,
    "keras_concatenate_functional_fixed": """
        import keras
        from keras import ops
        a = keras.Input((5, 3))
        b = keras.Input((5, 2))
        c = ops.concatenate([a, b], axis=-1)
        model = keras.Model([a, b], c)
        """,
    "tf_stack_eager": """
        import tensorflow as tf
        s = tf.stack([tf.ones((4, 5)), tf.ones((4, 6))])  # refused: incompatible-op-operands
        """,
    "tf_stack_eager_fixed": """
        import tensorflow as tf
        s = tf.stack([tf.ones((4, 5)), tf.ones((4, 5))], axis=1)
        """,
    # ------------------------------------------- numpy arrays (numpy raises)
    "numpy_broadcast": """
        import keras
        import numpy as np
        X = np.random.rand(100, 8)
        X_centered = X - X.mean(axis=1)  # refused: incompatible-op-operands
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
        """,
    "numpy_broadcast_fixed": """
        import keras
        import numpy as np
        X = np.random.rand(100, 8)
        X_centered = X - X.mean(axis=0)
        X_scaled = X_centered / X.std(axis=1, keepdims=True)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
        """,
    "numpy_augmented_assignment": """
        import keras
        import numpy as np
        images = np.zeros((10, 28, 28))
        images += np.random.rand(28, 10)  # refused: incompatible-op-operands
        """,
    "numpy_augmented_assignment_fixed": """
        import keras
        import numpy as np
        images = np.zeros((10, 28, 28))
        images += np.random.rand(28, 28)
        """,
    # ------------------------------------------ reshape of a tensor (E5905)
    "tf_reshape_eager": """
        import tensorflow as tf
        x = tf.ones((2, 6, 4))
        y = tf.reshape(x, (7, 3))  # refused: reshape-size-mismatch
        """,
    "tf_reshape_eager_fixed": """
        import tensorflow as tf
        x = tf.ones((2, 6, 4))
        y = tf.reshape(x, (8, 6))
        """,
    "tf_reshape_in_layer_call": """
        import keras
        import tensorflow as tf

        class Fold(keras.layers.Layer):
            def call(self, x):
                return tf.reshape(x, (7, 5))  # refused: reshape-size-mismatch

        x = keras.Input((6, 4))
        model = keras.Model(x, Fold()(x))
        """,
    "tf_reshape_in_layer_call_fixed": """
        import keras
        import tensorflow as tf

        class Fold(keras.layers.Layer):
            def call(self, x):
                return tf.reshape(x, (-1, 8, 3))

        x = keras.Input((6, 4))
        model = keras.Model(x, Fold()(x))
        """,
    "keras_reshape_functional": """
        import keras
        from keras import ops
        x = keras.Input(batch_shape=(2, 6, 4))
        y = ops.reshape(x, (5, -1))  # refused: reshape-size-mismatch
        model = keras.Model(x, y)
        """,
    "keras_reshape_functional_fixed": """
        import keras
        from keras import ops
        x = keras.Input(batch_shape=(2, 6, 4))
        y = ops.reshape(x, (4, -1))
        z = ops.reshape(keras.Input((6, 4)), (7, 5))  # Keras leaves a None batch to run time
        model = keras.Model(x, y)
        """,
    # None (unknown) never refuses; 1 broadcasts; the batch axes of matmul
    # broadcast; Keras compares concatenated sizes with the first tensor's.
    "sizes_that_may_meet": """
        import keras
        from keras import ops
        x = keras.Input((None, 8))
        a = ops.matmul(x, ops.ones((8, 3)))
        b = ops.add(keras.Input((None,)), keras.Input((7,)))
        c = ops.add(keras.Input((1, 7)), keras.Input((5, 1)))
        d = ops.concatenate([keras.Input((None, 2)), keras.Input((4, 3)), keras.Input((5, 1))], axis=-1)
        e = ops.matmul(keras.Input((1, 3, 4)), keras.Input((6, 4, 2)))
        """,
}


# Layers whose shapes shapelint must know exactly after the ops: (program,
# line, class); every exact claim is checked against Keras anyway.
KNOWN = [("matmul_operator_functional_fixed", 5, "Dense"), ("matmul_operator_functional_fixed", 6, "Dense")]


def _marked(text):
    for number, line in enumerate(text.splitlines(), start=1):
        match = REFUSED.search(line)
        if match:
            return number, match.group(1)
    return None


programs = keras_programs.programs_fixture(  # pylint: disable=invalid-name
    {name: (text, "") for name, text in PROGRAMS.items()}, "op_refusals")


def _findings(path):
    with open(path, encoding="utf-8") as handle:
        result = analyze_source(handle.read(), path)
    return [(f.line, f.symbol) for f in result.findings], result


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_refused_exactly_where_tensorflow_raises(name, programs):  # pylint: disable=redefined-outer-name
    paths, oracle = programs
    source = open(paths[name], encoding="utf-8").read()
    marked = _marked(source)
    error = oracle[name]["error"]
    found, _ = _findings(paths[name])
    if marked is None:
        assert error is None, f"{name} should run: {error}"
        assert found == [], found
        keras_programs.check_claims(name, paths[name], oracle[name], KNOWN)
        return
    line, symbol = marked
    assert error is not None, f"{name} ran to its end under TensorFlow/Keras"
    assert error["line"] == line, (error, line)
    assert found == [(line, symbol)], found


def test_every_refused_program_has_a_twin_that_runs():
    refused = {n for n, text in PROGRAMS.items() if _marked(text.replace("\n        ", "\n"))}
    assert refused and all(f"{n}_fixed" in PROGRAMS and f"{n}_fixed" not in refused for n in refused)


def _lint(source):
    import textwrap  # pylint: disable=import-outside-toplevel
    result = analyze_source(textwrap.dedent(source).lstrip("\n"), "<test>")
    return [(f.line, f.symbol) for f in result.findings]


def test_an_uncertain_branch_or_an_uncalled_function_is_not_reported():
    """checks/policy.py: a branch that may never run, a function whose real
    callers may pass other shapes."""
    assert _lint("""
        import sys
        import tensorflow as tf
        if len(sys.argv) > 2:
            c = tf.matmul(tf.ones((3, 4)), tf.ones((5, 6)))
        def helper():
            return tf.add(tf.ones((32, 10)), tf.ones((32, 5)))
        """) == []


def test_a_tf_function_on_a_keras_tensor_is_that_finding_alone():
    """Keras 3 refuses the KerasTensor before TensorFlow looks at shapes."""
    assert _lint("""
        import keras
        import tensorflow as tf
        x = keras.Input((784,))
        y = tf.matmul(x, tf.ones((500, 10)))
        """) == [(4, "tf-op-on-keras-tensor")]


def test_nothing_after_a_refused_call_is_claimed():
    """The program stops at the refused call: its result has no shape, and
    what follows from it gets no finding of its own."""
    source = """
        import keras
        from keras import layers, ops
        x = keras.Input((784,))
        y = ops.matmul(x, ops.ones((500, 10)))
        z = ops.add(y, ops.ones((3,)))
        out = layers.Dense(2)(z)
        """
    assert _lint(source) == [(4, OPS)]
    import textwrap  # pylint: disable=import-outside-toplevel
    result = analyze_source(textwrap.dedent(source).lstrip("\n"), "<test>")
    dense = [layer for layer in result.layers if layer.to_json()["layer"] == "Dense"]
    assert dense and all(layer.to_json()["output_shape"] in (None, [None, 2]) for layer in dense)
