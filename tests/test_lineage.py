"""The model lineage graph: an inline SVG laid out at build time from the models' :base: fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers import copy_and_build, papernotes_warnings

ROOTS = Path(__file__).parent / "roots"
CSS = Path(__file__).parent.parent / "ext" / "papernotes" / "static" / "papernotes-views.css"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("lineage"), "views")


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def graph(svg) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """The boxes (label -> href, centre, classes) and arrows (base, derived, by label) of a drawn graph."""
    boxes = {}
    for link in svg.select("a.pn-lineage-node"):
        rect = link.find("rect")
        centre = (float(rect["x"]) + float(rect["width"]) / 2, float(rect["y"]) + float(rect["height"]) / 2)
        boxes[link.find("text").get_text()] = {"href": link["href"], "centre": centre, "classes": link["class"]}
    arrows = []
    for path in svg.select("path.pn-lineage-edge"):
        derived, base = re.match(r"(.+) is based on (.+)", path.find("title").get_text()).groups()
        arrows.append((base, derived))
    return boxes, arrows


def test_site_wide_graph_shows_the_lines(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    assert svg is not None and svg.find_parent("script") is None
    boxes, arrows = graph(svg)
    for base, derived in [
        ("LLaMA", "Alpaca"),
        ("Alpaca", "Vicuna"),
        ("GLM", "GLM-130B"),
        ("GLM-130B", "ChatGLM-6B"),
        ("BLOOM", "BLOOMZ"),
        ("BLOOMZ", "BELLE-7B-2M"),
        ("LLaMA", "BELLE-LLaMA-7B-2M"),
    ]:
        assert (base, derived) in arrows
    assert len(arrows) == 8  # the seven above and GPT-3 → InstructGPT
    assert boxes["Vicuna"]["href"] == "chat.html#model-vicuna"
    assert boxes["LLaMA"]["href"] == "families/llama.html#model-llama"


def test_layers_run_left_to_right_and_boxes_do_not_overlap(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    boxes, _ = graph(svg)
    x = {label: box["centre"][0] for label, box in boxes.items()}
    assert x["LLaMA"] < x["Alpaca"] < x["Vicuna"]
    assert x["GLM"] < x["GLM-130B"] < x["ChatGLM-6B"]
    rects = [
        (float(r["x"]), float(r["y"]), float(r["x"]) + float(r["width"]), float(r["y"]) + float(r["height"]))
        for r in svg.select("a.pn-lineage-node rect")
    ]
    for index, first in enumerate(rects):
        for second in rects[index + 1 :]:
            apart = first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
            assert apart, (first, second)
    width, height = (float(value) for value in svg["viewbox"].split()[2:])
    assert all(left >= 0 and right <= width and top >= 0 and bottom <= height for left, top, right, bottom in rects)


def test_family_graph_shows_the_family_and_its_relatives(site):
    overview = page(site, "families/llama").find(id="at-a-glance")
    boxes, arrows = graph(overview.select_one(".pn-lineage svg"))
    assert set(boxes) == {"LLaMA", "Alpaca", "Vicuna", "BELLE-LLaMA-7B-2M"}
    assert "pn-lineage-outside" in boxes["BELLE-LLaMA-7B-2M"]["classes"]
    assert "pn-lineage-outside" not in boxes["Alpaca"]["classes"]
    assert boxes["Vicuna"]["href"] == "../chat.html#model-vicuna"
    assert ("LLaMA", "BELLE-LLaMA-7B-2M") in arrows


def test_colours_come_from_the_theme(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    for element in svg.find_all(["rect", "path", "text"]):
        assert not element.has_attr("fill") and not element.has_attr("stroke") and not element.has_attr("style")
    css = CSS.read_text(encoding="utf-8")
    for rule in (".pn-lineage-node rect", ".pn-lineage-node text", ".pn-lineage-edge"):
        block = css[css.index(rule) :].split("}", 1)[0]
        assert "var(--color-" in block, rule


def test_a_lineage_loop_is_reported_and_still_drawn(tmp_path):
    app = copy_and_build(tmp_path, "views-cycle")
    assert len(papernotes_warnings(app, "cycle")) == 1
    svg = page(app, "index").select(".pn-lineage svg")[-1]
    boxes, arrows = graph(svg)
    assert set(boxes) == {"one", "two", "three", "four"}
    assert len(arrows) == 3  # the edge closing the loop is left out of the drawing


def test_every_relation_is_said_in_words(site):
    block = page(site, "index").select_one(".pn-lineage")
    _, arrows = graph(block.select_one("svg"))
    said = [item.get_text() for item in block.select("ul.pn-lineage-relations.pn-sr-only li")]
    derived: dict[str, list[str]] = {}
    for base, model in arrows:
        derived.setdefault(model, []).append(base)
    assert sorted(said) == sorted(
        f"{model} is based on {' and '.join(bases) if len(bases) < 3 else bases}." for model, bases in derived.items()
    )
    svg = block.select_one("svg")
    assert svg["aria-describedby"] == svg.find("desc")["id"] and "said in words" in svg.find("desc").get_text()
    assert block.select_one(".pn-lineage-edges")["aria-hidden"] == "true"


def test_the_tab_order_follows_the_drawing(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    order = list(graph(svg)[0].items())  # in document order, which is the Tab order
    boxes, arrows = graph(svg)
    group: dict[str, str] = {label: label for label in boxes}

    def find(label: str) -> str:
        while group[label] != label:
            label = group[label]
        return label

    for base, model in arrows:
        group[find(base)] = find(model)
    seen: list[str] = []
    for label, _ in order:  # each connected group is walked in one go
        if seen and find(seen[-1]) != find(label):
            assert find(label) not in {find(other) for other in seen}, label
        seen.append(label)
    within = [label for label, _ in order if find(label) == find("LLaMA")]
    assert [boxes[label]["centre"][0] for label in within] == sorted(boxes[label]["centre"][0] for label in within)


def test_the_graph_scrolls_in_a_focusable_labelled_region(site):
    frame = page(site, "index").select_one(".pn-lineage svg").parent
    assert frame.name == "div" and frame["role"] == "region" and frame["tabindex"] == "0"
    assert frame["aria-label"] == "Model lineage (scrolls sideways)"
    css = CSS.read_text(encoding="utf-8")
    rule = css[css.index(".pn-timeline svg {") :].split("}", 1)[0]
    assert "max-width: none" in rule  # never scaled down: labels keep their 13px
