"""The real site in a real browser: tables, lineage graphs, keyboard, phone width.

Search is tested in test_search.py; entries (Cite, copy, backlinks, screenshots) in test_entry_page.py.

What each test expects is read from the built site itself (which pages contain a query, which
entry a graph node names), so the tests follow the notes as they grow and fail only when the
browser does something other than what the pages promise.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

SEARCH_DONE = (
    "() => { const s = document.querySelector('#search-results .search-summary');"
    " return s !== null && s.textContent.trim().length > 0; }"
)
PHONE = {"width": 375, "height": 740}


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
    """Tab reaches "Skip to content" before any link (only the theme's drawer buttons, which furo puts
    first in the page, may come before it at widths where the table of contents is a drawer);
    the search box is reachable and Enter searches."""
    page.goto("index.html")
    stops = []
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id"))
        if stops[-1] == "Skip to content":
            break
    assert stops[-1] == "Skip to content", stops
    assert set(stops[:-1]) <= {"__navigation", "__toc"}, stops
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


def test_lineage_graph_nodes_link_to_their_entries(page, site_dir):
    graphs = [p for p in html_pages(site_dir) if soup_of(site_dir, p).select("a.pn-lineage-node")]
    assert graphs, "no page has a lineage graph"
    checked = 0
    for path in graphs:
        for node in soup_of(site_dir, path).select("a.pn-lineage-node"):
            target = urljoin(path, node["href"])
            target_page, _, anchor = target.partition("#")
            # a box is a model or, for models trained on data, a dataset
            section = soup_of(site_dir, target_page).select_one(
                f"section#{anchor}.pn-entry.pn-model, section#{anchor}.pn-entry.pn-dataset"
            )
            assert section is not None, (path, node["href"])
            label = node.find("text").get_text(strip=True)
            # long names are shortened in their box ("BELLE Chinese instruction d…")
            assert label.removesuffix("…") in section.find(re.compile("^h[1-6]$")).get_text(), (label, target)
            checked += 1
    assert checked
    page.goto(graphs[0])
    node = page.locator("a.pn-lineage-node").first
    href = node.get_attribute("href")
    node.click()
    page.wait_for_url(re.compile(re.escape(href.split("#")[-1]) + "$"))
    assert page.evaluate(f"document.getElementById({href.split('#')[-1]!r}).classList.contains('pn-entry')")
