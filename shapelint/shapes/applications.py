"""The ``keras.applications`` backbones, without importing Keras.

``backbone_output(name, ...)`` gives what ``keras.applications.<name>(...)``
builds: the model's output shape (batch axis ``None`` first) and its
``count_params()``.  Everything is pure Python:

* the output channels and the parameter counts (``include_top=False``, three
  input channels) are constants measured from Keras 3.15 with
  ``weights=None``;
* the spatial size of the feature map is computed by replaying, for each
  architecture, the chain of (kernel, stride, padding) reductions that its
  Keras source applies -- including ``imagenet_utils.correct_pad``, whose
  padding depends on the parity of the size it sees, and NASNet's
  ``_adjust_block``, whose branch depends on the sizes of two tensors -- so
  odd sizes give exactly Keras' numbers;
* the argument checks Keras makes (``obtain_input_shape``, minimum sizes,
  ``channels_first`` refusals, ``weights="imagenet"`` constraints) are
  mirrored; ``backbone_error`` returns the reason Keras would raise.

Dimensions follow ``shapes.dims``: an ``int``, ``None`` or a symbolic
size (``shapes.sizeexpr``).  A ``None`` spatial size stays ``None``; a symbolic one gives a
symbolic output size (and ``None`` parameters where they depend on it).

Only the architecture arguments shared by all backbones are modelled
(``alpha``, ``depth_multiplier``, ``minimalistic``... keep their defaults).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from shapelint.shapes import dims
from shapelint.shapes.dims import Dim

__all__ = [
    "Backbone",
    "BACKBONES",
    "DEFAULT_INPUT_SIZE",
    "MIN_INPUT_SIZE",
    "backbone_output",
    "backbone_error",
    "default_input_size",
    "min_input_size",
    "known_backbones",
]


# --------------------------------------------------------------------------
# Spatial programs.  An op is applied to one spatial axis:
#   ("v", k, s, pad): ZeroPadding2D adding ``pad`` in total, then a "valid"
#                     window ``k`` with stride ``s``: floor((d+pad-k)/s)+1
#   ("s", s):         a "same" window with stride ``s``: ceil(d/s)
#   ("c",):           ZeroPadding2D(correct_pad(x, k)) then a "valid" window
#                     k (odd), stride 2: ceil(d/2) -- but floor(d/2) on the
#                     width axis when the height is None (correct_pad then
#                     assumes an even size for both axes).
# --------------------------------------------------------------------------

def _v(k: int, s: int, pad: int = 0) -> tuple:
    return ("v", k, s, pad)


_S2 = ("s", 2)
_CP = ("c",)

_PROGRAMS: Dict[str, Tuple[tuple, ...]] = {
    # conv1 (pad 3, 7x7/2), pool1 (pad 1, 3x3/2), then the 1x1/2 (v1) or
    # pad-1 3x3/2 + MaxPooling2D(1, 2) shortcut (v2) of three stages.
    "resnet": (_v(7, 2, 6), _v(3, 2, 2), _v(1, 2), _v(1, 2), _v(1, 2)),
    "vgg": (_v(2, 2),) * 5,
    # conv1 "same"/2, then four ZeroPadding2D(((0,1),(0,1))) + 3x3/2 valid.
    "mobilenet": (_S2,) + (_v(3, 2, 1),) * 4,
    "mobilenet_v2": (_S2,) + (_CP,) * 4,
    "mobilenet_v3": (_S2,) + (_CP,) * 4,
    "efficientnet": (_CP,) * 5,
    "efficientnet_v2": (_S2,) * 5,
    # conv1, pool1, then three transition AveragePooling2D(2, 2).
    "densenet": (_v(7, 2, 6), _v(3, 2, 2)) + (_v(2, 2),) * 3,
    # 3x3/2 v, 3x3 v, (3x3 same), pool 3x3/2, (1x1), 3x3 v, pool 3x3/2,
    # then the two grid reductions (3x3/2 valid conv and max pool).
    "inception": (_v(3, 2), _v(3, 1), _v(3, 2), _v(3, 1), _v(3, 2), _v(3, 2),
                  _v(3, 2)),
    "xception": (_v(3, 2), _v(3, 1)) + (_S2,) * 4,
    # stem 4x4/4 valid, three 2x2/2 valid downsampling convs.
    "convnext": (_v(4, 4),) + (_v(2, 2),) * 3,
}

# Families whose Keras code calls imagenet_utils.correct_pad (it raises a
# TypeError when the height is known and the width is None).
_CORRECT_PAD = {"mobilenet_v2", "mobilenet_v3", "efficientnet", "nasnet"}


class _KerasRaises(Exception):
    """Keras would raise while building the model."""


class _Unsure(Exception):
    """The outcome cannot be told (symbolic sizes, unmodelled case)."""


def _positive(d: Dim) -> Dim:
    if isinstance(d, int) and d <= 0:
        raise _KerasRaises(
            "Computed output size would be zero or negative "
            f"(a spatial dimension reaches {d}); the input is too small"
        )
    return d


def _ceil_half(d: Dim) -> Dim:
    return dims.floordiv(dims.add(d, 1), 2)


def _apply_op(op: tuple, d: Dim, floor_cpad: bool) -> Dim:
    if d is None:
        return None
    kind = op[0]
    if kind == "v":
        _, k, s, pad = op
        out = dims.add(dims.floordiv(dims.sub(dims.add(d, pad), k), s), 1)
    elif kind == "s":
        s = op[1]
        out = dims.floordiv(dims.add(d, s - 1), s)
    else:  # "c"
        out = dims.floordiv(d, 2) if floor_cpad else _ceil_half(d)
    return _positive(out)


def _run_program(program: Sequence[tuple], h: Dim, w: Dim,
                 correct_pad: bool) -> Tuple[Dim, Dim]:
    floor_w = correct_pad and h is None and w is not None
    for op in program:
        h = _apply_op(op, h, False)
        w = _apply_op(op, w, floor_w)
    return h, w


# --------------------------------------------------------------------------
# NASNet: the reduction/normal cells and _adjust_block, replayed on sizes.
# --------------------------------------------------------------------------

def _merge_add(a: Dim, b: Dim) -> Dim:
    """One axis of layers.add (Keras broadcasts a 1)."""
    if a is None or b is None:
        return None
    eq = dims.equal(a, b)
    if eq:
        return a
    if a == 1:
        return b
    if b == 1:
        return a
    if eq is None:
        raise _Unsure()
    raise _KerasRaises(f"Inputs have incompatible shapes ({a} vs {b}) in a NASNet cell")


def _merge_concat(values: Sequence[Dim]) -> Dim:
    first = values[0]
    for v in values[1:]:
        if first is None and v is None:
            continue
        if first is None or v is None:
            raise _KerasRaises("A `Concatenate` layer requires inputs with matching shapes")
        eq = dims.equal(first, v)
        if eq is None:
            raise _Unsure()
        if not eq:
            raise _KerasRaises(
                "A `Concatenate` layer requires inputs with matching shapes "
                f"({first} vs {v}) in a NASNet cell"
            )
    return first


def _differs(a: Dim, b: Dim) -> bool:
    """Python's ``a != b`` on two Keras dimensions (symbolic: provable)."""
    if a is None or b is None:
        return not (a is None and b is None)
    eq = dims.equal(a, b)
    return eq is not True


def _nasnet_spatial(h: Dim, w: Dim, num_blocks: int, skip_reduction: bool
                    ) -> Tuple[Tuple[Dim, Dim], Tuple[str, ...]]:
    """Feature-map size and the branch each _adjust_block took."""
    floor_w = h is None and w is not None
    decisions: List[str] = []

    def cp(x):  # correct_pad + valid, stride 2
        return (_positive(None if x[0] is None else _ceil_half(x[0])),
                _positive(None if x[1] is None else
                          (dims.floordiv(x[1], 2) if floor_w else _ceil_half(x[1]))))

    def half(x):  # AveragePooling2D((1, 1), strides=2): ceil(d/2)
        return tuple(None if d is None else _ceil_half(d) for d in x)

    def add(a, b):
        return tuple(_merge_add(x, y) for x, y in zip(a, b))

    def concat(*xs):
        return tuple(_merge_concat([x[i] for x in xs]) for i in range(2))

    def adjust(p, ip):
        if p is None:
            decisions.append("same")
            return ip
        if _differs(p[1], ip[1]):  # p.shape[-2] != ip.shape[-2]: the width
            decisions.append("reduce")
            return half(p)
        decisions.append("keep")
        return p

    def reduction(ip, p):
        p = adjust(p, ip)
        x1 = add(cp(ip), cp(p))
        x2 = add(cp(ip), cp(p))  # max pool on correct_pad(h, 3) | sep conv
        x3 = add(cp(ip), cp(p))
        x4 = add(x2, x1)  # 3x3 "same" average pool of x1
        x5 = add(x1, cp(ip))
        return concat(x2, x3, x4, x5), ip

    def normal(ip, p):
        p = adjust(p, ip)
        x1 = add(ip, p)
        x2 = add(p, p)
        x3 = add(ip, p)
        x4 = add(p, p)
        x5 = add(ip, ip)
        return concat(p, x1, x2, x3, x4, x5), ip

    x = (_apply_op(_v(3, 2), h, False), _apply_op(_v(3, 2), w, False))
    p = None
    x, p = reduction(x, p)
    x, p = reduction(x, p)
    for _ in range(2):
        for _ in range(num_blocks):
            x, p = normal(x, p)
        x, p0 = reduction(x, p)
        p = p if skip_reduction else p0
    for _ in range(num_blocks):
        x, p = normal(x, p)
    return x, tuple(decisions)


# --------------------------------------------------------------------------
# The table.
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Backbone:
    """One keras.applications function: sizes, channels and measured counts."""

    name: str
    family: str
    default_size: int
    min_size: int
    channels: int          # channels of the final feature map
    params_notop: int      # count_params(), include_top=False, 3 channels
    params_per_channel: int  # extra params per extra input channel
    # MobileNetV3: the 1x1 conv between pooling and logits.
    last_point_ch: int = 0
    # NASNet: params when the spatial sizes are None (another _adjust_block
    # branch is taken), and the cell layout.
    params_notop_unknown_size: int = 0
    nasnet_blocks: int = 0
    nasnet_skip_reduction: bool = False
    channels_last_only: bool = False


def _bb(name, family, default_size, channels, params, slope, min_size=32, **kw):
    return Backbone(name, family, default_size, min_size, channels, params,
                    slope, **kw)


_ROWS = [
    _bb("ResNet50", "resnet", 224, 2048, 23587712, 3136),
    _bb("ResNet101", "resnet", 224, 2048, 42658176, 3136),
    _bb("ResNet152", "resnet", 224, 2048, 58370944, 3136),
    _bb("ResNet50V2", "resnet", 224, 2048, 23564800, 3136),
    _bb("ResNet101V2", "resnet", 224, 2048, 42626560, 3136),
    _bb("ResNet152V2", "resnet", 224, 2048, 58331648, 3136),
    _bb("VGG16", "vgg", 224, 512, 14714688, 576),
    _bb("VGG19", "vgg", 224, 512, 20024384, 576),
    _bb("MobileNet", "mobilenet", 224, 1024, 3228864, 288),
    _bb("MobileNetV2", "mobilenet_v2", 224, 1280, 2257984, 288),
    _bb("MobileNetV3Small", "mobilenet_v3", 224, 576, 939120, 144,
        last_point_ch=1024),
    _bb("MobileNetV3Large", "mobilenet_v3", 224, 960, 2996352, 144,
        last_point_ch=1280),
    # EfficientNet: 9 * stem filters + 2 (the adapting Normalization layer
    # holds a mean and a variance per channel).
    _bb("EfficientNetB0", "efficientnet", 224, 1280, 4049571, 290),
    _bb("EfficientNetB1", "efficientnet", 240, 1280, 6575239, 290),
    _bb("EfficientNetB2", "efficientnet", 260, 1408, 7768569, 290),
    _bb("EfficientNetB3", "efficientnet", 300, 1536, 10783535, 362),
    _bb("EfficientNetB4", "efficientnet", 380, 1792, 17673823, 434),
    _bb("EfficientNetB5", "efficientnet", 456, 2048, 28513527, 434),
    _bb("EfficientNetB6", "efficientnet", 528, 2304, 40960143, 506),
    _bb("EfficientNetB7", "efficientnet", 600, 2560, 64097687, 578),
    _bb("EfficientNetV2B0", "efficientnet_v2", 224, 1280, 5919312, 288),
    _bb("EfficientNetV2B1", "efficientnet_v2", 240, 1280, 6931124, 288),
    _bb("EfficientNetV2B2", "efficientnet_v2", 260, 1408, 8769374, 288),
    _bb("EfficientNetV2B3", "efficientnet_v2", 300, 1536, 12930622, 360),
    _bb("EfficientNetV2S", "efficientnet_v2", 384, 1280, 20331360, 216),
    _bb("EfficientNetV2M", "efficientnet_v2", 480, 1280, 53150388, 216),
    _bb("EfficientNetV2L", "efficientnet_v2", 480, 1280, 117746848, 288),
    _bb("DenseNet121", "densenet", 224, 1024, 7037504, 3136,
        channels_last_only=True),
    _bb("DenseNet169", "densenet", 224, 1664, 12642880, 3136,
        channels_last_only=True),
    _bb("DenseNet201", "densenet", 224, 1920, 18321984, 3136,
        channels_last_only=True),
    _bb("InceptionV3", "inception", 299, 2048, 21802784, 288, min_size=75),
    _bb("InceptionResNetV2", "inception", 299, 1536, 54336736, 288,
        min_size=75),
    _bb("Xception", "xception", 299, 2048, 20861480, 288, min_size=71),
    # ConvNeXt: include_top=False appends a LayerNormalization (2C params),
    # the classification head swaps it for its own: the head adds C*k + k.
    _bb("ConvNeXtTiny", "convnext", 224, 768, 27820128, 1536,
        channels_last_only=True),
    _bb("ConvNeXtSmall", "convnext", 224, 768, 49454688, 1536,
        channels_last_only=True),
    _bb("ConvNeXtBase", "convnext", 224, 1024, 87566464, 2048,
        channels_last_only=True),
    _bb("ConvNeXtLarge", "convnext", 224, 1536, 196230336, 3072,
        channels_last_only=True),
    _bb("ConvNeXtXLarge", "convnext", 224, 2048, 348147968, 4096,
        channels_last_only=True),
    _bb("NASNetMobile", "nasnet", 224, 1056, 4269716, 288,
        params_notop_unknown_size=4267604, nasnet_blocks=4,
        nasnet_skip_reduction=False, channels_last_only=True),
    _bb("NASNetLarge", "nasnet", 331, 4032, 84916818, 864,
        params_notop_unknown_size=84887922, nasnet_blocks=6,
        nasnet_skip_reduction=True, channels_last_only=True),
]

BACKBONES: Dict[str, Backbone] = {b.name: b for b in _ROWS}
DEFAULT_INPUT_SIZE: Dict[str, int] = {b.name: b.default_size for b in _ROWS}
MIN_INPUT_SIZE: Dict[str, int] = {b.name: b.min_size for b in _ROWS}

# MobileNet / MobileNetV2 take a square input of one of these sizes as their
# "default" (it only matters with weights="imagenet").
_SQUARE_DEFAULTS = {
    "mobilenet": (128, 160, 192, 224),
    "mobilenet_v2": (96, 128, 160, 192, 224),
}


def known_backbones() -> Tuple[str, ...]:
    return tuple(BACKBONES)


def default_input_size(name: str) -> Optional[int]:
    b = BACKBONES.get(name)
    return b.default_size if b else None


def min_input_size(name: str) -> Optional[int]:
    b = BACKBONES.get(name)
    return b.min_size if b else None


# --------------------------------------------------------------------------
# Argument handling (imagenet_utils.obtain_input_shape and friends).
# --------------------------------------------------------------------------

def _lt(d: Dim, bound: int) -> bool:
    """``d < bound`` as Keras evaluates it (None and symbols: no)."""
    return isinstance(d, int) and d < bound


def _obtain_input_shape(input_shape, default_size, min_size, channels_first,
                        require_flatten, imagenet) -> tuple:
    """A port of keras.src.applications.imagenet_utils.obtain_input_shape."""
    if not imagenet and input_shape and len(input_shape) == 3:
        if channels_first:
            default_shape = (input_shape[0], default_size, default_size)
        else:
            default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = ((3, default_size, default_size) if channels_first
                         else (default_size, default_size, 3))
    if imagenet and require_flatten:
        if input_shape is not None:
            same = len(input_shape) == len(default_shape) and all(
                dims.equal(a, b) if a is not None else False
                for a, b in zip(input_shape, default_shape))
            if not same:
                if any(dims.is_symbolic(a) for a in input_shape):
                    raise _Unsure()
                raise _KerasRaises(
                    "When setting `include_top=True` and loading `imagenet` "
                    f"weights, `input_shape` should be {default_shape}. "
                    f"Received: input_shape={tuple(input_shape)}"
                )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise _KerasRaises("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if imagenet and channels != 3:
            if dims.is_symbolic(channels):
                raise _Unsure()
            raise _KerasRaises(
                f"The input must have 3 channels; Received `input_shape={tuple(input_shape)}`"
            )
        rows, cols = (input_shape[1], input_shape[2]) if channels_first else (
            input_shape[0], input_shape[1])
        if _lt(rows, min_size) or _lt(cols, min_size):
            raise _KerasRaises(
                f"Input size must be at least {min_size}x{min_size}; "
                f"Received: input_shape={tuple(input_shape)}"
            )
        input_shape = tuple(input_shape)
    else:
        if require_flatten:
            input_shape = default_shape
        else:
            input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise _KerasRaises(
            "If `include_top` is True, you should specify a static "
            f"`input_shape`. Received: input_shape={input_shape}"
        )
    return input_shape


def _resolve_input_shape(b: Backbone, include_top, input_shape, channels_first,
                         imagenet) -> tuple:
    fam = b.family
    if fam == "mobilenet_v3":
        # MobileNetV3 does not call obtain_input_shape.
        if input_shape is None:
            return (3, None, None) if channels_first else (None, None, 3)
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise _Unsure()
        rows, cols = (input_shape[1], input_shape[2]) if channels_first else (
            input_shape[0], input_shape[1])
        if rows and cols and (_lt(rows, 32) or _lt(cols, 32)):
            raise _KerasRaises(
                f"Input size must be at least 32x32; Received `input_shape={input_shape}`"
            )
        return input_shape

    if input_shape is not None:
        input_shape = tuple(input_shape)
    default_size = b.default_size
    if fam == "nasnet":
        if imagenet and input_shape is not None and None in input_shape:
            raise _KerasRaises(
                "When specifying the input shape of a NASNet and loading "
                "`ImageNet` weights, the input_shape argument must be static "
                f"(no None entries). Got: `input_shape={input_shape}`."
            )
        if b.name == "NASNetMobile" and not include_top and input_shape is None:
            input_shape = (224, 224, 3)
    elif fam in _SQUARE_DEFAULTS and input_shape is not None:
        if len(input_shape) < (3 if channels_first else 2):
            raise _KerasRaises("`input_shape` must be a tuple of three integers.")
        rows, cols = (input_shape[1], input_shape[2]) if channels_first else (
            input_shape[0], input_shape[1])
        if (isinstance(rows, int) and rows == cols
                and rows in _SQUARE_DEFAULTS[fam]):
            default_size = rows
    return _obtain_input_shape(input_shape, default_size, b.min_size,
                               channels_first, include_top, imagenet)


# --------------------------------------------------------------------------
# The evaluation.
# --------------------------------------------------------------------------

Result = Tuple[Tuple[Dim, ...], Optional[int]]


def _evaluate(name, include_top, input_shape, pooling, classes, data_format,
              weights) -> Result:
    b = BACKBONES[name]
    if data_format not in ("channels_last", "channels_first"):
        raise _KerasRaises(f"Invalid data_format: {data_format!r}")
    channels_first = data_format == "channels_first"
    if channels_first and b.channels_last_only:
        raise _KerasRaises(
            f"{name} does not support the `channels_first` image data format."
        )
    imagenet = weights == "imagenet"
    if imagenet and include_top and classes != 1000:
        raise _KerasRaises(
            "If using `weights='imagenet'` with `include_top=True`, `classes` "
            f"should be 1000. Received classes={classes}"
        )
    if include_top:
        k = classes if dims.is_int(classes) else None
        if k is not None and k <= 0:
            raise _KerasRaises(f"`classes` must be a positive integer; got {classes}")

    shape = _resolve_input_shape(b, include_top, input_shape, channels_first,
                                 imagenet)
    if len(shape) != 3:
        raise _Unsure()
    if channels_first:
        c_in, h, w = shape
    else:
        h, w, c_in = shape
    if c_in is None:
        raise _KerasRaises("The channel dimension of the inputs should be defined.")
    if isinstance(c_in, int) and c_in <= 0:
        raise _Unsure()
    for d in (h, w):
        if d is not None and not dims.is_symbolic(d) and not dims.is_int(d):
            raise _Unsure()

    # Spatial size of the final feature map, and the size-dependent params.
    params_base = b.params_notop
    if b.family in _CORRECT_PAD and h is not None and w is None:
        raise _KerasRaises(
            "imagenet_utils.correct_pad fails (TypeError) on an input whose "
            "height is known and width is None"
        )
    if b.family == "nasnet":
        (fh, fw), decisions = _nasnet_spatial(h, w, b.nasnet_blocks,
                                              b.nasnet_skip_reduction)
        _, known = _nasnet_spatial(b.default_size, b.default_size,
                                   b.nasnet_blocks, b.nasnet_skip_reduction)
        _, unknown = _nasnet_spatial(None, None, b.nasnet_blocks,
                                     b.nasnet_skip_reduction)
        if decisions == known:
            params_base = b.params_notop
        elif decisions == unknown:
            params_base = b.params_notop_unknown_size
        else:
            params_base = None
    else:
        fh, fw = _run_program(_PROGRAMS[b.family], h, w,
                              b.family in _CORRECT_PAD)

    c_int = c_in if dims.is_int(c_in) else None
    params: Optional[int]
    if params_base is None or c_int is None:
        params = None
    else:
        params = params_base + b.params_per_channel * (c_int - 3)

    ch = b.channels
    if include_top:
        k = classes if dims.is_int(classes) else None
        if params is not None and k is not None:
            if b.family == "vgg":
                if isinstance(fh, int) and isinstance(fw, int):
                    flat = fh * fw * ch
                    params += flat * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * k + k
                else:
                    params = None
            elif b.family == "mobilenet_v3":
                lp = b.last_point_ch
                params += ch * lp + lp + lp * k + k
            else:
                params += ch * k + k
        else:
            params = None
        return (None, classes), params

    if pooling in ("avg", "max"):
        return (None, ch), params
    if channels_first:
        return (None, ch, fh, fw), params
    return (None, fh, fw, ch), params


def backbone_output(name: str, include_top=True, input_shape=None, pooling=None,
                    classes=1000, data_format="channels_last", weights=None
                    ) -> Optional[Result]:
    """``(output shape, count_params())`` of ``keras.applications.<name>``.

    ``input_shape`` excludes the batch axis, as in Keras.  ``data_format`` is
    the global ``keras.config.image_data_format()`` the model is built under.
    ``weights`` only matters for the checks Keras makes when it is
    ``"imagenet"`` (its default: pass it when the call site leaves it out and
    you want those checks); shapes and counts are those of any weights.

    Returns None when the name is unknown, when Keras would raise (see
    ``backbone_error``) or when the outcome cannot be told.  The parameter
    count is None where it depends on something unknown (a symbolic size or
    channel count, or a symbolic ``classes``).
    """
    if name not in BACKBONES:
        return None
    try:
        return _evaluate(name, include_top, input_shape, pooling, classes,
                         data_format, weights)
    except (_KerasRaises, _Unsure):
        return None


def backbone_error(name: str, include_top=True, input_shape=None, pooling=None,
                   classes=1000, data_format="channels_last", weights=None
                   ) -> Optional[str]:
    """Why ``keras.applications.<name>(...)`` raises, or None if it builds
    (or the name is unknown, or it cannot be told)."""
    if name not in BACKBONES:
        return None
    try:
        _evaluate(name, include_top, input_shape, pooling, classes,
                  data_format, weights)
    except _KerasRaises as exc:
        return str(exc)
    except _Unsure:
        return None
    return None


# --------------------------------------------------------------------------
# Named layers inside a backbone (``base.get_layer("block4_pool").output``):
# how many of the family's downsampling steps come before the layer, and
# its channels.  Names as Keras 3 gives them (tests/test_applications.py
# checks every layer of each model listed here against Keras).
# --------------------------------------------------------------------------

_VGG_CHANNELS = (64, 128, 256, 512, 512)
_VGG_CONVS = {"VGG16": (2, 2, 3, 3, 3), "VGG19": (2, 2, 4, 4, 4)}
_RESNET_BLOCKS = {"ResNet50": (3, 4, 6, 3), "ResNet101": (3, 4, 23, 3), "ResNet152": (3, 8, 36, 3)}
_RESNET_WIDE = ("0_conv", "0_bn", "3_conv", "3_bn", "add", "out")
_RESNET_NARROW = ("1_conv", "1_bn", "1_relu", "2_conv", "2_bn", "2_relu")
# MobileNetV2 (alpha 1): each block's output channels, its stride-2 blocks.
_MNV2_OUT = (16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320)
_MNV2_STRIDED = (1, 3, 6, 13)


def _vgg_layer(name: str, layer: str) -> Optional[Tuple[int, int]]:
    import re  # pylint: disable=import-outside-toplevel

    match = re.fullmatch(r"block([1-5])_(conv([1-4])|pool)", layer)
    if not match:
        return None
    block = int(match.group(1))
    if match.group(3) is not None and int(match.group(3)) > _VGG_CONVS[name][block - 1]:
        return None
    return (block if match.group(2) == "pool" else block - 1), _VGG_CHANNELS[block - 1]


def _resnet_layer(name: str, layer: str) -> Optional[Tuple[int, int]]:
    import re  # pylint: disable=import-outside-toplevel

    if layer in ("conv1_conv", "conv1_bn", "conv1_relu"):
        return 1, 64
    if layer == "pool1_pool":
        return 2, 64
    match = re.fullmatch(r"conv([2-5])_block(\d+)_(.+)", layer)
    if not match:
        return None
    stage, block, part = int(match.group(1)), int(match.group(2)), match.group(3)
    if not 1 <= block <= _RESNET_BLOCKS[name][stage - 2] or (part.startswith("0_") and block != 1):
        return None
    filters = 64 * 2 ** (stage - 2)
    if part in _RESNET_WIDE:
        return max(stage, 2), 4 * filters
    if part in _RESNET_NARROW:
        return max(stage, 2), filters
    return None


def _mobilenet_v2_layer(layer: str) -> Optional[Tuple[int, int]]:
    import re  # pylint: disable=import-outside-toplevel

    if layer in ("Conv1", "bn_Conv1", "Conv1_relu", "expanded_conv_depthwise", "expanded_conv_depthwise_BN",
                 "expanded_conv_depthwise_relu"):
        return 1, 32
    if layer in ("expanded_conv_project", "expanded_conv_project_BN"):
        return 1, 16
    if layer in ("Conv_1", "Conv_1_bn", "out_relu"):
        return 5, 1280
    match = re.fullmatch(r"block_(\d+)_(expand|expand_BN|expand_relu|depthwise|depthwise_BN|depthwise_relu|"
                         r"project|project_BN|add)", layer)
    if not match or not 1 <= int(match.group(1)) <= 16:
        return None
    block, part = int(match.group(1)), match.group(2)
    if part == "add" and (block in _MNV2_STRIDED or _MNV2_OUT[block] != _MNV2_OUT[block - 1]):
        return None  # no residual add in that block
    before = 1 + sum(1 for s in _MNV2_STRIDED if s < block)
    after = 1 + sum(1 for s in _MNV2_STRIDED if s <= block)
    if part.startswith("expand"):
        return before, 6 * _MNV2_OUT[block - 1]
    if part.startswith("depthwise"):
        return after, 6 * _MNV2_OUT[block - 1]
    return after, _MNV2_OUT[block]


def backbone_layer_output(name: str, layer: Any, input_shape: Any, include_top=True, pooling=None,
                          classes=1000, weights=None) -> Optional[Tuple[Dim, ...]]:
    """The output shape of the layer named ``layer`` inside
    ``keras.applications.<name>(...)`` (batch axis included), channels last;
    None when the name is not one this table knows, or Keras would raise."""
    if not isinstance(layer, str) or name not in BACKBONES:
        return None
    if name in _VGG_CONVS:
        found = _vgg_layer(name, layer)
    elif name in _RESNET_BLOCKS:
        found = _resnet_layer(name, layer)
    elif name == "MobileNetV2":
        found = _mobilenet_v2_layer(layer)
    else:
        return None
    if found is None:
        return None
    steps, channels = found
    b = BACKBONES[name]
    try:
        _evaluate(name, include_top, input_shape, pooling, classes, "channels_last", weights)
        shape = _resolve_input_shape(b, include_top, tuple(input_shape) if input_shape is not None else None,
                                     False, weights == "imagenet")
    except (_KerasRaises, _Unsure):
        return None
    h, w = _run_program(_PROGRAMS[b.family][:steps], shape[0], shape[1], b.family in _CORRECT_PAD)
    return (None, h, w, channels)
