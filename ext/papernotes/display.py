"""What an entry shows, computed once for the page, the tables and the exports.

The entry's outside links (arXiv, PDF, DOI, web page, code) and its author line were computed
in several places, and the copies drifted apart (a DOI link doubled in ``papers.json``, "et al."
shown on the page but not in the tables). Each is decided here, from plain data, and every
renderer uses the result. (The one-line citation of a paper's Cite block is pybtex's ``plain``
style, in :mod:`papernotes.citations`.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from papernotes.options import OptionError, parse_doi, parse_url

__all__ = ["AuthorLine", "Link", "author_line", "host_label", "https_url", "paper_links"]

ARXIV_ID = re.compile(r"^[A-Za-z\-.]*/?\d{4}\.?\d{3,5}(v\d+)?$")


def https_url(url: str) -> str:
    """An ``http://`` link as ``https://`` (the site links only over https); any other link as it is."""
    return "https://" + url[len("http://") :] if url[:7].lower() == "http://" else url


@dataclass(frozen=True)
class Link:
    """An outside link: ``kind`` names it in ``papers.json``, ``label`` is what a reader sees.

    An ``http://`` address is upgraded to ``https://`` here, so the page and ``papers.json`` agree.
    """

    kind: str
    label: str
    url: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", https_url(self.url))


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
