"""Figures on a phone: every SVG figure keeps its smallest label at 12 px or more and scrolls inside
its own focusable region, while the page itself never scrolls sideways; on a desktop it fits the column."""

from __future__ import annotations

import pytest

from papernotes.figures import LEGIBLE_PX

#: For each SVG figure: the region's visible and scrollable width, the image's drawn width and its
#: viewBox width, the smallest label's font size in SVG units, and the page's own scroll width.
MEASURE = """async () => {
  const out = [];
  for (const region of document.querySelectorAll('figure .pn-figure-scroll')) {
    const img = region.querySelector('img');
    const text = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const sizes = [...svg.querySelectorAll('[font-size]')].map(node => parseFloat(node.getAttribute('font-size')));
    out.push({
      src: img.getAttribute('src'), visible: region.clientWidth, scrollable: region.scrollWidth,
      drawn: img.getBoundingClientRect().width, viewBox: svg.viewBox.baseVal.width, smallest: Math.min(...sizes),
    });
  }
  return {figures: out, page: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""

PAGES = ["families/glm.html", "families/llama.html", "families/gpt.html", "families/rwkv.html"]


@pytest.mark.parametrize("path", PAGES)
def test_figures_keep_labels_legible_on_a_phone(browser, site, path):
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        tab.goto(site + path)
        found = tab.evaluate(MEASURE)
        assert found["figures"], path
        assert found["page"] <= found["viewport"], found  # the page never scrolls sideways
        for figure in found["figures"]:
            smallest_px = figure["smallest"] * figure["drawn"] / figure["viewBox"]
            assert smallest_px >= LEGIBLE_PX - 0.01, figure
            assert figure["scrollable"] > figure["visible"], figure  # it scrolls inside its region
        region = tab.locator("figure .pn-figure-scroll").first
        region.focus()
        tab.keyboard.press("ArrowRight")
        tab.wait_for_timeout(200)
        assert region.evaluate("node => node.scrollLeft") > 0  # a keyboard can scroll it
    finally:
        tab.close()


def test_figures_fit_the_column_on_a_desktop(browser, site):
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        tab.goto(site + "families/glm.html")
        found = tab.evaluate(MEASURE)
        for figure in found["figures"]:
            assert figure["scrollable"] <= figure["visible"] + 1, figure
    finally:
        tab.close()
