"""shapelint.shapes.applications agrees with the real keras.applications.

Every backbone is built with ``weights=None`` (offline) and its output shape
and ``count_params()`` are compared with ``backbone_output``.  The models are
built inside ``keras.StatelessScope(initialize_variables=False)``: the layers,
the graph and the variable shapes are Keras' own, only the (slow) random
initialisation of the weight values is skipped -- ``test_stateless_build_counts_the_same``
checks that this changes nothing we compare.

Per model (at most four builds):

* ``include_top=False``, ``input_shape=None``, ``pooling=None``;
* ``include_top=False`` at a small odd size (the minimum + 1: 33, 72 for
  Xception, 76 for the Inception models), ``pooling="avg"``;
* ``include_top=False`` at a non-square size that is not a multiple of 32,
  (100, 161) -- (150, 201) for the 299-pixel models -- ``pooling="max"``;
* ``include_top=True``, ``classes=10`` at the default size.

For each pooled or top build the feature map (the input of the final
GlobalAverage/MaxPooling2D, or of VGG's Flatten) is compared too, so every
size checks the ``pooling=None`` output, the pooled output and the parameter
count.  The heaviest models (``HEAVY``) are built twice only: with the top at
the default size and without it at (100, 161).

The tests that build models ask for Keras (the ``keras`` fixture of
tests/conftest.py); the pure-Python ones at the end run without it.
"""
from __future__ import annotations

import warnings

import pytest

from conftest import lazy_keras
from shapelint.shapes import dims
from shapelint.shapes.applications import (
    BACKBONES,
    DEFAULT_INPUT_SIZE,
    MIN_INPUT_SIZE,
    backbone_error,
    backbone_output,
    known_backbones,
)

NAMES = [
    "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2",
    "VGG16", "VGG19", "MobileNet", "MobileNetV2", "MobileNetV3Small", "MobileNetV3Large",
    "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3",
    "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
    "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
    "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L",
    "DenseNet121", "DenseNet169", "DenseNet201", "InceptionV3", "InceptionResNetV2",
    "Xception", "ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge",
    "ConvNeXtXLarge", "NASNetMobile", "NASNetLarge",
]
HEAVY = {"ConvNeXtXLarge", "NASNetLarge", "EfficientNetB7", "EfficientNetV2L",
         "ResNet152", "ResNet152V2"}
POOLING_LAYERS = ("GlobalAveragePooling2D", "GlobalMaxPooling2D")


def build(name, data_format="channels_last", **kwargs):
    """The model, or the exception Keras raised while building it."""
    keras = lazy_keras()
    fn = getattr(keras.applications, name)
    old = keras.config.image_data_format()
    keras.config.set_image_data_format(data_format)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with keras.StatelessScope(initialize_variables=False):
                return fn(weights=kwargs.pop("weights", None), **kwargs)
    except Exception as exc:  # pylint: disable=broad-except
        return exc
    finally:
        keras.config.set_image_data_format(old)


def feature_map_shape(model):
    """Shape of the tensor the final pooling (or VGG's Flatten) reduces."""
    layers = model.layers
    for layer in reversed(layers):
        if type(layer).__name__ in POOLING_LAYERS:
            return tuple(layer.input.shape)
    for layer in reversed(layers):
        if type(layer).__name__ == "Flatten":
            return tuple(layer.input.shape)
    raise AssertionError(f"no pooling layer in {model.name}")


def keras_result(name, data_format="channels_last", **kwargs):
    keras = lazy_keras()
    model = build(name, data_format=data_format, **kwargs)
    try:
        if isinstance(model, Exception):
            return model, None
        return (tuple(model.output.shape), model.count_params()), model
    finally:
        keras.backend.clear_session()


def check(name, data_format="channels_last", **kwargs):
    """Build with Keras, compare with backbone_output (shape, params and the
    feature map of a pooled / top model)."""
    theirs, model = keras_result(name, data_format=data_format, **kwargs)
    ours = backbone_output(name, data_format=data_format, **kwargs)
    assert not isinstance(theirs, Exception), f"{name}{kwargs}: Keras raised {theirs!r}"
    assert ours == theirs, f"{name}{kwargs}: shapelint {ours}, Keras {theirs}"
    assert backbone_error(name, data_format=data_format, **kwargs) is None
    pooled = kwargs.get("include_top", True) or kwargs.get("pooling") in ("avg", "max")
    if pooled:
        fm = feature_map_shape(model)
        in_shape = tuple(model.input.shape[1:])
        want = backbone_output(name, include_top=False, input_shape=in_shape,
                               data_format=data_format)
        assert want is not None and want[0] == fm, (
            f"{name} {in_shape}: feature map shapelint {want and want[0]}, Keras {fm}")
    return model


def check_raises(name, data_format="channels_last", **kwargs):
    theirs, _ = keras_result(name, data_format=data_format, **kwargs)
    assert isinstance(theirs, Exception), f"{name}{kwargs}: Keras builds {theirs}"
    assert backbone_output(name, data_format=data_format, **kwargs) is None
    assert backbone_error(name, data_format=data_format, **kwargs), (
        f"{name}{kwargs}: Keras raises {theirs!r}, backbone_error says nothing")


def sizes(name):
    """(small odd square, non-square non-multiple of 32) input sizes."""
    lo = MIN_INPUT_SIZE[name] + 1
    big = (150, 201) if DEFAULT_INPUT_SIZE[name] == 299 else (100, 161)
    return (lo, lo), big


# --- every backbone ----------------------------------------------------------

def test_table_covers_the_list(keras):
    assert sorted(known_backbones()) == sorted(NAMES)
    for name in NAMES:
        assert callable(getattr(keras.applications, name))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.usefixtures("keras")
def test_backbone(name):
    default = DEFAULT_INPUT_SIZE[name]
    small, big = sizes(name)
    if name not in HEAVY:
        check(name, include_top=False)
        check(name, include_top=False, input_shape=small + (3,), pooling="avg")
        check(name, include_top=False, input_shape=big + (3,), pooling="max")
    else:
        check(name, include_top=False, input_shape=(100, 161, 3))
    model = check(name, include_top=True, classes=10)
    expected_input = (None, None, 3) if name.startswith("MobileNetV3") else (default, default, 3)
    assert tuple(model.input.shape[1:]) == expected_input


# --- other arguments ------------------------------------------------------------

def test_stateless_build_counts_the_same(keras):
    """Building with initialised weights gives the same counts and shapes."""
    for kwargs in ({"include_top": False, "input_shape": (97, 100, 3)},
                   {"include_top": True, "classes": 7}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = keras.applications.MobileNetV3Small(weights=None, **kwargs)
        theirs = (tuple(model.output.shape), model.count_params())
        keras.backend.clear_session()
        assert backbone_output("MobileNetV3Small", **kwargs) == theirs


@pytest.mark.parametrize("name,shape", [
    ("ResNet50", (3, 100, 161)),
    ("MobileNetV2", (3, 97, 100)),
    ("EfficientNetB0", (3, 75, 64)),
    ("InceptionV3", (3, 76, 150)),
])
@pytest.mark.usefixtures("keras")
def test_channels_first(name, shape):
    check(name, data_format="channels_first", include_top=False, input_shape=shape)


@pytest.mark.parametrize("name", ["DenseNet121", "ConvNeXtTiny", "NASNetMobile"])
@pytest.mark.usefixtures("keras")
def test_channels_first_refused(name):
    check_raises(name, data_format="channels_first", include_top=False,
                 input_shape=(3, 224, 224))


@pytest.mark.parametrize("name", [
    "MobileNetV3Small", "EfficientNetB0", "EfficientNetV2B0", "ConvNeXtTiny", "VGG16",
])
@pytest.mark.usefixtures("keras")
def test_one_input_channel(name):
    """The stem's parameters (and EfficientNet's Normalization) follow C."""
    check(name, include_top=False, input_shape=(64, 80, 1))


@pytest.mark.parametrize("name,shape", [
    ("ResNet50", (None, 100, 3)),
    ("ResNet50", (100, None, 3)),
    ("MobileNetV2", (None, 101, 3)),   # correct_pad: floor on the width
    ("MobileNetV3Small", (None, 57, 3)),
    ("EfficientNetB0", (None, 99, 3)),
    ("NASNetMobile", (None, 33, 3)),
    ("NASNetMobile", (None, None, 3)),  # _adjust_block takes another branch
])
@pytest.mark.usefixtures("keras")
def test_partly_unknown_sizes(name, shape):
    check(name, include_top=False, input_shape=shape)


@pytest.mark.parametrize("name,kwargs", [
    ("MobileNetV2", {"input_shape": (57, None, 3)}),     # correct_pad TypeError
    ("NASNetMobile", {"input_shape": (None, 57, 3)}),    # mismatched cell branches
    ("InceptionV3", {"input_shape": (74, 100, 3)}),      # below the minimum
    ("Xception", {"input_shape": (100, 70, 3)}),
    ("ResNet50", {"input_shape": (31, 64, 3)}),
    ("MobileNetV3Small", {"input_shape": (None, 8, 3)}),  # no check, conv hits 0
    ("ResNet50", {"input_shape": (64, 64)}),
    ("ResNet50", {"input_shape": (None, None, 3), "include_top": True}),
])
@pytest.mark.usefixtures("keras")
def test_keras_raises(name, kwargs):
    check_raises(name, **{"include_top": False, **kwargs})


@pytest.mark.parametrize("name,kwargs", [
    ("ResNet50", {"include_top": True, "classes": 10}),
    ("ResNet50", {"include_top": True, "input_shape": (200, 200, 3)}),
    ("ResNet50", {"include_top": False, "input_shape": (200, 200, 1)}),
    ("MobileNet", {"include_top": True, "input_shape": (200, 200, 3)}),
    ("NASNetMobile", {"include_top": False, "input_shape": (None, None, 3)}),
])
@pytest.mark.usefixtures("keras")
def test_imagenet_weights_checks(name, kwargs):
    """Keras checks these before it downloads anything."""
    check_raises(name, weights="imagenet", **kwargs)


def test_imagenet_accepts_square_mobilenet_defaults():
    # MobileNet takes 128..224 squares as its default size: no error.
    assert backbone_error("MobileNet", include_top=True, input_shape=(160, 160, 3),
                          weights="imagenet") is None
    assert backbone_output("MobileNet", include_top=True, input_shape=(160, 160, 3),
                           weights="imagenet") == ((None, 1000), 4253864)


@pytest.mark.parametrize("name,shape", [
    ("VGG16", (100, 161, 3)),       # Flatten: the head depends on the size
    ("MobileNet", (160, 160, 3)),
    ("MobileNetV3Large", (97, 120, 3)),
    ("EfficientNetB1", (33, 33, 3)),
])
@pytest.mark.usefixtures("keras")
def test_top_at_other_sizes(name, shape):
    check(name, include_top=True, input_shape=shape, classes=3)


# --- pure python ------------------------------------------------------------------

def test_unknown_name():
    assert backbone_output("ResNet18") is None
    assert backbone_error("ResNet18") is None


def test_pooling_and_defaults():
    assert backbone_output("ResNet50") == ((None, 1000), 25636712)
    assert backbone_output("ResNet50", include_top=False) == ((None, None, None, 2048), 23587712)
    assert backbone_output("ResNet50", include_top=False, pooling="avg") == ((None, 2048), 23587712)
    assert backbone_output("ResNet50", include_top=False, input_shape=(224, 224, 3)) == (
        (None, 7, 7, 2048), 23587712)
    assert backbone_output("NASNetMobile", include_top=False) == ((None, 7, 7, 1056), 4269716)


def test_symbolic_sizes():
    h, w = dims.symbol("h"), dims.symbol("w")
    for name in NAMES:
        out = backbone_output(name, include_top=False, input_shape=(h, w, 3))
        assert out is not None, name
        (_, fh, fw, c), params = out
        assert c == BACKBONES[name].channels
        assert params == (BACKBONES[name].params_notop)
        for hv, wv in ((224, 224), (100, 161), (257, 333)):
            want = backbone_output(name, include_top=False, input_shape=(hv, wv, 3))[0]
            assert (int(fh.subs({h: hv, w: wv})), int(fw.subs({h: hv, w: wv}))) == want[1:3], name
        top = backbone_output(name, include_top=True, input_shape=(h, w, 3), classes=5)
        assert top is not None and top[0] == (None, 5)
        assert (top[1] is None) == (name.startswith("VGG")), name


def test_minimum_sizes_recorded():
    assert MIN_INPUT_SIZE["InceptionV3"] == 75
    assert MIN_INPUT_SIZE["InceptionResNetV2"] == 75
    assert MIN_INPUT_SIZE["Xception"] == 71
    assert MIN_INPUT_SIZE["ResNet50"] == 32
    assert DEFAULT_INPUT_SIZE["NASNetLarge"] == 331
    assert [DEFAULT_INPUT_SIZE[f"EfficientNetB{i}"] for i in range(8)] == [
        224, 240, 260, 300, 380, 456, 528, 600]


# --- a backbone built for an input Keras refuses, as the program writes it ---

BACKBONE_CALLS = {
    "VGG16(weights='imagenet', include_top=True, input_shape=(150, 150, 3))": "include_top=True",
    "InceptionV3(weights='imagenet', include_top=False, input_shape=(64, 64, 3))": "at least 75x75",
    "ResNet50(weights='imagenet', include_top=False, input_shape=(28, 28, 1))": "3 channels",
    "MobileNetV2(include_top=False, input_shape=(28, 28, 3))": "at least 32x32",
    "Xception(weights=None, include_top=False, input_shape=(64, 64, 1))": "at least 71x71",
}
PROGRAM = "from tensorflow.keras import applications\n\nbase = applications.{call}\n"


@pytest.mark.parametrize("call", sorted(BACKBONE_CALLS))
def test_backbone_arguments_keras_refuses_are_reported(call):
    """Keras raises before it loads any weights (so no download): the
    finding is on that line, and quotes what Keras says."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    keras = lazy_keras()
    with pytest.raises(ValueError) as raised:
        eval(f"keras.applications.{call}", {"keras": keras})  # pylint: disable=eval-used
    keras.backend.clear_session()
    assert BACKBONE_CALLS[call] in str(raised.value)
    result = analyze_source(PROGRAM.format(call=call), "m.py")
    assert [(f.line, f.symbol) for f in result.findings] == [(3, "incompatible-input-shape")]
    said = " ".join(str(raised.value).splitlines()[0].split())  # Keras' own spacing aside
    assert said in " ".join(result.findings[0].message.split())


@pytest.mark.parametrize("call", [
    "VGG16(weights='imagenet', include_top=False, input_shape=(150, 150, 3))",
    "VGG16(weights='imagenet', include_top=True)",
    "ResNet50(weights=None, include_top=False, input_shape=(64, 64, 1))",
    "InceptionV3(weights='imagenet', include_top=False, input_shape=(75, 75, 3))",
    "MobileNetV2(include_top=False, input_shape=(96, 96, 3))",
])
def test_backbone_arguments_keras_accepts_are_not_reported(call):
    """The same calls with arguments Keras takes (checked by the table's own
    tests against the built models): no finding."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    name = call.split("(")[0]
    kwargs = eval(f"dict({call[len(name) + 1:-1]})")  # pylint: disable=eval-used
    assert backbone_error(name, **kwargs) is None
    assert not analyze_source(PROGRAM.format(call=call), "m.py").findings


# --- named layers inside a backbone (base.get_layer(name).output) ---------------

@pytest.mark.parametrize("name, input_shape", [
    ("VGG16", (224, 224, 3)), ("VGG16", (97, 130, 3)), ("VGG19", (64, 64, 1)),
    ("ResNet50", (512, 512, 3)), ("ResNet50", (75, 101, 3)), ("ResNet101", (64, 64, 3)),
    ("ResNet152", (97, 97, 3)),
    ("MobileNetV2", (128, 128, 3)), ("MobileNetV2", (97, 131, 3)), ("MobileNetV2", (224, 224, 3)),
])
def test_backbone_layer_outputs_are_keras(name, input_shape):
    """Every layer of the built model (weights=None: no download) whose
    name the table knows has Keras' output shape; the table knows every
    layer but the input, paddings, the final pooling and MobileNetV2's
    strided-block pads."""
    from shapelint.shapes.applications import backbone_layer_output  # pylint: disable=import-outside-toplevel

    keras = lazy_keras()
    model = getattr(keras.applications, name)(weights=None, include_top=False, input_shape=input_shape)
    try:
        unknown = []
        for layer in model.layers:
            ours = backbone_layer_output(name, layer.name, input_shape, include_top=False, weights=None)
            if ours is None:
                unknown.append(layer.name)
                continue
            assert ours == tuple(layer.output.shape), (layer.name, ours, tuple(layer.output.shape))
        assert all(n.endswith("_pad") or n.startswith("input") or n in ("conv1_pad", "pool1_pad")
                   for n in unknown), unknown
    finally:
        keras.backend.clear_session()


def test_backbone_layer_names_not_in_the_model_are_unknown():
    from shapelint.shapes.applications import backbone_layer_output  # pylint: disable=import-outside-toplevel

    for name, layer in [("VGG16", "block3_conv4"), ("ResNet50", "conv4_block7_out"), ("ResNet50", "conv3_block2_0_conv"),
                        ("MobileNetV2", "block_17_project"), ("MobileNetV2", "block_3_add"), ("Xception", "block1_conv1")]:
        assert backbone_layer_output(name, layer, (224, 224, 3), include_top=False) is None, (name, layer)


def test_get_layer_output_of_a_backbone_in_a_program():
    """The segmentation tutorial's encoder: MobileNetV2 cut at five named
    layers; an FCN head on VGG16's block5_pool; DeepLab's ResNet50 feature."""
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    source = """
import tensorflow as tf

base = tf.keras.applications.MobileNetV2(input_shape=[128, 128, 3], include_top=False)
outs = [base.get_layer(n).output for n in ["block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu",
                                            "block_13_expand_relu", "block_16_project"]]
ups = [tf.keras.layers.Conv2D(4, 1)(o) for o in outs]
vgg = tf.keras.applications.VGG16(include_top=False, input_shape=(224, 224, 3))
score = tf.keras.layers.Conv2D(21, 1)(vgg.get_layer("block5_pool").output)
res = tf.keras.applications.ResNet50(include_top=False, input_shape=(512, 512, 3))
feat = tf.keras.layers.Conv2D(8, 1)(res.get_layer("conv4_block6_2_relu").output)
other = tf.keras.layers.Conv2D(8, 1)(res.get_layer("no_such_layer").output)
"""
    result = analyze_source(source, "m.py")
    shapes = [(r.line, r.output_shape, r.exact) for r in result.layers]
    assert shapes == [(7, (None, 64, 64, 4), True), (7, (None, 32, 32, 4), True), (7, (None, 16, 16, 4), True),
                      (7, (None, 8, 8, 4), True), (7, (None, 4, 4, 4), True), (9, (None, 7, 7, 21), True),
                      (11, (None, 32, 32, 8), True)] + [(12, None, False)] * (len(shapes) == 9), shapes
