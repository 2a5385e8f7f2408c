"""Subclasses of Keras layers that change their base's behaviour but not its
shape: a call() that ends in ``super().call(...)`` (the frozen
BatchNormalization of YOLO ports), a ``build`` of their own, options of
their own taken positionally and handed to ``super().__init__``.  The base
layer's rule gives the output, configured with what the base's __init__ got,
and its weights count in the layer's parameters.  Where shapelint cannot follow
the call(), Keras 3 itself gives a KerasTensor its class's
compute_output_shape: the built-in base's.  Keras runs each program and must
agree with every exact claim (shape and parameter count)."""
from __future__ import annotations

import pytest

import keras_programs
from keras_programs import check_claims

pytest.importorskip("tensorflow")

PROGRAMS = {
    "super_call": ("""
        import tensorflow as tf
        from tensorflow.keras.layers import Input, Conv2D, Dense

        class BatchNormalization(tf.keras.layers.BatchNormalization):
            def call(self, x, training=False):
                if training is None:
                    training = tf.constant(False)
                training = tf.logical_and(training, self.trainable)
                return super().call(x, training)

        class ScaledDense(Dense):
            def call(self, inputs):
                return super().call(inputs) * 2.0

        x = inputs = Input([32, 32, 3])
        x = Conv2D(8, 3)(x)
        x = BatchNormalization()(x)
        y = ScaledDense(4, activation="relu")(x)
        model = tf.keras.Model(inputs, y)
        """, ""),
    "old_style_super": ("""
        import keras
        from keras import layers

        class WideConv(layers.Conv2D):
            def __init__(self, filters, rate, **kwargs):
                super(WideConv, self).__init__(filters, 3, dilation_rate=rate, padding="same", **kwargs)
                self.rate = rate

            def call(self, inputs):
                return super(WideConv, self).call(inputs)

        class Strided(layers.Conv2D):
            def __init__(self, filters, **kwargs):
                super().__init__(filters, (3, 3), strides=2, **kwargs)

        inputs = keras.Input((28, 28, 1))
        x = WideConv(6, 2)(inputs)
        x = Strided(4)(x)
        x = layers.Flatten()(x)
        outputs = layers.Dense(10)(x)
        model = keras.Model(inputs, outputs)
        """, ""),
    "own_build": ("""
        import keras
        from keras import layers

        class BiasedDense(layers.Dense):
            def build(self, input_shape):
                super().build(input_shape)
                self.extra = self.add_weight(shape=(self.units,), initializer="zeros")

        class Scale(layers.Layer):
            def call(self, x):
                return x * 3.0

        class Chain(Scale):
            def call(self, x):
                return super().call(x) + 1.0

        inputs = keras.Input((12,))
        h = BiasedDense(5)(inputs)
        h = Chain()(h)
        outputs = layers.Dense(1)(h)
        model = keras.Model(inputs, outputs)
        """, ""),
    # keras-io's subclassing_conv_layers recipe: a call() shapelint cannot
    # follow (convolution_op on a standardized kernel); Keras 3 gives the
    # KerasTensor Conv2D's compute_output_shape
    "symbolic_override": ("""
        import tensorflow as tf
        import keras
        from keras import layers

        class StandardizedConv2DWithCall(layers.Conv2D):
            def call(self, inputs):
                mean, var = tf.nn.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
                result = self.convolution_op(inputs, (self.kernel - mean) / tf.sqrt(var + 1e-10))
                if self.use_bias:
                    result = result + self.bias
                return result

        inputs = keras.Input((28, 28, 1))
        x = StandardizedConv2DWithCall(32, kernel_size=(3, 3), activation="relu")(inputs)
        x = layers.MaxPooling2D(pool_size=(2, 2))(x)
        x = StandardizedConv2DWithCall(64, kernel_size=(3, 3), strides=2)(x)
        x = layers.Flatten()(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        """, ""),
    # keras-io's DeiT: drop-path rates from a comprehension over an eager
    # tensor, one picked by index (a 0-d tensor), divided into a Keras tensor
    "drop_path_rates": ("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class StochasticDepth(layers.Layer):
            def __init__(self, drop_prop, **kwargs):
                super().__init__(**kwargs)
                self.drop_prob = drop_prop

            def call(self, x, training=True):
                if training:
                    keep_prob = 1 - self.drop_prob
                    shape = (tf.shape(x)[0],) + (1,) * (len(x.shape) - 1)
                    random_tensor = keep_prob + tf.random.uniform(shape, 0, 1)
                    random_tensor = tf.floor(random_tensor)
                    return (x / keep_prob) * random_tensor
                return x

        dpr = [x for x in tf.linspace(0.0, 0.1, 4)]
        rates = [r for r in np.linspace(0.1, 0.3, 90)]
        inputs = keras.Input((198, 192))
        z = StochasticDepth(dpr[1])(inputs)
        w = layers.Add()([z, inputs])
        v = StochasticDepth(rates[-1])(w)
        outputs = layers.Dense(4)(v)
        model = keras.Model(inputs, outputs)
        """, ""),
    # a keras.Model subclass whose __init__ builds a functional graph and
    # hands it to keras.Model.__init__ (Keras' documented third way)
    "functional_subclass": ("""
        import numpy as np
        import keras
        from keras import layers

        class MyModel(keras.Model):
            def __init__(self, n, **kwargs):
                inputs = keras.Input((16,))
                x = layers.Dense(n, activation="relu")(inputs)
                outputs = layers.Dense(3)(x)
                super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        model = MyModel(8)
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(np.zeros((32, 16)), np.zeros(32), epochs=1, verbose=0)
        """, ""),
}

KNOWN = [
    ("functional_subclass", 8, "Dense"),
    ("functional_subclass", 9, "Dense"),
    ("drop_path_rates", 23, "StochasticDepth"),
    ("drop_path_rates", 24, "Add"),
    ("drop_path_rates", 25, "StochasticDepth"),
    ("drop_path_rates", 26, "Dense"),
    ("symbolic_override", 14, "StandardizedConv2DWithCall"),
    ("symbolic_override", 16, "StandardizedConv2DWithCall"),
    ("symbolic_override", 18, "Dense"),
    ("super_call", 17, "BatchNormalization"),
    ("super_call", 18, "ScaledDense"),
    ("old_style_super", 17, "WideConv"),
    ("old_style_super", 18, "Strided"),
    ("old_style_super", 20, "Dense"),
    ("own_build", 18, "BiasedDense"),
    ("own_build", 19, "Chain"),
    ("own_build", 20, "Dense"),
]

programs = keras_programs.programs_fixture(PROGRAMS, "subclasses")
test_exact_claims_are_keras = keras_programs.claims_test(PROGRAMS, KNOWN)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_parameter_counts_are_keras(name, programs):
    paths, oracle = programs
    rows = check_claims(name, paths[name], oracle[name], [])
    theirs = {(r["line"], r["class"]): r["params"] for r in oracle[name]["layers"]}
    compared = 0
    for row in rows:
        if row["exact"] and row.get("params") is not None and (row["line"], row["layer"]) in theirs:
            assert row["params"] == theirs[(row["line"], row["layer"])], row
            compared += 1
    assert compared >= 2


def test_super_outside_a_known_class_is_unknown():
    from shapelint.engine import analyze_source

    result = analyze_source(
        "import keras\n"
        "class Other:\n"
        "    def call(self, x):\n"
        "        return super().call(x)\n"
        "class L(keras.layers.Layer):\n"
        "    def call(self, x):\n"
        "        return Other().call(x)\n"
        "x = keras.Input((4,))\n"
        "y = L()(x)\n", "t.py")
    (row,) = [layer.to_json() for layer in result.layers]
    assert row["output_shape"] is None and not result.findings


def test_len_of_a_traced_shape_is_not_claimed(tmp_path):
    # keras-io's StochasticDepth (DeiT, CaiT, CCT): len(tf.shape(x)) inside
    # call() -- TensorFlow raises while Keras 3 traces it, so no shape is
    # claimed from there on; eagerly len() of tf.shape is the rank.
    text = """
        import tensorflow as tf
        import keras
        from keras import layers

        class StochasticDepth(layers.Layer):
            def call(self, x, training=True):
                shape = (tf.shape(x)[0],) + (1,) * (len(tf.shape(x)) - 1)
                return x * tf.floor(0.9 + tf.random.uniform(shape, 0, 1))

        rank = len(tf.shape(tf.zeros((2, 3))))
        inputs = keras.Input((8, rank))
        z = StochasticDepth()(inputs)
        """
    _paths, oracle = keras_programs.run_programs(tmp_path, {"traced_len": (text, "")})
    assert oracle["traced_len"]["error"]["type"] == "TypeError"
    assert "len is not well defined" in oracle["traced_len"]["error"]["message"]
    import textwrap  # pylint: disable=import-outside-toplevel
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    rows = [layer.to_json() for layer in analyze_source(textwrap.dedent(text), "t.py").layers]
    assert [(r["layer"], r["output_shape"], r["exact"]) for r in rows] == [("StochasticDepth", None, False)]
    assert rows[0]["input_shapes"] == [[None, 8, 2]]


def test_functional_subclass_checks_fit_data(tmp_path):
    # the same model fit on 10 features: Keras raises, shapelint reports the fit
    text = PROGRAMS["functional_subclass"][0].replace("np.zeros((32, 16))", "np.zeros((32, 10))")
    _paths, oracle = keras_programs.run_programs(tmp_path, {"bad_fit": (text, "")})
    assert oracle["bad_fit"]["error"] is not None and oracle["bad_fit"]["error"]["line"] == 14
    import textwrap  # pylint: disable=import-outside-toplevel
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    result = analyze_source(textwrap.dedent(text).lstrip("\n"), "t.py")
    assert [(f.symbol, f.line) for f in result.findings] == [("input-data-mismatch", 14)]
