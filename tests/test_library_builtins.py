"""The builtins family against Python itself: each handler, given values
Python could evaluate, must compute what Python computes (and mutate lists
and dicts as Python does); given values it cannot see, it answers UNKNOWN or
declines, never a wrong value."""
import copy

import pytest

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

from shapelint.frontend import library  # noqa: E402
from shapelint.frontend.context import LibraryCall  # noqa: E402
from shapelint.frontend.values import MAX_MATERIALISE, iter_values  # noqa: E402
from shapelint.unknown import UNKNOWN  # noqa: E402

DECLINE = library.DECLINE


def ours(name, *args, receiver=None, **kwargs):
    return library.dispatch(None, LibraryCall(f"builtins.{name}", list(args), kwargs, node=None, receiver=receiver))


small = st.lists(st.integers(-5, 5), max_size=6)
seqs = st.one_of(small, small.map(tuple), st.text("abc", max_size=4),
                 st.dictionaries(st.sampled_from("abcd"), st.integers(0, 3), max_size=3))


@hypothesis.given(seqs, seqs)
def test_sequence_builtins_agree_with_python(a, b):
    assert ours("len", a) == len(a)
    assert ours("list", a) == list(a)
    assert ours("tuple", a) == tuple(a)
    assert ours("zip", a, b) == [tuple(t) for t in zip(a, b)]
    assert ours("enumerate", a) == list(enumerate(a))
    assert ours("enumerate", a, start=3) == list(enumerate(a, start=3))
    assert ours("reversed", list(a)) == list(reversed(list(a)))
    assert ours("sorted", a) == sorted(a)


@hypothesis.given(st.lists(st.integers(-20, 20), min_size=1, max_size=3).filter(lambda v: len(v) < 3 or v[2] != 0))
def test_range_agrees_with_python(bounds):
    assert ours("range", *bounds) == range(*bounds)


def test_range_step_zero_raises_as_python_does():
    with pytest.raises(ValueError):
        range(0, 5, 0)
    with pytest.raises(ValueError):
        ours("range", 0, 5, 0)


@hypothesis.given(st.lists(st.one_of(st.integers(-9, 9), st.floats(-9, 9, allow_nan=False)), min_size=1, max_size=4))
def test_numbers_agree_with_python(values):
    if len(values) > 1:  # min(3) raises: one argument must be a sequence
        assert ours("min", *values) == min(*values)
        assert ours("max", *values) == max(*values)
    assert ours("min", values) == min(values) and ours("max", tuple(values)) == max(values)
    assert ours("int", values[0]) == int(values[0])
    assert ours("int", str(int(values[0]))) == int(str(int(values[0])))
    assert ours("sorted", values, reverse=True) == sorted(values, reverse=True)


def test_iteration_stops_at_what_the_program_shows():
    assert iter_values(range(3)) == [0, 1, 2]
    assert iter_values(range(MAX_MATERIALISE + 1)) is None  # too long to list
    assert iter_values(UNKNOWN) is None
    assert ours("len", UNKNOWN) is UNKNOWN
    assert ours("zip", [1], UNKNOWN) is UNKNOWN
    assert ours("list", UNKNOWN) is UNKNOWN
    assert ours("sorted", [3, 1], key=abs) is UNKNOWN  # key= not followed
    assert ours("sorted", [1, "a"]) is UNKNOWN  # Python raises TypeError
    # Calls the model does not take reach the evaluator's fallback.
    assert ours("range", "a") is DECLINE
    assert ours("min", []) is DECLINE  # Python raises
    assert ours("max", [1, 2], key=abs) is DECLINE  # key= not followed
    assert ours("int", "twelve") is DECLINE  # Python raises
    assert ours("int", "3") == 3
    assert ours("len") is DECLINE


# ---------------------------------------------------------- methods
LIST_CASES = [
    ("append", (7,)), ("extend", ([8, 9],)), ("extend", ((1,),)), ("pop", ()), ("pop", (0,)), ("pop", (-2,)),
    ("insert", (1, 5)), ("insert", (-1, 5)), ("insert", (99, 5)), ("reverse", ()), ("copy", ()),
    ("sort", ()), ("remove", (2,)), ("clear", ()), ("index", (3,)), ("count", (1,)),
]


@pytest.mark.parametrize("method,args", LIST_CASES)
def test_list_methods_agree_with_python(method, args):
    theirs, mine = [3, 1, 2], [3, 1, 2]
    expected = getattr(theirs, method)(*copy.deepcopy(args))
    got = ours(f"list.{method}", *args, receiver=mine)
    assert got == expected
    assert mine == theirs


DICT_CASES = [("copy", ()), ("keys", ()), ("values", ()), ("items", ()), ("get", ("a",)), ("get", ("z",)),
              ("get", ("z", 5)), ("pop", ("a",)), ("pop", ("z", 5)), ("pop", ("b", None)),
              ("update", ({"a": 7, "c": 3},)), ("update", ()), ("setdefault", ("a", 9)), ("setdefault", ("z", 9)),
              ("setdefault", ("y",)), ("popitem", ()), ("clear", ())]


@pytest.mark.parametrize("method,args", DICT_CASES)
def test_dict_methods_agree_with_python(method, args):
    theirs, mine = {"a": 1, "b": 2}, {"a": 1, "b": 2}
    expected = getattr(theirs, method)(*args)
    got = ours(f"dict.{method}", *args, receiver=mine)
    assert got == (list(expected) if method in ("keys", "values", "items") else expected)
    assert mine == theirs


def test_methods_the_model_cannot_follow():
    assert ours("list.pop", 5, receiver=[1]) is UNKNOWN  # Python raises IndexError
    assert ours("list.pop", receiver=[]) is DECLINE
    items = [1]
    assert ours("list.extend", UNKNOWN, receiver=items) is None
    # items nobody knows, how many neither: its length, items and array are unknown
    assert iter_values(items) is None and ours("len", items) is UNKNOWN and ours("list", items) is UNKNOWN
    assert ours("list.extend", [2], receiver=items) is None and iter_values(items) is None
    assert ours("dict.get", [1], receiver={"a": 1}) is UNKNOWN  # unhashable key: Python raises
    assert ours("dict.pop", "z", receiver={"a": 1}) is DECLINE  # Python raises KeyError
    assert ours("list.remove", 9, receiver=[1]) is DECLINE  # Python raises ValueError
    items = [3, 1, 2]
    assert ours("list.sort", receiver=items, key=UNKNOWN) is None
    assert items == [UNKNOWN] * 3  # sorted by a key we do not follow: same length, order unknown
    items = [3, UNKNOWN]
    assert ours("list.remove", 3, receiver=items) is None and items == [UNKNOWN]
    assert ours("list.index", UNKNOWN, receiver=[1]) is UNKNOWN
    config = {"a": 1, "b": 2}
    assert ours("dict.update", UNKNOWN, receiver=config) is None
    assert config == {"a": UNKNOWN, "b": UNKNOWN}  # any key may have changed


@pytest.mark.parametrize("args,kwargs", [((), {"units": 3}), (({"a": 1},), {"b": 2}), (([("a", 1), ("b", 2)],), {}),
                                         (((("a", 1),),), {"a": 5}), ((), {})])
def test_dict_constructor_agrees_with_python(args, kwargs):
    assert ours("dict", *args, **kwargs) == dict(*args, **kwargs)


def test_dict_update_with_keywords_agrees_with_python():
    theirs, mine = {"a": 1}, {"a": 1}
    theirs.update({"b": 2}, c=3)
    assert ours("dict.update", {"b": 2}, receiver=mine, c=3) is None
    assert mine == theirs


configs = st.recursive(st.one_of(st.integers(-3, 3), st.text("ab", max_size=2), st.none(), st.booleans()),
                       lambda inner: st.one_of(st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
                                               st.dictionaries(st.text("abc", max_size=2), inner, max_size=3)),
                       max_leaves=10)


numbers = st.one_of(st.integers(-50, 50), st.floats(-50, 50, allow_nan=False), st.booleans())


@hypothesis.given(numbers, numbers, st.integers(0, 3))
def test_numeric_builtins_agree_with_python(a, b, digits):
    import builtins  # pylint: disable=import-outside-toplevel

    for name, args in (("abs", (a,)), ("round", (a,)), ("round", (a, digits)), ("float", (a,)),
                       ("divmod", (a, b)), ("pow", (a, digits)), ("bool", (a,))):
        try:
            expected = getattr(builtins, name)(*args)
        except (ZeroDivisionError, ValueError, OverflowError):
            assert ours(name, *args) is DECLINE
            continue
        assert ours(name, *args) == expected, (name, args)


@hypothesis.given(st.lists(numbers, max_size=5), configs)
def test_reductions_agree_with_python(values, config):
    assert ours("sum", values) == sum(values)
    assert ours("sum", values, 10) == sum(values, 10)
    assert ours("any", values) == any(values) and ours("all", values) == all(values)
    assert ours("bool", config) == bool(config)
    if isinstance(config, (list, tuple)):
        assert ours("any", config) == any(config) and ours("all", config) == all(config)


def test_reductions_of_what_the_model_cannot_see():
    assert ours("sum", UNKNOWN) is UNKNOWN
    assert ours("sum", [1, UNKNOWN]) is UNKNOWN
    assert ours("any", [0, UNKNOWN]) is UNKNOWN
    assert ours("bool", UNKNOWN) is UNKNOWN
    assert ours("abs", UNKNOWN) is DECLINE
    assert ours("pow", 10, 10 ** 6) is DECLINE


TYPE_NAMES = ["int", "float", "str", "bool", "tuple", "list", "dict", "set", "range"]


@hypothesis.given(configs, st.lists(st.sampled_from(TYPE_NAMES), min_size=1, max_size=3))
def test_isinstance_agrees_with_python(value, names):
    import builtins  # pylint: disable=import-outside-toplevel

    from shapelint.frontend.resolve import Ref  # pylint: disable=import-outside-toplevel

    refs = [Ref(f"builtins.{n}") for n in names]
    theirs = tuple(getattr(builtins, n) for n in names)
    assert ours("isinstance", value, refs[0]) == isinstance(value, theirs[0])
    assert ours("isinstance", value, tuple(refs)) == isinstance(value, theirs)


def test_isinstance_of_what_the_model_cannot_tell():
    from shapelint.frontend.resolve import Ref  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.values import Tensor  # pylint: disable=import-outside-toplevel

    assert ours("isinstance", UNKNOWN, Ref("builtins.int")) is UNKNOWN
    assert ours("isinstance", Tensor(0), Ref("builtins.list")) is UNKNOWN  # a tensor's class is not ours to name
    assert ours("isinstance", 3, Ref("numpy.ndarray")) is UNKNOWN
    assert ours("isinstance", 3, UNKNOWN) is UNKNOWN


def ours_copy(name, value):
    return library.dispatch(None, LibraryCall(f"copy.{name}", [value], {}, node=None))


@hypothesis.given(configs)
def test_copy_module_agrees_with_python(value):
    deep, shallow = ours_copy("deepcopy", value), ours_copy("copy", value)
    assert deep == copy.deepcopy(value) and shallow == copy.copy(value)
    for mine, theirs in ((deep, copy.deepcopy(value)), (shallow, copy.copy(value))):
        # What Python copies is a new object; what it shares stays shared.
        assert (mine is value) == (theirs is value)
        if isinstance(value, (list, dict)) and value:
            first = next(iter(value.values() if isinstance(value, dict) else value))
            got = next(iter(mine.values() if isinstance(mine, dict) else mine))
            want = next(iter(theirs.values() if isinstance(theirs, dict) else theirs))
            assert (got is first) == (want is first)


def test_copy_of_what_the_model_does_not_hold_is_declined():
    class Layer:  # a stand-in for a value outside plain configuration data
        pass
    assert ours_copy("deepcopy", [Layer()]) is DECLINE
    assert ours_copy("copy", Layer()) is DECLINE
    assert ours_copy("deepcopy", UNKNOWN) is DECLINE


def test_a_generator_argument_is_consumed_as_python_consumes_it():
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    source = ("from keras import layers\nxs = [3, 1, 4]\ninp = layers.Input((3,))\n"
              "a = layers.Dense(sum(v * 2 for v in xs if v > 1))(inp)\n"
              "b = layers.Dense(max(v + 1 for v in xs))(inp)\n")
    assert [r.output_shape[-1] for r in analyze_source(source, "m.py").layers] == [
        sum(v * 2 for v in [3, 1, 4] if v > 1), max(v + 1 for v in [3, 1, 4])]


plain = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False), st.text("ab", max_size=2),
                  small, small.map(tuple), st.dictionaries(st.sampled_from("ab"), st.integers(0, 2), max_size=2))


@hypothesis.given(plain, plain)
def test_type_comparisons_agree_with_python(a, b):
    from shapelint.engine import analyze_source  # pylint: disable=import-outside-toplevel

    assert ours("type", a).qualname == f"builtins.{type(a).__name__}"
    # decided as Python decides it: the Dense exists only where the test holds
    for test in ("type(a) is type(b)", "type(a) == list", "type(a) is not tuple", "type(b) != dict"):
        source = (f"import keras\na = {a!r}\nb = {b!r}\nx = keras.Input((3,))\n"
                  f"if {test}:\n    x = keras.layers.Dense(2)(x)\n")
        result = analyze_source(source, "t.py")
        took = eval(test, {}, {"a": a, "b": b})  # pylint: disable=eval-used
        rows = [(layer.to_json()["layer"], layer.to_json()["exact"]) for layer in result.layers]
        assert rows == ([("Dense", True)] if took else []), (test, a, b, rows)


def test_type_of_values_shapelint_does_not_compute_with_declines():
    assert ours("type", UNKNOWN) is DECLINE
    assert ours("type", 1, 2, 3) is DECLINE
