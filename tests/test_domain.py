"""The pn domain: roles that show short names, explicit titles, and objects in objects.inv."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

from helpers import html, warnings_of

pytestmark = pytest.mark.sphinx("html", testroot="basic", copy_test_root=True)


def test_roles_show_short_names_or_the_explicit_title(app):
    app.build()
    assert warnings_of(app) == []
    links = {a.get_text(): a["href"] for a in html(app, "index").select("a.reference.internal")}
    assert links["Ouyang et al. 2022"] == "families/gpt.html#paper-ouyang2022training"
    assert links["the LLaMA paper"] == "families/llama.html#paper-touvron2023llama"
    assert links["LLaMA"] == "families/llama.html#model-llama"
    assert links["Stanford Alpaca"] == "families/llama.html#repo-tatsu-lab-stanford-alpaca"
    assert links["Alpaca 52K"] == "families/llama.html#dataset-alpaca-52k"


def test_link_title_is_the_full_name(app):
    app.build()
    link = html(app, "index").select_one('a[href="families/gpt.html#paper-ouyang2022training"]')
    assert link["title"] == "Training language models to follow instructions with human feedback"


def test_objects_inv_holds_all_four_entry_types(app):
    app.build()
    with (Path(app.outdir) / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org/notes", lambda base, uri: f"{base}/{uri}")
    assert inventory["pn:paper"]["ouyang2022training"].uri.endswith("families/gpt.html#paper-ouyang2022training")
    assert inventory["pn:model"]["alpaca"].display_name == "Alpaca"
    assert "tatsu-lab/stanford_alpaca" in inventory["pn:repo"]
    assert "alpaca-52k" in inventory["pn:dataset"]


def test_tag_page_lists_entries_with_the_tag(app):
    app.build()
    page = html(app, "tags/instruction-tuning")
    assert "Stanford Alpaca" in page.select_one("ul.pn-listing").get_text()
