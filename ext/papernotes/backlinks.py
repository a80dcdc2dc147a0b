"""Backlinks ("Referenced from"): every place in the site that links to or cites an entry.

The places are collected per page while reading (see :mod:`papernotes.domain`); here they are
inverted once per write phase and written into each entry's placeholder, so a page shows its
backlinks as of the whole site, in serial, parallel and incremental builds alike. The list is
collapsed (the notes come first) and each place says what it is (a paper, model, repository,
dataset or a page's own text), since two places can carry the same title. An entry never lists
itself, and a mention in the introduction of the entry's own page is named, not linked.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes import nodes as pn_nodes
from papernotes.domain import Entry, PaperNotesDomain, Reference, entry_key
from papernotes.entrytypes import label

__all__ = ["backlinks_of", "kind_label", "render_backlinks"]


def _domain(env: BuildEnvironment) -> PaperNotesDomain:
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    return domain


def _index(env: BuildEnvironment) -> dict[tuple[str, str], list[Reference]]:
    """Places per entry key, built once per build from the per-page records.

    It lives on the domain object, which Sphinx does not pickle, so no stale copy is saved.
    """
    domain = _domain(env)
    if domain.backlink_index is not None:
        return domain.backlink_index
    index: dict[tuple[str, str], list[Reference]] = {}
    for docname in sorted(domain.refs):
        for reference in domain.refs[docname]:
            index.setdefault(entry_key(reference.objtype, reference.target), []).append(reference)
    domain.backlink_index = index
    return index


def forget_index(app: Sphinx, env: BuildEnvironment) -> None:
    """The per-build inverted index is rebuilt after any read phase."""
    _domain(env).backlink_index = None


def backlinks_of(env: BuildEnvironment, entry: Entry) -> list[Reference]:
    """Distinct places (page and section) that point at an entry, in page order."""
    seen: set[tuple[str, str]] = set()
    places: list[Reference] = []
    for reference in sorted(_index(env).get(entry.key, []), key=lambda ref: (ref.docname, ref.lineno, ref.anchor)):
        if (reference.docname, reference.anchor) in seen:
            continue
        if reference.docname == entry.docname and reference.anchor == entry.anchor:
            continue
        seen.add((reference.docname, reference.anchor))
        places.append(reference)
    return places


def kind_label(kind: str) -> str:
    """What a place is, as "Referenced from" says it: "Model", "Repository", …, or "Page"."""
    return "Page" if kind == "page" else label(kind).capitalize()


def _page_top(doctree: nodes.document) -> str:
    """The anchor of the page's own section (a link to it is a link to the page itself)."""
    top = next(iter(doctree.findall(nodes.section)), None)
    return str(top["ids"][0]) if top is not None and top["ids"] else ""


def _place_item(app: Sphinx, docname: str, top: str, place: Reference) -> nodes.list_item:
    """One place: what it is, then a link to it (plain text when it is the top of this very page)."""
    kind = kind_label(place.kind)
    badge = nodes.inline(kind, kind, classes=["pn-badge", "pn-kind", f"pn-kind-{place.kind}"])
    paragraph = nodes.paragraph("", "", badge, nodes.Text(" "))
    if place.docname == docname and place.anchor in ("", top):
        text = f"{place.label} (this page)"
        paragraph += nodes.inline(text, text, classes=["pn-here"])
    else:
        uri = app.builder.get_relative_uri(docname, place.docname)
        if place.anchor:
            uri = ("" if place.docname == docname else uri) + "#" + place.anchor
        paragraph += nodes.reference(place.label, place.label, internal=True, refuri=uri)
    return nodes.list_item("", paragraph)


def render_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each entry's placeholder with "Referenced from", collapsed, each place saying what it is."""
    env = app.env
    domain = _domain(env)
    top = _page_top(doctree)
    for placeholder in list(doctree.findall(pn_nodes.backlinks)):
        entry = domain.lookup(placeholder["objtype"], placeholder["target"])
        places = backlinks_of(env, entry) if entry is not None and entry.docname == docname else []
        if not places:
            placeholder.parent.remove(placeholder)
            continue
        block = pn_nodes.details(classes=["pn-backlinks"])
        summary = f"Referenced from {len(places)} {'place' if len(places) == 1 else 'places'}"
        block += pn_nodes.summary(summary, summary)
        items = nodes.bullet_list(classes=["pn-places"])
        for place in places:
            items += _place_item(app, docname, top, place)
        block += items
        placeholder.replace_self(block)


def setup(app: Sphinx) -> None:
    """Fill backlinks when each page is written."""
    app.connect("env-updated", forget_index, priority=100)
    app.connect("doctree-resolved", render_backlinks)
