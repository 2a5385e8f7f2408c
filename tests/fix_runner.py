"""Run Keras programs under real TensorFlow and record whether each runs.

    python tests/fix_runner.py OUT.json PROGRAM.py...

All in this one process (TensorFlow is imported once), each program as
``__main__`` in its own namespace, a fresh Keras session each.  OUT.json maps
each program to null (it built, compiled and fitted without an exception) or
to the exception it raised.  tests/test_fixes.py uses it to prove that the
programs ``--fix`` produces build and fit, and that the originals did not.
"""
from __future__ import annotations

import json
import os
import runpy
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def main(out_path: str, programs) -> None:
    import keras  # pylint: disable=import-outside-toplevel
    import numpy as np  # pylint: disable=import-outside-toplevel

    outcome = {}
    for program in programs:
        keras.backend.clear_session()
        np.random.seed(0)
        try:
            runpy.run_path(program, run_name="__main__")
            outcome[program] = None
        except Exception as exc:  # pylint: disable=broad-except
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            outcome[program] = f"{type(exc).__name__}: {first[:300]}"
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(outcome, handle, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
