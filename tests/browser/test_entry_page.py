"""An entry reads notes first, in a real browser, at desktop and phone width, in light and dark.

Every family page is checked as a reader sees it: the notes are most of what the entries take;
no BibTeX shows until its Cite disclosure is opened, and then it wraps instead of scrolling
sideways; "Referenced from" is collapsed and says what each place is; nothing on the page links
to the page itself; the page never scrolls sideways on a phone. The pictures of a paper entry
in docs/contributing/testing.md are taken here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
PAPERS_BIB = Path(__file__).resolve().parent.parent.parent / "papers.bib"
KINDS = {"Paper", "Model", "Repository", "Dataset", "Page"}

#: Heights (px) of what a family page's entries are made of, measured in the browser.
MEASURE = """() => {
  const sum = selector => [...document.querySelectorAll(selector)]
    .reduce((total, node) => total + node.getBoundingClientRect().height, 0);
  return {
    entries: sum('section.pn-entry'),
    notes: sum('section.pn-entry > .pn-notes'),
    headers: sum('section.pn-entry > .pn-header'),
    titles: sum('section.pn-entry > :is(h2, h3, h4)'),
    more: sum('section.pn-entry > .pn-more'),
    // the family's own notes: the prose and figures of the page before its first subsection
    intro: sum('article[role=main] > section > :is(p, figure, .figure)'),
    page: document.querySelector('article[role=main]').getBoundingClientRect().height,
  };
}"""

#: Every link in the article that leads to the page itself: its top, or no anchor at all.
SELF_LINKS = """() => {
  const here = location.href.split('#')[0];
  const top = document.querySelector('article[role=main] section');
  const topIds = new Set([top ? top.id : '', '', 'top']);
  return [...document.querySelectorAll('article[role=main] a[href]')]
    .filter(link => !link.classList.contains('headerlink'))
    .map(link => [link.getAttribute('href'), new URL(link.getAttribute('href'), location.href)])
    .filter(([href, url]) => url.href.split('#')[0] === here && topIds.has(url.hash.slice(1)))
    .map(([href]) => href);
}"""


def family_pages(site_dir: Path) -> list[str]:
    pages = sorted(f"families/{path.name}" for path in (site_dir / "families").glob("*.html"))
    assert len(pages) >= 9, pages
    return pages


@pytest.fixture(params=[(size, scheme) for size in VIEWPORTS for scheme in SCHEMES], ids="-".join)
def reader(request, browser, site) -> Iterator[object]:
    """A tab at desktop or phone width, in the light or dark theme."""
    size, scheme = request.param
    phone = size == "phone"
    context = browser.new_context(
        base_url=site, viewport=VIEWPORTS[size], color_scheme=scheme, is_mobile=phone, has_touch=phone
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    tab = context.new_page()
    tab.size, tab.scheme = size, scheme
    yield tab
    context.close()


def test_family_pages_read_notes_first(reader, site_dir):
    """On every family page the notes are most of the page's height, no BibTeX shows, nothing scrolls sideways."""
    for path in family_pages(site_dir):
        reader.goto(path)
        heights = reader.evaluate(MEASURE)
        assert heights["entries"] > 0, path
        # The notes are most of what the entries take, and more than all their apparatus together.
        assert heights["notes"] > heights["entries"] / 2, (path, heights)
        assert heights["notes"] > heights["headers"] + heights["titles"] + heights["more"], (path, heights)
        # Counting the family's own introduction, the notes are most of the whole page's height.
        assert heights["notes"] + heights["intro"] > heights["page"] / 2, (path, heights)
        # Cite and "Referenced from" are closed, so no BibTeX is visible until asked for.
        assert reader.locator("details.pn-cite[open], details.pn-backlinks[open]").count() == 0, path
        bibtex = reader.locator(".pn-cite .highlight pre")
        assert all(not bibtex.nth(index).is_visible() for index in range(bibtex.count())), path
        width = reader.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[reader.size]["width"], (path, width)


def test_rlhf_page_has_bibtex_behind_every_cite(reader, site_dir):
    """Opening Cite shows the BibTeX and a one-line citation; the block wraps, the page does not scroll sideways."""
    reader.goto("families/rlhf.html")
    cites = reader.locator("section.pn-paper details.pn-cite")
    assert cites.count() >= 5
    for index in range(cites.count()):
        cite = cites.nth(index)
        assert not cite.locator("pre").is_visible()
        cite.locator("summary").click()
        pre = cite.locator(".highlight pre")
        assert pre.is_visible()
        assert cite.locator("p.pn-citation").is_visible()
        assert re.match(r"@\w+\{", pre.inner_text())
        # Wrapped, not cut off: nothing to scroll sideways inside the block.
        assert pre.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    width = reader.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[reader.size]["width"]
    # "@article" is not a link, and does not look like one (dark Pygments styles underline it).
    kind = reader.locator(".pn-cite .highlight .nc").first
    assert kind.evaluate("node => getComputedStyle(node).textDecorationLine") == "none"
    link = reader.locator("section.pn-paper .pn-notes a.reference").first
    assert kind.evaluate("node => getComputedStyle(node).color") != link.evaluate(
        "node => getComputedStyle(node).color"
    )


def test_opened_bibtex_passes_axe_scrollable_region_focusable(reader):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python")
    reader.goto("families/rlhf.html")
    reader.evaluate("document.querySelectorAll('details.pn-cite, details.pn-backlinks').forEach(d => d.open = true)")
    results = axe_module.Axe().run(reader, options={"runOnly": ["scrollable-region-focusable"]})
    violations = results.response["violations"]
    assert results.response["passes"] or results.response["inapplicable"]
    assert violations == [], [node["target"] for violation in violations for node in violation["nodes"]]


def test_bibtex_copy_button_copies_the_entry(page):
    """The copy button of an opened Cite copies the entry as papers.bib has it."""
    page.goto("families/rlhf.html")
    section = page.locator("section.pn-paper").filter(has=page.locator("details.pn-cite")).first
    section.locator("details.pn-cite > summary").click()
    block = section.locator(".pn-cite .highlight")
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    shown = block.locator("pre").inner_text()
    assert copied.strip() == shown.strip()
    key = section.get_attribute("id").removeprefix("paper-")
    assert re.match(rf"@\w+\{{{re.escape(key)},", copied.strip(), re.IGNORECASE), copied[:80]
    # What is copied is the entry as papers.bib has it.
    assert " ".join(copied.split()) in " ".join(PAPERS_BIB.read_text(encoding="utf-8").split())


def test_backlinks_are_collapsed_and_say_what_each_place_is(reader, site_dir):
    checked = 0
    for path in family_pages(site_dir):
        reader.goto(path)
        blocks = reader.locator("details.pn-backlinks")
        if not blocks.count():
            continue
        assert reader.locator("details.pn-backlinks[open]").count() == 0, path
        assert not any(item.is_visible() for item in reader.locator("details.pn-backlinks li").all()), path
        blocks.first.locator("summary").click()  # a click opens one
        assert blocks.first.locator("li").first.is_visible()
        reader.evaluate("document.querySelectorAll('details.pn-backlinks').forEach(d => d.open = true)")
        for block in blocks.all():
            places = [
                (kind, text)
                for kind, text in block.locator("li").evaluate_all(
                    "items => items.map(item => [item.querySelector('.pn-kind').textContent,"
                    " item.textContent.replace(item.querySelector('.pn-kind').textContent, '').trim()])"
                )
            ]
            assert places, path
            assert {kind for kind, _ in places} <= KINDS, places
            assert len(set(places)) == len(places), (path, places)  # a repeated title differs by its kind
            assert re.fullmatch(r"Referenced from \d+ places?", block.locator("summary").inner_text().strip())
            checked += 1
    assert checked > 20


def test_a_model_and_a_repository_of_the_same_title_are_told_apart(page, site_dir):
    """The model and the repository "LLaMA and its chat descendants › Alpaca-LoRA" each say which they are."""
    pages = [path for path in family_pages(site_dir) if "Alpaca-LoRA" in (site_dir / path).read_text(encoding="utf-8")]
    found = []
    for path in pages:
        page.goto(path)
        page.evaluate("document.querySelectorAll('details.pn-backlinks').forEach(d => d.open = true)")
        found += page.locator("details.pn-backlinks li").filter(has_text="› Alpaca-LoRA").all_inner_texts()
    kinds = {text.split()[0] for text in found}
    assert {"Model", "Repository"} <= kinds, found


def test_no_family_page_links_to_itself(reader, site_dir):
    """Neither a "Family" row nor a backlink leads to the page the reader is on (anchors within it may)."""
    for path in family_pages(site_dir):
        reader.goto(path)
        reader.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert reader.evaluate(SELF_LINKS) == [], path
        assert reader.locator("section.pn-entry dl.pn-fields dt", has_text="Family").count() == 0, path


def test_paper_entry_in_light_and_dark(browser, site, site_dir, tmp_path):
    """A paper entry at desktop and phone width, light and dark; the pictures are kept in the docs.

    With PAPERNOTES_SCREENSHOTS=<dir> the screenshots are written there (the docs keep them in
    docs/_static/screenshots/).
    """
    target = Path(os.environ.get("PAPERNOTES_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    colours = {}
    for size, viewport in VIEWPORTS.items():
        for scheme in SCHEMES:
            context = browser.new_context(base_url=site, viewport=viewport, color_scheme=scheme)
            tab = context.new_page()
            tab.goto("families/rlhf.html")  # not #anchor: the theme would highlight the targeted heading
            section = tab.locator("section.pn-paper").filter(has=tab.locator("details.pn-authors")).first
            colours[size, scheme] = section.evaluate(
                "node => [getComputedStyle(document.body).backgroundColor, getComputedStyle(node).color]"
            )
            # The theme's sticky phone header and "Back to top" button would cover the entry's top.
            tab.add_style_tag(content=".mobile-header, .back-to-top { visibility: hidden !important; }")
            section.screenshot(path=str(target / f"paper-entry-{size}-{scheme}.png"), animations="disabled")
            context.close()
    for size in VIEWPORTS:
        light, dark = colours[size, "light"], colours[size, "dark"]
        assert light != dark
        assert light[0] != light[1] and dark[0] != dark[1]
        pictures = [(target / f"paper-entry-{size}-{scheme}.png").read_bytes() for scheme in SCHEMES]
        assert all(picture[:8] == b"\x89PNG\r\n\x1a\n" for picture in pictures)
        assert pictures[0] != pictures[1]
