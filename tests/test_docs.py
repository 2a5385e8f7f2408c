"""The message docs stay true, as pylint tests its own
(doc/test_messages_documentation.py): every message has a page with every
section, its bad.py gets the message on the line marked ``# expect:`` and its
good.py gets no finding at all."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from shapelint.engine import analyze_source
from shapelint.fixes import _planners, annotate
from shapelint.messages import MESSAGES
from shapelint.reporters import text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "messages"
SYMBOLS = sorted(MESSAGES)
SECTIONS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Known limits",
    "## Message",
)
PENDING = "<!-- output pending -->"
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+)\s*$")


def _page(symbol: str) -> str:
    path = DOCS / f"{symbol}.md"
    assert path.is_file(), f"missing page {path.relative_to(ROOT)}"
    return path.read_text(encoding="utf-8")


def _section(page: str, heading: str) -> str:
    """The text under ``heading`` up to the next ``## `` heading."""
    start = page.index(heading + "\n") + len(heading) + 1
    end = page.find("\n## ", start)
    return page[start:] if end == -1 else page[start:end]


def _code_block(section: str, lang: str) -> str:
    match = re.search(rf"```{lang}\n(.*?)```", section, re.S)
    assert match, f"no ```{lang} block in the section"
    return match.group(1)


def _example(symbol: str, name: str) -> Path:
    path = DOCS / symbol / name
    assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    return path


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_page_has_title_and_sections(symbol):
    page = _page(symbol)
    assert page.splitlines()[0] == f"# {symbol} ({MESSAGES[symbol].msg_id})"
    positions = []
    for heading in SECTIONS:
        assert re.search(rf"^{re.escape(heading)}$", page, re.M), f"{symbol}.md lacks '{heading}'"
        positions.append(page.index(heading + "\n"))
        assert _section(page, heading).strip(), f"{symbol}.md: '{heading}' is empty"
    assert positions == sorted(positions), f"{symbol}.md: sections out of order"


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_page_examples_are_the_files(symbol):
    page = _page(symbol)
    bad = _example(symbol, "bad.py").read_text(encoding="utf-8")
    good = _example(symbol, "good.py").read_text(encoding="utf-8")
    assert _code_block(_section(page, "## Example"), "python") == bad
    assert _code_block(_section(page, "## Use instead"), "python") == good


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_bad_example_gets_the_message(symbol):
    path = _example(symbol, "bad.py")
    source = path.read_text(encoding="utf-8")
    expected = [
        (number, match.group(1))
        for number, line in enumerate(source.splitlines(), start=1)
        if (match := EXPECT.search(line))
    ]
    assert [s for _, s in expected] == [symbol], (
        f"bad.py must mark exactly one line '# expect: {symbol}', found {expected}")
    line = expected[0][0]
    result = analyze_source(source, str(path))
    assert not result.notes, result.notes
    got = [(f.line, f.symbol) for f in result.findings]
    assert (line, symbol) in got, f"expected {symbol} on line {line}, got {got}"


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_good_example_is_clean(symbol):
    path = _example(symbol, "good.py")
    result = analyze_source(path.read_text(encoding="utf-8"), str(path))
    assert not result.notes, result.notes
    assert [(f.line, f.symbol, f.message) for f in result.findings] == []


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_message_section_is_real_output(symbol):
    """The page shows what ``shapelint docs/messages/<symbol>/bad.py`` prints
    from the repository root, or the pending marker while it prints nothing."""
    section = _section(_page(symbol), "## Message")
    rel = f"docs/messages/{symbol}/bad.py"
    source = (ROOT / rel).read_text(encoding="utf-8")
    result = analyze_source(source, rel)
    annotate(result, source)  # the CLI marks fixable findings ([*]) and counts the fixes
    output = text.render([result])
    if PENDING in section:
        assert output == "", (
            f"shapelint now reports on {rel}: replace {PENDING} in {symbol}.md by "
            f"the output of `shapelint {rel}`")
    else:
        assert _code_block(section, "text") == output, (
            f"{symbol}.md shows stale output: re-run `shapelint {rel}` and copy it")


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_page_says_whether_fix_can_fix_it(symbol):
    """A '**Fix:**' line under the title; a message --fix can fix has a
    'Fix safety' section and says how it is applied (safe or unsafe)."""
    page = _page(symbol)
    first = page.split("\n\n")[2]
    assert first.startswith("**Fix:** "), f"{symbol}.md: the third paragraph must be the **Fix:** line"
    if symbol in _planners():
        assert "## Fix safety\n" in page, symbol
        assert ("**safe** (`shapelint --fix`)" in first) != ("**unsafe** (`shapelint --fix --unsafe-fixes`)" in first)
    else:
        assert "## Fix safety" not in page and "**safe**" not in first and "**unsafe**" not in first


def test_readme_lists_every_message():
    readme = (DOCS / "README.md").read_text(encoding="utf-8")
    for symbol, message in MESSAGES.items():
        row = next((line for line in readme.splitlines()
                    if line.startswith(f"| {message.msg_id} ")), None)
        assert row is not None, f"README has no table row for {message.msg_id}"
        assert f"`{symbol}`" in row and f"({symbol}.md)" in row, row
    assert "pylint: disable=" in readme


def test_no_page_without_a_message():
    pages = {p.stem for p in DOCS.glob("*.md")} - {"README"}
    dirs = {p.name for p in DOCS.iterdir() if p.is_dir()}
    assert pages <= set(MESSAGES), pages - set(MESSAGES)
    assert dirs <= set(MESSAGES), dirs - set(MESSAGES)


# --- The README's examples of the command are real output --------------------------------------------

README = ROOT / "README.md"


def _shapelint(args, cwd):
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel

    return subprocess.run([sys.executable, "-m", "shapelint", *args], capture_output=True, text=True,
                          cwd=cwd, check=False)


def _readme_section(heading: str) -> str:
    readme = README.read_text(encoding="utf-8")
    start = readme.index(heading + "\n")
    end = readme.find("\n## ", start + 1)
    third = readme.find("\n### ", start + 1)
    ends = [e for e in (end, third) if e != -1]
    return readme[start:min(ends)] if ends else readme[start:]


def test_readme_first_example_is_real_output(tmp_path):
    section = _readme_section("## Try it (the main job)")
    expected = _code_block(section, "text")
    proc = _shapelint(["--cache-dir", str(tmp_path), "fixtures/bad/cnn_head_unreduced.py"], ROOT)
    assert proc.stdout == expected, "README 'Try it' shows stale output: re-run the command and copy it"


def test_readme_fix_examples_are_real_output(tmp_path):
    """Each '`shapelint ...` (real output...)' in the Fixes section, run in
    order on the copies its sh block makes, prints its block (and exits
    with the status the text names)."""
    import shlex  # pylint: disable=import-outside-toplevel
    import shutil  # pylint: disable=import-outside-toplevel

    section = _readme_section("### Fixes (`--fix`)")
    for line in _code_block(section, "sh").splitlines():
        command, source, target = shlex.split(line)
        assert command == "cp"
        shutil.copy(ROOT / source, tmp_path / target)
    examples = re.findall(r"`(shapelint [^`]+)` \(real output([^)]*)\):\n\n```(?:text|diff)\n(.*?)```", section, re.S)
    assert len(examples) >= 4, "the Fixes section lost its examples"
    for command, note, expected in examples:
        proc = _shapelint(shlex.split(command)[1:], tmp_path)
        assert proc.stdout == expected, f"README shows stale output for `{command}`:\n{proc.stdout}"
        status = re.search(r"exit status (\d)", note)
        if status:
            assert proc.returncode == int(status.group(1)), command
    assert (tmp_path / "cnn.py").read_text(encoding="utf-8") == \
        (ROOT / "tests" / "fix_cases" / "gap_functional_names.fixed.py").read_text(encoding="utf-8")
