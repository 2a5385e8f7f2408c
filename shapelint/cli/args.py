"""The command line: ruff's option names where ruff has one."""
from __future__ import annotations

import argparse
from typing import List, Optional

from shapelint import __version__

EPILOG = """\
exit status: 0 no findings (or --exit-zero), 1 findings, 2 a usage or
configuration error or a file that could not be read.

  shapelint explain E5901      print a rule's documentation (no argument: list the rules)
  shapelint server             run the language server over stdio (needs shapelint[server])
"""


def split_names(values: Optional[List[str]]) -> Optional[List[str]]:
    """``--ignore a,b --ignore c`` -> ``[a, b, c]``; None when not given."""
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shapelint",
        usage="shapelint [options] PATH...\n       shapelint explain [CODE|SYMBOL]\n       shapelint server",
        description="Find tensor-shape bugs in Keras model code without running it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, directories (recursed for .py and .ipynb) or - for stdin")
    parser.add_argument("--format", "--output-format", dest="format", choices=("text", "json", "sarif"),
                        default=None, help="output format (default: text)")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="report only these rules: codes (E5901), symbols, prefixes (E59) or ALL, "
                             "comma-separated; replaces the configuration's select")
    parser.add_argument("--ignore", action="append", metavar="RULES",
                        help="do not report these rules (added to the configuration's ignore)")
    parser.add_argument("--disable", action="append", metavar="RULES", help="the older name of --ignore")
    parser.add_argument("--exclude", action="append", metavar="GLOBS",
                        help="skip files and directories matching these globs (comma-separated), "
                             "added to the configuration's exclude")
    parser.add_argument("--fix", action="store_true",
                        help="apply the safe fixes (findings marked [*]) to the files, then report what is left")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also count the unsafe fixes (they change the model): marked [*], applied with --fix")
    parser.add_argument("--diff", action="store_true",
                        help="print the fixes --fix would make as a diff, write nothing (exit 1 if there are any)")
    parser.add_argument("--statistics", action="store_true",
                        help="print the number of findings per rule instead of the findings")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings (2 still means an error)")
    parser.add_argument("--stdin-filename", metavar="PATH",
                        help="the name of the file read from stdin (for messages, configuration, .ipynb)")
    parser.add_argument("--shapes", action="store_true",
                        help="print a static model.summary() for each model")
    parser.add_argument("--graph", metavar="FILE",
                        help="write the layer graph with shapes on the edges (.dot; .svg/.png/.pdf "
                             "need Graphviz's dot)")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="lint files in N processes (0: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    parser.add_argument("--cache-dir", default=None, help="where the cache lives (default .shapelint_cache)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also say what the analysis did not follow in each file (a budget reached)")
    parser.add_argument("--version", action="version", version=f"shapelint {__version__}")
    return parser
