"""Front end: Keras names resolved lexically whatever the spelling, argument
evaluation, Sequential forms, helpers and loops -- and nothing ever raises."""
from __future__ import annotations

import sys

import pytest

from shapelint.engine import analyze_source
from shapelint.frontend.resolve import classify, normalise

SPELLINGS = {
    "from tensorflow.keras.layers import Dense, Input\nfrom tensorflow.keras.models import Model\n"
    "i = Input((4,))\no = Dense(3)(i)\nm = Model(i, o)\n": "Dense",
    "from tensorflow.keras import layers, Model\ni = layers.Input((4,))\no = layers.Dense(3)(i)\nm = Model(i, o)\n": "Dense",
    "import tensorflow as tf\ni = tf.keras.Input((4,))\no = tf.keras.layers.Dense(3)(i)\nm = tf.keras.Model(i, o)\n": "Dense",
    "from tensorflow import keras\ni = keras.Input((4,))\no = keras.layers.Dense(3)(i)\nm = keras.models.Model(i, o)\n": "Dense",
    "import keras\ni = keras.Input((4,))\no = keras.layers.Dense(3)(i)\nm = keras.Model(inputs=i, outputs=o)\n": "Dense",
    "from keras import layers\nfrom keras import models\ni = layers.Input(shape=(4,))\no = layers.Dense(3)(i)\nm = models.Model(i, o)\n": "Dense",
    "from keras.layers import *\nfrom keras.models import Model\ni = Input((4,))\no = Dense(3)(i)\nm = Model(i, o)\n": "Dense",
    "import tensorflow.keras.layers as L\nimport tensorflow.keras as K\ni = L.Input((4,))\no = L.Dense(3)(i)\nm = K.Model(i, o)\n": "Dense",
    "from tensorflow.keras.layers import Dense as FC, Input\ni = Input((4,))\no = FC(3)(i)\n": "Dense",
    "from tensorflow.python.keras.layers import Dense, Input\ni = Input((4,))\no = Dense(3)(i)\n": "Dense",
    "import tf_keras as keras\ni = keras.Input((4,))\no = keras.layers.Dense(3)(i)\n": "Dense",
    "from keras.layers.core import Dense\nfrom keras.layers import Input\ni = Input((4,))\no = Dense(3)(i)\n": "Dense",
}


@pytest.mark.parametrize("source", list(SPELLINGS))
def test_every_spelling_resolves(source):
    result = analyze_source(source)
    (layer,) = result.layers
    assert layer.layer == SPELLINGS[source]
    assert layer.output_shape == (None, 3)
    assert layer.params == 15


def test_normalise_and_classify():
    assert normalise("tensorflow.keras.layers.Dense") == "keras.layers.Dense"
    assert classify("tensorflow.keras.layers.Dense") == ("layer", "Dense")
    assert classify("keras.Input") == ("input", "Input")
    assert classify("tensorflow.keras.models.Sequential") == ("sequential", "Sequential")
    assert classify("keras.layers.concatenate") == ("function", "Concatenate")
    assert classify("keras.ops.concatenate") is None
    assert classify("keras.losses.Dense") is None
    assert classify("numpy.zeros") is None


def test_local_class_shadows_keras_name():
    source = ("from tensorflow.keras.layers import Dense, Input\n"
              "class Dense:\n    def __init__(self, *a):\n        pass\n"
              "i = Input((4,))\no = Dense(3)(i)\n")
    assert analyze_source(source).layers == []


def test_constants_and_arithmetic():
    source = ("from tensorflow import keras\nIMG = 28\nCH = 1\nHIDDEN = [64, 32]\n"
              "i = keras.Input((IMG * IMG * CH,))\n"
              "x = keras.layers.Dense(HIDDEN[0] // 2)(i)\n"
              "x = keras.layers.Dense(units=HIDDEN[-1] + 1)(x)\n")
    shapes = [l.output_shape for l in analyze_source(source).layers]
    assert shapes == [(None, 32), (None, 33)]


def test_sequential_forms():
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "a = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])\n"
              "b = keras.Sequential([keras.Input((5,)), layers.Dense(2)])\n"
              "c = keras.Sequential()\nc.add(layers.Dense(4, input_dim=6))\nc.add(layers.Dense(1))\n"
              "d = keras.Sequential([layers.Dense(7)])\nd.build((None, 9))\n"
              "e = keras.Sequential([layers.InputLayer(input_shape=(2,)), layers.Dense(1)])\n"
              "f = keras.Sequential([layers.Dense(3)])\n")
    got = [(l.line, l.output_shape, l.params) for l in analyze_source(source).layers]
    assert got == [
        (3, (None, 4), 16), (3, (None, 2), 10),
        (4, (None, 2), 12),
        (6, (None, 4), 28), (7, (None, 1), 5),
        (8, (None, 7), 70),
        (10, (None, 1), 3),
        # f: no input shape anywhere and never called: nothing was applied
    ]


def test_helper_functions_loops_and_builders():
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "def block(x, units):\n    x = layers.Dense(units)(x)\n    return layers.Dropout(0.1)(x)\n"
              "def build(n_in=8, n_out=3):\n    i = keras.Input((n_in,))\n    x = i\n"
              "    for u in [16, 4]:\n        x = block(x, u)\n"
              "    return keras.Model(i, layers.Dense(n_out)(x))\n"
              "model = build(n_out=5)\n")
    got = [(l.line, l.output_shape) for l in analyze_source(source).layers]
    assert got == [(4, (None, 16)), (5, (None, 16)), (4, (None, 4)), (5, (None, 4)), (11, (None, 5))]


def test_unbound_parameters_become_symbols():
    source = ("from tensorflow import keras\n"
              "def build(n_features, n_classes):\n    i = keras.Input((n_features,))\n"
              "    return keras.layers.Dense(n_classes)(i)\n")
    (layer,) = analyze_source(source).layers
    assert [str(d) for d in layer.output_shape] == ["None", "n_classes"]


@pytest.mark.parametrize("source", [
    "x = (",  # syntax error
    "import keras\nkeras.layers.Dense()(keras.Input())\n",
    "import keras\nx = keras.Input((3,))\nfor i in range(10**9):\n    x = keras.layers.Dense(i)(x)\n",
    "def f(): return f()\nf()\n",
    "import keras\nm = keras.Sequential(*[1, 2])\nm.add(3)\nm.build('x')\nm(None)\n",
    "import keras\nx = keras.Input(shape=(None, 'a', -1))\ny = keras.layers.Reshape((-1, -1))(x)\n",
    "while True:\n    x = 1\n",
    "from keras.layers import *\nx = Input((3,))[0]\ny = Dense(2)(x)\nz = Concatenate()([x, y, 4])\n",
])
def test_odd_code_never_raises(source):
    result = analyze_source(source)
    assert result.notes == []


def _libraries_loaded_while_linting(source: str, check: str = "") -> str:
    """What Python (``sys.modules``) and astroid (its module cache) hold of
    Keras/TensorFlow after analysing ``source``, printed by a fresh
    interpreter (other test modules import keras); ``check``: a statement
    run on the result ``r`` first."""
    import subprocess

    code = (
        "import sys\n"
        "from astroid.manager import AstroidManager\n"
        "from shapelint.engine import analyze_source\n"
        f"r = analyze_source({source!r})\n"
        f"{check}\n"
        "built = [n for n in AstroidManager().astroid_cache if 'keras' in n or 'tensorflow' in n]\n"
        "loaded = [m for m in ('keras', 'tensorflow') if m in sys.modules]\n"
        "print(built, loaded)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or proc.stderr


def test_no_keras_import_at_lint_time():
    """Neither Python nor astroid may load Keras/TensorFlow while we lint --
    not even for a subclassed model or a star import (astroid.parse would)."""
    source = ("from keras.layers import *\nimport keras\nclass Net(keras.Model):\n"
              "    def __init__(self):\n        super().__init__()\n        self.d = Dense(2)\n"
              "    def call(self, x):\n        return self.d(x)\n"
              "net = Net()\nnet.build((None, 3))\n")
    check = "assert [l.output_shape for l in r.layers] == [(None, 2)], r.layers"
    assert _libraries_loaded_while_linting(source, check) == "[] []"


def test_a_decorated_map_function_does_not_make_astroid_parse_tensorflow():
    """A dataset mapped with a ``@tf.function`` function: whether it is a
    method is read from the source, never by astroid inferring the decorator
    (which parsed 58 TensorFlow modules and kept them for the whole run:
    every later file of a CLI run paid a 0.4 s garbage collection)."""
    source = ("import glob\nimport tensorflow as tf\n\n@tf.function\ndef load(path):\n"
              "    return tf.io.read_file(path)\n\n"
              "ds = tf.data.Dataset.from_tensor_slices(glob.glob('*.txt')).map(load)\n")
    assert _libraries_loaded_while_linting(source) == "[] []"


def test_functional_merge_forms_take_positional_arguments():
    source = ("from tensorflow.keras import layers, Input\n"
              "a = Input((3, 4))\nb = Input((3, 5))\n"
              "c = layers.concatenate([a, b], -1)\n"
              "d = layers.dot([a, b], 1)\n")
    result = analyze_source(source)
    assert [l.output_shape for l in result.layers] == [(None, 3, 9), (None, 4, 5)]
    assert result.findings == []


def test_embedding_input_dim_is_a_vocabulary_not_an_input_shape():
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "m = keras.Sequential([layers.Embedding(1000, 16), layers.LSTM(8)])\n")
    assert analyze_source(source).layers == []  # never built: no input shape is guessed


def test_model_layers_and_get_layer_outputs():
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "inp = keras.Input((8, 8, 3))\nx = layers.Conv2D(4, 3, name='feat')(inp)\n"
              "x = layers.Flatten()(x)\nout = layers.Dense(2)(x)\nbase = keras.Model(inp, out)\n"
              "pen = base.layers[-2].output\nfeat = base.get_layer('feat').output\n"
              "head = layers.Dense(3)(pen)\nfirst = base.layers[0].output\n"
              "again = base.layers[-1](layers.Flatten()(feat))\n")
    got = [(l.line, l.output_shape) for l in analyze_source(source).layers]
    assert got == [(4, (None, 6, 6, 4)), (5, (None, 144)), (6, (None, 2)), (10, (None, 3)),
                   (12, (None, 144)), (12, (None, 2))]


def test_lists_filled_in_unknown_loops_or_branches_become_unknown():
    """A list appended to an unknown number of times has an unknown length
    (not the one pass the interpreter made)."""
    source = ("import os\nimport keras\nnames = []\n"
              "for d in os.listdir('data'):\n    names.append(d)\n"
              "extra = []\nif os.environ.get('X'):\n    extra.append(1)\n"
              "inp = keras.Input((8,))\n"
              "a = keras.layers.Dense(len(names), activation='softmax')(inp)\n"
              "b = keras.layers.Dense(len(extra) + 2)(inp)\n")
    shapes = [l.output_shape for l in analyze_source(source).layers]
    assert shapes == [(None, None), (None, None)]


def test_tensor_slicing_keeps_known_axes():
    source = ("import keras\nx = keras.Input((5, 7, 3))\n"
              "a = keras.layers.Dense(2)(x[:, 0])\nb = keras.layers.Dense(2)(x[..., None])\n")
    shapes = [l.output_shape for l in analyze_source(source).layers]
    assert shapes == [(None, 7, 2), (None, 5, 7, 3, 2)]


def test_subclassed_model_built_by_fit_on_data():
    source = ("import numpy as np\nimport keras\n"
              "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
              "        self.d = keras.layers.Dense(4)\n    def call(self, x):\n        return self.d(x)\n"
              "net = Net()\nnet.compile(loss='mse')\nnet.fit(np.zeros((16, 6)), np.zeros((16, 4)))\n")
    result = analyze_source(source)
    assert [(l.line, l.output_shape, l.params) for l in result.layers] == [(8, (None, 4), 28)]
    assert result.findings == []


def test_common_tensor_ops_keep_shapes():
    source = ("import tensorflow as tf\nfrom keras import ops, layers, Input\n"
              "x = Input((6, 4))\n"
              "a = layers.Dense(3)(tf.nn.relu(x))\n"
              "b = layers.Dense(3)(ops.mean(x, axis=1))\n"
              "c = layers.Dense(3)(tf.concat([x, x], axis=-1))\n"
              "d = layers.Dense(3)(ops.expand_dims(x, 1))\n"
              "e = layers.Dense(3)(tf.reduce_mean(x, axis=1, keepdims=True))\n"
              "f = layers.Dense(3)(tf.transpose(x, perm=[0, 2, 1]))\n"
              "g = layers.Dense(3)(x * 0.5 + x)\n")
    shapes = [l.output_shape for l in analyze_source(source).layers]
    assert shapes == [(None, 6, 3), (None, 3), (None, 6, 3), (None, 1, 6, 3), (None, 1, 3),
                      (None, 4, 3), (None, 6, 3)]


def test_refusals_in_branches_that_may_not_run_are_not_reported():
    source = ("import os\nimport keras\nfrom keras import layers\n"
              "x = keras.Input((8, 8, 16))\nm = layers.Conv2D(24, 1)(x)\n"
              "if os.environ.get('RESIDUAL'):\n    m = layers.Add()([m, x])\n"
              "y = layers.Add()([m, x]) if os.environ.get('Y') else m\n")
    assert analyze_source(source).findings == []
    certain = source.replace("os.environ.get('RESIDUAL')", "True")
    assert [f.symbol for f in analyze_source(certain).findings] == ["merge-shape-mismatch"]


def test_loops_over_enumerate_zip_reversed_unroll():
    source = ("import keras\nfrom keras import layers\nx = keras.Input((8,))\n"
              "for i, units in enumerate([4, 6]):\n    x = layers.Dense(units + i)(x)\n"
              "for a, b in zip([1, 2], [3, 4]):\n    x = layers.Dense(a * b)(x)\n"
              "for u in reversed([5, 7]):\n    x = layers.Dense(u)(x)\n")
    got = [l.output_shape[-1] for l in analyze_source(source).layers]
    assert got == [4, 7, 3, 8, 7, 5]


def test_subclassed_model_and_layer_followed_through_call():
    source = ("import keras\nfrom keras import layers\n"
              "class Block(layers.Layer):\n"
              "    def __init__(self, filters):\n        super().__init__()\n"
              "        self.conv = layers.Conv2D(filters, 3, padding='same')\n"
              "    def call(self, x):\n        return self.conv(x)\n"
              "class Net(keras.Model):\n"
              "    def __init__(self):\n        super().__init__()\n"
              "        self.block = Block(8)\n        self.flat = layers.Flatten()\n"
              "        self.out = layers.Dense(3)\n"
              "    def call(self, inputs):\n        return self.out(self.flat(self.block(inputs)))\n"
              "net = Net()\nnet.build((None, 6, 6, 2))\n")
    got = [(l.line, l.layer, l.output_shape, l.params) for l in analyze_source(source).layers]
    # the custom layer is one application too (its weights are its Conv2D's)
    assert got == [(8, "Conv2D", (None, 6, 6, 8), 152), (16, "Block", (None, 6, 6, 8), 152),
                   (16, "Flatten", (None, 288), 0), (16, "Dense", (None, 3), 867)]


def test_keras_modules_passed_in_through_kwargs():
    """segmentation_models imports get_submodules_from_kwargs from its own
    package; the modules it returns are Keras' (backend, layers, models, utils)."""
    src = (
        "from . import get_submodules_from_kwargs\n"
        "import keras\n"
        "def build(classes=3, **kwargs):\n"
        "    backend, layers, models, keras_utils = get_submodules_from_kwargs(kwargs)\n"
        "    x_in = layers.Input(shape=(8, 8, 2))\n"
        "    x = layers.Conv2D(4, 3)(x_in)\n"
        "    return models.Model(x_in, layers.Dense(classes)(layers.Flatten()(x)))\n"
        "model = build()\n"
    )
    shapes = [(layer.layer, layer.output_shape) for layer in analyze_source(src).layers]
    assert shapes == [("Conv2D", (None, 6, 6, 4)), ("Flatten", (None, 144)), ("Dense", (None, 3))]


def test_dynamic_none_is_told_apart_from_unknown():
    """A None declared in an Input is Keras' own (exact); one shapelint could
    not evaluate is not, and never reaches a finding."""
    src = (
        "import keras\n"
        "from keras import layers\n"
        "n = unknown_function()\n"
        "a = layers.Dense(4)(keras.Input((None, 3)))\n"
        "b = layers.Dense(4)(keras.Input((n, 3)))\n"
        "c = layers.Dense(4)(layers.Flatten()(keras.Input((n, 3))))\n"
        "d = layers.Dense(4)(layers.Flatten()(keras.Input((None, 3))))\n"
    )
    result = analyze_source(src)
    exact = {(layer.line, layer.layer): layer.exact for layer in result.layers}
    assert exact == {(4, "Dense"): True, (5, "Dense"): False, (6, "Flatten"): False, (6, "Dense"): True,
                     (7, "Flatten"): True, (7, "Dense"): False}
    assert [(f.line, f.symbol) for f in result.findings] == [(7, "undefined-feature-dimension")]


SNIPPET_CNN = (
    "model = Sequential()\n"
    "model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))\n"
    "model.add(MaxPooling2D((2, 2)))\n"
    "model.add(Dense(10, activation='softmax'))\n"
    "model.fit(X_train, y_train, epochs=5)\n"
)


@pytest.mark.parametrize("source", [
    SNIPPET_CNN,  # pasted without its imports
    "from my_project.layers import *\n" + SNIPPET_CNN,  # a star import shapelint cannot read
    "from keras.models import Sequential\nfrom keras.layers import Convolution2D, MaxPooling2D, Dense\n"
    + SNIPPET_CNN,  # Conv2D used, only its Keras 1 alias imported
])
def test_snippet_is_analysed_as_keras(source):
    result = analyze_source(source)
    assert [layer.layer for layer in result.layers] == ["Conv2D", "MaxPooling2D", "Dense"]
    assert [f.symbol for f in result.findings] == ["dense-on-unreduced-tensor"]


@pytest.mark.parametrize("source", [
    # a Dense of its own: its names are its own
    "class Dense:\n    def __init__(self, n):\n        self.n = n\n\nmodel = Sequential()\nmodel.add(Dense(10))\n",
    # capitalised names that are not Keras'
    "result = Frobnicate(3)\nother = Widget()\n",
    # Keras names never called (documentation, type names)
    "x = Dense\n",
])
def test_non_keras_module_stays_skipped(source):
    result = analyze_source(source)
    assert not result.layers and not result.findings


_CALLERS_SOURCE = '''
import functools
import keras


def helper(n):
    return keras.layers.Dense(n)


@functools.lru_cache(maxsize=helper_size())
def cached(x): return helper(x)


def builder(width=build_default()):
    inner = lambda: helper(width)
    def nested():
        return cached(width)
    return inner, nested


class Trainer:
    def run(self):
        return builder(4)

    def other(self): return self.run()


def build_default():
    return 8


def helper_size():
    return 2
'''


def _module_functions(module):
    from astroid import nodes  # pylint: disable=import-outside-toplevel

    funcs = [f for f in module.body if isinstance(f, nodes.FunctionDef)]
    for cls in module.body:
        if isinstance(cls, nodes.ClassDef):
            funcs.extend(f for f in cls.body if isinstance(f, nodes.FunctionDef))
    return funcs


def test_callers_first_from_the_module_scan_is_the_walk_of_each_function():
    """The functions no other one names come first: told from the module
    scan's Names by line (decorators, defaults, lambdas and nested defs
    included) exactly as from a walk of each function's subtree."""
    import glob  # pylint: disable=import-outside-toplevel
    import os  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.evaluator import _callers_first  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse, scan  # pylint: disable=import-outside-toplevel

    module = parse(_CALLERS_SOURCE)
    funcs = _module_functions(module)
    order = [f.name for f in _callers_first(funcs, scan(module))]
    # named by nobody (``self.run`` is an attribute, not a Name), then the
    # rest: named in a body, a nested def, a lambda, a default, a decorator
    assert order == ["run", "other", "helper", "cached", "builder", "build_default", "helper_size"]
    assert order == [f.name for f in _callers_first(funcs)]
    root = os.path.join(os.path.dirname(__file__), "..", "fixtures")
    compared = 0
    for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            try:
                module = parse(handle.read(), path=path)
            except Exception:  # pylint: disable=broad-except
                continue
        funcs = _module_functions(module)
        if len(funcs) < 2:
            continue
        assert _callers_first(funcs, scan(module)) == _callers_first(funcs), path
        compared += 1
    assert compared >= 10  # the fixtures with two functions or more


def test_ref_attributes_are_shared_and_equal_to_new_refs():
    """``Ref.attr`` answers a dotted name read again with the Ref it made
    the first time (equal to a new one: a Ref is compared by its name),
    within a bounded table."""
    from shapelint.frontend import resolve  # pylint: disable=import-outside-toplevel

    numpy = resolve.Ref("numpy")
    first = numpy.attr("random").attr("randint")
    assert first == resolve.Ref("numpy.random.randint")
    assert numpy.attr("random").attr("randint") is first
    for i in range(resolve._MAX_ATTRS + 1):  # pylint: disable=protected-access
        numpy.attr(f"name{i}")
    assert len(resolve._ATTRS) <= resolve._MAX_ATTRS  # pylint: disable=protected-access
    assert numpy.attr("random").attr("randint") == first
