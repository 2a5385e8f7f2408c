"""Python the evaluator follows so that more layer applications are reached
(issue 13), each checked against Keras running the program
(tests/oracle_runner.py): every shape shapelint claims at a (line, col,
class) is the one Keras gives there, and ``KNOWN`` lists applications that
must be known and exact (unknown before: the test fails without the change).

* ``a and b`` / ``a or b`` short-circuit: ``input_shape and
  len(input_shape) == 3`` of a None ``input_shape`` is None, not unknown;
* ``global x`` in a function assigns the module's ``x`` (keras_applications
  keeps ``layers`` in a module global set by the model function and read by
  its block functions);
* ``keras_applications.get_submodules_from_kwargs(kwargs)``: the modules a
  Keras application is handed, those passed (checked with the real
  keras_applications 1.0.8 when it is installed), and Keras' own for a
  function analysed on its own, whose ``**kwargs`` cannot be seen.  The
  standalone case is checked by analysing the program without its last call
  (same line numbers) against Keras running it with the call.
"""
from __future__ import annotations

import importlib.util
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
    "boolop": """
        import keras
        from keras import layers

        def obtain_input_shape(input_shape, default_size, weights=None):
            if weights != "imagenet" and input_shape and len(input_shape) == 3:
                default_shape = (default_size, default_size, input_shape[-1])
            else:
                default_shape = (default_size, default_size, 3)
            return input_shape or default_shape

        shape = obtain_input_shape(None, 32)
        inp = keras.Input(shape=shape)
        x = layers.Conv2D(4, 3)(inp)
        other = obtain_input_shape((16, 16, 1), 32)
        y = layers.Conv2D(4, 3)(keras.Input(shape=other))
        flag = None or (5,)
        z = layers.Dense(2)(keras.Input(shape=flag))
        """,
    "global": """
        import keras

        layers = None

        def block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            return layers.BatchNormalization()(x)

        def build(size):
            global layers
            layers = keras.layers
            inp = layers.Input((size, size, 3))
            x = block(inp, 8)
            x = block(x, 16)
            return keras.Model(inp, layers.GlobalAveragePooling2D()(x))

        model = build(32)
        """,
    "applications": """
        import keras
        from keras_applications import get_submodules_from_kwargs

        backend = None
        layers = None
        models = None

        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
            x = layers.BatchNormalization(axis=3 if backend.image_data_format() == "channels_last" else 1)(x)
            return layers.Activation("relu")(x)

        def Tiny(input_shape=(64, 64, 3), classes=10, **kwargs):
            global backend, layers, models
            backend, layers, models, utils = get_submodules_from_kwargs(kwargs)
            img_input = layers.Input(shape=input_shape)
            x = conv_block(img_input, 8)
            x = conv_block(x, 16)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dense(classes, activation="softmax")(x)
            return models.Model(img_input, x)

        model = Tiny(backend=keras.backend, layers=keras.layers, models=keras.models, utils=keras.utils)
        """,
}

# (program, line, class): applications that must be known and exact.
KNOWN = [
    ("boolop", 13, "Conv2D"), ("boolop", 15, "Conv2D"), ("boolop", 17, "Dense"),
    ("global", 6, "Conv2D"), ("global", 7, "BatchNormalization"), ("global", 15, "GlobalAveragePooling2D"),
    ("applications", 9, "Conv2D"), ("applications", 10, "BatchNormalization"),
    ("applications", 11, "Activation"), ("applications", 19, "GlobalAveragePooling2D"),
    ("applications", 20, "Dense"),
]


def _source(name):
    return textwrap.dedent(PROGRAMS[name]).lstrip("\n")


HAVE_KERAS_APPLICATIONS = importlib.util.find_spec("keras_applications") is not None


def _needs(name):
    """The programs Keras can run here: "applications" imports keras_applications."""
    if name == "applications" and not HAVE_KERAS_APPLICATIONS:
        pytest.skip("keras_applications not installed (pip install --no-deps keras-applications)")


@pytest.fixture(scope="module", name="runs")
def runs_fixture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reach")
    paths = {}
    for name in PROGRAMS:
        if name == "applications" and not HAVE_KERAS_APPLICATIONS:
            continue
        path = folder / f"{name}.py"
        path.write_text(_source(name), encoding="utf-8")
        paths[name] = str(path)
    out = folder / "oracle.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out)]
                          + list(paths.values()), capture_output=True, text=True, timeout=1200, check=False,
                          env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return paths, json.loads(out.read_text(encoding="utf-8"))


def _check(name, source, path, run):
    assert run["error"] is None, run["error"]
    result = analyze_source(source, path)
    assert not result.findings, [f.message for f in result.findings]
    claims = {}
    for layer in result.layers:
        js = layer.to_json()
        claims.setdefault((js["line"], js["layer"]), []).append(js)
        if js["output_shape"] is None:
            continue
        recs = [r for r in run["layers"] if (r["line"], r["col"], r["class"]) == (js["line"], js["col"], js["layer"])]
        assert recs, f"{name}:{js['line']} {js['layer']}: Keras does not apply it there"
        assert any(all(o is None or o == t for o, t in zip(js["output_shape"], r["output_shapes"][0]))
                   and len(js["output_shape"]) == len(r["output_shapes"][0]) for r in recs), (name, js, recs)
        if js["exact"]:
            assert any(js["output_shape"][1:] == r["output_shapes"][0][1:] for r in recs), (name, js, recs)
    for program, line, cls in KNOWN:
        if program == name:
            got = claims.get((line, cls))
            assert got and all(j["exact"] and j["output_shape"] is not None for j in got), (name, line, cls, got)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_claims_are_keras_s(name, runs):
    _needs(name)
    paths, results = runs
    _check(name, _source(name), paths[name], results[paths[name]])


def test_an_application_analysed_on_its_own_gets_keras_modules(runs):
    """``Tiny`` never called: its ``**kwargs`` cannot be seen, so the modules
    are Keras' own -- the claims must be those of Keras running it."""
    _needs("applications")
    paths, results = runs
    lines = _source("applications").splitlines()
    assert lines[-1].startswith("model = Tiny(")
    standalone = "\n".join(lines[:-1] + ["# (not called)"]) + "\n"
    _check("applications", standalone, paths["applications"], results[paths["applications"]])


def test_get_submodules_from_kwargs_is_the_library_s():
    real = pytest.importorskip("keras_applications").get_submodules_from_kwargs
    from shapelint.frontend.context import LibraryCall  # noqa: E402
    from shapelint.frontend.library.keras_backend import get_submodules_from_kwargs  # noqa: E402
    from shapelint.frontend.resolve import Ref  # noqa: E402
    from shapelint.unknown import UNKNOWN  # noqa: E402

    def ours(kwargs):
        return get_submodules_from_kwargs(None, LibraryCall("keras_applications.get_submodules_from_kwargs",
                                                            [kwargs], {}, None))

    given = {"backend": "B", "layers": "L", "models": "M", "utils": "U"}
    assert ours(given) == real(given)
    # a module not passed: the package's default is None (the model then
    # fails); Keras passes its own, which shapelint assumes
    partial = {"layers": "L"}
    assert [o for o, r in zip(ours(partial), real(partial)) if r is not None] == ["L"]
    keras_own = tuple(Ref(f"keras.{n}") for n in ("backend", "layers", "models", "utils"))
    assert ours(UNKNOWN) == keras_own and ours({}) == keras_own


@pytest.mark.parametrize("args", [
    (None, 224, 32, "channels_last", True, "imagenet"),
    (None, 224, 32, "channels_last", False, None),
    ((128, 96, 1), 224, 32, "channels_last", False, None),
    ((128, 128, 3), 299, 75, "channels_last", False, "imagenet"),
    (None, 331, 32, "channels_last", True, None),
])
def test_obtain_input_shape_is_the_library_s(args):
    """segmentation_models calls keras_applications' ``imagenet_utils._obtain_input_shape``."""
    real = pytest.importorskip("keras_applications.imagenet_utils")._obtain_input_shape
    from shapelint.frontend.context import LibraryCall  # noqa: E402
    from shapelint.frontend.library import dispatch  # noqa: E402

    names = ("input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights")
    kwargs = dict(zip(names[1:], args[1:]))
    ours = dispatch(None, LibraryCall("keras_applications.imagenet_utils._obtain_input_shape",
                                      [args[0]], kwargs, None))
    assert ours == real(args[0], **kwargs)
