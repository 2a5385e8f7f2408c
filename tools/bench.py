#!/usr/bin/env python
"""Benchmark shapelint (a script, not a test).

    .venv/bin/python tools/bench.py [--files 100] [--repeats 3] [--max-scale 1000]
                                    [--huge] [--skip-tf] [--tf-files N] [--tf-repeats N]
                                    [--workdir DIR]

Generates a corpus with tools/gen_corpus.py and measures, as the median wall
time of ``--repeats`` runs of each command in a fresh subprocess (from an
empty working directory, so no project configuration applies):

(a) ``pylint --load-plugins shapelint --disable=all --enable=shapelint FILES``
    against pylint's bare parse ``pylint --disable=all --enable=syntax-error
    FILES``: the plugin's overhead;
(b) ``shapelint --no-cache FILES`` against that bare pylint parse;
(c) TensorFlow: one ``python -c`` that imports keras and execs every file's
    model-building code (``--tf-files`` of them, default ``--files``;
    ``__name__`` is not ``"__main__"``, so no fit), against shapelint on the
    same files; also ``import keras`` alone;
(d) CLI start-up: shapelint on one small file, next to ``python -c pass``;
(e) scaling: shapelint on 1, 10, 100, 1000 files (10000 with ``--huge``) with
    --no-cache, with a cold cache (first run) and a warm one (second run), and
    with --jobs 2; one generated 1000-layer model (functional and Sequential).

``--real NAME=DIR`` (repeatable; ``--real-only`` skips (a)-(e)) measures real
code the way issue 12 asks: for each corpus, pylint's bare parse, pylint with
the plugin and ``shapelint --no-cache`` on every ``.py`` file under DIR, as
CPU seconds (user + system of the child) in 3 interleaved runs (bare, plugin,
CLI, bare, ...; the garbage collector untouched in all), medians and ratios
from the same run; the slowest file in the CLI and the files over 150 ms
(per-file CPU, best of ``--repeats``, in one warm process); and the worst
cases: a 64**3 nested data loop, the 1000-layer models, and start-up of
``shapelint`` on a one-line file and of pylint with the plugin on a one-line
Keras file.  Nothing of DIR is copied or kept.

Prints a compact table with the machine (nproc, Python) and the ratios.
"""
from __future__ import annotations

import argparse
import glob
import os
import resource
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402  pylint: disable=wrong-import-position

PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)


def _tool(name: str, module: str) -> List[str]:
    script = os.path.join(BIN, name)
    return [script] if os.path.exists(script) else [PYTHON, "-m", module]


SHAPELINT = _tool("shapelint", "shapelint")
PYLINT = _tool("pylint", "pylint")
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="", KERAS_BACKEND="tensorflow")
# Measure as installed Python runs: modules load from .pyc files (the warm-up
# writes them).  Some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every
# run recompile shapelint's (and pylint's) edited modules from source.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

TF_BUILD = r"""
import sys, time
t0 = time.perf_counter()
import keras  # TensorFlow backend
t1 = time.perf_counter()
failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    try:
        exec(compile(source, path, "exec"), {"__name__": "bench", "__file__": path})
    except Exception:
        failed += 1
    keras.backend.clear_session()
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {failed}")
"""


class Bench:
    def __init__(self, workdir: str, repeats: int, verbose: bool):
        self.workdir = workdir
        self.repeats = repeats
        self.verbose = verbose
        self.rows: List[tuple] = []
        self.cwd = os.path.join(workdir, "cwd")
        os.makedirs(self.cwd, exist_ok=True)

    def run_once(self, cmd: Sequence[str], ok_codes=(0, 1), label: str = "") -> tuple:
        start = time.perf_counter()
        proc = subprocess.run(list(cmd), cwd=self.cwd, env=ENV, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        crashed = "Traceback (most recent call last)" in proc.stderr or "internal error" in proc.stderr
        if (ok_codes is not None and proc.returncode not in ok_codes) or crashed:
            print(f"!! {label}: exit {proc.returncode}\n{proc.stderr[-1500:]}", file=sys.stderr)
        return elapsed, proc

    def median(self, cmd: Sequence[str], label: str, ok_codes=(0, 1), repeats: Optional[int] = None,
               before=None) -> float:
        times = []
        for _ in range(repeats or self.repeats):
            if before is not None:
                before()
            elapsed, _ = self.run_once(cmd, ok_codes, label)
            times.append(elapsed)
        value = statistics.median(times)
        if self.verbose:
            print(f"  {label}: {value:.3f}s  ({', '.join(f'{t:.2f}' for t in times)})", file=sys.stderr)
        return value

    def row(self, section: str, what: str, seconds: float, ratio: str = "", note: str = "") -> None:
        self.rows.append((section, what, seconds, ratio, note))
        if self.verbose:
            print(f"[{section}] {what}: {seconds:.3f}s {ratio} {note}", file=sys.stderr)


def cpu_run(cmd: Sequence[str], cwd: str) -> float:
    """CPU seconds (user + system) the child spent on ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(list(cmd), cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "Traceback (most recent call last)" in proc.stderr:
        print(f"!! {cmd[0]}: {proc.stderr[-1500:]}", file=sys.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


PER_FILE = r"""
import gc, sys, time
from shapelint.cli.lint import lint_file
repeats, files = int(sys.argv[1]), sys.argv[2:]
for path in files:
    lint_file(path, False, "", False)  # warm: imports, .pyc files
worst = []
for path in files:
    best = None
    for _ in range(repeats):  # the best of the repeats: the machine may be shared
        start = time.process_time()
        lint_file(path, False, "", False)
        gc.collect()
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    worst.append((best, path))
worst.sort(reverse=True)
for seconds, path in worst:
    print(f"{seconds:.4f} {path}")
"""

# Issue 12's bar: no file of a corpus takes more than this in the CLI.
FILE_BAR = 0.150

NESTED_LOOP = gen_corpus.NESTED_LOOP


def real_corpora(bench: "Bench", corpora: List[Tuple[str, str]], workdir: str, repeats: int) -> None:
    """Issue 12's table: real code, CPU medians of interleaved runs."""
    for name, directory in corpora:
        files = sorted(glob.glob(os.path.join(directory, "**", "*.py"), recursive=True))
        if not files:
            print(f"!! --real {name}: no .py files under {directory}", file=sys.stderr)
            continue
        cmds = {
            "bare": PYLINT + ["--disable=all", "--enable=syntax-error", "--score=n", "--persistent=n"] + files,
            "plugin": PYLINT + ["--load-plugins", "shapelint", "--disable=all", "--enable=shapelint",
                                "--score=n", "--persistent=n"] + files,
            "cli": SHAPELINT + ["--no-cache"] + files,
        }
        for cmd in cmds.values():  # warm the file cache and .pyc files
            cpu_run(cmd, bench.cwd)
        times: dict = {key: [] for key in cmds}
        for _ in range(repeats):
            for key, cmd in cmds.items():
                times[key].append(cpu_run(cmd, bench.cwd))
        med = {key: statistics.median(values) for key, values in times.items()}
        tag = f"{name}, {len(files)} files"
        bench.row("r", f"pylint bare parse ({tag})", med["bare"], "1.00x", "CPU s, median of interleaved runs")
        bench.row("r", f"pylint + shapelint plugin ({tag})", med["plugin"], f"{med['plugin'] / med['bare']:.2f}x",
                  "plugin / bare pylint")
        bench.row("r", f"shapelint --no-cache ({tag})", med["cli"], f"{med['cli'] / med['bare']:.2f}x",
                  "CLI / bare pylint")
        out = subprocess.run([PYTHON, "-c", PER_FILE, str(repeats)] + files, cwd=bench.cwd, env=ENV,
                             capture_output=True, text=True, check=False).stdout.split("\n")
        per_file = [(float(seconds), path) for seconds, path in
                    (ln.split(" ", 1) for ln in out if ln.strip())]
        for seconds, path in per_file[:1]:
            bench.row("r", f"  slowest file in the CLI ({name})", seconds, "",
                      f"{os.path.relpath(path, directory)}; CPU, best of {repeats}, in one warm process")
        over = [(seconds, path) for seconds, path in per_file if seconds > FILE_BAR]
        bench.row("r", f"  files over {1000 * FILE_BAR:.0f} ms in the CLI ({name})", FILE_BAR, str(len(over)),
                  ", ".join(f"{os.path.relpath(path, directory)} {1000 * seconds:.0f} ms"
                            for seconds, path in over[:5]) or "none")
    loop = os.path.join(workdir, "nested_loop.py")
    with open(loop, "w", encoding="utf-8") as handle:
        handle.write(NESTED_LOOP)
    one_keras = os.path.join(workdir, "one_line.py")
    with open(one_keras, "w", encoding="utf-8") as handle:
        handle.write("import keras\n")
    python = statistics.median(cpu_run([PYTHON, "-c", "pass"], bench.cwd) for _ in range(5))
    loop_cpu = statistics.median(cpu_run(SHAPELINT + ["--no-cache", loop], bench.cwd) for _ in range(repeats))
    start = statistics.median(cpu_run(SHAPELINT + ["--no-cache", one_keras], bench.cwd) for _ in range(5))
    bare_one = statistics.median(cpu_run(PYLINT + ["--disable=all", "--enable=syntax-error", "--score=n",
                                                   "--persistent=n", one_keras], bench.cwd) for _ in range(5))
    plugin_one = statistics.median(cpu_run(PYLINT + ["--load-plugins", "shapelint", "--disable=all",
                                                     "--enable=shapelint", "--score=n", "--persistent=n",
                                                     one_keras], bench.cwd) for _ in range(5))
    bench.row("w", "shapelint on a 64**3 nested data loop (CPU, whole process)", loop_cpu, "",
              f"of which start-up about {start:.3f}s")
    bench.row("w", "start-up: shapelint --no-cache on a one-line file", start, "", f"python -c pass: {python:.3f}s")
    bench.row("w", "start-up: pylint + plugin on a one-line Keras file", plugin_one, f"{plugin_one / bare_one:.2f}x",
              f"bare pylint on it: {bare_one:.3f}s")
    for style in ("functional", "sequential"):
        path = gen_corpus.write_deep_model(os.path.join(workdir, "deep"), 1000, style)
        seconds = statistics.median(cpu_run(SHAPELINT + ["--no-cache", path], bench.cwd) for _ in range(repeats))
        bench.row("w", f"1000-layer model ({style}), whole process", seconds, "", "CPU s")


# A fixed pure-Python workload: how fast this machine runs the interpreter today.
CALIBRATION_ADDS = 10_000_000
_CALIBRATION = (f"import time\ns = time.process_time()\nx = 0\nfor i in range({CALIBRATION_ADDS}): x += i\n"
                "print(time.process_time() - s)")


def _calibration(cwd: str) -> float:
    runs = []
    for _ in range(3):
        out = subprocess.run([PYTHON, "-c", _CALIBRATION], cwd=cwd, env=ENV, capture_output=True, text=True,
                             check=False)
        try:
            runs.append(float(out.stdout.strip()))
        except ValueError:
            return float("nan")
    return statistics.median(runs)


def _version(cmd: List[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=False, timeout=120)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def main(argv: Optional[List[str]] = None) -> int:  # pylint: disable=too-many-locals,too-many-statements
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100, help="corpus size for (a)-(c) (default 100)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median; default 3)")
    parser.add_argument("--max-scale", type=int, default=1000, help="largest scaling step (default 1000)")
    parser.add_argument("--huge", action="store_true", help="also 10000 files (one run each)")
    parser.add_argument("--skip-tf", action="store_true", help="skip (c)")
    parser.add_argument("--tf-files", type=int, default=None,
                        help="corpus size for (c) (default: --files); shapelint is timed on the same files")
    parser.add_argument("--tf-repeats", type=int, default=None, help="runs for (c) (default: --repeats)")
    parser.add_argument("--workdir", default=None, help="keep the corpus here (default: a temp dir)")
    parser.add_argument("--real", action="append", default=[], metavar="NAME=DIR",
                        help="also measure real code under DIR (repeatable); see the module docstring")
    parser.add_argument("--real-only", action="store_true", help="only the --real measurements")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    workdir = args.workdir or tempfile.mkdtemp(prefix="shapelint-bench-")
    bench = Bench(workdir, args.repeats, not args.quiet)
    started = time.perf_counter()
    corpora = []
    for item in args.real:
        name, sep, directory = item.partition("=")
        if not sep or not os.path.isdir(directory):
            parser.error(f"--real {item}: expected NAME=DIR with an existing DIR")
        corpora.append((name, os.path.abspath(directory)))
    if corpora:
        real_corpora(bench, corpora, workdir, args.repeats)
    if args.real_only:
        _report(bench, args, workdir, started, "real corpora only")
        return 0

    steps = [n for n in (1, 10, 100, 1000) if n <= args.max_scale]
    if args.huge:
        steps.append(10000)
    tf_n = args.tf_files or args.files
    total = max(steps + [args.files, tf_n])
    corpus = gen_corpus.write_corpus(os.path.join(workdir, "corpus"), total, seed=0)
    files = corpus[:args.files]
    small = os.path.join(workdir, "small.py")
    with open(small, "w", encoding="utf-8") as handle:
        handle.write(gen_corpus.generate(0)[1])
    deep = {style: gen_corpus.write_deep_model(os.path.join(workdir, "deep"), 1000, style)
            for style in ("functional", "sequential")}
    lines = sum(1 for path in files for _ in open(path, encoding="utf-8"))  # pylint: disable=consider-using-with

    # Warm the OS file cache and .pyc files once.
    bench.run_once(SHAPELINT + ["--no-cache"] + files[:5], label="warm-up")
    bench.run_once(PYLINT + ["--disable=all", "--enable=syntax-error"] + files[:5], ok_codes=None)

    # (a) and (b)
    bare_cmd = PYLINT + ["--disable=all", "--enable=syntax-error", "--score=n", "--persistent=n"] + files
    plugin_cmd = PYLINT + ["--load-plugins", "shapelint", "--disable=all", "--enable=shapelint",
                           "--score=n", "--persistent=n"] + files
    skip = ["--shapelint-skip-keras-sources=y"]
    bare = bench.median(bare_cmd, "pylint bare parse", ok_codes=None)
    plugin = bench.median(plugin_cmd, "pylint + shapelint", ok_codes=None)
    plugin_skip = bench.median(plugin_cmd[:-len(files)] + skip + files, "pylint + shapelint, skip keras sources",
                               ok_codes=None)
    cli = bench.median(SHAPELINT + ["--no-cache"] + files, "shapelint --no-cache")
    tag = f"{len(files)} files"
    bench.row("a", f"pylint --disable=all --enable=syntax-error ({tag})", bare, "1.00x", "baseline")
    bench.row("a", f"pylint --load-plugins shapelint --enable=shapelint ({tag})", plugin,
              f"{plugin / bare:.2f}x", "plugin / bare pylint")
    bench.row("a", "  same + --shapelint-skip-keras-sources=y", plugin_skip, f"{plugin_skip / bare:.2f}x",
              "plugin / bare pylint")
    # astroid infers ``self.x = layers.Dense(...)`` in subclassed models while
    # it builds the tree, which makes it build keras/TensorFlow modules: that
    # dominates a bare pylint run.  The same comparison without those files:
    plain = [f for f in files if not f.endswith("_subclassed.py")]
    if len(plain) < len(files):
        ptag = f"{len(plain)} files, no subclassed models"
        pbare = bench.median(bare_cmd[:-len(files)] + plain, "pylint bare parse (plain)", ok_codes=None)
        pplugin = bench.median(plugin_cmd[:-len(files)] + plain, "pylint + shapelint (plain)", ok_codes=None)
        pcli = bench.median(SHAPELINT + ["--no-cache"] + plain, "shapelint --no-cache (plain)")
        bench.row("a", f"pylint --disable=all --enable=syntax-error ({ptag})", pbare, "1.00x", "baseline")
        bench.row("a", f"pylint --load-plugins shapelint --enable=shapelint ({ptag})", pplugin,
                  f"{pplugin / pbare:.2f}x", "plugin / bare pylint")
        bench.row("b", f"shapelint --no-cache ({ptag})", pcli, f"{pcli / pbare:.2f}x", "shapelint / bare pylint")
    bench.row("b", f"shapelint --no-cache ({tag})", cli, f"{cli / bare:.2f}x", "shapelint / bare pylint")

    # (c) TensorFlow building the same models
    if not args.skip_tf:
        tf_files = corpus[:tf_n]
        tf_repeats = args.tf_repeats or args.repeats
        tf_tag = f"{tf_n} files"
        tf_cli = cli if tf_n == len(files) else bench.median(
            SHAPELINT + ["--no-cache"] + tf_files, f"shapelint --no-cache ({tf_tag})", repeats=tf_repeats)
        tf_times, import_times, build_times, failed = [], [], [], 0
        for _ in range(tf_repeats):
            elapsed, proc = bench.run_once([PYTHON, "-c", TF_BUILD] + tf_files, ok_codes=(0,), label="tf build")
            tf_times.append(elapsed)
            try:
                imp, build, failed = proc.stdout.split()[-3:]
                import_times.append(float(imp))
                build_times.append(float(build))
            except ValueError:
                pass
        tf_total = statistics.median(tf_times)
        imp = statistics.median(import_times) if import_times else float("nan")
        build = statistics.median(build_times) if build_times else float("nan")
        if tf_n != len(files):
            bench.row("c", f"shapelint --no-cache ({tf_tag})", tf_cli, "", f"{1000 * tf_cli / tf_n:.1f} ms/file")
        bench.row("c", f"python: import keras + build {tf_tag} (no fit)", tf_total,
                  f"{tf_total / tf_cli:.1f}x", f"TF / shapelint; {failed} files raised in Keras; "
                  f"median of {tf_repeats}")
        bench.row("c", "  of which import keras/TensorFlow", imp, "", "in-process")
        bench.row("c", "  of which building the models", build, f"{build / tf_cli:.1f}x",
                  f"build only / shapelint; {1000 * build / tf_n:.1f} ms/model")

    # (d) start-up
    start = bench.median(SHAPELINT + ["--no-cache", small], "shapelint one file", repeats=max(5, args.repeats))
    python = bench.median([PYTHON, "-c", "pass"], "python -c pass", ok_codes=(0,), repeats=max(5, args.repeats))
    version = bench.median(SHAPELINT + ["--version"], "shapelint --version", ok_codes=(0,),
                           repeats=max(5, args.repeats))
    bench.row("d", "shapelint --no-cache on one small file", start, "", f"python -c pass: {python:.3f}s, "
              f"shapelint --version: {version:.3f}s")

    # (e) scaling
    per_file = {}
    for n in steps:
        subset = corpus[:n]
        repeats = 1 if n >= 10000 else args.repeats
        cache_dir = os.path.join(workdir, f"cache_{n}")

        def clear(directory=cache_dir):
            shutil.rmtree(directory, ignore_errors=True)

        nocache = bench.median(SHAPELINT + ["--no-cache"] + subset, f"{n} files no cache", repeats=repeats)
        cold = bench.median(SHAPELINT + ["--cache-dir", cache_dir] + subset, f"{n} files cold cache",
                            repeats=repeats, before=clear)
        warm = bench.median(SHAPELINT + ["--cache-dir", cache_dir] + subset, f"{n} files warm cache",
                            repeats=repeats)
        jobs = bench.median(SHAPELINT + ["--no-cache", "--jobs", "2"] + subset, f"{n} files --jobs 2",
                            repeats=repeats)
        per_file[n] = nocache / n
        bench.row("e", f"{n:>5} files: --no-cache", nocache, "", f"{1000 * nocache / n:.1f} ms/file")
        bench.row("e", f"{n:>5} files: cache cold (1st run)", cold, f"{cold / nocache:.2f}x", "vs --no-cache")
        bench.row("e", f"{n:>5} files: cache warm (2nd run)", warm, f"{warm / nocache:.2f}x", "vs --no-cache")
        bench.row("e", f"{n:>5} files: --no-cache --jobs 2", jobs, f"{jobs / nocache:.2f}x", "vs --jobs 1")
    for style, path in deep.items():
        seconds = bench.median(SHAPELINT + ["--no-cache", path], f"deep {style}")
        bench.row("e", f"1000-layer model ({style})", seconds, f"{seconds / start:.1f}x", "vs one small file")

    _report(bench, args, workdir, started, f"{len(files)} generated files ({lines} lines) for (a)-(b), {tf_n} for "
            f"(c); median of {args.repeats} runs (10000-file steps: 1 run)")
    return 0


def _report(bench: Bench, args, workdir: str, started: float, corpus: str) -> None:
    print()
    print(f"machine: nproc={os.cpu_count()}  {platform.machine()}  {platform.system()} {platform.release()}")
    print(f"python {platform.python_version()}  {_version(SHAPELINT + ['--version'])}  "
          f"{_version(PYLINT + ['--version'])}")
    print(f"corpus: {corpus}; workdir {workdir}")
    print(f"machine speed: {_calibration(bench.cwd):.3f} CPU s for {CALIBRATION_ADDS:,} Python additions in a loop "
          f"(median of 3; the same machine kind has given numbers 1.7x apart on two days: compare "
          f"per-file times of two runs only with this)")
    print()
    width = max(len(r[1]) for r in bench.rows)
    print(f"{'':2} {'measurement':<{width}} {'median s':>9} {'ratio':>7}  note")
    for section, what, seconds, ratio, note in bench.rows:
        print(f"{section:2} {what:<{width}} {seconds:9.3f} {ratio:>7}  {note}")
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f}s")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
