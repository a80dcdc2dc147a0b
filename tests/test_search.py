"""Search without a browser: what each Pagefind document holds, the glossary's anchors, the search page.

The documents papernotes hands Pagefind are rebuilt here from a finished build (the same function
the build uses), so each test reads exactly what was indexed: one per entry with its filters,
meta and weights, one per page without its entries, and no chart or table text anywhere.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from papernotes import search
from papernotes.search_records import slug

from helpers import ROOTS, build, html, papernotes_warnings, warnings_of


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[SphinxTestApp, dict[str, BeautifulSoup]]:
    """The search root, built once; its Pagefind documents keyed by the URL each result opens."""
    srcdir = tmp_path_factory.mktemp("search") / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    app = build(srcdir)
    folder = tmp_path_factory.mktemp("documents")
    search.write_documents(app, search._load_records(app), folder)
    documents = {}
    for path in folder.glob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        url = soup.select_one('[data-pagefind-meta="url"]').get_text()
        assert url not in documents, f"two documents open {url}"
        documents[url] = soup
    return app, documents


def meta(soup: BeautifulSoup, name: str) -> str:
    found = soup.select_one(f'[data-pagefind-meta="{name}"]')
    return found.get_text() if found else ""


def filters(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in soup.select("[data-pagefind-filter]"):
        found.setdefault(span["data-pagefind-filter"], []).append(span.get_text())
    return found


def text(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("[data-pagefind-body]").get_text(" ").split())


def test_every_entry_is_a_document_of_its_own_opening_at_its_anchor(built):
    app, documents = built
    entries = {url for url, soup in documents.items() if meta(soup, "kind") == "entry"}
    assert entries == {
        "families/llama.html#paper-touvron2023llama",
        "families/llama.html#model-llama",
        "families/llama.html#model-alpaca",
        "families/rlhf.html#paper-ouyang2022training",
        "families/rlhf.html#repo-lvwerra-trl",
        "families/rlhf.html#dataset-hh-rlhf",
    }
    for url in entries:
        page, anchor = url.split("#")
        assert html(app, page.removesuffix(".html")).select_one(f"section#{anchor}.pn-entry"), url


def test_an_entry_document_has_filters_meta_and_weighted_names(built):
    _, documents = built
    paper = documents["families/rlhf.html#paper-ouyang2022training"]
    assert filters(paper) == {
        "kind": ["entry"],
        "type": ["paper"],
        "family": ["RLHF family"],
        "year": ["2022"],
        "tag": ["rlhf", "reward-model"],
    }
    assert meta(paper, "title") == "Training language models to follow instructions with human feedback"
    assert meta(paper, "short") == "InstructGPT"
    assert meta(paper, "type") == "paper"
    names = paper.select_one("#pn-names")
    assert names["data-pagefind-weight"] == "10"
    assert [p.get_text() for p in names.find_all("p")] == [meta(paper, "title"), "InstructGPT", "ouyang2022training"]
    # The notes come first and end where the fields start: the search page cuts its snippet there.
    body = paper.select_one("[data-pagefind-body]")
    notes, fields = body.find_all("div", recursive=False)[:2]
    assert "Labellers rank model outputs" in notes.get_text()
    assert fields["id"] == "pn-fields"
    assert "Long Ouyang" in fields.get_text()
    model = documents["families/llama.html#model-llama"]
    assert filters(model)["type"] == ["model"] and "year" not in filters(model)
    assert "research only" in text(model)
    assert filters(documents["families/rlhf.html#repo-lvwerra-trl"])["type"] == ["repository"]


def test_entry_documents_carry_the_chinese_words_of_their_glossary_terms(built):
    """Notes in English are found by a Chinese query through the terms their tags and links name."""
    _, documents = built
    terms = documents["families/rlhf.html#paper-ouyang2022training"].select_one("#pn-terms").get_text()
    for word in ("人类反馈强化学习", "基于人类反馈的强化学习", "奖励模型", "打分模型", "Reward model"):
        assert word in terms
    # A tag that names no glossary term adds only itself.
    assert "open weights" in documents["families/llama.html#paper-touvron2023llama"].select_one("#pn-terms").get_text()
    # The model tagged instruction-tuning gets the term's Chinese name.
    assert "指令微调" in text(documents["families/llama.html#model-alpaca"])


def test_a_duplicate_entry_and_chart_text_are_not_searched(built):
    _, documents = built
    everything = " ".join(text(soup) for soup in documents.values())
    assert "A duplicate" not in everything  # the second {model} alpaca: links go to the first
    # The home page is its intro: the graph, the timeline and the table under its headings are not text.
    home = documents["index.html"]
    assert meta(home, "kind") == "page"
    assert text(home) == "Search test A site with two families, a glossary and the graphs."
    assert not home.select("h2")  # headings over nothing but views are left out
    chrome_words = (
        "The graph in words",
        "fine-tuned from",
        "All entries",
        "Referenced from",
        "@inproceedings",
        "Authors",
    )
    for chrome in chrome_words:
        assert chrome not in " ".join(text(soup) for url, soup in documents.items() if "#" not in url), chrome


def test_a_page_document_is_the_page_without_its_entries_with_anchored_sections(built):
    _, documents = built
    rlhf = documents["families/rlhf.html"]
    assert filters(rlhf) == {"kind": ["page"]}
    assert "基于人类反馈的强化学习" in text(rlhf)
    assert "Quokkas" not in text(rlhf)  # an entry's notes are found in the entry, once
    assert rlhf.select_one("h1")["id"] == "rlhf"
    glossary = documents["glossary.html"]
    headings = {h["id"]: h.get_text() for h in glossary.select("h2, h3, h4")}
    assert headings["term-Reward-model"] == "Reward model · 奖励模型"
    assert all(not re.fullmatch(r"term-\d+", anchor) for anchor in headings)


def test_chinese_glossary_terms_have_anchors_from_their_english_name(built):
    app, _ = built
    page = html(app, "glossary")
    anchors = [dt["id"] for dt in page.select("dl.glossary dt")]
    assert anchors == [
        "term-Instruction-tuning",
        "term-Instruction-tuning-zh",
        "term-Reinforcement-learning-from-human-feedback",
        "term-RLHF",
        "term-Reinforcement-learning-from-human-feedback-zh",
        "term-Reward-model",
        "term-Reward-model-zh",
    ]
    # Links, the index and the inventory use the same anchors.
    assert page.select_one("dt#term-Reward-model-zh").get_text(strip=True).startswith("奖励模型")
    link = html(app, "families/rlhf").select_one('a[href*="#term-"]')["href"]
    assert link == "../glossary.html#term-Reward-model"
    std = app.env.domains["std"]
    assert std.objects["term", "奖励模型"] == ("glossary", "term-Reward-model-zh")
    genindex = (Path(app.outdir) / "genindex.html").read_text(encoding="utf-8")
    assert "glossary.html#term-Reward-model-zh" in genindex
    assert not re.search(r"#term-\d+\"", genindex)


def test_search_page_queries_pagefind_with_labelled_filters(built):
    app, _ = built
    outdir = Path(app.outdir)
    assert (outdir / search.BUNDLE / "pagefind.js").is_file()
    assert list((outdir / search.BUNDLE / "fragment").iterdir())
    page = BeautifulSoup((outdir / "search.html").read_text(encoding="utf-8"), "html.parser")
    section = page.select_one("section.pn-search")
    assert section["data-bundle"] == "_pagefind/pagefind.js"
    assert page.select_one('script[src^="_static/papernotes-search.js"]')
    assert not page.select_one('script[src*="searchtools"]')
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    form = page.select_one("form[role=search]")
    for control in form.select("input, select"):
        assert form.select_one(f'label[for="{control["id"]}"]').get_text(strip=True), control["id"]
    assert [select["name"] for select in form.select("select")] == ["type", "family", "tag", "year"]
    assert page.select_one("#pn-search-input")["name"] == "q"  # search.html?q=WORDS keeps working


def test_records_of_removed_pages_leave_the_index(tmp_path: Path):
    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    build(srcdir)
    (srcdir / "families" / "rlhf.md").unlink()
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("families/rlhf\n", ""), encoding="utf-8")
    app = build(srcdir, fresh=False)
    records = search._load_records(app)
    assert sorted(record["docname"] for record in records) == ["families/llama", "glossary", "index"]


def test_a_rebuild_that_changes_nothing_searched_does_not_index_again(tmp_path: Path):
    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    first = build(srcdir)
    assert "Pagefind indexed" in first.status.getvalue()
    bundle = Path(first.outdir) / search.BUNDLE / "pagefind.js"
    assert "up to date" in build(srcdir, fresh=False).status.getvalue()
    page = srcdir / "families" / "rlhf.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Quokkas", "Wombats"), encoding="utf-8")
    changed = build(srcdir, fresh=False)
    assert "Pagefind indexed" in changed.status.getvalue()
    assert bundle.is_file()
    assert any("Wombats" in text for text in search.documents(changed, search._load_records(changed)).values())


def test_missing_pagefind_is_one_located_warning_and_sphinx_search_stays(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    app = build(srcdir)
    [warning] = papernotes_warnings(app, "config")
    assert f"{srcdir / 'conf.py'}:6" in warning
    assert "papernotes_pagefind" in warning and "pagefind[extended]" in warning
    assert "Traceback" not in app.warning.getvalue()
    assert not (Path(app.outdir) / search.BUNDLE).exists()
    assert "searchtools.js" in (Path(app.outdir) / "search.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("buildername", ["text", "singlehtml"])
def test_only_html_builds_are_indexed(tmp_path: Path, buildername: str):
    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    app = build(srcdir, buildername)
    assert not [line for line in warnings_of(app) if "papernotes.config" in line]
    assert not (Path(app.outdir) / search.BUNDLE).exists()
    assert not (Path(app.doctreedir) / "papernotes-search").exists()


def test_pagefind_is_off_unless_the_project_turns_it_on(tmp_path: Path):
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    assert "papernotes_pagefind" not in (srcdir / "conf.py").read_text(encoding="utf-8")
    app = build(srcdir)
    assert not (Path(app.outdir) / search.BUNDLE).exists()
    assert "searchtools.js" in (Path(app.outdir) / "search.html").read_text(encoding="utf-8")


def test_slug_matches_tags_to_glossary_terms():
    assert slug("Reward model") == slug("reward-model") == "reward-model"
    assert slug("RLHF") == "rlhf"
    assert slug("Low-rank adaptation") == "low-rank-adaptation"
