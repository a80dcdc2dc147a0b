"""``{provenance-status}``: how many entries say where and when their facts were checked, and which do not.

Contributors need one list of what is left to check. Every entry may carry ``:source:`` and
``:verified:`` (:mod:`papernotes.provenance`); this view counts, per entry type, the entries that
have both, and lists the others (by type, in the collection's order, each linking to its entry and
saying what it lacks). It is computed from the collection of the build, like every view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import collection_of
from papernotes.entrytypes import ENTRY_TYPES, count
from papernotes.options import LenientOptionSpec
from papernotes.provenance import is_verified
from papernotes.views.base import ViewDirective, register_view, relative_uri

__all__ = ["ProvenanceStatus", "Unchecked", "provenance_status"]


@dataclass(frozen=True)
class Unchecked:
    """An entry that does not yet say where and when it was checked."""

    name: str
    objtype: str
    docname: str
    anchor: str
    lacks: str


@dataclass(frozen=True)
class ProvenanceStatus:
    """Per entry type: (checked, all); and the entries not checked, in the collection's order."""

    counts: tuple[tuple[str, int, int], ...]
    unchecked: tuple[Unchecked, ...]


def _lacks(fields: dict[str, Any]) -> str:
    missing = [f":{name}:" for name in ("source", "verified") if not fields.get(name)]
    return " and ".join(missing)


def provenance_status(env: BuildEnvironment) -> ProvenanceStatus:
    """The counts and the list, once per build."""
    collection = collection_of(env)

    def compute() -> ProvenanceStatus:
        counts = []
        for objtype in ENTRY_TYPES:
            entries = [entry for entry in collection.entries if entry.objtype == objtype]
            counts.append((objtype, sum(is_verified(entry.fields) for entry in entries), len(entries)))
        unchecked = tuple(
            Unchecked(entry.name, entry.objtype, entry.docname, entry.anchor, _lacks(entry.fields))
            for objtype in ENTRY_TYPES
            for entry in collection.entries
            if entry.objtype == objtype and not is_verified(entry.fields)
        )
        return ProvenanceStatus(tuple(counts), unchecked)

    return collection.memoized(("provenance",), compute)


def render_status(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The counts in a sentence, then the entries still to check as a list."""
    status = provenance_status(app.env)
    checked = sum(done for _, done, _ in status.counts)
    total = sum(every for _, _, every in status.counts)
    parts = [f"{done} of {count(objtype, every)}" for objtype, done, every in status.counts if every]
    summary = f"{checked} of {total} entries say where and when they were checked"
    summary += f" ({'; '.join(parts)})." if parts else "."
    result: list[nodes.Node] = [nodes.paragraph(summary, summary, classes=["pn-provenance-counts"])]
    if not status.unchecked:
        text = "Every entry has been checked against its source."
        result.append(nodes.paragraph(text, text, classes=["pn-empty"]))
        return result
    items = nodes.bullet_list(classes=["pn-unchecked"])
    for entry in status.unchecked:
        line = nodes.paragraph()
        uri = relative_uri(app, docname, entry.docname, entry.anchor)
        line += nodes.reference(entry.name, entry.name, refuri=uri, internal=True) if uri else nodes.Text(entry.name)
        line += nodes.Text(f" — {ENTRY_TYPES[entry.objtype].label}, in {entry.docname}; lacks {entry.lacks}")
        items += nodes.list_item("", line)
    result.append(items)
    return result


def fingerprint_status(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the view shows."""
    return hashlib.sha1(repr(provenance_status(env)).encode("utf-8")).hexdigest()


class ProvenanceStatusDirective(ViewDirective):
    """``{provenance-status}``: counts of checked entries and the list of those still to check."""

    option_spec = LenientOptionSpec()

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        return [self.view("provenance", {})]


def setup(app: Sphinx) -> None:
    """Register the directive and its view."""
    app.add_directive("provenance-status", ProvenanceStatusDirective)
    register_view("provenance", render_status, fingerprint_status)
