"""The real site: built without warnings, every seed link on it, the collection's size, offline-safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from papernotes.figures import LEGIBLE_PX, legible_width

SEED_URLS = Path(__file__).parent / "data" / "seed-urls.txt"


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, BeautifulSoup]:
    outdir, _ = built_site
    return {
        str(path.relative_to(outdir)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in outdir.rglob("*.html")
    }


@pytest.fixture(scope="module")
def inventory(built_site):
    outdir, _ = built_site
    with (outdir / "objects.inv").open("rb") as stream:
        return InventoryFile.load(stream, "", lambda base, uri: uri)


def test_site_builds_without_any_warning(built_site):
    _, stderr = built_site
    assert "WARNING" not in stderr, stderr


def test_every_link_of_the_reading_list_is_on_the_site(pages):
    hrefs = {a.get("href") for page in pages.values() for a in page.select("a[href]")}
    missing = [url for url in SEED_URLS.read_text().split() if url not in hrefs]
    assert missing == []


def test_collection_has_the_promised_size(inventory):
    counts = {objtype: len(inventory.get(f"pn:{objtype}", {})) for objtype in ("paper", "model", "repo", "dataset")}
    assert counts["paper"] >= 30, counts
    assert counts["model"] >= 15, counts
    assert counts["repo"] >= 25, counts
    assert counts["dataset"] >= 8, counts


def test_every_paper_has_notes_of_substance(pages):
    short = {}
    for name, page in pages.items():
        for section in page.select("section.pn-paper"):
            notes = section.select_one("div.pn-notes")
            words = len(notes.get_text(" ").split()) if notes else 0
            if words < 100:
                short[f"{name}#{section['id']}"] = words
    assert short == {}


def test_every_family_page_lists_entries_and_a_chinese_summary(pages):
    families = [name for name in pages if name.startswith("families/")]
    assert len(families) >= 9
    for name in families:
        page = pages[name]
        assert page.select("section.pn-entry"), name
        intro = page.select_one("article").get_text()
        assert re.search(r"[\u4e00-\u9fff]", intro), name


def test_figures_are_our_own_svgs_with_alt_text_and_captions(pages):
    figures = [
        figure
        for page in pages.values()
        for figure in page.select("figure")
        if figure.img is not None and figure.img["src"].endswith(".svg")
    ]
    assert len(figures) >= 6
    for figure in figures:
        assert figure.img.get("alt", "").strip(), figure.img["src"]
        assert figure.select_one("figcaption .caption-number"), figure.img["src"]


def test_figures_scroll_at_a_legible_width_instead_of_linking_to_themselves(pages):
    """Each SVG figure sits in a focusable, named region that knows the width at which its smallest label is 12 px."""
    figures = [figure for page in pages.values() for figure in page.select("figure") if figure.img is not None]
    svgs = [figure for figure in figures if figure.img["src"].endswith(".svg")]
    assert len(svgs) >= 6
    for figure in svgs:
        region = figure.img.parent
        assert region.name == "div" and "pn-figure-scroll" in region["class"], figure.img["src"]
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region["aria-label"].startswith("Figure, scrolls sideways: ")
        assert figure.find("a", class_="image-reference") is None  # no link wrapped around the region
        source = Path(__file__).resolve().parent.parent / "docs" / "figures" / Path(figure.img["src"]).name
        width = legible_width(source)
        assert width is not None and region["style"] == f"--pn-legible-width: {width}px"
        svg = source.read_text(encoding="utf-8")
        smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
        viewbox = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
        assert smallest * width / viewbox >= LEGIBLE_PX


def test_no_page_loads_scripts_styles_or_fonts_from_elsewhere(pages):
    external = set()
    for name, page in pages.items():
        for tag in page.select("script[src], link[rel~=stylesheet], link[rel~=preload]"):
            url = tag.get("src") or tag.get("href") or ""
            if re.match(r"^(https?:)?//", url):
                external.add((name, url))
    assert external == set()
