"""Run Keras programs under real TensorFlow and record what Keras computes.

    python tests/oracle_runner.py OUT.json FIXTURE.py...

For every fixture (all in this one process) it records each symbolic layer
application -- keyed by the source position of the call in the fixture
(line, col), or of the layer's construction when Keras itself calls the
layer (inside a Sequential) -- with the Keras class name, the output
shape(s) and ``count_params()``; each model the program constructs, with
its total ``count_params()``; and whether running the program raised,
with the exception and the fixture line it surfaced on.  This is the oracle
the tests compare shapelint against: the truth is what Keras does.
"""
from __future__ import annotations

import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


_MERGE_FUNCTIONS = {"concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum", "dot"}


def _position(frame):
    """(line, col) of the instruction a frame is executing."""
    code = frame.f_code
    try:
        positions = list(code.co_positions())
        line, _end, col, _end_col = positions[frame.f_lasti // 2]
        if line is not None and col is not None:
            return line, col
    except Exception:  # pylint: disable=broad-except
        pass
    return frame.f_lineno, 0


def _shape(value):
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    try:
        return [None if d is None else int(d) for d in shape]
    except TypeError:
        return None


def _models(models):
    """Each model the program constructed: where, its class and its
    ``count_params()`` (None while it is unbuilt)."""
    out = []
    for model in models:
        try:
            params = int(model.count_params())
        except Exception:  # pylint: disable=broad-except
            params = None
        line, col = model._oracle_ctor  # pylint: disable=protected-access
        out.append({"line": line, "col": col, "class": type(model).__name__, "params": params})
    return out


def main(out_path, fixtures):
    import numpy as np  # pylint: disable=import-outside-toplevel
    import keras  # pylint: disable=import-outside-toplevel
    import runpy  # pylint: disable=import-outside-toplevel

    current = {"path": None, "layers": [], "models": []}
    base_layer = keras.layers.Layer
    original_init = base_layer.__init__
    original_call = base_layer.__call__

    def patched_init(self, *args, **kwargs):
        # The construction site is the first frame above the chain of
        # __init__ methods; layers Keras builds itself (inside an
        # application, a wrapper, a cell) are not constructed by the program.
        frame = sys._getframe(1)  # pylint: disable=protected-access
        while frame is not None and frame.f_code.co_name == "__init__":
            frame = frame.f_back
        if frame is not None and os.path.abspath(frame.f_code.co_filename) != current["path"]:
            frame = None
        if frame is not None and not hasattr(self, "_oracle_ctor"):
            object.__setattr__(self, "_oracle_ctor", _position(frame))
            if isinstance(self, keras.Model):
                current["models"].append(self)
        original_init(self, *args, **kwargs)

    def patched_call(self, *args, **kwargs):
        outputs = original_call(self, *args, **kwargs)
        try:
            flat = keras.tree.flatten(outputs)
            # Symbolic KerasTensors (functional/Sequential builds) and the
            # tensors of subclassed models' build/fit traces alike.
            if flat and all(hasattr(t, "shape") for t in flat):
                caller = sys._getframe(1)  # pylint: disable=protected-access
                if os.path.abspath(caller.f_code.co_filename) == current["path"]:
                    key, how = _position(caller), "call"
                    object.__setattr__(self, "_oracle_direct", True)
                elif getattr(self, "_oracle_direct", False):
                    # Re-run by Keras (fit of a functional model) of a layer
                    # the program applied itself: already recorded there.
                    key, how = None, "internal"
                else:
                    key, how = getattr(self, "_oracle_ctor", None), "internal"
                    if key is None and caller.f_code.co_name in _MERGE_FUNCTIONS and caller.f_back is not None \
                            and os.path.abspath(caller.f_back.f_code.co_filename) == current["path"]:
                        # layers.concatenate([...]) builds and calls the layer itself.
                        key, how = _position(caller.f_back), "call"
                # A model applied like a layer (a shared Sequential tower,
                # an encoder called on a tensor) is a row of Keras' summary
                # too; a subclassed model's own call is not a layer here.
                as_layer = not isinstance(self, keras.Model) or (
                    how == "call" and type(self).__name__ in ("Sequential", "Functional"))
                if key is not None and as_layer:
                    try:
                        params = int(self.count_params())
                    except Exception:  # pylint: disable=broad-except
                        params = None
                    current["layers"].append({
                        "line": key[0], "col": key[1], "how": how,
                        "class": type(self).__name__,
                        "output_shapes": [_shape(t) for t in flat],
                        "params": params,
                    })
        except Exception:  # pylint: disable=broad-except
            pass
        return outputs

    base_layer.__init__ = patched_init
    base_layer.__call__ = patched_call

    results = {}
    for path in fixtures:
        current["path"] = os.path.abspath(path)
        current["layers"] = []
        current["models"] = []
        error = None
        np.random.seed(0)
        keras.utils.set_random_seed(0)
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException as exc:  # pylint: disable=broad-except
            line = None
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if os.path.abspath(frame.f_code.co_filename) == current["path"]:
                    line = lineno
            error = {"type": type(exc).__name__, "message": str(exc)[:2000], "line": line}
        results[path] = {"layers": current["layers"], "models": _models(current["models"]), "error": error}
        keras.backend.clear_session()
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
