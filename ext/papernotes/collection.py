"""The collection as a whole, computed once per build for every view and export.

Tables, indexes, the lineage graph, the timeline and ``papers.json`` all show the same thing: the
entries of the whole site with their families and the relations between them. This module builds
that picture once, after every page has been read (so it is right in incremental and parallel
builds), and keeps it for the write phase; views ask it for what they need instead of walking the
domain again for every page, which keeps a build linear in the number of entries.

It also records which pages show views and fingerprints what those views show, so that
:mod:`papernotes.incremental` rewrites exactly the pages whose views changed.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.domain import ENTRY_TYPES, Entry, PaperNotesDomain
from papernotes.entries import DIRECTIVES
from papernotes.incremental import STATE_PROVIDERS

__all__ = ["Collection", "collection_of", "note_view", "register_view_kind", "views_on"]

#: The order entry types are listed in everywhere (tables, exports).
TYPE_ORDER = {objtype: index for index, objtype in enumerate(ENTRY_TYPES)}
#: Relation options whose targets are models derived from (not related to) the entry.
LINEAGE_OPTIONS = frozenset({"base"})

_VIEWS_ATTRIBUTE = "papernotes_views"


@dataclass(frozen=True)
class Family:
    """A family as readers see it: its id, display name and the page that introduces it."""

    id: str
    label: str
    page: str | None
    title: str


@dataclass
class Collection:
    """Every resolved entry, grouped and related, plus a per-build memo for the views."""

    entries: list[Entry]
    by_key: dict[tuple[str, str], Entry]
    by_type: dict[str, list[Entry]]
    by_family: dict[str, list[Entry]]
    related: dict[tuple[str, str], dict[str, list[Entry]]]
    bases: dict[tuple[str, str], list[Entry]]
    derived: dict[tuple[str, str], list[Entry]]
    families: dict[str, Family]
    digests: dict[tuple[str, str], str]
    memo: dict[Any, Any] = field(default_factory=dict)

    def family(self, family_id: str) -> Family:
        """The family of an id, also for one that is not configured (shown by its id)."""
        return self.families.get(family_id) or Family(family_id, family_id, None, family_id)

    def memoized(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Compute a view's data once per build, whatever the number of pages showing it."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def digest_of(self, entries: Iterable[Entry], *extra: str) -> str:
        """A fingerprint of what a view shows about these entries (and of anything extra it shows)."""
        digest = hashlib.sha1()
        for entry in entries:
            digest.update(self.digests[entry.key].encode("ascii"))
        for item in extra:
            digest.update(b"\0" + item.encode("utf-8"))
        return digest.hexdigest()


def sort_key(entry: Entry) -> tuple[int, str]:
    """Entries in a stable order: by type, then by id."""
    return TYPE_ORDER.get(entry.objtype, len(TYPE_ORDER)), entry.key[1]


def _relation_targets() -> dict[str, dict[str, str]]:
    """For each entry type, its relation options and the entry type each one names."""
    return {objtype: dict(directive.relations) for objtype, directive in DIRECTIVES.items()}


def _relate(
    domain: PaperNotesDomain,
    entry: Entry,
    targets: dict[str, str],
    by_key: dict[tuple[str, str], Entry],
    related: dict[tuple[str, str], dict[str, list[Entry]]],
    bases: dict[tuple[str, str], list[Entry]],
    derived: dict[tuple[str, str], list[Entry]],
) -> None:
    """Record an entry's relation options in both directions (lineage apart)."""
    for option, ids in entry.relations.items():
        target_type = targets.get(option)
        if target_type is None:
            continue
        for target_id in ids:
            target = domain.lookup(target_type, target_id)
            if target is None or target.key not in by_key or target.key == entry.key:
                continue
            if option in LINEAGE_OPTIONS:
                if target not in bases[entry.key]:
                    bases[entry.key].append(target)
                    derived[target.key].append(entry)
                continue
            for one, other in ((entry, target), (target, entry)):
                listed = related[one.key].setdefault(other.objtype, [])
                if other not in listed:
                    listed.append(other)


def build_collection(env: BuildEnvironment) -> Collection:
    """Group and relate every entry of the site; linear in the number of entries and links."""
    domain: PaperNotesDomain = env.domains["pn"]  # type: ignore[assignment]
    entries = sorted(domain.resolved_entries(), key=sort_key)
    by_key = {entry.key: entry for entry in entries}
    by_type: dict[str, list[Entry]] = {objtype: [] for objtype in ENTRY_TYPES}
    by_family: dict[str, list[Entry]] = {}
    related: dict[tuple[str, str], dict[str, list[Entry]]] = {entry.key: {} for entry in entries}
    bases: dict[tuple[str, str], list[Entry]] = {entry.key: [] for entry in entries}
    derived: dict[tuple[str, str], list[Entry]] = {entry.key: [] for entry in entries}
    targets = _relation_targets()

    for entry in entries:
        by_type.setdefault(entry.objtype, []).append(entry)
        if entry.family:
            by_family.setdefault(entry.family, []).append(entry)
        _relate(domain, entry, targets.get(entry.objtype, {}), by_key, related, bases, derived)
    for groups in related.values():
        for listed in groups.values():
            listed.sort(key=sort_key)
    for listed in derived.values():
        listed.sort(key=sort_key)

    configured: dict[str, str] = dict(env.config.papernotes_families or {})
    family_ids = list(configured) + sorted(set(by_family) - set(configured))
    families: dict[str, Family] = {}
    for family_id in family_ids:
        page = domain.family_page(family_id)
        title = env.titles[page].astext() if page and page in env.titles else configured.get(family_id, family_id)
        families[family_id] = Family(family_id, configured.get(family_id, family_id), page, title)

    digests: dict[tuple[str, str], str] = {}
    for entry in entries:
        family = families.get(entry.family)
        record = (
            entry.objtype,
            entry.id,
            entry.docname,
            entry.anchor,
            entry.name,
            entry.short,
            entry.family,
            family.page if family else None,
            family.title if family else None,
            entry.tags,
            entry.year,
            sorted(entry.fields.items()),
            sorted(entry.relations.items()),
            sorted((objtype, [other.key for other in listed]) for objtype, listed in related[entry.key].items()),
            [other.key for other in bases[entry.key]],
            [other.key for other in derived[entry.key]],
        )
        digests[entry.key] = hashlib.sha1(repr(record).encode("utf-8")).hexdigest()
    return Collection(entries, by_key, by_type, by_family, related, bases, derived, families, digests)


#: One collection per environment, kept outside it so it is not pickled with the environment.
_COLLECTIONS: weakref.WeakKeyDictionary[BuildEnvironment, Collection] = weakref.WeakKeyDictionary()


def collection_of(env: BuildEnvironment) -> Collection:
    """The collection of this build, computed on first use after all pages were read."""
    cached = _COLLECTIONS.get(env)
    if cached is None:
        cached = _COLLECTIONS[env] = build_collection(env)
    return cached


def forget_collection(app: Sphinx, env: BuildEnvironment) -> None:
    """Any read phase may have changed the collection: compute it again when first needed."""
    _COLLECTIONS.pop(env, None)


# views: which pages show what ---------------------------------------------------------------

#: view kind -> function (env, spec) -> fingerprint of what a view of that kind shows.
VIEW_KINDS: dict[str, Callable[[BuildEnvironment, dict[str, Any]], str]] = {}


def register_view_kind(kind: str, fingerprint: Callable[[BuildEnvironment, dict[str, Any]], str]) -> None:
    """Declare a kind of view and how to fingerprint what one of them shows."""
    VIEW_KINDS[kind] = fingerprint


def _views(env: BuildEnvironment) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    if not hasattr(env, _VIEWS_ATTRIBUTE):
        setattr(env, _VIEWS_ATTRIBUTE, {})
    return getattr(env, _VIEWS_ATTRIBUTE)


def note_view(env: BuildEnvironment, docname: str, kind: str, spec: dict[str, Any]) -> None:
    """Record, while a page is read, that it shows a view (so it is rewritten when the view changes)."""
    _views(env).setdefault(docname, []).append((kind, spec))


def views_on(env: BuildEnvironment, docname: str) -> list[tuple[str, dict[str, Any]]]:
    """The views a page shows, in page order."""
    return _views(env).get(docname, [])


def _purge_views(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _views(env).pop(docname, None)


def _merge_views(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs = getattr(other, _VIEWS_ATTRIBUTE, {})
    for docname in docnames:
        if docname in theirs:
            _views(env)[docname] = theirs[docname]


def _spec_key(kind: str, spec: dict[str, Any]) -> tuple[str, str]:
    return kind, repr(sorted(spec.items()))


def views_state(env: BuildEnvironment, docname: str) -> str:
    """What the page's views show; each distinct view is fingerprinted once per build."""
    views = views_on(env, docname)
    if not views:
        return ""
    collection = collection_of(env)
    parts = []
    for kind, spec in views:
        fingerprint = VIEW_KINDS.get(kind)
        if fingerprint is None:
            continue
        parts.append(collection.memoized(("state", *_spec_key(kind, spec)), lambda f=fingerprint, s=spec: f(env, s)))
    return "\n".join(parts)


def setup(app: Sphinx) -> None:
    """Forget the collection after each read phase; track the pages that show views."""
    app.connect("env-updated", forget_collection, priority=100)
    app.connect("env-purge-doc", _purge_views)
    app.connect("env-merge-info", _merge_views)
    if views_state not in STATE_PROVIDERS:
        STATE_PROVIDERS.append(views_state)
