"""Layer objects the code computes (issue 13), against real Keras:

* a layer chosen by an if/else expression or statement whose condition
  shapelint cannot evaluate: every option is applied (as in an uncertain
  branch) and the results joined -- the options' common shape, else what
  they share;
* layers and callables passed as function arguments;
* subclassed layers defined in the module, used inside ``Sequential([...])``.

Each program reads its condition from the environment (``CHOICE``), which
shapelint cannot see; tests/oracle_runner.py runs it under Keras once per
value, so each branch's layers are recorded by the run that takes it.  Every
shape shapelint claims at a (line, col, class) must be the one Keras gives
there in every run that applies that class there, and every claim must be
met by some run; ``KNOWN`` lists the applications that must be known and
exact (unknown before this was built: the test fails without it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from fixture_markers import ROOT
from shapelint.engine import analyze_source

pytestmark = pytest.mark.keras

PROGRAMS = {
    "ifexp": """
        import os
        import keras
        from keras import layers

        class StochasticDepth(layers.Layer):
            def __init__(self, rate, **kwargs):
                super().__init__(**kwargs)
                self.rate = rate

            def call(self, x, training=None):
                return x

        rate = float(os.environ.get("CHOICE", "0")) / 10
        inp = keras.Input((10, 16))
        y = layers.Dense(16)(inp)
        layer = StochasticDepth(rate) if rate else layers.Activation("linear")
        y = layer(y)
        out = layers.Add()([inp, y])
        pool = layers.GlobalAveragePooling1D() if rate else layers.Flatten()
        z = pool(out)
        head = layers.Dense(3)(z)
        model = keras.Model(inp, head)
        """,
    "ifstmt": """
        import os
        import keras
        from keras import layers

        use_bn = os.environ.get("CHOICE") == "1"
        inp = keras.Input((32, 32, 3))
        x = layers.Conv2D(8, 3)(inp)
        if use_bn:
            norm = layers.BatchNormalization()
            act = layers.ReLU()
        else:
            norm = layers.LayerNormalization()
            act = layers.Activation("gelu")
        x = norm(x)
        x = act(x)
        Conv = layers.SeparableConv2D if use_bn else layers.Conv2D
        x = Conv(4, 3, padding="same")(x)
        out = layers.Dense(3)(layers.GlobalAveragePooling2D()(x))
        model = keras.Model(inp, out)
        """,
    "arguments": """
        import os
        import keras
        from keras import layers

        def block(x, norm_layer, activation):
            x = layers.Conv2D(8, 3, padding="same")(x)
            x = norm_layer(x)
            return activation(x)

        def make_norm():
            return layers.BatchNormalization()

        def apply_twice(x, factory):
            return factory()(factory()(x))

        inp = keras.Input((16, 16, 3))
        x = block(inp, layers.BatchNormalization(), keras.activations.relu)
        x = block(x, make_norm(), layers.ReLU())
        x = block(x, layers.LayerNormalization(epsilon=1e-6), lambda t: keras.ops.maximum(t, 0.0))
        x = apply_twice(x, lambda: layers.Conv2D(8, 3, padding="same"))
        out = layers.Dense(2)(layers.GlobalAveragePooling2D()(x))
        model = keras.Model(inp, out)
        """,
    "sequential": """
        import os
        import keras
        from keras import layers

        class Patches(layers.Layer):
            def __init__(self, size):
                super().__init__()
                self.size = size

            def call(self, images):
                return keras.ops.image.extract_patches(images, self.size)

        class Scale(layers.Layer):
            def call(self, x):
                return x * 2.0

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            Patches(4),
            layers.Reshape((64, 48)),
            Scale(),
            layers.Dense(10),
        ])
        """,
}

# (program, line, class): applications that must be known, and exact unless
# they are in OPTIONS.
KNOWN = [
    ("ifexp", 17, "StochasticDepth"), ("ifexp", 17, "Activation"), ("ifexp", 18, "Add"),
    ("ifexp", 20, "GlobalAveragePooling1D"), ("ifexp", 20, "Flatten"), ("ifexp", 21, "Dense"),
    ("ifstmt", 14, "BatchNormalization"), ("ifstmt", 14, "LayerNormalization"), ("ifstmt", 15, "ReLU"),
    ("ifstmt", 15, "Activation"), ("ifstmt", 17, "SeparableConv2D"), ("ifstmt", 17, "Conv2D"),
    ("ifstmt", 18, "Dense"),
    ("arguments", 7, "BatchNormalization"), ("arguments", 8, "ReLU"), ("arguments", 7, "LayerNormalization"),
    ("arguments", 14, "Conv2D"), ("arguments", 21, "Dense"),
    ("sequential", 19, "Patches"), ("sequential", 20, "Reshape"), ("sequential", 21, "Scale"),
    ("sequential", 22, "Dense"),
]
# The options of an if/else-chosen layer (applied as in a branch that may not run).
OPTIONS = {
    ("ifexp", 17, "StochasticDepth"), ("ifexp", 17, "Activation"),
    ("ifexp", 20, "GlobalAveragePooling1D"), ("ifexp", 20, "Flatten"),
    ("ifstmt", 14, "BatchNormalization"), ("ifstmt", 14, "LayerNormalization"), ("ifstmt", 15, "ReLU"),
    ("ifstmt", 15, "Activation"), ("ifstmt", 17, "SeparableConv2D"), ("ifstmt", 17, "Conv2D"),
}


@pytest.fixture(scope="module", name="programs")
def programs_fixture(tmp_path_factory):
    """Each program written out and run under Keras once per CHOICE."""
    folder = tmp_path_factory.mktemp("computed")
    paths = {}
    for name, text in PROGRAMS.items():
        path = folder / f"{name}.py"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        paths[name] = str(path)
    runs = []
    for value in ("0", "1"):
        out = folder / f"oracle{value}.json"
        env = dict(os.environ, CHOICE=value)
        proc = subprocess.run([sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out)]
                              + list(paths.values()), capture_output=True, text=True, timeout=1200,
                              check=False, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(out.read_text(encoding="utf-8")))
    return paths, runs


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_every_claim_is_keras_s(name, programs):
    paths, runs = programs
    path = paths[name]
    for run in runs:
        assert run[path]["error"] is None, run[path]["error"]
    with open(path, encoding="utf-8") as handle:
        result = analyze_source(handle.read(), path)
    assert not result.findings, [f.message for f in result.findings]
    claims = {}
    for layer in result.layers:
        js = layer.to_json()
        claims.setdefault((js["line"], js["layer"]), []).append(js)
        if js["output_shape"] is None:
            continue
        recs = [r for run in runs for r in run[path]["layers"]
                if (r["line"], r["col"], r["class"]) == (js["line"], js["col"], js["layer"])]
        assert recs, f"{name}:{js['line']} {js['layer']}: no Keras run applies it there"
        for rec in recs:
            theirs = rec["output_shapes"][0]
            assert len(theirs) == len(js["output_shape"]), (name, js, theirs)
            assert all(o is None or o == t for o, t in zip(js["output_shape"], theirs)), (name, js, theirs)
            if js["exact"]:
                assert js["output_shape"][1:] == theirs[1:], (name, js, theirs)
    for program, line, cls in KNOWN:
        if program != name:
            continue
        got = claims.get((line, cls))
        if (program, line, cls) in OPTIONS:
            # one option of a layer chosen by if/else: it may not run, so its
            # shape is known (and equal to Keras' where it runs: above) but a
            # conditional claim, never exact
            assert got and all(j["output_shape"] is not None and None not in j["output_shape"][1:]
                               and not j["exact"] for j in got), f"{name}:{line} {cls}: {got}"
            continue
        assert got and all(j["exact"] and j["output_shape"] is not None for j in got), (
            f"{name}:{line} {cls}: {got}")
