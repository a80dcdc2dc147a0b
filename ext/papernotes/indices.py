"""Generated listing pages: entries by year (a timeline, newest first) and by family.

They are domain indices of the ``pn`` domain, like the tag index next to the domain: Sphinx writes
``pn-year.html`` and ``pn-family.html`` from the collection at the end of every build, so they are
right in incremental and parallel builds, and ``{ref}`pn-year``` links to them. The three indices
are also made valid toctree entries (as ``genindex`` is), so the navigation can list them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.domains import Index, IndexEntry

from papernotes.collection import sort_key
from papernotes.compat import allow_in_toctree
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import label

__all__ = ["FamilyIndex", "YearIndex"]


def _item(entry: Entry, extra: str) -> IndexEntry:
    return IndexEntry(entry.name, 0, entry.docname, entry.anchor, extra, "", label(entry.objtype))


class YearIndex(Index):
    """Every dated entry under its year, newest year first: the site as a timeline."""

    name = "year"
    localname = "Entries by year"
    shortname = "years"

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain = self.domain
        assert isinstance(domain, PaperNotesDomain)
        families = dict(domain.env.config.papernotes_families or {})
        by_year: dict[str, list[Entry]] = {}
        for entry in domain.resolved_entries():
            if entry.year and (docnames is None or entry.docname in docnames):
                by_year.setdefault(entry.year, []).append(entry)
        content = [
            (
                year,
                [
                    _item(entry, families.get(entry.family, entry.family))
                    for entry in sorted(by_year[year], key=lambda entry: (sort_key(entry)[0], entry.name.lower()))
                ],
            )
            for year in sorted(by_year, reverse=True)
        ]
        return content, False


class FamilyIndex(Index):
    """Every entry under its family, papers first, then repositories, models and datasets."""

    name = "family"
    localname = "Entries by family"
    shortname = "families"

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
            (
                # The heading is also the row's HTML id: no-break spaces keep it one valid token.
                families.get(family, family).replace(" ", "\u00a0"),
                [
                    _item(entry, entry.year)
                    for entry in sorted(by_family[family], key=lambda entry: (sort_key(entry)[0], entry.name.lower()))
                ],
            )
            for family in order
        ]
        return content, False


#: The listing pages a toctree may name, with the title the navigation shows.
INDEX_PAGES = {
    "pn-tag": "Entries by tag",
    "pn-year": "Entries by year",
    "pn-family": "Entries by family",
}


def setup(app: Sphinx) -> None:
    """Add the indices to the ``pn`` domain and let toctrees list all three generated pages."""
    app.add_index_to_domain("pn", YearIndex)
    app.add_index_to_domain("pn", FamilyIndex)
    allow_in_toctree(app, INDEX_PAGES)
