"""Check that a change leaves shapelint's output alone: snapshot the JSON the
CLI prints over the fixtures and a generated benchmark corpus, then compare.

    python tools/output_diff.py snapshot BEFORE.json [--extra DIR ...]
    ... change the code ...
    python tools/output_diff.py snapshot AFTER.json [--extra DIR ...]
    python tools/output_diff.py compare BEFORE.json AFTER.json

``snapshot`` runs ``shapelint --format json --no-cache`` (the public
contract: every layer's shapes, params and exactness, every finding with its
position, message and fixes) over ``fixtures/`` and a corpus written by
``tools/gen_corpus.py`` (``--files`` programs, seed 0, plus deep functional and
Sequential models), and over any ``--extra`` directory (real code you have on
disk; it is read, never copied).  ``compare`` prints every file whose output
differs, one line per changed layer or finding, and exits 1 if any does.
A refactor must compare equal.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))


def _python_files(directory: Path, notebooks: bool = False) -> List[Path]:
    patterns = ("*.py", "*.ipynb") if notebooks else ("*.py",)
    return sorted(p for pattern in patterns for p in directory.rglob(pattern) if ".venv" not in p.parts)


def _run_cli(files: List[Path]) -> Dict[str, dict]:
    out: Dict[str, dict] = {}
    chunk = 200  # keep command lines short
    for start in range(0, len(files), chunk):
        part = [str(p) for p in files[start:start + chunk]]
        proc = subprocess.run([sys.executable, "-m", "shapelint", "--format", "json", "--no-cache", *part],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        try:
            entries = json.loads(proc.stdout)["files"]
        except ValueError:
            entries = None
        # 2: a file it could not read (a truncated notebook) is an error entry
        if entries is None or proc.returncode not in (0, 1, 2) or (
                proc.returncode == 2 and not any("error" in e for e in entries)):
            raise SystemExit(f"shapelint exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        for entry in entries:
            out[entry["path"]] = {"layers": entry["layers"], "findings": entry["findings"],
                                  **({"error": entry["error"]} if "error" in entry else {})}
    return out


def snapshot(target: str, files_n: int, extra: List[str], corpus_dir: Optional[str],
             notebooks: bool = False) -> int:
    import gen_corpus  # pylint: disable=import-outside-toplevel

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(corpus_dir or tmp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        gen_corpus.write_corpus(str(corpus), files_n, 0, 0.2)
        gen_corpus.write_deep_model(str(corpus), 300, "functional")
        gen_corpus.write_deep_model(str(corpus), 300, "sequential")
        groups = {"fixtures": ROOT / "fixtures", "corpus": corpus}
        groups.update({f"extra{i}:{os.path.basename(os.path.normpath(d))}": Path(d) for i, d in enumerate(extra)})
        result: Dict[str, Dict[str, dict]] = {}
        for name, directory in groups.items():
            files = _python_files(directory, notebooks and name.startswith("extra"))
            by_path = _run_cli(files)
            result[name] = {str(Path(p).resolve().relative_to(directory.resolve())): v for p, v in by_path.items()}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=0, sort_keys=True)
    files = sum(len(v) for v in result.values())
    layers = sum(len(f["layers"]) for v in result.values() for f in v.values())
    findings = sum(len(f["findings"]) for v in result.values() for f in v.values())
    print(f"{target}: {files} files, {layers} layer records, {findings} findings")
    return 0


def _key(item: dict) -> str:
    return json.dumps(item, sort_keys=True)


def compare(before_path: str, after_path: str) -> int:
    with open(before_path, encoding="utf-8") as handle:
        before = json.load(handle)
    with open(after_path, encoding="utf-8") as handle:
        after = json.load(handle)
    changed = 0
    total = 0
    for group in sorted(set(before) | set(after)):
        a, b = before.get(group, {}), after.get(group, {})
        for path in sorted(set(a) | set(b)):
            total += 1
            fa, fb = a.get(path), b.get(path)
            if fa == fb:
                continue
            changed += 1
            print(f"{group}/{path}:")
            if fa is None or fb is None:
                print("   only in", "after" if fa is None else "before")
                continue
            for kind in ("layers", "findings"):
                old = [_key(x) for x in fa[kind]]
                new = [_key(x) for x in fb[kind]]
                for item in old:
                    if item not in new:
                        print(f"  - {kind[:-1]} {item}")
                for item in new:
                    if item not in old:
                        print(f"  + {kind[:-1]} {item}")
                if sorted(old) == sorted(new) and old != new:
                    print(f"  ~ {kind} in another order")
    print(f"{total} files compared, {changed} differ")
    return 1 if changed else 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="write the CLI's JSON for every file")
    snap.add_argument("target")
    snap.add_argument("--files", type=int, default=300, help="generated programs (default 300)")
    snap.add_argument("--extra", action="append", default=[], metavar="DIR", help="more code to run over")
    snap.add_argument("--notebooks", action="store_true", help="also read the --extra directories' .ipynb files")
    snap.add_argument("--corpus-dir", default=None, help="write the generated corpus here (default: a temp dir)")
    comp = sub.add_parser("compare", help="diff two snapshots")
    comp.add_argument("before")
    comp.add_argument("after")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        return snapshot(args.target, args.files, args.extra, args.corpus_dir, args.notebooks)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
