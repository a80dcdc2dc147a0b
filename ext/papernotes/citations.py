"""Citations in every format: the one-line citation, BibTeX per paper, family and tag, and CSL-JSON.

Readers cite from wherever they are: one paper (its Cite block), a family page or a tag page, or
the whole collection in a reference manager. So every HTML build writes ``bib/papers/<key>.bib``,
``bib/families/<family>.bib`` and ``bib/tags/<tag>.bib`` (each entry exactly as the bibliography
has it, with the file's macros) and ``papers.csl.json``, the papers as CSL-JSON for Zotero,
pandoc and citeproc: arXiv papers as preprints (CSL ``article``) with the abstract page as
``URL``, the id as ``number`` (``arXiv:…``, Zotero's "Archive ID") and as ``archive_location``,
``DOI`` bare, ``container-title``, ``issued`` date-parts and authors as family/given (a BibTeX
``and others`` is no author named "others"). The files are written when the build finishes, from
the collection of that build (so incremental and parallel builds write the same bytes), and
files of papers, families or tags that are gone are removed. A build whose papers, families, tags
and macros are those the previous build wrote (a fingerprint in ``papernotes-citations.pickle``
next to Sphinx's pickles) leaves the files as they are, without formatting or reading them.

The one-line citation on each paper is :mod:`papernotes.citeline`'s (re-exported here).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pybtex
from docutils import nodes
from pybtex.database import BibliographyData, Person
from pybtex.database import Entry as PybtexEntry
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from papernotes import bibentry, citeline, display
from papernotes.bibentry import BibEntry, Bibliography, latex_to_text
from papernotes.bibfile import parsed_entry
from papernotes.bibliography import bibliography_of
from papernotes.citeline import citation_line
from papernotes.collection import collection_of
from papernotes.display import paper_links
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.generation import is_current, mark_current
from papernotes.render import cite_block_of

__all__ = [
    "BIB_DIR",
    "CSL_NAME",
    "bibtex_text",
    "citation_line",
    "csl_item",
    "family_bib_path",
    "paper_bib_path",
    "tag_bib_path",
]

BIB_DIR = "bib"
CSL_NAME = "papers.csl.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+\-]")


def paper_bib_path(key: str) -> str:
    """Where a paper's own BibTeX file is, from the site root (a key's odd characters become '-')."""
    return f"{BIB_DIR}/papers/{_UNSAFE.sub('-', key)}.bib"


def family_bib_path(family: str) -> str:
    """Where a family's BibTeX file is, from the site root."""
    return f"{BIB_DIR}/families/{_UNSAFE.sub('-', family)}.bib"


def tag_bib_path(tag: str) -> str:
    """Where a tag's BibTeX file is, from the site root (tags are slugs already)."""
    return f"{BIB_DIR}/tags/{_UNSAFE.sub('-', tag)}.bib"


def bibtex_text(entry: BibEntry, macros: str) -> str:
    """The entry as the bibliography has it, less a url papernotes rejected as unsafe."""
    if "url" not in entry.rejected:
        return entry.raw.strip() + "\n"
    parsed = parsed_entry(macros, entry.raw, entry.key)
    if parsed is None:
        return ""
    fields = {name: value for name, value in parsed.fields.items() if name.lower() != "url"}
    clean = PybtexEntry(parsed.type, fields=fields, persons=parsed.persons)
    return str(BibliographyData(entries={entry.key: clean}).to_string("bibtex"))


# CSL-JSON ------------------------------------------------------------------------------------------
_CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "manual": "report",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def _csl_name(person: Person) -> dict[str, str]:
    name: dict[str, str] = {}
    given = latex_to_text(" ".join(person.first_names + person.middle_names))
    family = latex_to_text(" ".join(person.last_names))
    particle = latex_to_text(" ".join(person.prelast_names))
    if family:
        name["family"] = family
    if given:
        name["given"] = given
    if particle:
        name["non-dropping-particle"] = particle
    if person.lineage_names:
        name["suffix"] = latex_to_text(" ".join(person.lineage_names))
    return name


def _issued(fields: dict[str, str]) -> dict[str, list[list[int]]] | None:
    year = fields.get("year", "")
    if not re.fullmatch(r"\d{4}", year):
        return None
    parts = [int(year)]
    month = fields.get("month", "").strip().lower()[:3]
    number = _MONTHS.get(month) or (int(month) if month.isdigit() and 1 <= int(month) <= 12 else 0)
    if number:
        parts.append(number)
    return {"date-parts": [parts]}


def csl_item(entry: BibEntry, macros: str = "") -> dict[str, Any]:
    """One paper as a CSL-JSON item: only the variables it has, each a non-empty value."""
    fields = entry.fields
    links, _ = paper_links(entry.arxiv_id, fields.get("doi", ""), fields.get("url", ""), "")
    by_kind = {link.kind: link.url for link in links}
    arxiv = entry.arxiv_id if "arxiv" in by_kind else ""
    journal = fields.get("journal", "")
    preprint = bool(arxiv) and (entry.entry_type in ("misc", "unpublished") or journal.lower().startswith("arxiv"))
    item: dict[str, Any] = {"id": entry.key, "type": "article" if preprint else _CSL_TYPES.get(entry.entry_type)}
    if item["type"] is None:
        item["type"] = "article" if arxiv else ("webpage" if "web" in by_kind else "document")
    item["title"] = entry.title
    parsed = parsed_entry(macros, entry.raw, entry.key)
    persons = parsed.persons if parsed is not None else {}
    for role, variable in (("author", "author"), ("editor", "editor")):
        names = [_csl_name(person) for person in persons.get(role, []) if str(person) != "others"]
        item[variable] = [name for name in names if name]
    container = "" if preprint else (journal or fields.get("booktitle", ""))
    item["container-title"] = container
    item["publisher"] = "arXiv" if preprint else fields.get("publisher", "")
    item["volume"] = fields.get("volume", "")
    item["issue"] = fields.get("number", "")
    item["page"] = fields.get("pages", "").replace("--", "–")
    item["issued"] = _issued(fields)
    item["DOI"] = by_kind.get("doi", "").removeprefix("https://doi.org/")
    item["URL"] = by_kind.get("arxiv") or by_kind.get("web", "")
    if arxiv:
        item["number"] = f"arXiv:{arxiv}" if preprint else ""
        item["archive"] = "arXiv"
        item["archive_location"] = arxiv
    return {name: value for name, value in item.items() if value}


# Writing the files ----------------------------------------------------------------------------------
def _papers(app: Sphinx) -> list[tuple[Entry, BibEntry]]:
    bibliography = bibliography_of(app.env)
    found = []
    for entry in collection_of(app.env).by_type.get("paper", []):
        bib = bibliography.get(entry.id)
        if bib is not None:
            found.append((entry, bib))
    return found


def _bib_file(title: str, papers: Iterable[tuple[Entry, BibEntry]], bibliography: Bibliography) -> str:
    parts = [f"% {title}", bibliography.macros.strip()]
    parts += [bibtex_text(bib, bibliography.macros).strip() for _, bib in papers]
    return "\n\n".join(part for part in parts if part) + "\n"


def _write(path: Path, text: str) -> None:
    """Write the file unless it holds the text already (its folder exists: see write_citations)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def bib_files(app: Sphinx) -> dict[str, str]:
    """Every BibTeX file under ``bib/`` this build writes, by path from the site root."""
    bibliography = bibliography_of(app.env)
    collection = collection_of(app.env)
    project = str(app.config.project)
    papers = _papers(app)
    files = {
        paper_bib_path(entry.id): _bib_file(f"{project}: {entry.name}", [(entry, bib)], bibliography)
        for entry, bib in papers
    }
    # grouped in one pass: a pass per family and per tag grows with families times papers
    by_family: dict[str, list[tuple[Entry, BibEntry]]] = {}
    by_tag: dict[str, list[tuple[Entry, BibEntry]]] = {}
    for pair in papers:
        by_family.setdefault(pair[0].family, []).append(pair)
        for tag in pair[0].tags:
            by_tag.setdefault(tag, []).append(pair)
    for family in collection.families.values():
        chosen = by_family.get(family.id, [])
        files[family_bib_path(family.id)] = _bib_file(f"{project}: the papers of {family.label}", chosen, bibliography)
    for tag in sorted(by_tag):
        files[tag_bib_path(tag)] = _bib_file(f"{project}: the papers tagged {tag}", by_tag[tag], bibliography)
    return files


#: The fingerprint of the files last written and their names, in the doctree directory.
STATE_FILE = "papernotes-citations.pickle"
#: What the files are made from besides the papers: the code that makes them, and pybtex.
_CODE = b"".join(
    Path(module).read_bytes() for module in (__file__, citeline.__file__, display.__file__, bibentry.__file__)
)
_CODE += str(pybtex.__version__).encode()


def _fingerprint(app: Sphinx) -> str:
    """A digest of everything the files are written from: papers, families, tags, macros, project, code."""
    bibliography = bibliography_of(app.env)
    digest = hashlib.sha1(_CODE)
    digest.update(repr((str(app.config.project), bibliography.macros)).encode())
    for family in sorted(collection_of(app.env).families.values(), key=lambda family: family.id):
        digest.update(repr((family.id, family.label)).encode())
    for entry, bib in _papers(app):
        digest.update(repr((entry.id, entry.name, entry.family, entry.tags, bib.raw, sorted(bib.rejected))).encode())
    return digest.hexdigest()


def _saved(state: Path) -> tuple[str, list[str]] | None:
    """The fingerprint the previous build wrote the files from, and their names."""
    try:
        saved = pickle.loads(state.read_bytes())
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        return None
    return saved if isinstance(saved, tuple) and len(saved) == 2 else None


def write_citations(app: Sphinx, exception: Exception | None) -> None:
    """Write the BibTeX files and papers.csl.json into an HTML build; remove those of entries that are gone.

    Nothing is worked out when nothing the files are made of changed (:mod:`papernotes.generation`);
    otherwise their fingerprint decides whether they are written again.
    """
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    state = Path(app.doctreedir) / STATE_FILE
    saved = _saved(state)
    written = [outdir / name for name in saved[1]] if saved else []
    if saved and is_current(app, "citations", written):
        return
    fingerprint = _fingerprint(app)
    if saved and saved[0] == fingerprint and all(path.is_file() for path in written):
        mark_current(app, "citations")
        return
    files = bib_files(app)
    for folder in sorted({(outdir / name).parent for name in [*files, CSL_NAME]}):
        folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        _write(outdir / name, text)
    expected = {outdir / name for name in files}
    for path in sorted((outdir / BIB_DIR).rglob("*.bib")):
        if path not in expected:
            path.unlink()
    macros = bibliography_of(app.env).macros
    items = [csl_item(bib, macros) for _, bib in sorted(_papers(app), key=lambda pair: pair[1].key)]
    _write(outdir / CSL_NAME, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(pickle.dumps((fingerprint, sorted([*files, CSL_NAME])), protocol=pickle.HIGHEST_PROTOCOL))
    mark_current(app, "citations")


# Links ---------------------------------------------------------------------------------------------
def _download(app: Sphinx, docname: str, target: str, text: str) -> nodes.reference:
    uri = relative_uri(app.builder.get_target_uri(docname), target)
    return nodes.reference(text, text, refuri=uri, classes=["pn-download"])


def link_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under each Cite block its paper's BibTeX file and the whole bibliography; on a family page, its file.

    Each paper's section is found by its anchor and its Cite block by its place in the section
    (see :func:`papernotes.render.entry_section`): no walk over the page's nodes.
    """
    if app.builder.format != "html":
        return
    from papernotes.exports import BIB_NAME  # noqa: PLC0415  (exports imports nothing from here)

    domain = app.env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    for entry in domain.entries_on(docname):
        block = cite_block_of(doctree.ids.get(entry.anchor)) if entry.objtype == "paper" else None
        if block is None:
            continue
        line = nodes.paragraph("", "", classes=["pn-cite-all"])
        line += nodes.Text("BibTeX of this paper: ")
        line += _download(app, docname, paper_bib_path(entry.id), Path(paper_bib_path(entry.id)).name)
        line += nodes.Text("; of all papers: ")
        line += _download(app, docname, BIB_NAME, BIB_NAME)
        line += nodes.Text(", or as CSL-JSON: ")
        line += _download(app, docname, CSL_NAME, CSL_NAME)
        block.append(line)
    family = domain.family_pages.get(docname)
    if family and domain.family_page(family) == docname:
        _link_family(app, doctree, docname, family)


def _link_family(app: Sphinx, doctree: nodes.document, docname: str, family: str) -> None:
    """The family's BibTeX file, after its numbers in "At a glance" (else at the end of the page's first section)."""
    # the overview is near the top: the walk stops there, not at the end of a long page
    overview = next(
        (node for node in doctree.findall(nodes.container) if "pn-family-overview" in node["classes"]), None
    )
    place = overview if overview is not None else next(iter(doctree.findall(nodes.section)), None)
    if place is None:
        return
    link = nodes.inline("", " Cite its papers: ", classes=["pn-family-bib"])
    link += _download(app, docname, family_bib_path(family), Path(family_bib_path(family)).name)
    link += nodes.Text(" (BibTeX).")
    # beside the family's numbers, so the overview stays short; a line of its own elsewhere
    first = place.children[0] if overview is not None and place.children else None
    summary = first if isinstance(first, nodes.paragraph) else None
    if summary is not None:
        summary += link
    else:
        place.append(nodes.paragraph("", "", link))


def setup(app: Sphinx) -> None:
    """Link the files from Cite blocks and family pages; write them at the end of the build."""
    app.connect("doctree-resolved", link_downloads)
    app.connect("build-finished", write_citations)
