"""A ``for`` loop whose passes repeat runs two of them (frontend/loop_passes.py).

The reference is the analysis with the skip switched off (every pass run):
the JSON must be the same, and the skip must really happen where the text
and the 2nd pass allow it (``account`` is spied on), and not where a later
pass could differ."""
from __future__ import annotations

import textwrap

import pytest
from astroid import extract_node

from shapelint.engine import analyze_source
from shapelint.frontend import loop_passes


def _json(source: str) -> dict:
    return analyze_source(textwrap.dedent(source), "prog.py").to_json()


@pytest.fixture()
def skips(monkeypatch):
    """The number of passes skipped, per ``account`` that allowed it."""
    seen: list = []
    account = loop_passes.account

    def spy(ev, passes, *rest):
        allowed = account(ev, passes, *rest)
        if allowed:
            seen.append(passes)
        return allowed

    monkeypatch.setattr(loop_passes, "account", spy)
    return seen


def _reference(monkeypatch, source: str) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(loop_passes, "ENABLED", False)
        return _json(source)


# --- the loop's text ------------------------------------------------------------

REPEATING = {
    "predict and decode": """
        for i in range(10):
            ind = np.random.randint(0, len(x_val))
            rowx = x_val[np.array([ind])]
            preds = np.argmax(model.predict(rowx), axis=-1)
            q = decode(rowx[0])
            print("Q", q[::-1] if REVERSE else q, end=" ")
            if q == preds:
                print("ok " + q)
            else:
                print("no " + q)
    """,
    "target quoted by a print": """
        for epoch in range(1, 30):
            print("Iteration", epoch, f"{epoch}")
            model.fit(x, y, epochs=1)
    """,
    "an inner loop": """
        for epoch in range(3):
            for batch in range(4):
                loss = step(batch)
                print(loss)
            total = [v * 2 for v in range(3)]
    """,
    "a comprehension's own name": """
        for _ in range(3):
            ys = [k + 1 for k in range(4) if k]
    """,
}

NOT_REPEATING = {
    "the target read": "for i in range(3):\n    x = f(i)",
    "the target in a call in a print": "for i in range(3):\n    print(f(i))",
    "a carried name": "for i in range(3):\n    x = g(x)",
    "a name only a branch assigns": "for i in range(3):\n    if c:\n        y = 1\n    z = y",
    "a name an inner loop assigns": "for i in range(3):\n    for j in range(2):\n        w = 1\n    v = w",
    "read before assigned": "for i in range(3):\n    a = b\n    b = 1",
    "an attribute set": "for i in range(3):\n    self.n = 1",
    "an item set": "for i in range(3):\n    d[0] = 1",
    "an augmented assignment": "for i in range(3):\n    n += 1",
    "a break": "for i in range(3):\n    x = f()\n    break",
    "a continue": "for i in range(3):\n    continue",
    "a while": "for i in range(3):\n    while c:\n        pass",
    "a function defined": "for i in range(3):\n    def f():\n        pass",
    "a lambda": "for i in range(3):\n    f = lambda: 1",
    "a walrus": "for i in range(3):\n    x = (y := 2)",
    "an else": "for i in range(3):\n    x = 1\nelse:\n    x = 2",
    "an attribute target": "for self.i in range(3):\n    x = 1",
    "the comprehension reads the target": "for i in range(3):\n    x = [k for k in range(i)]",
}


@pytest.mark.parametrize("name", sorted(REPEATING))
def test_repeating_text(name):
    assert loop_passes.repeats(extract_node(textwrap.dedent(REPEATING[name])))


@pytest.mark.parametrize("name", sorted(NOT_REPEATING))
def test_not_repeating_text(name):
    assert not loop_passes.repeats(extract_node(NOT_REPEATING[name]))


# --- the analysis ---------------------------------------------------------------

PREDICT_LOOP = """
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

class Table:
    def __init__(self, chars):
        self.chars = chars

    def decode(self, x):
        x = x.argmax(axis=-1)
        return "".join(self.chars[i] for i in x)

ctable = Table("0123456789")
x_val = np.zeros((100, 7, 12))
model = keras.Sequential([keras.Input((7, 12)), layers.LSTM(16), layers.Dense(12, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
for epoch in range(1, 8):
    print("Iteration", epoch)
    model.fit(x_val, np.zeros((100, 12)), epochs=1, validation_data=(x_val, np.zeros((100, 12))))
    for i in range(10):
        ind = np.random.randint(0, len(x_val))
        rowx = x_val[np.array([ind])]
        preds = model.predict(rowx[0])
        q = ctable.decode(rowx[0])
        print("Q", q, end=" ")
head = keras.Input(shape=(epoch, i + 1))
out = layers.Dense(4)(head)
"""


def test_same_result_and_passes_skipped(monkeypatch, skips):
    got = _json(PREDICT_LOOP)
    assert skips, "no pass was skipped"
    assert got == _reference(monkeypatch, PREDICT_LOOP)
    # predict on a row without its batch axis (LSTM gets rank 2): one finding, as every pass gives it
    assert [f["symbol"] for f in got["findings"]] == ["input-data-mismatch"]
    # the targets hold the last items, as Python leaves them: Input(shape=(7, 10))
    assert got["layers"][-1]["input_shapes"] == [[None, 7, 10]]


def _records(source: str) -> int:
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    return len(Evaluator(parse(textwrap.dedent(source), path="prog.py")).run().trainings)


def test_training_calls_counted_as_if_every_pass_ran(monkeypatch, skips):
    with_skip = _records(PREDICT_LOOP)
    assert skips
    with monkeypatch.context() as patch:
        patch.setattr(loop_passes, "ENABLED", False)
        assert _records(PREDICT_LOOP) == with_skip == 7 * 2 + 7 * 10


DIFFERING = {
    "an outer list appended to": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        rows = []
        for i in range(5):
            rows.append(3)
        inp = keras.Input((len(rows),))
        x = layers.Dense(2)(inp)
    """,
    "a list of arrays filled": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        rows = []
        for i in range(5):
            row = np.zeros((3,))
            rows.append(row)
        data = np.array(rows)
        model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
        model.compile(loss="mse")
        model.fit(data, np.zeros((4, 2)))
    """,
    "an instance's attribute set by a method": """
        from tensorflow import keras
        from tensorflow.keras import layers
        class Counter:
            def __init__(self):
                self.n = 1
            def bump(self):
                self.n = self.n + 1
        c = Counter()
        for _ in range(4):
            c.bump()
        x = layers.Dense(2)(keras.Input((c.n,)))
    """,
    "a global assigned by a function": """
        from tensorflow import keras
        from tensorflow.keras import layers
        width = 1
        def widen():
            global width
            width = width * 2
        for _ in range(4):
            widen()
        x = layers.Dense(2)(keras.Input((width,)))
    """,
    "an undecided branch joined back": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        sizes = [1]
        for _ in range(4):
            if np.random.rand() > 0.5:
                sizes.append(2)
        x = layers.Dense(2)(keras.Input((len(sizes),)))
    """,
    "a layer applied": """
        from tensorflow import keras
        from tensorflow.keras import layers
        inp = keras.Input((4,))
        dense = layers.Dense(4)
        for _ in range(3):
            out = dense(inp)
    """,
    "the model compiled again": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
        for loss in ["mse", "sparse_categorical_crossentropy", "mse"]:
            model.compile(loss="mse")
            model.fit(np.zeros((4, 3)), np.zeros((4, 2)))
    """,
    "a Sequential built by its first fit": """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([layers.Dense(2)])
        model.compile(loss="mse")
        for _ in range(3):
            model.fit(np.zeros((4, 3)), np.zeros((4, 2)))
        x = layers.Dense(2)(model.output)
    """,
}


@pytest.mark.parametrize("name", sorted(DIFFERING))
def test_same_result_where_a_pass_may_differ(monkeypatch, name):
    source = DIFFERING[name]
    assert _json(source) == _reference(monkeypatch, source)


@pytest.mark.parametrize("name", ["an outer list appended to", "a list of arrays filled",
                                  "an instance's attribute set by a method", "a global assigned by a function",
                                  "an undecided branch joined back", "a layer applied"])
def test_not_skipped_where_a_pass_changes_something(name, skips):
    _json(DIFFERING[name])
    assert not skips


def test_print_rebound_runs_every_pass(skips):
    source = """
        from tensorflow import keras
        from tensorflow.keras import layers
        seen = []
        def print(*args):
            seen.append(1)
        for epoch in range(4):
            print(epoch)
        x = layers.Dense(2)(keras.Input((len(seen),)))
    """
    got = _json(source)
    assert not skips
    assert got["layers"][-1]["input_shapes"] == [[None, 4]]


def test_budget_not_crossed_by_skipped_passes(monkeypatch, skips):
    """Where the skipped passes would have run past the statement budget,
    they run (and stop there) as before."""
    from shapelint.frontend import evaluator  # pylint: disable=import-outside-toplevel

    source = """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        x = np.zeros((10, 3))
        for _ in range(60):
            a = np.array([1, 2])
            b = np.array([3, 4])
        inp = keras.Input((3,))
        out = layers.Dense(2)(inp)
    """
    monkeypatch.setattr(evaluator, "MAX_STEPS", 100)  # the loop's 60 passes take 120
    got = _json(source)
    assert not skips
    assert got == _reference(monkeypatch, source)
    assert got["layers"] == []  # the budget stopped the analysis in the loop
