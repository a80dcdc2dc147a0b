"""What the HTML writer leaves out for assistive technology, added while the page is written.

Four things Sphinx, docutils and the theme write that axe-core (WCAG 2.1 A/AA) reports on every page:

* a toctree caption is ``<p class="caption" role="heading">`` without ``aria-level`` (a heading
  role needs one): the sidebar of every page has three;
* a code block's ``<pre>`` scrolls sideways when its lines are long, but a keyboard cannot reach
  it to scroll: it gets ``tabindex="0"``;
* a table wider than the column scrolls in furo's ``div.table-wrapper``, which a keyboard cannot
  reach either: the wrapper becomes a focusable region named after the table's caption;
* a citation list is ``<div role="list">`` whose items have the deprecated DPUB role
  ``doc-biblioentry``, which is not a list item: they get ``role="listitem"`` -- only where the
  project asks for it (``papernotes_citation_list_items = True``), because sphinxcontrib-bibtex and
  tools that read its output (its own test suite among them) rely on ``doc-biblioentry``.

Each is a visitor registered with ``app.add_node(..., override=True)`` (public API): it writes the
case it fixes and hands every other case to the translator's own method, so the theme's or
another extension's translator class keeps working.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from papernotes.bibhighlight import write_bibtex_block

__all__ = ["CAPTION_LEVEL", "setup"]

#: The level a toctree caption announces: a heading of the navigation, under the page's title.
CAPTION_LEVEL = "2"
_PRE = re.compile(r"<pre(?![^>]*\btabindex=)")


def visit_title(self: HTML5Translator, node: nodes.Element) -> None:
    """A toctree caption as a heading with a level; every other title as the translator writes it."""
    if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
        self.body.append(
            self.starttag(node, "p", "", False, CLASS="caption", ROLE="heading", **{"aria-level": CAPTION_LEVEL})
        )
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")
        return
    type(self).visit_title(self, node)


def depart_title(self: HTML5Translator, node: nodes.Element) -> None:
    """Titles close as the translator closes them."""
    type(self).depart_title(self, node)


def visit_literal_block(self: HTML5Translator, node: nodes.literal_block) -> None:
    """The translator's code block, whose ``<pre>`` a keyboard can focus (and so scroll).

    A Cite block's BibTeX is highlighted by :mod:`papernotes.bibhighlight` when it can, as Pygments
    would highlight it; its ``<pre>`` is made focusable here like any other.
    """
    start = len(self.body)
    try:
        if write_bibtex_block(self, node):
            raise nodes.SkipNode
        type(self).visit_literal_block(self, node)
    finally:
        # highlighted blocks are one chunk and skip their children; parsed literals open <pre> here
        for index in range(start, len(self.body)):
            chunk = self.body[index]
            if "<pre" in chunk:
                self.body[index] = _PRE.sub('<pre tabindex="0"', chunk, count=1)
                break


def depart_literal_block(self: HTML5Translator, node: nodes.literal_block) -> None:
    """Code blocks close as the translator closes them."""
    type(self).depart_literal_block(self, node)


def visit_container(self: HTML5Translator, node: nodes.container) -> None:
    """A table's scrolling wrapper as a named region a keyboard can focus; other containers as written."""
    if "table-wrapper" not in node["classes"]:
        type(self).visit_container(self, node)
        return
    table = next(iter(node.findall(nodes.table)), None)
    title = next(iter(table.findall(nodes.title)), None) if table is not None else None
    name = f"Table: {title.astext()}" if title is not None else "Table"
    self.body.append(
        self.starttag(
            node, "div", "", False, CLASS="docutils container", ROLE="region", TABINDEX="0", **{"aria-label": name}
        )
    )


def depart_container(self: HTML5Translator, node: nodes.container) -> None:
    """A table's wrapper closes its own ``<div>``; other containers close as the translator closes them."""
    if "table-wrapper" in node["classes"]:
        self.body.append("</div>\n")
        return
    type(self).depart_container(self, node)


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """A citation as an item of the list docutils wraps citations in."""
    start = len(self.body)
    type(self).visit_citation(self, node)
    if not self.config.papernotes_citation_list_items:
        return
    for index in range(start, len(self.body)):
        self.body[index] = self.body[index].replace('role="doc-biblioentry"', 'role="listitem"')


def depart_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """Citations close as the translator closes them."""
    type(self).depart_citation(self, node)


def setup(app: Sphinx) -> None:
    """Override the four HTML visitors (other builders are untouched) and add the site-chrome styles."""
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
    app.add_node(nodes.literal_block, override=True, html=(visit_literal_block, depart_literal_block))
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.container, override=True, html=(visit_container, depart_container))
    app.add_css_file("papernotes-a11y.css")
