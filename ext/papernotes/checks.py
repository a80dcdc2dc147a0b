"""What is checked once every page is read: duplicate ids, lineage loops, links to missing entries.

A page alone cannot know these: an id may be defined on another page, a loop may span families.
So they are checked on the whole collection after each read phase (and links when they fail to
resolve), each reported once, at the entry or link that is wrong.
"""

from __future__ import annotations

from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from papernotes.domain import PaperNotesDomain
from papernotes.entrytypes import label
from papernotes.messages import warn

__all__ = ["check_collection", "report_missing"]


def _domain(env: BuildEnvironment) -> PaperNotesDomain:
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    return domain


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
        warn("relation", f":{node['pn_relation']}: names no {label(reftype)} with id {target!r}", node)
    else:
        warn("ref", f"no {label(reftype)} with id {target!r}", node)
    return True


def setup(app: Sphinx) -> None:
    """Check the collection after every read phase; report each link that does not resolve."""
    app.connect("env-check-consistency", check_collection)
    app.connect("warn-missing-reference", report_missing)
