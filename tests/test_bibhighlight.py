"""Every Cite block :mod:`papernotes.bibhighlight` writes is the one Pygments writes through Sphinx.

The own highlighter only pays if it is Pygments' output: these tests generate BibTeX texts
(Hypothesis), well-formed and not, and compare with Sphinx's Pygments bridge character for
character, or check that the own highlighter declined (always where Pygments reports an error).
They also check it does answer for ordinary entries and for every entry of the site's
``papers.bib``, and, through Sphinx, that a page is the same byte for byte whichever path wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.filters import ErrorToken
from sphinx.highlighting import PygmentsBridge
from test_citations import write_tiny_site

from papernotes import bibhighlight
from papernotes.bibhighlight import highlight_bibtex

from helpers import build

BRIDGE = PygmentsBridge("html", "sphinx")
ROOT = Path(__file__).resolve().parents[1]

#: Pieces of values ordinary entries hold.
WORDS = [
    "Open",
    "LLaMA",
    "2023",
    "{GPT}",
    "{Chat {GLM}}",
    "A--B",
    "x.y",
    "Li, Wei and Ouyang, Long",
    "https://a.b/c?d=e",
]
#: Pieces that need care: escapes, quotes, braces, macros, concatenation, other lines, odd spaces.
ODD = ["\\'e", '"', "'", "<b>", "&", "#", "@", "%", "{", "}", "(", ")", "=", ",", "\n", "\n\n", "\t", "\r", " ", "é"]


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=5).map(" ".join)


def values(pieces: list[str]) -> st.SearchStrategy[str]:
    braced = texts(pieces).map(lambda text: "{" + text + "}")
    quoted = texts([piece for piece in pieces if '"' not in piece]).map(lambda text: '"' + text + '"')
    simple = st.one_of(braced, quoted, st.sampled_from(["2023", "jan", "acl", "x_1"]))
    return st.lists(simple, min_size=1, max_size=3).map(" # ".join)


def entries(pieces: list[str]) -> st.SearchStrategy[str]:
    names = st.sampled_from(["author", "title", "year", "journal", "url", "Booktitle", "note", "x-y"])
    field = st.tuples(names, st.sampled_from(["=", " = ", "   =  ", "\n="]), values(pieces))
    fields = st.lists(field, max_size=5)
    opening = st.sampled_from([("{", "}"), ("(", ")")])
    kind = st.sampled_from(["@article", "@inproceedings", "@misc", "@ARTICLE", "@online"])
    key = st.sampled_from(["zeng2023glm", "touvron2023:llama", "a-b_1"])
    comma = st.sampled_from([",\n", ",", ""])
    return st.builds(
        lambda kind, brace, key, fields, last: (
            f"{kind}{brace[0]}{key},\n"
            + ",\n".join(f"  {name}{equals}{value}" for name, equals, value in fields)
            + (last if fields else "")
            + f"\n{brace[1]}"
        ),
        kind,
        opening,
        key,
        fields,
        comma,
    )


def pygments(text: str) -> str | None:
    """What Sphinx's bridge writes (its lexer reports errors; Sphinx would then warn and retry)."""
    lexer = BRIDGE.get_lexer(text, "bibtex")
    try:
        return highlight(text, lexer, BRIDGE.get_formatter())
    except ErrorToken:
        return None


@settings(max_examples=400, deadline=None)
@given(st.one_of(entries(WORDS), entries(WORDS + ODD), texts(WORDS + ODD + ["@misc{k,}", "@string{a = {b}}"])))
@example("@comment{not an entry}")
@example("@string{acl = {Proceedings of ACL}}\n\n@misc{k, booktitle = acl}")
@example("% a comment\n@misc{k, title = {T}}")
@example("@misc{k, title = {T}, year = 2023 title = {U}}")
@example("@misc{k, title = {unclosed}")
@example("@misc(k, title = {T}}")
@example("\n\n@misc{k, title = {T}}\n\n\n")
@example('@misc{k, title = "a {"} b"}')
def test_the_own_highlighting_is_pygments_or_declines(text: str) -> None:
    mine = highlight_bibtex(text)
    if mine is not None:
        assert mine == pygments(text)


@settings(max_examples=200, deadline=None)
@given(entries(WORDS))
def test_ordinary_entries_take_the_own_path(text: str) -> None:
    assert highlight_bibtex(text) is not None


def test_every_entry_of_the_sites_bibliography_is_highlighted_as_pygments_does() -> None:
    source = (ROOT / "papers.bib").read_text(encoding="utf-8")
    found = [part for part in re.split(r"\n(?=@)", source) if part.lstrip().startswith("@")]
    assert len(found) > 20
    for text in found:
        mine = highlight_bibtex(text)
        assert mine is not None and mine == pygments(text), text


@pytest.mark.parametrize(
    "text",
    [
        "@misc{k}",
        "@misc{k,}",
        "@misc(k, title = {T})",
        '@misc{k, title = "a {"} b"}',
        "@misc{k, booktitle = acl # {, 2023}}",
        "\n\n@misc{k, title = {T}}\n\n\n",
        "@misc{k, title = {T}}\n@article{j, year = 2023, note = {a <b> & c}}",
        "@misc{k, title = {two\nlines}}",
    ],
)
def test_small_entries_are_answered_as_pygments_writes_them(text: str) -> None:
    assert highlight_bibtex(text) == pygments(text) is not None


@pytest.mark.parametrize("declined", ["@comment{x}", "@misc{k, title = {T}", "@misc{k,\ttitle = {T}}", "\n"])
def test_texts_pygments_must_write_are_declined(declined: str) -> None:
    assert highlight_bibtex(declined) is None


def test_a_page_is_the_same_whichever_path_highlights_its_cite_blocks(tmp_path, monkeypatch) -> None:
    """Sphinx through the own path, then with BibTeX options that send every block to Pygments."""
    answered: list[str] = []
    original = bibhighlight.highlight_bibtex
    monkeypatch.setattr(bibhighlight, "highlight_bibtex", lambda text: answered.append(text) or original(text))
    own = build(write_tiny_site(tmp_path / "own"))
    assert len([text for text in answered if text != bibhighlight._SAMPLE]) == 3
    answered.clear()
    site = write_tiny_site(tmp_path / "pygments")
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('highlight_options = {"bibtex": {"stripnl": True}}\n')
    other = build(site)
    assert answered == []
    page = (Path(own.outdir) / "index.html").read_text(encoding="utf-8")
    block = '<div class="pn-bibtex highlight-bibtex notranslate"><div class="highlight"><pre tabindex="0">'
    assert page.count(block) == 3
    assert page == (Path(other.outdir) / "index.html").read_text(encoding="utf-8")


def test_a_pygments_that_writes_bibtex_otherwise_turns_the_own_path_off(tmp_path, monkeypatch) -> None:
    """The own path checks itself against Pygments once: here it is made to write other spans."""
    reference = build(write_tiny_site(tmp_path / "reference"))
    monkeypatch.setattr(bibhighlight, "_agreement", {})
    monkeypatch.setattr(bibhighlight, "PUNCTUATION", "punct")
    changed = build(write_tiny_site(tmp_path / "changed"))
    assert bibhighlight._agreement and not any(bibhighlight._agreement.values())
    page = (Path(changed.outdir) / "index.html").read_text(encoding="utf-8")
    assert '"punct"' not in page and page == (Path(reference.outdir) / "index.html").read_text(encoding="utf-8")
