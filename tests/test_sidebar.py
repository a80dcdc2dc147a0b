"""papernotes.sidebar: generated pages outside every toctree share their folder's navigation, unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.testing.util import SphinxTestApp

from papernotes import sidebar

from helpers import ROOTS


def _generated_pages(outdir: Path) -> dict[str, bytes]:
    sources = {
        path.with_suffix("").relative_to(outdir / "_sources").as_posix()
        for path in (outdir / "_sources").rglob("*.txt")
    }
    pages = {path.relative_to(outdir).as_posix(): path for path in outdir.rglob("*.html")}
    return {
        name: path.read_bytes() for name, path in sorted(pages.items()) if name.removesuffix(".html") not in sources
    }


def _build_counting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[dict[str, bytes], int]:
    calls: list[str] = []
    original = StandaloneHTMLBuilder._get_local_toctree

    def counted(self: StandaloneHTMLBuilder, docname: str, collapse: bool = True, **kwargs: object) -> str:
        calls.append(docname)
        return original(self, docname, collapse, **kwargs)

    monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counted)
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-views", srcdir)
    # a theme whose sidebar shows the site's navigation on every page
    overrides = {"html_theme": "alabaster", "html_sidebars": {"**": ["navigation.html"]}}
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    monkeypatch.undo()
    return _generated_pages(Path(app.outdir)), len(calls)


def test_generated_pages_are_the_same_with_one_navigation_per_folder(tmp_path, monkeypatch):
    shared, shared_calls = _build_counting(tmp_path, monkeypatch, "shared")
    monkeypatch.setattr(sidebar, "share_navigation", lambda *args: None)  # what setup connects, for this build
    alone, alone_calls = _build_counting(tmp_path, monkeypatch, "alone")
    assert len(shared) > 10 and any(name.startswith("tags/") for name in shared)
    assert b"toctree-l1" in shared["tags/rlhf.html"]  # the navigation is on the page
    assert shared.keys() == alone.keys()
    for name in shared:
        assert shared[name] == alone[name], name
    # tags/ and years/ hold several listing pages each: their navigation was computed once per folder
    assert shared_calls < alone_calls
