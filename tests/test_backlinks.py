"""'Referenced from': roles, relation options and citations all count; an entry never lists itself."""

from __future__ import annotations

import pytest

from helpers import html


def backlinks(page, anchor: str) -> list[tuple[str, str]]:
    block = page.select_one(f"section#{anchor} > div.pn-backlinks")
    if block is None:
        return []
    return [(a.get_text(), a["href"]) for a in block.select("a")]


@pytest.mark.sphinx("html", testroot="basic", copy_test_root=True)
def test_backlinks_collect_roles_relations_and_citations(app):
    app.build()
    page = html(app, "families/llama")
    assert backlinks(page, "paper-touvron2023llama") == [
        ("LLaMA › LLaMA", "#model-llama"),
        ("Test site", "../index.html#test-site"),
    ]
    assert backlinks(page, "model-llama") == [
        ("LLaMA › LLaMA: Open and Efficient Foundation Language Models", "#paper-touvron2023llama"),
        ("LLaMA › Alpaca", "#model-alpaca"),
        ("Test site", "../index.html#test-site"),
    ]
    gpt = html(app, "families/gpt")
    assert backlinks(gpt, "paper-ouyang2022training") == [
        ("GPT › InstructGPT", "#model-instructgpt"),
        ("LLaMA › LLaMA: Open and Efficient Foundation Language Models", "llama.html#paper-touvron2023llama"),
        ("Test site", "../index.html#test-site"),
    ]


@pytest.mark.sphinx("html", testroot="basic", srcdir="basic-self-reference", copy_test_root=True)
def test_an_entry_referencing_itself_is_not_its_own_backlink(app):
    (app.srcdir / "families" / "gpt.md").write_text(
        (app.srcdir / "families" / "gpt.md")
        .read_text()
        .replace("InstructGPT notes.", "See {paper}`ouyang2022training`."),
    )
    app.build()
    links = backlinks(html(app, "families/gpt"), "paper-ouyang2022training")
    assert all(href != "#paper-ouyang2022training" for _, href in links)
    assert len(links) == 3
