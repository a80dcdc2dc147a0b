"""The home page and the site chrome in a real browser: cards, phone-width keyboard access, graphs
that keep legible labels on a phone, figures in dark mode, the favicon."""

from __future__ import annotations

PHONE = {"width": 390, "height": 800}


def test_cards_sit_in_a_grid_of_columns(page):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("index.html")
    lefts = page.eval_on_selector_all(
        ".pn-family-cards .sd-card", "cards => cards.map(c => c.getBoundingClientRect().left)"
    )
    assert len(lefts) == 10 and len({round(left) for left in lefts}) == 3  # three columns on a desktop
    article = page.eval_on_selector("article[role=main]", "a => a.getBoundingClientRect().left")
    assert min(lefts) >= article - 1  # the grid does not stick out of the text column
    assert (
        page.locator("article .toctree-wrapper").count() == 0
        or not page.locator("article .toctree-wrapper").first.is_visible()
    )


def test_phone_menu_is_reached_by_keyboard_and_closed_drawers_are_skipped(page):
    page.set_viewport_size(PHONE)
    page.goto("families/llama.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "__navigation"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "__toc"
    for _ in range(6):  # the next stops are in the page, not in the hidden sidebar's 27 links
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('.sidebar-drawer, .toc-drawer')")
        assert not inside, page.evaluate("document.activeElement.outerHTML")
    page.focus("#__navigation")
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    assert page.is_visible(".sidebar-drawer .sidebar-tree a")
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    assert page.evaluate("getComputedStyle(document.querySelector('.sidebar-drawer')).visibility") == "hidden"


def test_graph_labels_stay_legible_on_a_phone(page):
    page.set_viewport_size(PHONE)
    for path, selector in (("index.html", ".pn-lineage svg"), ("papers.html", ".pn-timeline svg")):
        page.goto(path)
        svg = page.locator(selector).first
        scale = svg.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
        smallest = svg.evaluate(
            "s => Math.min(...[...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)))"
        )
        assert scale >= 0.999 and smallest * scale >= 12, (path, scale, smallest)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]  # the frame scrolls
        frame = svg.locator("xpath=..")
        assert frame.get_attribute("role") == "region" and frame.get_attribute("tabindex") == "0"


def test_figures_are_dimmed_in_dark_mode(context):
    context.add_init_script("localStorage.setItem('theme', 'dark')")
    tab = context.new_page()
    tab.goto("families/llama.html")
    figure = tab.locator("figure img[src$='.svg']").first
    assert "invert" in figure.evaluate("i => getComputedStyle(i).filter")
    tab.evaluate("document.body.dataset.theme = 'light'")
    assert figure.evaluate("i => getComputedStyle(i).filter") == "none"
    tab.close()


def test_the_favicon_is_served(page, site):
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto("index.html")
    page.wait_for_load_state("networkidle")
    icons = [status for url, status in responses if "favicon" in url]
    assert icons and all(status == 200 for status in icons)
