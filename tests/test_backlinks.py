"""'Referenced from': roles, relation options and citations all count, collapsed, each saying what it is.

An entry never lists itself, and a mention at the top of its own page is named but not linked.
"""

from __future__ import annotations

import pytest

from helpers import html, warnings_of


def backlinks(page, anchor: str) -> list[tuple[str, str, str]]:
    """(kind, label, href) of each place; href is "" for a place named without a link."""
    block = page.select_one(f"section#{anchor} > div.pn-more > details.pn-backlinks")
    if block is None:
        return []
    places = []
    for item in block.select("li"):
        link = item.select_one("a")
        text = link.get_text() if link else item.select_one(".pn-here").get_text()
        places.append((item.select_one(".pn-kind").get_text(), text, link["href"] if link else ""))
    return places


@pytest.mark.sphinx("html", testroot="basic", copy_test_root=True)
def test_backlinks_collect_roles_relations_and_citations(app):
    app.build()
    page = html(app, "families/llama")
    assert backlinks(page, "paper-touvron2023llama") == [
        ("Model", "LLaMA › LLaMA", "#model-llama"),
        ("Page", "Test site", "../index.html#test-site"),
    ]
    assert backlinks(page, "model-llama") == [
        ("Paper", "LLaMA › LLaMA: Open and Efficient Foundation Language Models", "#paper-touvron2023llama"),
        ("Model", "LLaMA › Alpaca", "#model-alpaca"),
        ("Page", "Test site", "../index.html#test-site"),
    ]
    gpt = html(app, "families/gpt")
    assert backlinks(gpt, "paper-ouyang2022training") == [
        ("Model", "GPT › InstructGPT", "#model-instructgpt"),
        ("Paper", "LLaMA › LLaMA: Open and Efficient Foundation Language Models", "llama.html#paper-touvron2023llama"),
        ("Page", "Test site", "../index.html#test-site"),
    ]
    block = gpt.select_one("section#paper-ouyang2022training > div.pn-more > details.pn-backlinks")
    assert not block.has_attr("open")
    assert block.summary.get_text() == "Referenced from 3 places"


@pytest.mark.sphinx("html", testroot="basic", srcdir="basic-self-reference", copy_test_root=True)
def test_an_entry_referencing_itself_is_not_its_own_backlink(app):
    (app.srcdir / "families" / "gpt.md").write_text(
        (app.srcdir / "families" / "gpt.md")
        .read_text()
        .replace("InstructGPT notes.", "See {paper}`ouyang2022training`."),
    )
    app.build()
    links = backlinks(html(app, "families/gpt"), "paper-ouyang2022training")
    assert all(href != "#paper-ouyang2022training" for _, _, href in links)
    assert len(links) == 3


@pytest.mark.sphinx("html", testroot="basic", srcdir="basic-same-titles", copy_test_root=True)
def test_places_with_the_same_title_say_what_they_are_and_the_page_top_is_not_linked(app):
    """A model and a repository both named "Alpaca" point at the dataset: the kind tells them apart.

    The page's introduction mentions the dataset too: it is listed as "this page", without a link
    to the top of the page the reader is on.
    """
    page = app.srcdir / "families" / "llama.md"
    text = page.read_text()
    text = text.replace("# LLaMA\n", "# LLaMA\n\nThe family's data: {dataset}`alpaca-52k`.\n")
    text += "\n```{repo} other/thing\n:name: Alpaca\n\nTrained on {dataset}`alpaca-52k`.\n```\n"
    page.write_text(text)
    app.build()
    assert warnings_of(app) == []
    places = backlinks(html(app, "families/llama"), "dataset-alpaca-52k")
    assert ("Page", "LLaMA (this page)", "") in places
    assert ("Model", "LLaMA › Alpaca", "#model-alpaca") in places
    assert ("Repository", "LLaMA › Alpaca", "#repo-other-thing") in places
    hrefs = [href for _, _, href in places if href]
    assert len(hrefs) == len(set(hrefs))
    assert "#llama" not in hrefs
