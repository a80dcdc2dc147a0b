"""A bibliography entry as the site shows it, and what was wrong in the files it came from.

Plain data, made by :mod:`papernotes.bibfile` and read by the directives, the checks and the
exports: fields decoded from LaTeX to the text a reader sees, the author list, where the entry
is, and the problems found while reading.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from pybtex.database import Person

__all__ = ["BibEntry", "Bibliography", "Problem", "decode_latex", "latex_to_text", "person_name"]

_FORMAT_COMMAND = re.compile(r"\\(?:textit|textbf|textsc|texttt|textrm|textsf|emph|mathrm|mathbf|mbox|text)\s*")
_OTHER_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
#: ``codecs.decode`` as used with latexcodec's "ulatex" codec (LaTeX str in, Unicode str out); the
#: codec is registered at runtime, so typeshed's overloads of ``codecs.decode`` do not know it.
_decode_codec = cast("Callable[[str, str], str]", codecs.decode)


def decode_latex(value: str) -> str:
    """Latexcodec's "ulatex" decoding of a value (``UnicodeDecodeError`` when it gives up).

    latexcodec is imported here, on the first value with a backslash: importing it builds its
    tables (60 ms), which a build whose bibliography comes from the cache never needs.
    """
    import latexcodec  # noqa: F401, PLC0415  (registers the "ulatex" codec)

    return _decode_codec(value, "ulatex")


def latex_to_text(value: str) -> str:
    """Turn a BibTeX field into the plain text a reader should see (accents decoded, braces gone)."""
    try:
        text = decode_latex(value) if "\\" in value else value
    except UnicodeDecodeError:
        # latexcodec gives up on some stray backslashes (a field ending in one); such a
        # field is shown as written rather than ending the build.
        text = value
    text = _FORMAT_COMMAND.sub("", text)
    text = _OTHER_COMMAND.sub(r"\1 ", text) if "\\" in text else text
    text = text.replace("{", "").replace("}", "").replace("~", "\u00a0")
    return " ".join(text.split())


def person_name(person: Person) -> str:
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    name = " ".join(parts)
    if person.lineage_names:
        name += ", " + " ".join(person.lineage_names)
    return latex_to_text(name)


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry, with the plain-text fields the site renders."""

    key: str
    entry_type: str
    fields: dict[str, str]
    authors: tuple[str, ...]
    authors_truncated: bool
    raw: str
    path: str
    line: int
    #: field -> why its value is not used (an unsafe url): reported where the entry is shown.
    rejected: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """A fingerprint of the entry's text, to tell which pages an edit of the file touches."""
        return hashlib.sha1(self.raw.encode("utf-8")).hexdigest()[:16]

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> str:
        return self.fields.get("year", "")

    @property
    def venue(self) -> str:
        """Where the paper appeared: journal or proceedings, else the preprint server."""
        for name in ("journal", "booktitle", "howpublished", "publisher", "institution"):
            if self.fields.get(name):
                return self.fields[name]
        if self.arxiv_id:
            return "arXiv preprint"
        return ""

    @property
    def arxiv_id(self) -> str:
        prefix = self.fields.get("archiveprefix", self.fields.get("eprinttype", "")).lower()
        eprint = self.fields.get("eprint", "")
        if eprint and prefix in ("arxiv", ""):
            return eprint
        match = re.search(r"arxiv\.org/(?:abs|pdf)/([^\s/?#]+?)(?:v\d+)?(?:\.pdf)?$", self.fields.get("url", ""))
        if match:
            return match.group(1)
        for name in ("journal", "note", "howpublished"):
            match = re.search(r"arXiv:\s*(\d{4}\.\d{4,5})", self.fields.get(name, ""), re.IGNORECASE)
            if match:
                return match.group(1)
        return ""

    def short_title(self) -> str:
        """The name a cross-reference shows: the entry's ``shorttitle``, else "Author et al. Year"."""
        if self.fields.get("shorttitle"):
            return self.fields["shorttitle"]
        if not self.authors:
            return self.title or self.key
        surname = self.authors[0].split()[-1]
        several = len(self.authors) > 1 or self.authors_truncated
        return f"{surname}{' et al.' if several else ''} {self.year}".strip()


@dataclass(frozen=True)
class Problem:
    """Something wrong in a bib file, at its line; ``key`` names the entry it concerns ("" for none).

    A problem of the file's syntax (``in_file``) concerns every reader of the file; the others
    concern only whoever shows the entry.
    """

    path: str
    line: int
    subtype: str
    message: str
    key: str = ""
    in_file: bool = False


@dataclass
class Bibliography:
    """All entries read from the configured files, what could not be read and why, and each file's usable text."""

    entries: dict[str, BibEntry] = field(default_factory=dict)
    #: the files read, resolved, in order; ``sources`` names them for messages.
    files: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: path -> the file's entries that parse and are safe, as BibTeX (what a clean copy holds); the
    #: entries' own text where it is kept as it is, so the cache beside the doctrees holds it once.
    texts: dict[str, list[str]] = field(default_factory=dict)
    #: every file's ``@string``/``@preamble``/``@comment`` blocks, in file order.
    macros: str = ""

    def clean_text(self) -> str:
        """The macros and every readable, safe entry of all files, as one BibTeX text."""
        parts = [self.macros, *("\n\n".join(self.texts.get(path, [])) for path in self.files)]
        return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)

    def problems_of(self, key: str) -> list[Problem]:
        """The problems of one entry (the entry itself may be missing because of them)."""
        return [problem for problem in self.problems if problem.key == key]
