"""The model lineage graph: who was fine-tuned from whom, drawn from the models' ``:base:`` fields.

``{lineage-graph}`` (optionally ``:family: <id>``) draws the models as an inline SVG written at
build time (no JavaScript, no system binary), laid out by :mod:`.lineage_layout`; each page fills
in links relative to itself. Every box links to its model's entry, in the order of the drawing;
colours come from the theme's CSS variables so the graph reads in light and dark mode alike. What
the arrows say is also said in words (a list of relations for screen readers, and a visible line
naming the models that have no relative in the graph). The graph keeps its size on a phone and
scrolls sideways in a labelled region a keyboard can focus.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

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


def relations_in_words(layout: LineageLayout) -> list[str]:
    """What the arrows say, one sentence per model built on others, in the order of the drawing."""
    names = {model.id: model.label for model in layout.models}
    bases: dict[str, list[str]] = {}
    for edge in layout.edges:
        bases.setdefault(edge.target, []).append(names[edge.source])
    return [f"{model.label} is based on {_and(bases[model.id])}." for model in layout.models if model.id in bases]


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
    description = f"{len(layout.models)} {'model' if len(layout.models) == 1 else 'models'}"
    if relations:
        description += (
            f" and {relations} {'relation' if relations == 1 else 'relations'}, each said in words after the graph"
        )
    ET.SubElement(svg, "desc", {"id": f"{prefix}-desc"}).text = description + "; each box links to the model's entry."
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
    names = {model.id: model.label for model in layout.models}
    edges = ET.SubElement(svg, "g", {"class": "pn-lineage-edges", "aria-hidden": "true"})
    for edge in layout.edges:
        path = ET.SubElement(
            edges,
            "path",
            {"d": _path(edge.points), "class": "pn-lineage-edge", "marker-end": f"url(#{prefix}-arrow)"},
        )
        ET.SubElement(path, "title").text = f"{names[edge.target]} is based on {names[edge.source]}"
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
    sentences = relations_in_words(layout)
    if sentences:
        words = nodes.bullet_list(classes=["pn-lineage-relations", "pn-sr-only"], ids=[f"{prefix}-relations"])
        for sentence in sentences:
            words += nodes.list_item("", nodes.paragraph(sentence, sentence))
        block += words
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
