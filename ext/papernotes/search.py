"""Search results that land on their entry.

Sphinx's search index shortens an object's anchor to ``-`` when it is ``<objtype>-<name>``, and
its search page rebuilds the anchor from the object's *display* name. An entry's display name
("InstructGPT") is not its id ("instructgpt"), so the rebuilt anchor ``#model-InstructGPT``
points nowhere. Just before the index is written, the anchors of ``pn`` objects are restored in
full; ``objects.inv`` and the domain itself are unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx

from papernotes.domain import PaperNotesDomain

__all__ = ["restore_anchors"]

_Objects = dict[str, list[tuple[int, int, int, str, str]]]


def restore_anchors(
    objects: _Objects, objnames: dict[int, tuple[str, str, str]], domain: PaperNotesDomain, fn2index: dict[str, int]
) -> _Objects:
    """Replace the ``-`` shorthand of pn objects with their real anchors (one pass over the index)."""
    docnames = {index: docname for docname, index in fn2index.items()}
    anchors: dict[tuple[str, str, str], str] = {}
    for entry in domain.resolved_entries():
        name = html.escape(entry.name).rpartition(".")[2]
        anchors.setdefault((entry.docname, entry.objtype, name), entry.anchor)
    for rows in objects.values():
        for position, (docindex, typeindex, priority, anchor, name) in enumerate(rows):
            domain_name, objtype = objnames.get(typeindex, ("", "", ""))[:2]
            if anchor != "-" or domain_name != domain.name:
                continue
            full = anchors.get((docnames.get(docindex, ""), objtype, name))
            if full:
                rows[position] = (docindex, typeindex, priority, full, name)
    return objects


def _wrap_indexer(app: Sphinx) -> list[Any]:
    """Once the HTML builder has its index builder, make its object table carry full anchors."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or getattr(indexer, "_papernotes_anchors", False):
        return []
    original: Callable[[dict[str, int]], _Objects] = indexer.get_objects

    def get_objects(fn2index: dict[str, int]) -> _Objects:
        domain: PaperNotesDomain = app.env.domains["pn"]  # type: ignore[assignment]
        return restore_anchors(original(fn2index), indexer._objnames, domain, fn2index)

    indexer.get_objects = get_objects
    indexer._papernotes_anchors = True
    return []


def setup(app: Sphinx) -> None:
    """The search index is written after the extra HTML pages are collected, so wrap it then."""
    app.connect("html-collect-pages", _wrap_indexer)
