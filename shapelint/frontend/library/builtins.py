"""Python's builtins on the values the evaluator knows: ``range``,
``enumerate``, ``zip``, ``len``, ``min`` ... and the ``list``/``dict``
methods programs build layer lists and configs with (``skips.append(x)``,
``skips.pop()``, ``config.get("units", 64)``), and the ``str`` methods
their options are compared with (``norm_type.lower() == "batchnorm"``).

Each handler computes what Python computes.  Where the builtin needs values
the evaluator does not know, the handler either answers UNKNOWN itself (as
the evaluator always has: ``len`` of an unknown value) or declines, and the
call ends as an unknown value (or an unknown tensor, given a tensor).
"""
from __future__ import annotations

import builtins
from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import DECLINE, handles
from shapelint.frontend.resolve import Ref
from shapelint.frontend.library.numpy_arrays import element_of
from shapelint.frontend.values import MORE_ITEMS, Array, Generator, Instance, Partial, ShapeTensor, iter_values
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

# ------------------------------------------------------------- functions
# The classes of the plain values the evaluator computes with as Python does.
_PLAIN_TYPES = (bool, int, float, str, list, tuple, dict, type(None))


@handles("builtins.type")
def type_of(_ctx: Context, call: LibraryCall) -> Any:
    """``type(x)`` of a plain Python value: its builtin class, so that
    ``type(nb_layers) is list`` is decided (DenseNet's configuration)."""
    if len(call.args) != 1 or call.kwargs or type(call.args[0]) not in _PLAIN_TYPES:
        return DECLINE
    return Ref(f"builtins.{type(call.args[0]).__name__}")


@handles("functools.partial")
def partial(_ctx: Context, call: LibraryCall) -> Any:
    """``partial(tf.keras.layers.Conv2D, kernel_size=3, padding="same")``:
    a callable that adds these arguments (a later keyword overrides one)."""
    if not call.args:
        return DECLINE
    return Partial(call.args[0], tuple(call.args[1:]), dict(call.kwargs))


@handles("functools.reduce")
def reduce_fold(ctx: Context, call: LibraryCall) -> Any:
    """``functools.reduce(function, items[, initial])``: ``function`` applied
    to the running value and each item, left to right, as Python does
    (keras-yolo3's ``compose(*layers)`` folds layers into one callable).
    Items the code does not show give an unknown value; no items and no
    initial value is Python's TypeError (not followed)."""
    if call.kwargs or not 2 <= len(call.args) <= 3:
        return DECLINE
    items = iter_values(call.args[1])
    if items is None:
        return UNKNOWN
    if len(call.args) == 3:
        value, rest = call.args[2], items
    elif items:
        value, rest = items[0], items[1:]
    else:
        return DECLINE
    for item in rest:
        value = ctx.call(call.args[0], [value, item], {}, call.node)
    return value


@handles("builtins.range")
def range_(_ctx: Context, call: LibraryCall) -> Any:
    """``range(stop)``, ``range(start, stop[, step])``: kept lazy, listed
    only when small."""
    if not 1 <= len(call.args) <= 3 or not all(isinstance(a, int) for a in call.args):
        return DECLINE
    return range(*call.args)


@handles("builtins.enumerate")
def enumerate_(_ctx: Context, call: LibraryCall) -> Any:
    """``enumerate(seq, start=0)`` as a list of pairs."""
    if not call.args:
        return DECLINE
    seqs = [iter_values(a) for a in call.args]
    if any(v is None for v in seqs):
        return UNKNOWN
    start = call.kwargs.get("start", 0)
    return [(i + start, v) for i, v in enumerate(seqs[0])] if isinstance(start, int) else UNKNOWN


@handles("builtins.zip")
def zip_(_ctx: Context, call: LibraryCall) -> Any:
    """``zip(a, b, ...)`` as a list of tuples (the shortest wins)."""
    if not call.args:
        return DECLINE
    seqs = [iter_values(a) for a in call.args]
    if any(v is None for v in seqs):
        return UNKNOWN
    return [tuple(t) for t in zip(*seqs)]


@handles("builtins.reversed")
def reversed_(_ctx: Context, call: LibraryCall) -> Any:
    """``reversed(seq)`` as a list."""
    if not call.args:
        return DECLINE
    seqs = [iter_values(a) for a in call.args]
    if any(v is None for v in seqs):
        return UNKNOWN
    return list(reversed(seqs[0]))


@handles("builtins.sorted")
def sorted_(_ctx: Context, call: LibraryCall) -> Any:
    """``sorted(seq, reverse=False)`` (a ``key`` gives UNKNOWN)."""
    if not call.args:
        return DECLINE
    seqs = [iter_values(a) for a in call.args]
    reverse = call.kwargs.get("reverse", False)
    if any(v is None for v in seqs) or set(call.kwargs) - {"reverse"} or not isinstance(reverse, bool):
        return UNKNOWN
    try:
        return sorted(seqs[0], reverse=reverse)
    except TypeError:
        return UNKNOWN


@handles("builtins.next")
def next_item(ctx: Context, call: LibraryCall) -> Any:
    """``next(gen)`` of one of the program's generators: the item of its
    first ``yield`` (later items are not followed)."""
    gen = call.args[0] if call.args else None
    if not isinstance(gen, Generator):
        return DECLINE
    return ctx.first_item(gen)


@handles("builtins.len")
def len_(_ctx: Context, call: LibraryCall) -> Any:
    """``len(seq)`` of a sequence whose items are known."""
    if len(call.args) != 1:
        return DECLINE
    if isinstance(call.args[0], ShapeTensor):
        return UNKNOWN  # TensorFlow raises: len() of a graph tensor
    values = iter_values(call.args[0])
    return len(values) if values is not None else UNKNOWN


@handles("builtins.tuple", "builtins.list")
def sequence(ctx: Context, call: LibraryCall) -> Any:
    """``tuple(seq)`` / ``list(seq)`` of a sequence whose items are known;
    ``list()`` / ``tuple()`` are empty."""
    if not call.args and not call.kwargs:
        return () if call.name == "tuple" else []
    if len(call.args) != 1:
        return DECLINE
    if isinstance(call.args[0], Generator):
        ctx.exhaust(call.args[0])
        return UNKNOWN
    values = iter_values(call.args[0])
    if values is None:
        values = _rows(call.args[0])
    if values is None:
        return UNKNOWN
    return tuple(values) if call.name == "tuple" else list(values)


# The most rows ``list(array)`` lists one by one (as a loop unrolls at most).
_MAX_ROWS = 64


def _rows(value: Any) -> Any:
    """The rows of an array of a small known length (``list(np.swapaxes(bags,
    0, 1))``): numpy iterates over the first axis.  None otherwise."""
    if not isinstance(value, Array) or not value.shape or not dims.is_int(value.shape[0]) \
            or not 0 <= value.shape[0] <= _MAX_ROWS:
        return None
    return [element_of(value) for _ in range(value.shape[0])]


@handles("builtins.dict")
def dict_(_ctx: Context, call: LibraryCall) -> Any:
    """``dict(units=64)``, ``dict(mapping, **more)``, ``dict(pairs)``."""
    if len(call.args) > 1:
        return DECLINE
    out: dict = {}
    if call.args:
        source = call.args[0]
        if isinstance(source, dict):
            out.update(source)
        else:
            pairs = iter_values(source)
            if pairs is None or not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
                return UNKNOWN
            try:
                out.update(pairs)
            except TypeError:  # an unhashable key
                return UNKNOWN
    out.update(call.kwargs)
    return out


@handles("builtins.int")
def int_(_ctx: Context, call: LibraryCall) -> Any:
    """``int(x)`` of a number (truncates toward zero) or of a numeral."""
    if len(call.args) != 1 or call.kwargs or not isinstance(call.args[0], (int, float, str)):
        return DECLINE
    try:
        return int(call.args[0])
    except ValueError:
        return DECLINE  # Python raises


@handles("builtins.min", "builtins.max")
def min_max(_ctx: Context, call: LibraryCall) -> Any:
    """``min(a, b, ...)`` / ``max(...)`` of numbers, or of one sequence of
    them (``max(filters)``); a ``key`` is not followed."""
    values = iter_values(call.args[0]) if len(call.args) == 1 else list(call.args)
    if call.kwargs or not values or not all(isinstance(a, (int, float)) for a in values):
        return DECLINE
    return min(values) if call.name == "min" else max(values)


def _numbers(values) -> bool:
    return all(type(v) in (int, float, bool) for v in values)  # pylint: disable=unidiomatic-typecheck


@handles("builtins.abs", "builtins.round", "builtins.float", "builtins.divmod", "builtins.pow")
def numeric(_ctx: Context, call: LibraryCall) -> Any:
    """``abs``, ``round``, ``float``, ``divmod``, ``pow`` of plain numbers
    (sizes computed as ``round(width * 0.5)``), as Python computes them."""
    if call.kwargs or not call.args or not _numbers(call.args):
        return DECLINE
    if call.name == "pow" and len(call.args) > 1 and abs(call.args[1]) > 64:
        return DECLINE  # not a size; and a huge power is costly
    try:
        return getattr(builtins, call.name)(*call.args)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return DECLINE


@handles("builtins.sum", "builtins.any", "builtins.all")
def reduce_(_ctx: Context, call: LibraryCall) -> Any:
    """``sum(seq[, start])``, ``any(seq)``, ``all(seq)`` of a sequence of
    plain values whose items are all known."""
    if not call.args or len(call.args) > (2 if call.name == "sum" else 1):
        return DECLINE
    values = iter_values(call.args[0])
    if values is None:
        return UNKNOWN
    if call.name != "sum":
        if not all(type(v) in _PLAIN and not dims.is_symbolic(v) for v in values):  # pylint: disable=unidiomatic-typecheck
            return UNKNOWN
        return any(values) if call.name == "any" else all(values)
    start = call.args[1] if len(call.args) > 1 else call.kwargs.get("start", 0)
    if not _numbers(list(values) + [start]):
        return UNKNOWN
    return sum(values, start)


@handles("builtins.bool")
def bool_(_ctx: Context, call: LibraryCall) -> Any:
    """``bool(x)`` of a plain value."""
    if len(call.args) != 1 or call.kwargs:
        return DECLINE
    value = call.args[0]
    if type(value) not in _PLAIN or dims.is_symbolic(value):  # pylint: disable=unidiomatic-typecheck
        return UNKNOWN
    return bool(value)


@handles("builtins.getattr")
def getattr_(ctx: Context, call: LibraryCall) -> Any:
    """``getattr(self, f"dec_layer_{i}")``: the attribute, as ``obj.name``
    reads it; with a default, only an attribute the instance is known to have
    (``setattr`` or ``self.x = ...``)."""
    if not 2 <= len(call.args) <= 3 or call.kwargs or not isinstance(call.args[1], str):
        return DECLINE
    obj, name = call.args[:2]
    if len(call.args) == 3:
        attrs = getattr(obj, "attrs", None) if isinstance(obj, Instance) else None
        return attrs[name] if attrs is not None and name in attrs else UNKNOWN
    return ctx.attribute(obj, name)


@handles("builtins.setattr")
def setattr_(ctx: Context, call: LibraryCall) -> Any:
    """``setattr(self, f"dec_layer_{i}", layer)`` on an instance or class of
    the program's, or one of its modules; on an instance, under a name that
    cannot be told, nothing is known of its attributes after."""
    if len(call.args) != 3 or call.kwargs:
        return DECLINE
    obj, name, value = call.args
    if isinstance(name, str):
        ctx.store_attribute(obj, name, value)
        return None
    if isinstance(obj, Instance):
        obj.attrs.clear()
        obj.attrs_unknown = True
        return None
    return DECLINE


# The builtin types ``isinstance`` is asked about, by the name they evaluate to.
_TYPES = {f"builtins.{t.__name__}": t for t in (int, float, str, bool, tuple, list, dict, set, range)}
_PLAIN = (type(None), bool, int, float, str, tuple, list, dict, set, range)


@handles("builtins.isinstance")
def isinstance_(_ctx: Context, call: LibraryCall) -> Any:
    """``isinstance(kernel_size, int)`` of a value the evaluator holds, against
    builtin types (one or a tuple); anything else answers UNKNOWN."""
    if len(call.args) != 2 or call.kwargs:
        return DECLINE
    value, types = call.args
    names = [getattr(t, "qualname", None) for t in (types if isinstance(types, tuple) else (types,))]
    if not names or not all(name in _TYPES for name in names):
        return UNKNOWN
    if type(value) not in _PLAIN or dims.is_symbolic(value):  # pylint: disable=unidiomatic-typecheck
        return UNKNOWN
    return isinstance(value, tuple(_TYPES[name] for name in names))


# ------------------------------------------------------------ list methods
@handles("builtins.list.append")
def list_append(_ctx: Context, call: LibraryCall) -> Any:
    """``items.append(x)``."""
    if len(call.args) != 1:
        return DECLINE
    call.receiver.append(call.args[0])
    return None


@handles("builtins.list.extend")
def list_extend(_ctx: Context, call: LibraryCall) -> Any:
    """``items.extend(seq)``; after an unknown ``seq`` the list holds
    items nobody knows, and how many (``MORE_ITEMS`` ends it)."""
    if len(call.args) != 1:
        return DECLINE
    values = iter_values(call.args[0])
    if values is not None:
        call.receiver.extend(values)
    elif not any(v is MORE_ITEMS for v in call.receiver):
        call.receiver.append(MORE_ITEMS)
    return None


@handles("builtins.list.pop")
def list_pop(_ctx: Context, call: LibraryCall) -> Any:
    """``items.pop(index=-1)`` (skips.pop() in a U-Net decoder)."""
    items = call.receiver
    if len(call.args) > 1 or not items:
        return DECLINE
    index = call.args[0] if call.args else -1
    if dims.is_int(index) and -len(items) <= index < len(items):
        return items.pop(index)
    return UNKNOWN


@handles("builtins.list.insert")
def list_insert(_ctx: Context, call: LibraryCall) -> Any:
    """``items.insert(index, x)``."""
    if len(call.args) != 2 or not isinstance(call.args[0], int):
        return DECLINE
    call.receiver.insert(call.args[0], call.args[1])
    return None


@handles("builtins.list.reverse")
def list_reverse(_ctx: Context, call: LibraryCall) -> Any:
    """``items.reverse()`` in place."""
    if call.args:
        return DECLINE
    call.receiver.reverse()
    return None


@handles("builtins.list.sort")
def list_sort(_ctx: Context, call: LibraryCall) -> Any:
    """``items.sort(reverse=False)`` in place; with a ``key`` (or items that
    do not compare) the order is unknown: every item is."""
    items = call.receiver
    if call.args or set(call.kwargs) - {"reverse", "key"}:
        return DECLINE
    reverse = call.kwargs.get("reverse", False)
    try:
        if "key" in call.kwargs or not isinstance(reverse, bool) or not all(type(v) in _PLAIN for v in items):
            raise TypeError("order unknown")
        items.sort(reverse=reverse)
    except TypeError:
        items[:] = [UNKNOWN] * len(items)
    return None


@handles("builtins.list.remove")
def list_remove(_ctx: Context, call: LibraryCall) -> Any:
    """``items.remove(x)``: the first equal item goes; when which one cannot
    be told, one fewer item, every one unknown."""
    items = call.receiver
    if len(call.args) != 1 or call.kwargs:
        return DECLINE
    value = call.args[0]
    if type(value) in _PLAIN and all(type(v) in _PLAIN for v in items):
        if value not in items:
            return DECLINE  # Python raises ValueError
        items.remove(value)
    elif items:
        items[:] = [UNKNOWN] * (len(items) - 1)
    return None


@handles("builtins.list.clear", "builtins.dict.clear")
def clear(_ctx: Context, call: LibraryCall) -> Any:
    if call.args or call.kwargs:
        return DECLINE
    call.receiver.clear()
    return None


@handles("builtins.list.index", "builtins.list.count")
def list_query(_ctx: Context, call: LibraryCall) -> Any:
    """``items.index(x)``, ``items.count(x)`` of plain items."""
    items = call.receiver
    if len(call.args) != 1 or call.kwargs or not all(type(v) in _PLAIN for v in list(items) + list(call.args)):
        return UNKNOWN
    try:
        return getattr(items, call.name)(call.args[0])
    except ValueError:
        return DECLINE  # Python raises


@handles("builtins.dict.setdefault")
def dict_setdefault(_ctx: Context, call: LibraryCall) -> Any:
    """``config.setdefault(key, default=None)``."""
    if not 1 <= len(call.args) <= 2 or call.kwargs:
        return DECLINE
    try:
        return call.receiver.setdefault(*call.args)
    except TypeError:  # an unhashable key
        return UNKNOWN


@handles("builtins.dict.popitem")
def dict_popitem(_ctx: Context, call: LibraryCall) -> Any:
    """``config.popitem()``: the last item inserted."""
    if call.args or call.kwargs or not call.receiver:
        return DECLINE
    return call.receiver.popitem()


@handles("builtins.list.copy", "builtins.dict.copy")
def copy(_ctx: Context, call: LibraryCall) -> Any:
    """``items.copy()`` / ``config.copy()``: a shallow copy."""
    if call.args:
        return DECLINE
    return call.receiver.copy()


# ------------------------------------------------------------ dict methods
@handles("builtins.dict.keys", "builtins.dict.values", "builtins.dict.items")
def dict_view(_ctx: Context, call: LibraryCall) -> Any:
    """``config.keys()`` / ``values()`` / ``items()``, listed."""
    if call.args:
        return DECLINE
    return list(getattr(call.receiver, call.name)())


@handles("builtins.dict.get")
def dict_get(_ctx: Context, call: LibraryCall) -> Any:
    """``config.get(key, default=None)``."""
    if not call.args:
        return DECLINE
    try:
        return call.receiver.get(call.args[0], call.args[1] if len(call.args) > 1 else None)
    except TypeError:  # an unhashable key
        return UNKNOWN


@handles("builtins.dict.pop")
def dict_pop(_ctx: Context, call: LibraryCall) -> Any:
    """``config.pop(key[, default])`` (``args.pop("repeats")`` in EfficientNet)."""
    if not 1 <= len(call.args) <= 2 or call.kwargs:
        return DECLINE
    try:
        if call.args[0] not in call.receiver and len(call.args) == 1:
            return DECLINE  # Python raises KeyError
        return call.receiver.pop(*call.args)
    except TypeError:  # an unhashable key
        return UNKNOWN


@handles("builtins.dict.update")
def dict_update(_ctx: Context, call: LibraryCall) -> Any:
    """``config.update(other, **more)``; an unknown ``other`` makes every
    item unknown (any key may change)."""
    if len(call.args) > 1:
        return DECLINE
    other = call.args[0] if call.args else {}
    if not isinstance(other, dict):
        for key in call.receiver:
            call.receiver[key] = UNKNOWN
        return None
    call.receiver.update(other)
    call.receiver.update(call.kwargs)
    return None


# ------------------------------------------------------------ the copy module
# What copying keeps is the values the evaluator builds configurations from;
# anything else (a tensor, a layer, an unknown value) is left to the unknown.
_ATOMS = (int, float, str, bool, type(None), range)


def _deepcopy(value: Any) -> Any:
    if isinstance(value, _ATOMS) or dims.is_symbolic(value):
        return value
    if isinstance(value, tuple):  # as Python: the same tuple unless an item is copied
        items = tuple(_deepcopy(v) for v in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    if type(value) is list:  # pylint: disable=unidiomatic-typecheck
        return [_deepcopy(v) for v in value]
    if type(value) is dict:  # pylint: disable=unidiomatic-typecheck
        return {_deepcopy(k): _deepcopy(v) for k, v in value.items()}
    raise TypeError(type(value).__name__)


# ------------------------------------------------------------- str methods
# Pure functions of the string and their arguments: computed by Python
# itself when every argument is a value the code shows.
_STR_METHODS = ("capitalize", "casefold", "center", "count", "endswith", "find", "format", "isalnum",
                "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
                "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace",
                "rfind", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith",
                "strip", "swapcase", "title", "upper", "zfill")


def _shown(value: Any) -> bool:
    """A value Python's str methods can take as the program holds it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, (tuple, list)) and all(v is not MORE_ITEMS and _shown(v) for v in value)


@handles(*(f"builtins.str.{name}" for name in _STR_METHODS))
def str_method(_ctx: Context, call: LibraryCall) -> Any:
    """``name.lower()``, ``mode.startswith(("chan", "cf"))``,
    ``"_".join(parts)``, ``"{}_{}".format(prefix, i)``."""
    if not all(_shown(v) for v in (*call.args, *call.kwargs.values())):
        return DECLINE
    try:
        return getattr(call.receiver, call.qualname.rsplit(".", 1)[1])(*call.args, **call.kwargs)
    except (TypeError, ValueError, IndexError, KeyError):  # Python raises: not followed
        return UNKNOWN


@handles("copy.deepcopy", "copy.copy")
def copy_module(_ctx: Context, call: LibraryCall) -> Any:
    """``copy.deepcopy(blocks_args)`` / ``copy.copy(config)`` of plain
    configuration values (numbers, strings, and lists, tuples and dicts of
    them)."""
    if len(call.args) != 1 or call.kwargs:
        return DECLINE
    value = call.args[0]
    if call.name == "copy":
        if type(value) in (list, dict):
            return value.copy()
        return value if isinstance(value, _ATOMS + (tuple,)) else DECLINE
    try:
        return _deepcopy(value)
    except TypeError:
        return DECLINE
