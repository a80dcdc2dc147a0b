"""What is checked once every page is read: duplicate ids, lineage loops, links to missing entries.

A page alone cannot know these: an id may be defined on another page, a loop may span families.
So they are checked on the whole collection after each read phase (and links when they fail to
resolve), each reported once, at the entry or link that is wrong.
"""

from __future__ import annotations

import difflib

from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from papernotes.bibliography import bibliography_of
from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import label
from papernotes.lineage_kinds import parents_of
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
            role = f"{{{first.objtype}}}`{first.id}`"
            warn(
                "duplicate",
                f"{duplicate.objtype} {duplicate.id!r} is already defined {where} "
                f"(line {first.lineno}); links go there: keep one entry and link to it with {role}",
                (duplicate.docname, duplicate.lineno),
            )
            if duplicate.docname != first.docname:
                # Reported on both pages: the contributor may have touched either one.
                warn(
                    "duplicate",
                    f"{first.objtype} {first.id!r} is defined again in {duplicate.docname} "
                    f"(line {duplicate.lineno}); links come here: keep one entry and link to it with {role}",
                    (first.docname, first.lineno),
                )
    _check_lineage(domain)
    _check_tags(domain)


def _check_lineage(domain: PaperNotesDomain) -> None:
    # models and datasets, by (type, id): :base: and :derived: parents (a dataset made by a teacher) alike
    models = {entry.key: entry for entry in domain.resolved_entries() if entry.objtype in ("model", "dataset")}
    state: dict[tuple[str, str], int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[tuple[str, str]]] = set()

    def visit(key: tuple[str, str], path: list[tuple[str, str]]) -> None:
        state[key] = 1
        path.append(key)
        for parent in parents_of(models[key]):
            base_key = (parent.parent_type, parent.parent.lower())
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
        close = [entry.id for entry in _domain(app.env).resolved_entries() if entry.objtype == reftype]
        close = difflib.get_close_matches(target, close, n=2, cutoff=0.6)
        hint = "; did you mean " + " or ".join(f"'{item}'" for item in close) + "?" if close else ""
        owner = _owner(app.env, node)  # which entry's option it is ("model 'alpaca': :base: …")
        warn("relation", f"{owner}:{node['pn_relation']}: names no {label(reftype)} with id {target!r}{hint}", node)
    else:
        warn("ref", _missing_target(app.env, str(reftype), str(target)), node)
    return True


def _owner(env: BuildEnvironment, node: pending_xref) -> str:
    """The entry whose relation option this link is (its line is the entry's), as a message prefix."""
    for entry in _domain(env).entries_on(str(node.get("refdoc", ""))):
        if entry.lineno == node.line:
            return f"{entry.objtype} {entry.id!r}: "
    return ""


def _missing_target(env: BuildEnvironment, reftype: str, target: str) -> str:
    """The message for a missing target, saying the fix: in the bibliography but on no page, or the id meant."""
    message = f"no {label(reftype)} with id {target!r}"
    bibliography = bibliography_of(env)
    if reftype == "paper" and bibliography.get(target) is not None:
        files = ", ".join(bibliography.sources)
        return (
            f"{message}: {target!r} is in {files} but on no page; add a {{paper}} block for it to its "
            f"family page, or cite it with {{cite}}`{target}`"
        )
    ids = [entry.id for entry in _domain(env).resolved_entries() if entry.objtype == reftype]
    close = difflib.get_close_matches(target, ids, n=2, cutoff=0.6)
    return message + ("; did you mean " + " or ".join(f"'{item}'" for item in close) + "?" if close else "")


def _check_tags(domain: PaperNotesDomain) -> None:
    """A tag on one entry only that is a near miss of a tag others share ("did you mean …?")."""
    tagged: dict[str, list[Entry]] = {}
    for entry in domain.resolved_entries():
        for tag in entry.tags:
            tagged.setdefault(tag, []).append(entry)
    shared = sorted(tag for tag, entries in tagged.items() if len(entries) > 1)
    for tag, entries in sorted(tagged.items()):
        close = difflib.get_close_matches(tag, shared, n=1, cutoff=0.85) if len(entries) == 1 else []
        if close:
            entry = entries[0]
            message = f"{entry.objtype} {entry.id!r}: tag {tag!r} is on no other entry; did you mean {close[0]!r}?"
            warn("value", message, (entry.docname, entry.lineno))


def setup(app: Sphinx) -> None:
    """Check the collection after every read phase; report each link that does not resolve."""
    app.connect("env-check-consistency", check_collection)
    app.connect("warn-missing-reference", report_missing)
