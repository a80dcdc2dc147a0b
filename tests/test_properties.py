"""Random input thrown at the directives (Hypothesis): the build survives and the HTML stays safe.

The bad-input catalogue covers the mistakes we thought of; these tests cover the ones we did
not. Random entry ids and option values (any names, any characters: markup, quotes, braces,
Chinese, emoji) and random text in every field of a bib entry must never make an exception
escape the build, and every page written must be well-formed HTML in which none of that text
has become live markup. (Notes, the text inside an entry, are the contributor's own Markdown,
where MyST passes raw HTML through by design; they are not random input here.)
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from html_checks import live_markup, well_formed_problems

ROOT = Path(__file__).parent / "roots" / "test-bad-input"
PAGE = "families/zprop.md"
CRASH = re.compile(r"Traceback|Exception occurred|Extension error", re.IGNORECASE)

#: Pieces that matter to HTML, MyST, YAML, BibTeX or LaTeX, plus any other printable character.
PIECES = [*"<>&\"'`=/\\{}[]():;,.#%@~^$*|!?-_+ \t", "javascript:", "onerror=", "<script>", "强化", "😀", "é"]
TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.characters(min_codepoint=32, max_codepoint=0x2FFFF, blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        ),
        max_size=30,
    )
    .map("".join)
    .map(lambda text: " ".join(text.splitlines()))  # an option value is one line
)
OPTION_NAMES = st.sampled_from(
    [
        *("tags", "code", "models", "repos", "datasets", "family", "name", "url", "params", "size"),
        *("languages", "license", "base", "paper", "repo", "data", "links", "papers", "colour"),
    ]
)
DIRECTIVES = st.sampled_from(["paper", "model", "repo", "dataset"])
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_site(outdir: Path, pages: list[Path], output: str) -> None:
    """No crash in the log; every given page well-formed; no injected markup live anywhere."""
    assert CRASH.search(output) is None, output[-3000:]
    for page in pages:
        assert page.is_file(), page
        assert well_formed_problems(page.read_text(encoding="utf-8")) == [], page
    assert live_markup(outdir, pages) == []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """One site rebuilt incrementally for every example: only the changed page is read again."""
    srcdir = tmp_path_factory.mktemp("properties") / "site"
    shutil.copytree(ROOT, srcdir)
    (srcdir / PAGE).write_text("---\nfamily: llama\n---\n# Random\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir)
    app.build()
    yield app
    app.cleanup()


_tick = itertools.count(1)


def touch_later(path: Path) -> None:
    """Give a rewritten file a newer modification time, however fast the examples come."""
    stamp = time.time_ns() + next(_tick) * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


@SETTINGS
@given(
    directive=DIRECTIVES,
    entry_id=TEXT,
    options=st.lists(st.tuples(OPTION_NAMES, TEXT), max_size=6, unique_by=lambda pair: pair[0]),
)
def test_random_options_never_break_the_build(site, directive, entry_id, options):
    # A backtick cannot be written in a fence's first line or a role (it would end them and turn
    # the rest into the page's own Markdown, where MyST passes raw HTML through by design).
    entry_id = entry_id.replace("`", "'")
    role_target = entry_id.strip() or "x"
    if not any(name == "tags" for name, _ in options):
        options = [*options, ("tags", "prop")]  # the entry (and its random name) is listed on tags/prop.html
    lines = [f"```{{{directive}}} {entry_id}".rstrip(), *(f":{name}: {value}".rstrip() for name, value in options)]
    body = "\n".join([*lines, "", "Notes.", "```", "", f"See {{{directive}}}`{role_target}`.", ""])
    path = Path(site.srcdir) / PAGE
    path.write_text("---\nfamily: llama\n---\n# Random\n\n" + body, encoding="utf-8")
    touch_later(path)
    before = len(site.warning.getvalue())
    site.build()
    outdir = Path(site.outdir)
    pages = [outdir / "families/zprop.html", outdir / "index.html"]
    pages += [outdir / "tags/prop.html"] if (outdir / "tags/prop.html").is_file() else []
    check_site(outdir, pages, site.warning.getvalue()[before:])


BIB_FIELDS = st.fixed_dictionaries(
    {"title": TEXT, "author": TEXT, "year": TEXT},
    optional={"journal": TEXT, "url": TEXT, "doi": TEXT, "eprint": TEXT, "note": TEXT, "shorttitle": TEXT},
)


@SETTINGS
@given(fields=BIB_FIELDS, entry_type=st.sampled_from(["article", "inproceedings", "misc", "book"]))
# Found by this test: a field ending in a backslash made latexcodec raise and the build end.
@example(fields={"title": "", "author": "", "year": "\\"}, entry_type="article")
@example(
    fields={"title": "<script>alert(1)</script>", "author": "{", "year": "2024", "url": "javascript:x"},
    entry_type="misc",
)
def test_random_bib_fields_never_break_the_build(tmp_path_factory, fields, entry_type):
    srcdir = tmp_path_factory.mktemp("bibfields")
    shutil.copytree(ROOT, srcdir, dirs_exist_ok=True)
    entry = "\n".join(
        [f"@{entry_type}{{random2024,", *(f"  {name} = {{{value}}}," for name, value in fields.items()), "}"]
    )
    with (srcdir / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + entry + "\n")
    (srcdir / PAGE).write_text(
        "---\nfamily: llama\n---\n# Random\n\n```{paper} random2024\n```\n\nCited: {paper}`random2024`.\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = Path(app.outdir)
    pages = [outdir / "families/zprop.html", outdir / "references.html", outdir / "families/llama.html"]
    check_site(outdir, pages, app.status.getvalue() + app.warning.getvalue())
    shutil.rmtree(srcdir)
