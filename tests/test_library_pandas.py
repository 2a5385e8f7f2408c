"""The pandas family against real pandas: small programs that read a CSV,
select columns and turn frames into arrays run both through the evaluator
and through Python on a real file.  Every case names what the model claims
(a frame's rows and width, an array's shape; None where the code does not
show a size) and that claim must hold for what pandas computes: the width,
the column labels, the arrays' shapes, dtype kinds and labels."""
import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.library.pandas_data import Frame, Series  # noqa: E402
from shapelint.frontend.values import Array  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402

# The programs use inplace=True as real code does; pandas 3.1 deprecates it.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

CSV = "a,b,c,label\n" + "".join(f"{i},{i * 0.5},{i % 3},{i % 4}\n" for i in range(12))

PRELUDE = """import numpy as np
import pandas as pd
df = pd.read_csv(PATH)
named = pd.read_csv(PATH, names=["a", "b", "c", "label"], header=0)
lit = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "b": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
                    "color": ["red", "green", "red", "blue", "green", "red"], "y": [0, 1, 2, 1, 0, 2]})
"""

# (setup lines, expression, what the model claims): a frame's (rows, width),
# a series' or array's shape; for an int, the int.
CASES = [
    ("", "df", (None, None)),
    ("", "named", (None, 4)),
    ("", "pd.read_csv(PATH, usecols=['a', 'label'])", (None, 2)),
    ("", "pd.read_csv(PATH, usecols=[0, 2])", (None, 2)),
    ("", "pd.read_csv(PATH, names=['p', 'q', 'r', 's'], header=0, usecols=['p', 's'])", (None, 2)),
    ("", "pd.read_csv(PATH, names=['p', 'q', 'r', 's'], header=0, index_col=0)", (None, 3)),
    ("", "pd.read_csv(PATH, names=['p', 'q', 'r'], header=0)", (None, 3)),
    ("", "pd.read_csv(PATH, index_col=0)", (None, None)),
    ("", "pd.read_csv(PATH, header=None)", (None, None)),
    ("", "df[['a', 'b']]", (None, 2)),
    ("", "df[['a', 'b']].values", (None, 2)),
    ("", "df['label']", (None,)),
    ("", "df['label'].values", (None,)),
    ("", "df.label.values", None),  # unknown columns: no attribute is known
    ("", "named.label.values", (None,)),
    ("", "df.drop(columns=['label'])", (None, None)),
    ("", "named.drop(columns=['label'])", (None, 3)),
    ("", "named.drop('label', axis=1).values", (None, 3)),
    ("", "named.drop(['label', 'a'], axis='columns').to_numpy()", (None, 2)),
    ("", "named.drop(labels=['c'], axis=1).shape[1]", 3),
    ("", "named.drop([0, 1])", (None, 4)),
    ("", "named.drop(columns=['zzz'], errors='ignore')", (None, 4)),
    ("", "df.iloc[:, :3].values", (None, 3)),
    ("", "df.iloc[:, 0:2]", (None, 2)),
    ("", "df.iloc[:, -1].values", (None,)),
    ("", "df.iloc[:, 3]", (None,)),
    ("", "df.iloc[:, [0, 2]].values", (None, 2)),
    ("", "df.iloc[:, 1:]", (None, None)),
    ("", "df.iloc[:, :-1]", (None, None)),
    ("", "named.iloc[:, :-1].values", (None, 3)),
    ("", "named.iloc[:, 1:].values", (None, 3)),
    ("", "named.iloc[2:5, :2]", (None, 2)),
    ("", "lit.iloc[2:5, :2]", (3, 2)),
    ("", "named.loc[:, ['a', 'c']]", (None, 2)),
    ("", "named.loc[:, 'b':'label'].values", (None, 3)),
    ("", "named.loc[:, 'label']", (None,)),
    ("", "named.values", (None, 4)),
    ("", "df.values", (None, None)),
    ("", "df.to_numpy()", (None, None)),
    ("", "np.array(named)", (None, 4)),
    ("", "np.asarray(named[['a', 'b']], dtype='float32')", (None, 2)),
    ("", "named.shape[1]", 4),
    ("", "len(named.columns)", 4),
    ("", "named[named.columns[:-1]].values", (None, 3)),
    ("y = named.pop('label')", "named.values", (None, 3)),
    ("y = named.pop('label')", "y.values", (None,)),
    ("named['d'] = named['a'] * 2", "named.values", (None, 5)),
    ("named['a'] = 0", "named.values", (None, 4)),
    ("del named['a']", "named.values", (None, 3)),
    ("named.loc[named['a'] > 3, 'a'] = 0", "named.values", (None, 4)),
    ("named.loc[:, 'e'] = 1.5", "named.values", (None, 5)),
    ("named.iloc[0, 0] = 7", "named.values", (None, 4)),
    ("named.columns = ['w', 'x', 'y', 'z']", "named[['w', 'z']]", (None, 2)),
    ("named.drop(columns=['label'], inplace=True)", "named.values", (None, 3)),
    ("named.dropna(inplace=True)", "named.values", (None, 4)),
    ("named.insert(0, 'k', 1)", "named.values", (None, 5)),
    ("named.rename(columns={'a': 'z'}, inplace=True)", "named[['z', 'b']]", (None, 2)),
    ("", "named.rename(columns={'a': 'z'}).values", (None, 4)),
    ("", "named.set_index('a').values", (None, 3)),
    ("", "named.assign(z=1).values", (None, 5)),
    ("", "named.dropna().values", (None, 4)),
    ("", "named.sample(frac=1).reset_index(drop=True).values", (None, 4)),
    ("", "named.reset_index().values", (None, 5)),
    ("", "named.fillna(0).astype('float32').values", (None, 4)),
    ("", "named.head(3)", (None, 4)),
    ("", "lit.head(3)", (3, 4)),
    ("", "lit", (6, 4)),
    ("", "lit[['a', 'b']].values", (6, 2)),
    ("", "lit[['a', 'y']].values", (6, 2)),
    ("", "lit['y'].values", (6,)),
    ("", "lit.drop(columns=['color']).values", (6, 3)),
    ("", "pd.DataFrame(np.zeros((5, 3)), columns=['p', 'q', 'r'])", (5, 3)),
    ("", "pd.DataFrame(np.zeros((5, 3)))[[0, 2]]", (5, 2)),
    ("", "pd.DataFrame([[1, 2], [3, 4], [5, 6]]).values", (3, 2)),
    ("", "pd.Series([1, 2, 3]).values", (3,)),
    ("", "pd.concat([named, named])", (None, 4)),
    ("", "pd.concat([lit, lit])", (12, 4)),
    ("", "pd.concat([named[['a']], named[['b', 'c']]], axis=1)", (None, 3)),
    ("", "pd.get_dummies(lit['color'])", (6, 3)),
    ("", "pd.get_dummies(lit['color']).values", (6, 3)),
    ("", "pd.get_dummies(lit['color'], drop_first=True).values", (6, 2)),
    ("", "pd.get_dummies(df['label']).values", (None, None)),
    ("", "lit['color'].map({'red': 0, 'green': 1, 'blue': 2}).values", (6,)),
    ("", "lit['color'].astype('category').cat.codes.values", (6,)),
    ("", "pd.factorize(lit['color'])[0]", (6,)),
    ("", "lit['color'].factorize()[1]", (3,)),
    ("", "lit['color'].unique()", (3,)),
    ("", "lit['color'].nunique()", 3),
    ("", "len(lit)", 6),
    ("", "named['label'][:5].values", (None,)),
    ("", "lit['y'][:4].values", (4,)),
    ("", "lit['y'].iloc[1:3].values", (2,)),
    ("", "lit.select_dtypes('number').values", (6, None)),
    ("", "named['label'].values.reshape(-1, 1)", (None, 1)),
    # a split at a count computed from the data: the rows go unknown, the columns stay
    ("split = int(len(named) * 0.8)", "named[:split]", (None, 4)),
    ("split = int(len(named) * 0.8)", "named[split:][['a', 'b']].values", (None, 2)),
    ("split = int(len(named) * 0.8)", "named.iloc[:split].values", (None, 4)),
    ("split = int(len(named) * 0.8)", "named['label'][split:].values", (None,)),
    ("split = int(len(named) * 0.8)", "named.values[:split, 1:]", (None, 3)),
    ("", "named.drop(columns=['label']).values.reshape(-1, 3, 1)", (None, 3, 1)),
]


def _write_csv(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(CSV, encoding="utf-8")
    return str(path)


def evaluate(source):
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    evaluator = Evaluator(parse(source))
    evaluator.exec_block(evaluator.module.body, evaluator.module_env)
    return evaluator.module_env.vars


def kind(dtype) -> str:
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return "bool"
    return "int" if np.issubdtype(dtype, np.integer) else "float" if np.issubdtype(dtype, np.floating) else "?"


def claim_of(value):
    """What the model claims about a value, in the case table's terms."""
    if isinstance(value, Frame):
        return (value.rows, value.ncols())
    if isinstance(value, Series):
        return value.array.shape
    if isinstance(value, Array):
        return value.shape
    return None if value is UNKNOWN else value


def holds(mine, theirs):
    """Our value says what pandas' is."""
    if isinstance(theirs, pd.DataFrame):
        assert isinstance(mine, Frame), mine
        assert mine.rows in (None, theirs.shape[0]) and mine.ncols() in (None, theirs.shape[1]), (mine, theirs.shape)
        if mine.columns is not None:
            assert list(mine.columns) == list(theirs.columns)
        holds(mine.attrs["values"], theirs.values)
    elif isinstance(theirs, pd.Series):
        assert isinstance(mine, Series), mine
        holds(mine.array, theirs.values)
    elif hasattr(theirs, "__array__") and not isinstance(theirs, (int, np.integer)):
        theirs = np.asarray(theirs)
        assert isinstance(mine, Array) and len(mine.shape) == theirs.ndim, (mine, theirs.shape)
        assert all(m is None or m == t for m, t in zip(mine.shape, theirs.shape)), (mine, theirs.shape)
        if mine.dtype == "str":
            assert all(isinstance(v, str) for v in theirs.ravel()), theirs
        elif mine.dtype is not None:
            assert mine.dtype == kind(theirs.dtype), (mine.dtype, theirs.dtype)
        if mine.onehot:
            assert mine.classes in (None, theirs.shape[-1]) and (theirs.astype(int).sum(-1) == 1).all()
        elif mine.classes is not None:
            assert theirs.min() >= 0 and theirs.max() < mine.classes, (mine, theirs)
        if mine.distinct is not None:
            assert list(pd.unique(theirs.ravel())) and sorted(set(theirs.ravel())) == list(mine.distinct)
    else:
        assert mine == theirs, (mine, theirs)


@pytest.mark.parametrize("setup,expr,claim", CASES, ids=[c[0] + " " + c[1] for c in CASES])
def test_pandas_programs_agree_with_pandas(tmp_path, setup, expr, claim):
    path = _write_csv(tmp_path)
    source = (PRELUDE + setup + "\nout = " + expr + "\n").replace("PATH", repr(path))
    scope = {}
    exec(compile(source, "case", "exec"), scope)  # pylint: disable=exec-used
    mine = evaluate(source)["out"]
    assert claim_of(mine) == claim, (claim_of(mine), claim)
    if claim is not None:
        holds(mine, scope["out"])


def test_labels_from_a_series():
    """map of a dict of ints gives class ids (ints when every value is
    mapped); category codes and factorize count the distinct values;
    get_dummies of known values is one-hot."""
    scope = evaluate(PRELUDE.replace("PATH", "'x.csv'") + (
        "m = lit['color'].map({'red': 0, 'green': 1, 'blue': 2}).values\n"
        "partial = lit['color'].map({'red': 0, 'green': 1}).values\n"
        "codes = lit['color'].astype('category').cat.codes.values\n"
        "dummies = pd.get_dummies(lit['color']).values\n"
        "unknown = pd.get_dummies(df['label']).values\n"))
    assert scope["m"].classes == 3 and scope["m"].dtype == "int"
    assert scope["partial"].dtype == "float" and scope["partial"].classes == 2  # NaN where unmapped
    assert scope["codes"].classes == 3
    assert scope["dummies"].onehot and scope["dummies"].classes == 3 and scope["dummies"].dtype == "bool"
    assert scope["unknown"].onehot and scope["unknown"].classes is None and scope["unknown"].shape == (None, None)


def test_changes_that_may_not_happen_forget_the_columns():
    """A column added in a branch that may not run, by a method with
    inplace=True no model follows, or with a name the code does not show:
    the width is then unknown, never the one before."""
    scope = evaluate(PRELUDE.replace("PATH", "'x.csv'") + (
        "import os\nbranch = named.copy()\nif os.environ.get('X'):\n    branch['extra'] = 1\n"
        "other = named.copy()\nother.eval('z = a + b', inplace=True)\n"
        "loop = named.copy()\nfor name in os.listdir('.'):\n    loop[name] = 0\n"
        "kept = named.copy()\nif os.environ.get('X'):\n    kept['a'] = 0\n"
        "masked = named.copy()\nmasked.loc[masked['a'] > 3, 'new'] = 0\n"))
    for name in ("branch", "other", "loop"):
        assert scope[name].ncols() is None, name
    assert scope["kept"].ncols() == 4  # replacing a column keeps the width
    assert scope["masked"].ncols() == 5  # a new column, on some rows


def test_readers_that_give_no_frame_decline():
    def ours(qualname, *args, **kwargs):
        return library.dispatch(None, LibraryCall(qualname, list(args), kwargs, node=None))

    assert ours("pandas.read_csv", "x.csv", chunksize=100) is library.DECLINE
    assert ours("pandas.read_excel", "x.xlsx", sheet_name=None) is library.DECLINE
    assert ours("pandas.DataFrame", {"a": [1, 2], "b": [1, 2, 3]}) is library.DECLINE  # pandas raises
    assert ours("pandas.DataFrame", [[1, 2]], columns=["a", "b", "c"]) is library.DECLINE  # pandas raises
