"""Readable, stable anchors for glossary terms written in Chinese (or any script without Latin letters).

Sphinx derives a term's anchor from its text with letters outside ASCII dropped, so every Chinese
term gets a numbered one (``#term-22``) that changes whenever a term is added before it, and a link
someone shared lands on the wrong term. A glossary item gives a term and its equivalents
("Reinforcement learning" / "强化学习"); each numbered term takes the anchor of the item's first
term with a readable anchor, plus ``-zh`` (``#term-Reinforcement-learning-zh``): derived from the
English name, the same in every build. A term whose item has no such term is named from its own
text (``#term-强化学习``), which is stable too.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from papernotes.compat import move_glossary_term

__all__ = ["StableTermAnchors", "stable_anchor"]

#: The anchor Sphinx gives a term whose text has no ASCII letters or digits.
NUMBERED = re.compile(r"^term-\d+$")
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def stable_anchor(english_anchor: str | None, text: str, taken: set[str]) -> str:
    """The anchor for a numbered term: the item's readable anchor plus a language suffix, unique on the page."""
    if english_anchor:
        stem = f"{english_anchor}-{'zh' if _HAN.search(text) else 'alt'}"
    else:
        stem = "term-" + "-".join(text.split())
    anchor, number = stem, 1
    while anchor in taken:
        number += 1
        anchor = f"{stem}-{number}"
    return anchor


class StableTermAnchors(SphinxTransform):
    """Rename each numbered glossary term after its item's readable term, once the page is parsed."""

    default_priority = 700

    def apply(self, **kwargs: object) -> None:
        for glossary in self.document.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                self.rename_item(item)

    def rename_item(self, item: nodes.definition_list_item) -> None:
        terms = [child for child in item.children if isinstance(child, nodes.term) and child["ids"]]
        readable = next((term["ids"][0] for term in terms if not NUMBERED.match(term["ids"][0])), None)
        for term in terms:
            old = term["ids"][0]
            if not NUMBERED.match(old):
                continue
            text = term.astext()
            new = stable_anchor(readable, text, set(self.document.ids))
            term["ids"][0] = new
            self.document.ids.pop(old, None)
            self.document.ids[new] = term
            for index in term.findall(addnodes.index):
                index["entries"] = [
                    (kind, value, new if target == old else target, main, key)
                    for kind, value, target, main, key in index["entries"]
                ]
            move_glossary_term(self.env, text, old, new)


def setup(app: Sphinx) -> None:
    """Rename numbered glossary anchors while each page is read."""
    app.add_transform(StableTermAnchors)
