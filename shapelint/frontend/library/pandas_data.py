"""pandas: the data frames and series programs read their training data
into (``pd.read_csv``), select columns from (``df[["a", "b"]]``,
``df.drop(columns=["label"])``, ``df.iloc[:, :8]``) and turn into arrays
(``df.values``, ``df.to_numpy()``, ``np.array(df)``).

Every handler mirrors one pandas API as pandas documents it
(https://pandas.pydata.org/docs/reference/) and is tested against real
pandas (tests/test_library_pandas.py).

A frame knows its columns when the code shows them (``names=``, a dict, a
column list, a drop of known columns from known columns), or only how many
there are (``usecols=[0, 1, 2]``, ``df.iloc[:, :8]``), or nothing: then its
width is unknown, never guessed.  A CSV's number of rows is never shown
(``None`` in the shape: a size the code does not show).  The frame and
series are library objects whose ``attrs`` hold what the program reads off
them (``values``, ``shape``, ``columns``, ``iloc``, ``loc``, each column by
name); every model of a method that changes a frame in place refreshes
them.  A change the code makes in a branch that may not run, or that no
model follows (``inplace=True`` of another method), forgets the columns.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.numpy_arrays import (
    as_array,
    dtype_of,
    from_literal,
    label_count,
    promote,
    scalar_kind,
)
from shapelint.frontend.library.pandas_frames import (  # the frame model these handlers apply
    Frame,
    Indexer,
    Series,
    as_column,
    codes_of,
    column,
    column_labels,
    forget_columns,
    frame_array,
    is_certain,
    is_label,
    make_frame,
    make_series,
    positions,
    refresh,
    replace_with,
    rows_after,
    selected,
    without,
    FRAME,
    SERIES,
    _KEEPS_KINDS,
    _SAME_COLUMNS,
)
from shapelint.frontend.library.registry import DECLINE, handles, handles_matching
from shapelint.frontend.values import Array, LibraryObject, ListOf
from shapelint.shapes import dims
from shapelint.unknown import UNKNOWN


# --------------------------------------------------------------- readers
@handles("pandas.read_csv", "pandas.read_table", "pandas.read_excel", "pandas.read_parquet",
         "pandas.read_feather", "pandas.io.parsers.read_csv")
def read_csv(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.read_csv(path, names=None, usecols=None, index_col=None, ...)``
    (read_table, read_excel ...): unknown rows; the columns ``names`` gives
    (less the index column), or the ``usecols`` kept, or unknown."""
    if call.kwargs.get("chunksize") is not None or call.kwargs.get("iterator"):
        return DECLINE  # a reader of chunks, not a frame
    if call.name == "read_excel" and call.arg(1, "sheet_name", default=0) is None or isinstance(
            call.kwargs.get("sheet_name"), list):
        return DECLINE  # a dict of frames
    names = call.kwargs.get("names")
    usecols = call.kwargs.get("usecols")
    index_col = call.kwargs.get("index_col")
    dtype = dtype_of(call.kwargs.get("dtype"), None) if not isinstance(call.kwargs.get("dtype"), dict) else None
    columns: Optional[list] = None
    width = None
    if call.name in ("read_csv", "read_table", "read_excel") and "names" in call.kwargs:
        columns = column_labels(names)
        if columns is None or len(set(columns)) != len(columns):
            columns = None
    elif call.name in ("read_parquet", "read_feather") and call.kwargs.get("columns") is not None:
        columns = column_labels(call.kwargs["columns"])
    if usecols is not None:
        keep = column_labels(usecols)
        if keep is None or len(set(keep)) != len(keep):
            return located_frame(call, make_frame(None, None))
        if columns is not None and all(isinstance(k, str) for k in keep):
            if any(k not in columns for k in keep):
                return located_frame(call, make_frame(None, None))
            columns = [c for c in columns if c in keep]
        elif columns is not None and all(dims.is_int(k) for k in keep) and len(columns) == len(keep):
            pass  # the names are those of the columns kept
        else:
            columns, width = None, len(keep)
    if index_col is not None and index_col is not False:
        if columns is not None and (is_label(index_col) and (index_col in columns or (
                dims.is_int(index_col) and 0 <= index_col < len(columns)))):
            label = index_col if index_col in columns else columns[index_col]
            columns = [c for c in columns if c != label]
        elif width is not None and is_label(index_col):
            width -= 1
        else:
            columns, width = None, None
    if columns is not None:
        return located_frame(call, make_frame({c: column(None, dtype) for c in columns}, None))
    return located_frame(call, make_frame(None, None, width=width))


def located_frame(call: LibraryCall, frame: LibraryObject) -> LibraryObject:
    frame.node = call.node
    refresh(frame)
    return frame


@handles("pandas.DataFrame")
def data_frame(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.DataFrame(data=None, index=None, columns=None, dtype=None)``:
    a dict of columns (the keys, in order), a 2-D array or nested list
    (``columns`` names them, else 0, 1, ...), a frame (copied), a series."""
    data = call.arg(0, "data")
    names = call.arg(2, "columns")
    kind = dtype_of(call.arg(3, "dtype"), None) if call.arg(3, "dtype") is not None else None
    if names is not None and column_labels(names) is None:
        return DECLINE
    names = column_labels(names)
    if call.arg(1, "index") is not None:
        return DECLINE  # an index may align or reorder the rows: not modelled
    frame = None
    if isinstance(data, dict):
        if not all(is_label(k) for k in data):
            return DECLINE
        columns = {}
        rows = None
        for label, value in data.items():
            array = as_column(value, None)
            if array is None:
                return DECLINE
            columns[label] = array
        lengths = {a.shape[0] for a in columns.values() if a.shape[0] is not None}
        if len(lengths) > 1:
            return DECLINE  # pandas raises: arrays of different lengths
        rows = lengths.pop() if lengths else None
        columns = {k: Array((rows,), a.dtype, a.classes, distinct=a.distinct) for k, a in columns.items()}
        if names is not None:
            columns = {k: columns.get(k, column(rows, "float")) for k in names}
        frame = make_frame(columns, rows)
    elif isinstance(data, Frame):
        frame = make_frame(dict(data.columns) if data.columns is not None else None, data.rows,
                           width=data.width, dummies=data.dummies)
        if names is not None:
            picked = selected(frame, names, None)
            if not isinstance(picked, Frame):
                return DECLINE
            frame = picked
    elif isinstance(data, Series):
        label = names[0] if names else (data.name if data.name is not None else 0)
        frame = make_frame({label: data.array}, data.array.shape[0])
    elif isinstance(data, (list, tuple, Array, ListOf)):
        array = as_array(data)
        if not isinstance(array, Array) or array.shape is None or len(array.shape) not in (1, 2):
            return DECLINE
        rows = array.shape[0]
        width = array.shape[1] if len(array.shape) == 2 else 1
        if names is not None and width is not None and len(names) != width:
            return DECLINE  # pandas raises
        labels = names if names is not None else (list(range(width)) if width is not None else None)
        if labels is None:
            frame = make_frame(None, rows)
        else:
            frame = make_frame({label: Array((rows,), array.dtype) for label in labels}, rows)
    elif data is None and names is None:
        frame = make_frame({}, 0)
    if frame is None:
        return DECLINE
    if kind is not None and frame.columns is not None:
        frame.columns = {k: Array(v.shape, kind) for k, v in frame.columns.items()}
    return located_frame(call, frame)


@handles("pandas.Series")
def series(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.Series(data, index=None, dtype=None, name=None)``: a list or 1-D
    array."""
    data = call.arg(0, "data")
    if call.arg(1, "index") is not None:
        return DECLINE
    array = as_column(data, None) if not isinstance(data, Series) else data.array
    if array is None:
        return DECLINE
    kind = call.arg(2, "dtype")
    if kind is not None:
        array = from_literal(array, kind)
    return located_frame(call, make_series(array, call.arg(3, "name")))


@handles("pandas.concat")
def concat(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.concat(objs, axis=0)``: frames one under the other keep the
    columns they share (all of them when they are the same), side by side
    their columns add up."""
    objs = call.arg(0, "objs")
    axis = call.arg(1, "axis", default=0)
    if not isinstance(objs, (list, tuple)) or not objs or not all(isinstance(o, (Frame, Series)) for o in objs):
        return DECLINE
    if call.kwargs.get("join", "outer") != "outer" or call.kwargs.get("keys") is not None:
        return DECLINE
    if axis in (0, "index"):
        if not all(isinstance(o, Frame) for o in objs):
            return DECLINE
        first = objs[0]
        rows = None
        if all(o.rows is not None for o in objs):
            rows = sum(o.rows for o in objs)
        if all(o.columns is not None and list(o.columns) == list(first.columns) for o in objs):
            columns = {k: Array((rows,), promote(*(o.columns[k].dtype for o in objs))) for k in first.columns}
            return located_frame(call, make_frame(columns, rows))
        return located_frame(call, make_frame(None, rows))
    if axis in (1, "columns"):
        rows = objs[0].rows if isinstance(objs[0], Frame) else objs[0].array.shape[0]
        columns: Optional[Dict[Any, Array]] = {}
        width = 0
        for obj in objs:
            if isinstance(obj, Series):
                pairs = [(obj.name, obj.array)] if obj.name is not None else None
                count = 1
            else:
                pairs = list(obj.columns.items()) if obj.columns is not None else None
                count = obj.ncols()
            width = width + count if width is not None and count is not None else None
            if pairs is None or columns is None or any(label in columns for label, _ in pairs):
                columns = None
            else:
                columns.update(pairs)
        return located_frame(call, make_frame(columns, None, width=width) if columns is None
                             else make_frame({k: Array((None,), v.dtype) for k, v in columns.items()}, None))
    return DECLINE


@handles("pandas.get_dummies")
def get_dummies(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.get_dummies(data, ..., drop_first=False, dtype=None)`` of a
    series or 1-D array: one bool column per distinct value (a one-hot
    row each; how many when the code shows the values).  Of a frame: its
    width depends on the data (unknown)."""
    data = call.arg(0, "data")
    kind = dtype_of(call.kwargs.get("dtype"), "bool") if call.kwargs.get("dtype") is not None else "bool"
    drop_first = call.kwargs.get("drop_first", False)
    if isinstance(data, Frame):
        return located_frame(call, make_frame(None, data.rows))
    values = data.array if isinstance(data, Series) else as_array(data)
    if not isinstance(values, Array) or values.shape is None or len(values.shape) != 1 or drop_first not in (
            True, False):
        return DECLINE
    count = len(values.distinct) if values.distinct is not None else None
    if drop_first:
        width = count - 1 if count is not None else None
        return located_frame(call, make_frame(None, values.shape[0], width=width))
    if values.distinct is not None:
        prefix = call.kwargs.get("prefix")
        labels = [f"{prefix}_{v}" if isinstance(prefix, str) else v for v in values.distinct]
        frame = make_frame({label: Array(values.shape, kind) for label in labels}, values.shape[0], dummies=True)
    else:
        frame = make_frame(None, values.shape[0], dummies=True)
    return located_frame(call, frame)


@handles("pandas.factorize")
def factorize(_ctx: Context, call: LibraryCall) -> Any:
    """``pd.factorize(values)``: (codes, uniques): ints below the number of
    distinct values, and those values."""
    data = call.arg(0, "values")
    values = data.array if isinstance(data, Series) else as_array(data)
    if not isinstance(values, Array) or values.shape is None or len(values.shape) != 1:
        return DECLINE
    codes = codes_of(values)
    codes.node = call.node
    count = len(values.distinct) if values.distinct is not None else None
    return codes, Array((count,), values.dtype, distinct=values.distinct)


@handles("builtins.len")
def len_(_ctx: Context, call: LibraryCall) -> Any:
    """``len(frame)``: its rows, when known; ``len(series)`` likewise."""
    if len(call.args) != 1 or not isinstance(call.args[0], (Frame, Series)):
        return DECLINE
    value = call.args[0]
    rows = value.rows if isinstance(value, Frame) else value.array.shape[0]
    return rows if rows is not None else UNKNOWN


# ---------------------------------------------------------- frame methods
@handles(f"{FRAME}.__getitem__")
def frame_getitem(_ctx: Context, call: LibraryCall) -> Any:
    """``frame["a"]`` (a series), ``frame[["a", "b"]]`` (those columns),
    ``frame[mask]`` / ``frame[:10]`` (rows)."""
    frame, key = call.receiver, call.args[0]
    if is_label(key):
        if frame.columns is not None:
            if key not in frame.columns:
                return DECLINE  # KeyError
            return make_series(frame.columns[key], key, call.node)
        return make_series(column(frame.rows), key, call.node)
    labels = column_labels(key) if isinstance(key, list) else None
    if labels is not None:
        picked = selected(frame, labels, call.node)
        return picked if picked is not UNKNOWN else DECLINE
    if isinstance(key, slice) or isinstance(key, Array) and key.dtype == "bool":
        rows = rows_after(frame.rows, key) if isinstance(key, slice) else None
        return make_frame(_with_rows(frame.columns, rows), rows, call.node, width=frame.width,
                          dummies=frame.dummies)
    return DECLINE


def _with_rows(columns: Optional[Dict[Any, Array]], rows: Optional[int]):
    if columns is None:
        return None
    return {k: Array((rows,), v.dtype, v.classes) for k, v in columns.items()}


@handles(f"{FRAME}.__setitem__", f"{FRAME}.loc.__setitem__")
def frame_setitem(ctx: Context, call: LibraryCall) -> Any:
    """``frame["c"] = values`` adds column c or replaces it;
    ``frame.loc[rows, "c"] = ...`` the same (some rows of it)."""
    owner, key, value = call.receiver, call.args[0], call.args[1]
    frame = owner.options["of"] if isinstance(owner, Indexer) else owner
    whole = True
    if isinstance(owner, Indexer):
        if not (isinstance(key, tuple) and len(key) == 2):
            return None  # frame.loc[rows] = ...: rows only, the columns stay
        whole = key[0] == slice(None)
        key = key[1]
    labels = [key] if is_label(key) else column_labels(key) if isinstance(key, list) else None
    if labels is not None and frame.columns is not None and all(k in frame.columns for k in labels) and (
            not whole or not is_certain(ctx)):
        for k in labels:  # some rows replaced, or perhaps replaced: the values are unknown
            frame.columns[k] = column(frame.rows)
        frame.dummies = False
        refresh(frame)
        return None
    if labels is None or frame.columns is None or not is_certain(ctx):
        forget_columns(frame)
        return None
    values = as_column(value, frame.rows) if len(labels) == 1 and whole else None
    for k in labels:
        frame.columns[k] = values if values is not None else column(frame.rows)
    frame.dummies = False
    refresh(frame)
    return None


@handles(f"{FRAME}.__delitem__")
def frame_delitem(ctx: Context, call: LibraryCall) -> Any:
    """``del frame["c"]``."""
    frame, key = call.receiver, call.args[0]
    if frame.columns is not None and is_label(key) and key in frame.columns and is_certain(ctx):
        del frame.columns[key]
        refresh(frame)
    else:
        forget_columns(frame)
    return None


@handles(f"{FRAME}.__setattr__")
def frame_setattr(ctx: Context, call: LibraryCall) -> Any:
    """``frame.columns = [...]``: the same columns renamed (pandas raises
    on a list of another length)."""
    frame, name, value = call.receiver, call.args[0], call.args[1]
    if name != "columns":
        return None  # frame.x = ...: an attribute, not a column (pandas warns)
    labels = column_labels(value)
    width = frame.ncols()
    if labels is None or not is_certain(ctx) or (width is not None and len(labels) != width):
        forget_columns(frame)
        return None
    arrays = list(frame.columns.values()) if frame.columns is not None else [column(frame.rows)] * len(labels)
    frame.columns = dict(zip(labels, arrays)) if len(set(labels)) == len(labels) else None
    frame.width = None if frame.columns is not None else len(labels)
    refresh(frame)
    return None


@handles(f"{FRAME}.drop")
def frame_drop(ctx: Context, call: LibraryCall) -> Any:
    """``frame.drop(labels=None, axis=0, index=None, columns=None,
    inplace=False, errors="raise")``: without those columns (rows: the
    row count is then unknown)."""
    frame = call.receiver
    labels, axis = call.arg(0, "labels"), call.arg(1, "axis", default=0)
    drop_cols = call.arg(None, "columns")
    if drop_cols is None and axis in (1, "columns"):
        drop_cols = labels
    if drop_cols is not None:
        names = [drop_cols] if is_label(drop_cols) else column_labels(drop_cols)
        errors = call.kwargs.get("errors", "raise")
        result = UNKNOWN
        if names is not None and frame.columns is not None:
            result = without(frame, names, errors, call.node)
        elif names is not None and frame.width is not None and errors != "ignore":
            result = make_frame(None, frame.rows, call.node, width=frame.width - len(set(names)))
        if result is UNKNOWN:
            result = make_frame(None, frame.rows, call.node)
        if call.arg(None, "index") is not None:
            result = make_frame(_with_rows(result.columns, None), None, call.node, width=result.width)
    else:
        result = make_frame(_with_rows(frame.columns, None), None, call.node, width=frame.width,
                            dummies=frame.dummies)
    return _result(ctx, call, frame, result)


def _result(ctx: Context, call: LibraryCall, frame: Frame, result: Frame) -> Any:
    """A method's result, or with ``inplace=True`` the frame changed to it."""
    if call.kwargs.get("inplace") is True:
        if is_certain(ctx):
            replace_with(frame, result)
        else:
            forget_columns(frame)
        return None
    return result


@handles(*(f"{FRAME}.{name}" for name in _SAME_COLUMNS))
def frame_same_columns(ctx: Context, call: LibraryCall) -> Any:
    """``frame.dropna()``, ``frame.fillna(0)``, ``frame.sample(frac=1)``,
    ``frame.astype("float32")``, ``frame.reset_index(drop=True)`` ...: the
    same columns (``reset_index()`` without drop adds the old index as one)."""
    frame = call.receiver
    if call.name == "dropna" and call.arg(0, "axis", default=0) not in (0, "index"):
        return _result(ctx, call, frame, make_frame(None, frame.rows, call.node))
    rows = frame.rows if _SAME_COLUMNS[call.name] else None
    if call.name == "head" or call.name == "tail":
        n = call.arg(0, "n", default=5)
        rows = min(n, frame.rows) if dims.is_int(n) and n >= 0 and frame.rows is not None else None
    if call.name == "sample" and call.arg(None, "frac") == 1 and not call.kwargs.get("replace"):
        rows = frame.rows
    columns = None
    if frame.columns is not None:
        if call.name in _KEEPS_KINDS:
            columns = {k: Array((rows,), v.dtype, v.classes, distinct=v.distinct if rows == frame.rows else None)
                       for k, v in frame.columns.items()}
        elif call.name == "astype" and not isinstance(call.arg(0, "dtype"), dict):
            kind = dtype_of(call.arg(0, "dtype"), None)
            columns = {k: Array((rows,), kind) for k in frame.columns}
        else:
            columns = {k: column(rows) for k in frame.columns}
    width = frame.width
    if call.name == "reset_index" and call.arg(1, "drop", default=False) is not True:
        columns, width = None, (frame.ncols() + 1 if frame.ncols() is not None else None)
    result = make_frame(columns, rows, call.node, width=width, dummies=frame.dummies and columns is not None)
    return _result(ctx, call, frame, result)


@handles(f"{FRAME}.to_numpy")
def frame_to_numpy(_ctx: Context, call: LibraryCall) -> Any:
    """``frame.to_numpy(dtype=None)``: the frame's values."""
    values = frame_array(call.receiver)
    kind = call.arg(0, "dtype")
    if kind is not None:
        values = from_literal(values, kind)
    values.node = call.node
    return values


@handles(f"{FRAME}.pop")
def frame_pop(ctx: Context, call: LibraryCall) -> Any:
    """``frame.pop("label")``: the column, taken out of the frame."""
    frame, key = call.receiver, call.arg(0, "item")
    if not is_label(key):
        return DECLINE
    if frame.columns is not None:
        if key not in frame.columns:
            return DECLINE  # KeyError
        taken = frame.columns[key]
        if is_certain(ctx):
            del frame.columns[key]
            refresh(frame)
        else:
            forget_columns(frame)
        return make_series(taken, key, call.node)
    if frame.width is not None and is_certain(ctx):
        frame.width -= 1
        refresh(frame)
    else:
        forget_columns(frame)
    return make_series(column(frame.rows), key, call.node)


@handles(f"{FRAME}.rename")
def frame_rename(ctx: Context, call: LibraryCall) -> Any:
    """``frame.rename(columns={old: new})``: the same columns, some renamed."""
    frame = call.receiver
    mapping = call.kwargs.get("columns")
    if not isinstance(mapping, dict) or frame.columns is None:
        result = make_frame(None, frame.rows, call.node, width=frame.ncols()) \
            if call.kwargs.get("index") is None else make_frame(None, frame.rows, call.node)
        if isinstance(mapping, dict) or call.kwargs.get("index") is not None or "mapper" in call.kwargs:
            return _result(ctx, call, frame, result)
        return DECLINE
    renamed = {mapping.get(k, k): v for k, v in frame.columns.items()}
    if len(renamed) != len(frame.columns):
        result = make_frame(None, frame.rows, call.node, width=len(frame.columns))
    else:
        result = make_frame(renamed, frame.rows, call.node)
    return _result(ctx, call, frame, result)


@handles(f"{FRAME}.set_index")
def frame_set_index(ctx: Context, call: LibraryCall) -> Any:
    """``frame.set_index("id")``: that column becomes the index (it leaves
    the columns unless ``drop=False``)."""
    frame, keys = call.receiver, call.arg(0, "keys")
    names = [keys] if is_label(keys) else column_labels(keys)
    if names is None or call.kwargs.get("append"):
        return _result(ctx, call, frame, make_frame(None, frame.rows, call.node))
    if call.kwargs.get("drop", True) is not True:
        result = make_frame(dict(frame.columns) if frame.columns is not None else None, frame.rows, call.node,
                            width=frame.width)
    else:
        result = without(frame, names, "raise", call.node)
        if result is UNKNOWN:
            result = make_frame(None, frame.rows, call.node)
        elif frame.columns is None and frame.width is not None:
            result = make_frame(None, frame.rows, call.node, width=frame.width - len(set(names)))
    return _result(ctx, call, frame, result)


@handles(f"{FRAME}.insert")
def frame_insert(ctx: Context, call: LibraryCall) -> Any:
    """``frame.insert(loc, column, value)``: one more column, in place."""
    frame = call.receiver
    loc, label, value = call.arg(0, "loc"), call.arg(1, "column"), call.arg(2, "value")
    if frame.columns is not None and dims.is_int(loc) and is_label(label) and label not in frame.columns \
            and is_certain(ctx):
        items = list(frame.columns.items())
        items.insert(loc, (label, as_column(value, frame.rows) or column(frame.rows)))
        frame.columns = dict(items)
        refresh(frame)
    elif frame.columns is None and frame.width is not None and is_certain(ctx):
        frame.width += 1
        refresh(frame)
    else:
        forget_columns(frame)
    return None


@handles(f"{FRAME}.assign")
def frame_assign(_ctx: Context, call: LibraryCall) -> Any:
    """``frame.assign(c=values)``: a new frame with those columns added or
    replaced."""
    frame = call.receiver
    if call.args or frame.columns is None:
        return make_frame(None, frame.rows, call.node)
    columns = dict(frame.columns)
    for label, value in call.kwargs.items():
        columns[label] = as_column(value, frame.rows) or column(frame.rows)
    return make_frame(columns, frame.rows, call.node)


@handles(f"{FRAME}.select_dtypes", f"{FRAME}.filter")
def frame_some_columns(_ctx: Context, call: LibraryCall) -> Any:
    """``frame.select_dtypes(...)`` / ``frame.filter(...)``: some of the
    columns (which ones depends on the data: unknown)."""
    return make_frame(None, call.receiver.rows, call.node)


# --------------------------------------------------------------- indexers
@handles(f"{FRAME}.iloc.__getitem__")
def iloc_getitem(_ctx: Context, call: LibraryCall) -> Any:
    """``frame.iloc[rows, cols]``: columns by position (an int is one
    column, a series); rows by position."""
    frame, key = call.receiver.options["of"], call.args[0]
    rows_key, cols_key = key if isinstance(key, tuple) and len(key) == 2 else (key, slice(None))
    if isinstance(key, tuple) and len(key) != 2:
        return DECLINE
    if dims.is_int(rows_key):
        return DECLINE  # one row, as a series over the columns: not modelled
    rows = rows_after(frame.rows, rows_key)
    if not (isinstance(rows_key, slice) or isinstance(rows_key, (Array, list))):
        return DECLINE
    picked = positions(frame.ncols(), cols_key)
    if picked is UNKNOWN:
        return DECLINE
    labels = list(frame.columns) if frame.columns is not None else None
    if dims.is_int(picked):
        values = frame.columns[labels[picked]] if labels is not None and -len(labels) <= picked < len(labels) \
            else None
        if labels is not None and values is None:
            return DECLINE  # IndexError
        array = Array((rows,), values.dtype, values.classes) if values is not None else column(rows)
        return make_series(array, labels[picked] if labels is not None else None, call.node)
    if isinstance(picked, list) and labels is not None:
        return make_frame({labels[p]: Array((rows,), frame.columns[labels[p]].dtype,
                                            frame.columns[labels[p]].classes) for p in picked}, rows, call.node,
                          dummies=frame.dummies and len(picked) == len(labels))
    width = len(picked) if isinstance(picked, list) else picked.n
    return make_frame(None, rows, call.node, width=width,
                      dummies=frame.dummies and cols_key == slice(None))


@handles(f"{FRAME}.loc.__getitem__")
def loc_getitem(_ctx: Context, call: LibraryCall) -> Any:
    """``frame.loc[rows, cols]``: columns by label (a label is one column,
    a series; ``"a":"c"`` the ones from a to c, both included)."""
    frame, key = call.receiver.options["of"], call.args[0]
    rows_key, cols_key = key if isinstance(key, tuple) and len(key) == 2 else (key, slice(None))
    if isinstance(key, tuple) and len(key) != 2:
        return DECLINE
    if rows_key == slice(None):
        rows = frame.rows
    elif isinstance(rows_key, (slice, Array, list)):
        rows = None
    else:
        return DECLINE
    shown = Frame(FRAME, columns=_with_rows(frame.columns, rows), width=frame.width, rows=rows,
                  dummies=frame.dummies)
    if is_label(cols_key):
        return frame_getitem(None, LibraryCall(f"{FRAME}.__getitem__", [cols_key], {}, call.node, receiver=shown))
    labels = column_labels(cols_key)
    if labels is not None:
        picked = selected(shown, labels, call.node)
        return picked if picked is not UNKNOWN else DECLINE
    if cols_key == slice(None):
        return make_frame(shown.columns, rows, call.node, width=frame.width, dummies=frame.dummies)
    if isinstance(cols_key, slice) and frame.columns is not None and cols_key.step is None:
        order = list(frame.columns)
        start = order.index(cols_key.start) if cols_key.start is not None and cols_key.start in order else (
            0 if cols_key.start is None else None)
        stop = order.index(cols_key.stop) + 1 if cols_key.stop is not None and cols_key.stop in order else (
            len(order) if cols_key.stop is None else None)
        if start is None or stop is None:
            return DECLINE
        return make_frame({k: shown.columns[k] for k in order[start:stop]}, rows, call.node)
    return DECLINE


@handles(f"{SERIES}.iloc.__getitem__", f"{SERIES}.loc.__getitem__", f"{SERIES}.__getitem__")
def series_getitem(_ctx: Context, call: LibraryCall) -> Any:
    """``series[:100]`` / ``series.iloc[idx]`` / ``series[mask]``: some rows."""
    owner, key = call.receiver, call.args[0]
    series_ = owner.options["of"] if isinstance(owner, Indexer) else owner
    values = series_.array
    if isinstance(key, slice):
        positional = call.qualname != f"{SERIES}.loc.__getitem__" and _positional(key)
        rows = rows_after(values.shape[0], key) if positional or key == slice(None) else None
    elif isinstance(key, (Array, list)):
        rows = None
    else:
        return DECLINE
    return make_series(Array((rows,), values.dtype, values.classes), series_.name, call.node)


def _positional(key: slice) -> bool:
    return all(v is None or dims.is_int(v) for v in (key.start, key.stop, key.step))


# --------------------------------------------------------------- series
@handles(f"{SERIES}.to_numpy", f"{SERIES}.__array__")
def series_to_numpy(_ctx: Context, call: LibraryCall) -> Any:
    """``series.to_numpy(dtype=None)``: its values, (rows,)."""
    values = call.receiver.array
    kind = call.arg(0, "dtype")
    return from_literal(values, kind) if kind is not None else Array(values.shape, values.dtype, values.classes,
                                                                      distinct=values.distinct, node=call.node)


@handles(f"{SERIES}.map", f"{SERIES}.replace")
def series_map(_ctx: Context, call: LibraryCall) -> Any:
    """``series.map({"cat": 0, "dog": 1})``: the dict's values (ints from 0
    are labels below the largest + 1; a value the dict lacks is NaN);
    ``map(func)``: values the code does not show."""
    values = call.receiver.array
    mapping = call.arg(0, "arg", "to_replace")
    if call.name == "map" and isinstance(mapping, dict) and mapping:
        kinds = {scalar_kind(v) for v in mapping.values()}
        if kinds == {"int"}:
            classes = label_count(list(mapping.values()), "int")
            covered = values.distinct is not None and all(v in mapping for v in values.distinct)
            kind = "int" if covered else "float"  # NaN for an unmapped value
            return make_series(Array(values.shape, kind, classes), call.receiver.name, call.node)
    return make_series(Array(values.shape, None), call.receiver.name, call.node)


@handles(f"{SERIES}.astype")
def series_astype(_ctx: Context, call: LibraryCall) -> Any:
    """``series.astype(dtype)``; "category" keeps the values (``.cat.codes``
    are then their class ids)."""
    values = call.receiver.array
    target = call.arg(0, "dtype")
    if target == "category":
        return make_series(Array(values.shape, None, distinct=values.distinct), call.receiver.name, call.node)
    return make_series(from_literal(values, target), call.receiver.name, call.node)


@handles(f"{SERIES}.unique")
def series_unique(_ctx: Context, call: LibraryCall) -> Any:
    """``series.unique()``: an array of its distinct values."""
    values = call.receiver.array
    count = len(values.distinct) if values.distinct is not None else None
    return Array((count,), values.dtype, distinct=values.distinct, node=call.node)


@handles(f"{SERIES}.nunique")
def series_nunique(_ctx: Context, call: LibraryCall) -> Any:
    """``series.nunique()``: how many distinct values, when shown."""
    values = call.receiver.array
    return len(values.distinct) if values.distinct is not None else UNKNOWN


@handles(f"{SERIES}.factorize")
def series_factorize(ctx: Context, call: LibraryCall) -> Any:
    """``series.factorize()``: as ``pd.factorize(series)``."""
    return factorize(ctx, LibraryCall("pandas.factorize", [call.receiver], {}, call.node))


@handles(*(f"{SERIES}.{name}" for name in _SAME_COLUMNS))
def series_same(_ctx: Context, call: LibraryCall) -> Any:
    """``series.fillna(0)``, ``series.dropna()``, ``series.copy()`` ...: the
    same kind of values; the rows kept when the method keeps them."""
    values = call.receiver.array
    if call.kwargs.get("inplace") is True or (call.name == "reset_index" and call.arg(1, "drop") is not True):
        return DECLINE  # in place, or a frame (the index becomes a column)
    rows = values.shape[0] if _SAME_COLUMNS[call.name] else None
    keeps = call.name in _KEEPS_KINDS
    if call.name == "astype":
        return series_astype(_ctx, call)
    return make_series(Array((rows,), values.dtype if keeps else None, values.classes if keeps else None),
                       call.receiver.name, call.node)


@handles(f"{SERIES}.to_frame")
def series_to_frame(_ctx: Context, call: LibraryCall) -> Any:
    """``series.to_frame()``: one column."""
    series_ = call.receiver
    label = call.arg(0, "name")
    label = label if label is not None else (series_.name if series_.name is not None else 0)
    return make_frame({label: series_.array}, series_.array.shape[0], call.node)


@handles_matching(lambda qualname: qualname.startswith((f"{FRAME}.", f"{SERIES}.")) and qualname.count(".") == 2)
def frame_changed_in_place(_ctx: Context, call: LibraryCall) -> Any:
    """Any other method called with ``inplace=True`` (or ``update``) changes
    the object in a way not modelled: its columns are forgotten."""
    obj = call.receiver
    if (call.kwargs.get("inplace") is True or call.name == "update") and isinstance(obj, Frame):
        forget_columns(obj)
        return None
    if call.kwargs.get("inplace") is True and isinstance(obj, Series):
        obj.array = Array(obj.array.shape[:1] if obj.array.shape else (None,))
        refresh(obj)
        return None
    return DECLINE
