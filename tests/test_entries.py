"""How each entry type renders: a section with bib-derived or option fields, notes and a Cite block."""

from __future__ import annotations

import pytest

from helpers import html, warnings_of

pytestmark = pytest.mark.sphinx("html", testroot="basic", copy_test_root=True)


@pytest.fixture
def built(app):
    app.build()
    assert warnings_of(app) == []
    return app


def fields(section) -> dict[str, object]:
    """The entry's field list as {label: <dd> element}."""
    names = [dt.get_text().rstrip(":") for dt in section.select("dl.pn-fields > dt")]
    return dict(zip(names, section.select("dl.pn-fields > dd"), strict=True))


def test_paper_takes_everything_bibliographic_from_the_bib_entry(built):
    section = html(built, "families/gpt").select_one("section#paper-ouyang2022training")
    assert section.h2.get_text().rstrip("¶") == "Training language models to follow instructions with human feedback"
    rows = fields(section)
    # papernotes_max_authors = 2 in the test root: two names, then "et al." and the full list behind a click.
    assert rows["Authors"].p.contents[0].strip() == "Long Ouyang, Jeff Wu et al."
    details = rows["Authors"].select_one("details.pn-details")
    assert details.summary.get_text() == "all 4 authors"
    assert "Diogo Almeida" in details.get_text()
    assert rows["Published"].get_text().strip() == "Advances in Neural Information Processing Systems, 2022"
    links = {a.get_text(): a["href"] for a in rows["Links"].select("a")}
    assert links == {"arXiv": "https://arxiv.org/abs/2203.02155", "PDF": "https://arxiv.org/pdf/2203.02155"}
    assert [a.get_text() for a in rows["Tags"].select("a")] == ["rlhf"]
    assert rows["Tags"].a["href"] == "../pn-tag.html#cap-rlhf"
    assert rows["Family"].get_text().strip() == "GPT family"
    assert "InstructGPT notes." in section.select_one("div.pn-notes").get_text()


def test_paper_cite_block_shows_the_raw_bibtex(built):
    cite = html(built, "families/llama").select_one("section#paper-touvron2023llama .pn-cite")
    assert cite.select_one("p.rubric").get_text() == "Cite"
    code = cite.select_one("div.highlight-bibtex pre").get_text()
    assert code.startswith("@article{touvron2023llama,")
    assert "shorttitle = {LLaMA}" in code


def test_paper_code_link_and_arxiv_from_journal_field(built):
    rows = fields(html(built, "families/llama").select_one("section#paper-touvron2023llama"))
    links = {a.get_text(): a["href"] for a in rows["Links"].select("a")}
    assert links["Code"] == "https://github.com/facebookresearch/llama"
    assert links["arXiv"] == "https://arxiv.org/abs/2302.13971"


def test_entry_sections_are_in_the_table_of_contents(built):
    toc = built.env.tocs["families/llama"]
    titles = [ref.astext() for ref in toc.findall(lambda node: node.tagname == "reference")]
    assert "LLaMA: Open and Efficient Foundation Language Models" in titles
    assert "Alpaca 52K" in titles


def test_repo_model_and_dataset_fields(built):
    page = html(built, "families/llama")
    repo = fields(page.select_one("section#repo-tatsu-lab-stanford-alpaca"))
    assert repo["Links"].a["href"] == "https://github.com/tatsu-lab/stanford_alpaca"
    assert repo["Models"].get_text().strip() == "Alpaca"

    model = fields(page.select_one("section#model-alpaca"))
    assert model["Based on"].a["href"] == "#model-llama"
    assert model["Repository"].get_text().strip() == "Stanford Alpaca"
    assert model["Training data"].get_text().strip() == "Alpaca 52K"
    llama = fields(page.select_one("section#model-llama"))
    assert llama["Parameters"].get_text().strip() == "7B, 13B, 33B, 65B"
    assert llama["Licence"].get_text().strip() == "research only"

    dataset = fields(page.select_one("section#dataset-alpaca-52k"))
    assert dataset["Size"].get_text().strip() == "52K"
    assert dataset["Languages"].get_text().strip() == "en"
    assert dataset["Licence"].get_text().strip() == "CC BY-NC 4.0"
    assert dataset["Links"].a["href"] == "https://github.com/tatsu-lab/stanford_alpaca"
