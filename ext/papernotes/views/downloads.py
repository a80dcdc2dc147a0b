"""``{collection-downloads}``: links to the files the site exports (papers.bib, papers.json, its schema)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from papernotes.exports import BIB_NAME, JSON_NAME, SCHEMA_NAME
from papernotes.views.base import ViewDirective, register_view

__all__ = ["DownloadsDirective"]


def render_downloads(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """Links to the exported files, relative to the page (HTML only: other builders have no such files)."""
    if app.builder.format != "html":
        return []
    items = nodes.bullet_list(classes=["pn-downloads"])
    for name, what in (
        (BIB_NAME, "every paper as BibTeX"),
        (JSON_NAME, "every entry with its fields, relations and URL"),
        (SCHEMA_NAME, f"the JSON Schema of {JSON_NAME}"),
    ):
        uri = relative_uri(app.builder.get_target_uri(docname), name)
        link = nodes.reference(name, name, refuri=uri, classes=["pn-download"])
        items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(f": {what}")))
    return [items]


class DownloadsDirective(ViewDirective):
    """``{collection-downloads}``: a list of the exported files."""

    def run(self) -> list[nodes.Node]:
        return [self.view("downloads", {})]


def setup(app: Sphinx) -> None:
    """Register the directive and its view."""
    app.add_directive("collection-downloads", DownloadsDirective)
    register_view("downloads", render_downloads, lambda env, spec: "")
