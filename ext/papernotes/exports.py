"""Exports at the site root: ``papers.json`` (with its JSON Schema) and ``papers.bib``.

``papers.json`` holds every entry of every type with its fields, family, tags, outside links,
relations in both directions and its URL on the site, so other tools can use the collection
without scraping pages. ``papers.schema.json`` describes it (and a test validates the export
against it). ``papers.bib`` is the bibliography the site is built from, for citing. All three are
written when the build finishes, from the collection of that build, so incremental and parallel
builds produce the same files as a clean one; a file is only rewritten when its content changed.

Every paper's Cite block links to ``papers.bib``, and ``{collection-downloads}`` lists the files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from papernotes.bib import load_bibliography
from papernotes.collection import Collection, collection_of
from papernotes.domain import Entry
from papernotes.views import make_view, register_renderer

__all__ = ["SCHEMA_PATH", "collection_json", "write_exports"]

SCHEMA_PATH = Path(__file__).parent / "schema" / "papers.schema.json"
JSON_NAME = "papers.json"
SCHEMA_NAME = "papers.schema.json"
BIB_NAME = "papers.bib"
RELATED_NAMES = {"paper": "papers", "model": "models", "repo": "repos", "dataset": "datasets"}


def _links(entry: Entry) -> dict[str, str]:
    """The outside links of an entry, by kind."""
    fields = entry.fields
    links: dict[str, str] = {}
    if entry.objtype == "paper":
        if fields.get("arxiv"):
            links["arxiv"] = f"https://arxiv.org/abs/{fields['arxiv']}"
            links["pdf"] = f"https://arxiv.org/pdf/{fields['arxiv']}"
        if fields.get("doi"):
            links["doi"] = f"https://doi.org/{fields['doi']}"
        if fields.get("url"):
            links["web"] = fields["url"]
        if fields.get("code"):
            links["code"] = fields["code"]
    elif fields.get("url"):
        links["repository" if entry.objtype == "repo" else "web"] = fields["url"]
    for index, url in enumerate(fields.get("links", []) or [], start=1):
        links[f"link{index}"] = url
    return links


def _entry_json(app: Sphinx, collection: Collection, entry: Entry, base_url: str) -> dict[str, Any]:
    url = app.builder.get_target_uri(entry.docname) + "#" + entry.anchor
    related = {
        RELATED_NAMES[objtype]: [other.id for other in collection.related[entry.key].get(objtype, [])]
        for objtype in RELATED_NAMES
    }
    related["base"] = [other.id for other in collection.bases[entry.key]]
    related["derived"] = [other.id for other in collection.derived[entry.key]]
    record: dict[str, Any] = {
        "type": entry.objtype,
        "id": entry.id,
        "name": entry.name,
        "short": entry.short,
        "family": entry.family,
        "tags": list(entry.tags),
        "year": entry.year,
        "fields": {key: value for key, value in sorted(entry.fields.items())},
        "relations": {option: list(ids) for option, ids in sorted(entry.relations.items())},
        "related": related,
        "links": _links(entry),
        "url": url,
    }
    if base_url:
        record["absolute_url"] = urljoin(base_url, url)
    return record


def collection_json(app: Sphinx, env: BuildEnvironment) -> dict[str, Any]:
    """The whole collection as JSON data, in a stable order."""
    from papernotes import __version__  # noqa: PLC0415  (the package imports this module)

    collection = collection_of(env)
    base_url = str(app.config.html_baseurl or "")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    families = []
    for family in collection.families.values():
        item: dict[str, Any] = {"id": family.id, "name": family.label, "title": family.title}
        item["url"] = app.builder.get_target_uri(family.page) if family.page else None
        families.append(item)
    return {
        "$schema": urljoin(base_url, SCHEMA_NAME) if base_url else SCHEMA_NAME,
        "title": str(app.config.project),
        "generator": f"papernotes {__version__}",
        "base_url": base_url,
        "families": families,
        "entries": [_entry_json(app, collection, entry, base_url) for entry in collection.entries],
    }


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def bibliography_text(app: Sphinx) -> str:
    """Every readable entry of the site's BibTeX files, in file order."""
    paths = [(Path(app.confdir) / str(name)).resolve() for name in (app.config.bibtex_bibfiles or [])]
    _, texts = load_bibliography(paths)
    header = f"% {app.config.project}: the bibliography of every paper on the site.\n\n"
    return header + "\n".join(text.strip() + "\n" for text in texts.values() if text.strip())


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write papers.json, its schema and papers.bib into the root of an HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    data = collection_json(app, app.env)
    # Indented JSON is written by json's pure-Python encoder (a tenth of a no-op rebuild at 1,000
    # entries, issue 6): it is skipped when the data is what the file was last written from.
    stamp = Path(app.doctreedir) / "papernotes-json.sha1"
    digest = hashlib.sha1(repr(data).encode("utf-8")).hexdigest()
    fresh = (outdir / JSON_NAME).is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest
    if not fresh:
        _write_if_changed(outdir / JSON_NAME, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest, encoding="utf-8")
    _write_if_changed(outdir / SCHEMA_NAME, SCHEMA_PATH.read_text(encoding="utf-8"))
    _write_if_changed(outdir / BIB_NAME, bibliography_text(app))


def _root_uri(app: Sphinx, docname: str, name: str) -> str:
    return relative_uri(app.builder.get_target_uri(docname), name)


def link_cite_blocks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under every paper's BibTeX block, a link to the whole bibliography."""
    if app.builder.format != "html":
        return
    for block in doctree.findall(nodes.container):
        if "pn-cite" not in block["classes"]:
            continue
        link = nodes.reference(BIB_NAME, BIB_NAME, refuri=_root_uri(app, docname, BIB_NAME), classes=["pn-download"])
        block.append(
            nodes.paragraph("", "", nodes.Text("All papers on the site as BibTeX: "), link, classes=["pn-cite-all"])
        )


def render_downloads(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """Links to the exported files, relative to the page."""
    if app.builder.format != "html":
        return []
    items = nodes.bullet_list(classes=["pn-downloads"])
    for name, what in (
        (BIB_NAME, "every paper as BibTeX"),
        (JSON_NAME, "every entry with its fields, relations and URL"),
        (SCHEMA_NAME, f"the JSON Schema of {JSON_NAME}"),
    ):
        link = nodes.reference(name, name, refuri=_root_uri(app, docname, name), classes=["pn-download"])
        items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(f": {what}")))
    return [items]


class DownloadsDirective(SphinxDirective):
    """``{collection-downloads}``: a list of the exported files."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [make_view(self.env, "downloads", {}, self.get_source_info()[0], self.lineno)]


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Make sphinx-sitemap's list whole and ordered, whatever pages this build wrote.

    sphinx-sitemap lists the pages written by the current build, in the order they were written:
    an incremental build would publish a sitemap of the changed pages only, and a parallel one an
    order that varies. Just before it writes ``sitemap.xml``, every page of the site is noted
    through its own function, and the list is deduplicated and sorted.
    """
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    import sphinx_sitemap  # noqa: PLC0415  (only when the site uses it)

    for docname in sorted(app.env.all_docs):
        sphinx_sitemap.add_html_link(app, docname, "page.html", {}, None)
    found: dict[str, Any] = {}
    while not links.empty():
        link, last_updated = links.get()
        found[link] = found.get(link) or last_updated
    for link in sorted(found):
        links.put((link, found[link]))


def setup(app: Sphinx) -> None:
    """Write the exports at the end of each build; link them from pages."""
    app.add_directive("collection-downloads", DownloadsDirective)
    register_renderer("downloads", render_downloads, lambda env, spec: "")
    app.connect("doctree-resolved", link_cite_blocks)
    app.connect("build-finished", write_exports)
    app.connect("build-finished", complete_sitemap, priority=400)
