"""The family index, and which generated pages the navigation may list.

Entries by family is a domain index of the ``pn`` domain: Sphinx writes ``pn-family.html`` from
the collection at the end of every build, so it is right in incremental and parallel builds, and
``{ref}`pn-family``` links to it. Tags and years have pages of their own (:mod:`.listings`). The
family index and the tag and year lists are made valid toctree entries (as ``genindex`` is), so
the navigation can list them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.domains import Index, IndexEntry

from papernotes.collection import sort_key
from papernotes.compat import allow_in_toctree
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import label

__all__ = ["INDEX_PAGES", "FamilyIndex"]


def _item(entry: Entry, extra: str) -> IndexEntry:
    return IndexEntry(entry.name, 0, entry.docname, entry.anchor, extra, "", label(entry.objtype))


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
    "tags/index": "Tags",
    "years/index": "Years",
    "pn-family": "Entries by family",
}


def setup(app: Sphinx) -> None:
    """Add the family index to the ``pn`` domain and let toctrees list it and the tag and year lists."""
    app.add_index_to_domain("pn", FamilyIndex)
    allow_in_toctree(app, INDEX_PAGES)
