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
    return [entry for entry in data["entries"] if entry["type"] == "paper"]


def figure(app: SphinxTestApp):
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one(".pn-timeline svg")


def test_segments_count_papers_per_year_and_family(site):
    expected = Counter((paper["year"], paper["family"]) for paper in papers(site))
    labels = {"llama": "LLaMA family", "glm": "GLM family", "bloom": "BLOOM family", "gpt": "GPT family"}
    drawn = Counter()
    for rect in figure(site).select("rect.pn-timeline-segment"):
        year, family, count = re.match(r"(\d{4}) · (.+): (\d+) papers?", rect.find("title").get_text()).groups()
        drawn[year, family] += int(count)
    assert drawn == Counter({(year, labels[family]): count for (year, family), count in expected.items()})
    assert len(expected) > 3


def test_bars_are_ordered_by_year_and_sized_by_count(site):
    svg = figure(site)
    years = [text.get_text() for text in svg.select("text.pn-year")]
    dated = sorted(int(paper["year"]) for paper in papers(site))
    assert years == [str(year) for year in range(dated[0], dated[-1] + 1)]  # a year without papers is a gap
    assert len(years) > len({paper["year"] for paper in papers(site)})
    totals = Counter(paper["year"] for paper in papers(site))
    heights = Counter()
    for link in svg.select(".pn-timeline-bars a"):
        year = link["href"].split("#cap-")[1]
        heights[year] += float(link.find("rect")["height"])
    tallest = max(totals.values())
    for year, count in totals.items():
        assert heights[year] == pytest.approx(heights[max(totals, key=totals.get)] * count / tallest, abs=0.3)
    assert svg.find("desc").get_text().startswith("Number of papers per year")


def test_segments_link_to_the_year_index(site):
    index = BeautifulSoup((Path(site.outdir) / "pn-year.html").read_text(encoding="utf-8"), "html.parser")
    links = {link["href"] for link in figure(site).select(".pn-timeline-bars a")}
    assert links == {f"pn-year.html#cap-{paper['year']}" for paper in papers(site)}
    for link in links:
        assert index.find(id=link.split("#")[1]) is not None


def test_legend_names_each_family_once(site):
    legend = [text.get_text() for text in figure(site).select(".pn-timeline-legend text")]
    assert sorted(legend) == sorted({"LLaMA family", "GLM family", "BLOOM family", "GPT family"})
