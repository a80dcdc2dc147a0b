"""The bibliography reader: fields as readers see them, and broken files that still build."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernotes.bib import latex_to_text, load_bibliography

from helpers import html, papernotes_warnings


def test_latex_to_text_decodes_accents_and_drops_braces():
    assert latex_to_text(r"{GLM}-130{B}: An \textit{Open} Model") == "GLM-130B: An Open Model"
    assert latex_to_text(r"M{\"u}ller \& Co") == "Müller & Co"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def test_fields_authors_and_short_title(tmp_path):
    path = write(
        tmp_path,
        "@article{a2023,\n  title={{LLaMA}: Open Models},\n  author={Touvron, Hugo and Lavril, Thibaut and others},\n"
        "  journal={arXiv preprint arXiv:2302.13971},\n  year={2023}\n}\n",
    )
    bibliography, _ = load_bibliography([path])
    entry = bibliography.get("a2023")
    assert entry is not None
    assert entry.title == "LLaMA: Open Models"
    assert entry.authors == ("Hugo Touvron", "Thibaut Lavril")
    assert entry.authors_truncated
    assert entry.arxiv_id == "2302.13971"
    assert entry.short_title() == "Touvron et al. 2023"
    assert entry.line == 1
    assert bibliography.problems == []


def test_unclosed_entry_and_duplicate_key_are_located_and_the_rest_survives(tmp_path):
    path = write(
        tmp_path,
        "@article{good, title={Good}, author={A, B}, year={2020}}\n\n"
        "@article{broken, title={Never closed}, author={C, D}, year={2021}\n\n"
        "@article{good, title={Again}, author={E, F}, year={2022}}\n\n"
        "@article{other, title={Other}, author={G, H}}\n",
    )
    bibliography, texts = load_bibliography([path])
    assert sorted(bibliography.entries) == ["good", "other"]
    problems = {(line, subtype) for _, line, subtype, _ in bibliography.problems}
    assert problems == {(3, "bib"), (5, "bib"), (7, "bibfield")}
    assert bibliography.dropped
    assert "Never closed" not in texts[path]
    assert "title={Good}" in texts[path]


@pytest.mark.sphinx("html", testroot="broken-bib", copy_test_root=True)
def test_broken_bib_file_still_builds_every_other_entry(app):
    app.build()
    warnings = papernotes_warnings(app, "bib")
    assert len(warnings) == 1, warnings
    assert "refs.bib:4" in warnings[0]
    assert "not closed" in warnings[0]
    page = html(app, "index")
    assert page.select_one("section#paper-fine h2").get_text().startswith("A Fine Paper")
    # sphinxcontrib-bibtex still formats citations from the cleaned copy.
    assert page.select_one("div.citation, div[role=doc-bibliography], .bibtex") is not None


def test_an_author_field_of_punctuation_is_no_author(tmp_path):
    path = write(tmp_path, "@article{odd, title={Odd}, author={,}, year={2020}}\n")
    bibliography, _ = load_bibliography([path])
    entry = bibliography.get("odd")
    assert entry.authors == ()
    assert entry.short_title() == "Odd"
    assert [(line, subtype) for _, line, subtype, _ in bibliography.problems] == [(1, "bibfield")]
