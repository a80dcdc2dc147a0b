"""What an entry shows, computed once for the page, the tables and the exports.

The entry's outside links (arXiv, PDF, DOI, web page, code) and its author line were computed
in several places, and the copies drifted apart (a DOI link doubled in ``papers.json``, "et al."
shown on the page but not in the tables). Each is decided here, from plain data, and every
renderer uses the result; so is the one-line citation ("Ouyang, L., Wu, J., et al. (2022).
Title. Venue.") that a paper's Cite block offers beside its BibTeX.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from papernotes.options import OptionError, parse_doi, parse_url

__all__ = ["AuthorLine", "Link", "author_line", "citation", "citation_name", "host_label", "paper_links"]

ARXIV_ID = re.compile(r"^[A-Za-z\-.]*/?\d{4}\.?\d{3,5}(v\d+)?$")


@dataclass(frozen=True)
class Link:
    """An outside link: ``kind`` names it in ``papers.json``, ``label`` is what a reader sees."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class AuthorLine:
    """The authors a reader sees first, whether "et al." follows, and the full list behind it."""

    shown: str
    hidden: int
    everyone: tuple[str, ...]


def author_line(authors: Sequence[str], truncated: bool, limit: int) -> AuthorLine:
    """The first ``limit`` authors, "et al." when some are not shown (or the bib entry says ``and others``).

    "et al." never hides a single name: a list only one longer than ``limit`` is shown whole,
    since the name takes no more room than a link to it would.
    """
    limit = max(1, limit)
    if len(authors) == limit + 1:
        limit += 1
    shown = ", ".join(authors[:limit])
    hidden = max(0, len(authors) - limit)
    if shown and (hidden or truncated):
        shown += " et al."
    return AuthorLine(shown, hidden, tuple(authors))


def citation_name(name: str) -> str:
    """A name as a citation writes it: "Long Ouyang" is "Ouyang, L.", "Ludwig van Beethoven" "van Beethoven, L."."""
    base, comma, lineage = name.partition(", ")
    words = base.split()
    if len(words) < 2:
        return name
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():  # particles (van, de, von) belong to the surname
        start -= 1
    initials = " ".join("-".join(part[0] + "." for part in word.split("-") if part) for word in words[:start])
    surname = " ".join(words[start:]) + (f" {lineage}" if comma else "")
    return f"{surname}, {initials}" if initials else surname


def citation(authors: Sequence[str], truncated: bool, year: str, title: str, venue: str) -> str:
    """One line to paste into a text, such as "Ouyang, L., Wu, J., et al. (2022). Title. Venue" (and a period).

    Up to three authors are all named; more (or a list ending in ``and others``) are the first
    two and "et al.". Empty parts are left out rather than shown as blanks.
    """
    names = [citation_name(author) for author in authors]
    if len(names) > 3 or (truncated and names):
        people = ", ".join(names[:2]) + ", et al."
    elif len(names) > 1:
        people = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        people = "".join(names)
    parts = [people.strip()]
    if year:
        parts.append(f"({year}).")
    for part in (title, venue):
        if part:
            parts.append(part if part[-1] in ".?!" else part + ".")
    return " ".join(part for part in parts if part)


def host_label(url: str) -> str:
    """A readable label for a link: the site's host name, without ``www.``."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.") or url


def paper_links(arxiv: str, doi: str, url: str, code: str) -> tuple[list[Link], list[str]]:
    """A paper's links from its bib fields and ``:code:``, and a message for each field that cannot be one."""
    links: list[Link] = []
    problems: list[str] = []
    if arxiv:
        if ARXIV_ID.match(arxiv):
            links.append(Link("arxiv", "arXiv", f"https://arxiv.org/abs/{arxiv}"))
            links.append(Link("pdf", "PDF", f"https://arxiv.org/pdf/{arxiv}"))
        else:
            problems.append(f"eprint {arxiv!r} is not an arXiv id")
    if doi:
        try:
            links.append(Link("doi", "DOI", f"https://doi.org/{parse_doi(doi)}"))
        except OptionError as error:
            problems.append(f"doi: {error}")
    if url and "arxiv.org/" not in url:
        try:
            links.append(Link("web", "Web", parse_url(url)))
        except OptionError as error:
            problems.append(f"url: {error}")
    if code:
        links.append(Link("code", "Code", code))
    return links, problems
