"""The timeline figure: how many papers each year brought, by family, as an inline SVG.

``{paper-timeline}`` (options ``:types:``, default ``paper``, and ``:family:``) draws one stacked
bar per year, a segment per family, from the collection of the build. Each bar links to that
year in the year index (one link per year, which says its counts in words). Family colours are
fixed tones with at least 3:1 contrast on light and dark backgrounds, each with its own pattern so
the families differ without colour; text and axes take the theme's colours. The figure keeps its
size on a phone and scrolls sideways in a labelled region a keyboard can focus.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import collection_of
from papernotes.entrytypes import ENTRY_TYPES
from papernotes.listings import year_page
from papernotes.options import LenientOptionSpec, split_list
from papernotes.views.base import ViewDirective, page_unique_id, register_view, relative_uri
from papernotes.views.lineage import text_width

__all__ = ["TimelineData", "timeline_data"]

#: Colour-blind-safe hues (after Okabe and Ito) darkened or lightened until each has a contrast of
#: at least 3:1 both against white and against furo's dark background (#131416).
PALETTE = (
    "#0072B2",
    "#B86E00",
    "#008A63",
    "#C0509A",
    "#2A7FC0",
    "#D55E00",
    "#857800",
    "#8C6BB1",
    "#55891A",
    "#A6761D",
    "#16866A",
    "#7A7A7A",
)
#: A pattern per family (white strokes over the colour), so families differ without colour too:
#: SVG path data in a 8x8 tile; the first family is plain.
PATTERNS = (
    "",
    "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6",
    "M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2",
    "M0,2 H8 M0,6 H8",
    "M2,0 V8 M6,0 V8",
    "M2,2 h0.01 M6,6 h0.01",
    "M0,8 L8,0 M0,0 L8,8",
    "M0,4 H8 M4,0 V8",
    "M0,4 L4,0 L8,4",
    "M1,1 h0.01 M5,1 h0.01 M3,5 h0.01 M7,5 h0.01",
    "M0,0 H8 M0,4 H4 M4,4 V8",
    "M0,0 H4 V4 H0 Z M4,4 H8 V8 H4 Z",
)
PLOT_HEIGHT = 160.0
LEFT = 34.0
RIGHT = 8.0
TOP = 18.0
AXIS = 22.0
LEGEND_ROW = 22.0
MIN_WIDTH = 560.0
SLOT = 56.0


@dataclass(frozen=True)
class TimelineData:
    """Counts per year and family, with the family labels and colours the figure uses."""

    types: tuple[str, ...]
    years: tuple[str, ...]
    families: tuple[tuple[str, str, str, int], ...]  # id, label, colour, pattern
    counts: tuple[tuple[str, str, int], ...]  # year, family id, count
    undated: int


def timeline_data(env: BuildEnvironment, spec: dict[str, Any]) -> TimelineData:
    """Count the chosen entries per year and family, once per build for each distinct figure."""
    collection = collection_of(env)

    def compute() -> TimelineData:
        types = tuple(spec["types"]) or ("paper",)
        counts: dict[tuple[str, str], int] = {}
        undated = 0
        for objtype in types:
            for entry in collection.by_type.get(objtype, []):
                if spec["family"] and entry.family != spec["family"]:
                    continue
                if not entry.year:
                    undated += 1
                    continue
                counts[entry.year, entry.family] = counts.get((entry.year, entry.family), 0) + 1
        order = list(collection.families)
        present = {family for _, family in counts}
        family_ids = [family for family in order if family in present]
        family_ids += sorted(present - set(family_ids))
        colours = {family: PALETTE[order.index(family) % len(PALETTE)] for family in order}
        patterns = {family: order.index(family) % len(PATTERNS) for family in order}
        families = tuple(
            (
                family,
                collection.family(family).label if family else "no family",
                colours.get(family, PALETTE[-1]),
                patterns.get(family, len(PATTERNS) - 1),
            )
            for family in family_ids
        )
        dated = sorted({int(year) for year, _ in counts if year.isdigit()})
        # Every year between the first and the last, so gaps show as gaps.
        years = tuple(str(year) for year in range(dated[0], dated[-1] + 1)) if dated else ()
        ordered = tuple(
            (year, family, counts[year, family]) for year in years for family in family_ids if (year, family) in counts
        )
        return TimelineData(types, years, families, ordered, undated)

    return collection.memoized(("timeline", repr(sorted(spec.items()))), compute)


def _noun(types: tuple[str, ...], count: int) -> str:
    if types == ("paper",):
        return "paper" if count == 1 else "papers"
    return "entry" if count == 1 else "entries"


def _patterns(svg: ET.Element, data: TimelineData, prefix: str) -> None:
    defs = ET.SubElement(svg, "defs")
    for pattern in sorted({pattern for *_, pattern in data.families if PATTERNS[pattern]}):
        tile = ET.SubElement(
            defs,
            "pattern",
            {"id": f"{prefix}-p{pattern}", "width": "8", "height": "8", "patternUnits": "userSpaceOnUse"},
        )
        ET.SubElement(tile, "path", {"d": PATTERNS[pattern], "class": "pn-timeline-hatch"})


def _swatch(parent: ET.Element, box: dict[str, str], colour: str, pattern: int, prefix: str) -> None:
    """A rectangle in the family's colour, with its pattern over it."""
    ET.SubElement(parent, "rect", {**box, "fill": colour, "class": "pn-timeline-segment"})
    if PATTERNS[pattern]:
        ET.SubElement(parent, "rect", {**box, "fill": f"url(#{prefix}-p{pattern})"})


def _legend(svg: ET.Element, data: TimelineData, width: float, columns: int, top: float, prefix: str) -> None:
    """A swatch and a label per family, in as many columns as the longest label allows."""
    legend = ET.SubElement(svg, "g", {"class": "pn-timeline-legend", "aria-hidden": "true"})
    column_width = (width - LEFT) / columns
    for index, (_, label, colour, pattern) in enumerate(data.families):
        row, column = divmod(index, columns)
        x = LEFT + column * column_width
        y = top + row * LEGEND_ROW + 4
        box = {"x": f"{x:.1f}", "y": f"{y:g}", "width": "14", "height": "14"}
        _swatch(legend, box, colour, pattern, prefix)
        text = ET.SubElement(legend, "text", {"x": f"{x + 19:.1f}", "y": f"{y + 7:g}", "dominant-baseline": "central"})
        text.text = label


def year_label(data: TimelineData, year: str, total: int) -> str:
    """What a year's bar says in words: its total, then each family's count."""
    labels = {family: label for family, label, _, _ in data.families}
    parts = [f"{labels[family]} {count}" for when, family, count in data.counts if when == year]
    return f"{year}: {total} {_noun(data.types, total)}" + (f" ({', '.join(parts)})" if parts else "")


def _axis(svg: ET.Element, highest: int, scale: float, width: float) -> None:
    """Grid lines and their counts, for sighted readers only (each bar says its counts)."""
    axis = ET.SubElement(svg, "g", {"class": "pn-timeline-axis", "aria-hidden": "true"})
    base = TOP + PLOT_HEIGHT
    step = max(1, -(-highest // 4))
    for value in range(0, highest + 1, step):
        y = base - value * scale
        ET.SubElement(axis, "line", {"x1": f"{LEFT:g}", "x2": f"{width - RIGHT:g}", "y1": f"{y:g}", "y2": f"{y:g}"})
        label = ET.SubElement(
            axis, "text", {"x": f"{LEFT - 6:g}", "y": f"{y:g}", "text-anchor": "end", "dominant-baseline": "central"}
        )
        label.text = str(value)


def svg_markup(app: Sphinx, docname: str, data: TimelineData, prefix: str) -> str:
    """The stacked bar chart as inline SVG in its scrolling frame, built as XML; one link per year."""
    totals = {year: 0 for year in data.years}
    for year, _, count in data.counts:
        totals[year] += count
    highest = max(*totals.values(), 1)
    width = max(MIN_WIDTH, LEFT + RIGHT + SLOT * len(data.years))
    slot = (width - LEFT - RIGHT) / len(data.years)
    bar = min(38.0, slot * 0.7)
    longest = max(text_width(label) for _, label, _, _ in data.families)
    legend_columns = max(1, int((width - LEFT) // (longest + 28)))
    legend_rows = -(-len(data.families) // legend_columns)
    height = TOP + PLOT_HEIGHT + AXIS + legend_rows * LEGEND_ROW + 6
    scale = PLOT_HEIGHT / highest
    styles = {family: (colour, pattern) for family, _, colour, pattern in data.families}
    noun = _noun(data.types, 2)
    name = f"{noun.capitalize()} per year by family"

    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "pn-timeline-svg",
            "viewBox": f"0 0 {width:g} {height:g}",
            "width": f"{width:g}",
            "height": f"{height:g}",
            "role": "group",
            "aria-label": name,
        },
    )
    ET.SubElement(svg, "title").text = name
    summary = "; ".join(f"{year}: {totals[year]}" for year in data.years)
    ET.SubElement(svg, "desc").text = f"Number of {noun} per year: {summary}."
    _patterns(svg, data, prefix)
    _axis(svg, highest, scale, width)
    base = TOP + PLOT_HEIGHT
    bars = ET.SubElement(svg, "g", {"class": "pn-timeline-bars"})
    for index, year in enumerate(data.years):
        if not totals[year]:
            continue
        # one link (one Tab stop) per year, whatever the number of families in its bar
        link = ET.SubElement(
            bars,
            "a",
            {
                "href": relative_uri(app, docname, year_page(year)) or "",
                "aria-label": year_label(data, year, totals[year]),
            },
        )
        x = LEFT + slot * index + (slot - bar) / 2
        stacked = 0
        for when, family, count in data.counts:
            if when != year:
                continue
            top = base - (stacked + count) * scale
            stacked += count
            box = {"x": f"{x:.1f}", "y": f"{top:.1f}", "width": f"{bar:.1f}", "height": f"{count * scale:.1f}"}
            _swatch(link, box, *styles[family], prefix)
    for index, year in enumerate(data.years):
        centre = LEFT + slot * index + slot / 2
        if totals[year]:
            total = ET.SubElement(
                svg,
                "text",
                {"x": f"{centre:.1f}", "y": f"{base - totals[year] * scale - 4:.1f}", "class": "pn-total"},
            )
            total.set("text-anchor", "middle")
            total.set("aria-hidden", "true")
            total.text = str(totals[year])
        label = ET.SubElement(
            svg,
            "text",
            {"x": f"{centre:.1f}", "y": f"{base + 15:g}", "text-anchor": "middle", "class": "pn-year"},
        )
        label.set("aria-hidden", "true")
        label.text = year
    _legend(svg, data, width, legend_columns, base + AXIS, prefix)
    frame = ET.Element(
        "div",
        {"class": "pn-timeline-scroll", "role": "region", "tabindex": "0", "aria-label": f"{name} (scrolls sideways)"},
    )
    frame.append(svg)
    return ET.tostring(frame, encoding="unicode")


def render_timeline(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The figure for one page (a list of counts for builders without SVG)."""
    data = timeline_data(app.env, spec)
    block = nodes.container(classes=["pn-timeline"])
    if not data.years:
        block += nodes.paragraph("", "Nothing dated to show yet.", classes=["pn-empty"])
        return [block]
    if app.builder.format == "html":
        prefix = page_unique_id(app, docname, "pn-timeline")
        block += nodes.raw("", svg_markup(app, docname, data, prefix), format="html")
    else:
        items = nodes.bullet_list()
        for year in data.years:
            count = sum(count for when, _, count in data.counts if when == year)
            line = f"{year}: {count} {_noun(data.types, count)}"
            items += nodes.list_item("", nodes.paragraph(line, line))
        block += items
    if data.undated:
        note = f"{data.undated} {_noun(data.types, data.undated)} without a year are not shown."
        block += nodes.paragraph(note, note, classes=["pn-timeline-note"])
    return [block]


def fingerprint_timeline(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the figure shows: its counts, labels and colours."""
    return hashlib.sha1(repr(timeline_data(env, spec)).encode("utf-8")).hexdigest()


class TimelineDirective(ViewDirective):
    """``{paper-timeline}``: papers (or other entries, ``:types:``) per year by family."""

    option_spec = LenientOptionSpec({"types": lambda value: value or "", "family": lambda value: (value or "").strip()})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        types = split_list(self.options.get("types"))
        unknown = [name for name in types if name not in ENTRY_TYPES]
        if unknown:
            self.warn("value", f":types: {', '.join(unknown)} (known: {', '.join(ENTRY_TYPES)})")
        family = self.options.get("family", "")
        self.check_family(family)
        return [self.view("timeline", {"types": [name for name in ENTRY_TYPES if name in types], "family": family})]


def setup(app: Sphinx) -> None:
    """Register the directive and the timeline view."""
    app.add_directive("paper-timeline", TimelineDirective)
    register_view("timeline", render_timeline, fingerprint_timeline)
