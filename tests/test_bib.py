"""The bibliography reader: fields as readers see them, and broken files that still build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papernotes.bibentry import latex_to_text
from papernotes.bibfile import read_bibliography
from papernotes.bibliography import entry_problems

from helpers import build, html, papernotes_warnings, warnings_of


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
    bibliography = read_bibliography([path])
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
    bibliography = read_bibliography([path])
    assert sorted(bibliography.entries) == ["good", "other"]
    problems = {(problem.line, problem.subtype, problem.key) for problem in bibliography.problems}
    assert problems == {(3, "bib", "broken"), (5, "bib", "good")}
    assert [subtype for subtype, _ in entry_problems(bibliography.entries["other"])] == ["bibfield"]
    assert "Never closed" not in bibliography.clean_text()
    assert "title={Good}" in bibliography.clean_text()
    kept, raws = bibliography.texts[str(path)], [bibliography.entries[key].raw for key in ("good", "other")]
    assert kept == raws and all(text is raw for text, raw in zip(kept, raws, strict=True))  # kept once


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
    bibliography = read_bibliography([path])
    entry = bibliography.get("odd")
    assert entry.authors == ()
    assert entry.short_title() == "Odd"
    assert bibliography.problems == []
    assert [subtype for subtype, _ in entry_problems(entry)] == ["bibfield"]


def project(tmp_path: Path, conf: str, files: dict[str, bytes | str], page: str = "") -> Path:
    """A one-page project with the given conf.py lines and bib files."""
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('source_suffix = {".md": "markdown"}\n' + conf, encoding="utf-8")
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (srcdir / name).write_bytes(data)
    (srcdir / "index.md").write_text("# Notes\n\n" + page, encoding="utf-8")
    return srcdir


def test_a_project_without_a_bibliography_uses_models_and_repos(tmp_path):
    """No bibtex_bibfiles, no sphinxcontrib-bibtex: entries build; a paper says where the key was looked for."""
    page = "```{model} m1\n:name: Model One\n```\n\n```{repo} owner/tool\n```\n\n```{paper} somekey\n```\n"
    app = build(project(tmp_path, 'extensions = ["myst_parser", "papernotes"]\n', {}, page))
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert "index.md:" in warnings[0]
    assert "no bibliography entry with this key (no bibliography configured)" in warnings[0]
    soup = html(app, "index")
    assert soup.select_one("section#model-m1") is not None and soup.select_one("section#repo-owner-tool") is not None


def test_the_bibliography_is_read_in_bibtex_encoding(tmp_path):
    """A Latin-1 file is read as the project says (bibtex_encoding), as sphinxcontrib-bibtex reads it."""
    bib = "@article{mueller, title={Über Modelle}, author={Müller, Jörg}, year={2020}, journal={J}}\n"
    conf = 'extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]\n'
    conf += 'bibtex_bibfiles = ["refs.bib"]\nbibtex_encoding = "latin-1"\n'
    app = build(project(tmp_path, conf, {"refs.bib": bib.encode("latin-1")}, "```{paper} mueller\n```\n"))
    assert warnings_of(app) == []
    section = html(app, "index").select_one("section#paper-mueller")
    assert section.h1 is None and "Über Modelle" in section.get_text()
    assert "Jörg Müller" in section.get_text()


def test_a_file_not_in_the_encoding_is_a_located_warning(tmp_path):
    bib = "@article{mueller, title={Über}, author={Müller, Jörg}, year={2020}, journal={J}}\n"
    conf = 'extensions = ["myst_parser", "papernotes"]\npapernotes_bibfiles = ["refs.bib"]\n'
    app = build(project(tmp_path, conf, {"refs.bib": bib.encode("latin-1")}, "Nothing yet.\n"))
    [warning] = warnings_of(app)
    assert "refs.bib:1: WARNING: cannot be read as utf-8-sig (invalid continuation byte at byte 25)" in warning
    assert "set bibtex_encoding to the file's encoding" in warning and warning.endswith("[papernotes.bib]")


def test_macros_of_one_file_serve_the_next(tmp_path):
    """Files are read together, as sphinxcontrib-bibtex reads them: @string in one, used in another."""
    files = {
        "macros.bib": '@string{neurips = "Advances in Neural Information Processing Systems"}\n',
        "papers.bib": "@inproceedings{p1, title={T}, author={A, B}, year={2022}, booktitle=neurips}\n",
    }
    conf = 'extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]\n'
    conf += 'bibtex_bibfiles = ["macros.bib", "papers.bib"]\n'
    page = "```{paper} p1\n```\n\nCited {cite:p}`p1`.\n\n```{bibliography}\n```\n"
    app = build(project(tmp_path, conf, files, page))
    assert warnings_of(app) == []
    text = html(app, "index").get_text()
    assert "Advances in Neural Information Processing Systems, 2022" in text


def test_a_missing_bib_file_warns_and_the_build_goes_on(tmp_path):
    """Alone, papernotes warns at the file; with sphinxcontrib-bibtex reading it, sphinxcontrib-bibtex warns."""
    conf = 'extensions = ["myst_parser", "papernotes"]\npapernotes_bibfiles = ["gone.bib"]\n'
    app = build(project(tmp_path, conf, {}, "Nothing yet.\n"))
    [warning] = warnings_of(app)
    assert "conf.py:3: WARNING: bibliography file not found: " in warning  # the line that names it
    assert warning.endswith(f"{tmp_path / 'site' / 'gone.bib'} [papernotes.bib]")
    shutil.rmtree(tmp_path / "site")
    conf = 'extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]\nbibtex_bibfiles = ["gone.bib"]\n'
    app = build(project(tmp_path, conf, {}, "Nothing yet.\n"))
    warnings = warnings_of(app)
    assert len(warnings) == 1 and "could not open bibtex file" in warnings[0], warnings


def test_entry_problems_are_checked_once_per_text_and_reported_on_every_build(tmp_path, monkeypatch):
    """The conventions are checked for new or edited entries only; the warnings stay the same."""
    import shutil  # noqa: PLC0415

    from papernotes import bibliography  # noqa: PLC0415

    from helpers import ROOTS, build, warnings_of  # noqa: PLC0415

    srcdir = tmp_path / "warnings"
    shutil.copytree(ROOTS / "test-warnings", srcdir)
    first = [line for line in warnings_of(build(srcdir)) if "refs.bib:" in line]
    checked: list[str] = []
    original = bibliography.entry_problems
    monkeypatch.setattr(bibliography, "entry_problems", lambda entry: checked.append(entry.key) or original(entry))
    again = [line for line in warnings_of(build(srcdir, fresh=False)) if "refs.bib:" in line]
    assert any("[papernotes.convention]" in line for line in first)
    assert again == first and checked == []
    bib = srcdir / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    assert "@article{given2023," in text
    bib.write_text(text.replace("@article{given2023,", "@article{given2023, note = {edited},", 1), encoding="utf-8")
    edited = [line for line in warnings_of(build(srcdir, fresh=False)) if "refs.bib:" in line]
    assert checked == ["given2023"] and edited == first


def test_a_clean_build_parses_each_entry_once_and_lets_the_entries_go(tmp_path, monkeypatch):
    """The citation lines and files take the entries the read parsed; none is kept after the build."""
    from pybtex.database.input.bibtex import Parser  # noqa: PLC0415
    from test_citations import write_tiny_site  # noqa: PLC0415

    from papernotes import bibfile  # noqa: PLC0415

    parsed_again: list[str] = []

    class CountingParser(Parser):  # type: ignore[misc]
        def parse_string(self, text: str):  # type: ignore[no-untyped-def]
            parsed_again.append(text)
            return super().parse_string(text)

    monkeypatch.setattr(bibfile, "BibtexParser", CountingParser)
    app = build(write_tiny_site(tmp_path / "site"))
    lines = [node.get_text() for node in html(app, "index").select("p.pn-citation")]
    assert len(lines) == 3 and (Path(app.outdir) / "papers.csl.json").is_file()
    assert parsed_again == [] and bibfile._parsed == {}
    build(tmp_path / "site", fresh=False)  # a no-op rebuild needs no entry at all
    assert parsed_again == [] and bibfile._parsed == {}


def test_every_entry_read_is_kept_for_the_build_however_many(tmp_path, monkeypatch):
    """A bounded cache dropped the oldest entry on every miss once the papers outnumbered it, and the
    citation lines and files, which go through the papers in the file's order, parsed each again."""
    from pybtex.database.input.bibtex import Parser  # noqa: PLC0415

    from papernotes import bibfile  # noqa: PLC0415

    bib = tmp_path / "many.bib"
    count = 5000
    entry = "@misc{{k{n},\n  author = {{Doe, Jane}},\n  title = {{T{n}}},\n  year = {{2023}},\n}}\n\n"
    bib.write_text("".join(entry.format(n=n) for n in range(count)), encoding="utf-8")
    bibliography = read_bibliography([bib])
    parsed_again: list[str] = []
    original = Parser.parse_string
    monkeypatch.setattr(Parser, "parse_string", lambda self, text: parsed_again.append(text) or original(self, text))
    for _ in range(2):
        for key, entry in bibliography.entries.items():
            assert bibfile.parsed_entry(bibliography.macros, entry.raw, key) is not None
    assert len(bibliography.entries) == count and parsed_again == []
    bibfile.forget_parsed()
