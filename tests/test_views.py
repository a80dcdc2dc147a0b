"""Entry tables, family overviews and the generated indexes; incremental and parallel builds of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers import CHROMIUM, CHROMIUM_FLAGS, build, copy_and_build, html, warnings_of

ROOT = Path(__file__).parent / "roots" / "test-views"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("views"), "views")


page = html  # a built page, parsed (tests/helpers.py)


def table(soup: BeautifulSoup, caption: str):
    for candidate in soup.select("table.pn-table"):
        title = candidate.find("caption")
        if title is not None and caption in title.get_text():
            return candidate
    raise AssertionError(f"no table captioned {caption!r}")


def column(found, index: int) -> list[str]:
    return [row.find_all("td")[index].get_text(" ", strip=True) for row in found.tbody.find_all("tr")]


def test_build_is_clean(site):
    assert warnings_of(site) == []


def test_tables_choose_filter_and_sort(site):
    soup = page(site, "tables")
    papers = table(soup, "Papers")
    years = column(papers, 1)
    assert len(years) == 6
    assert years == sorted(years, reverse=True)  # default order of a paper table: newest first
    # The authors are a smaller line under each title, in the same cell, not a column of their own.
    assert [th.get_text(strip=True) for th in papers.thead.find_all("th")] == [
        "Name",
        "Year",
        "Family",
        "Tags",
        "Models",
    ]
    first = papers.tbody.find("tr").find("td")
    assert [p.get("class") for p in first.find_all("p")] == [["pn-cell-main"], ["pn-byline"]]
    assert first.select_one("p.pn-cell-main a") is not None and first.select_one("p.pn-byline").get_text(strip=True)
    assert "pn-table-titled" in papers["class"]
    # The order the rows are written in is stated on its column (the script turns it into aria-sort).
    year = papers.thead.find("th", class_="pn-col-year")
    assert "pn-sorted-descending" in year["class"]
    assert [th for th in papers.thead.find_all("th") if any("pn-sorted" in c for c in th["class"])] == [year]

    llama = column(table(soup, "LLaMA models"), 0)
    assert llama == ["Alpaca", "LLaMA", "Vicuna"]  # Vicuna is defined on another page, in the family by :family:

    rlhf = table(soup, "Tagged rlhf")
    assert sorted(column(rlhf, 1)) == ["model", "paper"]
    assert rlhf.find_parent(class_="pn-entry-table").find("input") is None  # :filter: off

    assert column(table(soup, "From 2022"), 0) == ["du2022glm", "ouyang2022training", "workshop2022bloom"]
    assert column(table(soup, "Chinese data"), 0) == ["BELLE data"]
    derived = column(table(soup, "Derived models"), 0)
    assert derived == sorted(derived, reverse=True)
    assert "Vicuna" in derived and "GPT-3" not in derived  # :where: base~l keeps models whose base contains an l


def test_table_cells_link_to_entries_tags_and_families(site):
    soup = page(site, "tables")
    papers = table(soup, "Papers")
    row = next(tr for tr in papers.tbody.find_all("tr") if "LLaMA: Open" in tr.get_text())
    hrefs = [a["href"] for a in row.find_all("a")]
    assert "families/llama.html#paper-touvron2023llama" in hrefs
    assert "families/llama.html" in hrefs  # family
    assert "tags/foundation.html" in hrefs
    assert "families/llama.html#model-llama" in hrefs  # the Models column
    for href in hrefs:
        target, _, anchor = href.partition("#")
        target_soup = page(site, target.removesuffix(".html"))
        assert not anchor or target_soup.find(id=anchor) is not None, href


def test_filter_box_is_hidden_without_javascript(site):
    soup = page(site, "tables")
    box = soup.select_one(".pn-entry-table input.pn-filter")
    assert box is not None and box.has_attr("hidden") and "filter" in box["class"][0]
    scripts = [script.get("src", "") for script in soup.find_all("script")]
    assert any("papernotes-tables.js" in src and not src.startswith("http") for src in scripts)
    assert (Path(site.outdir) / "_static" / "papernotes-tables.js").is_file()
    assert (Path(site.outdir) / "_static" / "papernotes-views.css").is_file()


def test_family_page_gets_an_overview(site):
    soup = page(site, "families/llama")
    section = soup.find(id="at-a-glance")
    assert section is not None
    models = table(section, "Models")
    assert column(models, 0) == ["Alpaca", "LLaMA", "Vicuna"]
    assert [column(table(section, caption), 0) for caption in ("Repositories", "Datasets")] == [
        ["Stanford Alpaca"],
        ["Alpaca 52K"],
    ]
    assert section.select_one(".pn-lineage svg") is not None
    # In the page's table of contents, and before the entries.
    assert soup.select_one('.toctree-wrapper, nav, div[role="navigation"], aside') is not None
    text = soup.get_text()
    assert text.index("At a glance") < text.index("Notes on LLaMA.")
    # The BLOOM overview lists BELLE data although glm.md describes it.
    bloom = page(site, "families/bloom").find(id="at-a-glance")
    assert column(table(bloom, "Datasets"), 0) == ["BELLE data"]


def test_family_tables_wait_behind_a_disclosure(site):
    """On the family's page the numbers and graph show; the tables are one click away, closed."""
    section = page(site, "families/llama").find(id="at-a-glance")
    disclosure = section.find("details", class_="pn-overview-tables")
    assert disclosure is not None and not disclosure.has_attr("open")
    assert disclosure.summary.get_text(strip=True).startswith("Tables of the family's entries (3 models")
    assert table(disclosure, "Models") is not None
    assert section.select_one(".pn-lineage svg").find_parent("details") is None


def test_other_pages_of_a_family_point_to_its_overview(site):
    """A family spread over several pages is listed once: its other pages get one line, not the tables again."""
    section = page(site, "families/llama-more").find(id="at-a-glance")
    assert section is not None
    assert section.find("table") is None and section.select_one(".pn-lineage") is None
    pointer = section.select_one(".pn-overview-pointer p")
    assert pointer.get_text(" ", strip=True).startswith("LLaMA has 3 models")
    assert pointer.find("a")["href"] == "llama.html"


def test_table_tools_count_and_scroll_region(site):
    wrapper = table(page(site, "tables"), "Papers").find_parent(class_="pn-entry-table")
    tools = wrapper.select_one(".pn-table-tools")
    assert tools.select_one("input.pn-filter") is not None  # the count sits next to the filter box …
    count = tools.select_one("p.pn-table-count")
    assert count.get_text(strip=True) == "6 entries" and count["aria-live"] == "polite"  # … and is announced
    region = wrapper.select_one("div.pn-table-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-label"] == "Papers (table)"
    assert region.find("table", class_="pn-table") is not None
    assert str(wrapper).index("pn-table-count") < str(wrapper).index("<table")


def test_family_index_and_no_domain_index_for_tags_or_years(site):
    families = page(site, "pn-family")
    headings = [row.get_text(strip=True).replace("\u00a0", " ") for row in families.select("tr.cap")]
    assert headings == ["LLaMA family", "GLM family", "BLOOM family", "GPT family"]
    assert all(" " not in row["id"] for row in families.select("tr.cap"))  # valid HTML ids
    # Each family lists its pages (its own first) with counts by type, not every entry.
    llama = families.find("tr", id=lambda value: bool(value) and value.startswith("cap-LLaMA"))
    rows = []
    for row in llama.find_next_siblings("tr"):
        if "cap" in (row.get("class") or []):
            break
        if row.find("a") is not None:
            rows.append((row.a["href"], " ".join(row.get_text(" ", strip=True).split())))
    assert rows == [
        ("families/llama.html#", "LLaMA (1 paper, 1 repository, 2 models, 1 dataset) the family's page"),
        ("chat.html#model-vicuna", "Chat models described elsewhere (1 model)"),
    ]
    assert "alpaca" not in str(families).lower()  # entries are not listed one by one
    # Tags and years have pages of their own (tests/test_listings.py): no page lists every entry.
    assert not (Path(site.outdir) / "pn-tag.html").exists() and not (Path(site.outdir) / "pn-year.html").exists()


def test_indexes_are_in_the_navigation(site):
    soup = page(site, "index")
    links = [a["href"] for a in soup.select(".toctree-wrapper a[href]")]
    for name in ("tags/index.html", "years/index.html", "pn-family.html"):
        assert name in links


def test_social_and_crawler_metadata(site):
    sitemap = (Path(site.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://notes.example.org/en/latest/families/llama.html" in sitemap
    soup = page(site, "families/llama")
    assert soup.find("meta", property="og:url")["content"].endswith("/families/llama.html")
    assert soup.find("meta", property="og:title")["content"] == "LLaMA"


# in the browser ------------------------------------------------------------------------------


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_filter_and_sort_in_the_browser(site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    url = (Path(site.outdir) / "index.html").as_uri()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page()
            tab.goto(url)
            wrapper = tab.locator(".pn-entry-table").last
            rows = wrapper.locator("tbody tr")
            total = rows.count()
            box = wrapper.locator("input.pn-filter")
            assert box.is_visible()
            box.fill("glm")
            visible = [text for text in rows.all_inner_texts() if text.strip()]
            shown = wrapper.locator("tbody tr:not([hidden])")
            assert 0 < shown.count() < total
            assert all("glm" in text.lower() for text in shown.all_inner_texts())
            assert "4 of" in wrapper.locator(".pn-table-count").inner_text() or shown.count() != 4
            box.fill("")
            assert wrapper.locator("tbody tr:not([hidden])").count() == total == len(visible)

            header = wrapper.locator("thead th").first
            # The table is written sorted by name, and says so; a click reverses the order.
            assert header.get_attribute("aria-sort") == "ascending"
            header.locator("button").click()
            names = [row.split("\t")[0] for row in rows.all_inner_texts()]
            assert header.get_attribute("aria-sort") == "descending"
            assert names == sorted(names, key=str.lower, reverse=True)
            header.locator("button").click()
            names = [row.split("\t")[0] for row in rows.all_inner_texts()]
            assert header.get_attribute("aria-sort") == "ascending"
            assert names == sorted(names, key=str.lower)
        finally:
            browser.close()


def test_other_builders_get_plain_tables_and_lists(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("text", srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    tables = (Path(app.outdir) / "tables.txt").read_text(encoding="utf-8")
    assert "| Alpaca " in tables and "6 entries" in tables
    assert "Hugo Touvron" in tables  # the authors under the title, inside the cell
    assert not (Path(app.outdir) / "tags").exists()  # tag and year pages are for HTML only
    assert [line for line in warnings_of(app) if "tag" in line] == []
    index = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "Vicuna: fine-tuned from Alpaca." in index  # the lineage as a list, in words
    assert "2022: 3 papers" in index  # the timeline as a list
    assert "<svg" not in index and "<input" not in tables


def test_view_options_are_checked_like_entry_options(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "index.md").write_text(
        (srcdir / "index.md").read_text(encoding="utf-8")
        + "\n```{entry-table}\n:colour: red\n:filter: sometimes\n```\n"
        + "\n```{lineage-graph}\n:size: big\n```\n"
        + "\n```{paper-timeline}\n:width: 3\n```\n",
        encoding="utf-8",
    )
    app = build(srcdir)
    found = [line for line in warnings_of(app) if "[papernotes." in line]
    assert len(found) == 4, found
    assert any("entry-table: unknown option ':colour:'" in line and "[papernotes.option]" in line for line in found)
    assert any(":filter: 'sometimes' is not one of on, off, auto" in line for line in found)
    assert any("lineage-graph: unknown option ':size:'" in line for line in found)
    assert any("paper-timeline: unknown option ':width:'" in line for line in found)
    assert all("index.md:" in line for line in found)
    assert [line for line in warnings_of(app) if "[papernotes." not in line] == []
