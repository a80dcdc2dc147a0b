"""Where an entry's facts were checked, and when: the ``:source:`` and ``:verified:`` options.

Every entry type takes ``:source:`` (one or more https links, comma or whitespace separated: the
pages its authors, venue, numbers or licence were checked against) and ``:verified:`` (the day,
``YYYY-MM-DD``). The entry shows them beside its Cite block, in one small line ("Checked against
arxiv.org on 2026-11-30") or, for several sources, a closed disclosure that lists them;
``papers.json`` exports them as ``"provenance"``, and
``{provenance-status}`` (:mod:`papernotes.views.provenance`) lists the entries not yet checked.
They are kept in the entry's fields under ``source`` and ``verified``; this module is the one
place that knows those names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docutils import nodes

from papernotes import nodes as pn_nodes
from papernotes.display import host_label
from papernotes.options import parse_date, parse_https_urls

__all__ = ["VALIDATORS", "is_verified", "provenance_fields", "provenance_json", "provenance_line", "provenance_problem"]

#: The provenance options of every entry type, with their validators.
VALIDATORS = {"source": parse_https_urls, "verified": parse_date}
#: The names under which they are kept in an entry's fields.
FIELD_NAMES = frozenset(VALIDATORS)


def provenance_fields(options: Mapping[str, Any]) -> dict[str, Any]:
    """The checked provenance options, to keep in the entry's fields (nothing when none is given)."""
    return {name: options[name] for name in VALIDATORS if options.get(name)}


def provenance_problem(options: Mapping[str, Any], given: Mapping[str, Any]) -> str:
    """What is missing for the provenance to mean something, or "" (``given``: the options as written)."""
    if "verified" in given and "source" not in given:
        return ":verified: needs :source:, the https page(s) the entry was checked against"
    return ""


def is_verified(fields: Mapping[str, Any]) -> bool:
    """Whether an entry says both where and when it was checked."""
    return bool(fields.get("source")) and bool(fields.get("verified"))


def provenance_json(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``{"source": [...], "verified": "YYYY-MM-DD"}`` for ``papers.json``; what the entry does not say is absent."""
    found: dict[str, Any] = {}
    if fields.get("source"):
        found["source"] = list(fields["source"])
    if fields.get("verified"):
        found["verified"] = str(fields["verified"])
    return found


def _source_label(url: str) -> str:
    """``github.com/owner/name/…``: the host and enough of the path to tell a page's sources apart."""
    host = host_label(url)
    path = url.split("://", 1)[-1].split("/", 1)[1] if "/" in url.split("://", 1)[-1] else ""
    path = path.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    label = f"{host}/{path}" if path else host
    return label if len(label) <= 60 else label[:59] + "…"


def provenance_line(options: Mapping[str, Any]) -> list[nodes.Node]:
    """Where and when the entry was checked, discreetly, beside its Cite block; nothing without a source.

    One source is one small line ("Checked against arxiv.org on 2026-11-30"); several are a closed
    disclosure ("Checked on 2026-11-30 against 4 sources") that lists them, so a long list never
    pushes the notes down.
    """
    sources: list[str] = list(options.get("source") or [])
    verified = str(options.get("verified") or "")
    if not sources:
        return []
    if len(sources) == 1:
        line = nodes.paragraph("", "", classes=["pn-provenance"])
        line += nodes.Text("Checked against " if verified else "Source: ")
        label = host_label(sources[0])
        line += nodes.reference(label, label, refuri=sources[0], classes=["pn-provenance-source"])
        if verified:
            line += nodes.Text(" on ")
            line += nodes.inline(verified, verified, classes=["pn-verified"])
        return [line]
    disclosure = pn_nodes.details(classes=["pn-provenance"])
    count = f"{len(sources)} sources"
    summary = f"Checked on {verified} against {count}" if verified else f"{count}, not yet checked"
    disclosure += pn_nodes.summary(summary, summary)
    listing = nodes.bullet_list(classes=["pn-provenance-sources"])
    for url in sources:
        label = _source_label(url)
        item = nodes.list_item()
        item += nodes.paragraph("", "", nodes.reference(label, label, refuri=url, classes=["pn-provenance-source"]))
        listing += item
    disclosure += listing
    return [disclosure]
