"""The lineage graph: how each model was derived from which models and data, on what evidence.

The arrows are the typed edges of :mod:`papernotes.lineage_kinds` (``:derived:``, and ``:base:``
as a plain fine-tune); each kind is drawn with its own line style and arrowhead, named in a legend
(shape and words, never colour alone), and every edge is also said in words with its evidence link
in a list after the graph. Datasets on an edge are drawn as pill-shaped boxes.

``{lineage-graph}`` (optionally ``:family: <id>``) draws the models as an inline SVG written at
build time (no JavaScript, no system binary), laid out by :mod:`.lineage_layout`; each page fills
in links relative to itself. Every box links to its model's entry, in the order of the drawing;
colours come from the theme's CSS variables so the graph reads in light and dark mode alike. What
the arrows say is also said in words (the list of relations with their evidence, and a visible
line naming the models that have no relative in the graph). The graph keeps its size on a phone and
scrolls sideways in a labelled region a keyboard can focus.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes import nodes as pn_nodes
from papernotes.lineage_kinds import KINDS
from papernotes.options import LenientOptionSpec, split_list
from papernotes.views.base import ViewDirective, page_unique_id, register_view, relative_uri
from papernotes.views.lineage_layout import NODE_HEIGHT, LineageLayout, lineage_layout, text_width

__all__ = ["LineageLayout", "lineage_layout", "text_width"]


def _path(points: tuple[tuple[float, float], ...]) -> str:
    """Smooth horizontal curves through the points (SVG path data)."""
    (x, y), rest = points[0], points[1:]
    commands = [f"M{x:g},{y:g}"]
    for next_x, next_y in rest:
        middle = (x + next_x) / 2
        commands.append(f"C{middle:g},{y:g} {middle:g},{next_y:g} {next_x:g},{next_y:g}")
        x, y = next_x, next_y
    return " ".join(commands)


def _graph_name(layout: LineageLayout) -> str:
    return "Model lineage" + (f" of the {layout.family} family" if layout.family else "")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _said(layout: LineageLayout) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Per derived box, in the order of the drawing: its name and (phrase, parent's name, evidence) per edge."""
    boxes = {model.id: model for model in layout.models}
    parents: dict[str, list[tuple[str, str, str]]] = {}
    for edge in layout.edges:
        phrase = KINDS[edge.kind].says(boxes[edge.target].objtype)
        parents.setdefault(edge.target, []).append((phrase, boxes[edge.source].said, edge.evidence))
    return [(model.said, parents[model.id]) for model in layout.models if model.id in parents]


def relations_in_words(layout: LineageLayout) -> list[str]:
    """What the arrows say, one sentence per derived entry: "Alpaca: fine-tuned from LLaMA; trained on …"."""
    return [
        f"{label}: {'; '.join(f'{phrase} {parent}' for phrase, parent, _ in said)}." for label, said in _said(layout)
    ]


def _relations_list(layout: LineageLayout, prefix: str) -> nodes.Element:
    """Every edge in words, each with its evidence link, in a disclosure after the graph."""
    items = nodes.bullet_list(classes=["pn-lineage-relations"], ids=[f"{prefix}-relations"])
    for label, said in _said(layout):
        paragraph = nodes.paragraph("", f"{label}: ")
        for index, (phrase, parent, evidence) in enumerate(said):
            paragraph += nodes.Text(("; " if index else "") + f"{phrase} {parent}")
            if evidence:
                paragraph += nodes.Text(" (")
                paragraph += nodes.reference("evidence", "evidence", refuri=evidence, classes=["pn-evidence"])
                paragraph += nodes.Text(")")
        paragraph += nodes.Text(".")
        items += nodes.list_item("", paragraph)
    count = len(layout.edges)
    heading = f"The graph in words ({count} {'relation' if count == 1 else 'relations'}, with their evidence)"
    return pn_nodes.details("", pn_nodes.summary(heading, heading), items, classes=["pn-lineage-words"])


def standalone_line(layout: LineageLayout) -> str:
    """A sentence naming the models drawn without any arrow, or nothing when every model has one."""
    linked = {edge.source for edge in layout.edges} | {edge.target for edge in layout.edges}
    alone = [model.label for model in layout.models if model.id not in linked]
    if not alone:
        return ""
    if len(alone) == 1:
        return (
            f"{alone[0]} has no relative here: it is based on no model of the collection, "
            "and no model here is built on it."
        )
    return (
        f"{_and(alone)} have no relative here: none of them is based on a model of the collection, "
        "and no model here is built on them."
    )


def svg_markup(app: Sphinx, docname: str, layout: LineageLayout, prefix: str) -> str:
    """The inline SVG of a layout in its scrolling frame, with links relative to the page (built as XML)."""
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
            "aria-describedby": f"{prefix}-desc",
        },
    )
    title = ET.SubElement(svg, "title", {"id": f"{prefix}-title"})
    title.text = _graph_name(layout)
    relations = len(layout.edges)
    models = sum(model.objtype == "model" for model in layout.models)
    description = f"{models} {'model' if models == 1 else 'models'}"
    datasets = len(layout.models) - models
    if datasets:
        description += f", {datasets} {'dataset' if datasets == 1 else 'datasets'}"
    if relations:
        description += (
            f" and {relations} {'relation' if relations == 1 else 'relations'}, each said in words after the graph"
        )
    ET.SubElement(svg, "desc", {"id": f"{prefix}-desc"}).text = description + "; each box links to its entry."
    defs = ET.SubElement(svg, "defs")
    for kind_id in _kinds_drawn(layout):
        _add_marker(defs, f"{prefix}-{kind_id}", kind_id)
    boxes_by_id = {model.id: model for model in layout.models}
    edges = ET.SubElement(svg, "g", {"class": "pn-lineage-edges", "aria-hidden": "true"})
    for edge in layout.edges:
        kind = KINDS[edge.kind]
        attributes = {
            "d": _path(edge.points),
            "class": f"pn-lineage-edge pn-lineage-kind-{kind.id}",
            "marker-end": f"url(#{prefix}-{kind.id})",
        }
        if kind.dash:
            attributes["stroke-dasharray"] = kind.dash
        path = ET.SubElement(edges, "path", attributes)
        target = boxes_by_id[edge.target]
        ET.SubElement(
            path, "title"
        ).text = f"{target.said}: {kind.says(target.objtype)} {boxes_by_id[edge.source].said}"
    boxes = ET.SubElement(svg, "g", {"class": "pn-lineage-nodes"})
    for model in layout.models:
        uri = relative_uri(app, docname, model.docname, model.anchor) or ""
        classes = "pn-lineage-node" + (" pn-lineage-outside" if model.outside else "")
        classes += " pn-lineage-dataset" if model.objtype == "dataset" else ""
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
                "rx": f"{NODE_HEIGHT / 2:g}" if model.objtype == "dataset" else "6",
            },
        )
        text = ET.SubElement(
            link,
            "text",
            {"x": f"{model.x:g}", "y": f"{model.y:g}", "text-anchor": "middle", "dominant-baseline": "central"},
        )
        text.text = model.label
    # the graph keeps its size (labels stay legible on a phone) and scrolls sideways in a region
    # a keyboard can focus and a screen reader can name
    frame = ET.Element(
        "div",
        {
            "class": "pn-lineage-scroll",
            "role": "region",
            "tabindex": "0",
            "aria-label": f"{_graph_name(layout)} (scrolls sideways)",
        },
    )
    frame.append(svg)
    return ET.tostring(frame, encoding="unicode", short_empty_elements=True)


def _text_fallback(layout: LineageLayout) -> nodes.bullet_list:
    """For builders without SVG: one line per derived entry, as the relations are said in words."""
    items = nodes.bullet_list()
    for line in relations_in_words(layout):
        items += nodes.list_item("", nodes.paragraph(line, line))
    return items


def _kinds_drawn(layout: LineageLayout) -> list[str]:
    """The kinds of the graph's edges, in the order :data:`KINDS` declares them."""
    used = {edge.kind for edge in layout.edges}
    return [kind for kind in KINDS if kind in used]


def _add_marker(parent: ET.Element, marker_id: str, kind_id: str) -> None:
    """An arrowhead of a kind's shape (filled or open)."""
    kind = KINDS[kind_id]
    marker = ET.SubElement(
        parent,
        "marker",
        {
            "id": marker_id,
            "viewBox": "-1 -1 12 12",
            "refX": "10",
            "refY": "5",
            "markerWidth": "9",
            "markerHeight": "9",
            "orient": "auto",
            "markerUnits": "userSpaceOnUse",
        },
    )
    classes = "pn-lineage-arrowhead" + ("" if kind.filled else " pn-lineage-arrowhead-open")
    ET.SubElement(marker, "path", {"d": kind.marker, "class": classes})


def legend_markup(layout: LineageLayout, prefix: str) -> str:
    """The legend: a sample of each kind's line and arrowhead with its name, and what the box shapes mean."""
    listing = ET.Element("ul", {"class": "pn-lineage-kinds", "aria-label": "Kinds of derivation in the graph"})
    for kind_id in _kinds_drawn(layout):
        kind = KINDS[kind_id]
        item = ET.SubElement(listing, "li", {"class": f"pn-lineage-kind pn-lineage-kind-{kind.id}"})
        sample = ET.SubElement(
            item,
            "svg",
            {"xmlns": "http://www.w3.org/2000/svg", "width": "44", "height": "12", "viewBox": "0 0 44 12"},
        )
        sample.set("aria-hidden", "true")
        _add_marker(ET.SubElement(sample, "defs"), f"{prefix}-legend-{kind.id}", kind.id)
        attributes = {"d": "M2,6 L40,6", "class": "pn-lineage-sample", "marker-end": f"url(#{prefix}-legend-{kind.id})"}
        if kind.dash:
            attributes["stroke-dasharray"] = kind.dash
        ET.SubElement(sample, "path", attributes)
        ET.SubElement(item, "span").text = kind.label
    return ET.tostring(listing, encoding="unicode", short_empty_elements=True)


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
    legend = "Arrows run from a parent to what was derived from it; each box links to its entry."
    if any(model.objtype == "dataset" for model in layout.models):
        legend += " Pill-shaped boxes are datasets."
    if spec["family"]:
        legend += " Dashed boxes are relatives from other families."
    block += nodes.paragraph(legend, legend, classes=["pn-lineage-legend"])
    if layout.edges:
        block += nodes.raw("", legend_markup(layout, prefix), format="html")
        block += _relations_list(layout, prefix)
    alone = standalone_line(layout)
    if alone:
        block += nodes.paragraph(alone, alone, classes=["pn-lineage-standalone"])
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
