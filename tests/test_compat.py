"""One test per workaround in papernotes.compat, named after it: a Sphinx release that changes what it
relies on fails here, by name, before a reader's build does."""

from __future__ import annotations

import json
import shutil
import zlib
from pathlib import Path

from sphinx.domains.std import StandardDomain

from helpers import ROOTS, build, html, warnings_of


def test_allow_in_toctree(tmp_path: Path):
    """Generated pages (tag and year lists, the family index) can be toctree entries during a build only."""
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    assert "tags/index" in (srcdir / "index.md").read_text(encoding="utf-8")  # the root lists them in a toctree
    app = build(srcdir)
    assert not [line for line in warnings_of(app) if "tags/index" in line or "pn-family" in line]
    toctree_links = [a["href"] for a in html(app, "index").select(".toctree-wrapper a")]
    assert "tags/index.html" in toctree_links and "years/index.html" in toctree_links
    assert "pn-family.html" in toctree_links
    # Nothing leaks into the next application of the same process.
    assert not {"tags/index", "years/index", "pn-family"} & set(StandardDomain._virtual_doc_names)


def test_full_search_anchors(tmp_path: Path):
    """An entry whose display name is not its id is found by search at its real anchor."""
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    app = build(srcdir)
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    pn_types = {int(number) for number, (domain, _, _) in index["objnames"].items() if domain == "pn"}
    rows = [row for rows in index["objects"].values() for row in rows if row[1] in pn_types]
    assert rows, "no entry in the search index"
    anchors = {row[4]: row[3] for row in rows}
    assert "-" not in anchors.values()  # Sphinx's shorthand would rebuild "#model-Alpaca"
    assert anchors["Alpaca"] == "model-alpaca"


def test_add_std_labels(tmp_path: Path):
    """Every entry's anchor is a std:label in objects.inv, titled with the entry's name."""
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    app = build(srcdir)
    inventory = (Path(app.outdir) / "objects.inv").read_bytes()
    body = zlib.decompress(inventory.split(b"\n", 4)[4]).decode("utf-8")
    lines = {line.split(" ", 1)[0]: line for line in body.splitlines()}
    assert lines["model-alpaca"].startswith("model-alpaca std:label -1 families/llama.html#$ Alpaca")
    assert "paper-touvron2023llama std:label" in lines["paper-touvron2023llama"]
    assert app.env.domains["std"].labels["model-alpaca"] == ("families/llama", "model-alpaca", "Alpaca")


def test_complete_sitemap(tmp_path: Path):
    """sitemap.xml lists every page, sorted, also after an incremental build that wrote one page."""
    srcdir = tmp_path / "views"
    shutil.copytree(ROOTS / "test-views", srcdir)
    first = (Path(build(srcdir).outdir) / "sitemap.xml").read_text(encoding="utf-8")
    page = srcdir / "chat.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = (Path(build(srcdir, fresh=False).outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert again == first
    locations = [part.split("</loc>")[0] for part in first.split("<loc>")[1:]]
    assert locations == sorted(locations)
    assert any(location.endswith("families/llama.html") for location in locations)


def test_move_glossary_term(tmp_path: Path):
    """A Chinese glossary term is registered, and resolved by the term role, at its readable anchor."""
    srcdir = tmp_path / "search"
    shutil.copytree(ROOTS / "test-search", srcdir)
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text(encoding="utf-8").replace("papernotes_pagefind = True", ""), encoding="utf-8"
    )
    (srcdir / "index.md").write_text(
        (srcdir / "index.md").read_text(encoding="utf-8") + "\nSee {term}`奖励模型` and {term}`打分 <奖励模型>`.\n",
        encoding="utf-8",
    )
    app = build(srcdir)
    std = app.env.domains["std"]
    assert std.objects["term", "奖励模型"] == ("glossary", "term-Reward-model-zh")
    assert std._terms["奖励模型"] == ("glossary", "term-Reward-model-zh")
    links = [a["href"] for a in html(app, "index").select('a[href*="#term-"]')]
    assert links == ["glossary.html#term-Reward-model-zh"] * 2
    assert not [line for line in warnings_of(app) if "term not in glossary" in line or "term description" in line]


def test_render_fragment(tmp_path: Path):
    """A generated page's body has no section numbers, whatever page the builder wrote last, which it keeps."""
    from docutils import nodes  # noqa: PLC0415

    from papernotes.compat import render_fragment  # noqa: PLC0415

    srcdir = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    builder = build(srcdir).builder
    section = nodes.section("", nodes.title("Listing", "Listing"), ids=["listing"])
    builder.secnumbers = {"#listing": (4, 2)}  # as a numbered page written just before leaves them
    assert "4.2" in builder.render_partial(section.deepcopy())["fragment"]  # what the workaround avoids
    assert "4.2" not in render_fragment(builder, section.deepcopy())
    assert builder.secnumbers == {"#listing": (4, 2)}
    del builder.secnumbers, builder.fignumbers
    render_fragment(builder, section.deepcopy())
    assert "secnumbers" not in builder.__dict__ and "fignumbers" not in builder.__dict__
