"""Every use of something Sphinx (or another extension) does not offer as public API, in one place.

Each function here works around a gap, says which versions it was checked with, and has a test
named after it (``tests/test_compat.py``), so a release that changes the internals it relies on
breaks one clear test instead of a reader's build. Nothing else in papernotes touches private
attributes of Sphinx, sphinxcontrib-bibtex or sphinx-sitemap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment

__all__ = [
    "add_std_labels",
    "allow_in_toctree",
    "complete_sitemap",
    "full_search_anchors",
    "move_glossary_term",
    "render_fragment",
]

SearchObjects = dict[str, list[tuple[int, int, int, str, str]]]
#: (objects, objnames, fn2index) -> objects: how :mod:`papernotes.search` corrects the object table.
AnchorFix = Callable[[SearchObjects, dict[int, tuple[str, str, str]], dict[str, int]], SearchObjects]


def allow_in_toctree(app: Sphinx, pages: dict[str, str]) -> None:
    """Let toctrees name the domain's generated index pages, as they name ``genindex``.

    Why: Sphinx accepts generated pages in a toctree only if they are in the class attribute
    ``StandardDomain._virtual_doc_names`` (read by the toctree directive and the toctree adapter);
    there is no API to add one. Checked with Sphinx 8.2.3 and 9.1.1. The pages are added when each
    build starts reading and removed when it finishes, so other applications in the same process (a test
    run) do not inherit them.
    """
    added: list[str] = []

    def add(app: Sphinx, *args: Any) -> None:
        for docname, title in pages.items():
            if docname not in StandardDomain._virtual_doc_names:
                StandardDomain._virtual_doc_names[docname] = (docname, title)
                added.append(docname)

    def remove(app: Sphinx, exception: BaseException | None) -> None:
        while added:
            StandardDomain._virtual_doc_names.pop(added.pop(), None)

    app.connect("env-before-read-docs", add, priority=100)
    app.connect("build-finished", remove, priority=900)


def add_std_labels(env: BuildEnvironment, labels: dict[str, tuple[str, str, str]]) -> None:
    """Make anchors ``std:label`` targets (``name -> (docname, anchor, title)``), as ``(label)=`` would.

    Why: a label is normally declared while a page is read (an explicit target), but an entry's
    label must go to the entry that wins among duplicates, which is known only once every page is
    read; declaring it while reading made incremental builds differ from clean ones. Sphinx has no
    public API for adding a label later, so this writes the standard domain's ``labels`` and
    ``anonlabels`` tables (public properties, documented as its data) after every read phase.
    Sphinx removes a page's labels when the page is read again. Checked with Sphinx 8.2.3 and 9.1.1.
    """
    std = env.domains["std"]
    assert isinstance(std, StandardDomain)
    for name, (docname, anchor, title) in labels.items():
        std.labels[name] = (docname, anchor, title)
        std.anonlabels[name] = (docname, anchor)


def move_glossary_term(env: BuildEnvironment, term: str, old: str, new: str) -> None:
    """Point the glossary term ``term`` of the page being read at its anchor ``new`` instead of ``old``.

    Why: Sphinx's glossary directive registers each term, with the anchor it made up, in the standard
    domain's ``objects`` (public, the domain's data) and in ``_terms``, the case-insensitive table
    the ``term`` role falls back on (private; no API renames a term). Only entries of this page that
    still point at ``old`` are changed. Checked with Sphinx 8.2.3 and 9.1.1.
    """
    std = env.domains["std"]
    assert isinstance(std, StandardDomain)
    if std.objects.get(("term", term)) == (env.docname, old):
        std.objects["term", term] = (env.docname, new)
    terms: dict[str, tuple[str, str]] = std._terms
    if terms.get(term.lower()) == (env.docname, old):
        terms[term.lower()] = (env.docname, new)


def full_search_anchors(app: Sphinx, fix: AnchorFix) -> None:
    """Let the search index carry an object's real anchor where Sphinx would shorten it to ``-``.

    Why: Sphinx's ``IndexBuilder.get_objects`` writes ``-`` for an anchor equal to
    ``<objtype>-<name>`` and its search page rebuilds the anchor from the *display* name, which
    for an entry ("InstructGPT") is not its id. There is no hook on the object table, so the
    builder's ``indexer.get_objects`` is wrapped (and its ``_objnames`` read) once the HTML
    builder has created it. Checked with Sphinx 8.2.3 and 9.1.1.
    """

    def wrap(app: Sphinx) -> list[Any]:
        indexer = getattr(app.builder, "indexer", None)
        if indexer is None or getattr(indexer, "_papernotes_anchors", False):
            return []
        original: Callable[[dict[str, int]], SearchObjects] = indexer.get_objects

        def get_objects(fn2index: dict[str, int]) -> SearchObjects:
            return fix(original(fn2index), indexer._objnames, fn2index)

        indexer.get_objects = get_objects
        indexer._papernotes_anchors = True
        return []

    app.connect("html-collect-pages", wrap)


def render_fragment(builder: Any, node: Any) -> str:
    """The HTML of a generated page's body, written by the builder's own translator without numbers.

    Why: ``StandaloneHTMLBuilder.render_partial`` (public) writes a node with the builder's
    translator, but the translator numbers sections and figures from the builder's ``secnumbers``
    and ``fignumbers``, which the builder sets per page while it writes pages (absent if it wrote
    none); they are not API. A generated page (a tag or year listing) has no numbers, whichever page
    was written last: both are emptied for the call and put back as they were. Checked with Sphinx
    8.2.3 and 9.1.1.
    """
    saved = {name: builder.__dict__.get(name) for name in ("secnumbers", "fignumbers")}
    builder.secnumbers, builder.fignumbers = {}, {}
    try:
        return str(builder.render_partial(node)["fragment"])
    finally:
        for name, value in saved.items():
            if value is None:
                delattr(builder, name)
            else:
                setattr(builder, name, value)


def complete_sitemap(app: Sphinx, exception: BaseException | None) -> None:
    """Make sphinx-sitemap's list whole and ordered, whatever pages this build wrote.

    Why: sphinx-sitemap (checked with 2.6.0 and 2.9.0) lists the pages written by the current build,
    in the order they were written, in a queue it keeps on the application (``sitemap_links``):
    an incremental build would publish a sitemap of the changed pages only, and a parallel one
    an order that varies. Just before it writes ``sitemap.xml``, every page of the site (and every
    listing page this build left as it was, see :mod:`papernotes.listings`) is noted through its own
    ``add_html_link`` (with a stand-in template name), and the queue is deduplicated and sorted.
    """
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    import sphinx_sitemap  # noqa: PLC0415  (only when the site uses it)

    from papernotes.listing_state import unwritten_pages  # noqa: PLC0415  (it leads to the domain, which imports this)

    # the listing pages this build did not write again are on the site all the same
    for docname in sorted({*app.env.all_docs, *unwritten_pages(app.builder)}):
        sphinx_sitemap.add_html_link(app, docname, "page.html", {}, None)
    # Items are the link alone (2.6) or (link, last updated) (2.7 and later): put back what was taken.
    found: dict[str, Any] = {}
    while not links.empty():
        item = links.get()
        link = item[0] if isinstance(item, tuple) else item
        found[link] = found.get(link) or item
    for link in sorted(found):
        links.put(found[link])


def setup(app: Sphinx) -> None:
    """The sitemap workaround (it does nothing where sphinx-sitemap is not loaded, whatever the order)."""
    app.connect("build-finished", complete_sitemap, priority=400)
