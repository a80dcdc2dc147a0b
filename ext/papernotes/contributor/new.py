"""``nox -s new -- --family FAMILY SOURCE``: add a paper to papers.bib and its family page in one command.

SOURCE is an arXiv id (``2305.18290``, ``arXiv:2305.18290`` or its abs URL), a DOI (``10.…`` or a
doi.org link), a ``.bib`` file, or ``-`` for BibTeX pasted on standard input. A lookup asks the
arXiv API or Crossref (:mod:`.sources`); pasted BibTeX needs no network. The entry is normalised
(:mod:`.normalise`), given a unique key (:mod:`.keys`), appended to papers.bib, and a ``{paper}``
block is added to ``docs/families/FAMILY.md`` (:mod:`.pages`). The same paper (arXiv id, DOI or
title) already in papers.bib is refused, naming its key, and nothing is changed. Exit status: 0
added, 1 refused or unreadable input, 2 the source could not be reached or had no such paper.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import unicodedata
from pathlib import Path

from papernotes.bibentry import BibEntry, latex_to_text
from papernotes.bibfile import read_bibliography
from papernotes.contributor import pages
from papernotes.contributor.keys import propose_key
from papernotes.contributor.normalise import Paper, from_bibtex, from_metadata, to_bibtex
from papernotes.contributor.sources import SourceError, arxiv_records, crossref_record, endpoints

__all__ = ["classify", "find_same_paper", "main"]

_ARXIV = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$", re.I)
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


class Refused(Exception):
    """Input that is not added; the message says why and what to do."""


def classify(source: str) -> tuple[str, str]:
    """("arxiv", id), ("doi", doi), ("bibfile", path) or ("stdin", "-")."""
    text = source.strip()
    if text == "-":
        return "stdin", "-"
    if text.lower().endswith(".bib"):
        return "bibfile", text
    match = _ARXIV.match(text)
    if match:
        return "arxiv", match.group(1)
    match = _DOI.match(text)
    if match:
        return "doi", match.group(1)
    raise Refused(f"{source!r} is not an arXiv id (2305.18290), a DOI (10.…), a .bib file or '-' for pasted BibTeX")


def fold_title(title: str) -> str:
    """A title reduced to compare papers: decoded, ASCII, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKD", latex_to_text(title))
    return re.sub(r"[^a-z0-9]", "", "".join(char for char in text if not unicodedata.combining(char)).lower())


def find_same_paper(paper: Paper, entries: dict[str, BibEntry]) -> tuple[str, str] | None:
    """The key of an entry that is this paper (same arXiv id, DOI or title), and which of them matched."""
    arxiv, doi, title = paper.arxiv_id.split("v")[0], paper.doi.lower(), fold_title(paper.fields.get("title", ""))
    for key, entry in entries.items():
        if arxiv and entry.arxiv_id.split("v")[0] == arxiv:
            return key, f"the same arXiv id, {arxiv}"
        if doi and entry.fields.get("doi", "").lower() == doi:
            return key, f"the same DOI, {doi}"
        if title and fold_title(entry.title) == title:
            return key, "the same title"
    return None


def _lookup(kind: str, value: str, arguments: argparse.Namespace) -> tuple[Paper, str]:
    """The paper from its source, and the page its facts were read from."""
    arxiv_api, crossref_api = endpoints(arguments.arxiv_api, arguments.crossref_api)
    if kind == "arxiv":
        found = arxiv_records([value], arxiv_api, arguments.timeout)
        if value not in found:
            raise SourceError(f"arXiv has no paper {value}: check the id")
        record = found[value]
        if record.doi and not arguments.no_venue_lookup:
            # A published version: its venue comes from Crossref when the network allows.
            try:
                published = crossref_record(record.doi, crossref_api, arguments.timeout)
                record.journal, record.booktitle = published.journal, published.booktitle
                record.year = published.year or record.year  # the year of the version cited
                record.extra.update(published.extra)
            except SourceError:
                pass
        return from_metadata(record), record.source_url
    record = crossref_record(value, crossref_api, arguments.timeout)
    return from_metadata(record), record.source_url


def _read_pasted(kind: str, value: str) -> Paper:
    if kind == "stdin":
        text = sys.stdin.read()
    else:
        path = Path(value)
        if not path.is_file():
            raise Refused(f"no such file: {value}")
        text = path.read_text(encoding="utf-8")
    try:
        return from_bibtex(text)
    except ValueError as error:
        raise Refused(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nox -s new --", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="arXiv id, DOI, a .bib file, or '-' for BibTeX on standard input")
    parser.add_argument("--family", required=True, help="the family page: docs/families/FAMILY.md")
    parser.add_argument("--bib", default="papers.bib", help="the bibliography (default: papers.bib)")
    parser.add_argument("--families", default="docs/families", help="the family pages (default: docs/families)")
    parser.add_argument("--key", help="use this key instead of the proposed one")
    parser.add_argument("--tags", help="comma-separated tags instead of the suggested ones")
    parser.add_argument("--arxiv-api", help="arXiv API endpoint (or PAPERNOTES_ARXIV_API)")
    parser.add_argument("--crossref-api", help="Crossref endpoint (or PAPERNOTES_CROSSREF_API)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a source (default: 20)")
    parser.add_argument("--no-venue-lookup", action="store_true", help="do not ask Crossref for an arXiv DOI's venue")
    parser.add_argument("--today", help=argparse.SUPPRESS)  # the date written in :added:/:verified: (tests)
    parser.add_argument("--dry-run", action="store_true", help="print what would be added; change nothing")
    return parser


def _append(bib: Path, entry: str) -> int:
    """Append the entry to the bib file after one blank line; return the line it starts at."""
    text = bib.read_text(encoding="utf-8") if bib.is_file() else ""
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    separator += "\n" if text and not text.endswith("\n\n") else ""
    combined = text + separator
    bib.write_text(combined + entry, encoding="utf-8")
    return combined.count("\n") + 1


def run(arguments: argparse.Namespace) -> int:
    kind, value = classify(arguments.source)
    page = Path(arguments.families) / f"{arguments.family}.md"
    if not page.is_file():
        known = ", ".join(sorted(path.stem for path in Path(arguments.families).glob("*.md"))) or "none"
        raise Refused(f"no family page {page} (families: {known})")
    bib = Path(arguments.bib)
    entries = read_bibliography([bib]).entries if bib.is_file() else {}
    source_url, paper, same = "", None, None
    if kind in ("arxiv", "doi"):
        # Refuse a paper already there before asking the network.
        same = find_same_paper(Paper("article", {"eprint" if kind == "arxiv" else "doi": value}, []), entries)
        if same is None:
            paper, source_url = _lookup(kind, value, arguments)
    else:
        paper = _read_pasted(kind, value)
    if same is None and paper is not None:
        same = find_same_paper(paper, entries)
    collection = pages.read_collection(Path(arguments.families))
    if same:
        key, why = same
        shown = collection.paper_pages.get(key.lower())
        where = f"shown on {', '.join(shown)}" if shown else "on no page yet: add a {paper} block for it"
        raise Refused(
            f"already in {bib} as '{key}' ({why}; {where}); nothing was changed. "
            f"Link to it from another page with {{paper}}`{key}`"
        )
    assert paper is not None  # (no paper only when the same one was found)
    key = arguments.key or propose_key(
        paper.authors[0] if paper.authors else "", paper.fields.get("year", ""), paper.fields.get("title", ""), entries
    )
    if key.lower() in {known.lower() for known in entries}:
        raise Refused(f"the key '{key}' is taken in {bib}: choose another with --key, or leave --key out")
    today = arguments.today or datetime.date.today().isoformat()
    tags = [tag.strip() for tag in arguments.tags.split(",")] if arguments.tags else None
    tags = tags if tags is not None else pages.suggest_tags(collection, paper.about)
    models = pages.suggest_models(collection, paper.about)
    entry = to_bibtex(paper, key)
    block = pages.paper_block(key, tags, models, today, source_url, today if source_url else "")
    if arguments.dry_run:
        print(entry + "\n" + block)
        return 0
    bib_line = _append(bib, entry)
    page_line = pages.insert_block(page, block)
    print(f"added '{key}': {bib}:{bib_line} and {page}:{page_line}")
    for note in paper.notes:
        print(f"note: {note}")
    print(f"next: write the notes at {page}:{page_line}, then run `nox -s docs`")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command; errors are one line on standard error, never a traceback."""
    arguments = _parser().parse_args(argv)
    try:
        return run(arguments)
    except Refused as error:
        print(f"new: {error}", file=sys.stderr)
        return 1
    except SourceError as error:
        print(f"new: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
