"""Images read from files the way Keras users read them outside Keras:
OpenCV (``cv2.imread``, ``cv2.resize``, ``cv2.cvtColor``) and Pillow
(``Image.open``, ``img.convert(mode)``, ``Image.fromarray``, and
``np.array(img)`` of one).

Only what the call itself fixes is known: the rank and the channels (a
grayscale image has no channel axis in numpy: ``(h, w)``, a color one
``(h, w, 3)``) and a size the code resizes to; a file's own height and width
are sizes the code does not show (None).  Each model mirrors the library's
documented behaviour and is tested against the library itself
(tests/test_library_images.py).  A Pillow image is the ``PIL_IMAGE`` object
Keras' ``load_img`` makes too, its mode kept as Keras' ``color_mode``
("grayscale", "rgb", "rgba"; None for a mode numpy would give another
shape, or one the code does not show).
"""
from __future__ import annotations

from typing import Any, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.keras_data import PIL_IMAGE
from shapelint.frontend.library.numpy_arrays import located
from shapelint.frontend.library.registry import DECLINE, handles
from shapelint.frontend.resolve import Ref
from shapelint.frontend.values import Array, LibraryObject
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

# cv2.imread flags: the image's channels (None: as the file has them).
_IMREAD = {
    "IMREAD_GRAYSCALE": 1, "IMREAD_COLOR": 3, "IMREAD_COLOR_BGR": 3, "IMREAD_COLOR_RGB": 3,
    "IMREAD_REDUCED_GRAYSCALE_2": 1, "IMREAD_REDUCED_GRAYSCALE_4": 1, "IMREAD_REDUCED_GRAYSCALE_8": 1,
    "IMREAD_REDUCED_COLOR_2": 3, "IMREAD_REDUCED_COLOR_4": 3, "IMREAD_REDUCED_COLOR_8": 3,
}
_IMREAD_VALUES = {0: 1, 1: 3, 16: 1, 32: 1, 64: 1, 17: 3, 33: 3, 65: 3, 256: 3}
# reduced reads scale the file's size: known flags that keep it
_KEEPS_SIZE = {"IMREAD_GRAYSCALE", "IMREAD_COLOR", "IMREAD_COLOR_BGR", "IMREAD_COLOR_RGB"}
# cvtColor: the channels of a color space named after the "2" of a code
_SPACES = {"GRAY": 1, "BGR": 3, "RGB": 3, "HSV": 3, "HLS": 3, "LAB": 3, "LUV": 3, "XYZ": 3, "YCRCB": 3,
           "YUV": 3, "BGRA": 4, "RGBA": 4}
# Pillow modes: the numpy shape's channels (1: no channel axis) and Keras' color_mode
_PIL_MODES = {"L": ("grayscale", 1), "RGB": ("rgb", 3), "RGBA": ("rgba", 4)}
_CHANNELS_OF = {"grayscale": 1, "rgb": 3, "rgba": 4}
_MODE_OF = {1: "grayscale", 3: "rgb", 4: "rgba"}


def _image(hw: tuple, channels: Optional[int]) -> Any:
    """An 8-bit image array: (h, w) for one channel, (h, w, c) otherwise."""
    if channels is None:
        return UNKNOWN
    return Array(hw if channels == 1 else hw + (channels,), "int")


def _constant(value: Any, prefix: str) -> Optional[str]:
    """The name of a ``cv2.<prefix>*`` constant the code passes."""
    if isinstance(value, Ref):
        last = value.qualname.rpartition(".")[2]
        if value.qualname.startswith("cv2.") and last.startswith(prefix):
            return last
    return None


def _size(value: Any) -> Any:
    return value if dims.is_int(value) and value > 0 else None


# ------------------------------------------------------------------ OpenCV
@handles("cv2.imread")
def imread(_ctx: Context, call: LibraryCall) -> Any:
    """``cv2.imread(filename, flags=cv2.IMREAD_COLOR)``: 8-bit BGR (h, w, 3),
    or (h, w) for a grayscale read; IMREAD_UNCHANGED and other flags keep
    what the file has (not shown)."""
    flags = call.arg(1, "flags", default=1)
    name = _constant(flags, "IMREAD_")
    channels = _IMREAD.get(name) if name is not None else (
        _IMREAD_VALUES.get(flags) if dims.is_int(flags) else None)
    return located(call, _image((None, None), channels))


@handles("cv2.resize")
def resize(_ctx: Context, call: LibraryCall) -> Any:
    """``cv2.resize(src, dsize, dst=None, fx=0, fy=0, ...)``: ``dsize`` is
    (width, height); the channels stay, except that a one-channel image
    comes back without its channel axis.  Without a dsize the size follows
    fx/fy of a size not shown."""
    src = call.arg(0, "src")
    if not isinstance(src, Array) or src.shape is None or len(src.shape) not in (2, 3):
        return DECLINE
    dsize = call.arg(1, "dsize")
    if isinstance(dsize, (tuple, list)) and len(dsize) == 2 and all(_size(d) for d in dsize):
        hw: tuple = (dsize[1], dsize[0])
    elif dsize is None or isinstance(dsize, (tuple, list)) and len(dsize) == 2 and all(
            dims.is_int(d) and d == 0 for d in dsize):
        hw = (None, None)
    else:
        return DECLINE
    channels = src.shape[2] if len(src.shape) == 3 else 1
    if not dims.is_int(channels):
        return DECLINE
    return located(call, Array(hw if channels == 1 else hw + (channels,), src.dtype))


@handles("cv2.cvtColor")
def cvt_color(_ctx: Context, call: LibraryCall) -> Any:
    """``cv2.cvtColor(src, code)``: ``COLOR_<from>2<to>`` gives the channels
    of <to> (GRAY 1: no channel axis; BGR, RGB, HSV ... 3; BGRA, RGBA 4); a
    code for a packed or subsampled format (``_NV12``, ``BGR565``) is not
    modelled."""
    src = call.arg(0, "src")
    name = _constant(call.arg(1, "code"), "COLOR_")
    if not isinstance(src, Array) or src.shape is None or len(src.shape) not in (2, 3) or name is None:
        return DECLINE
    source, _, target = name[len("COLOR_"):].upper().partition("2")
    wanted, given = _SPACES.get(target), _SPACES.get(source)
    channels = src.shape[2] if len(src.shape) == 3 else 1
    if wanted is None or given is None or channels != given:
        return DECLINE  # OpenCV refuses an image of other channels
    return located(call, Array(tuple(src.shape[:2]) if wanted == 1 else tuple(src.shape[:2]) + (wanted,),
                               src.dtype))


# ------------------------------------------------------------------ Pillow
def _pil(color_mode: Optional[str], size: Any, node: Any) -> LibraryObject:
    return LibraryObject(PIL_IMAGE, {"color_mode": color_mode, "target_size": size}, {}, node)


@handles("PIL.Image.open")
def pil_open(_ctx: Context, call: LibraryCall) -> Any:
    """``Image.open(fp)``: an image of the file's mode and size (not shown)."""
    return _pil(None, None, call.node)


@handles(f"{PIL_IMAGE}.convert")
def pil_convert(_ctx: Context, call: LibraryCall) -> Any:
    """``img.convert(mode)``: "L" grayscale, "RGB", "RGBA"; other modes are
    not modelled (their numpy shapes differ)."""
    mode = call.arg(0, "mode")
    color_mode = _PIL_MODES[mode][0] if isinstance(mode, str) and mode in _PIL_MODES else None
    return _pil(color_mode, call.receiver.options.get("target_size"), call.node)


@handles("PIL.Image.fromarray")
def pil_fromarray(_ctx: Context, call: LibraryCall) -> Any:
    """``Image.fromarray(obj)`` of an 8-bit array: (h, w) is an "L" image,
    (h, w, 3) "RGB", (h, w, 4) "RGBA"."""
    arr = call.arg(0, "obj")
    if not isinstance(arr, Array) or arr.shape is None or arr.dtype != "int" or len(arr.shape) not in (2, 3):
        return DECLINE
    channels = 1 if len(arr.shape) == 2 else arr.shape[2]
    return _pil(_MODE_OF.get(channels) if dims.is_int(channels) else None, tuple(arr.shape[:2]), call.node)


@handles("numpy.array", "numpy.asarray")
def pil_as_array(_ctx: Context, call: LibraryCall) -> Any:
    """``np.array(img)`` of a Pillow image: 8-bit (h, w) for "L", (h, w, 3)
    for "RGB", (h, w, 4) for "RGBA" (no channel axis for one channel, unlike
    Keras' ``img_to_array``)."""
    img = call.arg(0, "object", "a")
    if not isinstance(img, LibraryObject) or img.type_name != PIL_IMAGE or call.arg(1, "dtype") is not None:
        return DECLINE
    size = img.options.get("target_size")
    hw = tuple(_size(d) for d in size) if isinstance(size, (tuple, list)) and len(size) == 2 else (None, None)
    channels = _CHANNELS_OF.get(img.options.get("color_mode"))
    return located(call, _image(hw, channels))
