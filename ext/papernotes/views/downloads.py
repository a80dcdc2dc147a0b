"""``{collection-downloads}``: links to the files the site exports (BibTeX, CSL-JSON, papers.json, the feed)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from papernotes.citations import CSL_NAME
from papernotes.exports import BIB_NAME, JSON_NAME, SCHEMA_NAME
from papernotes.feed import FEED_NAME
from papernotes.llms import FULL_NAME, LLMS_NAME
from papernotes.views.base import ViewDirective, register_view

__all__ = ["DownloadsDirective"]


def render_downloads(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """Links to the exported files, relative to the page (HTML only: other builders have no such files)."""
    if app.builder.format != "html":
        return []
    items = nodes.bullet_list(classes=["pn-downloads"])
    files = [
        (BIB_NAME, "every paper as BibTeX (each paper, family and tag also has its own file under bib/)"),
        (CSL_NAME, "every paper as CSL-JSON, for Zotero, pandoc and other citation processors"),
        (JSON_NAME, "every entry with its fields, relations and URL"),
        (SCHEMA_NAME, f"the JSON Schema of {JSON_NAME}"),
        (FEED_NAME, "an Atom feed of the entries as they are added"),
        (LLMS_NAME, "the pages, listed for language-model agents"),
        (FULL_NAME, "every page's source in one file"),
    ]
    for name, what in files:
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
