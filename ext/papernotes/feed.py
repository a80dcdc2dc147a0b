"""Follow the collection: an Atom feed, ``feed.xml`` at the site root, of every dated entry.

A reader (or a feed reader) who wants to know what joined the collection should not have to
re-read the home page. Every HTML build writes ``feed.xml``: one ``<entry>`` per paper,
repository, model and dataset that says when it was added (``:added:``), newest first, with its
name, a link to its anchor (absolute when ``html_baseurl`` is set), a stable id, ``updated`` from
the added date and, as the summary, the first lines of its notes as plain text. Every page links
to the feed from its head (``<link rel="alternate" type="application/atom+xml">``).

The file's bytes depend only on the collection: no build time is written (the feed's own
``updated`` is the newest added date), and the notes' first lines are kept per page while it is
read (merged from parallel readers, dropped with the page), so incremental and parallel builds
write what a clean build writes.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Set
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import collection_of
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import ENTRY_TYPES, label
from papernotes.generation import is_current, mark_current

__all__ = ["ATOM", "FEED_NAME", "feed_xml", "notes_pieces", "summary_of"]

FEED_NAME = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
#: The most characters of the notes a feed entry shows.
SUMMARY_LENGTH = 400
_STORE = "papernotes_summaries"


#: A piece of the notes: plain text, or a link to an entry (type, id) named by its short name once resolved.
Piece = str | tuple[str, str]


def _pieces(node: nodes.Node) -> list[Piece]:
    if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "pn" and not node.get("refexplicit"):
        return [(str(node["reftype"]), str(node["reftarget"]))]
    if isinstance(node, nodes.Text):
        return [str(node)]
    if isinstance(node, nodes.raw):  # HTML written into the notes is markup, not their text
        return []
    return [piece for child in node.children for piece in _pieces(child)]


def notes_pieces(notes: nodes.Element, limit: int = SUMMARY_LENGTH) -> tuple[Piece, ...]:
    """The first paragraphs of an entry's notes (about ``limit`` characters), links to entries kept as links."""
    found: list[Piece] = []
    length = 0
    for paragraph in notes.findall(nodes.paragraph):
        pieces = _pieces(paragraph)
        if found:
            found.append(" ")
        found.extend(pieces)
        length += sum(len(piece) if isinstance(piece, str) else 12 for piece in pieces)
        if length >= limit // 2:
            break
    return tuple(found)


def summary_of(pieces: tuple[Piece, ...], env: BuildEnvironment, limit: int = SUMMARY_LENGTH) -> str:
    """The notes' first lines as plain text, links to entries as their short names, cut at a word after ``limit``."""
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    words = []
    for piece in pieces:
        if isinstance(piece, str):
            words.append(piece)
            continue
        target = domain.lookup(*piece) if piece[0] in ENTRY_TYPES else None
        words.append(target.short if target is not None else piece[1])
    text = " ".join("".join(words).split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return text


def _summaries(env: BuildEnvironment) -> dict[str, dict[str, tuple[Piece, ...]]]:
    """Page -> entry anchor -> the first lines of its notes, kept with the environment."""
    store: dict[str, dict[str, tuple[Piece, ...]]] | None = getattr(env, _STORE, None)
    if store is None:
        store = {}
        setattr(env, _STORE, store)
    return store


def collect_summaries(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: the first lines of the notes of each of its entries that the feed lists.

    Only entries that say when they were added are in the feed: the others' notes are not kept
    (in a collection without dates they were a third of the environment Sphinx loads every build).
    """
    found: dict[str, tuple[Piece, ...]] = {}
    for section in doctree.findall(nodes.section):
        if "pn-entry" not in section["classes"] or not section["ids"]:
            continue
        entry = section.get("pn_record")
        if not isinstance(entry, Entry) or not entry.fields.get("added"):
            continue
        notes = next(
            (
                child
                for child in section.children
                if isinstance(child, nodes.Element) and "pn-notes" in child["classes"]
            ),
            None,
        )
        if notes is not None:
            found[section["ids"][0]] = notes_pieces(notes)
    store = _summaries(app.env)
    if found:
        store[app.env.docname] = found
    else:
        store.pop(app.env.docname, None)


def purge_summaries(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _summaries(env).pop(docname, None)


def merge_summaries(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    theirs = _summaries(other)
    for docname in docnames:
        if docname in theirs:
            _summaries(env)[docname] = theirs[docname]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    child.text = text
    return child


def _dated(env: BuildEnvironment) -> list[Entry]:
    """Entries that say when they were added, newest first (same-day ones in the recent list's order)."""
    entries = list(enumerate(collection_of(env).entries))
    dated = [(index, entry) for index, entry in entries if entry.fields.get("added")]
    dated.sort(key=lambda pair: (str(pair[1].fields["added"]), pair[0]), reverse=True)
    return [entry for _, entry in dated]


def feed_xml(app: Sphinx) -> bytes:
    """The Atom feed of the collection, as UTF-8 bytes that depend only on the collection."""
    env = app.env
    base = str(app.config.html_baseurl or "")
    if base and not base.endswith("/"):
        base += "/"
    urn = f"urn:papernotes:{_slug(str(app.config.project))}"
    entries = _dated(env)
    summaries = _summaries(env)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", str(app.config.project))
    _text(feed, "subtitle", "Papers, models, repositories and datasets as they join the collection.")
    _text(feed, "id", urljoin(base, FEED_NAME) if base else urn)
    newest = str(entries[0].fields["added"]) if entries else "1970-01-01"
    _text(feed, "updated", f"{newest}T00:00:00Z")
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": urljoin(base, FEED_NAME)})
    home = app.builder.get_target_uri(app.config.root_doc)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": urljoin(base, home)})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", str(app.config.author or app.config.project))
    _text(feed, "generator", "papernotes")
    for entry in entries:
        url = app.builder.get_target_uri(entry.docname) + "#" + entry.anchor
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "title", f"{entry.name} ({label(entry.objtype)})")
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": urljoin(base, url)})
        _text(item, "id", urljoin(base, url) if base else f"{urn}:{entry.objtype}:{entry.id}")
        _text(item, "updated", f"{entry.fields['added']}T00:00:00Z")
        summary = summary_of(summaries.get(entry.docname, {}).get(entry.anchor, ()), env)
        if summary:
            _text(item, "summary", summary, type="text")
        for tag in entry.tags:
            ET.SubElement(item, f"{{{ATOM}}}category", {"term": tag})
    ET.indent(feed, space=" ")
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    """Write feed.xml into the root of an HTML build (only when its bytes changed).

    Not worked out at all when nothing it is made of changed (:mod:`papernotes.generation`).
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / FEED_NAME
    if is_current(app, "feed", [path]):  # nothing it is made of changed (papernotes.generation)
        return
    data = feed_xml(app)
    if not (path.is_file() and path.read_bytes() == data):
        path.write_bytes(data)
    mark_current(app, "feed")


def link_feed(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Every page's head names the feed, so browsers and feed readers find it from any page."""
    pathto = context.get("pathto")
    if not callable(pathto):
        return
    href = str(pathto(FEED_NAME, 1))
    title = html.escape(f"{app.config.project}: new entries", quote=True)
    tag = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{html.escape(href)}" />\n'
    context["metatags"] = str(context.get("metatags", "")) + tag


def setup(app: Sphinx) -> None:
    """Keep the notes' first lines per page; write the feed at the end; link it from every page."""
    app.connect("doctree-read", collect_summaries)
    app.connect("env-purge-doc", purge_summaries)
    app.connect("env-merge-info", merge_summaries)
    app.connect("build-finished", write_feed)
    app.connect("html-page-context", link_feed)
