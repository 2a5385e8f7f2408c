"""Edge cases of the checks Keras performs that the fixtures do not show:
where each stays silent, and the assumed Keras version (issue 11)."""
from __future__ import annotations

import pytest

from shapelint.engine import analyze_source
from shapelint.frontend.symbolic import KERAS_OPS
from shapelint.options import AnalysisOptions

TF_ON_INPUT = (
    "import tensorflow as tf\n"
    "import keras\n"
    "x = keras.Input((8, 8, 16))\n"
    "y = tf.nn.depth_to_space(x, 2)\n"
)


def _symbols(source: str, options=None):
    result = analyze_source(source, "<test>", options)
    assert not result.notes, result.notes
    return [(f.line, f.symbol) for f in result.findings]


def test_tf_op_on_input_is_reported_under_keras_3():
    assert _symbols(TF_ON_INPUT) == [(4, "tf-op-on-keras-tensor")]


def test_keras_2_accepts_tf_ops_on_symbolic_tensors():
    assert _symbols(TF_ON_INPUT, AnalysisOptions(keras_version=2)) == []


@pytest.mark.parametrize("marker", ["import tf_keras\n", "import os\nos.environ['TF_USE_LEGACY_KERAS'] = '1'\n"])
def test_a_module_on_keras_2_is_keras_2_by_itself(marker):
    assert _symbols(marker + TF_ON_INPUT) == []


def test_an_unknown_keras_version_is_refused():
    with pytest.raises(ValueError):
        AnalysisOptions(keras_version=4)


@pytest.mark.parametrize("body", [
    "y = keras.layers.Lambda(lambda t: tf.nn.depth_to_space(t, 2))(x)\n",
    "y = keras.layers.Lambda(tf.nn.relu)(x)\n",
    "class L(keras.layers.Layer):\n    def call(self, t):\n        return tf.nn.depth_to_space(t, 2)\ny = L()(x)\n",
    "import numpy as np\ny = tf.one_hot(np.zeros((4,), dtype='int32'), 3)\n",
    "import numpy as np\ny = tf.reduce_sum(keras.layers.Dense(3)(np.zeros((4, 5))))\n",
    "y = tf.nest.flatten([x])\n",
    "y = x + tf.constant(1.0)\n",
])
def test_tf_ops_keras_accepts_are_not_reported(body):
    source = "import tensorflow as tf\nimport keras\nx = keras.Input((8, 8, 16))\n" + body
    assert [s for _, s in _symbols(source)] == []


def test_tf_op_on_a_layer_output_through_a_local_function_is_reported():
    source = ("import tensorflow as tf\nimport keras\nx = keras.Input((8, 8, 3))\n"
              "def block(t):\n    return tf.nn.relu(t)\n"
              "y = block(keras.layers.Conv2D(4, 3)(x))\n")
    assert _symbols(source) == [(5, "tf-op-on-keras-tensor")]


def test_tf_op_on_the_output_of_an_unbuilt_sequential_is_reported(keras):
    """A Sequential without an Input, applied to a KerasTensor, gives a
    KerasTensor (keras-io's token_learner: tf.reduce_mean of it): Keras 3
    refuses the tf op there, as shapelint says."""
    import tensorflow as tf  # pylint: disable=import-outside-toplevel

    source = ("import tensorflow as tf\nimport keras\nx = keras.Input((8, 16))\n"
              "block = keras.Sequential([keras.layers.Dense(4)])\n"
              "y = tf.reduce_mean(block(x), axis=1)\n")
    assert _symbols(source) == [(5, "tf-op-on-keras-tensor")]
    block = keras.Sequential([keras.layers.Dense(4)])
    with pytest.raises(ValueError, match="KerasTensor cannot be used as input to a TensorFlow function"):
        tf.reduce_mean(block(keras.Input((8, 16))), axis=1)


def test_keras_ops_suggestions_exist(keras):
    for tf_name, op in KERAS_OPS.items():
        target = keras.ops
        for part in op.split("."):
            target = getattr(target, part, None)
        assert target is not None, f"keras.ops.{op} (for tf {tf_name}) does not exist"


def test_constant_initializer_that_broadcasts_is_fine():
    source = ("import numpy as np\nimport keras\nx = keras.Input((10,))\n"
              "y = keras.layers.Embedding(100, 8, embeddings_initializer="
              "keras.initializers.Constant(np.zeros((8,))))(x)\n")
    assert _symbols(source) == []


def test_set_weights_on_an_unbuilt_layer_is_not_judged():
    source = ("import numpy as np\nimport keras\n"
              "e = keras.layers.Embedding(100, 8)\ne.set_weights([np.zeros((50, 8))])\n")
    assert _symbols(source) == []


def test_dense_set_weights_checks_kernel_and_bias():
    source = ("import numpy as np\nimport keras\nx = keras.Input((4,))\nd = keras.layers.Dense(3)\ny = d(x)\n"
              "d.set_weights([np.zeros((4, 3)), np.zeros((3,))])\n"
              "d.set_weights([np.zeros((5, 3)), np.zeros((3,))])\n")
    assert _symbols(source) == [(7, "weight-shape-mismatch")]


def test_sample_counts_of_a_dataset_are_not_compared():
    source = ("import numpy as np\nimport tensorflow as tf\nimport keras\n"
              "m = keras.Sequential([keras.Input((28,)), keras.layers.Dense(10)])\n"
              "m.compile('adam', 'mse')\n"
              "ds = tf.data.Dataset.from_tensor_slices((np.zeros((100, 28)), np.zeros((100, 10)))).batch(10)\n"
              "m.fit(ds, epochs=1)\n")
    assert [s for _, s in _symbols(source)] == []


def test_shared_lstm_on_another_feature_size_is_not_reported():
    # Measured: Keras 3 builds it (LSTM has no InputSpec axes).
    source = ("import keras\nl = keras.layers.LSTM(4)\n"
              "a = l(keras.Input((8, 3)))\nb = l(keras.Input((8, 5)))\n")
    assert _symbols(source) == []


def test_shared_batch_normalization_on_another_channel_count_is_reported():
    source = ("import keras\nn = keras.layers.BatchNormalization()\n"
              "a = n(keras.Input((8, 3)))\nb = n(keras.Input((8, 5)))\n")
    assert _symbols(source) == [(4, "incompatible-input-shape")]


def test_rnn_with_a_layer_that_is_not_per_step_after_it_is_left_to_the_loss_checks():
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "m = keras.Sequential([keras.Input((10, 3)), layers.LSTM(8), layers.RepeatVector(10),"
              " layers.Dense(1)])\n"
              "m.compile('adam', 'mse')\nm.fit(np.zeros((4, 10, 3)), np.zeros((4, 10, 1)))\n")
    assert _symbols(source) == []


def test_keras_version_in_pyproject_reaches_the_engine_and_the_cache_key(tmp_path):
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel

    (tmp_path / "model.py").write_text(TF_ON_INPUT)
    cache = tmp_path / "cache"

    def run():
        return subprocess.run([sys.executable, "-m", "shapelint", "--cache-dir", str(cache), "model.py"],
                              capture_output=True, text=True, cwd=tmp_path, check=False)

    assert "E5915 tf-op-on-keras-tensor" in run().stdout
    (tmp_path / "pyproject.toml").write_text("[tool.shapelint]\nkeras-version = 2\n")
    proc = run()  # same source, another assumed Keras: not the cached Keras 3 result
    assert proc.returncode == 0 and proc.stdout == ""
