"""An ``if`` the analysis cannot decide whose branches only ``print``
(plain expressions: no call, no binding) runs both branches on the scope
itself, without copying it for each branch and joining the copies.  The
result is the one the copies give; a branch that could change anything
(a call in an argument, a rebound ``print``, a star import) still gets its
copy."""
from __future__ import annotations

import textwrap

import pytest
import astroid
from astroid import extract_node

from shapelint.engine import analyze_source
from shapelint.frontend.evaluator import Evaluator, _inert_statement
from shapelint.frontend.scope import Env

LOOP = """
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

history = []
sizes = {"units": 4}
model = keras.Sequential([keras.Input((8,)), layers.Dense(sizes["units"])])
for epoch in range(3):
    guess = np.random.randint(0, 9)
    history.append(epoch)
    if guess == 3:
        print("right", guess, f"{epoch:>3}", history[-1], sizes["units"] + 1, model.output_shape)
    else:
        print("wrong", end=" ")
        pass
    if guess > 4:
        print(history)
    x = layers.Dense(len(history))(model.output)
head = layers.Dense(sizes["units"] * 2)(x)
"""

NOT_INERT = {
    "a call in an argument": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        items = []
        inp = keras.Input((8,))
        if np.random.rand() > 0.5:
            print(items.append(1))
        x = layers.Dense(len(items) + 1)(inp)
    """,
    "print rebound": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        items = []
        def print(*args):
            items.append(args)
        inp = keras.Input((8,))
        if np.random.rand() > 0.5:
            print("x")
        x = layers.Dense(len(items) + 1)(inp)
    """,
    "a layer applied in an argument": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        inp = keras.Input((8,))
        if np.random.rand() > 0.5:
            print(layers.Dense(3)(inp))
        x = layers.Dense(2)(inp)
    """,
}


def _json(source: str) -> dict:
    return analyze_source(textwrap.dedent(source), "prog.py").to_json()


def _without_fast_path(monkeypatch, source: str) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(Evaluator, "_inert_branches", lambda self, stmt, env: False)
        return _json(source)


def test_print_only_branches_give_what_the_copies_give(monkeypatch):
    calls = []
    real = Evaluator._inert_branches

    def counting(self, stmt, env):
        answer = real(self, stmt, env)
        calls.append(answer)
        return answer

    monkeypatch.setattr(Evaluator, "_inert_branches", counting)
    fast = _json(LOOP)
    monkeypatch.undo()
    assert calls and all(calls)  # the fast path was taken at each undecided if
    slow = _without_fast_path(monkeypatch, LOOP)
    assert fast == slow
    layers = fast["layers"]
    assert [row["output_shape"] for row in layers if row["line"] == 19] == [[None, 1], [None, 2], [None, 3]]
    assert [row["output_shape"] for row in layers if row["line"] == 20] == [[None, 8]]


@pytest.mark.parametrize("name", sorted(NOT_INERT))
def test_branches_that_may_change_something_are_copied(monkeypatch, name):
    taken = []
    real = Evaluator._inert_branches
    monkeypatch.setattr(Evaluator, "_inert_branches",
                        lambda self, stmt, env: taken.append(real(self, stmt, env)) or taken[-1])
    fast = _json(NOT_INERT[name])
    monkeypatch.undo()
    assert taken == [False]
    assert fast == _without_fast_path(monkeypatch, NOT_INERT[name])


def _statement(source: str):
    return astroid.parse(source).body[0]


def test_inert_statements():
    assert _inert_statement(_statement("print('a', x[1:], f'{y!r:>{w}}', a + b, c.d, *e, end='')"))
    assert _inert_statement(_statement("pass"))
    for source in ("print(f(x))", "print([i for i in x])", "print((y := 3))", "log('a')", "x = 1",
                   "print(lambda: 1)", "obj.print('a')"):
        assert not _inert_statement(_statement(source)), source


def test_a_star_import_could_bind_print():
    """A name no scope binds may come from a star import: not taken for the builtin."""
    module_env = Env()
    module_env.star_modules = ["helpers"]
    stmt = extract_node("if x:\n    print('a')\n")
    ev = Evaluator.__new__(Evaluator)
    ev._inert_ifs = {}  # pylint: disable=protected-access
    assert not ev._inert_branches(stmt, Env(module_env))  # pylint: disable=protected-access
    assert ev._inert_branches(stmt, Env(Env()))  # pylint: disable=protected-access
