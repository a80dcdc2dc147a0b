"""Collection views: tables, the lineage graph, the timeline, family overviews, downloads, the home page's cards.

Each view is one module with its directive and its ``setup``; :mod:`.base` is what they share (the
placeholder, the registry of kinds, the record of which pages show which views). Every view is
rendered when a page is written, from the collection of that build.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from papernotes.views import base, cards, downloads, lineage, matrix, overview, provenance, recent, table, timeline

__all__ = ["setup"]


def setup(app: Sphinx) -> None:
    """Wire the shared machinery, then every view."""
    base.setup(app)
    for module in (table, lineage, matrix, timeline, overview, downloads, cards, recent, provenance):
        module.setup(app)
