"""Fuzzing shapelint with generated Keras programs.

(a) ``test_random_programs_never_crash``: hypothesis builds random functional
    Keras programs as source text -- random Input shapes (rank 2-5, small
    sizes, some None axes), stacks of 2-8 layers from the families shapelint
    knows (Dense, Conv1D/2D/3D, pooling, global pooling, Flatten, Reshape,
    Dropout, BatchNormalization, LSTM/GRU/SimpleRNN, Embedding,
    Concatenate/Add/... of two branches, UpSampling, ZeroPadding, Cropping,
    and also transposed/separable/depthwise convolutions, Permute,
    RepeatVector, Bidirectional, TimeDistributed, LayerNormalization),
    spelled through every import style (``tf.keras.layers.X``, ``layers.X``,
    ``L.X``, ``from keras.layers import X [as Y]``, the Convolution2D /
    MaxPool2D / GlobalAvgPool1D aliases), one layer per line, ending in
    ``keras.Model(...)`` -- and half of them with junk: names never defined,
    strings where ints go, negative sizes, ``**opts``, calls on lists, loops.
    ``analyze_source`` must never raise and never leave a note (an internal
    error it swallowed).

(b) ``test_differential_against_tensorflow``: programs with arguments every
    Keras constructor accepts (shapes may still be wrong) run under real
    TensorFlow, all in one subprocess (tests/oracle_runner.py), and for each:

    * a build-time finding (incompatible-input-rank, non-positive-dimension,
      merge-shape-mismatch, reshape-size-mismatch) means TensorFlow raised,
      and never on a line TensorFlow built without complaint;
    * when TensorFlow raised, shapelint reported one of those findings on that
      line, or claimed no output shape there -- except where Keras refused an
      axis of size None (see ``_UNDEFINED_DIM``): counted, printed, not failed;
    * every output shape shapelint claims equals Keras' (an int axis must
      match, a None axis claims nothing, the rank must match), and the
      parameter counts agree where both are known.

    Hypothesis runs derandomized: it draws the 60 seeds of the programs, the
    same on every run.  Measured (hypothesis 6.170, keras 3.15.1, TF 2.21):
    60 programs, 26 raise in Keras, 231 claimed layer shapes compared (an
    ``exact`` claim must equal Keras' shape, None axes included), 27
    build-time findings, 0 Keras errors on a None axis shapelint is silent
    about, 0 disagreements.  A one-off run of 1,000 programs with 30% None
    axes: 441 raise in Keras, 3,930 claimed shapes (3,905 exact), 457
    build-time findings (134 undefined-feature-dimension), 3 silent
    undefined-axis errors, 0 disagreements.

(c) ``test_stdlib_is_left_alone`` / ``test_broken_snippets``: every .py file
    of the Python standard library (site-packages excluded) and ~20
    syntactically broken snippets give no exception, no note and no finding
    other than syntax-error.  shapelint parses a file with astroid *before*
    it looks for a Keras import, so the sweep costs the astroid parse of
    ~1,800 files (~65 s of CPU; ~35-45 s on 2 cores, one process per core).
    Measured: 1,790 files, 7 syntax-error (lib2to3 test data and deliberately
    bad-encoding files), 0 problems.
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import tokenize
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shapelint.engine import analyze_source
from shapelint.reporters import json_out

ROOT = Path(__file__).resolve().parent.parent
BUILD_FINDINGS = {
    "incompatible-input-rank",
    "non-positive-dimension",
    "merge-shape-mismatch",
    "undefined-feature-dimension",
    "reshape-size-mismatch",
}

# --------------------------------------------------------------------------
# The program generator
# --------------------------------------------------------------------------

Shape = Optional[Tuple[Optional[int], ...]]  # batch axis first; None: unknown


@dataclass(frozen=True)
class Program:
    source: str
    junk: bool
    # (line, description) of every generated layer line, for messages.
    layers: Tuple[Tuple[int, str], ...] = ()


class _RandomDraw:
    """The same choices from a ``random.Random`` seeded by hypothesis: the
    differential test wants many *different* programs in one batch, and
    hypothesis' own generation phase mutates one example into its
    neighbours."""

    def __init__(self, seed: int):
        self._random = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self._random.randint(lo, hi)

    def pick(self, seq):
        return self._random.choice(tuple(seq))

    def chance(self, percent: int) -> bool:
        return self._random.randrange(100) < percent


class _Draw:
    """The few choices the builder makes, drawn through hypothesis."""

    def __init__(self, draw):
        self._draw = draw

    def int(self, lo: int, hi: int) -> int:
        return self._draw(st.integers(lo, hi))

    def pick(self, seq):
        return self._draw(st.sampled_from(tuple(seq)))

    def chance(self, percent: int) -> bool:
        return self._draw(st.integers(0, 99)) < percent


def _conv_len(n, window, stride, padding, dilation=1):
    if n is None:
        return None
    if padding == "valid":
        return (n - dilation * (window - 1) - 1) // stride + 1
    return (n - 1) // stride + 1


def _prod(values):
    total = 1
    for v in values:
        if v is None:
            return None
        total *= v
    return total


def _divisors(n: int) -> List[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _tuple_src(values) -> str:
    values = tuple(values)
    if len(values) == 1:
        return f"({values[0]},)"
    return "(" + ", ".join(str(v) for v in values) + ")"


JUNK_VALUES = (
    "undefined_size",
    '"8"',
    "None",
    "-3",
    "0",
    "2.5",
    "(1,) * 9",
    "[]",
    "{}",
    "lambda: 3",
    "x",
    "cfg['units']",
    "len(undefined)",
    "True",
    '"same"',
    "3 if flag else 4",
    "*sizes",
)
JUNK_KWARGS = (
    "foo=undefined_thing",
    "name=None",
    "name=12",
    "dtype=undefined_dtype",
    "**opts",
    "input_shape=(3, 4)",
    "padding=undefined_pad",
    "activation=undefined_fn",
    "units=-1",
    "strides=0",
    "kernel_size='3'",
)
JUNK_STATEMENTS = (
    "x = x + 1",
    "x = x[:, 0]",
    "x = x[..., :2]",
    "x = tf.concat([x, x], axis=-1)",
    "x = undefined_block(x)",
    "x = [x, x]",
    "x, y = x, x",
    "x = None",
    "x = layers.Dense(4)",
    "x = layers.Dense(4)(x)(x)",
    "for i in range(3):\n    x = layers.Dense(4)(x)",
    "while flag:\n    x = layers.Dense(2)(x)",
    "if flag:\n    x = layers.Flatten()(x)\nelse:\n    x = layers.GlobalAveragePooling2D()(x)",
    "x = keras.ops.reshape(x, (-1, 4))",
    "x.shape = (3, 4)",
    "del x\nx = inputs",
    "x = layers.Dense(3)(x, training=True, mask=undefined)",
    "x = layers.Dense(3)()",
    "x = layers.Dense(3)(*xs)",
    "x = layers.Conv4D(3)(x)",
    "x = layers.Dense.from_config({})(x)",
    "x = layers.Reshape(x.shape[1:])(x)",
    "x = layers.Reshape((-1, -1))(x)",
    "x = layers.Concatenate()(x)",
    "x = layers.Add()([x])",
    "x = layers.concatenate(x, x)",
    "lam = layers.Lambda(lambda t: t * 2)\nx = lam(x)",
)
JUNK_INPUTS = (
    "shape=(0,)",
    "shape=(-2, 3)",
    "shape=None",
    'shape="abc"',
    "shape=(3.5,)",
    "shape=undefined_shape",
    "batch_shape=(None, 4)",
    "shape=(None,) * 3",
    "shape=[4, 4, 1]",
    "(8, 8, 3), batch_size=-1",
    "shape=(8, 8, 3), dtype='int32'",
    "shape=4",
    "",
)


class Builder:  # pylint: disable=too-many-instance-attributes,too-many-public-methods
    """Builds one program, tracking the tensor's shape well enough to pick
    layers that fit (most of the time) and Reshape targets that are right
    (most of the time)."""

    def __init__(self, g: _Draw, junk: bool, none_percent: int = 12):
        self.g = g
        self.junk = junk
        self.none_percent = none_percent
        self.imports: Dict[str, None] = {}  # ordered set of import lines
        self.bare: Dict[str, Dict[str, str]] = {}  # module -> {name: local}
        self.body: List[str] = []
        self.layer_lines: List[Tuple[int, str]] = []
        self.layers_mod = g.pick(("keras", "tensorflow.keras"))
        self.bare_mod = g.pick(("keras.layers", "tensorflow.keras.layers"))
        self.l_import = g.pick(("from keras import layers as L", "import keras.layers as L",
                                "from tensorflow.keras import layers as L"))
        spellings = ("tf", "keras", "layers", "L", "bare")
        first = g.pick(spellings)
        self.spellings = [first] + [s for s in spellings if s != first and g.chance(25)]
        self.counter = 0

    # -- spelling ------------------------------------------------------------
    def need(self, line: str) -> None:
        self.imports.setdefault(line, None)

    def ref(self, cls: str) -> str:
        how = self.g.pick(self.spellings)
        if how == "tf":
            self.need("import tensorflow as tf")
            return f"tf.keras.layers.{cls}"
        if how == "keras":
            self.need("import keras")
            return f"keras.layers.{cls}"
        if how == "layers":
            self.need(f"from {self.layers_mod} import layers")
            return f"layers.{cls}"
        if how == "L":
            self.need(self.l_import)
            return f"L.{cls}"
        names = self.bare.setdefault(self.bare_mod, {})
        if cls not in names:
            names[cls] = f"K{cls}" if self.g.chance(30) else cls
        return names[cls]

    def input_ref(self) -> str:
        how = self.g.pick(("keras", "tf", "layers", "bare", "bare_top"))
        if how == "keras":
            self.need("import keras")
            return "keras.Input"
        if how == "tf":
            self.need("import tensorflow as tf")
            return "tf.keras.Input"
        if how == "layers":
            self.need(f"from {self.layers_mod} import layers")
            return "layers.Input"
        if how == "bare":
            self.bare.setdefault(self.bare_mod, {})["Input"] = "Input"
            return "Input"
        self.need(f"from {self.layers_mod} import Input as KerasInput")
        return "KerasInput"

    def model_ref(self) -> str:
        how = self.g.pick(("keras", "tf", "models", "bare"))
        if how == "keras":
            self.need("import keras")
            return "keras.Model"
        if how == "tf":
            self.need("import tensorflow as tf")
            return "tf.keras.Model"
        if how == "models":
            self.need("import keras")
            return "keras.models.Model"
        self.need(f"from {self.layers_mod}.models import Model")
        return "Model"

    def emit(self, line: str, desc: Optional[str] = None) -> None:
        if desc is not None:
            self.layer_lines.append((len(self.body), desc))
        self.body.append(line)

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    # -- arguments -------------------------------------------------------------
    def spoil(self, args: List[str]) -> List[str]:
        """In junk mode, sometimes replace or add an argument."""
        if not self.junk or not self.g.chance(35):
            return args
        args = list(args)
        what = self.g.int(0, 2)
        if what == 0 and args:
            i = self.g.int(0, len(args) - 1)
            key = args[i].split("=", 1)[0] + "=" if "=" in args[i] else ""
            value = self.g.pick(JUNK_VALUES)
            args[i] = value if value.startswith("*") else key + value
        elif what == 1:
            extra = self.g.pick(JUNK_KWARGS)
            keys = {a.split("=", 1)[0] for a in args if "=" in a}
            if extra.split("=", 1)[0] not in keys:
                args.append(extra)
        else:
            args.insert(0, self.g.pick(JUNK_VALUES))
        # Positional arguments must come first for the text to parse.
        positional = [a for a in args if "=" not in a.split("(")[0] and not a.startswith("**")]
        keyword = [a for a in args if a not in positional]
        return positional + keyword

    def layer(self, cls: str, args: List[str], src: str, family: str) -> str:
        text = f"{self.ref(cls)}({', '.join(self.spoil(args))})({src})"
        self.emit(f"x = {text}", f"{cls} [{family}]")
        return text

    # -- the program -------------------------------------------------------------
    def input_shape(self) -> Tuple[Optional[int], ...]:
        rank = self.g.int(2, 5)
        g = self.g
        if rank == 2:
            sizes = [g.int(1, 32)]
        elif rank == 3:
            sizes = [g.int(1, 16), g.int(1, 8)]
        elif rank == 4:
            sizes = [g.int(1, 16), g.int(1, 16), g.int(1, 4)]
        else:
            sizes = [g.int(1, 8), g.int(1, 8), g.int(1, 8), g.int(1, 3)]
        out = []
        for i, size in enumerate(sizes):
            last = i == len(sizes) - 1 and rank > 2
            percent = self.none_percent // 4 if last else self.none_percent
            out.append(None if g.chance(percent) else size)
        return tuple(out)

    def build(self) -> Program:
        g = self.g
        if self.junk and g.chance(15):
            shape_src, shape = g.pick(JUNK_INPUTS), None
        else:
            dims = self.input_shape()
            shape_src = f"shape={_tuple_src('None' if d is None else d for d in dims)}"
            shape = (None,) + dims
        self.emit(f"inputs = {self.input_ref()}({shape_src})")
        self.emit("x = inputs")
        for _ in range(g.int(2, 8)):
            if self.junk and g.chance(12):
                self.need("import tensorflow as tf")
                self.need("import keras")
                self.need(f"from {self.layers_mod} import layers")
                for line in g.pick(JUNK_STATEMENTS).split("\n"):
                    self.emit(line)
                shape = None
                continue
            shape = self.add_layer(shape)
        model = self.model_ref()
        if g.chance(50):
            self.emit(f"model = {model}(inputs=inputs, outputs=x)")
        else:
            self.emit(f"model = {model}(inputs, x)")
        return self.program()

    def program(self) -> Program:
        head = list(self.imports)
        for module, names in self.bare.items():
            parts = [n if local == n else f"{n} as {local}" for n, local in names.items()]
            head.append(f"from {module} import {', '.join(parts)}")
        offset = len(head) + 1
        source = "\n".join(head + self.body) + "\n"
        return Program(source, self.junk, tuple((offset + i, d) for i, d in self.layer_lines))

    # -- layers ----------------------------------------------------------------
    FAMILIES = (
        "dense", "conv1", "conv2", "conv3", "pool1", "pool2", "pool3", "gpool1", "gpool2",
        "gpool3", "flatten", "reshape", "dropout", "batchnorm", "rnn", "embedding", "merge",
        "up1", "up2", "up3", "zpad1", "zpad2", "zpad3", "crop1", "crop2", "crop3",
        # Beyond the families above: more of what shapelint has rules for.
        "tconv1", "tconv2", "tconv3", "sep1", "sep2", "dw1", "dw2", "permute", "repeat",
        "bidir", "timedist", "layernorm",
    )

    @staticmethod
    def fits(family: str, shape: Shape) -> bool:
        if shape is None:
            return True
        rank = len(shape)
        if family[-1].isdigit():
            return rank == int(family[-1]) + 2
        if family == "rnn":
            return rank == 3
        if family in ("embedding", "repeat"):
            return rank == 2
        if family == "bidir":
            return rank == 3
        if family == "timedist":
            return rank >= 3
        return rank >= 2

    def add_layer(self, shape: Shape) -> Shape:
        g = self.g
        fitting = [f for f in self.FAMILIES if self.fits(f, shape)]
        family = g.pick(fitting if fitting and g.chance(95) else self.FAMILIES)
        method = getattr(self, "_" + family.rstrip("123"))
        k = int(family[-1]) if family[-1].isdigit() else 0
        try:
            new = method(shape, k) if k else method(shape)
        except _Lost:
            new = None
        if new is not None and (len(new) < 1 or any(d is not None and d <= 0 for d in new)):
            new = None  # Keras raises here; whatever follows is not built
        return new

    def _channels_first(self) -> bool:
        return self.g.chance(7)

    def _dense(self, shape):
        g = self.g
        units = g.int(1, 16)
        args = [g.pick((str(units), f"units={units}"))]
        if g.chance(30):
            args.append(f'activation="{g.pick(("relu", "softmax", "tanh"))}"')
        if g.chance(15):
            args.append("use_bias=False")
        self.layer("Dense", args, "x", "dense")
        if shape is None or len(shape) < 2:
            return None
        return shape[:-1] + (units,)

    def _window(self, k: int, lo: int, hi: int) -> Tuple[str, Tuple[int, ...]]:
        if k > 1 and self.g.chance(30):
            values = tuple(self.g.int(lo, hi) for _ in range(k))
            return _tuple_src(values), values
        v = self.g.int(lo, hi)
        if k == 1 and self.g.chance(15):
            return f"({v},)", (v,)
        return str(v), (v,) * k

    def _spatial(self, shape, k, first):
        """(spatial sizes, channels) of a rank-k+2 shape, or raise _Lost."""
        if shape is None or len(shape) != k + 2:
            raise _Lost()
        if first:
            return list(shape[2:]), shape[1]
        return list(shape[1:-1]), shape[-1]

    @staticmethod
    def _join(spatial, channels, first):
        if first:
            return (None, channels) + tuple(spatial)
        return (None,) + tuple(spatial) + (channels,)

    def _conv(self, shape, k):
        g = self.g
        cls = g.pick((f"Conv{k}D", f"Convolution{k}D"))
        filters = g.int(1, 8)
        ksrc, kernel = self._window(k, 1, 4)
        args = [str(filters), ksrc] if g.chance(60) else [f"filters={filters}", f"kernel_size={ksrc}"]
        strides = (1,) * k
        if g.chance(45):
            ssrc, strides = self._window(k, 1, 3)
            args.append(f"strides={ssrc}")
        paddings = ("valid", "same", "Same") + (("causal",) if k == 1 else ())
        padding = g.pick(paddings)
        if padding != "valid" or g.chance(50):
            args.append(f'padding="{padding}"')
        padding = padding.lower()
        dilation = (1,) * k
        if all(s == 1 for s in strides) and g.chance(20):
            d = g.int(1, 3)
            dilation = (d,) * k
            args.append(f"dilation_rate={d}")
        if filters % 2 == 0 and g.chance(8):
            args.append("groups=2")
        first = self._channels_first()
        if first:
            args.append('data_format="channels_first"')
        if g.chance(20):
            args.append('activation="relu"')
        self.layer(cls, args, "x", f"conv{k}")
        spatial, _ = self._spatial(shape, k, first)
        out = [_conv_len(n, w, s, "valid" if padding == "valid" else "same", d)
               for n, w, s, d in zip(spatial, kernel, strides, dilation)]
        return self._join(out, filters, first)

    def _tconv(self, shape, k):
        g = self.g
        cls = g.pick((f"Conv{k}DTranspose", f"Convolution{k}DTranspose"))
        filters = g.int(1, 8)
        ksrc, kernel = self._window(k, 1, 4)
        args = [str(filters), ksrc]
        stride = g.int(1, 3)
        if stride > 1 or g.chance(30):
            args.append(f"strides={stride}")
        padding = g.pick(("valid", "same"))
        args.append(f'padding="{padding}"')
        out_pad = None
        if stride > 1 and g.chance(30):
            out_pad = g.int(0, stride - 1)
            args.append(f"output_padding={out_pad}")
        dilation = 1
        if stride == 1 and g.chance(15):
            dilation = 2
            args.append("dilation_rate=2")
        self.layer(cls, args, "x", f"tconv{k}")
        spatial, _ = self._spatial(shape, k, False)
        out = []
        for n, kern in zip(spatial, kernel):
            span = (kern - 1) * dilation + 1
            if n is None:
                out.append(None)
            elif out_pad is None:
                out.append(n * stride if padding == "same" else (n - 1) * stride + max(span, stride))
            else:
                pad = 0 if padding == "valid" else span // 2
                out.append((n - 1) * stride + span - 2 * pad + out_pad)
        return self._join(out, filters, False)

    def _sep(self, shape, k):
        return self._depthwise(shape, k, separable=True)

    def _dw(self, shape, k):
        return self._depthwise(shape, k, separable=False)

    def _depthwise(self, shape, k, separable):
        g = self.g
        cls = f"SeparableConv{k}D" if separable else f"DepthwiseConv{k}D"
        filters = g.int(1, 8)
        ksrc, kernel = self._window(k, 1, 3)
        args = ([str(filters)] if separable else []) + [ksrc]
        stride = g.int(1, 2)
        if stride > 1:
            args.append(f"strides={stride}")
        padding = g.pick(("valid", "same"))
        args.append(f'padding="{padding}"')
        multiplier = g.int(1, 3)
        if multiplier > 1 or g.chance(20):
            args.append(f"depth_multiplier={multiplier}")
        self.layer(cls, args, "x", f"{'sep' if separable else 'dw'}{k}")
        spatial, channels = self._spatial(shape, k, False)
        out = [_conv_len(n, w, stride, padding) for n, w in zip(spatial, kernel)]
        if separable:
            return self._join(out, filters, False)
        return self._join(out, None if channels is None else channels * multiplier, False)

    def _permute(self, shape):
        g = self.g
        rank = len(shape) if shape is not None else g.int(3, 4)
        order = list(range(1, rank))
        for i in range(len(order) - 1, 0, -1):  # Fisher-Yates through the draws
            j = g.int(0, i)
            order[i], order[j] = order[j], order[i]
        src = _tuple_src(order)
        self.layer("Permute", [g.pick((src, f"dims={src}"))], "x", "permute")
        if shape is None:
            return None
        return (None,) + tuple(shape[i] for i in order)

    def _repeat(self, shape):
        n = self.g.int(1, 6)
        self.layer("RepeatVector", [str(n)], "x", "repeat")
        if shape is None or len(shape) != 2:
            return None
        return (None, n, shape[1])

    def _bidir(self, shape):
        g = self.g
        cell = g.pick(("LSTM", "GRU", "SimpleRNN"))
        units = g.int(1, 6)
        seq = g.chance(50)
        inner = f"{self.ref(cell)}({units}, return_sequences={seq})"
        mode = g.pick(("concat", "concat", "sum", "mul", "ave"))
        args = [inner] + ([f'merge_mode="{mode}"'] if mode != "concat" or g.chance(30) else [])
        self.layer("Bidirectional", args, "x", "bidir")
        if shape is None or len(shape) != 3:
            return None
        width = 2 * units if mode == "concat" else units
        return (None, shape[1], width) if seq else (None, width)

    def _timedist(self, shape):
        g = self.g
        units = g.int(1, 8)
        self.layer("TimeDistributed", [f"{self.ref('Dense')}({units})"], "x", "timedist")
        if shape is None or len(shape) < 3:
            return None
        return shape[:-1] + (units,)

    def _layernorm(self, shape):
        args = []
        if shape is not None and self.g.chance(25):
            args.append(f"axis={self.g.pick(tuple(range(1, len(shape))) + (-1,))}")
        self.layer("LayerNormalization", args, "x", "layernorm")
        return shape

    def _pool(self, shape, k):
        g = self.g
        kind = g.pick(("Max", "Average"))
        cls = g.pick((f"{kind}Pooling{k}D", f"{kind[:3] if kind == 'Max' else 'Avg'}Pool{k}D"))
        args = []
        pool = (2,) * k
        if kind == "Average" or g.chance(70):
            psrc, pool = self._window(k, 1, 3)
            args.append(g.pick((psrc, f"pool_size={psrc}")))
        strides = pool
        if g.chance(35):
            ssrc, strides = self._window(k, 1, 3)
            args.append(f"strides={ssrc}")
        padding = g.pick(("valid", "same"))
        if padding == "same" or g.chance(40):
            args.append(f'padding="{padding}"')
        first = self._channels_first()
        if first:
            args.append('data_format="channels_first"')
        self.layer(cls, args, "x", f"pool{k}")
        spatial, channels = self._spatial(shape, k, first)
        out = [_conv_len(n, w, s, padding) for n, w, s in zip(spatial, pool, strides)]
        return self._join(out, channels, first)

    def _gpool(self, shape, k):
        g = self.g
        kind = g.pick(("Max", "Average"))
        cls = g.pick((f"Global{kind}Pooling{k}D", f"Global{kind[:3] if kind == 'Max' else 'Avg'}Pool{k}D"))
        args = []
        keep = g.chance(12)
        if keep:
            args.append("keepdims=True")
        first = self._channels_first()
        if first:
            args.append('data_format="channels_first"')
        self.layer(cls, args, "x", f"gpool{k}")
        spatial, channels = self._spatial(shape, k, first)
        if keep:
            return self._join([1] * len(spatial), channels, first)
        return (None, channels)

    def _flatten(self, shape):
        self.layer("Flatten", [], "x", "flatten")
        if shape is None or len(shape) < 2:
            return None
        return (None, _prod(shape[1:]))

    def _reshape(self, shape):
        g = self.g
        size = _prod(shape[1:]) if shape is not None and len(shape) >= 2 else None
        mode = g.pick(("right", "right", "minus", "wrong"))
        if size is None or size <= 0:
            target = tuple(g.int(1, 6) for _ in range(g.int(1, 3)))
            if g.chance(50):
                target = target[:-1] + (-1,)
        else:
            a = g.pick(_divisors(size))
            rest = size // a
            b = g.pick(_divisors(rest))
            target = g.pick(((size,), (a, rest), (a, b, rest // b)))
            if mode == "minus":
                i = g.int(0, len(target) - 1)
                target = tuple(-1 if j == i else t for j, t in enumerate(target))
            elif mode == "wrong":
                i = g.int(0, len(target) - 1)
                target = tuple(t + g.int(1, 3) if j == i else t for j, t in enumerate(target))
        tsrc = _tuple_src(target)
        self.layer("Reshape", [g.pick((tsrc, f"target_shape={tsrc}"))], "x", "reshape")
        if size is None or size <= 0:
            return None if -1 in target else (None,) + target
        known = _prod(t for t in target if t != -1)
        if -1 in target:
            if size % known:
                return None
            return (None,) + tuple(size // known if t == -1 else t for t in target)
        return (None,) + target if known == size else None

    def _dropout(self, shape):
        g = self.g
        rate = g.pick(("0.1", "0.25", "0.5"))
        self.layer("Dropout", [g.pick((rate, f"rate={rate}"))], "x", "dropout")
        return shape

    def _batchnorm(self, shape):
        g = self.g
        args = []
        if shape is not None and g.chance(25):
            args.append(f"axis={g.pick(tuple(range(1, len(shape))) + (-1,))}")
        if g.chance(10):
            args.append("center=False")
        self.layer("BatchNormalization", args, "x", "batchnorm")
        return shape

    def _rnn(self, shape):
        g = self.g
        cls = g.pick(("LSTM", "GRU", "SimpleRNN"))
        units = g.int(1, 8)
        seq = g.chance(50)
        args = [g.pick((str(units), f"units={units}"))]
        if seq or g.chance(30):
            args.append(f"return_sequences={seq}")
        self.layer(cls, args, "x", "rnn")
        if shape is None or len(shape) != 3:
            return None
        return (None, shape[1], units) if seq else (None, units)

    def _embedding(self, shape):
        g = self.g
        vocab, dim = g.int(2, 50), g.int(1, 8)
        args = g.pick(([str(vocab), str(dim)], [f"input_dim={vocab}", f"output_dim={dim}"]))
        self.layer("Embedding", list(args), "x", "embedding")
        return None if shape is None else shape + (dim,)

    def _branch(self, shape) -> Tuple[str, Shape]:
        """One branch off ``x``: (variable, shape)."""
        g = self.g
        choices = ["identity", "dense", "dropout"]
        rank = None if shape is None else len(shape)
        if rank in (3, 4, 5):
            choices.append("conv")
        how = g.pick(choices)
        if how == "identity":
            return "x", shape
        name = self.fresh("branch")
        last = shape[-1] if shape is not None else None
        if how == "dense":
            units = last if last is not None and g.chance(60) else g.int(1, 8)
            self.emit(f"{name} = {self.ref('Dense')}({units})(x)", "Dense [branch]")
            return name, None if shape is None else shape[:-1] + (units,)
        if how == "dropout":
            self.emit(f"{name} = {self.ref('Dropout')}(0.1)(x)", "Dropout [branch]")
            return name, shape
        k = rank - 2
        filters = last if last is not None and g.chance(60) else g.int(1, 8)
        self.emit(f'{name} = {self.ref(f"Conv{k}D")}({filters}, 3, padding="same")(x)', f"Conv{k}D [branch]")
        return name, shape[:-1] + (filters,)

    def _merge(self, shape):
        g = self.g
        a, sa = self._branch(shape)
        b, sb = self._branch(shape)
        if a == b == "x":
            b, sb = self._branch(shape) if g.chance(50) else ("x", shape)
        kind = g.pick(("Concatenate", "Add", "Multiply", "Subtract", "Average", "Maximum"))
        args = []
        axis = -1
        if kind == "Concatenate" and shape is not None and g.chance(40):
            axis = g.pick(tuple(range(1, len(shape))) + tuple(range(-len(shape) + 1, 0)))
            args.append(f"axis={axis}")
        if g.chance(30):
            func = kind.lower()
            self.emit(f"x = {self.ref(func)}([{a}, {b}]{''.join(', ' + x for x in args)})", f"{func} [merge]")
        else:
            self.emit(f"x = {self.ref(kind)}({', '.join(args)})([{a}, {b}])", f"{kind} [merge]")
        if sa is None or sb is None or len(sa) != len(sb):
            return None
        if kind == "Concatenate":
            ax = axis % len(sa)
            if any(p != q for i, (p, q) in enumerate(zip(sa, sb)) if i != ax):
                return None
            return tuple(None if (p is None or q is None) else p + q if i == ax else p
                         for i, (p, q) in enumerate(zip(sa, sb)))
        return sa if sa == sb else None

    def _size_arg(self, k, lo, hi, name):
        """An int, a k-tuple, or (for pad/crop) pairs, and the per-axis totals."""
        g = self.g
        form = g.int(0, 2)
        if form == 0 or (k == 1 and name == "size"):
            v = g.int(lo, hi)
            return str(v), [v * (1 if name == "size" else 2)] * k
        if form == 1 or name == "size":
            values = [g.int(lo, hi) for _ in range(k)]
            if k == 1:
                values = [values[0], g.int(lo, hi)]
                return _tuple_src(values), [sum(values)]
            totals = values if name == "size" else [2 * v for v in values]
            return _tuple_src(values), totals
        pairs = [(g.int(lo, hi), g.int(lo, hi)) for _ in range(k)]
        if k == 1:
            return _tuple_src(pairs[0]), [sum(pairs[0])]
        return "(" + ", ".join(_tuple_src(p) for p in pairs) + ")", [sum(p) for p in pairs]

    def _up(self, shape, k):
        src, factors = self._size_arg(k, 1, 3, "size")
        self.layer(f"UpSampling{k}D", [self.g.pick((src, f"size={src}"))], "x", f"up{k}")
        spatial, channels = self._spatial(shape, k, False)
        return self._join([None if n is None else n * f for n, f in zip(spatial, factors)], channels, False)

    def _zpad(self, shape, k):
        src, totals = self._size_arg(k, 0, 2, "padding")
        self.layer(f"ZeroPadding{k}D", [self.g.pick((src, f"padding={src}"))], "x", f"zpad{k}")
        spatial, channels = self._spatial(shape, k, False)
        return self._join([None if n is None else n + t for n, t in zip(spatial, totals)], channels, False)

    def _crop(self, shape, k):
        src, totals = self._size_arg(k, 0, 2, "cropping")
        self.layer(f"Cropping{k}D", [self.g.pick((src, f"cropping={src}"))], "x", f"crop{k}")
        spatial, channels = self._spatial(shape, k, False)
        return self._join([None if n is None else n - t for n, t in zip(spatial, totals)], channels, False)


class _Lost(Exception):
    """The builder no longer knows the tensor's shape."""


@st.composite
def programs(draw, junk=None, none_percent: int = 12) -> Program:
    g = _Draw(draw)
    if junk is None:
        junk = g.chance(50)
    return Builder(g, junk, none_percent).build()


@st.composite
def seeded_programs(draw, junk=False, none_percent: int = 10) -> Program:
    return Builder(_RandomDraw(draw(st.integers(0, 2**32 - 1))), junk, none_percent).build()


def collect(strategy, n: int) -> List[Program]:
    """``n`` examples of ``strategy``, the same ones on every run."""
    found: List[Program] = []

    @settings(max_examples=n, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def gather(program):
        found.append(program)

    gather()  # pylint: disable=no-value-for-parameter
    return found


# --------------------------------------------------------------------------
# (a) never crash
# --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_random_programs_never_crash(program):
    result = analyze_source(program.source, "<fuzz>")
    assert not result.notes, f"{result.notes}\n--- program ---\n{program.source}"
    for finding in result.findings:
        assert finding.line >= 1 and finding.message, finding
    json.loads(json_out.render([result]))  # every claimed shape serialises


# --------------------------------------------------------------------------
# (b) differential test against TensorFlow
# --------------------------------------------------------------------------

# Regression examples: disagreements the fuzzer found that are shapelint bugs
# (kept here, run with the generated programs).  Empty: none so far.
REGRESSIONS: List[str] = []

N_DIFFERENTIAL = 60


def _matches(ours, theirs) -> bool:
    if theirs is None or len(ours) != len(theirs):
        return False
    return all(o is None or isinstance(o, str) or o == t for o, t in zip(ours, theirs))


# Keras refuses to build weights over an axis whose size is None (Dense or
# BatchNormalization on a None feature axis, a convolution over None
# channels, a separable one's depth).  shapelint reports it
# (undefined-feature-dimension) where the None is known to be Keras' own
# (an exact shape) and the layer declares the axes its weights read; where
# not, it is silent: a missed error, not a false claim.  Those silences are
# counted (and printed with -s), not failed.
_UNDEFINED_DIM = re.compile(
    r"must be fully-defined \(no `None` dimensions\)"
    r"|unsupported operand type\(s\) for .: '(NoneType' and 'int|int' and 'NoneType)'"
    r"|should be defined\. Found `?None`?"
    r"|should have a defined dimension"
)


def disagreements(result, run) -> Tuple[List[str], List[str]]:
    """What shapelint says about one program that Keras contradicts, and the
    Keras errors on an undefined (None) axis shapelint is silent about."""
    problems = []
    error = run["error"]
    built = {}
    for rec in run["layers"]:
        built.setdefault((rec["line"], rec["col"], rec["class"]), []).append(rec)
    built_lines = {rec["line"] for rec in run["layers"]}

    # Shapes and parameter counts shapelint claims.
    for layer in result.layers:
        js = layer.to_json()
        if js["output_shape"] is None:
            continue
        recs = built.get((js["line"], js["col"], js["layer"]))
        if not recs:
            if error is None:
                problems.append(f"line {js['line']}: shapelint claims {js['layer']} "
                                f"{js['output_shape']} but Keras built no such layer there")
            continue
        if not any(_matches(js["output_shape"], r["output_shapes"][0]) for r in recs):
            problems.append(f"line {js['line']} {js['layer']}: shapelint {js['output_shape']} "
                            f"vs Keras {[r['output_shapes'][0] for r in recs]}")
        elif js["exact"] and not any(js["output_shape"][1:] == r["output_shapes"][0][1:] for r in recs):
            problems.append(f"line {js['line']} {js['layer']}: shapelint claims exactly {js['output_shape']} "
                            f"vs Keras {[r['output_shapes'][0] for r in recs]}")
        if js["params"] is not None and not any(r["params"] in (None, js["params"]) for r in recs):
            problems.append(f"line {js['line']} {js['layer']}: params {js['params']} "
                            f"vs Keras {[r['params'] for r in recs]}")

    # Build-time findings against what TensorFlow did.
    build = [f for f in result.findings if f.symbol in BUILD_FINDINGS]
    for finding in build:
        if error is None:
            problems.append(f"line {finding.line}: shapelint reports {finding.symbol} "
                            f"({finding.message}) but Keras built the model")
        elif finding.line in built_lines and finding.line != error["line"]:
            problems.append(f"line {finding.line}: shapelint reports {finding.symbol} "
                            f"({finding.message}) on a line Keras built")
    silences = []
    if error is not None:
        line = error["line"]
        reported = any(f.line == line for f in build)
        here = [layer for layer in result.layers if layer.line == line and layer.output_shape is not None]
        claims = [(layer.layer, layer.to_json()["output_shape"]) for layer in here]
        text = f"line {line}: Keras raised {error['type']}: {error['message'].splitlines()[0][:300]}"
        if not reported and claims:
            if _UNDEFINED_DIM.search(error["message"]) and any(
                    s is not None and None in tuple(s)[1:] for layer in here for s in layer.input_shapes):
                silences.append(f"{text} -- shapelint is silent (an undefined axis) and claims {claims}")
            else:
                problems.append(f"{text} -- shapelint reports nothing there and claims {claims}")
    return problems, silences


def run_oracle(sources: List[str], directory: Path) -> Tuple[List[Path], dict]:
    paths = []
    for i, source in enumerate(sources):
        path = directory / f"prog_{i:04d}.py"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    out = directory / "oracle.json"
    cmd = [sys.executable, str(ROOT / "tests" / "oracle_runner.py"), str(out)] + [str(p) for p in paths]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1500, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out, encoding="utf-8") as handle:
        return paths, json.load(handle)


@pytest.mark.keras
def test_differential_against_tensorflow(tmp_path):
    generated = collect(seeded_programs(), N_DIFFERENTIAL)
    sources = [p.source for p in generated] + REGRESSIONS
    paths, oracle = run_oracle(sources, tmp_path)
    failures, stats = [], {"programs": len(sources), "raised": 0, "compared": 0, "findings": 0,
                          "undefined_axis_silent": 0}
    for path, source in zip(paths, sources):
        result = analyze_source(source, str(path))
        run = oracle[str(path)]
        assert not result.notes, result.notes
        stats["raised"] += run["error"] is not None
        stats["findings"] += sum(f.symbol in BUILD_FINDINGS for f in result.findings)
        stats["compared"] += sum(1 for layer in result.layers if layer.output_shape is not None)
        problems, silences = disagreements(result, run)
        stats["undefined_axis_silent"] += len(silences)
        for silence in silences:
            print(f"{path.name}: {silence}")
        if problems:
            failures.append(f"{path.name}:\n  " + "\n  ".join(problems) + "\n--- program ---\n" + source)
    print(f"differential: {stats}, disagreements: {len(failures)}")
    assert not failures, "\n\n".join(failures)


# --------------------------------------------------------------------------
# (c) code that is not Keras
# --------------------------------------------------------------------------


def _stdlib_files() -> List[str]:
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "dist-packages"))
        files.extend(os.path.join(directory, f) for f in sorted(filenames) if f.endswith(".py"))
    return files


def _read_source(path: str) -> str:
    try:
        with tokenize.open(path) as handle:  # honours coding cookies and BOMs
            return handle.read()
    except (SyntaxError, UnicodeDecodeError, LookupError):
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()


def _sweep(paths: List[str]) -> Tuple[List[Tuple[str, str]], int]:
    """(path, problem) for every file shapelint mishandles, and the number
    of files it reports a syntax error in."""
    problems, syntax_errors = [], 0
    for path in paths:
        try:
            result = analyze_source(_read_source(path), path)
        except Exception as exc:  # pylint: disable=broad-except
            problems.append((path, f"raised {type(exc).__name__}: {exc}"))
            continue
        if result.notes:
            problems.append((path, f"notes {result.notes}"))
        for finding in result.findings:
            if finding.symbol != "syntax-error":
                problems.append((path, f"finding {finding.symbol} line {finding.line}"))
        syntax_errors += any(f.symbol == "syntax-error" for f in result.findings)
    return problems, syntax_errors


def test_stdlib_is_left_alone():
    files = _stdlib_files()
    assert len(files) > 500
    jobs = max(1, min(os.cpu_count() or 1, 8))
    chunks = [files[i::jobs * 4] for i in range(jobs * 4)]
    with ProcessPoolExecutor(jobs) as pool:
        outcomes = list(pool.map(_sweep, chunks))
    problems = [p for chunk, _ in outcomes for p in chunk]
    print(f"stdlib: {len(files)} files, {sum(n for _, n in outcomes)} with syntax-error, "
          f"{len(problems)} problems")
    assert not problems, "\n".join(f"{p}: {why}" for p, why in problems)


BROKEN_SNIPPETS = (
    "import keras\nx = keras.layers.Dense(3\n",
    "from keras import layers\ndef f(:\n    pass\n",
    "import tensorflow as tf\nmodel = tf.keras.Sequential([\n    tf.keras.layers.Dense(3),\n",
    "from keras.layers import Dense\nx = Dense(3)(x))\n",
    "import keras\n\tx = 1\n  y = 2\n",
    "import keras\nif True:\nx = keras.Input((3,))\n",
    "from tensorflow.keras import layers\nlayers.Conv2D(8, 3, padding='same'\nx = 2\n",
    "import keras\nx = 'unterminated\n",
    'import keras\ns = """never closed\n',
    "import keras\nx = keras.Input(shape=(3,)) +\n",
    "import keras\nclass M(keras.Model)\n    pass\n",
    "from keras import *\nx = Dense(3)(Input((4,)) for\n",
    "import keras\nlambda x: return x\n",
    "import keras\nx = [1, 2, 3}\n",
    "import keras\nprint 'python 2'\n",
    "import keras\nx = 1 = 2\n",
    "import keras\ndef f():\nreturn 1\n",
    "import keras\n@\ndef f(): pass\n",
    "import keras\nx = f(**)\n",
    "import keras\n\x00\n",
    "import keras\nx = 0777\n",
    "import keras\nasync = 3\nawait x\n",
    "from keras import layers\nx = layers.Dense(3)(x) if else y\n",
    "\ufeffimport keras\n)",
)


@pytest.mark.parametrize("source", BROKEN_SNIPPETS, ids=range(len(BROKEN_SNIPPETS)))
def test_broken_snippets(source):
    result = analyze_source(source, "<broken>")
    assert not result.notes, result.notes
    assert [f.symbol for f in result.findings] == ["syntax-error"], result.findings
    finding = result.findings[0]
    assert finding.line >= 1 and finding.col >= 0
