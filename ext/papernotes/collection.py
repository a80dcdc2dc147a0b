"""The collection as a whole, computed once per build for every view and export.

Tables, indexes, the lineage graph, the timeline and ``papers.json`` all show the same thing: the
entries of the whole site with their families and the relations between them. This module builds
that picture once, after every page has been read (so it is right in incremental and parallel
builds), and keeps it for the write phase; views ask it for what they need instead of walking the
domain again for every page, which keeps a build linear in the number of entries.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.domain import Entry, PaperNotesDomain
from papernotes.entrytypes import ENTRY_TYPES, LINEAGE_OPTIONS
from papernotes.lineage_kinds import WEIGHT_KINDS

__all__ = ["Collection", "Family", "collection_of", "sort_key"]

_T = TypeVar("_T")

#: The order entry types are listed in everywhere (tables, exports).
TYPE_ORDER = {objtype: index for index, objtype in enumerate(ENTRY_TYPES)}


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
    memo: dict[Any, Any] = field(default_factory=dict)

    def family(self, family_id: str) -> Family:
        """The family of an id, also for one that is not configured (shown by its id)."""
        return self.families.get(family_id) or Family(family_id, family_id, None, family_id)

    def memoized(self, key: Any, compute: Callable[[], _T]) -> _T:
        """Compute a view's data once per build, whatever the number of pages showing it."""
        if key not in self.memo:
            self.memo[key] = compute()
        # the memo holds what ``compute`` made for this key (keys name the kind of view data)
        return cast("_T", self.memo[key])


def sort_key(entry: Entry) -> tuple[int, str]:
    """Entries in a stable order: by type, then by id."""
    return TYPE_ORDER.get(entry.objtype, len(TYPE_ORDER)), entry.key[1]


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
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    entries = sorted(domain.resolved_entries(), key=sort_key)
    by_key = {entry.key: entry for entry in entries}
    by_type: dict[str, list[Entry]] = {objtype: [] for objtype in ENTRY_TYPES}
    by_family: dict[str, list[Entry]] = {}
    related: dict[tuple[str, str], dict[str, list[Entry]]] = {entry.key: {} for entry in entries}
    bases: dict[tuple[str, str], list[Entry]] = {entry.key: [] for entry in entries}
    derived: dict[tuple[str, str], list[Entry]] = {entry.key: [] for entry in entries}

    for entry in entries:
        by_type.setdefault(entry.objtype, []).append(entry)
        if entry.family:
            by_family.setdefault(entry.family, []).append(entry)
        _relate(domain, entry, ENTRY_TYPES[entry.objtype].relations, by_key, related, bases, derived)
        for item in entry.lineage:  # a typed parent whose weights the model starts from is a base too
            parent = domain.lookup(item.parent_type, item.parent) if item.kind in WEIGHT_KINDS else None
            if parent is None or parent.key not in by_key or parent.key == entry.key:
                continue
            if parent not in bases[entry.key]:
                bases[entry.key].append(parent)
                derived[parent.key].append(entry)
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

    return Collection(entries, by_key, by_type, by_family, related, bases, derived, families)


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


def setup(app: Sphinx) -> None:
    """Forget the collection after each read phase."""
    app.connect("env-updated", forget_collection, priority=100)
