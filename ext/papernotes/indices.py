"""The family index, and which generated pages the navigation may list.

Entries by family is a domain index of the ``pn`` domain: Sphinx writes ``pn-family.html`` from
the collection at the end of every build, so it is right in incremental and parallel builds, and
``{ref}`pn-family``` links to it. It lists each family's pages with their counts by type (the
family's own page first), not every entry, so it stays small as the collection grows. Tags and
years have pages of their own (:mod:`.listings`). The family index and the tag and year lists
are made valid toctree entries (as ``genindex`` is), so the navigation can list them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.domains import Index, IndexEntry

from papernotes.compat import allow_in_toctree
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import ENTRY_TYPES, count

__all__ = ["INDEX_PAGES", "FamilyIndex"]


def _counts(entries: list[Entry]) -> str:
    """``40 papers, 10 models``: the entries of one page, by type."""
    numbers = [(objtype, sum(1 for entry in entries if entry.objtype == objtype)) for objtype in ENTRY_TYPES]
    return ", ".join(count(objtype, number) for objtype, number in numbers if number)


class FamilyIndex(Index):
    """Every family with the pages its entries are on (its own page first) and how many of each type.

    It lists pages, not entries: a line per entry made the index grow with the collection (1.2 MB at
    5,000 entries); each family's page has the tables of its entries.
    """

    name = "family"
    localname = "Entries by family"
    shortname = "families"

    def _rows(self, domain: PaperNotesDomain, family: str, entries: list[Entry]) -> list[IndexEntry]:
        home = domain.family_page(family)
        by_page: dict[str, list[Entry]] = {}
        for entry in entries:
            by_page.setdefault(entry.docname, []).append(entry)
        rows = []
        for docname in sorted(by_page, key=lambda docname: (docname != home, docname)):
            on_page = by_page[docname]
            title = domain.env.titles.get(docname)
            name = title.astext() if title is not None else docname
            first = min(on_page, key=lambda entry: entry.lineno)
            anchor = "" if docname == home else first.anchor
            role = "the family's page" if docname == home else ""
            rows.append(IndexEntry(name, 0, docname, anchor, _counts(on_page), "", role))
        return rows

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain = self.domain
        assert isinstance(domain, PaperNotesDomain)
        families = dict(domain.env.config.papernotes_families or {})
        by_family: dict[str, list[Entry]] = {}
        for entry in domain.resolved_entries():
            if entry.family and (docnames is None or entry.docname in docnames):
                by_family.setdefault(entry.family, []).append(entry)
        order = [family for family in families if family in by_family]
        order += sorted(set(by_family) - set(order))
        content = [
            # The heading is also the row's HTML id: no-break spaces keep it one valid token.
            (families.get(family, family).replace(" ", "\u00a0"), self._rows(domain, family, by_family[family]))
            for family in order
        ]
        return content, False


#: The listing pages a toctree may name, with the title the navigation shows.
INDEX_PAGES = {
    "tags/index": "Tags",
    "years/index": "Years",
    "pn-family": "Entries by family",
}


def setup(app: Sphinx) -> None:
    """Add the family index to the ``pn`` domain and let toctrees list it and the tag and year lists."""
    app.add_index_to_domain("pn", FamilyIndex)
    allow_in_toctree(app, INDEX_PAGES)
