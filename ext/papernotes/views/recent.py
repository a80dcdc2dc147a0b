"""Recently added entries: the newest entries of the collection, by the date each one says it was added.

An entry may carry ``:added: YYYY-MM-DD`` (checked by its directive). ``{recent-entries}``
(``:limit:``, default 6) lists the newest entries that have one, newest first; entries added on the
same day keep the reverse of the collection's order, so the list is the same in every build (the
repository's history is not read at build time: Read the Docs builds from a shallow clone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import collection_of
from papernotes.entrytypes import ENTRY_TYPES
from papernotes.options import LenientOptionSpec
from papernotes.views.base import ViewDirective, register_view, relative_uri

__all__ = ["RecentEntry", "recent_entries"]

DEFAULT_LIMIT = 6


@dataclass(frozen=True)
class RecentEntry:
    """One line of the list: what the entry is, where it is, and when it was added."""

    name: str
    objtype: str
    family: str
    docname: str
    anchor: str
    added: str


def recent_entries(env: BuildEnvironment, limit: int) -> tuple[RecentEntry, ...]:
    """The newest ``limit`` entries that say when they were added, once per build."""
    collection = collection_of(env)

    def compute() -> tuple[RecentEntry, ...]:
        dated = [(index, entry) for index, entry in enumerate(collection.entries) if entry.fields.get("added")]
        dated.sort(key=lambda pair: (str(pair[1].fields["added"]), pair[0]), reverse=True)
        return tuple(
            RecentEntry(
                entry.name,
                entry.objtype,
                collection.family(entry.family).label if entry.family else "",
                entry.docname,
                entry.anchor,
                str(entry.fields["added"]),
            )
            for _, entry in dated[:limit]
        )

    return collection.memoized(("recent", limit), compute)


def render_recent(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """A list of the newest entries, each linking to its entry."""
    entries = recent_entries(app.env, spec["limit"])
    if not entries:
        return [nodes.paragraph("", "No entry says when it was added yet.", classes=["pn-empty"])]
    items = nodes.bullet_list(classes=["pn-recent"])
    for entry in entries:
        line = nodes.paragraph()
        uri = relative_uri(app, docname, entry.docname, entry.anchor)
        line += nodes.reference(entry.name, entry.name, refuri=uri, internal=True) if uri else nodes.Text(entry.name)
        about = ENTRY_TYPES[entry.objtype].label + (f" · {entry.family}" if entry.family else "")
        line += nodes.Text(f" — {about} · added {entry.added}")
        items += nodes.list_item("", line)
    return [items]


def fingerprint_recent(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the list shows."""
    return hashlib.sha1(repr(recent_entries(env, spec["limit"])).encode("utf-8")).hexdigest()


def _limit(value: str | None) -> str:
    return (value or "").strip()


class RecentEntriesDirective(ViewDirective):
    """``{recent-entries}``: the newest entries by their ``:added:`` date (``:limit:``, default 6)."""

    option_spec = LenientOptionSpec({"limit": _limit})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        text = self.options.get("limit", "")
        limit = DEFAULT_LIMIT
        if text:
            if text.isdigit() and int(text) > 0:
                limit = int(text)
            else:
                self.warn("value", f":limit: {text!r} is not a positive whole number; {DEFAULT_LIMIT} is used")
        return [self.view("recent", {"limit": limit})]


def setup(app: Sphinx) -> None:
    """Register the directive and its view."""
    app.add_directive("recent-entries", RecentEntriesDirective)
    register_view("recent", render_recent, fingerprint_recent)
