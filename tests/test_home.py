"""The home page's views and the site chrome, through Sphinx: family cards, numbers, recent entries,
standalone models, toctree captions, focusable code blocks, descriptions, favicon, 404 and sitemap."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from papernotes.metatags import tidy_description

from helpers import ROOTS, build, copy_and_build, papernotes_warnings


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("home"), "home")


def soup(app: SphinxTestApp, page: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def entries(app: SphinxTestApp) -> list[dict]:
    return json.loads((Path(app.outdir) / "papers.json").read_text(encoding="utf-8"))["entries"]


def test_family_cards_count_from_the_collection(home):
    assert papernotes_warnings(home) == []
    cards = soup(home).select(".pn-family-cards.sd-container-fluid .sd-row > .sd-col > .sd-card")
    by_family: dict[str, dict[str, int]] = {}
    for entry in entries(home):
        by_family.setdefault(entry["family"], {}).setdefault(entry["type"], 0)
        by_family[entry["family"]][entry["type"]] += 1
    labels = {"llama": "LLaMA family", "glm": "GLM family", "bloom": "BLOOM family", "gpt": "GPT family"}
    assert [card.select_one(".sd-card-title").get_text() for card in cards] == [
        labels[family] for family in labels if family in by_family
    ]
    plural = {"paper": "papers", "model": "models", "repo": "repositories", "dataset": "datasets"}
    single = {"paper": "paper", "model": "model", "repo": "repository", "dataset": "dataset"}
    for card in cards:
        family = next(
            family for family, label in labels.items() if label == card.select_one(".sd-card-title").get_text()
        )
        expected = [
            f"{count} {single[kind] if count == 1 else plural[kind]}"
            for kind in ("paper", "model", "repo", "dataset")
            if (count := by_family[family].get(kind, 0))
        ]
        assert card.select_one(".pn-card-counts").get_text() == " · ".join(expected)
    llama = cards[0]
    assert llama.select_one(".pn-card-subtitle").get_text() == "LLaMA 家族"  # from the page's front matter
    # LLaMA is built upon most (Alpaca, BELLE-LLaMA): it comes first among the key models, linked to its entry
    first = llama.select_one(".pn-card-models a")
    assert first.get_text() == "LLaMA" and first["href"] == "families/llama.html#model-llama"


def test_cards_are_a_plain_list_without_sphinx_design(tmp_path):
    srcdir = tmp_path / "plain"
    shutil.copytree(ROOTS / "test-home", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('    "sphinx_design",\n', ""), encoding="utf-8")
    page = soup(build(srcdir))
    assert page.select(".sd-card") == []
    items = page.select("ul.pn-family-cards > li")
    assert len(items) == 4 and "LLaMA family (LLaMA 家族):" in items[0].get_text()


def test_text_builder_writes_cards_and_numbers_as_text(tmp_path):
    app = copy_and_build(tmp_path, "home", "text")
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "LLaMA family (LLaMA 家族):" in text
    assert re.search(r"\d+ entries: \d+ papers, \d+ models", text)


def test_numbers_say_what_the_collection_holds(home):
    cards = soup(home).select(".pn-numbers .pn-number")
    said = {card.get_text(" ", strip=True).split(" ", 1)[1]: int(card.strong.get_text()) for card in cards}
    data = entries(home)
    assert said["papers"] == sum(entry["type"] == "paper" for entry in data)
    assert said["models"] == sum(entry["type"] == "model" for entry in data)
    assert said["families"] == 4
    assert said["tags"] == len({tag for entry in data for tag in entry["tags"]})


def test_recent_entries_are_the_newest_added(home):
    lines = [item.get_text(" ", strip=True) for item in soup(home).select("ul.pn-recent > li")]
    assert len(lines) == 3
    assert lines[0].startswith("PaLM") and lines[0].endswith("added 2023-04-01")
    # two entries added the same day: the later one in the collection's order first, in every build
    assert [line.split(" —")[0] for line in lines[1:]] == ["GLM-130B", "GLM"]
    added = {entry["id"]: entry["fields"].get("added") for entry in entries(home)}
    assert added["bloom"] == "2023-01-15" and added["llama"] is None


def test_standalone_models_are_named_under_the_graph(home):
    block = soup(home).select_one(".pn-lineage")
    line = block.select_one(".pn-lineage-standalone").get_text()
    assert line.startswith("PaLM has no relative here")
    relations = [item.get_text() for item in block.select("ul.pn-lineage-relations li")]
    assert "Alpaca: fine-tuned from LLaMA." in relations
    assert sum(item.count(";") + 1 for item in relations) == len(block.select("path.pn-lineage-edge"))


def test_toctree_captions_have_a_heading_level(home):
    captions = soup(home).select('p.caption[role="heading"]')
    assert captions and all(caption.get("aria-level") == "2" for caption in captions)


def test_code_blocks_can_take_the_keyboard_focus(tmp_path):
    app = copy_and_build(tmp_path, "home")
    page = soup(app, "families/llama.html")
    blocks = page.select("div.highlight pre")
    assert blocks and all(block.get("tabindex") == "0" for block in blocks)


def test_descriptions_keep_no_space_between_chinese_characters():
    assert tidy_description("）、 低秩适配 （LoRA）和 指令微调 ，以及") == "）、低秩适配（LoRA）和指令微调，以及"
    assert tidy_description("模型。 BLOOM is 176B 参数") == "模型。 BLOOM is 176B 参数"


def test_the_real_site_chrome(built_site):
    outdir, _ = built_site
    llama = BeautifulSoup((outdir / "families/llama.html").read_text(encoding="utf-8"), "html.parser")
    description = llama.select_one('meta[property="og:description"]')["content"]
    assert "低秩适配" in description and not re.search(r"[\u4e00-\u9fff）（、，] [\u4e00-\u9fff（）、，]", description)
    icon = llama.select_one('link[rel~="icon"]')
    assert icon is not None and (outdir / "families" / icon["href"]).resolve().is_file()
    missing = BeautifulSoup((outdir / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert "Page not found" in missing.get_text()
    # Outside Read the Docs the 404 page loads its styles from the site's root (on Read the Docs,
    # from the version's path, READTHEDOCS_CANONICAL_URL's).
    assert missing.select_one('link[rel="stylesheet"]')["href"].startswith("/_static/")
    sitemap = ET.parse(outdir / "sitemap.xml").getroot()
    urls = [element.text for element in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    paths = {url.split("/en/latest/", 1)[1] for url in urls}
    assert paths and not paths & {"search.html", "genindex.html", "404.html"}
    for url in urls:
        page = url.split("/en/latest/", 1)[1] or "index.html"
        html = (outdir / page).read_text(encoding="utf-8")
        assert not re.search(r'<meta name="robots" content="[^"]*noindex', html), page
    index = BeautifulSoup((outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = index.select_one("article[role=main]")
    assert article.select(".toctree-wrapper li") == []  # the toctrees are in the sidebar only
    assert len(article.select(".pn-family-cards .sd-card")) == 10
