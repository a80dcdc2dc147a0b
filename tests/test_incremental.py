"""Parallel and incremental builds give the same site as a clean serial build, backlinks included."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import site_pages, warnings_of


def build(make_app, srcdir: Path, *, parallel: int = 0, fresh: bool = False):
    app = make_app("html", srcdir=srcdir, parallel=parallel, freshenv=fresh)
    app.build()
    app.cleanup()  # unregister docutils nodes, so the next app in this test starts clean
    return app


def clean_build(make_app, srcdir: Path, tmp_path: Path, name: str) -> dict[str, str]:
    """A clean serial build of a copy of the tree, as the reference."""
    copy = tmp_path / name
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    app = build(make_app, copy, fresh=True)
    return site_pages(app.outdir)


def test_parallel_build_equals_serial(make_app, copied_root, tmp_path):
    serial = build(make_app, copied_root("parallel", "serial"), fresh=True)
    parallel = build(make_app, copied_root("parallel", "parallel"), parallel=2, fresh=True)
    assert warnings_of(serial) == warnings_of(parallel) == []
    assert site_pages(parallel.outdir) == site_pages(serial.outdir)
    assert "p3.html#paper-paper3" in (Path(parallel.outdir) / "p2.html").read_text()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_rebuilds_equal_clean_builds(make_app, copied_root, tmp_path):
    srcdir = copied_root("parallel", "incremental")
    build(make_app, srcdir, fresh=True)

    # A new reference on one page adds a backlink on another, unchanged page.
    edit(srcdir / "p0.md", "Notes that cite", "Also {model}`model5`. Notes that cite")
    app = build(make_app, srcdir)
    assert site_pages(app.outdir) == clean_build(make_app, srcdir, tmp_path, "after-reference")
    assert "p0.html#paper-paper0" in (Path(app.outdir) / "p5.html").read_text()

    # Removing an entry: its backlinks elsewhere disappear, links to it dangle (and warn).
    edit(srcdir / "p7.md", "```{model} model7\n:name: Model 7\n:paper: paper7\n:base: model6\n```\n", "")
    app = build(make_app, srcdir)
    assert site_pages(app.outdir) == clean_build(make_app, srcdir, tmp_path, "after-removal")
    assert any("no model with id 'model7'" in line for line in warnings_of(app))

    # Editing papers.bib: the paper's page and the short names shown by links to it change.
    edit(srcdir / "refs.bib", "title={Paper number 3}", "title={A renamed paper}")
    edit(srcdir / "refs.bib", "author={Author3, Ann and Other, Bob}", "author={Zed, Zoe}")
    app = build(make_app, srcdir)
    assert site_pages(app.outdir) == clean_build(make_app, srcdir, tmp_path, "after-bib-edit")
    assert "A renamed paper" in (Path(app.outdir) / "p3.html").read_text()
    assert ">Zed 2018<" in (Path(app.outdir) / "p2.html").read_text()


def test_incremental_parallel_rebuild_equals_clean(make_app, copied_root, tmp_path):
    srcdir = copied_root("parallel", "incremental-parallel")
    build(make_app, srcdir, parallel=2, fresh=True)
    edit(srcdir / "p4.md", ":tags: t1", ":tags: t1, renamed")
    edit(srcdir / "p6.md", "Notes that cite", "See {paper}`paper1`. Notes that cite")
    app = build(make_app, srcdir, parallel=2)
    assert site_pages(app.outdir) == clean_build(make_app, srcdir, tmp_path, "reference")
