"""The ``pn`` domain: entries (papers, repositories, models, datasets) as real Sphinx objects.

Modelled on the recipe domain of the Sphinx tutorial and on ``sphinx.ext.todo``: every entry a
page defines is recorded per document, purged when the page is re-read and merged back from
parallel readers, so cross-references, ``objects.inv`` and intersphinx see one consistent
collection whatever the build order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

__all__ = ["ENTRY_TYPES", "Entry", "EntryRole", "PaperNotesDomain", "Reference", "entry_key"]

#: The four kinds of entry, with the label a reader sees.
ENTRY_TYPES: dict[str, str] = {
    "paper": "paper",
    "repo": "repository",
    "model": "model",
    "dataset": "dataset",
}


def entry_key(objtype: str, entry_id: str) -> tuple[str, str]:
    """Ids are matched case-insensitively (GitHub's owner/name is too)."""
    return objtype, entry_id.strip().lower()


@dataclass
class Entry:
    """What the collection knows about one entry, enough to link to it and to list it."""

    objtype: str
    id: str
    docname: str
    lineno: int
    anchor: str
    name: str
    short: str
    family: str = ""
    tags: tuple[str, ...] = ()
    year: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bib_digest: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return entry_key(self.objtype, self.id)


@dataclass(frozen=True)
class Reference:
    """One place that points at an entry: a role, a relation option or a citation."""

    objtype: str
    target: str
    docname: str
    anchor: str
    label: str
    lineno: int
    source_entry: tuple[str, str] | None = None


class EntryRole(XRefRole):
    """``{paper}`key```, ``{model}`id``` …: links that show the entry's short name."""

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        reftype = self.name.split(":", 1)[-1]
        self.refdomain, self.reftype = "pn", reftype
        self.classes = ["xref", "pn", f"pn-{reftype}"]
        return self.create_xref_node()


class TagIndex(Index):
    """Every tag with the entries that carry it: the page each tag chip links to."""

    name = "tag"
    localname = "Entries by tag"
    shortname = "tags"

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: PaperNotesDomain = self.domain  # type: ignore[assignment]
        by_tag: dict[str, list[IndexEntry]] = {}
        for entry in domain.resolved_entries():
            if docnames is not None and entry.docname not in docnames:
                continue
            for tag in entry.tags:
                by_tag.setdefault(tag, []).append(
                    IndexEntry(entry.name, 0, entry.docname, entry.anchor, ENTRY_TYPES[entry.objtype], "", entry.year)
                )
        content = [(tag, sorted(items, key=lambda item: item.name.lower())) for tag, items in sorted(by_tag.items())]
        return content, False


class PaperNotesDomain(Domain):
    """Papers, repositories, models and datasets, each with an id, a page and an anchor."""

    name = "pn"
    label = "Paper notes"
    object_types = {objtype: ObjType(label, objtype) for objtype, label in ENTRY_TYPES.items()}
    roles = {objtype: EntryRole(warn_dangling=True) for objtype in ENTRY_TYPES}
    indices = [TagIndex]
    initial_data: dict[str, Any] = {
        "entries": {},  # (objtype, id folded) -> list[Entry]
        "refs": {},  # docname -> list[Reference]
        "family_pages": {},  # docname -> family id
        "states": {},  # docname -> fingerprint of what the page shows from other pages
    }
    data_version = 1

    @property
    def entries(self) -> dict[tuple[str, str], list[Entry]]:
        return self.data["entries"]

    @property
    def refs(self) -> dict[str, list[Reference]]:
        return self.data["refs"]

    @property
    def family_pages(self) -> dict[str, str]:
        return self.data["family_pages"]

    def add_entry(self, entry: Entry) -> None:
        """Record an entry; duplicates are kept so the earliest can win in any build order."""
        self.entries.setdefault(entry.key, []).append(entry)
        by_docname = getattr(self, "_by_docname", None)
        if by_docname is not None:
            # Kept up to date rather than rebuilt: rebuilding per page read made reading quadratic.
            listed = by_docname.setdefault(entry.docname, [])
            listed.append(entry)
            if len(listed) > 1 and listed[-2].lineno > entry.lineno:
                listed.sort(key=lambda item: item.lineno)

    def entries_on(self, docname: str) -> list[Entry]:
        """The entries a page defines, in page order."""
        by_docname = getattr(self, "_by_docname", None)
        if by_docname is None:
            by_docname = {}
            for candidates in self.entries.values():
                for entry in candidates:
                    by_docname.setdefault(entry.docname, []).append(entry)
            for listed in by_docname.values():
                listed.sort(key=lambda entry: entry.lineno)
            self._by_docname: dict[str, list[Entry]] | None = by_docname
        return by_docname.get(docname, [])

    def lookup(self, objtype: str, entry_id: str) -> Entry | None:
        """The entry an id names: among duplicates, the first by page and line, so every build agrees."""
        candidates = self.entries.get(entry_key(objtype, entry_id))
        if not candidates:
            return None
        return min(candidates, key=lambda entry: (entry.docname, entry.lineno))

    def resolved_entries(self) -> Iterator[Entry]:
        """One entry per id (duplicates resolved), in a stable order."""
        for key in sorted(self.entries):
            entry = self.lookup(*key)
            if entry is not None:
                yield entry

    def family_page(self, family: str) -> str | None:
        """The page that introduces a family (the first, if several claim it)."""
        pages = [docname for docname, name in self.family_pages.items() if name == family]
        return min(pages) if pages else None

    def clear_doc(self, docname: str) -> None:
        # Only the page's own entries are visited: scanning every id for every page read was quadratic.
        for key in {entry.key for entry in self.entries_on(docname)}:
            kept = [entry for entry in self.entries[key] if entry.docname != docname]
            if kept:
                self.entries[key] = kept
            else:
                del self.entries[key]
        if self._by_docname is not None:
            self._by_docname.pop(docname, None)
        self.refs.pop(docname, None)
        self.family_pages.pop(docname, None)
        self.data["states"].pop(docname, None)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        self._by_docname = None
        for key, others in otherdata["entries"].items():
            for entry in others:
                if entry.docname in docnames:
                    self.entries.setdefault(key, []).append(entry)
        for docname in docnames:
            if docname in otherdata["refs"]:
                self.refs[docname] = otherdata["refs"][docname]
            if docname in otherdata["family_pages"]:
                self.family_pages[docname] = otherdata["family_pages"][docname]

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        if typ == "tag":
            return make_refnode(builder, fromdocname, "pn-tag", f"cap-{target}", contnode, f"Entries tagged {target}")
        if typ == "family":
            page = self.family_page(target)
            if page is None:
                return None
            return make_refnode(
                builder, fromdocname, page, "", contnode, env.titles[page].astext() if page in env.titles else target
            )
        entry = self.lookup(typ, target)
        if entry is None:
            return None
        if not node.get("refexplicit"):
            contnode = contnode.deepcopy()
            contnode.children = [nodes.Text(entry.short)]
        return make_refnode(builder, fromdocname, entry.docname, entry.anchor, contnode, entry.name)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, Element]]:
        results = []
        for objtype in ENTRY_TYPES:
            if self.lookup(objtype, target) is not None:
                resolved = self.resolve_xref(env, fromdocname, builder, objtype, target, node, contnode)
                if resolved is not None:
                    results.append((f"pn:{self.role_for_objtype(objtype)}", resolved))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for entry in self.resolved_entries():
            yield entry.id, entry.name, entry.objtype, entry.docname, entry.anchor, 1

    def get_full_qualified_name(self, node: Element) -> str | None:
        return node.get("reftarget")


def xref(objtype: str, target: str, text: str, *, relation: str = "", source: str = "", line: int = 0) -> pending_xref:
    """A link to another entry (or a tag or family page), resolved once every page is read."""
    node = addnodes.pending_xref(
        "",
        refdomain="pn",
        reftype=objtype,
        reftarget=target,
        refexplicit=False,
        refwarn=True,
    )
    if relation:
        node["pn_relation"] = relation
    node.source, node.line = source, line
    node += nodes.inline(text, text, classes=["xref", "pn", f"pn-{objtype}"])
    return node
