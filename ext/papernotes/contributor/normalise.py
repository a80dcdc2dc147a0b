"""One paper's metadata as a BibTeX entry that follows the guide, from a source lookup or pasted BibTeX.

The guide's conventions (:mod:`papernotes.conventions`) are applied, not just checked: names in
``Surname, Given`` order, ``eprint`` and ``archiveprefix`` for an arXiv paper (also when pasted
BibTeX only names it in ``journal`` or ``url``), capitals that must survive a BibTeX style
protected by braces (``{QLoRA}``, ``{LLMs}``), ``https://`` links, and a published venue in
``booktitle`` or ``journal`` (``journal = {arXiv preprint}`` for a paper only on arXiv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybtex.database import parse_string
from pybtex.scanner import PybtexError

from papernotes.bibentry import latex_to_text
from papernotes.contributor.sources import Metadata

__all__ = ["Paper", "from_bibtex", "from_metadata", "protect_capitals", "to_bibtex"]

#: The order fields are written in (any other pasted field follows, alphabetically).
FIELD_ORDER = ("title", "author", "journal", "booktitle", "volume", "number", "pages", "year", "publisher")
TAIL_ORDER = ("doi", "url", "shorttitle", "eprint", "archiveprefix", "primaryclass")
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arXiv:\s*)(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_LATEX_SPECIAL = re.compile(r"(?<!\\)([&%$#_])")


@dataclass
class Paper:
    """A paper ready to be written: BibTeX field values as LaTeX, authors as ``Surname, Given``."""

    entry_type: str
    fields: dict[str, str]
    authors: list[str]
    #: words of the title and abstract, to suggest tags and models from the collection.
    about: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return latex_to_text(self.fields.get("title", ""))

    @property
    def arxiv_id(self) -> str:
        return self.fields.get("eprint", "")

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")


def protect_capitals(title: str) -> str:
    """Brace the words whose capitals a BibTeX style must keep: acronyms, inner capitals (LLaMA, GPT-4)."""
    words = []
    for position, word in enumerate(title.split(" ")):
        match = re.match(r"^([(\"']*)([^\s]*?)([:;,.!?)\"']*)$", word)
        lead, core, trail = match.groups() if match else ("", word, "")
        parts = [re.sub(r"[^A-Za-z]", "", part) for part in re.split(r"[-/]", core)]
        inner_capital = any(char.isupper() for part in parts for char in part[1:])
        # A one-word name before the title's colon ("Self-Instruct: …") keeps its capitals too.
        inner_capital = inner_capital or (position == 0 and trail.startswith(":") and core[:1].isupper())
        if core and "{" not in core and inner_capital:
            words.append(f"{lead}{{{core}}}{trail}")
        else:
            words.append(word)
    return " ".join(words)


def _escape(text: str) -> str:
    return _LATEX_SPECIAL.sub(r"\\\1", text)


def _venue(paper_fields: dict[str, str], journal: str, booktitle: str, journal_ref: str) -> str:
    """Set journal or booktitle; return the entry type it implies."""
    if booktitle:
        paper_fields["booktitle"] = _escape(booktitle)
        return "inproceedings"
    if journal:
        paper_fields["journal"] = _escape(journal)
        return "article"
    if journal_ref:
        paper_fields["journal"] = _escape(journal_ref)
        return "article"
    paper_fields["journal"] = "arXiv preprint"
    return "article"


def from_metadata(record: Metadata) -> Paper:
    """A source's record as a paper entry."""
    paper_fields = {"title": protect_capitals(_escape(record.title)), "year": record.year}
    entry_type = _venue(paper_fields, record.journal, record.booktitle, record.journal_ref)
    paper_fields.update({name: _escape(value) for name, value in record.extra.items()})
    if "pages" in paper_fields:
        paper_fields["pages"] = re.sub(r"(\d)\s*[-\u2013]+\s*(\d)", r"\1--\2", paper_fields["pages"])
    if record.doi:
        paper_fields["doi"] = record.doi
    if record.arxiv_id:
        paper_fields["eprint"] = record.arxiv_id
        paper_fields["archiveprefix"] = "arXiv"
    notes = []
    if record.journal_ref and not (record.journal or record.booktitle):
        notes.append(f"arXiv records a published version ({record.journal_ref}): check the venue and year")
    return Paper(entry_type, paper_fields, list(record.authors), f"{record.title} {record.abstract}", notes)


def _person(person: object) -> str:
    """A pybtex Person as ``Surname, Given`` (a braced corporate name stays as it is)."""
    first = [*getattr(person, "first_names", []), *getattr(person, "middle_names", [])]
    last = [*getattr(person, "prelast_names", []), *getattr(person, "last_names", [])]
    lineage = getattr(person, "lineage_names", [])
    name = " ".join(last) + (", " + " ".join(lineage) if lineage else "")
    return f"{name}, {' '.join(first)}" if first else name


def from_bibtex(text: str) -> Paper:
    """The first entry of a BibTeX text, normalised; ValueError says why it cannot be read."""
    try:
        data = parse_string(text, "bibtex")
    except PybtexError as error:
        raise ValueError(f"the BibTeX cannot be read: {str(error).splitlines()[0] if str(error) else error}") from None
    if not data.entries:
        raise ValueError("no BibTeX entry found (it starts with @article{key, or @inproceedings{key,)")
    entry = next(iter(data.entries.values()))
    paper_fields = {name.lower(): " ".join(value.split()) for name, value in entry.fields.items()}
    people = entry.persons.get("author", [])
    authors = [_person(person) for person in people if str(person) != "others"]
    notes = []
    if len(authors) < len(people):
        notes.append("the pasted author list ends in 'and others': list every author before building")
    if not _has_braces(paper_fields.get("title", "")):
        paper_fields["title"] = protect_capitals(paper_fields.get("title", ""))
    for name, value in list(paper_fields.items()):
        if value.startswith("http://"):
            paper_fields[name] = "https://" + value.removeprefix("http://")
    if "eprint" not in paper_fields:
        texts = " ".join(paper_fields.get(name, "") for name in ("journal", "note", "url", "howpublished"))
        match = _ARXIV_ID.search(texts)
        if match:
            paper_fields["eprint"], paper_fields["archiveprefix"] = match.group(1), "arXiv"
    if paper_fields.get("eprint"):
        paper_fields.setdefault("archiveprefix", "arXiv")
        if re.fullmatch(r"arxiv preprint( arxiv:\S+)?|arxiv", paper_fields.get("journal", ""), re.IGNORECASE):
            paper_fields["journal"] = "arXiv preprint"
    entry_type = entry.type.lower()
    about = latex_to_text(paper_fields.get("title", "")) + " " + latex_to_text(paper_fields.get("abstract", ""))
    paper_fields.pop("abstract", None)
    return Paper(entry_type, paper_fields, authors, about, notes)


def _has_braces(title: str) -> bool:
    return "{" in title


def to_bibtex(paper: Paper, key: str) -> str:
    """The entry as papers.bib writes entries: one field a line, names aligned, in a fixed order."""
    values = dict(paper.fields)
    values["author"] = " and ".join(paper.authors)
    ordered = [name for name in FIELD_ORDER if values.get(name)]
    rest = sorted(name for name in values if name not in FIELD_ORDER and name not in TAIL_ORDER and values[name])
    ordered += rest + [name for name in TAIL_ORDER if values.get(name)]
    width = max(len(name) for name in ordered)
    lines = [f"@{paper.entry_type}{{{key},"]
    lines += [f"  {name.ljust(width)} = {{{values[name]}}}," for name in ordered]
    return "\n".join([*lines, "}"]) + "\n"
