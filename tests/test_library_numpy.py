"""The numpy family against real numpy: every handler is run on arguments
numpy can take too (our ``Array`` next to a real array of that shape and
dtype) and must give numpy's shape, and numpy's dtype kind where it names
one.  Where the model is coarser than numpy the case is a strict xfail that
says so."""
import pytest

np = pytest.importorskip("numpy")
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.library.numpy_data import binop, subscript  # noqa: E402
from shapelint.frontend.resolve import Ref  # noqa: E402
from shapelint.frontend.values import Array  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402

_NP_DTYPES = {"float": np.float64, "int": np.int64, "bool": np.bool_}


def A(shape, dtype="float", classes=None):  # pylint: disable=invalid-name
    """An array the analysed program holds."""
    return Array(tuple(shape), dtype, classes)


def real(value):
    """The value numpy gets for one of ours."""
    if isinstance(value, Array):
        return np.zeros(value.shape, _NP_DTYPES[value.dtype])
    if isinstance(value, Ref):
        return getattr(np, value.qualname.rpartition(".")[2])
    if isinstance(value, list):
        return [real(v) for v in value]
    if isinstance(value, tuple):
        return tuple(real(v) for v in value)
    return value


def kind(value) -> str:
    dtype = np.asarray(value).dtype
    if dtype == np.bool_:
        return "bool"
    return "int" if np.issubdtype(dtype, np.integer) else "float" if np.issubdtype(dtype, np.floating) else "?"


def ours(qualname, args, kwargs, receiver=None):
    return library.dispatch(None, LibraryCall(qualname, list(args), dict(kwargs), node=None, receiver=receiver))


def agree(mine, theirs, dtype=True):
    assert isinstance(mine, Array), mine
    assert mine.shape == np.shape(theirs), (mine, np.shape(theirs))
    if dtype and mine.dtype is not None:
        assert mine.dtype == kind(theirs), (mine.dtype, np.asarray(theirs).dtype)


def _numpy(name):
    obj = np
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# --------------------------------------------------------------- functions
FUNCTION_CASES = [
    ("zeros", (3,), {}), ("zeros", ((2, 3),), {}), ("zeros", ([2, 3],), {}), ("zeros", (4, "int32"), {}),
    ("zeros", ((2, 2),), {"dtype": "uint8"}), ("zeros", (), {"shape": (1, 2), "dtype": Ref("numpy.float32")}),
    ("zeros", ((2,),), {"dtype": "bool"}), ("ones", ((2, 3),), {}), ("ones", (5,), {"dtype": Ref("numpy.int32")}),
    ("empty", ((2, 3),), {}),
    ("full", ((2, 2), 7), {}), ("full", ((2,), 0.5), {}), ("full", ((3,), 1), {"dtype": "float32"}),
    ("full", ((2, 1),), {"fill_value": 2}),
    ("random.rand", (), {}), ("random.rand", (3,), {}), ("random.rand", (2, 3), {}), ("random.randn", (4, 1, 2), {}),
    ("random.random", (), {}), ("random.random", ((2, 3),), {}), ("random.random_sample", (5,), {}),
    ("random.sample", (), {"size": (2, 2)}), ("random.ranf", ((3,),), {}),
    ("random.uniform", (0, 1, (3, 4)), {}), ("random.uniform", (0, 1), {}), ("random.uniform", (), {"size": 5}),
    ("random.normal", (0, 1), {"size": (2,)}), ("random.normal", (), {}),
    ("random.randint", (10,), {"size": (5,)}), ("random.randint", (0, 7, 4), {}), ("random.randint", (2, 5, (3,)), {}),
    ("random.randint", (5,), {}), ("random.randint", (), {"low": 3, "size": (2, 2)}),
    ("random.choice", (5,), {"size": 3}), ("random.choice", (5, (2, 2)), {}),
    ("array", ([[1, 2], [3, 4]],), {}), ("array", ([1.0, 2],), {}), ("array", ([],), {}),
    ("array", ([[1, 2]],), {"dtype": "float32"}), ("array", ([A((2, 3)), A((2, 3))],), {}), ("array", (3,), {}),
    ("asarray", ([1, 2, 3],), {}),
    ("reshape", (A((2, 6)), (3, 4)), {}), ("reshape", (A((2, 6)), (-1, 4)), {}), ("reshape", (A((2, 6)), 12), {}),
    ("reshape", (A((2, 6)), (-1,)), {}), ("reshape", (A((4, 3), "int"), (2, -1)), {}),
    ("reshape", (A((4, 3), "int", 5), (12, 1)), {}),
    ("expand_dims", (A((2, 3)), 0), {}), ("expand_dims", (A((2, 3)), -1), {}), ("expand_dims", (A((2, 3)),), {"axis": 1}),
    ("squeeze", (A((2, 1, 3)),), {}), ("squeeze", (A((2, 1, 3)), 1), {}), ("squeeze", (A((1,)),), {}),
    ("squeeze", (A((1, 3, 1)),), {"axis": -1}),
    ("mean", (A((2, 3, 4)),), {}), ("mean", (A((2, 3, 4)), 0), {}), ("std", (A((2, 3, 4)),), {"axis": (0, 2)}),
    ("var", (A((2, 3, 4), "int"), -1), {"keepdims": True}), ("mean", (A((2, 3), "int"),), {"axis": 1}),
    ("sum", (A((2, 3, 4)), 1), {}), ("max", (A((2, 3)),), {"axis": -1, "keepdims": True}),
    ("min", (A((2, 3)),), {}), ("prod", (A((2, 3)), (0, 1)), {}),
    ("concatenate", ([A((2, 3)), A((4, 3))],), {}), ("concatenate", ([A((2, 3)), A((2, 5))], 1), {}),
    ("concatenate", ([A((2, 3), "int"), A((2, 3), "int")],), {"axis": -1}),
    ("concatenate", ([A((2, 3), "int"), A((2, 3))],), {}),
    ("vstack", ([A((2, 3)), A((1, 3))],), {}), ("hstack", ([A((2, 3)), A((2, 1))],), {}),
    ("eye", (3,), {}), ("identity", (4,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", FUNCTION_CASES, ids=lambda v: str(v)[:40])
def test_numpy_functions_agree_with_numpy(name, args, kwargs):
    mine = ours(f"numpy.{name}", args, kwargs)
    theirs = _numpy(name)(*real(args), **{k: real(v) for k, v in kwargs.items()})
    agree(mine, theirs)


def test_integer_labels_stay_below_their_class_count():
    np.random.seed(0)
    for args, kwargs in [((10,), {"size": (50,)}), ((0, 7, 40), {}), ((5,), {"size": 30})]:
        mine = ours("numpy.random.randint", args, kwargs)
        values = np.random.randint(*args, **kwargs)
        assert mine.classes is not None and 0 <= values.min() and values.max() < mine.classes
    mine = ours("numpy.random.choice", (6,), {"size": 40})
    assert np.random.choice(6, size=40).max() < mine.classes
    assert ours("numpy.random.randint", (2, 5, 3), {}).classes is None  # not class ids from 0


# Where the model names a dtype numpy does not give: it keeps "float" for
# every reduction and never promotes a 1-D vstack.  Kept as is (shapelint's
# checks read these), recorded here.
COARSER = [
    ("sum", (A((2, 3), "int"),), {"axis": 0}),
    ("max", (A((2, 3), "int"),), {}),
    ("vstack", ([A((3,)), A((3,))],), {}),
]


@pytest.mark.xfail(strict=True, reason="the model is coarser than numpy here")
@pytest.mark.parametrize("name,args,kwargs", COARSER, ids=lambda v: str(v)[:40])
def test_where_the_model_is_coarser_than_numpy(name, args, kwargs):
    test_numpy_functions_agree_with_numpy(name, args, kwargs)


def test_what_numpy_would_need_to_see_declines():
    for name, args, kwargs in [("zeros", (UNKNOWN,), {}), ("reshape", (A((2, 3)),), {}),
                               ("reshape", (UNKNOWN, (3, 2)), {}), ("eye", (UNKNOWN,), {}),
                               ("concatenate", ([A((2, 3)), A((2, 3, 1))],), {}), ("linspace", (0, 1, 5), {}),
                               ("array", (UNKNOWN,), {}), ("squeeze", (A((2, 3)), 1), {})]:
        assert ours(f"numpy.{name}", args, kwargs) is library.DECLINE, name


# ------------------------------------------------------------ ndarray methods
METHOD_CASES = [
    (A((2, 6)), "reshape", (3, 4), {}), (A((2, 6)), "reshape", ((3, 4),), {}), (A((2, 6)), "reshape", (-1,), {}),
    (A((2, 6), "int"), "reshape", (4, -1), {}),
    (A((2, 3), "int"), "astype", ("float32",), {}), (A((2, 3)), "astype", (Ref("numpy.uint8"),), {}),
    (A((2, 3)), "astype", (), {"dtype": "bool"}), (A((2, 3)), "copy", (), {}),
    (A((2, 1, 3)), "squeeze", (), {}), (A((2, 1, 3)), "squeeze", (), {"axis": 1}),
    (A((2, 3, 4)), "sum", (), {"axis": 0}), (A((2, 3, 4)), "mean", (), {}),
    (A((2, 3)), "max", (), {"axis": -1, "keepdims": True}), (A((2, 3)), "std", (1,), {}),
    (A((2, 3, 4), "int"), "flatten", (), {}),
]


@pytest.mark.parametrize("array,method,args,kwargs", METHOD_CASES, ids=lambda v: str(v)[:40])
def test_ndarray_methods_agree_with_numpy(array, method, args, kwargs):
    mine = ours(f"numpy.ndarray.{method}", args, kwargs, receiver=array)
    theirs = getattr(real(array), method)(*real(args), **{k: real(v) for k, v in kwargs.items()})
    agree(mine, theirs)


def test_ndarray_methods_keep_labels():
    labels = A((100, 1), "int", 10)
    assert ours("numpy.ndarray.reshape", (-1,), {}, receiver=labels).classes == 10
    assert ours("numpy.ndarray.astype", ("float32",), {}, receiver=labels).classes == 10
    assert ours("numpy.ndarray.flatten", (), {}, receiver=Array(None)) is UNKNOWN


# ------------------------------------------------------------------ properties
_shape = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(_shape, st.lists(st.sampled_from([-1, 1, 2, 3, 4, 6, 12]), min_size=1, max_size=3))
def test_reshape_agrees_with_numpy(shape, target):
    try:
        theirs = np.zeros(shape).reshape(target)
    except ValueError:
        return  # numpy refuses; the model makes no claim
    agree(ours("numpy.reshape", (A(shape), tuple(target)), {}), theirs)


_index_item = st.one_of(
    st.integers(-3, 3), st.none(),
    st.builds(slice, st.one_of(st.none(), st.integers(-4, 4)), st.one_of(st.none(), st.integers(-4, 4)),
              st.one_of(st.none(), st.sampled_from([-2, -1, 1, 2, 3]))))


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(_shape, st.lists(_index_item, min_size=1, max_size=3), st.integers(-1, 3))
def test_subscript_agrees_with_numpy(shape, items, ellipsis_at):
    if 0 <= ellipsis_at <= len(items):
        items = items[:ellipsis_at] + [Ellipsis] + items[ellipsis_at:]
    index = tuple(items) if len(items) > 1 else items[0]
    try:
        theirs = np.zeros(shape, np.int64)[index]
    except IndexError:
        return
    mine = subscript(A(shape, "int"), index)
    if mine is not UNKNOWN:
        agree(mine, theirs)


@pytest.mark.parametrize("shape,index", [((5, 3), 0), ((5, 3), slice(None, 2)), ((5, 3), (Ellipsis, None)),
                                         ((5, 3, 2), (slice(1, 3), 0)), ((5, 3), (None, slice(None), -1)),
                                         ((4,), slice(None, None, -1))])
def test_common_indexing_is_followed(shape, index):
    agree(subscript(A(shape), index), np.zeros(shape)[index])


_operand = st.one_of(_shape.map(lambda s: ("array", s, "float")), _shape.map(lambda s: ("array", s, "int")),
                     st.just(("number", 2.0, None)))


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(_operand, _operand, st.sampled_from(["+", "-", "*"]))
def test_array_arithmetic_agrees_with_numpy(left, right, op):
    def mine_of(v):
        return A(v[1], v[2]) if v[0] == "array" else v[1]

    def theirs_of(v):
        return np.ones(v[1], _NP_DTYPES[v[2]]) if v[0] == "array" else v[1]

    a, b = theirs_of(left), theirs_of(right)
    mine = binop(mine_of(left), mine_of(right))
    try:
        theirs = {"+": np.add, "-": np.subtract, "*": np.multiply}[op](a, b)
    except ValueError:
        assert mine is UNKNOWN  # numpy refuses to broadcast: so does the model
        return
    agree(mine, theirs)


@pytest.mark.xfail(strict=True, reason="binop does not see the operator: int arrays divided stay int; "
                                       "an int array plus an int becomes float")
@pytest.mark.parametrize("left,right,theirs", [(A((2,), "int"), A((2,), "int"), np.ones(2, int) / np.ones(2, int)),
                                               (A((2,), "int"), 1, np.ones(2, int) + 1)])
def test_arithmetic_dtypes_coarser_than_numpy(left, right, theirs):
    agree(binop(left, right), theirs)
