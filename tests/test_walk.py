"""shapelint.frontend.walk visits what astroid's ``nodes_of_class`` visits,
in the same order: the module scan's imports are in that order, and every
other walk of the engine relies on the same nodes being found."""
from __future__ import annotations

import glob
import os

import pytest
from astroid import nodes

from shapelint.frontend.parsing import ModuleScan, parse
from shapelint.frontend.walk import _FIELDS, nodes_in, nodes_of

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every statement and expression kind of Python 3.11, the orders that differ
# between _astroid_fields and get_children among them (positional-only
# parameters, a class's keywords, a docstring), tuples inside fields
# (dict items, comparison operators, with-items with and without ``as``) and
# None inside lists (parameters without defaults or annotations).
KITCHEN_SINK = '''
"""A module docstring."""
from __future__ import annotations
import os, sys as system
from . import sibling
from .pkg.mod import (a as b, c)
import keras
from keras import layers

GLOBAL: int = 3
counter = 0


@decorator(1, key=2)
@other.attribute
def function(p1, p2: int = 1, /, a=0, b: "str" = "x", *args: int, k1, k2: float = 2.0, **kwargs: dict) -> None:
    """A function docstring."""
    global counter
    counter += 1
    x = y = [1, 2, *args]
    (first, *rest), second = x, {**kwargs, "k": 1}
    del x[0], rest
    if (n := len(args)) > 2 and not a or b is None:
        pass
    elif 1 < p1 <= 3 != p2 in args not in kwargs is not None:
        return
    else:
        raise ValueError("no") from None
    assert p1, "message"
    value = a if b else (lambda q, r=1, *s, t, **u: q + r)
    items = [i * 2 for i in range(10) if i % 2 for j in range(i)]
    table = {k: v for k, v in kwargs.items()}
    unique = {i for i in args}
    lazy = (i for i in args)
    text = f"{a!r:>{b}} and {p1:.2f} {{literal}}"
    piece = x[1:2:3], x[::2], x[a, b], x[...]
    attr = os.path.join
    os.environ["A"] = "1"
    system.attr_value = 3
    del system.attr_value
    with open(a) as handle, open(b), open(a) as (h1, h2):
        handle.read()
    try:
        pass
    except (ValueError, TypeError) as error:
        print(error)
    except Exception:
        pass
    else:
        pass
    finally:
        pass
    for i, j in zip(a, b):
        continue
    else:
        pass
    while n:
        break
    else:
        pass
    match value:
        case [1, 2, *others]:
            pass
        case {"key": 1, **remainder}:
            pass
        case Point(x=0, y=_) | Point(1, 2) if a:
            pass
        case None | True | "text" as captured:
            pass
        case other.CONSTANT:
            pass
    def inner():
        nonlocal value
        value = -value
        yield value
        yield from range(3)
    return inner


class Model(keras.Model, metaclass=Meta, other=1):
    """A class docstring."""
    units: int = 4

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)

    def call(self, inputs, training=None):
        return self.dense(inputs)


async def coroutine(a):
    async with a as b:
        pass
    async for c in b:
        await c
    return [d async for d in a]


def except_groups():
    try:
        pass
    except* ValueError as group:
        pass


inputs = keras.Input(shape=(8,))
outputs = layers.Dense(1, activation="sigmoid")(inputs)
model = keras.Model(inputs, outputs)
'''


def _same(tree) -> None:
    expected = list(tree.nodes_of_class(nodes.NodeNG))
    got = nodes_in(tree)
    assert len(got) == len(expected)
    mismatched = [(e, g) for e, g in zip(expected, got) if e is not g]
    assert not mismatched, mismatched[:3]


def test_every_kind_of_node_in_the_order_of_nodes_of_class():
    module = parse(KITCHEN_SINK, path="sink.py")
    _same(module)
    for node in nodes_in(module):  # from any node, not only a module
        _same(node)
    kinds = {type(node).__name__ for node in nodes_in(module)}
    # the parts whose order differs from _astroid_fields, and tuples/None in fields, were met
    assert {"Arguments", "ClassDef", "Dict", "Compare", "With", "Match", "MatchMapping", "TryStar",
            "NamedExpr", "JoinedStr", "DictUnpack", "AsyncWith"} <= kinds


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.py"), recursive=True)),
                         ids=lambda p: os.path.relpath(p, ROOT))
def test_fixtures_walked_as_nodes_of_class(path):
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    _same(parse(source, path=path))


def test_nodes_of_filters_by_class():
    module = parse(KITCHEN_SINK, path="sink.py")
    for klass in (nodes.Name, nodes.Call, (nodes.Import, nodes.ImportFrom), nodes.FunctionDef):
        assert nodes_of(module, klass) == list(module.nodes_of_class(klass))


def test_a_class_the_table_does_not_know_is_asked_its_children():
    class Odd(nodes.Name):  # another get_children than its fields say
        def get_children(self):
            yield self.extra

    module = parse("x = 1\n", path="odd.py")
    odd = Odd(name="odd", lineno=1, col_offset=0, end_lineno=1, end_col_offset=3, parent=module)
    odd.extra = module.body[0]
    try:
        assert nodes_in(odd) == list(odd.nodes_of_class(nodes.NodeNG))
        assert _FIELDS[Odd] is None
    finally:
        _FIELDS.pop(Odd, None)


def test_module_scan_imports_in_source_order():
    scan = ModuleScan(parse(KITCHEN_SINK, path="sink.py"))
    assert [(modname, level) for modname, _, level in scan.imports] == [
        ("__future__", 0), (None, 0), ("", 1), ("pkg.mod", 1), (None, 0), ("keras", 0)]
    assert scan.defined == {"function", "inner", "Model", "__init__", "call", "coroutine", "except_groups"}
