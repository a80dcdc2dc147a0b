"""The timeline figure: how many papers each year brought, by family, as an inline SVG.

``{paper-timeline}`` (options ``:types:``, default ``paper``, and ``:family:``) draws one stacked
bar per year, a segment per family, from the collection of the build. Each segment links to that
year in the year index and says what it counts on hover. Family colours are fixed mid-tones that
read on light and dark backgrounds; text and axes take the theme's colours.
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
from papernotes.options import LenientOptionSpec, split_list
from papernotes.views.base import ViewDirective, register_view, relative_uri
from papernotes.views.lineage import text_width

__all__ = ["TimelineData", "timeline_data"]

#: Colour-blind-safe mid-tones (Okabe and Ito, then a few more) that read on light and dark pages.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#B8A200",
    "#8C6BB1",
    "#66A61E",
    "#A6761D",
    "#1B9E77",
    "#999999",
)
PLOT_HEIGHT = 160.0
LEFT = 34.0
RIGHT = 8.0
TOP = 18.0
AXIS = 22.0
LEGEND_ROW = 20.0
MIN_WIDTH = 560.0
SLOT = 56.0


@dataclass(frozen=True)
class TimelineData:
    """Counts per year and family, with the family labels and colours the figure uses."""

    types: tuple[str, ...]
    years: tuple[str, ...]
    families: tuple[tuple[str, str, str], ...]  # id, label, colour
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
        families = tuple(
            (
                family,
                collection.family(family).label if family else "no family",
                colours.get(family, PALETTE[-1]),
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


def _legend(svg: ET.Element, data: TimelineData, width: float, columns: int, top: float) -> None:
    """A swatch and a label per family, in as many columns as the longest label allows."""
    legend = ET.SubElement(svg, "g", {"class": "pn-timeline-legend"})
    column_width = (width - LEFT) / columns
    for index, (_, label, colour) in enumerate(data.families):
        row, column = divmod(index, columns)
        x = LEFT + column * column_width
        y = top + row * LEGEND_ROW + 6
        ET.SubElement(legend, "rect", {"x": f"{x:.1f}", "y": f"{y:g}", "width": "12", "height": "12", "fill": colour})
        text = ET.SubElement(legend, "text", {"x": f"{x + 17:.1f}", "y": f"{y + 6:g}", "dominant-baseline": "central"})
        text.text = label


def svg_markup(app: Sphinx, docname: str, data: TimelineData) -> str:
    """The stacked bar chart as inline SVG, built as XML."""
    totals = {year: 0 for year in data.years}
    for year, _, count in data.counts:
        totals[year] += count
    highest = max(*totals.values(), 1)
    width = max(MIN_WIDTH, LEFT + RIGHT + SLOT * len(data.years))
    slot = (width - LEFT - RIGHT) / len(data.years)
    bar = min(38.0, slot * 0.7)
    longest = max(text_width(label) for _, label, _ in data.families)
    legend_columns = max(1, int((width - LEFT) // (longest + 24)))
    legend_rows = -(-len(data.families) // legend_columns)
    height = TOP + PLOT_HEIGHT + AXIS + legend_rows * LEGEND_ROW + 6
    scale = PLOT_HEIGHT / highest
    labels = {family: label for family, label, _ in data.families}
    colours = {family: colour for family, _, colour in data.families}
    noun = _noun(data.types, 2)

    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "pn-timeline-svg",
            "viewBox": f"0 0 {width:g} {height:g}",
            "width": f"{width:g}",
            "height": f"{height:g}",
            "role": "group",
            "aria-label": f"{noun.capitalize()} per year by family",
        },
    )
    ET.SubElement(svg, "title").text = f"{noun.capitalize()} per year by family"
    summary = "; ".join(f"{year}: {totals[year]}" for year in data.years)
    ET.SubElement(svg, "desc").text = f"Number of {noun} per year: {summary}."
    axis = ET.SubElement(svg, "g", {"class": "pn-timeline-axis"})
    base = TOP + PLOT_HEIGHT
    step = max(1, -(-highest // 4))
    for value in range(0, highest + 1, step):
        y = base - value * scale
        ET.SubElement(axis, "line", {"x1": f"{LEFT:g}", "x2": f"{width - RIGHT:g}", "y1": f"{y:g}", "y2": f"{y:g}"})
        label = ET.SubElement(
            axis, "text", {"x": f"{LEFT - 6:g}", "y": f"{y:g}", "text-anchor": "end", "dominant-baseline": "central"}
        )
        label.text = str(value)
    year_uri = relative_uri(app, docname, "pn-year") or ""
    bars = ET.SubElement(svg, "g", {"class": "pn-timeline-bars"})
    stacked = {year: 0 for year in data.years}
    for year, family, count in data.counts:
        index = data.years.index(year)
        x = LEFT + slot * index + (slot - bar) / 2
        top = base - (stacked[year] + count) * scale
        stacked[year] += count
        link = ET.SubElement(bars, "a", {"href": f"{year_uri}#cap-{year}"})
        rect = ET.SubElement(
            link,
            "rect",
            {
                "x": f"{x:.1f}",
                "y": f"{top:.1f}",
                "width": f"{bar:.1f}",
                "height": f"{count * scale:.1f}",
                "fill": colours[family],
                "class": "pn-timeline-segment",
            },
        )
        ET.SubElement(rect, "title").text = f"{year} · {labels[family]}: {count} {_noun(data.types, count)}"
    for year in data.years:
        centre = LEFT + slot * data.years.index(year) + slot / 2
        if totals[year]:
            total = ET.SubElement(
                svg, "text", {"x": f"{centre:.1f}", "y": f"{base - totals[year] * scale - 4:.1f}", "class": "pn-total"}
            )
            total.set("text-anchor", "middle")
            total.text = str(totals[year])
        label = ET.SubElement(
            svg, "text", {"x": f"{centre:.1f}", "y": f"{base + 15:g}", "text-anchor": "middle", "class": "pn-year"}
        )
        label.text = year
    _legend(svg, data, width, legend_columns, base + AXIS)
    return ET.tostring(svg, encoding="unicode")


def render_timeline(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The figure for one page (a list of counts for builders without SVG)."""
    data = timeline_data(app.env, spec)
    block = nodes.container(classes=["pn-timeline"])
    if not data.years:
        block += nodes.paragraph("", "Nothing dated to show yet.", classes=["pn-empty"])
        return [block]
    if app.builder.format == "html":
        block += nodes.raw("", svg_markup(app, docname, data), format="html")
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
