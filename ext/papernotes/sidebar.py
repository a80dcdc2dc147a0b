"""One site navigation per folder for generated pages that no toctree lists.

Every HTML page carries the theme's navigation, which the theme gets by calling the page
context's ``toctree()``: Sphinx resolves the whole global toctree for that page (every page's
table of contents, copied, then pruned) and renders it. A collection of N entries has pages in
proportion to N, and each navigation costs in proportion to N, so the tag and year listings
(:mod:`papernotes.listings`, 150 pages at 5,000 entries) made a clean build grow with the square
of the collection: at 5,000 entries their navigation was a tenth of the build.

A generated page (no source, so no doctree) that no toctree names is marked current nowhere in
the navigation, so its navigation depends only on the folder it is in (links are relative to it)
and on the arguments the theme passes. Its ``toctree()`` is therefore computed once per folder
and arguments in a build, and shared by every such page in that folder (``tags/topic/2.html``,
``tags/topic/3.html`` …). Pages a toctree lists (a project may list ``tags/index``) and pages with
a source keep their own. The handler runs before the theme's own ``html-page-context`` handlers
(furo computes its navigation there), so they get the shared one too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

__all__ = ["setup"]

_CACHE = "_papernotes_navigation"


def _listed_in_toctrees(app: Sphinx) -> set[str]:
    return {name for included in app.env.toctree_includes.values() for name in included}


def share_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Give a generated page outside every toctree the navigation of its folder (computed once)."""
    toctree = context.get("toctree")
    if doctree is not None or not callable(toctree) or pagename in app.env.found_docs:
        return
    state = app.builder.__dict__.setdefault(_CACHE, {"listed": None, "navigation": {}})
    if state["listed"] is None:
        state["listed"] = _listed_in_toctrees(app)
    if pagename in state["listed"]:
        return
    context["toctree"] = _shared(toctree, posixpath.dirname(pagename), state["navigation"])


def _shared(toctree: Callable[..., str], folder: str, navigation: dict[tuple[str, str], str]) -> Callable[..., str]:
    def shared(**kwargs: Any) -> str:
        key = (folder, repr(sorted(kwargs.items())))
        found = navigation.get(key)
        if found is None:
            found = navigation[key] = toctree(**kwargs)
        return found

    return shared


def _forget(app: Sphinx, exception: BaseException | None) -> None:
    """The shared navigation belongs to one build (the next may have other pages and titles)."""
    app.builder.__dict__.pop(_CACHE, None)


def setup(app: Sphinx) -> None:
    """Share the navigation before the theme's own handlers read it; forget it when the build ends."""
    app.connect("html-page-context", share_navigation, priority=400)
    app.connect("build-finished", _forget)
