"""How each entry type renders: notes first, a compact header, Cite collapsed, no self-links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papernotes.bibfile import read_bibliography
from papernotes.citations import citation_line
from papernotes.display import author_line

from helpers import build, html, warnings_of

pytestmark = pytest.mark.sphinx("html", testroot="basic", copy_test_root=True)


@pytest.fixture
def built(app):
    app.build()
    assert warnings_of(app) == []
    return app


def fields(section) -> dict[str, object]:
    """The entry's labelled facts as {label: <dd> element}."""
    names = [dt.get_text().rstrip(":") for dt in section.select(".pn-header dl.pn-fields > dt")]
    return dict(zip(names, section.select(".pn-header dl.pn-fields > dd"), strict=True))


def test_paper_header_comes_first_and_takes_everything_bibliographic_from_the_bib_entry(built):
    section = html(built, "families/gpt").select_one("section#paper-ouyang2022training")
    assert section.h2.get_text().rstrip("¶") == "Training language models to follow instructions with human feedback"
    # Title, header, notes, then Cite and "Referenced from": in that order, nothing else between them.
    children = [child for child in section.children if getattr(child, "name", None)]
    assert [child.name for child in children] == ["h2", "div", "div", "div"]
    assert [child["class"][0] for child in children[1:]] == ["pn-header", "pn-notes", "pn-more"]
    more = [child for child in children[-1].children if getattr(child, "name", None)]
    assert [(child.name, child["class"][0]) for child in more] == [("details", "pn-cite"), ("details", "pn-backlinks")]
    header = section.select_one("div.pn-header")
    assert header.select_one(".pn-byline .pn-badge.pn-type").get_text() == "Paper"
    # papernotes_max_authors = 2 in the test root: two names, then "et al." and the full list behind a click.
    assert header.select_one(".pn-byline-authors").get_text() == "Long Ouyang, Jeff Wu et al."
    details = header.select_one("details.pn-authors")
    assert details.summary.get_text() == "show all 4"
    assert "Diogo Almeida" in details.get_text()
    assert header.select_one(".pn-published").get_text() == " · Advances in Neural Information Processing Systems, 2022"
    links = {a.get_text(): a["href"] for a in header.select("a.pn-btn")}
    assert links == {"arXiv": "https://arxiv.org/abs/2203.02155", "PDF": "https://arxiv.org/pdf/2203.02155"}
    chips = header.select(".pn-actions .pn-chip")
    assert [chip.get_text() for chip in chips] == ["rlhf"]
    assert chips[0].find_parent("a")["href"]  # the chip links to the tag's entries
    assert fields(section)["Models"].a["href"] == "#model-instructgpt"
    assert "InstructGPT notes." in section.select_one("div.pn-notes").get_text()


def test_no_family_row_on_the_familys_own_page_and_a_link_elsewhere(tmp_path, rootdir):
    """On its family's page the "Family" row would link to the page itself; elsewhere it links there."""
    srcdir = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", srcdir)
    page = srcdir / "families" / "gpt.md"
    page.write_text(page.read_text() + "\n```{model} visitor\n:name: Visitor\n:family: llama\n```\n")
    app = build(srcdir)
    assert warnings_of(app) == []
    gpt = html(app, "families/gpt")
    assert "Family" not in fields(gpt.select_one("section#paper-ouyang2022training"))
    assert "Family" not in fields(gpt.select_one("section#model-instructgpt"))
    assert fields(gpt.select_one("section#model-visitor"))["Family"].a["href"] == "llama.html"
    for section in gpt.select("section.pn-entry"):
        assert all(a["href"] not in ("", "gpt.html", "#gpt") for a in section.select("a[href]")), section["id"]
    llama = html(app, "families/llama")
    assert not llama.select("section.pn-entry dl.pn-fields dt:-soup-contains('Family')")


def test_paper_cite_block_is_collapsed_with_a_citation_and_the_raw_bibtex(built):
    cite = html(built, "families/llama").select_one("section#paper-touvron2023llama details.pn-cite")
    assert not cite.has_attr("open")
    assert cite.summary.get_text() == "Cite"
    # pybtex's plain style: every author, the title in sentence case but for braced words, venue, year
    assert cite.select_one("p.pn-citation").get_text() == (
        "Hugo Touvron and Thibaut Lavril. "
        "LLaMA: open and efficient foundation language models. arXiv preprint arXiv:2302.13971, 2023. arXiv:2302.13971."
    )
    four = html(built, "families/gpt").select_one("section#paper-ouyang2022training p.pn-citation")
    assert four.get_text().startswith(
        "Long Ouyang, Jeff Wu, Xu Jiang, and Diogo Almeida. Training language models to follow instructions with "
        "human feedback. In Advances in Neural Information Processing Systems"
    )
    code = cite.select_one("div.highlight-bibtex pre").get_text()
    assert code.startswith("@article{touvron2023llama,")
    assert "shorttitle = {LLaMA}" in code


def test_paper_code_link_and_arxiv_from_journal_field(built):
    header = html(built, "families/llama").select_one("section#paper-touvron2023llama .pn-header")
    links = {a.get_text(): a["href"] for a in header.select("a.pn-btn")}
    assert links["Code"] == "https://github.com/facebookresearch/llama"
    assert links["arXiv"] == "https://arxiv.org/abs/2302.13971"
    assert [chip.get_text() for chip in header.select(".pn-chip")] == ["foundation", "open-weights"]


def test_entry_sections_are_in_the_table_of_contents(built):
    toc = built.env.tocs["families/llama"]
    titles = [ref.astext() for ref in toc.findall(lambda node: node.tagname == "reference")]
    assert "LLaMA: Open and Efficient Foundation Language Models" in titles
    assert "Alpaca 52K" in titles


def test_repo_model_and_dataset_headers_and_fields(built):
    page = html(built, "families/llama")
    repo = page.select_one("section#repo-tatsu-lab-stanford-alpaca")
    assert repo.select_one(".pn-byline .pn-type").get_text() == "Repository"
    assert repo.select_one(".pn-byline a.pn-btn")["href"] == "https://github.com/tatsu-lab/stanford_alpaca"
    assert [chip.get_text() for chip in repo.select(".pn-byline .pn-chip")] == ["instruction-tuning"]
    assert fields(repo)["Models"].get_text().strip() == "Alpaca"

    model = fields(page.select_one("section#model-alpaca"))
    assert model["Based on"].a["href"] == "#model-llama"
    assert model["Repository"].get_text().strip() == "Stanford Alpaca"
    assert model["Training data"].get_text().strip() == "Alpaca 52K"
    llama = page.select_one("section#model-llama")
    assert llama.select_one(".pn-type").get_text() == "Model"
    assert fields(llama)["Parameters"].get_text().strip() == "7B, 13B, 33B, 65B"
    assert fields(llama)["Licence"].get_text().strip() == "research only"

    dataset = page.select_one("section#dataset-alpaca-52k")
    assert dataset.select_one(".pn-type").get_text() == "Dataset"
    assert fields(dataset)["Size"].get_text().strip() == "52K"
    assert fields(dataset)["Languages"].get_text().strip() == "en"
    assert fields(dataset)["Licence"].get_text().strip() == "CC BY-NC 4.0"
    assert dataset.select_one("a.pn-btn")["href"] == "https://github.com/tatsu-lab/stanford_alpaca"


def test_without_sphinx_design_the_header_is_plain_links_and_chips(built):
    page = (Path(built.outdir) / "families" / "llama.html").read_text(encoding="utf-8")
    assert "pn-btn" in page
    assert "sd-btn" not in page
    assert "sd-badge" not in page


def test_with_sphinx_design_the_header_uses_its_badges_and_buttons(tmp_path, rootdir):
    srcdir = tmp_path / "design"
    shutil.copytree(rootdir / "test-basic", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text().replace('"myst_parser",', '"myst_parser", "sphinx_design",'))
    app = build(srcdir)
    assert warnings_of(app) == []
    section = html(app, "families/llama").select_one("section#paper-touvron2023llama")
    assert {"sd-btn", "sd-btn-outline-primary"} <= set(section.select_one("a.pn-btn")["class"])
    assert "sd-badge" in section.select_one(".pn-type")["class"]
    assert {"sd-badge", "sd-outline-primary"} <= set(section.select_one(".pn-chip")["class"])
    kinds = section.select("details.pn-backlinks .pn-badge")
    assert kinds and all("sd-badge" in kind["class"] for kind in kinds)


def test_a_list_one_longer_than_the_limit_is_shown_whole(tmp_path):
    """With papernotes_max_authors = 3 a 4-author paper shows all four, not "et al." and a button."""
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
        'papernotes_bibfiles = ["refs.bib"]\n',
        encoding="utf-8",
    )
    (srcdir / "refs.bib").write_text(
        "@article{four, title={Four}, author={A, Ann and B, Bob and C, Cy and D, Di}, year={2020}, journal={J}}\n"
        "@article{five, title={Five}, author={A, Ann and B, Bob and C, Cy and D, Di and E, Ed}, year={2021},"
        " journal={J}}\n",
        encoding="utf-8",
    )
    table = "```{entry-table}\n:types: paper\n:columns: name, authors\n```\n"
    page = "```{paper} four\n```\n\n```{paper} five\n```\n\n" + table
    (srcdir / "index.md").write_text("# Papers\n\n" + page, encoding="utf-8")
    app = build(srcdir)
    soup = html(app, "index")
    four = soup.select_one("section#paper-four")
    assert four.select_one(".pn-byline-authors").get_text() == "Ann A, Bob B, Cy C, Di D"
    assert four.select_one("details.pn-authors") is None
    five = soup.select_one("section#paper-five")
    assert five.select_one(".pn-byline-authors").get_text() == "Ann A, Bob B, Cy C et al."
    assert five.select_one("details.pn-authors summary").get_text() == "show all 5"
    # The table decides the same way (display.author_line is the one place).
    rows = [" ".join(row.get_text(" ").split()) for row in soup.select("table tbody tr")]
    assert any("Ann A, Bob B, Cy C, Di D" in row for row in rows), rows
    assert any("Ann A, Bob B, Cy C et al." in row for row in rows), rows


def test_the_citation_line_is_escaped(tmp_path):
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
        'papernotes_bibfiles = ["refs.bib"]\n',
        encoding="utf-8",
    )
    (srcdir / "refs.bib").write_text(
        "@article{x, title={A <b>bold</b> & risky title}, author={Evil, Eve}, year={2020}, journal={J <i>}}\n",
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text("# Papers\n\n```{paper} x\n```\n", encoding="utf-8")
    app = build(srcdir)
    text = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Eve Evil. A &lt;b&gt;bold&lt;/b&gt; &amp; risky title. J &lt;i&gt;, 2020." in text
    assert "<b>bold</b>" not in text


def test_author_line_rule():
    assert author_line(["A", "B", "C", "D"], False, 3).shown == "A, B, C, D"
    assert author_line(["A", "B", "C", "D"], False, 3).hidden == 0
    assert author_line(["A", "B", "C", "D", "E"], False, 3).shown == "A, B, C et al."
    assert author_line(["A", "B"], True, 3).shown == "A, B et al."
    assert author_line(["A", "B", "C"], False, 1).shown == "A et al."


def test_citation_lines_are_pybtex_plain_with_bibtex_et_al(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, title={One {GPU}}, author={Ouyang, Long and Wu, Jeff and others}, journal={J}, year={2022}}\n"
        "@article{b, title={Why?}, author={Ouyang, Long and others}, year={2022}}\n"
        "@misc{c, title={T}, author={van Beethoven, Ludwig}, year={2020}, howpublished={V}}\n",
        encoding="utf-8",
    )
    entries = read_bibliography([bib]).entries
    assert citation_line(entries["a"]) == "Long Ouyang, Jeff Wu, et al. One GPU. J, 2022."
    # an article without its journal is formatted as misc rather than failing
    assert citation_line(entries["b"]) == "Long Ouyang et al. Why? 2022."
    assert citation_line(entries["c"]) == "Ludwig van Beethoven. T. V, 2020."
