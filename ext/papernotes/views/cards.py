"""Family cards and the collection's numbers: the home page's way into the collection.

``{family-cards}`` shows one card per family (its name, the ``subtitle`` from its page's front
matter, how many papers, models, repositories and datasets it has, and its key models), and
``{collection-numbers}`` the whole collection's counts (entries by type, families, tags). Both are
computed from the collection of the build, so nobody types a number. With sphinx-design loaded
and an HTML builder they are written with sphinx-design's grid and card classes (``sd-row``,
``sd-col``, ``sd-card`` …) as plain docutils containers; elsewhere they are plain lists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import Collection, collection_of
from papernotes.domain import Entry
from papernotes.entrytypes import ENTRY_TYPES
from papernotes.options import LenientOptionSpec
from papernotes.views.base import ViewDirective, register_view, relative_uri

__all__ = ["CollectionNumbers", "FamilyCard", "collection_numbers", "family_cards"]

#: The front-matter key of a family page that gives the family's second name (here, in Chinese).
SUBTITLE_KEY = "subtitle"
#: How many models a card names as its family's key models.
KEY_MODELS = 3
#: The order types are counted on a card.
CARD_TYPES = ("paper", "model", "repo", "dataset")


@dataclass(frozen=True)
class FamilyCard:
    """What a family's card says; models are (name, docname, anchor)."""

    id: str
    label: str
    subtitle: str
    page: str | None
    counts: tuple[tuple[str, int], ...]
    key_models: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class CollectionNumbers:
    """The collection in numbers: entries per type, families and tags."""

    by_type: tuple[tuple[str, int], ...]
    entries: int
    families: int
    tags: int


def counted(objtype: str, count: int) -> str:
    """``1 paper``, ``3 repositories``."""
    kind = ENTRY_TYPES[objtype]
    return f"{count} {kind.label if count == 1 else kind.plural}"


def key_models(collection: Collection, members: list[Entry]) -> list[Entry]:
    """A family's key models: the most built upon (models derived from them), then the most linked."""
    models = [entry for entry in members if entry.objtype == "model"]

    def weight(entry: Entry) -> tuple[int, int]:
        links = sum(len(listed) for listed in collection.related[entry.key].values())
        return -len(collection.derived[entry.key]), -links

    return sorted(models, key=weight)[:KEY_MODELS]  # stable: ties keep the collection's order


def family_cards(env: BuildEnvironment) -> tuple[FamilyCard, ...]:
    """One card per family that has entries, in the configured order; computed once per build."""
    collection = collection_of(env)

    def compute() -> tuple[FamilyCard, ...]:
        cards = []
        for family in collection.families.values():
            members = collection.by_family.get(family.id, [])
            if not members:
                continue
            metadata = env.metadata.get(family.page, {}) if family.page else {}
            counts = tuple(
                (objtype, count)
                for objtype in CARD_TYPES
                if (count := sum(entry.objtype == objtype for entry in members))
            )
            models = tuple(
                (entry.short or entry.name, entry.docname, entry.anchor) for entry in key_models(collection, members)
            )
            subtitle = " ".join(str(metadata.get(SUBTITLE_KEY, "")).split())
            cards.append(FamilyCard(family.id, family.label, subtitle, family.page, counts, models))
        return tuple(cards)

    return collection.memoized(("family-cards",), compute)


def collection_numbers(env: BuildEnvironment) -> CollectionNumbers:
    """The collection's counts, once per build."""
    collection = collection_of(env)

    def compute() -> CollectionNumbers:
        by_type = tuple((objtype, len(collection.by_type.get(objtype, []))) for objtype in CARD_TYPES)
        tags = {tag for entry in collection.entries for tag in entry.tags}
        families = sum(1 for family in collection.families if collection.by_family.get(family))
        return CollectionNumbers(by_type, len(collection.entries), families, len(tags))

    return collection.memoized(("collection-numbers",), compute)


# writing -----------------------------------------------------------------------------------------


def _uses_design(app: Sphinx) -> bool:
    return app.builder.format == "html" and "sphinx_design" in app.extensions


def _link(app: Sphinx, docname: str, target: str, anchor: str, text: str, classes: list[str]) -> nodes.Node:
    uri = relative_uri(app, docname, target, anchor)
    if uri is None:
        return nodes.Text(text)
    return nodes.reference(text, text, refuri=uri, internal=True, classes=classes)


def _grid(columns: str) -> tuple[nodes.container, nodes.container]:
    """sphinx-design's grid: an outer container and its row (``columns``: the sd-row-cols classes)."""
    outer = nodes.container(classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
    row = nodes.container(classes=["sd-row", *columns.split(), "sd-g-3"])
    outer += row
    return outer, row


def _card(row: nodes.container, classes: list[str]) -> nodes.container:
    column = nodes.container(classes=["sd-col", "sd-d-flex-row"])
    card = nodes.container(classes=["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", *classes])
    body = nodes.container(classes=["sd-card-body"])
    card += body
    column += card
    row += column
    return body


def _card_lines(app: Sphinx, docname: str, card: FamilyCard) -> tuple[nodes.paragraph, nodes.paragraph | None]:
    counts = " · ".join(counted(objtype, count) for objtype, count in card.counts)
    counts_line = nodes.paragraph(counts, counts, classes=["pn-card-counts"])
    if not card.key_models:
        return counts_line, None
    models = nodes.paragraph("", "Key models: ", classes=["pn-card-models"])
    for index, (name, target, anchor) in enumerate(card.key_models):
        if index:
            models += nodes.Text(", ")
        models += _link(app, docname, target, anchor, name, [])
    return counts_line, models


def render_cards(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The family cards in sphinx-design's grid, or a list where sphinx-design or HTML is missing."""
    cards = family_cards(app.env)
    if not cards:
        return [nodes.paragraph("", "No families to show yet.", classes=["pn-empty"])]
    if not _uses_design(app):
        items = nodes.bullet_list(classes=["pn-family-cards"])
        for card in cards:
            line = nodes.paragraph()
            line += _link(app, docname, card.page, "", card.label, []) if card.page else nodes.Text(card.label)
            if card.subtitle:
                line += nodes.Text(f" ({card.subtitle})")
            counts, models = _card_lines(app, docname, card)
            line += nodes.Text(": " + counts.astext())
            if models is not None:
                line += nodes.Text("; ")
                line.extend(child.deepcopy() for child in models.children)
            items += nodes.list_item("", line)
        return [items]
    outer, row = _grid("sd-row-cols-1 sd-row-cols-xs-1 sd-row-cols-sm-2 sd-row-cols-md-2 sd-row-cols-lg-3")
    outer["classes"].append("pn-family-cards")
    for card in cards:
        body = _card(row, ["pn-family-card"])
        title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold", "pn-card-title"])
        title += _link(app, docname, card.page, "", card.label, []) if card.page else nodes.Text(card.label)
        body += title
        if card.subtitle:
            body += nodes.paragraph(card.subtitle, card.subtitle, classes=["sd-card-text", "pn-card-subtitle"])
        counts, models = _card_lines(app, docname, card)
        counts["classes"].append("sd-card-text")
        body += counts
        if models is not None:
            models["classes"].append("sd-card-text")
            body += models
    return [outer]


def render_numbers(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The collection's numbers: a row of small cards, or one sentence."""
    numbers = collection_numbers(app.env)
    items = [
        (count, ENTRY_TYPES[objtype].label if count == 1 else ENTRY_TYPES[objtype].plural)
        for objtype, count in numbers.by_type
    ]
    items += [(numbers.families, "family" if numbers.families == 1 else "families")]
    items += [(numbers.tags, "tag" if numbers.tags == 1 else "tags")]
    if not _uses_design(app):
        text = f"{numbers.entries} entries: " + ", ".join(f"{count} {label}" for count, label in items) + "."
        return [nodes.paragraph(text, text, classes=["pn-numbers"])]
    outer, row = _grid("sd-row-cols-2 sd-row-cols-xs-2 sd-row-cols-sm-3 sd-row-cols-md-6 sd-row-cols-lg-6")
    outer["classes"].append("pn-numbers")
    for count, label in items:
        body = _card(row, ["pn-number"])
        body += nodes.paragraph(
            "", "", nodes.strong(str(count), str(count)), nodes.Text(" " + label), classes=["sd-card-text"]
        )
    return [outer]


def fingerprint_cards(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the cards show: names, counts and key models with their pages."""
    return hashlib.sha1(repr(family_cards(env)).encode("utf-8")).hexdigest()


def fingerprint_numbers(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the numbers show."""
    return hashlib.sha1(repr(collection_numbers(env)).encode("utf-8")).hexdigest()


class FamilyCardsDirective(ViewDirective):
    """``{family-cards}``: a card per family, with its counts and key models."""

    option_spec = LenientOptionSpec({})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        return [self.view("family-cards", {})]


class CollectionNumbersDirective(ViewDirective):
    """``{collection-numbers}``: entries by type, families and tags."""

    option_spec = LenientOptionSpec({})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        return [self.view("collection-numbers", {})]


def setup(app: Sphinx) -> None:
    """Register the directives and their views."""
    app.add_directive("family-cards", FamilyCardsDirective)
    app.add_directive("collection-numbers", CollectionNumbersDirective)
    register_view("family-cards", render_cards, fingerprint_cards)
    register_view("collection-numbers", render_numbers, fingerprint_numbers)
