"""The benchmark's generator, builds and report (the bench package), on tiny collections: never a timing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench import generate, report, run
from papernotes import bibfile
from papernotes.bibliography import bibliography_of

N, FAMILY = 7, 3


@pytest.fixture
def collections(tmp_path):
    return {
        variant: generate.write_collection(tmp_path / variant, N, variant, family_size=FAMILY)
        for variant in generate.VARIANTS
    }


def test_generator_writes_the_same_papers_in_both_variants(collections):
    papernotes, floor = collections["papernotes"], collections["floor"]
    assert papernotes.pages == floor.pages == 3
    pn_text = "".join(path.read_text() for path in sorted((papernotes.src / "families").glob("*.md")))
    floor_text = "".join(path.read_text() for path in sorted((floor.src / "families").glob("*.md")))
    keys = [generate.paper_key(index) for index in range(N)]
    assert re.findall(r"\{paper\} (\S+)", pn_text) == keys
    assert re.findall(r"^\((\S+)\)=$", floor_text, re.MULTILINE) == keys
    bib_keys = re.findall(r"@article\{(\w+),", (papernotes.src / "papers.bib").read_text())
    assert bib_keys == keys
    assert not (floor.src / "papers.bib").exists()
    # one cross-reference per note, to the same paper in both variants
    expected = [generate.paper_key(generate.link_target(index, N, FAMILY)) for index in range(N)]
    assert re.findall(r"\{paper\}`(\w+)`", pn_text) == expected
    assert re.findall(r"\{ref\}`(\w+)`", floor_text) == expected


def test_notes_are_about_two_hundred_words_and_link_to_another_page():
    text = generate.notes(12, "{paper}`paper00001`")
    assert 195 <= len(text.split()) <= 210
    for index in range(200):
        target = generate.link_target(index, 1000)
        assert target // generate.FAMILY_SIZE != index // generate.FAMILY_SIZE


def test_edit_changes_one_sentence_of_one_page(collections):
    collection = collections["floor"]
    pages = {path: path.read_text() for path in (collection.src / "families").glob("*.md")}
    docname = generate.edit_one_page(collection)
    assert docname == f"families/{collection.edit_page.stem}"
    changed = [path for path, text in pages.items() if path.read_text() != text]
    assert changed == [collection.edit_page]
    assert collection.edit_page.read_text().count("Revision 1.") == 1
    generate.edit_one_page(collection)
    assert collection.edit_page.read_text().count("Revision 2.") == 1


@pytest.mark.parametrize("variant", ["floor", "papernotes"])
def test_generated_collection_builds_without_warnings(make_app, collections, variant):
    collection = collections[variant]
    app = make_app("html", srcdir=collection.src)
    app.build()
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((Path(app.outdir) / "families" / "f000.html").read_text(), "html.parser")
    # every note's cross-reference resolved to a link to its target paper
    targets = {generate.paper_key(generate.link_target(index, N, FAMILY)) for index in range(FAMILY)}
    hrefs = {anchor["href"] for anchor in page.select("a.reference.internal")}
    for key in targets:
        assert any(key in href for href in hrefs), key


def test_build_reports_documents_read_and_written(tmp_path):
    collection = generate.write_collection(tmp_path / "site", 4, "papernotes", family_size=2)
    out = tmp_path / "out"
    first = run.build(collection, out, clean=True)
    assert sorted(first.read) == ["families/f000", "families/f001", "index"]
    assert first.warnings == 0
    assert first.maxrss_kb > 0
    assert first.cpu_seconds > 0
    assert run.build(collection, out).read == []
    docname = generate.edit_one_page(collection)
    edited = run.build(collection, out)
    assert edited.read == [docname]
    assert docname in edited.written
    sizes = run.output_sizes(out)
    assert sizes["searchindex_bytes"] > 0
    assert sizes["largest_page_bytes"] >= (out / "html" / "index.html").stat().st_size


def test_parse_output_reads_sphinx_status_lines():
    output = (
        "updating environment: 0 added, 2 changed, 0 removed\n"
        "reading sources... [ 50%] families/f001\n"
        "reading sources... [100%] index\n\n"
        "writing output... [100%] families/f001\n"
    )
    assert run.parse_output(output) == (["families/f001", "index"], ["families/f001"])


def _cell(n, variant, scenario, times, read=0):
    cell = run.Cell(n, variant, scenario)
    for seconds in times:
        cell.runs.append(run.BuildRun(seconds, seconds / 2, 1024 * 100, ["x"] * read, [], 0, 0))
    return cell


def _cells(ours_clean, ours_noop=(1.0, 1.0, 1.0), big_clean=None, j2=(1.0, 1.0, 1.0), read=1):
    cells = {}
    plan = {
        (1000, "floor", "clean"): (1.0, 2.0, 9.0),
        (1000, "papernotes", "clean"): ours_clean,
        (1000, "floor", "noop"): (1.0, 1.0, 1.0),
        (1000, "papernotes", "noop"): ours_noop,
        (1000, "floor", "edit"): (1.0, 1.0, 1.0),
        (1000, "papernotes", "edit"): (1.5, 1.5, 1.5),
        (1000, "floor", "j2"): (1.0, 1.0, 1.0),
        (1000, "papernotes", "j2"): j2,
    }
    if big_clean is not None:
        plan[5000, "floor", "clean"] = (5.0, 5.0, 5.0)
        plan[5000, "papernotes", "clean"] = big_clean
    for (n, variant, scenario), times in plan.items():
        cells[n, variant, scenario] = _cell(n, variant, scenario, times, read if scenario == "edit" else 0)
    return cells


def _verdicts(summary):
    return {verdict["target"]: verdict for verdict in summary["targets"]}


def test_summary_uses_medians_and_judges_each_target():
    summary = report.summarise(_cells(ours_clean=(2.4, 2.6, 0.1), big_clean=(14.0, 15.0, 16.0)), {})
    clean = next(row for row in summary["rows"] if row["n"] == 1000 and row["scenario"] == "clean")
    assert clean["floor_s"] == 2.0
    assert clean["papernotes_s"] == 2.4
    assert clean["ratio"] == pytest.approx(1.2)
    assert clean["cpu_ratio"] == pytest.approx(1.2)
    verdicts = _verdicts(summary)
    assert verdicts["clean build at N=1,000 vs floor"]["met_wall"] is True
    growth = verdicts["time per entry, N=5,000 vs N=1,000 (clean build)"]
    assert growth["wall"] == pytest.approx((15.0 / 5000) / (2.4 / 1000), abs=1e-3)
    assert growth["met_wall"] is False
    speedup = verdicts["-j 2 speed-up over serial at N=1,000 (wall)"]
    assert speedup["wall"] == pytest.approx(2.4)
    assert speedup["met_wall"] is True


def test_summary_flags_missed_targets_and_missing_sizes():
    summary = report.summarise(_cells(ours_clean=(3.0, 3.0, 3.0), ours_noop=(2.0, 2.0, 2.0), read=3), {})
    verdicts = _verdicts(summary)
    assert verdicts["clean build at N=1,000 vs floor"]["met_wall"] is False
    assert verdicts["no-op rebuild at N=1,000 vs floor"]["met_cpu"] is False
    assert verdicts["edit one page at N=1,000 vs floor"]["met_wall"] is True
    assert verdicts["edit one page: pages re-read"]["met_wall"] is False
    assert verdicts["time per entry, N=5,000 vs N=1,000 (clean build)"]["met_wall"] is None


def test_markdown_has_a_row_per_measurement_and_a_line_per_target():
    outputs = {(1000, "floor"): {"searchindex_bytes": 2048, "largest_page_bytes": 4096}}
    summary = report.summarise(_cells(ours_clean=(3.0, 3.0, 3.0)), outputs)
    table = report.markdown_tables(summary)
    assert table.count("| 1,000 | ") == len(summary["rows"]) + 1
    assert "| 1,000 | floor | 2 | 4 |" in table
    assert "| clean build at N=1,000 vs floor | ≤ 1.3× | 1.5 (**no**) |" in table


def test_no_op_rebuild_does_not_parse_the_bibliography_again(make_app, tmp_path, monkeypatch):
    collection = generate.write_collection(tmp_path / "site", 3, "papernotes", family_size=3)
    make_app("html", srcdir=collection.src).build()
    calls = []
    original = bibfile.parse_string

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(bibfile, "parse_string", counting)
    bibfile._cache.clear()  # as in a new sphinx-build process
    app = make_app("html", srcdir=collection.src)
    app.build()
    assert calls == []
    assert sorted(bibliography_of(app.env).entries) == [generate.paper_key(index) for index in range(3)]
    (collection.src / "papers.bib").write_text(generate.bib_entry(0) + generate.bib_entry(1))
    bibfile._cache.clear()
    app = make_app("html", srcdir=collection.src)
    assert len(calls) == 1
    assert sorted(bibliography_of(app.env).entries) == [generate.paper_key(0), generate.paper_key(1)]


def test_repeats_per_size():
    assert run.parse_repeats("3", [100, 5000]) == {100: 3, 5000: 3}
    assert run.parse_repeats("5,5000=2", [100, 1000, 5000]) == {100: 5, 1000: 5, 5000: 2}
    with pytest.raises(ValueError, match="at least 1"):
        run.parse_repeats("0", [100])


def test_parse_output_reads_single_line_progress():
    """With CI=true (or on a terminal) Sphinx redraws one line: carriage returns and erase-line codes."""
    output = (
        "\x1b[2Kreading sources... [ 50%] families/f001\r\x1b[2Kreading sources... [100%] index\r\n"
        "\x1b[2Kwriting output... [100%] families/f001\r\n"
    )
    assert run.parse_output(output) == (["families/f001", "index"], ["families/f001"])
