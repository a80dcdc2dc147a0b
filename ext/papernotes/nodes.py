"""Doctree nodes of the extension and how each builder writes them.

Entries are built from ordinary docutils nodes wherever one fits; the few new nodes here are a
disclosure (``<details>``: the full author list, Cite, "Referenced from"), placeholders that are filled once every
document has been read (backlinks), so their content is right in incremental and parallel builds, and
the list of a tag or year listing page (links with their year and family), written by its own HTML
visitor: a listing of thousands of entries would otherwise be seven nodes a line for the translator.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class details(nodes.General, nodes.Element):
    """A disclosure: the first child (a :class:`summary`) stays visible, the rest opens on click."""


class summary(nodes.General, nodes.TextElement):
    """The always-visible line of a :class:`details`."""


class backlinks(nodes.General, nodes.Element):
    """Where "Referenced from" goes; replaced at write time by the places that cite the entry."""


class listing(nodes.General, nodes.Element):
    """The entries of a listing page: ``lines``, each (uri, text, meta), meta being the year and family.

    Written as the translator writes a simple bullet list of paragraphs, each a reference (its
    text also its title), then `` · `` and the meta in an inline (when there is one).
    """


def visit_listing_html(self: HTML5Translator, node: listing) -> None:
    self.body.append(self.starttag(node, "ul", CLASS="simple"))
    bare = nodes.Element()
    for uri, text, meta in node["lines"]:
        link = self.starttag(bare, "a", "", CLASS="reference internal", href=uri, title=text)
        after = f' · <span class="pn-listing-meta">{self.encode(meta)}</span>' if meta else ""
        self.body.append(f"<li><p>{link}{self.encode(text)}</a>{after}</p></li>\n")
    self.body.append("</ul>\n")
    raise nodes.SkipNode


def visit_details_html(self: HTML5Translator, node: details) -> None:
    self.body.append(self.starttag(node, "details", CLASS="pn-details"))


def depart_details_html(self: HTML5Translator, node: details) -> None:
    self.body.append("</details>\n")


def visit_summary_html(self: HTML5Translator, node: summary) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="pn-summary"))


def depart_summary_html(self: HTML5Translator, node: summary) -> None:
    self.body.append("</summary>\n")


def visit_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Other builders write the children as ordinary content."""


def depart_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Nothing to close outside HTML."""


def skip_node(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """A placeholder left unresolved (it never should be) writes nothing."""
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    """Register the nodes with an HTML rendering and a plain fallback for every other builder."""
    # The builders are named one by one: mypy checks a ``**dict`` against ``override: bool`` too.
    passthrough = (visit_passthrough, depart_passthrough)
    app.add_node(
        details,
        html=(visit_details_html, depart_details_html),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    app.add_node(
        summary,
        html=(visit_summary_html, depart_summary_html),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    skip = (skip_node, None)
    app.add_node(backlinks, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    # listing pages are written by HTML builders only
    app.add_node(listing, html=(visit_listing_html, None), latex=skip, text=skip, man=skip, texinfo=skip)
