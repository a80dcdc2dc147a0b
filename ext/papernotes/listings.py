"""Generated listing pages: one page per tag and per year, and the lists of tags and years with their counts.

A reader who follows a tag chip should land on a page about that tag, not in the middle of one
long index. So every HTML build writes ``tags/index.html`` (every tag with its number of entries),
``tags/<tag>.html`` (the entries with that tag, grouped by type), ``years/index.html`` and
``years/<year>.html``, through Sphinx's public ``html-collect-pages`` event, from the collection of
that build: the pages are the same in serial, parallel and incremental builds. Each page is written
as docutils nodes and rendered by the builder's own HTML translator into the theme's ``page.html``.
A page lists at most :data:`PAGE_SIZE` entries; a longer listing continues on ``tags/<tag>/2.html``
and so on, so no page grows with the whole collection. Only HTML builders that write separate pages
write them (not ``singlehtml``); other builders show tag chips without links.

Sphinx writes every page ``html-collect-pages`` returns, on every build, so a no-op rebuild of a
large collection spent most of its time rewriting these pages. A page already written exactly as
this build would write it is left alone: its fingerprint (what the page lists: each entry's name,
page, anchor, year, family and type, the counts and the neighbouring pages; and everything else the
theme puts on it: configuration, templates, versions, the toctree and every title) is kept beside
Sphinx's pickles, and the page's nodes are built and rendered only when the fingerprint moved or its
file is missing. The fingerprint is taken from those inputs, not from the nodes; and a build in
which nothing the listings are made of changed (:mod:`papernotes.generation`, with how pages are
rendered) works out no input at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.errors import NoUri
from sphinx.util.osutil import relative_uri

from papernotes import nodes as pn_nodes
from papernotes.citations import tag_bib_path
from papernotes.collection import Collection, collection_of
from papernotes.compat import render_fragment
from papernotes.domain import Entry
from papernotes.entrytypes import ENTRY_TYPES, count
from papernotes.generation import is_current
from papernotes.listing_state import WHOLE, listing_state, rendering_state, start_listing_state

__all__ = ["PAGE_SIZE", "tag_page", "tag_uri", "writes_listings", "year_page"]

#: The most entries one listing page shows; longer listings continue on numbered pages.
PAGE_SIZE = 100
TAGS, YEARS = "tags", "years"

Page = tuple[str, dict[str, Any], str]


def writes_listings(builder: Builder) -> bool:
    """Whether the builder writes the tag and year pages (separate HTML pages, not ``singlehtml``)."""
    return builder.format == "html" and not isinstance(builder, SingleFileHTMLBuilder)


def tag_page(tag: str) -> str:
    """The page name of a tag's listing (tags are lower-case slugs, checked where they are read)."""
    return f"{TAGS}/{tag}"


def year_page(year: str) -> str:
    """The page name of a year's listing."""
    return f"{YEARS}/{year}"


def tag_uri(builder: Builder, fromdocname: str, tag: str) -> str:
    """The link from a page to a tag's listing; :class:`NoUri` where the builder writes no listings."""
    if not writes_listings(builder):
        raise NoUri(tag_page(tag))
    return builder.get_relative_uri(fromdocname, tag_page(tag))


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _by_type_text(entries: list[Entry]) -> str:
    counts = [(objtype, sum(1 for entry in entries if entry.objtype == objtype)) for objtype in ENTRY_TYPES]
    return ", ".join(count(objtype, number) for objtype, number in counts if number)


def _ordered(entries: list[Entry]) -> list[Entry]:
    """By type (papers first), then newest first, then by name: the order every listing uses."""
    types = list(ENTRY_TYPES)
    by_name = sorted(entries, key=lambda entry: (entry.name.lower(), entry.key))
    by_year = sorted(by_name, key=lambda entry: entry.year or "0000", reverse=True)
    return sorted(by_year, key=lambda entry: types.index(entry.objtype) if entry.objtype in types else len(types))


def _chunks(name: str, entries: list[Entry]) -> Iterator[tuple[str, int, int, list[Entry]]]:
    """(page name, number, of how many, entries) for each page of a listing."""
    total = max(1, -(-len(entries) // PAGE_SIZE))
    for number in range(1, total + 1):
        pagename = name if number == 1 else f"{name}/{number}"
        yield pagename, number, total, entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]


class _Writer:
    """Builds one listing page's nodes, with every link relative to that page."""

    def __init__(self, builder: Builder, collection: Collection | None, pagename: str) -> None:
        self.builder, self.collection, self.pagename = builder, collection, pagename
        #: target document -> its URI from this page (a listing links to each page many times)
        self.uris: dict[str, str] = {}

    def uri(self, target: str) -> str:
        found = self.uris.get(target)
        if found is None:
            found = self.uris[target] = self.builder.get_relative_uri(self.pagename, target)
        return found

    def link(self, target: str, text: str | nodes.Node, anchor: str = "", title: str = "") -> nodes.reference:
        uri = self.uri(target) + (f"#{anchor}" if anchor else "")
        child = nodes.Text(text) if isinstance(text, str) else text
        reference = nodes.reference("", "", child, internal=True, refuri=uri)
        if title:
            reference["reftitle"] = title
        return reference

    def chip(self, tag: str, number: int | None = None) -> nodes.reference:
        chip = nodes.inline("", tag, classes=["pn-tag"])
        title = f"Entries tagged {tag}"
        if number is not None:
            chip += nodes.inline("", f" {number}", classes=["pn-tag-count"])
            title = f"{_count(number, 'entry', 'entries')} tagged {tag}"
        return self.link(tag_page(tag), chip, title=title)

    def entry_line(self, entry: Entry) -> tuple[str, str, str]:
        """The entry's link, its name, and its year and family."""
        uri = self.uri(entry.docname) + (f"#{entry.anchor}" if entry.anchor else "")
        details = [entry.year] if entry.year else []
        if entry.family and self.collection is not None:
            details.append(self.collection.family(entry.family).label)
        return uri, entry.name, " · ".join(details)

    def grouped(self, entries: list[Entry]) -> list[nodes.section]:
        sections = []
        for objtype in ENTRY_TYPES:
            chosen = [entry for entry in entries if entry.objtype == objtype]
            if not chosen:
                continue
            plural = ENTRY_TYPES[objtype].plural
            heading = plural.capitalize()
            section = nodes.section("", nodes.title(heading, heading), ids=[plural])
            # one node for the list (see papernotes.nodes.listing): a listing page may hold hundreds
            section += pn_nodes.listing(lines=[self.entry_line(entry) for entry in chosen], classes=["pn-listing"])
            sections.append(section)
        return sections

    def pager(self, name: str, number: int, total: int) -> nodes.paragraph | None:
        if total == 1:
            return None
        line = nodes.paragraph("", "", classes=["pn-pager"])
        line += nodes.Text(f"Page {number} of {total}: ")
        for other in range(1, total + 1):
            if other > 1:
                line += nodes.Text(" ")
            if other == number:
                line += nodes.strong("", str(other))
            else:
                line += self.link(name if other == 1 else f"{name}/{other}", str(other), title=f"Page {other}")
        return line


def _content(collection: Collection) -> str:
    """Everything the listings show of the collection, in one text (see ``ListingState.all_unchanged``)."""
    parts = [repr((PAGE_SIZE, sorted((family.id, family.label) for family in collection.families.values())))]
    parts.extend(
        repr((entry.objtype, entry.id, entry.docname, entry.anchor, entry.name, entry.year, entry.family, entry.tags))
        for entry in collection.entries
    )
    return "\n".join(parts)


def _inputs(collection: Collection, entries: list[Entry], *parts: object) -> str:
    """What a page's nodes are made of, as text: the page is rebuilt only when this (or the site) moved."""
    listed = [(entry.objtype, entry.docname, entry.anchor, entry.name, entry.year, entry.family) for entry in entries]
    families = sorted({entry.family for entry in entries if entry.family})
    labels = [collection.family(family).label for family in families]
    return repr((parts, listed, labels))


def _page(
    builder: Builder, pagename: str, title: str, inputs: str, body: Callable[[], list[nodes.Node]]
) -> Page | None:
    """The page to write, or None when its file already holds exactly this page.

    ``inputs`` is everything ``body`` builds the page from: when it and the site are as they were
    and the file is there, the page's nodes are not built.
    """
    assert isinstance(builder, StandaloneHTMLBuilder)  # listing pages are written by HTML builders only
    state = listing_state(builder)
    if state is not None and state.unchanged(builder, pagename, f"{title}\0{inputs}"):
        return None
    section = nodes.section("", nodes.title(title, title), *body(), ids=["listing"], classes=["pn-listing-page"])
    fragment = render_fragment(builder, section)
    return pagename, {"title": title, "body": fragment}, "page.html"


def _tag_pages(builder: Builder, collection: Collection, by_tag: dict[str, list[Entry]]) -> Iterator[Page | None]:
    index = f"{TAGS}/index"
    counts = {tag: len(by_tag[tag]) for tag in sorted(by_tag)}
    tagged = len({entry.key for entries in by_tag.values() for entry in entries})
    yield _page(builder, index, "Tags", repr((counts, tagged)), partial(_tag_index_body, builder, counts, tagged))
    for tag in sorted(by_tag):
        entries = _ordered(by_tag[tag])
        papers = sum(entry.objtype == "paper" for entry in entries)
        summary = f"{_count(len(entries), 'entry', 'entries')} ({_by_type_text(entries)}). "
        for pagename, number, total, chosen in _chunks(tag_page(tag), entries):
            inputs = _inputs(collection, chosen, summary, papers, number, total)
            body = partial(
                _tag_body, _Writer(builder, collection, pagename), tag, summary, papers, number, total, chosen
            )
            yield _page(builder, pagename, f"Tag: {tag}", inputs, body)


def _tag_index_body(builder: Builder, counts: dict[str, int], tagged: int) -> list[nodes.Node]:
    index = _Writer(builder, None, f"{TAGS}/index")
    chips = nodes.bullet_list(classes=["pn-tag-list"])
    for tag, number in counts.items():
        chips += nodes.list_item("", nodes.paragraph("", "", index.chip(tag, number)))
    intro = (
        f"{_count(len(counts), 'tag', 'tags')} on {_count(tagged, 'entry', 'entries')}, "
        "with the number of entries each one marks. Each tag opens a page of its entries, grouped by type."
    )
    return [nodes.paragraph(intro, intro), chips]


def _tag_body(
    writer: _Writer, tag: str, text: str, papers: int, number: int, total: int, chosen: list[Entry]
) -> list[nodes.Node]:
    summary = nodes.paragraph("", text)
    summary += writer.link(f"{TAGS}/index", "All tags")
    if papers:
        summary += nodes.Text(" · ")
        bib = relative_uri(writer.builder.get_target_uri(writer.pagename), tag_bib_path(tag))
        label = f"BibTeX of its {_count(papers, 'paper', 'papers')}"
        summary += nodes.reference(label, label, refuri=bib, classes=["pn-download"])
    return [summary, *_paged(writer, tag_page(tag), number, total, chosen)]


def _paged(writer: _Writer, name: str, number: int, total: int, chosen: list[Entry]) -> list[nodes.Node]:
    """A listing's entries grouped by type, between two copies of its pager (when it has pages)."""
    pager = writer.pager(name, number, total)
    return [*([pager] if pager else []), *writer.grouped(chosen), *([pager.deepcopy()] if pager else [])]


def _year_pages(builder: Builder, collection: Collection, by_year: dict[str, list[Entry]]) -> Iterator[Page | None]:
    years = sorted(by_year, reverse=True)
    index = f"{YEARS}/index"
    lines = [(year, _count(len(by_year[year]), "entry", "entries"), _by_type_text(by_year[year])) for year in years]
    yield _page(builder, index, "Years", repr(lines), partial(_year_index_body, builder, lines))
    for position, year in enumerate(years):
        entries = _ordered(by_year[year])
        older = years[position + 1] if position + 1 < len(years) else ""
        newer = years[position - 1] if position else ""
        summary = f"{_count(len(entries), 'entry', 'entries')} ({_by_type_text(entries)}). "
        for pagename, number, total, chosen in _chunks(year_page(year), entries):
            inputs = _inputs(collection, chosen, summary, older, newer, number, total)
            writer = _Writer(builder, collection, pagename)
            body = partial(_year_body, writer, year, summary, older, newer, number, total, chosen)
            yield _page(builder, pagename, f"Entries from {year}", inputs, body)


def _year_index_body(builder: Builder, lines: list[tuple[str, str, str]]) -> list[nodes.Node]:
    index = _Writer(builder, None, f"{YEARS}/index")
    items = nodes.bullet_list(classes=["pn-year-list"])
    for year, counted, by_type in lines:
        line = nodes.paragraph("", "", index.link(year_page(year), year, title=f"Entries from {year}"))
        line += nodes.Text(f" · {counted} ({by_type})")
        items += nodes.list_item("", line)
    intro = "Every dated entry under its year, newest first."
    return [nodes.paragraph(intro, intro), items]


def _year_body(
    writer: _Writer, year: str, text: str, older: str, newer: str, number: int, total: int, chosen: list[Entry]
) -> list[nodes.Node]:
    summary = nodes.paragraph("", text)
    if older:
        summary += writer.link(year_page(older), f"‹ {older}")
        summary += nodes.Text(" · ")
    summary += writer.link(f"{YEARS}/index", "All years")
    if newer:
        summary += nodes.Text(" · ")
        summary += writer.link(year_page(newer), f"{newer} ›")
    return [summary, *_paged(writer, year_page(year), number, total, chosen)]


def collect_pages(app: Sphinx) -> list[Page]:
    """Every tag and year page of this build (and no stale one left from an earlier build)."""
    if not writes_listings(app.builder):
        return []
    documents = set(app.env.found_docs)
    state = start_listing_state(app)
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)
    on_disk = [name for name in state.previous if name not in documents and name != WHOLE]
    if is_current(app, "listings", [Path(builder.get_outfilename(name)) for name in on_disk], rendering_state(app)):
        # nothing a listing is made of changed (papernotes.generation): every page is on disk as it was
        state.current, state.unwritten = dict(state.previous), on_disk
        return []
    collection = collection_of(app.env)
    if state.all_unchanged(builder, _content(collection)):
        # pages were read, but nothing any listing shows moved (an edit of notes, say)
        state.current, state.unwritten = dict(state.previous), on_disk
        return []
    by_tag: dict[str, list[Entry]] = {}
    by_year: dict[str, list[Entry]] = {}
    for entry in collection.entries:
        for tag in entry.tags:
            by_tag.setdefault(tag, []).append(entry)
        if entry.year:
            by_year.setdefault(entry.year, []).append(entry)
    generated = [*_tag_pages(app.builder, collection, by_tag), *_year_pages(app.builder, collection, by_year)]
    # a page of the project's own wins over a generated one
    pages = [page for page in generated if page is not None and page[0] not in documents]
    state.unwritten = [name for name in state.unwritten if name not in documents]
    _remove_stale(app, {page[0] for page in pages} | set(state.unwritten) | documents)
    return pages


def _remove_stale(app: Sphinx, kept: set[str]) -> None:
    """Delete listing pages an earlier build wrote for a tag or year that no longer exists."""
    outdir = Path(app.outdir)
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)
    expected = {Path(builder.get_outfilename(name)) for name in kept}
    for folder in (TAGS, YEARS):
        for path in sorted((outdir / folder).rglob("*.html")):
            if path not in expected:
                path.unlink()


def setup(app: Sphinx) -> None:
    """Write the listing pages with the other generated pages of an HTML build."""
    app.connect("html-collect-pages", collect_pages)
