"""Paper metadata from its source: the arXiv API (Atom) for arXiv ids, Crossref (JSON) for DOIs.

Only the standard library is used (urllib, xml.etree, json). The endpoints come from flags or
the environment (``PAPERNOTES_ARXIV_API``, ``PAPERNOTES_CROSSREF_API``), so the tests point them
at a local server with recorded responses. A network failure is one :class:`Unreachable` whose
message is the one line the command prints; a source without the paper is :class:`NotFound`.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from papernotes.conventions import surname_first

__all__ = [
    "ARXIV_API",
    "CROSSREF_API",
    "Metadata",
    "NotFound",
    "SourceError",
    "Unreachable",
    "arxiv_records",
    "crossref_record",
    "endpoints",
]

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org"
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_USER_AGENT = "papernotes-contributor/1 (https://github.com; LLM Reading Notes)"


class SourceError(Exception):
    """A lookup that gave no metadata; the message is what the command prints."""


class Unreachable(SourceError):
    """The source could not be reached (no network, DNS failure, timeout, refused connection)."""


class NotFound(SourceError):
    """The source answered, but has no such paper."""


@dataclass
class Metadata:
    """What a source says about a paper, as plain text (names as "Surname, Given")."""

    title: str
    authors: list[str]
    year: str
    source_url: str
    arxiv_id: str = ""
    doi: str = ""
    journal: str = ""
    booktitle: str = ""
    journal_ref: str = ""
    abstract: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def endpoints(arxiv: str | None = None, crossref: str | None = None) -> tuple[str, str]:
    """The arXiv and Crossref endpoints: the flag, else the environment, else the public service."""
    return (
        arxiv or os.environ.get("PAPERNOTES_ARXIV_API") or ARXIV_API,
        (crossref or os.environ.get("PAPERNOTES_CROSSREF_API") or CROSSREF_API).rstrip("/"),
    )


def _get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    host = urllib.parse.urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotFound(f"{host} has no record at {url}") from None
        raise SourceError(f"{host} answered {error.code} {error.reason} for {url}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Unreachable(f"the network is unreachable: cannot reach {host} ({reason})") from None


def _text(node: ElementTree.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _arxiv_entry(node: ElementTree.Element) -> Metadata:
    identifier = _text(node.find(f"{_ATOM}id"))
    match = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", identifier)
    arxiv_id = match.group(1) if match else identifier
    published = _text(node.find(f"{_ATOM}published"))
    return Metadata(
        title=_text(node.find(f"{_ATOM}title")),
        authors=[surname_first(_text(author.find(f"{_ATOM}name"))) for author in node.findall(f"{_ATOM}author")],
        year=published[:4],
        source_url=f"https://arxiv.org/abs/{arxiv_id}",
        arxiv_id=arxiv_id,
        doi=_text(node.find(f"{_ARXIV}doi")),
        journal_ref=_text(node.find(f"{_ARXIV}journal_ref")),
        abstract=_text(node.find(f"{_ATOM}summary")),
    )


def arxiv_records(ids: list[str], api: str = ARXIV_API, timeout: float = 20.0) -> dict[str, Metadata]:
    """The arXiv API's records for these ids (version suffixes dropped), keyed by id; one request per 50."""
    found: dict[str, Metadata] = {}
    for start in range(0, len(ids), 50):
        chunk = ids[start : start + 50]
        query = urllib.parse.urlencode({"id_list": ",".join(chunk), "max_results": len(chunk)})
        data = _get(f"{api}?{query}", timeout)
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise SourceError(f"the arXiv API answered something that is not Atom ({error})") from None
        for node in root.findall(f"{_ATOM}entry"):
            record = _arxiv_entry(node)
            if record.title and record.title != "Error":
                found[record.arxiv_id] = record
    return found


def _crossref_name(author: dict[str, Any]) -> str:
    if author.get("family"):
        given = str(author.get("given", "")).strip()
        return f"{author['family']}, {given}" if given else str(author["family"])
    return "{" + str(author.get("name", "")) + "}"


def crossref_record(doi: str, api: str = CROSSREF_API, timeout: float = 20.0) -> Metadata:
    """Crossref's record of a DOI: title, authors, year, and the journal or proceedings."""
    data = _get(f"{api}/works/{urllib.parse.quote(doi, safe='/')}", timeout)
    try:
        message = json.loads(data)["message"]
    except (ValueError, KeyError, TypeError) as error:
        raise SourceError(f"Crossref answered something that is not a work record ({error})") from None
    issued = message.get("issued", message.get("published", {})).get("date-parts", [[None]])[0][0]
    container = (message.get("container-title") or [""])[0]
    kind = message.get("type", "")
    abstract = re.sub(r"<[^>]+>", " ", str(message.get("abstract", "")))
    return Metadata(
        title=" ".join(str((message.get("title") or [""])[0]).split()),
        authors=[_crossref_name(author) for author in message.get("author", [])],
        year=str(issued or ""),
        source_url=f"https://doi.org/{message.get('DOI', doi)}",
        doi=str(message.get("DOI", doi)),
        journal=container if kind == "journal-article" else "",
        booktitle=container if kind in ("proceedings-article", "book-chapter") else "",
        abstract=" ".join(abstract.split()),
        extra={name: str(message[key]) for name, key in (("volume", "volume"), ("pages", "page")) if message.get(key)},
    )
