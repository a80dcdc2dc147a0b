"""The one wiring list of the extension: which module sets up what, in which order.

Every module has one job and its own ``setup``; reading this list top to bottom follows the data:
configuration, the bibliography, the domain and its directives, what happens after a page is read,
the checks on the whole collection, and what is written from it (backlinks, views, indices,
tag and year pages, exports, search).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from papernotes import (
    a11y,
    backlinks,
    bibliography,
    checks,
    citations,
    citeline,
    collection,
    compat,
    config,
    directives,
    domain,
    exports,
    feed,
    figures,
    fingerprints,
    gcfreeze,
    generation,
    glossary,
    indices,
    listing_state,
    listings,
    llms,
    metatags,
    nodes,
    search,
    sidebar,
    transforms,
    views,
)

STATIC = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Wire every module; all of them are safe for parallel reading and writing."""
    from papernotes import __version__  # noqa: PLC0415  (the package imports this module)

    for module in (
        config,
        nodes,
        domain,
        bibliography,
        directives,
        transforms,
        checks,
        collection,
        backlinks,
        fingerprints,
        generation,
        views,
        indices,
        listings,
        listing_state,
        sidebar,
        exports,
        citations,
        citeline,
        feed,
        llms,
        glossary,
        search,
        a11y,
        figures,
        metatags,
        gcfreeze,
        compat,
    ):
        module.setup(app)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("papernotes.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
