"""``nox -s verify``: compare every papers.bib entry with its source, and print a table of differences.

Online, each entry with an ``eprint`` is compared with the arXiv API's record (one request for up
to 50 entries) and each entry with a ``doi`` with Crossref's: title, authors in order (by
surname, so initials may stay), year (against arXiv only for a paper that is only on arXiv),
venue (a published version arXiv records, Crossref's journal or proceedings) and the DOI. With
``--offline`` only what needs no network is checked: the guide's conventions
(:mod:`papernotes.conventions`), the same paper entered twice, and one person spelled two ways in
two entries. When a source cannot be reached, the command says so in one line and exits 0. Exit
status otherwise: 0 nothing to report, 1 differences (listed).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from papernotes.bibentry import BibEntry, Bibliography, latex_to_text
from papernotes.bibfile import read_bibliography
from papernotes.contributor.new import fold_title
from papernotes.contributor.sources import Metadata, SourceError, Unreachable, arxiv_records, crossref_record, endpoints
from papernotes.conventions import convention_problems, fold_name, name_spellings, raw_field, split_names

__all__ = ["main", "offline_rows", "online_rows"]

#: One line of the table: entry key, what differs, papers.bib says, the source says.
Row = tuple[str, str, str, str]


def offline_rows(bibliography: Bibliography) -> list[Row]:
    """Conventions, duplicates and name spellings: what needs no network."""
    rows: list[Row] = [(problem.key or "-", "bib", problem.message, "") for problem in bibliography.problems]
    entries = list(bibliography.entries.values())
    for entry in entries:
        rows.extend((entry.key, "convention", problem, "") for problem in convention_problems(entry))
    seen: dict[tuple[str, str], str] = {}
    for entry in entries:
        for what, value in (
            ("arXiv id", entry.arxiv_id.split("v")[0]),
            ("DOI", entry.fields.get("doi", "").lower()),
            ("title", fold_title(entry.title)),
        ):
            if not value:
                continue
            first = seen.setdefault((what, value), entry.key)
            if first != entry.key:
                rows.append((entry.key, "duplicate", f"the same {what} as '{first}': keep one entry per paper", ""))
    for _, spellings in name_spellings(entries):
        where = ", ".join(f"'{spelling}' in {key}" for key, spelling in spellings)
        rows.append((spellings[0][0], "name", f"one person spelled {len(spellings)} ways: {where}", ""))
    return rows


def _surnames(names: Iterable[str]) -> list[str]:
    return [fold_name(name).split("|")[0] for name in names]


def _bib_names(entry: BibEntry) -> list[str]:
    return [name for name in split_names(raw_field(entry.raw, "author") or "") if name != "others"]


def _compare_authors(entry: BibEntry, record: Metadata, label: str) -> list[Row]:
    ours, theirs = _bib_names(entry), record.authors
    mine, yours = _surnames(ours), _surnames(theirs)
    for index, (one, other) in enumerate(zip(mine, yours, strict=False)):
        if one != other:
            return [(entry.key, f"author {index + 1}", latex_to_text(ours[index]), f"{label}: {theirs[index]}")]
    if len(mine) != len(yours):
        longer, names = ("papers.bib", ours[len(yours) :]) if len(mine) > len(yours) else (label, theirs[len(mine) :])
        extra = ", ".join(latex_to_text(name) for name in names[:3]) + (" …" if len(names) > 3 else "")
        return [
            (entry.key, "authors", f"{len(mine)} names", f"{label}: {len(yours)} names ({longer} also has {extra})")
        ]
    return []


def _venue(entry: BibEntry) -> str:
    return entry.fields.get("booktitle") or entry.fields.get("journal") or ""


def _compare(entry: BibEntry, record: Metadata, label: str) -> list[Row]:
    rows: list[Row] = []
    if fold_title(entry.title) != fold_title(record.title):
        rows.append((entry.key, "title", entry.title, f"{label}: {record.title}"))
    rows += _compare_authors(entry, record, label)
    only_arxiv = re.fullmatch(r"(arxiv preprint.*|)", _venue(entry).lower()) is not None
    if record.year and entry.year != record.year and (label == "Crossref" or only_arxiv):
        rows.append((entry.key, "year", entry.year, f"{label}: {record.year}"))
    if label == "arXiv" and only_arxiv and record.journal_ref:
        rows.append(
            (entry.key, "venue", _venue(entry) or "(none)", f"arXiv records a published version: {record.journal_ref}")
        )
    published = record.journal or record.booktitle
    if label == "Crossref" and published and fold_title(published) != fold_title(_venue(entry)):
        rows.append((entry.key, "venue", _venue(entry) or "(none)", f"Crossref: {published}"))
    if record.doi and entry.fields.get("doi", "").lower() != record.doi.lower():
        rows.append((entry.key, "doi", entry.fields.get("doi", "") or "(none)", f"{label}: {record.doi}"))
    return rows


def online_rows(bibliography: Bibliography, arxiv_api: str, crossref_api: str, timeout: float) -> list[Row]:
    """Every entry against arXiv and Crossref; :class:`Unreachable` when the network is not there."""
    entries = list(bibliography.entries.values())
    ids = sorted({entry.arxiv_id for entry in entries if entry.arxiv_id})
    records = arxiv_records(ids, arxiv_api, timeout) if ids else {}
    rows: list[Row] = []
    for entry in entries:
        if entry.arxiv_id:
            record = records.get(entry.arxiv_id.split("v")[0]) or records.get(entry.arxiv_id)
            if record is None:
                rows.append((entry.key, "eprint", entry.arxiv_id, "arXiv: no such paper"))
            else:
                rows += _compare(entry, record, "arXiv")
        doi = entry.fields.get("doi", "")
        if doi:
            try:
                rows += _compare(entry, crossref_record(doi, crossref_api, timeout), "Crossref")
            except Unreachable:
                raise
            except SourceError as error:
                rows.append((entry.key, "doi", doi, f"Crossref: {error}"))
        if not entry.arxiv_id and not doi:
            rows.append((entry.key, "source", "no eprint or doi", "check it by hand against its publisher's page"))
    return rows


def _cell(text: str, width: int) -> str:
    text = " ".join(text.replace("|", "/").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(rows: list[Row], header: tuple[str, ...], width: int = 110) -> None:
    """The rows as a Markdown table (readable in a terminal, pasteable into an issue), one cell per header."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(_cell(cell, width) for cell in row[: len(header)]) + " |")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nox -s verify --", description=__doc__.split("\n\n")[0])
    parser.add_argument("--offline", action="store_true", help="check conventions, duplicates and spellings only")
    parser.add_argument("--bib", default="papers.bib", help="the bibliography (default: papers.bib)")
    parser.add_argument("--arxiv-api", help="arXiv API endpoint (or PAPERNOTES_ARXIV_API)")
    parser.add_argument("--crossref-api", help="Crossref endpoint (or PAPERNOTES_CROSSREF_API)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a source (default: 20)")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    bib = Path(arguments.bib)
    if not bib.is_file():
        print(f"verify: no such file: {bib}", file=sys.stderr)
        return 1
    bibliography = read_bibliography([bib])
    count = len(bibliography.entries)
    if arguments.offline:
        rows = offline_rows(bibliography)
        print(f"{bib}: {count} entries checked offline (conventions, duplicates, name spellings)")
        if rows:
            print_table(rows, ("entry", "check", "problem and fix"), width=400)
        print(f"{len(rows)} problem(s)" if rows else "nothing to report")
        return 1 if rows else 0
    arxiv_api, crossref_api = endpoints(arguments.arxiv_api, arguments.crossref_api)
    try:
        rows = online_rows(bibliography, arxiv_api, crossref_api, arguments.timeout)
    except Unreachable as error:
        print(f"verify: {error}; nothing was compared. Run `nox -s verify -- --offline` to check conventions only.")
        return 0
    except SourceError as error:
        print(f"verify: {error}", file=sys.stderr)
        return 1
    print(f"{bib}: {count} entries compared with arXiv and Crossref")
    if rows:
        print_table(rows, ("entry", "field", "papers.bib", "source"))
    print(f"{len(rows)} difference(s)" if rows else "no differences")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main())
