"""What is learnt from a page once it is read, and what is checked once all pages are read.

After a page is parsed its metadata is known, so entries get their family from the page's front
matter here, and every link to an entry (roles, relation options, citations) is recorded for the
backlinks. After every page is read, the collection as a whole is checked: duplicate ids, loops in
the model lineage, links to entries that do not exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from papernotes.domain import ENTRY_TYPES, Entry, PaperNotesDomain, Reference, entry_key
from papernotes.messages import warn

__all__ = ["check_collection", "collect_page"]


def _domain(env: BuildEnvironment) -> PaperNotesDomain:
    return env.domains["pn"]  # type: ignore[return-value]


def _enclosing_section(node: nodes.Node) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _enclosing_entry(node: nodes.Node) -> tuple[str, str] | None:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.get("pn_entry"):
            objtype, entry_id = parent["pn_entry"]
            return entry_key(objtype, entry_id)
        parent = parent.parent
    return None


def _page_family(app: Sphinx, env: BuildEnvironment, docname: str) -> str:
    family = str(env.metadata.get(docname, {}).get(app.config.papernotes_family_key, "")).strip()
    if family and app.config.papernotes_families and family not in app.config.papernotes_families:
        known = ", ".join(sorted(app.config.papernotes_families))
        warn("family", f"unknown family {family!r} in the page's front matter (known: {known})", (docname, 1))
    return family


def _assign_families(entries: Iterable[Entry], page_family: str, families: dict[str, str], docname: str) -> None:
    """Entries without :family: take the page's; a family that is not configured is reported."""
    for entry in entries:
        if entry.family and families and entry.family not in families:
            warn("family", f"{entry.objtype} {entry.id!r}: unknown family {entry.family!r}", (docname, entry.lineno))
        elif not entry.family and page_family:
            entry.family = page_family
        elif not entry.family and families:
            warn(
                "family",
                f"{entry.objtype} {entry.id!r} has no family: set 'family' in the page's front matter or :family:",
                (docname, entry.lineno),
            )


def collect_page(app: Sphinx, doctree: nodes.document) -> None:
    """Give entries their family and record every link to an entry, for backlinks and checks."""
    env = app.env
    docname = env.docname
    domain = _domain(env)
    families = app.config.papernotes_families
    page_family = _page_family(app, env, docname)
    if page_family:
        domain.family_pages[docname] = page_family

    here = {entry.anchor: entry for entry in domain.entries_on(docname)}
    _assign_families(here.values(), page_family, families, docname)

    references: list[Reference] = []
    title = env.titles[docname].astext() if docname in env.titles else docname
    for node in doctree.findall(pending_xref):
        if node.get("pn_family_slot"):
            section = _enclosing_section(node)
            found = here.get(section["ids"][0]) if section is not None and section["ids"] else None
            family = found.family if found is not None else node["reftarget"] or page_family
            node["reftarget"] = family
            if not family:
                field = node.parent.parent.parent
                field.parent.remove(field)
            else:
                label = families.get(family, family)
                node.children = [nodes.inline(label, label, classes=["pn-family"])]
                node["refwarn"] = family in families or not families
            continue
        domain_name = node.get("refdomain")
        if domain_name == "pn" and node.get("reftype") in ENTRY_TYPES:
            targets = [(node["reftype"], node["reftarget"])]
        elif domain_name == "cite":
            targets = [("paper", key.strip()) for key in str(node.get("reftarget", "")).split(",") if key.strip()]
        else:
            continue
        section = _enclosing_section(node)
        anchor = section["ids"][0] if section is not None and section["ids"] else ""
        label = title
        top_level = section is None or isinstance(section.parent, nodes.document)
        if not top_level and section.children and isinstance(section[0], nodes.title):
            label = f"{title} › {section[0].astext()}"
        source_entry = _enclosing_entry(node)
        for objtype, target in targets:
            if source_entry == entry_key(objtype, target):
                continue
            references.append(Reference(objtype, target, docname, anchor, label, node.line or 0, source_entry))
    domain.refs[docname] = references


def check_collection(app: Sphinx, env: BuildEnvironment) -> None:
    """Report duplicate ids and lineage loops, whichever pages they come from."""
    domain = _domain(env)
    for candidates in domain.entries.values():
        if len(candidates) < 2:
            continue
        ordered = sorted(candidates, key=lambda entry: (entry.docname, entry.lineno))
        first = ordered[0]
        for duplicate in ordered[1:]:
            where = "earlier on this page" if duplicate.docname == first.docname else f"in {first.docname}"
            warn(
                "duplicate",
                f"{duplicate.objtype} {duplicate.id!r} is already defined {where} "
                f"(line {first.lineno}); links go there",
                (duplicate.docname, duplicate.lineno),
            )
    _check_lineage(domain)


def _check_lineage(domain: PaperNotesDomain) -> None:
    models = {entry.key[1]: entry for entry in domain.resolved_entries() if entry.objtype == "model"}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(key: str, path: list[str]) -> None:
        state[key] = 1
        path.append(key)
        for base in models[key].relations.get("base", ()):
            base_key = base.lower()
            if base_key not in models:
                continue
            if state.get(base_key) == 1:
                loop = path[path.index(base_key) :]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    first = min((models[item] for item in loop), key=lambda entry: (entry.docname, entry.lineno))
                    chain = " → ".join(models[item].id for item in [*loop, base_key])
                    warn("cycle", f"model lineage loops back on itself: {chain}", (first.docname, first.lineno))
            elif base_key not in state:
                visit(base_key, path)
        path.pop()
        state[key] = 2

    for key in sorted(models):
        if key not in state:
            visit(key, [])


def report_missing(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """One ``papernotes.ref`` (or ``.relation``/``.family``) warning per link to a missing entry."""
    if node.get("refdomain") != "pn":
        return None
    reftype, target = node.get("reftype"), node.get("reftarget")
    if reftype == "family":
        warn("family", f"no page introduces the family {target!r}", node)
    elif node.get("pn_relation"):
        kind = ENTRY_TYPES.get(reftype, reftype)
        warn("relation", f":{node['pn_relation']}: names no {kind} with id {target!r}", node)
    else:
        warn("ref", f"no {ENTRY_TYPES.get(reftype, reftype)} with id {target!r}", node)
    return True


def setup(app: Sphinx) -> None:
    """Collect after each page (after Sphinx's own collectors) and check after all pages."""
    app.connect("doctree-read", collect_page, priority=600)
    app.connect("env-check-consistency", check_collection)
    app.connect("warn-missing-reference", report_missing)
