"""The model lineage graph: who was fine-tuned from whom, drawn from the models' ``:base:`` fields.

``{lineage-graph}`` (optionally ``:family: <id>``) draws the models as a layered graph, left to
right from base models to the models built on them, as an inline SVG written at build time: no
JavaScript and no system binary are needed to see it. The layout comes from grandalf's Sugiyama
layout (the algorithm behind graphviz's ``dot``), once per build and family; each page then only
fills in links relative to itself. Every box links to its model's entry, and colours come from the
theme's CSS variables so the graph reads in light and dark mode alike.
"""

from __future__ import annotations

import hashlib
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from grandalf.graphs import Edge, Vertex, graph_core
from grandalf.layouts import SugiyamaLayout
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import Collection, collection_of
from papernotes.domain import Entry
from papernotes.options import LenientOptionSpec, split_list
from papernotes.views.base import ViewDirective, page_unique_id, register_view, relative_uri

__all__ = ["LineageLayout", "lineage_layout"]

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
    """A model's box: centre, size, label and the entry it links to."""

    id: str
    label: str
    title: str
    docname: str
    anchor: str
    x: float
    y: float
    width: float
    outside: bool


@dataclass(frozen=True)
class PlacedEdge:
    """An arrow from a base model to a model built on it, through the layout's bend points."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]


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


def _choose(collection: Collection, family: str) -> dict[str, Entry]:
    """The models to draw: a family's own and their direct relatives, or every model."""
    models = collection.by_type.get("model", [])
    if not family:
        return {entry.key[1]: entry for entry in models}
    chosen = {entry.key: entry for entry in models if entry.family == family}
    for entry in list(chosen.values()):
        for other in [*collection.bases[entry.key], *collection.derived[entry.key]]:
            chosen.setdefault(other.key, other)
    return {key[1]: entry for key, entry in sorted(chosen.items())}


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
    entries = _choose(collection, family)
    keys = list(entries)
    edges = [
        (base.key[1], key)
        for key, entry in entries.items()
        for base in collection.bases[entry.key]
        if base.key[1] in entries
    ]
    edges = _acyclic_edges(keys, edges)
    widths = {key: text_width(_label(entry)) + 2 * NODE_PADDING for key, entry in entries.items()}
    centres, bends, width, height = _arrange(keys, edges, widths)
    placed_models = tuple(
        PlacedModel(
            id=entry.id,
            label=_label(entry),
            title=f"{entry.name} ({collection.family(entry.family).label})" if entry.family else entry.name,
            docname=entry.docname,
            anchor=entry.anchor,
            x=round(centres[key][0], 1),
            y=round(centres[key][1], 1),
            width=round(widths[key], 1),
            outside=bool(family) and entry.family != family,
        )
        for key, entry in entries.items()
    )
    placed_edges = []
    for source, target in edges:
        (sx, sy), (tx, ty) = centres[source], centres[target]
        points = [(sx + widths[source] / 2, sy), *bends.get((source, target), []), (tx - widths[target] / 2, ty)]
        placed_edges.append(
            PlacedEdge(entries[source].id, entries[target].id, tuple((round(x, 1), round(y, 1)) for x, y in points))
        )
    return LineageLayout(round(width, 1), round(height, 1), placed_models, tuple(placed_edges), family)


def lineage_layout(env: BuildEnvironment, family: str) -> LineageLayout:
    """The layout of a family's (or the whole site's) lineage, computed once per build."""
    collection = collection_of(env)
    return collection.memoized(("lineage", family), lambda: compute_layout(collection, family))


def _path(points: tuple[tuple[float, float], ...]) -> str:
    """Smooth horizontal curves through the points (SVG path data)."""
    (x, y), rest = points[0], points[1:]
    commands = [f"M{x:g},{y:g}"]
    for next_x, next_y in rest:
        middle = (x + next_x) / 2
        commands.append(f"C{middle:g},{y:g} {middle:g},{next_y:g} {next_x:g},{next_y:g}")
        x, y = next_x, next_y
    return " ".join(commands)


def svg_markup(app: Sphinx, docname: str, layout: LineageLayout, prefix: str) -> str:
    """The inline SVG of a layout, with links relative to the page (built as XML, not by pasting strings)."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "pn-lineage-svg",
            "viewBox": f"0 0 {layout.width:g} {layout.height:g}",
            "width": f"{layout.width:g}",
            "height": f"{layout.height:g}",
            "role": "group",
            "aria-labelledby": f"{prefix}-title",
        },
    )
    title = ET.SubElement(svg, "title", {"id": f"{prefix}-title"})
    title.text = "Model lineage" + (f" of the {layout.family} family" if layout.family else "")
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs,
        "marker",
        {
            "id": f"{prefix}-arrow",
            "viewBox": "0 0 10 10",
            "refX": "10",
            "refY": "5",
            "markerWidth": "7",
            "markerHeight": "7",
            "orient": "auto",
        },
    )
    ET.SubElement(marker, "path", {"d": "M0,0 L10,5 L0,10 z", "class": "pn-lineage-arrowhead"})
    edges = ET.SubElement(svg, "g", {"class": "pn-lineage-edges"})
    for edge in layout.edges:
        path = ET.SubElement(
            edges,
            "path",
            {"d": _path(edge.points), "class": "pn-lineage-edge", "marker-end": f"url(#{prefix}-arrow)"},
        )
        ET.SubElement(path, "title").text = f"{edge.target} is based on {edge.source}"
    boxes = ET.SubElement(svg, "g", {"class": "pn-lineage-nodes"})
    for model in layout.models:
        uri = relative_uri(app, docname, model.docname, model.anchor) or ""
        classes = "pn-lineage-node" + (" pn-lineage-outside" if model.outside else "")
        link = ET.SubElement(boxes, "a", {"href": uri, "class": classes})
        ET.SubElement(link, "title").text = model.title
        ET.SubElement(
            link,
            "rect",
            {
                "x": f"{model.x - model.width / 2:g}",
                "y": f"{model.y - NODE_HEIGHT / 2:g}",
                "width": f"{model.width:g}",
                "height": f"{NODE_HEIGHT:g}",
                "rx": "6",
            },
        )
        text = ET.SubElement(
            link,
            "text",
            {"x": f"{model.x:g}", "y": f"{model.y:g}", "text-anchor": "middle", "dominant-baseline": "central"},
        )
        text.text = model.label
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def _text_fallback(layout: LineageLayout) -> nodes.bullet_list:
    """For builders without SVG: one line per derivation."""
    names = {model.id: model.label for model in layout.models}
    items = nodes.bullet_list()
    for edge in layout.edges:
        line = f"{names[edge.target]} ← {names[edge.source]}"
        items += nodes.list_item("", nodes.paragraph(line, line))
    return items


def render_lineage(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The graph for one page: the build's layout with links relative to that page."""
    layout = lineage_layout(app.env, spec["family"])
    block = nodes.container(classes=["pn-lineage"])
    if not layout.models:
        block += nodes.paragraph("", "No models to show yet.", classes=["pn-empty"])
        return [block]
    if app.builder.format != "html":
        block += _text_fallback(layout)
        return [block]
    prefix = page_unique_id(app, docname, "pn-lineage")
    block += nodes.raw("", svg_markup(app, docname, layout, prefix), format="html")
    legend = "Arrows run from a model to the models built on it; each box links to the model's entry."
    if spec["family"]:
        legend += " Dashed boxes are relatives from other families."
    block += nodes.paragraph(legend, legend, classes=["pn-lineage-legend"])
    return [block]


def fingerprint_lineage(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the graph shows: its layout (which names every model's page and anchor)."""
    return hashlib.sha1(repr(lineage_layout(env, spec["family"])).encode("utf-8")).hexdigest()


class LineageGraphDirective(ViewDirective):
    """``{lineage-graph}``: the lineage of every model, or with ``:family:`` of one family's models."""

    option_spec = LenientOptionSpec({"family": lambda value: (value or "").strip()})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        families = split_list(self.options.get("family"))
        if len(families) > 1:
            self.warn("value", ":family: takes one family")
        family = families[0] if families else ""
        self.check_family(family)
        return [self.view("lineage", {"family": family})]


def setup(app: Sphinx) -> None:
    """Register the directive and the lineage view."""
    app.add_directive("lineage-graph", LineageGraphDirective)
    register_view("lineage", render_lineage, fingerprint_lineage)
