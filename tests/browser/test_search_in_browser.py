"""Search on the real site in Chromium: results are entries that open at their anchor, with snippets
from their notes, ranked by name, narrowed by filters, found in English and Chinese.

What a query should find is read from the built pages (which entries carry a tag, which pages
contain a word), so the tests follow the notes as they grow.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

#: The search page has finished a query when its summary says so (it stays empty while searching).
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

#: Elements that are part of a sentence: their text is searched even when papernotes made them.
INLINE = {"a", "span", "em", "strong", "code", "abbr", "cite", "sub", "sup"}


def soup_of(site_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")


def html_pages(site_dir: Path) -> list[str]:
    """The pages written from a source file: the ones the search index covers."""
    return sorted(
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*.html")
        if (site_dir / "_sources" / f"{path.relative_to(site_dir).with_suffix('')}.md.txt").is_file()
    )


def searched_text(site_dir: Path, page: str) -> str:
    """What of a page the index holds: its prose and its entries' notes (no graphs, tables, fields)."""
    soup = soup_of(site_dir, page)
    article = soup.select_one("article[role=main]") or soup.body
    notes = [" ".join(n.get_text(" ").split()) for n in article.select("section.pn-entry .pn-notes")]
    for chrome in article.select("script, style, svg, .headerlink, nav, [class*='pn-']"):
        if chrome.name not in INLINE:  # a link to an entry ({paper}`key`) is text of its paragraph
            chrome.decompose()
    return " ".join([" ".join(article.get_text(" ").split()), *notes]).lower()


def contains(text: str, query: str) -> bool:
    """Every part of the query is in the text: Chinese anywhere, a Latin word at the start of a word."""
    return all(
        re.search(rf"\b{re.escape(part)}", text) if part.isascii() else part in text for part in query.lower().split()
    )


def search(page: object, query: str, **filters: str) -> list[dict[str, str]]:
    """Run a query on the search page; the results shown, in order: href (page#anchor), details, snippet."""
    address = f"search.html?q={quote(query)}" + "".join(f"&{name}={quote(value)}" for name, value in filters.items())
    page.goto(address)
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    return results_of(page)


def results_of(page: object) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#search-results ul.search > li",
        """items => items.map(item => ({
            href: item.querySelector('a').getAttribute('href'),
            details: item.querySelector('.pn-search-details').textContent,
            snippet: item.querySelector('.pn-search-excerpt').textContent,
            marked: item.querySelectorAll('.pn-search-excerpt mark').length,
        }))""",
    )


def show_all(page: object) -> list[dict[str, str]]:
    """Press "Show more results" until every result is on the page."""
    more = page.locator(".pn-search-more")
    while more.is_visible():
        count = page.locator("#search-results ul.search > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results ul.search > li').length > {count}")
    return results_of(page)


def target(site: str, href: str) -> tuple[str, str]:
    """(page relative to the site root, anchor) of a result link."""
    parts = urlsplit(href)
    return parts.path.removeprefix(urlsplit(site).path), parts.fragment


def scrolled_to(page: object, anchor: str) -> None:
    """The page has scrolled (smoothly, in furo) until the anchor is at the top of the window."""
    top = f"document.getElementById('{anchor}').getBoundingClientRect().top"
    page.wait_for_function(f"() => {top} >= 0 && {top} < 200", timeout=10_000)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def snippet_comes_from(snippet: str, source: str) -> bool:
    """Every run of three words of the snippet is in the source text (punctuation and ellipses aside)."""
    found, have = words(snippet), " ".join(words(source))
    return all(" ".join(found[i : i + 3]) in have for i in range(max(1, len(found) - 2)))


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_every_page_that_contains_the_query(page, site, site_dir, query):
    expected = {p for p in html_pages(site_dir) if contains(searched_text(site_dir, p), query)}
    assert expected, f"no page of the site contains {query!r}: the query tests nothing"
    page.goto(f"search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    results = show_all(page)
    hrefs = [result["href"] for result in results]
    assert len(hrefs) == len(set(hrefs)), "a result is listed twice"
    found = {target(site, href)[0] for href in hrefs}
    assert expected <= found, sorted(expected - found)
    for href in hrefs:  # every result opens at an anchor its page has
        path, anchor = target(site, href)
        assert (site_dir / path).is_file(), href
        assert not anchor or soup_of(site_dir, path).find(id=anchor), href


def test_search_result_for_an_entry_links_to_its_anchor(page, site, site_dir):
    """An entry whose display name differs from its id is found by its name and opens at its anchor."""
    anchor = "model-instructgpt"
    [path] = [p for p in html_pages(site_dir) if soup_of(site_dir, p).select_one(f"section#{anchor}.pn-entry")]
    name = soup_of(site_dir, path).select_one(f"section#{anchor}").find(re.compile("^h[1-6]$")).get_text(strip=True)
    results = search(page, name.rstrip("¶#"))
    assert (path, anchor) in [target(site, result["href"]) for result in results[:2]]
    page.locator(f'#search-results a[href$="#{anchor}"]').click()
    page.wait_for_url(re.compile(rf"{re.escape(path)}#{anchor}$"))
    scrolled_to(page, anchor)


def test_reward_model_returns_paper_entries_that_open_at_their_anchor(page, site, site_dir):
    results = search(page, "reward model")
    first = [target(site, result["href"]) for result in results[:5]]
    assert sum(anchor.startswith("paper-") for _, anchor in first) >= 3, first
    page.locator("#search-results ul.search > li a").first.click()
    _, anchor = first[0]
    page.wait_for_url(re.compile(rf"#{anchor}$"))
    scrolled_to(page, anchor)


def test_lora_paper_comes_first_with_a_snippet_from_its_notes(page, site, site_dir):
    [first, *_] = search(page, "LoRA")
    path, anchor = target(site, first["href"])
    assert anchor == "paper-hu2022lora"
    assert "paper" in first["details"] and first["marked"] >= 1
    notes = soup_of(site_dir, path).select_one(f"section#{anchor} .pn-notes").get_text(" ")
    assert "lora" in first["snippet"].lower()
    assert snippet_comes_from(first["snippet"], notes), first["snippet"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("InstructGPT", {"model-instructgpt", "paper-ouyang2022training"}),  # a name and a paper's short name
        ("GLM", {"model-glm", "paper-du2022glm"}),  # above GLM-130B and ChatGLM, which contain it
        ("GLM-130B", {"model-glm-130b", "paper-zeng2023glm130b"}),
        ("LLaMA", {"model-llama", "paper-touvron2023llama"}),
    ],
)
def test_an_entry_named_by_the_query_ranks_first(page, site, query, named):
    results = search(page, query)
    assert {target(site, result["href"])[1] for result in results[: len(named)]} == named


def test_pages_come_after_entries_and_the_family_page_leads_them(page, site):
    page.goto(f"search.html?q={quote('LLaMA')}")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    results = show_all(page)
    kinds = ["page" if result["details"].startswith("page") else "entry" for result in results]
    assert kinds == sorted(kinds), "an entry is listed after a page"
    pages = [target(site, result["href"])[0] for result, kind in zip(results, kinds, strict=True) if kind == "page"]
    assert pages[0] == "families/llama.html", pages


@pytest.mark.parametrize("query", ["强化学习", "强化 学习", "基于人类反馈的强化学习"])
def test_chinese_queries_find_rlhf_entries(page, site, site_dir, query):
    results = search(page, query)
    rlhf = [
        anchor
        for path, anchor in (target(site, result["href"]) for result in results[:10])
        if anchor and "rlhf" in [a.get_text(strip=True) for a in soup_of(site_dir, path).select(f"#{anchor} .pn-tag")]
    ]
    assert len(rlhf) >= 3, results[:10]


def test_filters_narrow_the_results(page, site, site_dir):
    search(page, "model")
    everything = show_all(page)
    page.select_option("#pn-filter-type", "paper")
    page.wait_for_url(re.compile(r"type=paper"))
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    papers = show_all(page)
    assert 0 < len(papers) < len(everything)
    assert all(target(site, result["href"])[1].startswith("paper-") for result in papers)
    for name, value, check in [
        ("year", "2022", lambda result: "2022" in result["details"]),
        ("family", "RLHF and alignment tooling", lambda result: result["href"].split("#")[0].endswith("rlhf.html")),
        ("tag", "lora", None),
    ]:
        page.goto(f"search.html?q=&{name}={quote(value)}")
        page.wait_for_function(SEARCH_DONE, timeout=20_000)
        narrowed = show_all(page)
        assert narrowed, (name, value)
        assert page.input_value(f"#pn-filter-{name}") == value
        for result in narrowed:
            path, anchor = target(site, result["href"])
            assert anchor, result  # only entries carry a type, family, tag or year
            if check:
                assert check(result), result
            else:
                tags = [a.get_text(strip=True) for a in soup_of(site_dir, path).select(f"#{anchor} .pn-tag")]
                assert value in tags, (anchor, tags)


@pytest.mark.parametrize("query", ["alpaca", "2020", "RLHF", "BLOOM", "reward"])
def test_results_are_unique_and_snippets_come_from_notes_or_prose(page, site, site_dir, query):
    """No result twice; no snippet from a graph, a timeline, a table or a field list."""
    page.goto(f"search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    results = show_all(page)
    assert len({result["href"] for result in results}) == len(results)
    for result in results:
        path, anchor = target(site, result["href"])
        soup = soup_of(site_dir, path)
        if result["details"].startswith("page"):
            source = searched_text(site_dir, path)
        else:
            notes = soup.select_one(f"section#{anchor} .pn-notes")
            source = notes.get_text(" ") if notes else ""
        if result["snippet"].strip():
            assert snippet_comes_from(result["snippet"], source), (result["href"], result["snippet"])


def test_search_page_loaded_directly_is_labelled_and_keyboard_usable(page, site):
    page.goto("search.html?q=LoRA")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    assert page.input_value("#pn-search-input") == "LoRA"
    assert page.locator("#search-results ul.search > li").count() > 0
    for control in ("pn-search-input", "pn-filter-type", "pn-filter-family", "pn-filter-tag", "pn-filter-year"):
        assert page.locator(f'label[for="{control}"]').is_visible(), control
    # From the query box, Tab reaches the filters and then the first result.
    page.focus("#pn-search-input")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.getAttribute('href')"))
    assert "pn-filter-type" in reached and "pn-filter-year" in reached
    assert any(item and "#paper-hu2022lora" in item for item in reached), reached
    # A new query typed and submitted with Enter updates the address for sharing.
    page.fill("#pn-search-input", "Vicuna")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=Vicuna$"))
    page.wait_for_function("() => document.querySelector('#search-results a[href$=\"#model-vicuna\"]') !== null")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 390])
def test_search_page_has_no_serious_accessibility_violation(browser, site, scheme, width):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python")
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto("search.html?q=reward%20model")
    tab.wait_for_function(SEARCH_DONE, timeout=20_000)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = axe.Axe().run(tab, context={"include": [[".pn-search"]]}, options=options)
    context.close()
    serious = [v for v in results.response["violations"] if v["impact"] in ("critical", "serious")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
