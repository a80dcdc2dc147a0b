"""The one declaration of the entry types: their names, labels, anchors and relation options.

Every other module (directives, domain, collection, views, exports, search) asks this table
instead of spelling the four types out, so adding a type or a relation option is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes

__all__ = [
    "ENTRY_TYPES",
    "LINEAGE_OPTIONS",
    "RELATION_LABELS",
    "EntryType",
    "anchor_for",
    "count",
    "entry_type",
    "label",
]


@dataclass(frozen=True)
class EntryType:
    """One kind of entry: its directive and role name, what readers call it, and its relation options."""

    name: str
    label: str
    plural: str
    #: relation option -> the entry type its ids name (``:base:`` of a model names models).
    relations: dict[str, str] = field(default_factory=dict)
    #: the name of the JSON list and table column that gathers related entries of this type.
    group: str = ""

    @property
    def anchor_prefix(self) -> str:
        return f"{self.name}-"


ENTRY_TYPES: dict[str, EntryType] = {
    item.name: item
    for item in (
        EntryType("paper", "paper", "papers", {"models": "model", "repos": "repo", "datasets": "dataset"}, "papers"),
        EntryType(
            "repo", "repository", "repositories", {"models": "model", "papers": "paper", "datasets": "dataset"}, "repos"
        ),
        EntryType(
            "model", "model", "models", {"base": "model", "paper": "paper", "repo": "repo", "data": "dataset"}, "models"
        ),
        EntryType("dataset", "dataset", "datasets", {"paper": "paper", "repo": "repo"}, "datasets"),
    )
}

#: Relation options whose targets are what the entry was derived from (the lineage), not related to it.
LINEAGE_OPTIONS = frozenset({"base"})

#: How a relation option is labelled in an entry's field list.
RELATION_LABELS = {"base": "Based on", "repo": "Repository", "repos": "Repositories", "data": "Training data"}


def entry_type(name: str) -> EntryType:
    """The type of this name (a KeyError names a bug: every caller validates the name first)."""
    return ENTRY_TYPES[name]


def label(name: str) -> str:
    """What a reader calls an entry of this type ("repository" for ``repo``); unknown names as given."""
    found = ENTRY_TYPES.get(name)
    return found.label if found else name


def count(name: str, number: int) -> str:
    """``1 paper``, ``3 repositories``: a number of entries of one type, in words."""
    kind = ENTRY_TYPES[name]
    return f"{number} {kind.label if number == 1 else kind.plural}"


def anchor_for(objtype: str, entry_id: str) -> str:
    """The HTML id of an entry: ``paper-<key>``, ``model-<id>``, ``repo-<owner>-<name>``, ``dataset-<id>``."""
    return nodes.make_id(f"{objtype}-{entry_id}") or f"{objtype}-entry"
