"""Backlinks ("Referenced from"): every place in the site that links to or cites an entry.

The places are collected per page while reading (see :mod:`papernotes.collect`); here they are
inverted once per write phase and written into each entry's placeholder, so a page shows its
backlinks as of the whole site, in serial, parallel and incremental builds alike.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes import nodes as pn_nodes
from papernotes.domain import Entry, PaperNotesDomain, Reference, entry_key

__all__ = ["backlinks_of", "render_backlinks"]


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


def render_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each entry's placeholder with links to the places that reference it."""
    env = app.env
    domain = _domain(env)
    for placeholder in list(doctree.findall(pn_nodes.backlinks)):
        entry = domain.lookup(placeholder["objtype"], placeholder["target"])
        places = backlinks_of(env, entry) if entry is not None and entry.docname == docname else []
        if not places:
            placeholder.parent.remove(placeholder)
            continue
        block = nodes.container(classes=["pn-backlinks"])
        block += nodes.rubric("Referenced from", "Referenced from")
        items = nodes.bullet_list()
        for place in places:
            uri = app.builder.get_relative_uri(docname, place.docname)
            if place.anchor:
                uri += "#" + place.anchor
            link = nodes.reference(place.label, place.label, internal=True, refuri=uri)
            items += nodes.list_item("", nodes.paragraph("", "", link))
        block += items
        placeholder.replace_self(block)


def setup(app: Sphinx) -> None:
    """Fill backlinks when each page is written."""
    app.connect("env-updated", forget_index, priority=100)
    app.connect("doctree-resolved", render_backlinks)
