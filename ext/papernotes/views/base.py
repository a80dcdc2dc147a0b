"""What every view shares: the placeholder, the registry of kinds, and the record of pages that show them.

A view shows data from the whole site, so a page cannot render it while it is read: its
directive validates the options (reporting mistakes at the directive's line), records the view
for the page and leaves a :class:`view` placeholder. When the page is written, every placeholder
is replaced by the rendering of its kind, computed from the collection of this build. Each kind
also fingerprints what it shows, so :mod:`papernotes.fingerprints` rewrites exactly the pages
whose views changed in an incremental build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util.docutils import SphinxDirective

from papernotes.collection import collection_of
from papernotes.messages import warn
from papernotes.options import report_unknown_options

__all__ = [
    "ViewDirective",
    "ViewKind",
    "make_view",
    "page_unique_id",
    "register_view",
    "relative_uri",
    "view",
    "views_state",
]


class view(nodes.General, nodes.Element):
    """Where a collection view goes; ``kind`` and ``spec`` say which, filled in when the page is written."""


Render = Callable[[Sphinx, str, dict[str, Any]], list[nodes.Node]]
Fingerprint = Callable[[BuildEnvironment, dict[str, Any]], str]


@dataclass(frozen=True)
class ViewKind:
    """A kind of view: how it is rendered into a page and how what it shows is fingerprinted."""

    render: Render
    fingerprint: Fingerprint


#: view kind -> how to render and fingerprint it; every view module registers its kinds at setup.
VIEW_KINDS: dict[str, ViewKind] = {}


def register_view(kind: str, render: Render, fingerprint: Fingerprint) -> None:
    """Declare a kind of view."""
    VIEW_KINDS[kind] = ViewKind(render, fingerprint)


# which pages show which views ----------------------------------------------------------------

_VIEWS_ATTRIBUTE = "papernotes_views"


def _views(env: BuildEnvironment) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    if not hasattr(env, _VIEWS_ATTRIBUTE):
        setattr(env, _VIEWS_ATTRIBUTE, {})
    views: dict[str, list[tuple[str, dict[str, Any]]]] = getattr(env, _VIEWS_ATTRIBUTE)
    return views


def make_view(env: BuildEnvironment, kind: str, spec: dict[str, Any], source: str, line: int) -> view:
    """A placeholder for a view, recorded for the page being read."""
    _views(env).setdefault(env.docname, []).append((kind, spec))
    node = view("", kind=kind, spec=spec)
    node.source, node.line = source, line
    return node


def _purge_views(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _views(env).pop(docname, None)


def _merge_views(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs = getattr(other, _VIEWS_ATTRIBUTE, {})
    for docname in docnames:
        if docname in theirs:
            _views(env)[docname] = theirs[docname]


def views_state(env: BuildEnvironment, docname: str) -> str:
    """What the page's views show; each distinct view is fingerprinted once per build."""
    views = _views(env).get(docname, [])
    if not views:
        return ""
    collection = collection_of(env)
    parts = []
    for kind, spec in views:
        found = VIEW_KINDS.get(kind)
        if found is None:
            continue
        key = ("state", kind, repr(sorted(spec.items())))
        parts.append(collection.memoized(key, partial(found.fingerprint, env, spec)))
    return "\n".join(parts)


# writing ---------------------------------------------------------------------------------------


def fill_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every view placeholder of the page with its rendering for this build."""
    for placeholder in list(doctree.findall(view)):
        found = VIEW_KINDS.get(placeholder["kind"])
        replacement = found.render(app, docname, placeholder["spec"]) if found else []
        if replacement:
            placeholder.replace_self(replacement)
        else:
            placeholder.parent.remove(placeholder)


def page_unique_id(app: Sphinx, docname: str, stem: str) -> str:
    """An id unique on the page being written (``stem-1``, ``stem-2`` …), the same in every build."""
    counters: dict[tuple[str, str], int] = app.builder.__dict__.setdefault("_papernotes_ids", {})
    number = counters.get((docname, stem), 0) + 1
    counters[docname, stem] = number
    return f"{stem}-{number}"


def relative_uri(app: Sphinx, docname: str, target: str, anchor: str = "") -> str | None:
    """A link from the page to a document (and anchor), or None where the builder has no such page."""
    try:
        uri = app.builder.get_relative_uri(docname, target)
    except NoUri:
        return None
    return uri + ("#" + anchor if anchor else "")


class ViewDirective(SphinxDirective):
    """A view's directive: options checked leniently and reported as located ``papernotes`` warnings."""

    has_content = False

    @property
    def location(self) -> tuple[str, int]:
        return self.env.docname, self.lineno

    def warn(self, subtype: str, message: str) -> None:
        warn(subtype, f"{self.name}: {message}", self.location)

    def report_unknown_options(self) -> None:
        report_unknown_options(self.name, self.options, self.option_spec or {}, self.location)

    def check_family(self, family: str, option: str = "") -> None:
        """Warn when a family is named that the project does not configure."""
        configured = self.config.papernotes_families
        if family and configured and family not in configured:
            self.warn("family", f"{option + ' ' if option else ''}unknown family {family!r}")

    def view(self, kind: str, spec: dict[str, Any]) -> view:
        return make_view(self.env, kind, spec, self.get_source_info()[0], self.lineno)


def skip_node(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """A placeholder left unresolved (it never should be) writes nothing."""
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    """The placeholder node, the record of views per page, and the write-time filling."""
    skip = (skip_node, None)  # builders named one by one: mypy checks a **dict against override: bool
    app.add_node(view, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("env-purge-doc", _purge_views)
    app.connect("env-merge-info", _merge_views)
    app.connect("doctree-resolved", fill_views)
