"""Entry tables a reader can scan, and the tag and year pages, in a real browser at 1400 and 390 px.

Each test reads what to expect from the built site (the rows of the papers table, the tags of the
collection in papers.json) and measures what chromium lays out: one-line titles with the authors
beneath, chips that never break, sort buttons that state the order, the count beside the filter,
and at phone width a table that scrolls inside its labelled region while the page does not.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

WIDTHS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
VIEWS = [(width, scheme) for width in WIDTHS for scheme in ("light", "dark")]
PAPERS = "papers.html"


def soup_of(site_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")


def html_pages(site_dir: Path) -> list[str]:
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).parts[0].startswith("_")
    )


def table_pages(site_dir: Path) -> list[str]:
    return [p for p in html_pages(site_dir) if soup_of(site_dir, p).select_one(".pn-entry-table input.pn-filter")]


@pytest.fixture(params=VIEWS, ids=[f"{width}-{scheme}" for width, scheme in VIEWS])
def view(request: pytest.FixtureRequest, browser: object, site: str) -> Iterator[object]:
    """The papers page at one width, in one colour scheme (furo's own switch, as a reader sets it)."""
    width, scheme = request.param
    context = browser.new_context(base_url=site, viewport=WIDTHS[width], color_scheme=scheme)
    context.add_init_script(f"localStorage.setItem('theme', '{scheme}')")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(PAPERS)
    assert tab.evaluate("document.body.dataset.theme") == scheme
    tab.width = width
    yield tab
    context.close()
    assert errors == []


def line_height(tab: object, selector: str) -> float:
    return tab.evaluate(
        f"""() => {{ const e = document.querySelector({selector!r}); const s = getComputedStyle(e);
        return s.lineHeight === 'normal' ? parseFloat(s.fontSize) * 1.2 : parseFloat(s.lineHeight); }}"""
    )


def test_titles_on_one_line_with_authors_beneath(view):
    rows = view.evaluate(
        """() => [...document.querySelectorAll('table.pn-table-titled tbody tr')].map(row => {
            const cell = row.querySelector('td.pn-col-name');
            const title = cell.querySelector('p.pn-cell-main'), authors = cell.querySelector('p.pn-byline');
            const t = title.getBoundingClientRect(), a = authors.getBoundingClientRect();
            return {title: [t.top, t.bottom, t.left, t.height], authors: [a.top, a.bottom, a.left, a.height],
                    row: row.getBoundingClientRect().height, full: title.querySelector('a').title,
                    text: title.textContent};
        })"""
    )
    assert len(rows) >= 20, "the papers table should list the site's papers"
    title_line = line_height(view, "table.pn-table-titled p.pn-cell-main")
    author_line = line_height(view, "table.pn-table-titled p.pn-byline")
    for row in rows:
        assert row["title"][3] <= title_line + 1, row  # one line, however long the title
        assert row["authors"][3] <= author_line + 1, row
        assert row["authors"][0] >= row["title"][1] - 1 and abs(row["authors"][2] - row["title"][2]) < 1, row
        assert row["full"] == row["text"]  # the whole title is the link's tooltip
    heights = sorted(row["row"] for row in rows)
    median = heights[len(heights) // 2]
    # Before: titles of 4-8 lines and about 5 rows a screen. Now a row is a few lines of chips at most.
    assert median <= 6 * title_line, heights
    if view.width == "desktop":
        assert WIDTHS["desktop"]["height"] / median >= 9, heights


def test_chips_never_break_inside_a_word(view):
    chips = view.evaluate(
        """() => [...document.querySelectorAll('.pn-entry-table .pn-tag')].map(chip => [
            chip.textContent, chip.getClientRects().length, chip.getBoundingClientRect().height])"""
    )
    assert chips
    one_line = min(height for _, _, height in chips)
    for text, boxes, height in chips:
        assert boxes == 1 and abs(height - one_line) < 1, (text, boxes, height, one_line)
    # chips wrap between each other: some tag cell holds chips on more than one line
    assert view.evaluate(
        """() => [...document.querySelectorAll('td.pn-col-tags')].some(cell => {
            const tops = [...cell.querySelectorAll('.pn-tag')].map(c => Math.round(c.getBoundingClientRect().top));
            return new Set(tops).size > 1; })"""
    )


def test_sort_buttons_state_the_order(view):
    table = view.locator("table.pn-table-titled")
    headers = table.locator("thead th")
    year = table.locator("thead th.pn-col-year")
    # The order the table is written in: newest first, said on the year column, "none" elsewhere.
    assert year.get_attribute("aria-sort") == "descending"
    states = headers.evaluate_all("ths => ths.map(th => th.getAttribute('aria-sort'))")
    assert sorted(states) == ["descending"] + ["none"] * (len(states) - 1)
    for index in range(headers.count()):  # a real button whose icon never wraps to a line of its own
        button = headers.nth(index).locator("button.pn-sort")
        assert button.count() == 1
        label, icon = button.locator(".pn-sort-label"), button.locator(".pn-sort-icon")
        assert (
            abs(
                label.bounding_box()["y"]
                + label.bounding_box()["height"] / 2
                - (icon.bounding_box()["y"] + icon.bounding_box()["height"] / 2)
            )
            < 4
        )
        assert icon.evaluate("e => getComputedStyle(e, '::before').content") not in ("none", "")
    name = table.locator("thead th.pn-col-name")
    name.locator("button").click()
    assert name.get_attribute("aria-sort") == "ascending" and year.get_attribute("aria-sort") == "none"
    titles = table.locator("tbody tr td.pn-col-name p.pn-cell-main").all_inner_texts()
    ordered = view.evaluate(
        "names => names.slice().sort(new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'}).compare)",
        titles,
    )
    assert titles == ordered
    name.locator("button").click()
    assert name.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody tr td.pn-col-name p.pn-cell-main").all_inner_texts() == list(reversed(ordered))
    year.locator("button").click()  # from newest first to oldest first
    assert year.get_attribute("aria-sort") == "ascending" and name.get_attribute("aria-sort") == "none"
    years = table.locator("tbody tr td.pn-col-year").all_inner_texts()
    assert years == sorted(years, key=lambda year: (year == "", year))


def test_count_beside_the_filter_is_announced(view):
    wrapper = view.locator(".pn-entry-table").filter(has=view.locator("table.pn-table-titled"))
    box, count = wrapper.locator("input.pn-filter"), wrapper.locator(".pn-table-count")
    assert box.is_visible() and count.get_attribute("aria-live") == "polite"
    table_top = wrapper.locator("table").bounding_box()["y"]
    assert count.bounding_box()["y"] + count.bounding_box()["height"] <= table_top  # above the table, not after it
    if view.width == "desktop":  # on the filter's line
        b, c = box.bounding_box(), count.bounding_box()
        assert c["x"] > b["x"] + b["width"] and c["y"] < b["y"] + b["height"] and b["y"] < c["y"] + c["height"]
    rows = wrapper.locator("tbody tr")
    total = rows.count()
    assert count.inner_text() == f"{total} entries"
    box.fill("rlhf")
    shown = wrapper.locator("tbody tr:not([hidden])").count()
    assert 0 < shown < total
    assert count.inner_text() == f"{shown} of {total} entries"
    box.fill("")
    assert count.inner_text() == f"{total} entries"


def test_phone_table_scrolls_in_a_labelled_region_not_the_page(view):
    region = view.locator(".pn-entry-table .pn-table-scroll").first
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") and region.get_attribute("tabindex") == "0"
    page_width = view.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page_width[0] == page_width[1], page_width
    if view.width != "phone":
        return
    sizes = region.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1], sizes  # the table is wider than the phone: it scrolls in its region
    region.focus()
    assert view.evaluate("document.activeElement.classList.contains('pn-table-scroll')")
    view.keyboard.press("ArrowRight")
    view.keyboard.press("ArrowRight")
    view.wait_for_function("document.querySelector('.pn-table-scroll').scrollLeft > 0")
    assert view.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]") == page_width
    # The table begins on the first screen, not 1.5 screens down.
    assert region.bounding_box()["y"] < WIDTHS["phone"]["height"]


# moved from test_in_browser.py: every table page, filter and sort -----------------------------


def test_entry_table_filter(page, site_dir):
    pages = table_pages(site_dir)
    assert pages, "no page has an entry table with a filter box"
    for path in pages:
        page.goto(path)
        wrapper = page.locator(".pn-entry-table").filter(has=page.locator("input.pn-filter")).first
        rows = wrapper.locator("table.pn-table tbody tr")
        texts = [text.lower() for text in rows.evaluate_all("rows => rows.map(row => row.textContent)")]
        assert len(texts) >= 2
        # A word of the first row's name that some other row lacks, so the filter must hide something.
        words = re.findall(r"\w+", rows.first.locator("td").first.inner_text().lower())
        term = next((word for word in words if any(word not in text for text in texts)), None)
        assert term is not None, texts
        count = wrapper.locator(".pn-table-count")
        before = count.inner_text()
        wrapper.locator("input.pn-filter").fill(term)
        shown = [index for index in range(len(texts)) if rows.nth(index).is_visible()]
        assert shown == [index for index, text in enumerate(texts) if term in text]
        assert 0 < len(shown) < len(texts)
        assert count.inner_text() == f"{len(shown)} of {before}"
        wrapper.locator("input.pn-filter").fill("")
        assert all(rows.nth(index).is_visible() for index in range(len(texts)))
        assert count.inner_text() == before


def test_entry_table_sort(page, site_dir):
    pages = table_pages(site_dir)
    assert pages
    for path in pages:
        page.goto(path)
        table = page.locator(".pn-entry-table table.pn-table").first
        header = table.locator("thead th").first
        main = "tbody tr td:first-child p:first-child"
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        names = table.locator(main).all_inner_texts()
        ordered = page.evaluate(
            "names => names.slice().sort(new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'}).compare)",
            names,
        )
        assert names == ordered, path
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        assert table.locator(main).all_inner_texts() == list(reversed(ordered))


# tag and year pages --------------------------------------------------------------------------


def test_tag_chip_leads_to_a_page_of_that_tags_entries(page, site_dir):
    entries = json.loads((site_dir / "papers.json").read_text(encoding="utf-8"))["entries"]
    for start in (PAPERS, next(p for p in html_pages(site_dir) if p.startswith("families/"))):
        page.goto(start)
        chip = page.locator("a:has(.pn-tag) >> visible=true").first  # a family's tables wait closed
        tag = chip.locator(".pn-tag").inner_text().strip()
        chip.click()
        page.wait_for_url(re.compile(rf"/tags/{re.escape(tag)}\.html$"))
        assert tag in page.locator("h1").inner_text()
        expected = sorted(entry["url"] for entry in entries if tag in entry["tags"])
        links = page.locator("ul.pn-listing a").evaluate_all("links => links.map(a => a.pathname.slice(1) + a.hash)")
        assert sorted(links) == expected


def test_tag_list_shows_counts(page, site_dir):
    entries = json.loads((site_dir / "papers.json").read_text(encoding="utf-8"))["entries"]
    expected = Counter(tag for entry in entries for tag in entry["tags"])
    page.goto("tags/index.html")
    chips = page.locator("ul.pn-tag-list a").evaluate_all(
        "links => links.map(a => [a.querySelector('.pn-tag').firstChild.textContent.trim(),"
        " a.querySelector('.pn-tag-count').textContent.trim(), a.getClientRects().length])"
    )
    assert {tag: int(count) for tag, count, _ in chips} == dict(expected)
    assert all(boxes == 1 for _, _, boxes in chips)  # no chip breaks across lines
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")[0] <= 1400


def test_year_pages_list_each_years_entries(page, site_dir):
    entries = json.loads((site_dir / "papers.json").read_text(encoding="utf-8"))["entries"]
    page.goto("years/index.html")
    years = page.locator("ul.pn-year-list a").all_inner_texts()
    assert years == sorted({str(entry["year"]) for entry in entries if entry.get("year")}, reverse=True)
    page.locator("ul.pn-year-list a").first.click()
    links = page.locator("ul.pn-listing a").count()
    assert links == sum(1 for entry in entries if str(entry.get("year")) == years[0])
