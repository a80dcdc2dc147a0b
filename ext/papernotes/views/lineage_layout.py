"""The lineage graph's layout: where each model's box and each arrow go, once per build and family.

The boxes are the models, and the datasets that a typed ``:derived:`` edge connects (data a model
was trained on, data a teacher generated); the arrows are the typed edges of
:func:`papernotes.lineage_kinds.lineage_edges`, each with its kind and evidence. They are drawn as
a layered graph, left to right from base models to the models built on them. The layout comes from
grandalf's Sugiyama layout (the algorithm behind graphviz's ``dot``), in pure Python; each
connected group is laid out and the groups are stacked, lone models in wrapped rows below. Models
are listed in the order a reader sees them (group by group, left to right, top to bottom), which is
the order of the boxes' links for the keyboard.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from grandalf.graphs import Edge, Vertex, graph_core
from grandalf.layouts import SugiyamaLayout
from sphinx.environment import BuildEnvironment

from papernotes.collection import Collection, collection_of
from papernotes.domain import Entry
from papernotes.lineage_kinds import LineageEdge, lineage_edges

__all__ = [
    "NODE_HEIGHT",
    "LineageLayout",
    "PlacedEdge",
    "PlacedModel",
    "compute_layout",
    "lineage_layout",
    "text_width",
]

NODE_HEIGHT = 28.0
NODE_PADDING = 12.0
FONT_SIZE = 13.0
ROW_GAP = 10.0
COLUMN_GAP = 56.0
COMPONENT_GAP = 22.0
MARGIN = 6.0
MAX_LABEL = 28


@dataclass(frozen=True)
class PlacedModel:
    """A model's (or dataset's) box: centre, size, label and the entry it links to; ``id`` is ``type:id``."""

    id: str
    label: str
    title: str
    docname: str
    anchor: str
    x: float
    y: float
    width: float
    outside: bool
    objtype: str = "model"
    #: the whole short name, as the relations in words say it (``label`` may be cut to fit the box).
    said: str = ""


@dataclass(frozen=True)
class PlacedEdge:
    """An arrow from a parent to the entry derived from it, through the layout's bend points."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    kind: str = "fine-tune"
    evidence: str = ""


@dataclass(frozen=True)
class LineageLayout:
    """The laid-out graph, in pixels; the same for every page that shows it in a build."""

    width: float
    height: float
    models: tuple[PlacedModel, ...]
    edges: tuple[PlacedEdge, ...]
    family: str


class _View:
    """The size and position grandalf reads and writes for each vertex."""

    def __init__(self, width: float, height: float) -> None:
        self.w, self.h = width, height
        self.xy = (0.0, 0.0)


def text_width(text: str) -> float:
    """An estimate of a label's width: wide (CJK) characters count double."""
    units = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return units * FONT_SIZE * 0.6


def _label(entry: Entry) -> str:
    label = entry.short or entry.id
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _acyclic_edges(keys: list[str], edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop the edges that close a loop (reported by the collection check), in a stable order."""
    outgoing: dict[str, list[str]] = {key: [] for key in keys}
    for source, target in edges:
        outgoing[source].append(target)
    state: dict[str, int] = {}
    kept: list[tuple[str, str]] = []
    for start in keys:
        if start in state:
            continue
        stack = [(start, iter(outgoing[start]))]
        state[start] = 1
        while stack:
            key, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[key] = 2
                stack.pop()
                continue
            if state.get(child) == 1:
                continue
            kept.append((key, child))
            if child not in state:
                state[child] = 1
                stack.append((child, iter(outgoing[child])))
    keep = set(kept)
    return [edge for edge in edges if edge in keep]


def _components(keys: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for source, target in edges:
        first, second = find(source), find(target)
        if first != second:
            parent[max(first, second)] = min(first, second)
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(find(key), []).append(key)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def _layout_component(
    keys: list[str], edges: list[tuple[str, str]], widths: dict[str, float]
) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], list[tuple[float, float]]]]:
    """Sugiyama layout of one connected group, turned so layers run left to right."""
    vertices = {key: Vertex(key) for key in keys}
    for key, vertex in vertices.items():
        vertex.view = _View(NODE_HEIGHT, widths[key])  # grandalf's layers run downwards: swap the axes
    graph_edges = {(source, target): Edge(vertices[source], vertices[target]) for source, target in edges}
    core = graph_core(list(vertices.values()), list(graph_edges.values()))
    layout = SugiyamaLayout(core)
    layout.xspace, layout.yspace = ROW_GAP, COLUMN_GAP
    targets = {target for _, target in edges}
    roots = [vertices[key] for key in keys if key not in targets]
    layout.init_all(roots=roots, inverted_edges=[])
    layout.draw()
    centres = {key: (vertex.view.xy[1], vertex.view.xy[0]) for key, vertex in vertices.items()}
    bends: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for pair, edge in graph_edges.items():
        control = layout.ctrls.get(edge, {})
        bends[pair] = [
            (control[rank].view.xy[1], control[rank].view.xy[0])
            for rank in sorted(control)
            if control[rank] not in (edge.v[0], edge.v[1])
        ]
    return centres, bends


def _node(entry: Entry) -> str:
    return f"{entry.objtype}:{entry.id.lower()}"


def _choose(collection: Collection, family: str) -> tuple[dict[str, Entry], list[LineageEdge]]:
    """The boxes to draw and the edges between them.

    Every model of the site and every dataset on an edge; or a family's own (models, and its
    datasets on an edge) with the entries one edge away in other families.
    """
    edges = lineage_edges(collection)
    on_edge = {_node(edge.source) for edge in edges} | {_node(edge.target) for edge in edges}
    drawn = [
        entry
        for objtype in ("model", "dataset")
        for entry in collection.by_type.get(objtype, [])
        if entry.objtype == "model" or _node(entry) in on_edge
    ]
    if family:
        own = {_node(entry) for entry in drawn if entry.family == family}
        near = {_node(edge.source) for edge in edges if _node(edge.target) in own}
        near |= {_node(edge.target) for edge in edges if _node(edge.source) in own}
        drawn = [entry for entry in drawn if _node(entry) in own | near]
    chosen = {_node(entry): entry for entry in sorted(drawn, key=lambda entry: entry.key)}
    return chosen, [edge for edge in edges if _node(edge.source) in chosen and _node(edge.target) in chosen]


Points = dict[tuple[str, str], list[tuple[float, float]]]


def _arrange(
    keys: list[str], edges: list[tuple[str, str]], widths: dict[str, float]
) -> tuple[dict[str, tuple[float, float]], Points, float, float]:
    """Lay out each connected group and stack the groups; lone models go in wrapped rows below."""
    centres: dict[str, tuple[float, float]] = {}
    bends: Points = {}
    top, width = MARGIN, 0.0
    groups = _components(keys, edges)
    group_of = {key: index for index, group in enumerate(groups) for key in group}
    edges_of: dict[int, list[tuple[str, str]]] = {}
    for edge in edges:
        edges_of.setdefault(group_of[edge[0]], []).append(edge)
    for index, group in enumerate(groups):
        if len(group) == 1:
            continue
        placed, routed = _layout_component(group, edges_of[index], widths)
        shift_x = MARGIN - min(x - widths[key] / 2 for key, (x, _) in placed.items())
        shift_y = top - (min(y for _, y in placed.values()) - NODE_HEIGHT / 2)
        for key, (x, y) in placed.items():
            centres[key] = (x + shift_x, y + shift_y)
        for pair, points in routed.items():
            bends[pair] = [(x + shift_x, y + shift_y) for x, y in points]
        width = max(width, max(centres[key][0] + widths[key] / 2 for key in group) + MARGIN)
        top = max(centres[key][1] for key in group) + NODE_HEIGHT / 2 + COMPONENT_GAP
    singles = [group[0] for group in groups if len(group) == 1]
    if singles:
        limit = max(width, 560.0)
        x, row_top = MARGIN, top
        for key in singles:
            if x > MARGIN and x + widths[key] > limit - MARGIN:
                x, row_top = MARGIN, row_top + NODE_HEIGHT + ROW_GAP
            centres[key] = (x + widths[key] / 2, row_top + NODE_HEIGHT / 2)
            x += widths[key] + ROW_GAP
            width = max(width, x - ROW_GAP + MARGIN)
        top = row_top + NODE_HEIGHT + COMPONENT_GAP
    height = top - COMPONENT_GAP + MARGIN if keys else 0.0
    return centres, bends, width, height


def compute_layout(collection: Collection, family: str) -> LineageLayout:
    """Place the models of one family (with their direct relatives elsewhere), or of the whole site."""
    entries, typed = _choose(collection, family)
    keys = list(entries)
    # one route per pair of boxes (a second kind between the same two is drawn along it)
    edges = _acyclic_edges(keys, list(dict.fromkeys((_node(edge.source), _node(edge.target)) for edge in typed)))
    widths = {key: text_width(_label(entry)) + 2 * NODE_PADDING for key, entry in entries.items()}
    centres, bends, width, height = _arrange(keys, edges, widths)
    # the boxes in reading order: group by group as stacked, then left to right, top to bottom
    group_of = {key: index for index, group in enumerate(_components(keys, edges)) for key in group}
    drawn = sorted(entries.items(), key=lambda item: (group_of[item[0]], centres[item[0]][0], centres[item[0]][1]))
    placed_models = tuple(
        PlacedModel(
            id=key,
            label=_label(entry),
            title=f"{entry.name} ({collection.family(entry.family).label})" if entry.family else entry.name,
            docname=entry.docname,
            anchor=entry.anchor,
            x=round(centres[key][0], 1),
            y=round(centres[key][1], 1),
            width=round(widths[key], 1),
            outside=bool(family) and entry.family != family,
            objtype=entry.objtype,
            said=entry.short or entry.id,
        )
        for key, entry in drawn
    )
    routes = set(edges)
    placed_edges = []
    for edge in typed:
        source, target = _node(edge.source), _node(edge.target)
        if (source, target) not in routes:
            continue  # the edge closing a loop (reported by the checks) is not drawn
        (sx, sy), (tx, ty) = centres[source], centres[target]
        points = [(sx + widths[source] / 2, sy), *bends.get((source, target), []), (tx - widths[target] / 2, ty)]
        rounded = tuple((round(x, 1), round(y, 1)) for x, y in points)
        placed_edges.append(PlacedEdge(source, target, rounded, edge.kind, edge.evidence))
    return LineageLayout(round(width, 1), round(height, 1), placed_models, tuple(placed_edges), family)


def lineage_layout(env: BuildEnvironment, family: str) -> LineageLayout:
    """The layout of a family's (or the whole site's) lineage, computed once per build."""
    collection = collection_of(env)
    return collection.memoized(("lineage", family), lambda: compute_layout(collection, family))
