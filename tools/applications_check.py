"""Spot check: shapelint's exact rows on Keras' applications sources
against the real models.

    .venv/bin/python tools/applications_check.py DIR [FILE ...]

For each ``*.py`` of DIR (a checkout's ``keras/src/applications``, or
keras-applications' package) whose module name is one of the installed
``keras.applications`` modules, runs ``shapelint --format json`` on the
file, builds every model that module exports (``weights=None``, inside
``keras.StatelessScope(initialize_variables=False)``: Keras' own layers and
shapes, no random initialisation) and compares the multiset of
(layer class, output shape) of shapelint's exact rows (rows listed from
another file, ``via``, left out) with that of every layer of the models
(nested models' layers included).  Prints, per file, the exact rows Keras
has no such layer for (a wrong claim, or a source that differs from the
installed Keras) and the Keras layers shapelint has no exact row for (what
it does not reach).  Needs TensorFlow; nothing of DIR is copied or kept.
"""
from __future__ import annotations

import collections
import inspect
import json
import os
import subprocess
import sys
import warnings


def keras_layers(keras, builder) -> collections.Counter:
    with keras.StatelessScope(initialize_variables=False):
        model = builder(weights=None)
    found: collections.Counter = collections.Counter()

    def walk(m):
        for layer in m.layers:
            if type(layer).__name__ == "InputLayer":
                continue
            if not isinstance(layer.output, (list, tuple)):
                found[(type(layer).__name__, tuple(layer.output.shape))] += 1
            if hasattr(layer, "layers"):
                walk(layer)

    walk(model)
    return found


def main(argv) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    root, names = argv[0], argv[1:]
    warnings.filterwarnings("ignore")
    import keras  # pylint: disable=import-outside-toplevel
    import keras.applications as apps  # pylint: disable=import-outside-toplevel
    by_module = collections.defaultdict(list)
    for name in dir(apps):
        obj = getattr(apps, name)
        if inspect.isfunction(obj) and name[:1].isupper():
            by_module[obj.__module__.rsplit(".", 1)[-1]].append(obj)
    totals = collections.Counter()
    for file in names or sorted(os.listdir(root)):
        module = file[:-3]
        if not file.endswith(".py") or module not in by_module:
            continue
        out = subprocess.run([sys.executable, "-m", "shapelint", "--format", "json", "--exit-zero",
                              os.path.join(root, file)], capture_output=True, text=True, check=False).stdout
        rows = json.loads(out)["files"][0]["layers"]
        ours = collections.Counter((r["layer"], tuple(r["output_shape"])) for r in rows
                                   if r["exact"] and "via" not in r)
        theirs: collections.Counter = collections.Counter()
        for builder in by_module[module]:
            theirs += keras_layers(keras, builder)
        wrong, missed = ours - theirs, theirs - ours
        totals.update(ours=sum(ours.values()), wrong=sum(wrong.values()), keras=sum(theirs.values()),
                      missed=sum(missed.values()))
        print(f"{file}: {sum(ours.values())} exact rows, {sum(theirs.values())} Keras layers; "
              f"exact rows Keras has no such layer for: {sum(wrong.values())} {sorted(wrong.items())[:4]}; "
              f"Keras layers without an exact row: {sum(missed.values())}", flush=True)
    print(f"total: {totals['ours']} exact rows, {totals['wrong']} without a Keras layer; "
          f"{totals['keras']} Keras layers, {totals['missed']} without an exact row")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
