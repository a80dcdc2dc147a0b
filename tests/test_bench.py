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


def _pages_text(collection):
    return "".join(path.read_text() for path in sorted((collection.src / "families").glob("*.md")))


def test_generator_writes_the_same_papers_in_every_variant(collections):
    assert {collection.pages for collection in collections.values()} == {3}
    keys = [generate.paper_key(index) for index in range(N)]
    expected = [generate.paper_key(generate.link_target(index, N, FAMILY)) for index in range(N)]
    text = {variant: _pages_text(collection) for variant, collection in collections.items()}
    assert re.findall(r"\{paper\} (\S+)", text["papernotes"]) == keys
    assert re.findall(r"^:id: (\S+)$", text["needs"], re.MULTILINE) == keys
    for floor in generate.FLOORS:
        assert re.findall(r"^\((\S+)\)=$", text[floor], re.MULTILINE) == keys
    bib_keys = re.findall(r"@article\{(\w+),", (collections["papernotes"].src / "papers.bib").read_text())
    assert bib_keys == keys
    assert not any((collections[variant].src / "papers.bib").exists() for variant in ("floor", "plain", "needs"))
    # one cross-reference per note, to the same paper in every variant
    assert re.findall(r"\{paper\}`(\w+)`", text["papernotes"]) == expected
    assert re.findall(r"\{need\}`(\w+)`", text["needs"]) == expected
    assert re.findall(r"\{ref\}`(\w+)`", text["floor"]) == expected
    # the BibTeX floor has a BibTeX block per paper, the plain floor none; otherwise they are the same
    assert text["floor"].count("```bibtex") == N
    assert "bibtex" not in text["plain"]
    assert (
        re.sub(r"```\{rubric\} Cite\n```\n\n```bibtex\n.*?```\n", "", text["floor"], flags=re.DOTALL) == text["plain"]
    )
    # the same code link in every variant
    for variant in generate.VARIANTS:
        assert text[variant].count("https://github.com/example/repo") == N, variant


def test_shapes_spread_the_papers_over_pages_and_families(tmp_path):
    pages = generate.write_collection(tmp_path / "pages", 200, "papernotes", shape="pages")
    spanning = generate.write_collection(tmp_path / "spanning", 1000, "papernotes", shape="spanning")
    long = generate.write_collection(tmp_path / "long", 2000, "floor", shape="long")
    assert (pages.pages, spanning.pages, long.pages) == (4, 20, 2)

    def families(collection):
        return re.findall(r"^family: (\S+)$", _pages_text(collection), re.MULTILINE)

    assert families(pages) == [generate.family_id(index) for index in range(4)]
    spanned = families(spanning)
    assert len(spanned) == 20
    assert len(set(spanned)) == generate.SHAPES["spanning"].families
    assert spanned == sorted(spanned)  # each family's pages are contiguous
    assert re.findall(r'"(f\d+)": "Family', (spanning.src / "conf.py").read_text()) == sorted(set(spanned))
    for path in (long.src / "families").glob("*.md"):
        assert path.read_text().count("\n(paper") == 1000
    assert long.edit_page.name == "p001.md"


def test_peers_can_be_given_papernotes_collector_thresholds(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_PEERS_GC_THRESHOLD", "10000,10,10")
    for variant in generate.VARIANTS:
        conf = generate.write_collection(tmp_path / variant, N, variant, family_size=FAMILY).src / "conf.py"
        given = "gc.set_threshold(10000, 10, 10)" in conf.read_text(encoding="utf-8")
        assert given == (variant != "papernotes"), variant  # papernotes sets its own
    monkeypatch.delenv("BENCH_PEERS_GC_THRESHOLD")
    conf = generate.write_collection(tmp_path / "again", N, "floor", family_size=FAMILY).src / "conf.py"
    assert "set_threshold" not in conf.read_text(encoding="utf-8")


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


@pytest.mark.parametrize("variant", generate.VARIANTS)
def test_generated_collection_builds_without_warnings(make_app, collections, variant):
    if variant == "needs":
        pytest.importorskip("sphinx_needs", reason="sphinx-needs is in the bench dependency group only")
    collection = collections[variant]
    app = make_app("html", srcdir=collection.src)
    app.build()
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((Path(app.outdir) / "families" / "p000.html").read_text(), "html.parser")
    # every note's cross-reference resolved to a link to its target paper
    targets = {generate.paper_key(generate.link_target(index, N, FAMILY)) for index in range(FAMILY)}
    hrefs = {anchor["href"] for anchor in page.select("a.reference.internal")}
    for key in targets:
        assert any(key in href for href in hrefs), key


def test_build_reports_documents_read_and_written(tmp_path):
    collection = generate.write_collection(tmp_path / "site", 4, "papernotes", family_size=2)
    out = tmp_path / "out"
    first = run.build(collection, out, clean=True)
    assert sorted(first.read) == ["families/p000", "families/p001", "index"]
    assert first.rewritten >= 3
    assert first.warnings == 0
    assert first.maxrss_kb > 0
    assert first.cpu_seconds > 0
    assert run.build(collection, out).read == []
    docname = generate.edit_one_page(collection)
    edited = run.build(collection, out)
    assert edited.read == [docname]
    assert docname in edited.written
    assert 1 <= edited.rewritten < first.rewritten
    sizes = run.output_sizes(out)
    assert sizes["searchindex_bytes"] > 0
    assert sizes["largest_page_bytes"] >= (out / "html" / "index.html").stat().st_size
    assert sizes["largest_page_bytes"] == (out / "html" / sizes["largest_page"]).stat().st_size


def test_parse_output_reads_sphinx_status_lines():
    output = (
        "updating environment: 0 added, 2 changed, 0 removed\n"
        "reading sources... [ 50%] families/f001\n"
        "reading sources... [100%] index\n\n"
        "writing output... [100%] families/f001\n"
    )
    assert run.parse_output(output) == (["families/f001", "index"], ["families/f001"])


def _cell(n, variant, scenario, times, read=0, shape="pages"):
    cell = run.Cell(n, variant, scenario, shape=shape)
    for seconds in times:
        cell.runs.append(run.BuildRun(seconds, seconds / 2, 1024 * 100, ["x"] * read, [], 0, 0, rewritten=2))
    return cell


def _cells(ours_clean, ours_noop=(1.0, 1.0, 1.0), big_clean=None, j2=(1.0, 1.0, 1.0), read=1, needs=(3.0,) * 3):
    plan = {
        (1000, "plain", "clean"): (1.0, 1.0, 1.0),
        (1000, "floor", "clean"): (1.0, 2.0, 9.0),
        (1000, "needs", "clean"): needs,
        (1000, "papernotes", "clean"): ours_clean,
        (1000, "floor", "noop"): (1.0, 1.0, 1.0),
        (1000, "papernotes", "noop"): ours_noop,
        (1000, "floor", "edit"): (1.0, 1.0, 1.0),
        (1000, "papernotes", "edit"): (1.5, 1.5, 1.5),
        (1000, "papernotes", "j2"): j2,
    }
    if big_clean is not None:
        plan[5000, "floor", "clean"] = (5.0, 5.0, 5.0)
        plan[5000, "papernotes", "clean"] = big_clean
    return {
        (n, "pages", variant, scenario): _cell(n, variant, scenario, times, read if scenario == "edit" else 0)
        for (n, variant, scenario), times in plan.items()
    }


def _verdicts(summary):
    return {verdict["target"]: verdict for verdict in summary["targets"] if verdict["shape"] == "pages"}


def test_summary_uses_medians_and_judges_each_target():
    summary = report.summarise(_cells(ours_clean=(2.4, 2.6, 0.1), big_clean=(16.0, 17.0, 18.0)), {})
    clean = next(row for row in summary["rows"] if row["n"] == 1000 and row["scenario"] == "clean")
    assert clean["seconds"] == {"plain": 1.0, "floor": 2.0, "needs": 3.0, "papernotes": 2.4}
    assert clean["ratio"] == {"plain": pytest.approx(2.4), "floor": pytest.approx(1.2), "needs": pytest.approx(0.8)}
    assert clean["cpu_ratio"]["floor"] == pytest.approx(1.2)
    assert clean["ratios"]["floor"] == [2.4, 1.3, pytest.approx(0.011, abs=1e-3)]
    assert clean["rewritten"]["papernotes"] == 2
    verdicts = _verdicts(summary)
    assert verdicts["clean build at N=1,000 vs MyST + BibTeX"]["met_wall"] is True
    assert verdicts["clean build at N=1,000 vs sphinx-needs"]["met_wall"] is True
    assert verdicts["clean build at N=1,000 vs plain MyST"]["met_wall"] is False
    growth = verdicts["time per entry, N=5,000 vs N=1,000 (clean build)"]
    assert growth["wall"] == pytest.approx((17.0 / 5000) / (2.4 / 1000), abs=1e-3)
    assert growth["met_wall"] is False
    speedup = verdicts["-j 2 speed-up over serial at N=1,000 (wall)"]
    assert speedup["wall"] == pytest.approx(2.4)
    assert speedup["met_wall"] is True


def test_summary_flags_missed_targets_and_missing_sizes():
    cells = _cells(ours_clean=(3.0, 3.0, 3.0), ours_noop=(2.0, 2.0, 2.0), read=3, needs=(2.0,) * 3)
    outputs = {(1000, "pages", "papernotes"): {"searchindex_bytes": 1, "largest_page_bytes": 1_200_000}}
    summary = report.summarise(cells, outputs)
    verdicts = _verdicts(summary)
    assert verdicts["clean build at N=1,000 vs MyST + BibTeX"]["met_wall"] is False
    assert verdicts["clean build at N=1,000 vs sphinx-needs"]["met_wall"] is False
    assert verdicts["no-op rebuild at N=1,000 vs MyST + BibTeX"]["met_cpu"] is False
    assert verdicts["edit one page at N=1,000 vs MyST + BibTeX"]["met_wall"] is False  # 1.5 > 1.4
    assert verdicts["edit one page: pages re-read (most)"]["met_wall"] is False
    assert not any(name.startswith("time per entry") for name in verdicts)  # one size only
    page = next(verdict for name, verdict in verdicts.items() if name.startswith("largest HTML page"))
    assert page["met_wall"] is False


def test_markdown_has_a_row_per_measurement_and_a_line_per_target():
    outputs = {
        (1000, "pages", "floor"): {"searchindex_bytes": 2048, "largest_page_bytes": 4096, "largest_page": "a.html"}
    }
    summary = report.summarise(_cells(ours_clean=(3.0, 3.0, 3.0)), outputs)
    table = report.markdown_tables(summary)
    assert table.count("| 1,000 | pages | ") == len(summary["rows"]) + 1
    assert "| 1,000 | pages | MyST + BibTeX | – | 4 | `a.html` | 2 |" in table
    assert "| pages | clean build at N=1,000 vs MyST + BibTeX | ≤ 1.2× | 1.5 (**no**) |" in table
    assert table.count("\n| pages | ") == len(summary["targets"])


def test_plot_draws_a_line_per_variant_and_shape_without_script():
    cells = _cells(ours_clean=(3.0, 3.0, 3.0), big_clean=(14.0, 15.0, 16.0))
    outputs = {
        (n, "pages", variant): {"searchindex_bytes": 1, "largest_page_bytes": n * 100}
        for n in (1000, 5000)
        for variant in ("floor", "papernotes")
    }
    svg = report.svg_plot(report.summarise(cells, outputs))
    assert svg.startswith("<svg xmlns=")
    assert "<script" not in svg
    # clean-build times: plain, needs (one size), floor and papernotes (two); page sizes: floor, papernotes
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert sorted(len(points.split()) for points in lines) == [1, 1, 2, 2, 2, 2]
    assert svg.count(">limit</text>") == 1


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


def test_results_files_read_back_and_merge(tmp_path):
    first = _cells(ours_clean=(3.0, 3.0, 3.0))
    outputs = {
        (1000, "pages", "papernotes"): {"searchindex_bytes": 1, "largest_page_bytes": 2, "largest_page": "a.html"}
    }
    report.write_json(tmp_path / "a.json", {}, report.summarise(first, outputs), first)
    second = {(5000, "spanning", "floor", "clean"): _cell(5000, "floor", "clean", (7.0,), shape="spanning")}
    report.write_json(tmp_path / "b.json", {}, report.summarise(second, {}), second)
    cells, merged_outputs = report.read_json([tmp_path / "a.json", tmp_path / "b.json"])
    assert set(cells) == set(first) | set(second)
    assert [run.seconds for run in cells[1000, "pages", "papernotes", "clean"].runs] == [3.0, 3.0, 3.0]
    assert cells[5000, "spanning", "floor", "clean"].shape == "spanning"
    assert merged_outputs == outputs
    assert report.summarise(cells, merged_outputs)["rows"] == report.summarise({**first, **second}, outputs)["rows"]
