"""Doctree changes made once a page is parsed: entries take the family of the page they are on.

An entry's family comes from its ``:family:`` option or, when it has none, from the page's front
matter, which is only known after parsing. This transform runs after docutils has turned the
front matter into a docinfo block and before Sphinx's domains collect the page, so the domain
records every entry with its final family and the entry's "Family" row shows it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from papernotes.domain import Entry
from papernotes.messages import warn

__all__ = ["EntryFamilies", "page_family"]


def page_family(document: nodes.document, key: str) -> str:
    """The family named in the page's front matter (read from the docinfo block, before Sphinx removes it)."""
    for docinfo in document.findall(nodes.docinfo):
        for item in docinfo.findall(nodes.field):
            if item[0].astext().strip() == key:
                return item[1].astext().strip()
    return ""


def _assign(entry: Entry, page: str, families: dict[str, Any], docname: str) -> None:
    """Entries without :family: take the page's; a family that is not configured is reported."""
    if entry.family and families and entry.family not in families:
        warn("family", f"{entry.objtype} {entry.id!r}: unknown family {entry.family!r}", (docname, entry.lineno))
    elif not entry.family and page:
        entry.family = page
    elif not entry.family and families:
        warn(
            "family",
            f"{entry.objtype} {entry.id!r} has no family: set 'family' in the page's front matter or :family:",
            (docname, entry.lineno),
        )


def _fill_family_row(section: nodes.section, entry: Entry, families: dict[str, Any]) -> None:
    for node in list(section.findall(pending_xref)):
        if not node.get("pn_family_slot"):
            continue
        node["reftarget"] = entry.family
        row = node.parent.parent.parent
        if not entry.family:
            fields = row.parent
            fields.remove(row)
            if not fields.children:
                fields.parent.remove(fields)
            continue
        # On the family's own page the row would link to the page itself: it is dropped when the
        # page is written (papernotes.render.finish_entries), once the family's page is known.
        row["pn_family"] = entry.family
        label = str(families.get(entry.family, entry.family))
        node.children = [nodes.inline(label, label, classes=["pn-family"])]
        node["refwarn"] = entry.family in families or not families


class EntryFamilies(SphinxTransform):
    """Give every entry of the page its family and show it in the entry's "Family" row."""

    # After docutils' DocInfo (340), before Sphinx's domains collect the page (SphinxDomains, 850).
    default_priority = 840

    def apply(self, **kwargs: Any) -> None:
        families: dict[str, Any] = self.config.papernotes_families
        docname = self.env.docname
        page = page_family(self.document, self.config.papernotes_family_key)
        if page and families and page not in families:
            known = ", ".join(sorted(families))
            warn("family", f"unknown family {page!r} in the page's front matter (known: {known})", (docname, 1))
        for section in self.document.findall(nodes.section):
            entry = section.get("pn_record")
            if isinstance(entry, Entry):
                _assign(entry, page, families, docname)
                _fill_family_row(section, entry, families)


def setup(app: Sphinx) -> None:
    """Register the transform."""
    app.add_transform(EntryFamilies)
