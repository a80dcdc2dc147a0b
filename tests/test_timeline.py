"""The timeline figure: papers per year by family, as an inline SVG, counted from the collection."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers import copy_and_build

ROOT = Path(__file__).parent / "roots" / "test-views"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("timeline"), "views")


def papers(app: SphinxTestApp) -> list[dict]:
    data = json.loads((Path(app.outdir) / "papers.json").read_text(encoding="utf-8"))
    # papers.json writes years as integers; the figure's labels are text
    return [{**entry, "year": str(entry["year"])} for entry in data["entries"] if entry["type"] == "paper"]


def figure(app: SphinxTestApp):
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one(".pn-timeline svg")


def test_segments_count_papers_per_year_and_family(site):
    expected = Counter((paper["year"], paper["family"]) for paper in papers(site))
    labels = {"llama": "LLaMA family", "glm": "GLM family", "bloom": "BLOOM family", "gpt": "GPT family"}
    drawn = Counter()
    for link in figure(site).select(".pn-timeline-bars a"):
        year, total, parts = re.match(r"(\d{4}): (\d+) papers? \((.+)\)$", link["aria-label"]).groups()
        for part in parts.split(", "):
            family, count = part.rsplit(" ", 1)
            drawn[year, family] += int(count)
        assert sum(count for (when, _), count in drawn.items() if when == year) == int(total)
        assert len(link.select("rect.pn-timeline-segment")) == len(parts.split(", "))
    assert drawn == Counter({(year, labels[family]): count for (year, family), count in expected.items()})
    assert len(expected) > 3


def test_one_tab_stop_per_year(site):
    links = figure(site).select(".pn-timeline-bars a")
    assert len(links) == len({paper["year"] for paper in papers(site)})
    assert len(figure(site).select("rect.pn-timeline-segment")) > len(links)  # several families share a bar


def test_colours_contrast_3_to_1_on_light_and_dark_and_families_differ_by_pattern(site):
    from papernotes.views.timeline import PALETTE, PATTERNS  # noqa: PLC0415

    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(one: str, other: str) -> float:
        high, low = sorted((luminance(one), luminance(other)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for colour in PALETTE:
        assert contrast(colour, "#ffffff") >= 3, colour
        assert contrast(colour, "#131416") >= 3, colour  # furo's dark background
    assert len(set(PATTERNS)) == len(PATTERNS) == len(PALETTE)
    svg = figure(site)
    fills = {rect["fill"] for rect in svg.select(".pn-timeline-legend rect") if rect["fill"].startswith("url(")}
    assert len(fills) == len(svg.select(".pn-timeline-legend text")) - 1  # the first family is plain
    assert all(svg.select_one(f"pattern#{fill[5:-1]}") is not None for fill in fills)


def test_the_figure_scrolls_in_a_focusable_labelled_region(site):
    frame = figure(site).parent
    assert frame["role"] == "region" and frame["tabindex"] == "0"
    assert frame["aria-label"].startswith("Papers per year by family")


def test_bars_are_ordered_by_year_and_sized_by_count(site):
    svg = figure(site)
    years = [text.get_text() for text in svg.select("text.pn-year")]
    dated = sorted(int(paper["year"]) for paper in papers(site))
    assert years == [str(year) for year in range(dated[0], dated[-1] + 1)]  # a year without papers is a gap
    assert len(years) > len({paper["year"] for paper in papers(site)})
    totals = Counter(paper["year"] for paper in papers(site))
    heights = Counter()
    for link in svg.select(".pn-timeline-bars a"):
        year = link["href"].removeprefix("years/").removesuffix(".html")
        heights[year] += sum(float(rect["height"]) for rect in link.select("rect.pn-timeline-segment"))
    tallest = max(totals.values())
    for year, count in totals.items():
        assert heights[year] == pytest.approx(heights[max(totals, key=totals.get)] * count / tallest, abs=0.3)
    assert svg.find("desc").get_text().startswith("Number of papers per year")


def test_segments_link_to_the_year_pages(site):
    links = {link["href"] for link in figure(site).select(".pn-timeline-bars a")}
    assert links == {f"years/{paper['year']}.html" for paper in papers(site)}
    for link in links:
        page = BeautifulSoup((Path(site.outdir) / link).read_text(encoding="utf-8"), "html.parser")
        assert link.removeprefix("years/").removesuffix(".html") in page.find("h1").get_text()


def test_legend_names_each_family_once(site):
    legend = [text.get_text() for text in figure(site).select(".pn-timeline-legend text")]
    assert sorted(legend) == sorted({"LLaMA family", "GLM family", "BLOOM family", "GPT family"})
