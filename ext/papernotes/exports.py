"""Exports at the site root: ``papers.json`` (with its JSON Schema) and ``papers.bib``.

``papers.json`` holds every entry of every type with its fields, family, tags, outside links,
relations in both directions and its URL on the site, so other tools can use the collection
without scraping pages. ``papers.schema.json`` describes it (and a test validates the export
against it). ``papers.bib`` is the bibliography the site is built from, for citing. All three are
written when the build finishes, from the collection of that build, so incremental and parallel
builds produce the same files as a clean one; a file is only rewritten when its content changed,
and nothing is worked out when nothing it is made of changed (:mod:`papernotes.generation`).

Every paper's Cite block links to ``papers.bib`` (:mod:`papernotes.citations`, which also writes
the per-paper, family and tag BibTeX files and ``papers.csl.json``); ``{collection-downloads}``
(:mod:`papernotes.views.downloads`) lists the files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.bibliography import bibliography_of
from papernotes.collection import Collection, collection_of
from papernotes.display import https_url
from papernotes.domain import Entry
from papernotes.entrytypes import ENTRY_TYPES
from papernotes.generation import is_current, mark_current
from papernotes.lineage_kinds import edges_json
from papernotes.provenance import FIELD_NAMES as PROVENANCE_FIELDS
from papernotes.provenance import provenance_json

__all__ = ["BIB_NAME", "JSON_NAME", "SCHEMA_NAME", "SCHEMA_PATH", "collection_json", "write_exports"]

SCHEMA_PATH = Path(__file__).parent / "schema" / "papers.schema.json"
JSON_NAME = "papers.json"
SCHEMA_NAME = "papers.schema.json"
BIB_NAME = "papers.bib"
#: Kept with an entry but not exported as its fields (provenance has a key of its own).
_NOT_FIELDS = frozenset({"authors_truncated", *PROVENANCE_FIELDS})


def _links(entry: Entry) -> dict[str, str]:
    """The outside links of an entry, by kind, exactly as its page shows them."""
    links: dict[str, str] = {}
    extra = 0
    for kind, url in entry.links:
        extra += kind == "link"
        links.setdefault(f"link{extra}" if kind == "link" else kind, url)
    return links


#: Fields that hold outside links: exported over https, as the page shows them.
_LINK_FIELDS = frozenset({"url", "code", "links"})


def _fields(entry: Entry) -> dict[str, Any]:
    """The entry's fields for papers.json: a field it does not have is absent (never ``""`` or ``[]``)."""
    fields: dict[str, Any] = {}
    for key, value in sorted(entry.fields.items()):
        if key in _NOT_FIELDS or value in ("", [], (), None):
            continue
        if isinstance(value, list | tuple):
            fields[key] = [https_url(item) for item in value] if key in _LINK_FIELDS else list(value)
        else:
            fields[key] = https_url(value) if key in _LINK_FIELDS else value
    return fields


def _entry_json(app: Sphinx, collection: Collection, entry: Entry, base_url: str) -> dict[str, Any]:
    url = app.builder.get_target_uri(entry.docname) + "#" + entry.anchor
    related = {
        kind.group: [other.id for other in collection.related[entry.key].get(name, [])]
        for name, kind in ENTRY_TYPES.items()
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
        "year": int(entry.year) if entry.year.isdigit() else None,
        "fields": _fields(entry),
        "relations": {option: list(ids) for option, ids in sorted(entry.relations.items())},
        "related": related,
        "links": _links(entry),
        "url": url,
        "provenance": provenance_json(entry.fields),
    }
    if base_url:
        record["absolute_url"] = urljoin(base_url, url)
    # Absent, not empty: no family, no year (a repository, model or dataset may have neither).
    return {key: value for key, value in record.items() if value not in ("", None)}


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
        if family.page:  # no page introduces it: no url
            item["url"] = app.builder.get_target_uri(family.page)
        families.append(item)
    return {
        "$schema": urljoin(base_url, SCHEMA_NAME) if base_url else SCHEMA_NAME,
        "title": str(app.config.project),
        "generator": f"papernotes {__version__}",
        **({"base_url": base_url} if base_url else {}),
        "families": families,
        "entries": [_entry_json(app, collection, entry, base_url) for entry in collection.entries],
        "edges": edges_json(collection),  # the typed lineage (papernotes.lineage_kinds)
    }


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def bibliography_text(app: Sphinx) -> str:
    """Every readable entry of the site's BibTeX files (with their macros), in file order."""
    header = f"% {app.config.project}: the bibliography of every paper on the site.\n\n"
    return header + bibliography_of(app.env).clean_text()


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write papers.json, its schema and papers.bib into the root of an HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if is_current(app, "exports", [outdir / JSON_NAME, outdir / SCHEMA_NAME, outdir / BIB_NAME]):
        return
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
    mark_current(app, "exports")


def setup(app: Sphinx) -> None:
    """Write the exports at the end of each build (:mod:`papernotes.citations` links them from the Cite blocks)."""
    app.connect("build-finished", write_exports)
