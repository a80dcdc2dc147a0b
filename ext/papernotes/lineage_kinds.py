"""Typed lineage: the kinds of derivation, the ``:derived:`` option, and the edges of the collection.

A model (or a dataset made from other entries) names each parent, how it was derived from it and
the source that says so::

    :derived: llama (lora, https://github.com/tloen/alpaca-lora); alpaca-52k (data, https://github.com/tloen/alpaca-lora)

Items are separated by ``;`` (or new lines, in a MyST YAML option block: a ``:key:`` option is one
line); each is ``<parent id> (<kind>, <https evidence>)``.
The kind decides what the id names: ``data`` and ``derived-data`` name datasets, every other kind
names a model (a teacher model is a parent of kind ``teacher``). ``:base: X`` stays the short form
of a full fine-tune without evidence. The kinds are declared once here, with the words and the line
style and arrowhead the lineage graph draws them with (:mod:`papernotes.views.lineage`), so the
graph, its legend, the sentences in words and ``papers.json``'s ``edges`` all say the same thing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes

from papernotes.domain import Derivation, Entry, xref
from papernotes.options import ID_PATTERN

if TYPE_CHECKING:  # the collection asks this module which kinds keep the parent's weights
    from papernotes.collection import Collection

__all__ = [
    "KINDS",
    "WEIGHT_KINDS",
    "DerivedOption",
    "LineageEdge",
    "LineageKind",
    "derived_option",
    "derived_row",
    "edges_json",
    "kind_of",
    "lineage_edges",
    "parents_of",
]


@dataclass(frozen=True)
class LineageKind:
    """One kind of derivation: how it is named, said and drawn."""

    id: str
    #: the legend's name of the kind.
    label: str
    #: how a derived model relates to its parent, in words ("fine-tuned from").
    phrase: str
    #: the entry type its parents are.
    parent_type: str
    #: the entry types that may name a parent of this kind.
    targets: tuple[str, ...]
    #: the line's SVG ``stroke-dasharray`` ("" draws it solid).
    dash: str
    #: the arrowhead's shape (SVG path data in a 10×10 box) and whether it is filled.
    marker: str
    filled: bool
    #: the phrase when the derived entry is a dataset, if it differs.
    dataset_phrase: str = ""

    def says(self, objtype: str) -> str:
        return self.dataset_phrase if objtype == "dataset" and self.dataset_phrase else self.phrase


_TRIANGLE, _DIAMOND, _SQUARE = "M0,0 L10,5 L0,10 z", "M0,5 L5,0 L10,5 L5,10 z", "M1,1 L9,1 L9,9 L1,9 z"
_CIRCLE, _BAR = "M5,1 A4,4 0 1 1 5,9 A4,4 0 1 1 5,1 z", "M4,0 L7,0 L7,10 L4,10 z"

#: Every kind of derivation, in the order the legend lists them.
KINDS: dict[str, LineageKind] = {
    kind.id: kind
    for kind in (
        LineageKind("fine-tune", "full fine-tune", "fine-tuned from", "model", ("model",), "", _TRIANGLE, True),
        LineageKind(
            "lora", "LoRA / adapter", "adapter-tuned (LoRA) from", "model", ("model",), "7 4", _TRIANGLE, False
        ),
        LineageKind(
            "continued-pretraining",
            "continued pre-training",
            "further pre-trained from",
            "model",
            ("model",),
            "12 3 3 3",
            _BAR,
            True,
        ),
        LineageKind(
            "rlhf", "RLHF / preference tuning", "preference-tuned from", "model", ("model",), "", _DIAMOND, True
        ),
        LineageKind(
            "teacher",
            "trained on a teacher’s outputs",
            "trained on outputs of",
            "model",
            ("model", "dataset"),
            "2 3",
            _CIRCLE,
            False,
            "generated with",
        ),
        LineageKind(
            "quantised", "quantised / pruned", "quantised or pruned from", "model", ("model",), "4 2", _SQUARE, True
        ),
        LineageKind("merged", "merged", "merged from", "model", ("model",), "", _DIAMOND, False),
        LineageKind("data", "trained on data", "trained on", "dataset", ("model",), "1 3", _SQUARE, False),
        LineageKind("derived-data", "built from data", "built from", "dataset", ("dataset",), "8 3 1 3", _BAR, False),
    )
}

#: The kinds whose derived model starts from its parent's weights: a "Based on" relation for tables and exports.
WEIGHT_KINDS = frozenset({"fine-tune", "lora", "continued-pretraining", "rlhf", "quantised", "merged"})

#: Other names contributors write for the kinds (lower case, spaces as written).
ALIASES = {
    "full fine-tune": "fine-tune",
    "finetune": "fine-tune",
    "fine-tuning": "fine-tune",
    "sft": "fine-tune",
    "adapter": "lora",
    "continued pre-training": "continued-pretraining",
    "preference": "rlhf",
    "distillation": "teacher",
    "synthetic instructions": "teacher",
    "quantized": "quantised",
    "pruned": "quantised",
    "merge": "merged",
    "fine-tune data": "data",
    "training data": "data",
    "pre-training data": "data",
}

_ITEM = re.compile(r"^(?P<parent>[^\s(]+)\s*\((?P<inside>.*)\)$", re.DOTALL)


def kind_of(name: str) -> LineageKind | None:
    """The kind a contributor means by a name or alias, or None."""
    folded = " ".join(name.lower().split())
    return KINDS.get(folded) or KINDS.get(ALIASES.get(folded, ""))


@dataclass(frozen=True)
class DerivedOption:
    """``:derived:`` as read: the well-formed derivations and, for each bad item, a warning."""

    items: tuple[Derivation, ...]
    problems: tuple[tuple[str, str], ...]


def _kind_problem(kind_name: str, parent: str, objtype: str) -> tuple[str, str] | None:
    """Why a kind cannot be used here (unknown, or not for this entry type), or None."""
    kind = kind_of(kind_name)
    if kind is None:
        close = difflib.get_close_matches(kind_name.lower(), [*KINDS, *ALIASES], n=2, cutoff=0.5)
        hint = "; did you mean " + " or ".join(f"'{name}'" for name in close) + "?" if close else ""
        return "lineage", f":derived: unknown kind {kind_name!r} for {parent!r} (known: {', '.join(KINDS)}){hint}"
    if objtype not in kind.targets:
        return "lineage", f":derived: a {objtype} cannot be derived by {kind.id!r} (from {parent!r})"
    return None


def _parse_item(text: str, objtype: str) -> Derivation | tuple[str, str]:
    """One ``parent (kind, evidence)`` item, or the (subtype, message) of what is wrong with it."""
    match = _ITEM.match(text)
    if not match:
        return "lineage", f":derived: {text!r} is not written 'parent-id (kind, https://evidence)'"
    parent, inside = match["parent"], match["inside"]
    kind_name, _, evidence = (part.strip() for part in inside.partition(","))
    if not ID_PATTERN.match(parent):
        return "value", f":derived: {parent!r} is not an entry id"
    kind, problem = kind_of(kind_name), _kind_problem(kind_name, parent, objtype)
    if problem or kind is None:
        return problem or ("lineage", kind_name)
    parts = urlsplit(evidence)
    if parts.scheme != "https" or not parts.netloc or any(char in evidence for char in ' "<>'):
        said = f"evidence {evidence!r} is not an https link" if evidence else "needs an evidence link"
        return "evidence", f":derived: {parent!r} ({kind.id}) {said}: the https page that says so"
    return Derivation(kind.parent_type, parent, kind.id, evidence)


def derived_option(objtype: str) -> Callable[[str | None], DerivedOption]:
    """The validator of ``:derived:`` on entries of one type."""

    def parse(value: str | None) -> DerivedOption:
        items: list[Derivation] = []
        problems: list[tuple[str, str]] = []
        for text in re.split(r"[;\n]", value or ""):
            if text.strip():
                found = _parse_item(text.strip(), objtype)
                if isinstance(found, Derivation):
                    items.append(found)
                else:
                    problems.append(found)
        return DerivedOption(tuple(items), tuple(problems))

    return parse


def derived_row(
    option: DerivedOption | None, warn: Callable[[str, str], None], source: str, line: int
) -> list[tuple[str, list[nodes.Node]]]:
    """Report each bad item once; the entry's "Derived from" row (each parent, kind and evidence)."""
    if option is None:
        return []
    for subtype, message in option.problems:
        warn(subtype, message)
    content: list[nodes.Node] = []
    for index, item in enumerate(option.items):
        content.append(nodes.Text("; " if index else ""))
        content.append(xref(item.parent_type, item.parent, item.parent, relation="derived", source=source, line=line))
        content.append(nodes.Text(f" ({KINDS[item.kind].label}, "))
        content.append(nodes.reference("evidence", "evidence", refuri=item.evidence, classes=["pn-evidence"]))
        content.append(nodes.Text(")"))
    return [("Derived from", content)] if content else []


#: Relation options whose ids a "Derived from" row also names (a model's base models, its data).
_SUBSUMED = {"base": "model", "data": "dataset"}


def shown_as_derived(option: str, ids: list[str], derived: DerivedOption | None) -> bool:
    """Whether the "Derived from" row already names every id of a ``:base:`` or ``:data:`` option.

    Alpaca's "Based on: LLaMA" and "Training data: Alpaca 52K" would repeat its "Derived from"
    row, which also says how and on what evidence; the repeated rows are left out.
    """
    objtype = _SUBSUMED.get(option)
    if objtype is None or derived is None or not ids:
        return False
    named = {item.parent.lower() for item in derived.items if item.parent_type == objtype}
    return all(entry_id.lower() in named for entry_id in ids)


def parents_of(entry: Entry) -> list[Derivation]:
    """An entry's parents as written: ``:derived:`` first, then ``:base:`` ids not named there."""
    found = list(entry.lineage)
    named = {(item.parent_type, item.parent.lower()) for item in found}
    for base in entry.relations.get("base", ()):
        if ("model", base.lower()) not in named:
            found.append(Derivation("model", base, "fine-tune", ""))
    return found


@dataclass(frozen=True)
class LineageEdge:
    """One derivation between two entries of the collection: source → derived."""

    source: Entry
    target: Entry
    kind: str
    evidence: str


def close_ids(collection: Collection, objtype: str, wrong: str) -> list[str]:
    """Ids of this type that look like a mistyped one."""
    ids = [entry.id for entry in collection.by_type.get(objtype, [])]
    return difflib.get_close_matches(wrong, ids, n=2, cutoff=0.6)


def lineage_edges(collection: Collection) -> list[LineageEdge]:
    """Every derivation between entries of the site, once, in a stable order (computed once per build)."""

    def compute() -> list[LineageEdge]:
        edges: list[LineageEdge] = []
        for entry in collection.entries:
            seen: set[tuple[tuple[str, str], str]] = set()
            for item in parents_of(entry):
                parent = collection.by_key.get((item.parent_type, item.parent.lower()))
                if parent is None or parent.key == entry.key or (parent.key, item.kind) in seen:
                    continue
                seen.add((parent.key, item.kind))
                edges.append(LineageEdge(parent, entry, item.kind, item.evidence))
        return edges

    return collection.memoized(("lineage-edges",), compute)


def edges_json(collection: Collection) -> list[dict[str, str]]:
    """``papers.json``'s ``edges``: source → derived, with the kind and (when given) the evidence link."""
    edges = []
    for edge in lineage_edges(collection):
        item = {
            "source": edge.source.id,
            "source_type": edge.source.objtype,
            "target": edge.target.id,
            "target_type": edge.target.objtype,
            "kind": edge.kind,
        }
        if edge.evidence:
            item["evidence"] = edge.evidence
        edges.append(item)
    return edges
