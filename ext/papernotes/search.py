"""Search: Pagefind's index of entries and pages and the search page, or Sphinx's index with entry anchors.

With ``papernotes_pagefind = True`` every page's searchable text is kept as it is written (see
:mod:`papernotes.search_records`) and, when an HTML build has finished, Pagefind (the ``pagefind``
package, imported only then) indexes one small document per entry and per page into
``_pagefind/`` of the output; ``search.html`` becomes a page that queries it in the browser and
keeps ``search.html?q=WORDS`` links working. Pagefind splits the index into fragments, so a query
downloads the few that hold its words, whatever the size of the collection. A missing Pagefind is a
located ``papernotes.config`` warning, and the site keeps Sphinx's search.

Without Pagefind, Sphinx's own index is used. Sphinx shortens an object's anchor to ``-`` when it
is ``<objtype>-<name>`` and its search page rebuilds the anchor from the object's *display* name
("InstructGPT"), not its id, so the anchors of ``pn`` objects are restored in full just before
the index is written; ``objects.inv`` and the domain are unchanged.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from papernotes.collection import collection_of
from papernotes.compat import SearchObjects, full_search_anchors
from papernotes.config import config_location
from papernotes.domain import PaperNotesDomain
from papernotes.entrytypes import label
from papernotes.messages import warn
from papernotes.search_records import GlossaryTerms, entry_document, page_document, page_record

__all__ = ["BUNDLE", "TEMPLATES", "documents", "index_site", "pagefind_binary", "restore_anchors", "write_documents"]

TEMPLATES = Path(__file__).parent / "templates"
#: Where the Pagefind bundle (pagefind.js, the index fragments) is written in the output.
BUNDLE = "_pagefind"
#: The builders whose pages are a site Pagefind can search (not epub, not singlehtml).
BUILDERS = ("html", "dirhtml")
_RECORDS = "papernotes-search"

logger = logging.getLogger(__name__)


def restore_anchors(
    objects: SearchObjects,
    objnames: dict[int, tuple[str, str, str]],
    domain: PaperNotesDomain,
    fn2index: dict[str, int],
) -> SearchObjects:
    """Replace the ``-`` shorthand of pn objects with their real anchors (one pass over the index)."""
    docnames = {index: docname for docname, index in fn2index.items()}
    anchors: dict[tuple[str, str, str], str] = {}
    for entry in domain.resolved_entries():
        name = html.escape(entry.name).rpartition(".")[2]
        anchors.setdefault((entry.docname, entry.objtype, name), entry.anchor)
    for rows in objects.values():
        for position, (docindex, typeindex, priority, anchor, name) in enumerate(rows):
            domain_name, objtype = objnames.get(typeindex, ("", "", ""))[:2]
            if anchor != "-" or domain_name != domain.name:
                continue
            full = anchors.get((docnames.get(docindex, ""), objtype, name))
            if full:
                rows[position] = (docindex, typeindex, priority, full, name)
    return objects


# Pagefind --------------------------------------------------------------------------------------


def enabled(app: Sphinx) -> bool:
    """Pagefind is on for this project and this is a build whose pages it can search."""
    return bool(app.config.papernotes_pagefind) and app.builder.name in BUILDERS


def index_language(config: Config) -> str:
    """The language Pagefind indexes in (it splits Chinese words only in a ``zh`` index)."""
    return str(config.papernotes_pagefind_language or config.html_search_language or config.language or "en")


def _records_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / _RECORDS


def keep_record(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Store what a page gives the index, read from its resolved doctree before views are filled in."""
    if not enabled(app):
        return
    domain = app.env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    record = page_record(doctree, docname, domain)
    folder = _records_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{quote(docname, safe='')}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _load_records(app: Sphinx) -> list[dict[str, Any]]:
    """The records of the pages this site has now; those of removed pages are deleted."""
    records = []
    for path in sorted(_records_dir(app).glob("*.json")):
        if unquote(path.stem) not in app.env.all_docs:
            path.unlink()
            continue
        records.append(json.loads(path.read_text(encoding="utf-8")))
    return records


def documents(app: Sphinx, records: list[dict[str, Any]]) -> dict[str, str]:
    """One HTML document per entry and per page, for Pagefind to index: file name -> HTML."""
    domain = app.env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    collection = collection_of(app.env)
    lang = index_language(app.config)
    glossary: GlossaryTerms = {
        term["anchor"]: (record["docname"], term["names"], term["chinese"])
        for record in records
        for term in record.get("glossary", [])
    }
    found: dict[str, str] = {}
    for number, record in enumerate(records):
        docname = record["docname"]
        uri = app.builder.get_target_uri(docname) or "./"
        title = app.env.titles[docname].astext() if docname in app.env.titles else docname
        found[f"p{number}.html"] = page_document(record, uri, title, lang)
        for position, item in enumerate(record.get("entries", [])):
            entry = domain.lookup(item["objtype"], item["id"])
            if entry is None or entry.docname != docname:
                continue
            family = collection.family(entry.family).label if entry.family else ""
            url = f"{uri}#{entry.anchor}"
            found[f"p{number}-e{position}.html"] = entry_document(
                entry, item, url, family, label(entry.objtype), glossary, lang
            )
    return found


def write_documents(app: Sphinx, records: list[dict[str, Any]], folder: Path) -> int:
    """Write :func:`documents` into a folder; returns how many."""
    found = documents(app, records)
    for name, text in found.items():
        (folder / name).write_text(text, encoding="utf-8")
    return len(found)


def pagefind_binary() -> tuple[Path | None, str]:
    """The Pagefind binary the ``pagefind`` package finds, or None and why not."""
    try:
        from pagefind.service import get_executable  # noqa: PLC0415  (only sites that search with Pagefind)
    except ImportError:
        return None, "the pagefind package is not installed"
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        return None, f"no Pagefind binary was found ({binary or 'none installed'})"
    return Path(binary), ""


def index_site(app: Sphinx, exception: BaseException | None) -> None:
    """Run Pagefind on the documents of every page, writing ``_pagefind/`` into the output."""
    if exception is not None or not enabled(app):
        return
    where = config_location(app, "papernotes_pagefind")
    binary, why = pagefind_binary()
    output = Path(app.outdir) / BUNDLE
    if binary is None:
        shutil.rmtree(output, ignore_errors=True)
        message = f"papernotes_pagefind: {why} (pip install 'pagefind[extended]'); the site keeps Sphinx's search"
        warn("config", message, where)
        return
    found = documents(app, _load_records(app))
    version = (str(binary), binary.stat().st_mtime_ns)
    digest = hashlib.sha256(repr((version, sorted(found.items()))).encode("utf-8")).hexdigest()
    stamp = _records_dir(app) / "indexed.sha256"
    if (output / "pagefind.js").is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        logger.info("papernotes: the Pagefind index is up to date")
        return  # a no-op rebuild does not pay for indexing again
    with tempfile.TemporaryDirectory(prefix="papernotes-pagefind-") as folder:
        for name, text in found.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        staged = Path(folder) / "out"
        language = index_language(app.config)
        command = [str(binary), "--site", folder, "--output-path", str(staged), "--force-language", language]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (staged / "pagefind.js").is_file():
            tail = " ".join((result.stderr or result.stdout).split()[-40:])
            warn("config", f"papernotes_pagefind: Pagefind could not index the site: {tail}", where)
            return
        shutil.rmtree(output, ignore_errors=True)
        shutil.move(str(staged), output)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")
    logger.info("papernotes: Pagefind indexed %d documents into %s/", len(found), BUNDLE)


def search_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object) -> str | None:
    """``search.html`` queries Pagefind where Pagefind can index the site."""
    if pagename != "search" or not enabled(app) or pagefind_binary()[0] is None:
        return None
    context["papernotes_bundle"] = f"{BUNDLE}/pagefind.js"
    return "papernotes-search.html"


def _add_templates(app: Sphinx, config: Config) -> None:
    if str(TEMPLATES) not in config.templates_path:  # a new list: the default one is shared by every app
        config.templates_path = [*config.templates_path, str(TEMPLATES)]


def setup(app: Sphinx) -> None:
    """Pagefind when the project turns it on; entry anchors in Sphinx's own index either way."""
    app.connect("config-inited", _add_templates)
    # Before views, backlinks and entry layout are filled in (priority 500): none of them is searched.
    app.connect("doctree-resolved", keep_record, priority=300)
    app.connect("html-page-context", search_page)
    app.connect("build-finished", index_site, priority=300)

    def fix(
        objects: SearchObjects, objnames: dict[int, tuple[str, str, str]], fn2index: dict[str, int]
    ) -> SearchObjects:
        domain = app.env.domains["pn"]
        assert isinstance(domain, PaperNotesDomain)
        return restore_anchors(objects, objnames, domain, fn2index)

    full_search_anchors(app, fix)
