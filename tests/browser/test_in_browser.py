"""The real site in a real browser: search, copy, tables, lineage graphs, keyboard, phone width.

What each test expects is read from the built site itself (which pages contain a query, which
entry a graph node names), so the tests follow the notes as they grow and fail only when the
browser does something other than what the pages promise.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

SEARCH_DONE = (
    "() => { const s = document.querySelector('#search-results .search-summary');"
    " return s !== null && s.textContent.trim().length > 0; }"
)
#: Queries a reader types: English words, Chinese terms, and Chinese phrases of several words.
QUERIES = [
    "InstructGPT",
    "reward model",
    "LoRA",
    "强化学习",
    "指令微调",
    "基于人类反馈的强化学习",
    "强化学习 人类反馈",
]
PHONE = {"width": 375, "height": 740}
PAPERS_BIB = Path(__file__).resolve().parent.parent.parent / "papers.bib"


def html_pages(site_dir: Path) -> list[str]:
    """Every page of the site, as paths relative to its root (not the index or search pages)."""
    skip = {"genindex.html", "search.html"}
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).parts[0].startswith("_") and path.name not in skip
    )


def soup_of(site_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")


def main_text(site_dir: Path, page: str) -> str:
    """The text of a page's article, as the search index sees it (no navigation, no footer)."""
    soup = soup_of(site_dir, page)
    for hidden in soup.select("script, style, svg, .headerlink"):  # a graph's labels are not text
        hidden.decompose()
    article = soup.select_one("article[role=main]") or soup.body
    return " ".join(article.get_text(" ").split()).lower()


def documents(site_dir: Path) -> list[str]:
    """The pages written from a source file: the ones the search index covers."""
    return [page for page in html_pages(site_dir) if (site_dir / "_sources" / f"{page[:-5]}.md.txt").is_file()]


def pages_containing(site_dir: Path, query: str) -> set[str]:
    """The documents whose text contains every space-separated part of the query."""
    return {page for page in documents(site_dir) if contains(main_text(site_dir, page), query)}


def contains(text: str, query: str) -> bool:
    """Every part of the query is in the text: Chinese anywhere, a Latin word at the start of a word."""
    return all(
        re.search(rf"\b{re.escape(part)}", text) if part.isascii() else part in text for part in query.lower().split()
    )


def search(page: object, query: str) -> list[str]:
    """Run a query on the search page; return the result links (page#anchor) in order."""
    page.goto(f"search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    return [link.get_attribute("href") for link in page.query_selector_all("#search-results ul.search li > a")]


def entry_page(site_dir: Path, anchor: str) -> str:
    """The page that defines an entry anchor."""
    pages = [page for page in html_pages(site_dir) if soup_of(site_dir, page).select_one(f"section#{anchor}.pn-entry")]
    assert len(pages) == 1, (anchor, pages)
    return pages[0]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_every_page_that_contains_the_query(page, site_dir, query):
    expected = pages_containing(site_dir, query)
    assert expected, f"no page of the site contains {query!r}: the query tests nothing"
    results = search(page, query)
    found = {urlsplit(href).path for href in results}
    assert expected <= found, sorted(expected - found)
    everywhere = {p for p in html_pages(site_dir) if contains(soup_of(site_dir, p).get_text().lower(), query)}
    assert found <= everywhere, sorted(found - everywhere)


def test_search_result_for_an_entry_links_to_its_anchor(page, site_dir):
    """An entry's object result lands on the entry (its display name differs from its id)."""
    anchor = "model-instructgpt"
    name = (
        soup_of(site_dir, entry_page(site_dir, anchor))
        .select_one(f"section#{anchor}")
        .find(re.compile("^h[1-6]$"))
        .get_text(strip=True)
    )
    results = search(page, name.rstrip("¶#"))
    assert f"{entry_page(site_dir, anchor)}#{anchor}" in results
    anchors = {urlsplit(href).fragment for href in results if urlsplit(href).fragment}
    for fragment in anchors:
        target = next(href for href in results if urlsplit(href).fragment == fragment)
        assert soup_of(site_dir, urlsplit(target).path).find(id=fragment), target


def test_bibtex_copy_button_copies_the_entry(page, site_dir):
    paper_page = next(p for p in html_pages(site_dir) if soup_of(site_dir, p).select_one(".pn-cite"))
    page.goto(paper_page)
    block = page.locator(".pn-cite .highlight").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    shown = block.locator("pre").inner_text()
    assert copied.strip() == shown.strip()
    key = soup_of(site_dir, paper_page).select_one(".pn-cite").find_parent("section")["id"].removeprefix("paper-")
    assert re.match(rf"@\w+\{{{re.escape(key)},", copied.strip(), re.IGNORECASE), copied[:80]
    # What is copied is the entry as papers.bib has it.
    assert " ".join(copied.split()) in " ".join(PAPERS_BIB.read_text(encoding="utf-8").split())


def test_no_page_logs_a_javascript_error(browser, site, site_dir):
    """Every page loads without an uncaught exception or console error (the missing favicon aside)."""
    context = browser.new_context(base_url=site)
    tab = context.new_page()
    errors: list[str] = []
    current = {"page": ""}
    tab.on("pageerror", lambda error: errors.append(f"{current['page']}: {error}"))

    def on_console(message: object) -> None:
        if message.type != "error":
            return
        if "favicon.ico" in (message.location or {}).get("url", ""):
            return
        errors.append(f"{current['page']}: {message.text}")

    tab.on("console", on_console)
    pages = [*html_pages(site_dir), "search.html?q=LLaMA", "genindex.html"]
    for path in pages:
        current["page"] = path
        tab.goto(path, wait_until="load")
        if path.startswith("search.html"):
            tab.wait_for_function(SEARCH_DONE, timeout=20_000)
    context.close()
    assert len(pages) > 10
    assert errors == []


def test_keyboard_skip_link_then_search_box(page):
    """Tab first reaches "Skip to content"; the search box is reachable and Enter searches."""
    page.goto("index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.sidebar-search')"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("LoRA")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=LoRA"))
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    assert page.query_selector_all("#search-results ul.search li > a")


def test_keyboard_follows_an_entry_link_with_visible_focus(page, site_dir):
    """Tabbing through a family page reaches links into its entries; focus is visible; Enter follows."""
    family = next(
        p for p in html_pages(site_dir) if p.startswith("families/") and soup_of(site_dir, p).select(".pn-entry")
    )
    page.goto(family)
    for _ in range(400):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if re.match(r"^#(paper|model|repo|dataset)-", href):
            break
    else:
        pytest.fail("Tab never reached a link to an entry")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === {href!r}")
    assert page.evaluate(f"document.getElementById({href[1:]!r}) !== null")


def test_phone_width_has_no_sideways_scroll_and_a_working_menu(browser, site, site_dir):
    context = browser.new_context(base_url=site, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        family = max(
            (p for p in html_pages(site_dir) if p.startswith("families/")),
            key=lambda p: len(soup_of(site_dir, p).select(".pn-entry")),
        )
        for path in ("index.html", family):
            tab.goto(path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (path, width)
        entry = tab.locator("section.pn-entry").first
        box = entry.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"] + 1
        drawer = tab.locator(".sidebar-drawer")
        assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 1  # off screen
        tab.locator("label.nav-overlay-icon").first.click()
        tab.wait_for_function("document.getElementById('__navigation').checked")
        # The drawer slides in: wait until it is on screen rather than for a fixed time.
        tab.wait_for_function("document.querySelector('.sidebar-drawer').getBoundingClientRect().left >= -1")
        assert tab.locator(".sidebar-drawer input.sidebar-search").is_visible()
    finally:
        context.close()


def table_pages(site_dir: Path) -> list[str]:
    return [p for p in html_pages(site_dir) if soup_of(site_dir, p).select_one(".pn-entry-table input.pn-filter")]


def test_entry_table_filter(page, site_dir):
    pages = table_pages(site_dir)
    assert pages, "no page has an entry table with a filter box"
    page.goto(pages[0])
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
    assert count.inner_text() != before
    assert str(len(shown)) in count.inner_text()
    wrapper.locator("input.pn-filter").fill("")
    assert all(rows.nth(index).is_visible() for index in range(len(texts)))
    assert count.inner_text() == before


def test_entry_table_sort(page, site_dir):
    pages = table_pages(site_dir)
    assert pages
    page.goto(pages[0])
    table = page.locator(".pn-entry-table table.pn-table").first
    header = table.locator("thead th").first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    names = table.locator("tbody tr td:first-child").all_inner_texts()
    ordered = page.evaluate(
        "names => names.slice().sort(new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'}).compare)",
        names,
    )
    assert names == ordered
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody tr td:first-child").all_inner_texts() == list(reversed(ordered))


def test_lineage_graph_nodes_link_to_their_entries(page, site_dir):
    graphs = [p for p in html_pages(site_dir) if soup_of(site_dir, p).select("a.pn-lineage-node")]
    assert graphs, "no page has a lineage graph"
    checked = 0
    for path in graphs:
        for node in soup_of(site_dir, path).select("a.pn-lineage-node"):
            target = urljoin(path, node["href"])
            target_page, _, anchor = target.partition("#")
            section = soup_of(site_dir, target_page).select_one(f"section#{anchor}.pn-entry.pn-model")
            assert section is not None, (path, node["href"])
            label = node.find("text").get_text(strip=True)
            assert label in section.find(re.compile("^h[1-6]$")).get_text(), (label, target)
            checked += 1
    assert checked
    page.goto(graphs[0])
    node = page.locator("a.pn-lineage-node").first
    href = node.get_attribute("href")
    node.click()
    page.wait_for_url(re.compile(re.escape(href.split("#")[-1]) + "$"))
    assert page.evaluate(f"document.getElementById({href.split('#')[-1]!r}).classList.contains('pn-entry')")


def test_paper_entry_in_light_and_dark(browser, site, site_dir, tmp_path):
    """Furo's light and dark themes both style the entry; the pictures are kept in the docs.

    With PAPERNOTES_SCREENSHOTS=<dir> the screenshots are written there (the docs keep them in
    docs/_static/screenshots/).
    """
    paper_page = next(p for p in html_pages(site_dir) if soup_of(site_dir, p).select_one("section.pn-paper .pn-cite"))
    anchor = soup_of(site_dir, paper_page).select_one("section.pn-paper")["id"]
    target = Path(os.environ.get("PAPERNOTES_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(base_url=site, viewport={"width": 1100, "height": 900}, color_scheme=scheme)
        tab = context.new_page()
        tab.goto(paper_page)  # not #anchor: the theme would highlight the targeted heading
        section = tab.locator(f"section#{anchor}")
        colours[scheme] = section.evaluate(
            "node => [getComputedStyle(document.body).backgroundColor, getComputedStyle(node).color]"
        )
        x, y, width, height = section.evaluate(
            "node => { const r = node.getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height]; }"
        )
        clip = {"x": max(0, x - 16), "y": max(0, y - 16), "width": width + 32, "height": min(height + 32, 1100)}
        tab.screenshot(path=str(target / f"paper-entry-{scheme}.png"), full_page=True, clip=clip, animations="disabled")
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["light"][0] != colours["light"][1]
    assert colours["dark"][0] != colours["dark"][1]
    light, dark = ((target / f"paper-entry-{scheme}.png").read_bytes() for scheme in ("light", "dark"))
    assert light[:8] == b"\x89PNG\r\n\x1a\n"
    assert light != dark
