"""The pandas frame model: what a ``DataFrame``/``Series`` value knows (its
columns by label, or only how many, or nothing; its rows), and the pure
operations on it that the pandas handlers (``pandas_data``) apply: column
selection and removal, positional column ranges, the array ``.values``
gives, label codes.  A size the code does not show stays unknown, never
guessed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from shapelint.frontend.context import Context
from shapelint.frontend.library.numpy_arrays import as_array, promote, scalar_kind
from shapelint.frontend.values import Array, LibraryObject, ListOf
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN

FRAME = "pandas.DataFrame"
SERIES = "pandas.Series"

# Methods that give a frame of the same columns, and whether the rows stay too.
_SAME_COLUMNS = {
    "copy": True, "fillna": True, "ffill": True, "bfill": True, "interpolate": True, "abs": True,
    "round": True, "clip": True, "replace": True, "sort_values": True, "sort_index": True,
    "shift": True, "diff": True, "pct_change": True, "infer_objects": True, "convert_dtypes": True,
    "dropna": False, "drop_duplicates": False, "sample": False, "head": False, "tail": False,
    "query": False, "reset_index": True, "astype": True, "rank": True, "cumsum": True,
    "nlargest": False, "nsmallest": False, "truncate": False,
}
# Of those, the ones whose values keep their dtype kinds.
_KEEPS_KINDS = ("copy", "sort_values", "sort_index", "dropna", "drop_duplicates", "sample", "head",
                "tail", "query", "reset_index", "nlargest", "nsmallest", "truncate")


@dataclass(eq=False)
class Frame(LibraryObject):
    """A ``pandas.DataFrame``: its columns (label -> the column's values, an
    ``Array`` of shape ``(rows,)``) when the code shows them, else perhaps
    just their number."""

    columns: Optional[Dict[Any, Array]] = None
    width: Optional[int] = None  # how many columns, when ``columns`` is unknown
    rows: Optional[int] = None
    dummies: bool = False  # pd.get_dummies of one series: one-hot rows

    def ncols(self) -> Optional[int]:
        return len(self.columns) if self.columns is not None else self.width


@dataclass(eq=False)
class Series(LibraryObject):
    """A ``pandas.Series``: its values as an ``Array`` of shape ``(rows,)``."""

    array: Array = field(default_factory=lambda: Array((None,)))
    name: Any = None


class Indexer(LibraryObject):
    """``frame.iloc`` / ``frame.loc`` (and a series'): indexing reads the
    frame it came from as it is then."""


# ------------------------------------------------------------ construction
def make_frame(columns: Optional[Dict[Any, Array]], rows: Optional[int], node: Any = None, *,
               width: Optional[int] = None, dummies: bool = False) -> Frame:
    frame = Frame(FRAME, node=node, columns=columns, width=None if columns is not None else width,
                  rows=rows, dummies=dummies)
    refresh(frame)
    return frame


def make_series(array: Array, name: Any = None, node: Any = None) -> Series:
    made = Series(SERIES, node=node, array=array, name=name)
    refresh(made)
    return made


def column(rows: Optional[int], kind: Optional[str] = None) -> Array:
    """A column whose values the code does not show."""
    return Array((rows,), kind)


# Attributes of a frame a column of that name does not shadow.
_FRAME_ATTRIBUTES = frozenset((
    "values", "shape", "columns", "index", "dtypes", "size", "ndim", "T", "empty", "axes", "loc", "iloc",
    "at", "iat", "name", "str", "cat", "dt", "array", "plot", "style", "attrs", "flags"))


def refresh(obj: LibraryObject, accessors: bool = True) -> None:
    """Fill in what the program can read off a frame or series."""
    attrs: Dict[str, Any] = {}
    if isinstance(obj, Frame):
        width = obj.ncols()
        attrs["values"] = frame_array(obj)
        attrs["shape"] = (_size(obj.rows), _size(width))
        attrs["ndim"] = 2
        attrs["columns"] = UNKNOWN  # an Index of labels the code does not show
        if obj.columns is not None:
            attrs["columns"] = list(obj.columns)
            for label, values in obj.columns.items():
                if isinstance(label, str) and label.isidentifier() and label not in _FRAME_ATTRIBUTES:
                    attrs.setdefault(label, make_series(values, label, obj.node))
    elif isinstance(obj, Series):
        attrs["values"] = obj.array
        attrs["shape"] = (_size(obj.array.shape[0]),)
        attrs["ndim"] = 1
        attrs["name"] = obj.name
        if accessors:
            codes = Series(SERIES, array=codes_of(obj.array), name=obj.name)
            refresh(codes, accessors=False)
            attrs["cat"] = LibraryObject(f"{SERIES}.cat", attrs={"codes": codes})
    else:
        return
    attrs["iloc"] = Indexer(f"{obj.type_name}.iloc", options={"of": obj})
    attrs["loc"] = Indexer(f"{obj.type_name}.loc", options={"of": obj})
    obj.attrs.clear()
    obj.attrs.update(attrs)


def _size(value: Optional[int]) -> Any:
    return value if value is not None else UNKNOWN


def frame_array(frame: Frame) -> Array:
    """``frame.values`` / ``frame.to_numpy()``: (rows, columns), of the kind
    every column promotes to (pandas' ``find_common_type`` for numbers)."""
    width = frame.ncols()
    kind = None
    if frame.columns:
        kind = promote(*(c.dtype for c in frame.columns.values()))
        if kind == "str":
            kind = None  # object
    if frame.dummies:
        return Array((frame.rows, width), kind, width, True, node=frame.node)
    return Array((frame.rows, width), kind, node=frame.node)


def codes_of(values: Array) -> Array:
    """``series.astype("category").cat.codes`` / ``pd.factorize(x)[0]``:
    ints below the number of distinct values (-1 for a missing one)."""
    count = len(values.distinct) if values.distinct is not None else None
    return Array(values.shape, "int", count, distinct=range(count) if count is not None else None)


def as_column(value: Any, rows: Optional[int]) -> Optional[Array]:
    """What ``frame[label] = value`` stores: a series' or array's values, a
    list, or a scalar broadcast to every row; None when not one column."""
    if isinstance(value, Series):
        return value.array
    if isinstance(value, (Array, list, tuple, ListOf)):
        array = as_array(value)
        if isinstance(array, Array) and array.shape is not None and len(array.shape) == 1:
            return array
        return None
    kind = scalar_kind(value)
    if kind is not None:
        return Array((rows,), kind if kind != "str" else "str")
    return None


def column_labels(value: Any) -> Optional[list]:
    """A list of column labels the code spells out."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                                for v in value):
        return list(value)
    return None


def is_label(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def is_certain(ctx: Context) -> bool:
    """A change of an object is certain: not in a branch that may not run."""
    return not getattr(ctx, "in_uncertain_branch", False)


def forget_columns(frame: Frame) -> None:
    frame.columns = None
    frame.width = None
    frame.dummies = False
    refresh(frame)


def replace_with(frame: Frame, other: Frame) -> None:
    """An in-place change: the frame becomes ``other``."""
    frame.columns, frame.width, frame.rows, frame.dummies = other.columns, other.width, other.rows, other.dummies
    refresh(frame)


def selected(frame: Frame, labels: list, node: Any) -> Any:
    """``frame[["a", "b"]]``: exactly those columns (pandas raises on a
    missing one), known even when the frame's other columns are not."""
    if frame.columns is not None:
        if any(label not in frame.columns for label in labels):
            return UNKNOWN
        return make_frame({label: frame.columns[label] for label in labels}, frame.rows, node)
    if len(set(labels)) != len(labels):
        return UNKNOWN
    return make_frame({label: column(frame.rows) for label in labels}, frame.rows, node)


def without(frame: Frame, labels: list, errors: Any, node: Any) -> Any:
    """The frame without the columns ``labels``."""
    if frame.columns is not None:
        if errors != "ignore" and any(label not in frame.columns for label in labels):
            return UNKNOWN  # pandas raises (or what the code shows is not all)
        return make_frame({k: v for k, v in frame.columns.items() if k not in labels}, frame.rows, node)
    return make_frame(None, frame.rows, node)


@dataclass(frozen=True)
class Count:
    """How many columns ``iloc`` selects, when not which ones."""

    n: Optional[int]


def positions(width: Optional[int], index: Any) -> Any:
    """Column positions ``iloc`` selects: a list of positions (or their
    ``Count`` when the frame's width is unknown); an int is one column (a
    series); UNKNOWN when pandas raises."""
    if dims.is_int(index):
        return index
    if isinstance(index, slice):
        if not all(v is None or dims.is_int(v) for v in (index.start, index.stop, index.step)):
            return UNKNOWN
        if width is not None:
            return list(range(width))[index]
        start, stop, step = index.start or 0, index.stop, index.step or 1
        if step == 1 and start >= 0 and dims.is_int(stop) and stop >= start:
            return Count(stop - start)  # the columns the code reads by position: the frame has them
        return Count(None)
    if isinstance(index, list) and all(isinstance(i, bool) for i in index):
        return [i for i, keep in enumerate(index) if keep] if width is not None else Count(sum(index))
    if isinstance(index, list) and all(dims.is_int(i) for i in index):
        if width is not None and not all(-width <= i < width for i in index):
            return UNKNOWN  # IndexError
        return list(index) if width is not None else Count(len(index))
    return UNKNOWN


def rows_after(rows: Optional[int], index: Any) -> Any:
    """The row count after a row selection: ``:`` keeps it, a slice of a
    known count is computed, anything else is unknown."""
    if index == slice(None):
        return rows
    if isinstance(index, slice) and rows is not None and all(
            v is None or dims.is_int(v) for v in (index.start, index.stop, index.step)):
        return len(range(rows)[index])
    return None
