"""The ``pn`` domain: entries (papers, repositories, models, datasets) as real Sphinx objects.

Modelled on the recipe domain of the Sphinx tutorial and on ``sphinx.ext.todo``: every entry a
page defines is recorded per document, purged when the page is re-read and merged back from
parallel readers, so cross-references, ``objects.inv`` and intersphinx see one consistent
collection whatever the build order.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from papernotes.compat import add_std_labels
from papernotes.entrytypes import ENTRY_TYPES

if TYPE_CHECKING:
    from papernotes.bibentry import Bibliography

__all__ = ["Derivation", "Entry", "EntryRole", "PaperNotesDomain", "Reference", "entry_key", "xref"]


def entry_key(objtype: str, entry_id: str) -> tuple[str, str]:
    """Ids are matched case-insensitively (GitHub's owner/name is too)."""
    return objtype, entry_id.strip().lower()


@dataclass(frozen=True)
class Derivation:
    """One parent named in ``:derived:``: its type and id, the kind (:mod:`.lineage_kinds`), the evidence."""

    parent_type: str
    parent: str
    kind: str
    evidence: str


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
    #: the entry's outside links as (kind, url), as its page shows them; see :mod:`papernotes.display`.
    links: tuple[tuple[str, str], ...] = ()
    bib_digest: str = ""
    #: the parents it names in ``:derived:`` (``:base:`` stays in ``relations``).
    lineage: tuple[Derivation, ...] = ()

    @cached_property
    def key(self) -> tuple[str, str]:
        """``(type, folded id)``: how the domain, the collection and the views index entries (asked often)."""
        return entry_key(self.objtype, self.id)


@dataclass(frozen=True)
class Reference:
    """One place that points at an entry: a role, a relation option or a citation.

    ``kind`` says what the place is, for "Referenced from": the type of the entry the link is in
    (``paper``, ``model``, ``repo``, ``dataset``), or ``page`` for a page's own text.
    """

    objtype: str
    target: str
    docname: str
    anchor: str
    label: str
    lineno: int
    kind: str = "page"


class EntryRole(XRefRole):
    """``{paper}`key```, ``{model}`id``` …: links that show the entry's short name."""

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        reftype = self.name.split(":", 1)[-1]
        self.refdomain, self.reftype = "pn", reftype
        self.classes = ["xref", "pn", f"pn-{reftype}"]
        result, messages = self.create_xref_node()
        line = self.own_line()
        for node in result:
            if line and isinstance(node, addnodes.pending_xref):
                node.line = line  # a missing target is reported at the role's line, not its paragraph's
        return result, messages

    def own_line(self) -> int:
        """The line of this role in its paragraph (MyST gives roles the paragraph's first line), or 0."""
        parent = getattr(self.inliner, "parent", None)
        if not isinstance(parent, nodes.TextElement) or not parent.line or not parent.rawsource:
            return 0
        earlier = sum(1 for node in parent.findall(addnodes.pending_xref) if node.rawsource == self.rawtext)
        position = -1
        for written in (f"{{{self.name}}}`{self.text}`", self.rawtext):
            position = -1
            for _ in range(earlier + 1):
                position = parent.rawsource.find(written, position + 1)
            if position >= 0:
                break
        return parent.line + parent.rawsource.count("\n", 0, position) if position >= 0 else 0


class PaperNotesDomain(Domain):
    """Papers, repositories, models and datasets, each with an id, a page and an anchor."""

    name = "pn"
    label = "Paper notes"
    object_types = {name: ObjType(kind.label, name) for name, kind in ENTRY_TYPES.items()}
    roles = {objtype: EntryRole(warn_dangling=True) for objtype in ENTRY_TYPES}
    indices: list[type[Index]] = []  # tags and years have pages of their own (papernotes.listings)
    initial_data: dict[str, Any] = {
        "entries": {},  # (objtype, id folded) -> list[Entry]
        "refs": {},  # docname -> list[Reference]
        "family_pages": {},  # docname -> family id
        "fingerprints": {},  # docname -> fingerprint of what the page shows from other pages
    }
    data_version = 3
    #: The bibliography of this build (see :mod:`papernotes.bibliography`); not pickled with the data.
    bibliography: Bibliography | None = None
    #: the bib files whose problems were all reported when they were read (papernotes is their only reader).
    bibliography_reported: frozenset[str] = frozenset()
    _by_docname: dict[str, list[Entry]] | None = None
    #: entry key -> the places that link to it; rebuilt after each read phase (:mod:`papernotes.backlinks`).
    backlink_index: dict[tuple[str, str], list[Reference]] | None = None
    #: family id -> its first page; rebuilt when ``family_pages`` changes (a scan per lookup was N × pages).
    _first_family_pages: dict[str, str] | None = None

    @property
    def entries(self) -> dict[tuple[str, str], list[Entry]]:
        return cast("dict[tuple[str, str], list[Entry]]", self.data["entries"])

    @property
    def refs(self) -> dict[str, list[Reference]]:
        return cast("dict[str, list[Reference]]", self.data["refs"])

    @property
    def family_pages(self) -> dict[str, str]:
        return cast("dict[str, str]", self.data["family_pages"])

    def add_entry(self, entry: Entry) -> None:
        """Record an entry; duplicates are kept so the earliest can win in any build order."""
        self.entries.setdefault(entry.key, []).append(entry)
        by_docname = self._by_docname
        if by_docname is not None:
            # Kept up to date rather than rebuilt: rebuilding per page read made reading quadratic.
            listed = by_docname.setdefault(entry.docname, [])
            listed.append(entry)
            if len(listed) > 1 and listed[-2].lineno > entry.lineno:
                listed.sort(key=lambda item: item.lineno)

    def entries_on(self, docname: str) -> list[Entry]:
        """The entries a page defines, in page order."""
        by_docname = self._by_docname
        if by_docname is None:
            by_docname = {}
            for candidates in self.entries.values():
                for entry in candidates:
                    by_docname.setdefault(entry.docname, []).append(entry)
            for listed in by_docname.values():
                listed.sort(key=lambda entry: entry.lineno)
            self._by_docname = by_docname
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
        if self._first_family_pages is None:
            first: dict[str, str] = {}
            for docname, name in self.family_pages.items():
                if name not in first or docname < first[name]:
                    first[name] = docname
            self._first_family_pages = first
        return self._first_family_pages.get(family)

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
        self._first_family_pages = None
        self.data["fingerprints"].pop(docname, None)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Collect the page's entries, its family and every link it makes to an entry (for backlinks)."""
        from papernotes.transforms import page_family  # noqa: PLC0415  (transforms import this module)

        family = page_family(document, env.config.papernotes_family_key)
        if family:
            self.family_pages[docname] = family
            self._first_family_pages = None
        for section in document.findall(nodes.section):
            entry = section.get("pn_record")
            if isinstance(entry, Entry):
                self.add_entry(entry)
        self.refs[docname] = _references(document, docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._by_docname = None
        self._first_family_pages = None
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
    ) -> nodes.reference | None:
        if typ == "tag":
            from papernotes.listings import tag_uri  # noqa: PLC0415  (listings reads the domain's entries)

            uri = tag_uri(builder, fromdocname, target)  # NoUri (the chip as text) where no tag pages are written
            return nodes.reference("", "", contnode, internal=True, refuri=uri, reftitle=f"Entries tagged {target}")
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
    ) -> list[tuple[str, nodes.reference]]:
        results: list[tuple[str, nodes.reference]] = []
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
        return cast("str | None", node.get("reftarget"))


def _place(node: nodes.Node, page_title: str) -> tuple[str, str, tuple[str, str] | None]:
    """The anchor and label of the section a link is in, and the entry it is in (if any)."""
    section, inside = None, None
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            section = section or parent
            record = parent.get("pn_record")
            if inside is None and isinstance(record, Entry):
                inside = record.key
        parent = parent.parent
    if section is None:
        return "", page_title, inside
    anchor = section["ids"][0] if section["ids"] else ""
    if isinstance(section.parent, nodes.document) or not section.children or not isinstance(section[0], nodes.title):
        return anchor, page_title, inside
    return anchor, f"{page_title} › {section[0].astext()}", inside


def _references(document: nodes.document, docname: str) -> list[Reference]:
    """Every link of the page to an entry: roles, relation options and sphinxcontrib-bibtex citations."""
    title_node = next(iter(document.findall(nodes.title)), None)
    page_title = title_node.astext() if title_node is not None else docname
    references: list[Reference] = []
    for node in document.findall(pending_xref):
        domain_name = node.get("refdomain")
        if node.get("pn_family_slot"):
            continue
        if domain_name == "pn" and node.get("reftype") in ENTRY_TYPES:
            targets = [(node["reftype"], node["reftarget"])]
        elif domain_name == "cite":  # a {cite} of a paper is a reference to its entry
            targets = [("paper", key.strip()) for key in str(node.get("reftarget", "")).split(",") if key.strip()]
        else:
            continue
        anchor, place, inside = _place(node, page_title)
        kind = inside[0] if inside else "page"
        for objtype, target in targets:
            if inside != entry_key(objtype, target):
                references.append(Reference(objtype, target, docname, anchor, place, node.line or 0, kind))
    return references


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


def label_entries(app: Sphinx, env: BuildEnvironment) -> None:
    """After every read phase, each entry's anchor is a ``std:label`` titled with its name.

    So a project that does not install papernotes links to an entry with ``:external+llm:ref:``
    or a MyST ``inv:`` link. Among duplicates, the entry links go to (the first) gets the label.
    """
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    add_std_labels(
        env, {entry.anchor: (entry.docname, entry.anchor, entry.name) for entry in domain.resolved_entries()}
    )


def setup(app: Sphinx) -> None:
    """Register the domain; its roles are also available without the ``pn:`` prefix."""
    app.add_domain(PaperNotesDomain)
    app.connect("env-updated", label_entries)
    for objtype in ENTRY_TYPES:
        app.add_role(objtype, EntryRole(warn_dangling=True))
