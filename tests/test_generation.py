"""A no-op rebuild works out no site-wide file; any change to what they are made of does.

:mod:`papernotes.generation` lets ``papers.json``, the citation files, the tag and year pages,
``feed.xml`` and the ``llms.txt`` files skip their work when nothing they are made of changed.
These tests count that work through a real Sphinx build of the tiny site: none on a rebuild of an
unchanged tree, again after a page edit, a bibliography edit, a setting or a deleted output file.
(That the files are then right is the rebuild matrix's job, ``tests/test_rebuilds.py``.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_citations import write_tiny_site

from papernotes import citations, exports, feed, listings, llms

from helpers import build


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each site-wide file's inputs are worked out, in the builds of one test."""
    calls = {"exports": 0, "citations": 0, "listings": 0, "feed": 0, "llms": 0}

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(exports, "collection_json", counting("exports", exports.collection_json))
    monkeypatch.setattr(citations, "_fingerprint", counting("citations", citations._fingerprint))
    monkeypatch.setattr(listings, "_tag_pages", counting("listings", listings._tag_pages))
    monkeypatch.setattr(feed, "feed_xml", counting("feed", feed.feed_xml))
    monkeypatch.setattr(llms, "llms_files", counting("llms", llms.llms_files))
    return calls


def rebuild(srcdir: Path, calls: dict[str, int]) -> dict[str, int]:
    for name in calls:
        calls[name] = 0
    build(srcdir, fresh=False)
    return dict(calls)


def test_a_noop_rebuild_works_out_nothing_and_any_change_works_out_everything(tmp_path, counted):
    srcdir = write_tiny_site(tmp_path / "site")
    outdir = srcdir / "_build" / "html"
    everything = {"exports": 1, "citations": 1, "listings": 1, "feed": 1, "llms": 1}
    nothing = dict.fromkeys(everything, 0)
    assert rebuild(srcdir, counted) == everything  # the first build
    assert rebuild(srcdir, counted) == nothing

    page = srcdir / "index.md"
    listing = outdir / "tags" / "open.html"
    written = listing.stat().st_mtime_ns
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    # the listings show nothing of the notes: one digest of what they show spares grouping them
    assert rebuild(srcdir, counted) == {**everything, "listings": 0}
    assert listing.stat().st_mtime_ns == written
    assert rebuild(srcdir, counted) == nothing

    page.write_text(page.read_text(encoding="utf-8").replace(":tags: open\n", ":tags: open, fresh\n", 1), "utf-8")
    assert rebuild(srcdir, counted) == everything
    assert (outdir / "tags" / "fresh.html").is_file()
    assert rebuild(srcdir, counted) == nothing

    with (srcdir / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{unused2024,\n  title = {Unused},\n  author = {Other, Otto},\n  year = {2024},\n}\n")
    assert rebuild(srcdir, counted) == {**everything, "listings": 0}  # no page shows it, no listing lists it
    assert "unused2024" in (outdir / "papers.bib").read_text(encoding="utf-8")

    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_baseurl = "https://example.org/notes/"\n')
    assert rebuild(srcdir, counted) == everything
    assert "https://example.org/notes/" in (outdir / "papers.json").read_text(encoding="utf-8")

    (outdir / "papers.json").unlink()
    assert rebuild(srcdir, counted) == {**nothing, "exports": 1}
    assert (outdir / "papers.json").is_file()
