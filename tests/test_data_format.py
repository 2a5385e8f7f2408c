"""``keras.backend.set_image_data_format("channels_first")`` (or
``keras.config.``): every layer built after it without a data_format of its
own takes it -- Keras reads the global setting in the layer's constructor.
Each program runs under Keras (the setting is put back after each run: the
oracle runs them in one process); every exact claim is one Keras makes."""
from __future__ import annotations

import pytest

import keras_programs

pytest.importorskip("tensorflow")

RESET = "\nimport keras as _k\n_k.config.set_image_data_format('channels_last')\n"

PROGRAMS = {
    # the Coursera FaceNet pattern: the module sets it, then builds
    "backend_channels_first": ("""
    from tensorflow.keras import backend as K
    from tensorflow.keras.layers import Input, Conv2D, ZeroPadding2D, MaxPooling2D, Flatten, Dense
    from tensorflow.keras.models import Model

    K.set_image_data_format('channels_first')
    x_in = Input((3, 32, 32))
    x = ZeroPadding2D((3, 3))(x_in)
    x = Conv2D(8, 3)(x)
    x = MaxPooling2D()(x)
    x = Flatten()(x)
    out = Dense(2)(x)
    model = Model(x_in, out)
    """, RESET),
    # keras.config, a Sequential, global pooling and upsampling
    "config_channels_first": ("""
    import keras
    from keras import layers

    keras.config.set_image_data_format("channels_first")
    model = keras.Sequential([
        keras.Input((1, 28, 28)),
        layers.Conv2D(4, 5, padding="same"),
        layers.UpSampling2D(),
        layers.Conv2D(6, 3, strides=2),
        layers.GlobalAveragePooling2D(),
        layers.Dense(3),
    ])
    """, RESET),
    # set back to channels_last: layers built after it are channels_last again;
    # an explicit data_format wins over the setting
    "set_back": ("""
    import keras
    from keras import layers

    keras.config.set_image_data_format("channels_first")
    first = layers.Conv2D(4, 3)
    keras.config.set_image_data_format("channels_last")
    inputs = keras.Input((3, 16, 16))
    x = first(inputs)
    x = layers.Conv2D(2, 3, data_format="channels_first")(x)
    y = layers.Conv2D(5, 3)(keras.Input((16, 16, 3)))
    """, RESET),
}

# (program, line, class): every application there known and exact.
KNOWN = [
    ("backend_channels_first", 7, "ZeroPadding2D"), ("backend_channels_first", 8, "Conv2D"),
    ("backend_channels_first", 9, "MaxPooling2D"), ("backend_channels_first", 11, "Dense"),
    ("config_channels_first", 7, "Conv2D"), ("config_channels_first", 8, "UpSampling2D"),
    ("config_channels_first", 9, "Conv2D"), ("config_channels_first", 10, "GlobalAveragePooling2D"),
    ("config_channels_first", 11, "Dense"),
    ("set_back", 8, "Conv2D"), ("set_back", 9, "Conv2D"), ("set_back", 10, "Conv2D"),
]

programs_fixture = keras_programs.programs_fixture(PROGRAMS, "data_format")
test_exact_claims_are_keras = keras_programs.claims_test(PROGRAMS, KNOWN)


def test_a_setting_the_code_does_not_show_makes_no_claim(tmp_path):
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    source = ("import os\nimport keras\nfrom keras import layers\n\n"
              "keras.config.set_image_data_format(os.environ['FORMAT'])\n"
              "y = layers.Conv2D(5, 3)(keras.Input((3, 16, 16)))\n")
    (row,) = analyze_source(source, str(tmp_path / "m.py")).layers
    assert row.output_shape is None or not row.exact
