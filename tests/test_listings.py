"""One page per tag and per year, the lists of both with their counts, and tag chips that lead there."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from papernotes import listings

from helpers import ROOTS, build, copy_and_build, warnings_of

ROOT = ROOTS / "test-views"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("listings"), "views")


def soup(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def exported(app: SphinxTestApp) -> list[dict]:
    """The entries as papers.json exports them: what the listings are checked against."""
    return json.loads((Path(app.outdir) / "papers.json").read_text(encoding="utf-8"))["entries"]


def listed(page: BeautifulSoup) -> list[str]:
    """The entry links of a listing page, in order."""
    return [a["href"] for a in page.select("ul.pn-listing a")]


def test_build_is_clean(site):
    assert warnings_of(site) == []


def test_tag_list_shows_every_tag_with_its_count(site):
    page = soup(site, "tags/index.html")
    expected = Counter(tag for entry in exported(site) for tag in entry["tags"])
    chips = {a.select_one(".pn-tag").contents[0].strip(): a for a in page.select("ul.pn-tag-list a")}
    assert list(chips) == sorted(expected)
    for tag, link in chips.items():
        count = int(link.select_one(".pn-tag-count").get_text(strip=True))
        assert count == expected[tag], tag
        assert link["href"] == f"{tag}.html"
        assert len(listed(soup(site, f"tags/{tag}.html"))) == count
    assert page.find("h1").get_text(strip=True).startswith("Tags")


def test_tag_page_lists_its_entries_grouped_by_type(site):
    page = soup(site, "tags/rlhf.html")
    assert page.find("h1").get_text(strip=True).startswith("Tag: rlhf")
    groups = [section.find("h2").get_text(strip=True).rstrip("¶") for section in page.select("section section")]
    assert groups == ["Papers", "Models"]
    assert listed(page) == ["../families/gpt.html#paper-ouyang2022training", "../families/gpt.html#model-instructgpt"]
    for href in listed(page):  # every link lands on its entry
        target, _, anchor = href.partition("#")
        assert soup(site, str(Path("tags", target))).find(id=anchor) is not None, href
    assert page.find("a", href="index.html") is not None  # back to all tags


def test_year_pages_and_year_list(site):
    years = soup(site, "years/index.html")
    links = [(a["href"], a.get_text()) for a in years.select("ul.pn-year-list a")]
    assert links == [("2023.html", "2023"), ("2022.html", "2022"), ("2020.html", "2020")]
    assert "3 entries" in years.select("ul.pn-year-list li")[1].get_text()  # 2022: three papers
    page = soup(site, "years/2022.html")
    assert len(listed(page)) == 3 and all("#paper-" in href for href in listed(page))
    assert page.find("a", href="2020.html") is not None and page.find("a", href="2023.html") is not None


def test_tag_chips_link_to_their_tag_page(site):
    entry_page = soup(site, "families/llama.html")
    chip = entry_page.select_one("section#model-alpaca a .pn-tag").find_parent("a")
    assert chip["href"] == "../tags/instruction-tuning.html"
    table_chips = {a["href"] for a in soup(site, "tables.html").select("table.pn-table a") if a.select_one(".pn-tag")}
    assert "tags/foundation.html" in table_chips
    assert all(re.fullmatch(r"tags/[a-z0-9.+-]+\.html", href) for href in table_chips)
    assert all((Path(site.outdir) / href).is_file() for href in table_chips)


def test_listing_pages_are_in_the_navigation_and_sitemap(site):
    toctree = [a["href"] for a in soup(site, "index.html").select(".toctree-wrapper a")]
    assert "tags/index.html" in toctree and "years/index.html" in toctree
    assert soup(site, "tags/index.html").find("a", href="../index.html") is not None  # the theme's own links
    sitemap = (Path(site.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert "tags/rlhf.html" in sitemap


def test_long_listings_continue_on_numbered_pages(tmp_path, monkeypatch):
    """No listing page grows with the collection: past PAGE_SIZE entries a listing continues."""
    monkeypatch.setattr(listings, "PAGE_SIZE", 1)
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = build(srcdir)
    first = soup(app, "tags/rlhf.html")
    second = soup(app, "tags/rlhf/2.html")
    assert len(listed(first)) == len(listed(second)) == 1
    assert first.find("a", href="rlhf/2.html") is not None  # the pager
    assert second.find("a", href="../rlhf.html") is not None
    assert listed(second) == ["../../families/gpt.html#model-instructgpt"]
    assert "2 entries" in first.get_text()  # the summary counts the whole listing


def test_pages_of_removed_tags_and_years_are_deleted(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = build(srcdir)
    assert (Path(app.outdir) / "tags" / "multilingual.html").is_file()
    bloom = srcdir / "families" / "bloom.md"
    bloom.write_text(bloom.read_text(encoding="utf-8").replace(":tags: multilingual\n", ""), encoding="utf-8")
    again = build(srcdir, fresh=False)
    assert not (Path(again.outdir) / "tags" / "multilingual.html").exists()
    assert (Path(again.outdir) / "tags" / "rlhf.html").is_file()


def _listing_stamps(outdir: Path) -> dict[str, int]:
    pages = [*(outdir / "tags").rglob("*.html"), *(outdir / "years").rglob("*.html")]
    return {str(path.relative_to(outdir)): path.stat().st_mtime_ns for path in pages}


def test_listing_pages_are_written_only_when_they_change(tmp_path):
    """A no-op rebuild leaves every listing page as it was (and in the sitemap); a title change rewrites them."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir = Path(build(srcdir).outdir)
    first = _listing_stamps(outdir)
    assert "tags/rlhf.html" in first
    build(srcdir, fresh=False)
    assert _listing_stamps(outdir) == first
    assert "tags/rlhf.html" in (outdir / "sitemap.xml").read_text(encoding="utf-8")
    # a page missing from the output is written again, and only it
    (outdir / "tags" / "rlhf.html").unlink()
    build(srcdir, fresh=False)
    again = _listing_stamps(outdir)
    assert {name for name in first if again[name] != first[name]} == {"tags/rlhf.html"}
    # every page shows the site's navigation: a page title that changes rewrites them all
    bloom = srcdir / "families" / "bloom.md"
    bloom.write_text(bloom.read_text(encoding="utf-8").replace("# BLOOM\n", "# BLOOM and BELLE\n"), encoding="utf-8")
    build(srcdir, fresh=False)
    assert all(stamp != again[name] for name, stamp in _listing_stamps(outdir).items())


@pytest.mark.parametrize("builder", ["singlehtml", "text"])
def test_builders_without_listing_pages_show_chips_without_links(tmp_path, builder):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert not (Path(app.outdir) / "tags").exists() and not (Path(app.outdir) / "years").exists()
    # (singlehtml cannot inline any generated page a toctree names, the family index included)
    assert [line for line in warnings_of(app) if "tag" in line.lower() and "[toc.not_readable]" not in line] == []
    if builder == "singlehtml":
        page = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select(".pn-tag")
        assert not [a for a in page.select("a") if a.select_one(".pn-tag")]


def test_dirhtml_links_to_tag_directories(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("dirhtml", srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = Path(app.outdir)
    assert (outdir / "tags" / "rlhf" / "index.html").is_file()
    page = BeautifulSoup((outdir / "families" / "gpt" / "index.html").read_text(encoding="utf-8"), "html.parser")
    chip = page.select_one("a .pn-tag").find_parent("a")
    assert chip["href"] == "../../tags/rlhf/"
