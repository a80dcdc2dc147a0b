"""axe-core (WCAG 2.1 A and AA) on every page of the real site, light and dark, at 1400 and 390 px.

One browser, one page per mode reused for every document; axe reports violations only (the
slowest part of a run is computing the rules that pass). A critical or serious violation fails
the test, listed by page, rule and element. The light desktop run covers every page; the other
three modes cover every page too, except that of the tag and year listings (one generator, one
layout, different rows) they check the first two of each, which keeps the run to minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python")

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
MODES = [(1400, "light"), (1400, "dark"), (390, "light"), (390, "dark")]
LISTINGS = {"tags", "years"}


def sampled(pages: list[str]) -> list[str]:
    """Every page, with only the first two pages of each listing folder (tags/, years/)."""
    kept: list[str] = []
    for page in pages:
        folder = page.split("/", 1)[0] if "/" in page else ""
        if folder in LISTINGS and sum(other.startswith(folder + "/") for other in kept) >= 2:
            continue
        kept.append(page)
    return kept


def every_page(site_dir: Path) -> list[str]:
    """Every HTML page written by this build (the theme's and extensions' files apart)."""
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).parts[0].startswith("_")
    )


@pytest.mark.parametrize(("width", "theme"), MODES, ids=[f"{width}px-{theme}" for width, theme in MODES])
def test_no_serious_or_critical_violation(browser, site, site_dir, width, theme):
    axe = axe_module.Axe()
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 900})
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    tab = context.new_page()
    found: dict[str, list[str]] = {}
    pages = every_page(site_dir)
    assert len(pages) > 25
    if (width, theme) != (1400, "light"):
        pages = sampled(pages)
    try:
        for page in pages:
            tab.goto(page)
            assert tab.evaluate("document.body.dataset.theme") == theme
            violations = axe.run(tab, options=OPTIONS).response["violations"]
            for violation in violations:
                if violation["impact"] in ("critical", "serious"):
                    targets = [str(node["target"]) for node in violation["nodes"]][:3]
                    found.setdefault(page, []).append(f"{violation['id']} ({len(violation['nodes'])}): {targets}")
    finally:
        context.close()
    assert found == {}
