"""Projects of several modules: ``train.py`` imports ``build_model`` from
``models.py`` and fits it; the finding belongs to ``train.py``'s ``fit``.

fixtures/projects/labels_bad is such a project (integer labels given to a
categorical_crossentropy model built in the other module; Keras raises at
fit) and labels_good its fixed twin.  Both are also run under TensorFlow.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TF_ENVIRONMENT
from shapelint.engine import analyze_source

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "fixtures" / "projects"


def _cli(*args, cwd=ROOT):
    # this checkout's shapelint, whatever directory it runs in
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "shapelint", *args], capture_output=True, text=True,
                          cwd=cwd, check=False, env=env)


def test_finding_is_reported_at_the_fit_of_the_training_module():
    proc = _cli("--format", "json", "--no-cache", str(PROJECTS / "labels_bad"))
    assert proc.returncode == 1, proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    train, models = files["train.py"], files["models.py"]
    assert [(f["line"], f["symbol"]) for f in train["findings"]] == [(10, "label-encoding-mismatch")]
    assert "integer labels (16,) from np.random.randint(...) at line 7 for output (None, 10)" in train["findings"][0]["message"]
    assert train["layers"] == []  # the layers are models.py's, listed there
    assert models["findings"] == []
    assert [(layer["line"], layer["layer"], layer["output_shape"]) for layer in models["layers"]] == [
        (11, "Dense", [None, 32]), (12, "Dense", [None, 10])]


def test_fixed_twin_is_clean():
    proc = _cli("--no-cache", str(PROJECTS / "labels_good"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pylint_reports_it_in_the_training_module():
    proc = subprocess.run([sys.executable, "-m", "pylint", "--load-plugins=shapelint", "--disable=all",
                           "--enable=shapelint", "--output-format=json", "-j", "2", "models.py", "train.py"],
                          capture_output=True, text=True, cwd=PROJECTS / "labels_bad", check=False)
    messages = json.loads(proc.stdout)
    assert [(m["path"], m["line"], m["symbol"]) for m in messages] == [
        ("train.py", 10, "label-encoding-mismatch")]


def test_relative_imports_and_constants_of_a_package(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text("WIDTH = 24\nCHANNELS = 3\n")
    (package / "blocks.py").write_text(
        "from tensorflow.keras import layers\n\n\ndef head(x, units):\n    return layers.Dense(units)(x)\n")
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
              "from .config import WIDTH, CHANNELS\nfrom . import blocks\n\n"
              "inputs = keras.Input((WIDTH, WIDTH, CHANNELS))\n"
              "x = layers.Conv2D(8, 3)(inputs)\nx = layers.GlobalAveragePooling2D()(x)\n"
              "outputs = blocks.head(x, 4)\nmodel = keras.Model(inputs, outputs)\n")
    path = package / "model.py"
    path.write_text(source)
    result = analyze_source(source, str(path))
    assert [(layer.layer, layer.output_shape) for layer in result.layers] == [
        ("Conv2D", (None, 22, 22, 8)), ("GlobalAveragePooling2D", (None, 8))]
    assert result.dependencies == sorted(str(package / name) for name in ("__init__.py", "blocks.py",
                                                                           "config.py"))


def test_an_unreadable_or_circular_project_module_stays_unknown(tmp_path):
    (tmp_path / "a.py").write_text("from b import WIDTH\nimport keras\nx = keras.Input((WIDTH,))\n"
                                   "y = keras.layers.Dense(3)(x)\n")
    (tmp_path / "b.py").write_text("from a import y\nWIDTH = 5\n")
    (tmp_path / "c.py").write_text("from broken import WIDTH\nimport keras\nx = keras.Input((WIDTH,))\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    result = analyze_source((tmp_path / "a.py").read_text(), str(tmp_path / "a.py"))
    assert [layer.output_shape for layer in result.layers] == [(None, 3)] and not result.notes
    assert analyze_source((tmp_path / "c.py").read_text(), str(tmp_path / "c.py")).notes == []


def test_the_cache_follows_the_modules_a_file_imports(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECTS / "labels_bad", project)
    cache = tmp_path / "cache"
    first = _cli("--cache-dir", str(cache), "train.py", cwd=project)
    again = _cli("--cache-dir", str(cache), "train.py", cwd=project)
    assert first.returncode == again.returncode == 1 and first.stdout == again.stdout
    models = project / "models.py"
    models.write_text(models.read_text().replace('"categorical_crossentropy"', '"sparse_categorical_crossentropy"'))
    after = _cli("--cache-dir", str(cache), "train.py", cwd=project)
    assert after.returncode == 0, after.stdout  # not the stale cached finding


@pytest.mark.keras
@pytest.mark.parametrize("name, raises", [("labels_bad", True), ("labels_good", False)])
def test_tensorflow_agrees(name, raises):
    proc = subprocess.run([sys.executable, "train.py"], capture_output=True, text=True,
                          cwd=PROJECTS / name, check=False, timeout=600, env={**os.environ, **TF_ENVIRONMENT})
    if raises:
        assert proc.returncode != 0 and "ValueError" in proc.stderr, proc.stderr[-2000:]
    else:
        assert proc.returncode == 0, proc.stderr[-2000:]


# A checkout run from its root: ``nets/`` has no ``__init__.py`` (a namespace
# package), ``python -m nets.train`` imports ``nets.blocks``.  The blocks are
# only ever called from train.py.
_BLOCKS = '''\
from tensorflow.keras import layers


def conv_block(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", name=name + "_conv")(x)
    x = layers.BatchNormalization(name=name + "_bn")(x)
    return layers.MaxPooling2D(name=name + "_pool")(x)


def head(x, classes):
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return layers.Dense(classes, activation="softmax", name="probs")(x)
'''
_TRAIN = '''\
from tensorflow import keras

from nets.blocks import conv_block, head

inputs = keras.Input((32, 32, 3))
x = conv_block(inputs, 16, "b1")
x = conv_block(x, 32, "b2")
x = conv_block(x, 64, "b3")
outputs = head(x, 10)
model = keras.Model(inputs, outputs)
'''
# Keras' layer name suffix -> the line of blocks.py that constructs it.
_BLOCK_LINES = {"conv": 5, "bn": 6, "pool": 7, "gap": 11, "probs": 12}


@pytest.fixture(name="checkout")
def _checkout(tmp_path):
    nets = tmp_path / "nets"
    nets.mkdir()
    (nets / "blocks.py").write_text(_BLOCKS)
    (nets / "train.py").write_text(_TRAIN)
    return tmp_path


def _json_files(proc):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}


def test_a_package_without_init_files_is_followed_from_the_checkout_root(checkout):
    train = checkout / "nets" / "train.py"
    result = analyze_source(train.read_text(), str(train))
    assert result.dependencies == [str(checkout / "nets" / "blocks.py")]
    assert result.layers == []  # the layers are blocks.py's code
    shapes = {(r.line, r.output_shape) for r in result.elsewhere[str(checkout / "nets" / "blocks.py")]}
    assert (5, (None, 32, 32, 16)) in shapes and (12, (None, 10)) in shapes and len(shapes) == 11


def test_code_only_another_file_of_the_run_reaches_is_listed_with_that_file(checkout):
    files = _json_files(_cli("--format", "json", "--no-cache", "nets", cwd=checkout))
    blocks = files["blocks.py"]["layers"]
    assert blocks and all(row["via"] == os.path.join("nets", "train.py") and row["exact"] for row in blocks)
    assert files["train.py"]["layers"] == []
    # the same with two processes, and only when blocks.py is in the run
    assert _json_files(_cli("--format", "json", "--no-cache", "--jobs", "2", "nets", cwd=checkout)) == files
    alone = _json_files(_cli("--format", "json", "--no-cache", "nets/train.py", cwd=checkout))
    assert list(alone) == ["train.py"]
    # a cached run lists the same
    cache = checkout / "cache"
    first = _cli("--format", "json", "--cache-dir", str(cache), "nets", cwd=checkout)
    assert _json_files(first) == files
    assert _json_files(_cli("--format", "json", "--cache-dir", str(cache), "nets", cwd=checkout)) == files


@pytest.mark.keras
def test_the_rows_reached_from_the_other_file_are_keras_shapes(checkout):
    program = ("import json, runpy\n"
               "model = runpy.run_module('nets.train')['model']\n"
               "print(json.dumps([(l.name, type(l).__name__, list(l.output.shape), l.count_params())"
               " for l in model.layers[1:]]))\n")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=checkout,
                          check=False, timeout=600, env={**os.environ, **TF_ENVIRONMENT})
    assert proc.returncode == 0, proc.stderr[-2000:]
    keras_rows = sorted((_BLOCK_LINES[name.split("_")[-1]], cls, shape, params)
                        for name, cls, shape, params in json.loads(proc.stdout.splitlines()[-1]))
    files = _json_files(_cli("--format", "json", "--no-cache", "nets", cwd=checkout))
    ours = sorted((row["line"], row["layer"], row["output_shape"], row["params"])
                  for row in files["blocks.py"]["layers"])
    assert len(keras_rows) == 11 and ours == keras_rows


def test_a_library_named_package_is_read_only_beside_the_importer(tmp_path):
    """Keras' own sources import their siblings by the library's name
    (``from keras.src.applications import resnet``): such a sibling is the
    project's file; nothing else under that name is ever read."""
    from shapelint.frontend.project import find_module  # pylint: disable=import-outside-toplevel

    apps = tmp_path / "keras" / "src" / "applications"
    apps.mkdir(parents=True)
    layers_pkg = tmp_path / "keras" / "src" / "layers"
    layers_pkg.mkdir()
    (layers_pkg / "__init__.py").write_text("")
    for name in ("resnet.py", "resnet_v2.py"):
        (apps / name).write_text("")
    importer = str(apps / "resnet_v2.py")
    assert find_module("keras.src.applications.resnet", 0, importer) == str(apps / "resnet.py")
    assert find_module("keras.src.layers", 0, importer) is None
    assert find_module("keras.layers", 0, importer) is None
    assert find_module("keras.src.applications.resnet", 0, str(tmp_path / "user.py")) is None


_BUILDER = '''\
from tensorflow import keras
from tensorflow.keras import layers


def build(input_shape, classes):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.Flatten()(x)
    outputs = layers.Dense(classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
'''
_CALLER = '''\
from models import build

model = build((12, 12, 1), 4)
'''


def test_rows_of_a_builder_analysed_on_its_own_give_way_to_its_callers(tmp_path):
    """models.py alone: build() is analysed with its parameters as symbols
    (no size Keras would give); linted with train.py, which calls it, its
    rows are those of that call, the shapes Keras gives it."""
    (tmp_path / "models.py").write_text(_BUILDER)
    (tmp_path / "train.py").write_text(_CALLER)
    alone = _json_files(_cli("--format", "json", "--no-cache", "models.py", cwd=tmp_path))["models.py"]["layers"]
    assert [row["line"] for row in alone] == [7, 8, 9] and not any("via" in row for row in alone)
    both = _json_files(_cli("--format", "json", "--no-cache", "models.py", "train.py", cwd=tmp_path))
    assert [(row["line"], row["output_shape"], row["params"], row["via"]) for row in both["models.py"]["layers"]] == [
        (7, [None, 10, 10, 8], 80, "train.py"), (8, [None, 800], 0, "train.py"), (9, [None, 4], 3204, "train.py")]


@pytest.mark.keras
def test_the_callers_rows_are_keras_shapes(tmp_path):
    (tmp_path / "models.py").write_text(_BUILDER)
    (tmp_path / "train.py").write_text(_CALLER)
    program = ("import json, runpy\n"
               "model = runpy.run_path('train.py')['model']\n"
               "print(json.dumps([(list(l.output.shape), l.count_params()) for l in model.layers[1:]]))\n")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path,
                          check=False, timeout=600, env={**os.environ, **TF_ENVIRONMENT})
    assert proc.returncode == 0, proc.stderr[-2000:]
    both = _json_files(_cli("--format", "json", "--no-cache", "models.py", "train.py", cwd=tmp_path))
    assert [[row["output_shape"], row["params"]] for row in both["models.py"]["layers"]] == json.loads(
        proc.stdout.splitlines()[-1])
