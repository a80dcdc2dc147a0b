"""Provenance: ``:source:`` and ``:verified:`` on every entry type, shown, exported and counted."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import copy_and_build, html, warnings_of

SCHEMA = Path(__file__).parent.parent / "ext" / "papernotes" / "schema" / "papers.schema.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("provenance"), "provenance")


def test_builds_without_warnings(site):
    assert warnings_of(site) == []


def test_each_entry_says_where_and_when_it_was_checked(site):
    page = html(site, "families/llama")
    paper = page.select_one("section#paper-touvron2023llama .pn-more p.pn-provenance")
    assert paper.get_text(" ", strip=True) == "Checked against arxiv.org on 2026-11-30"
    assert [link["href"] for link in paper.select("a")] == ["https://arxiv.org/abs/2302.13971"]
    # several sources wait in a closed disclosure, so a long list never pushes the notes down
    model = page.select_one("section#model-llama .pn-more details.pn-provenance")
    assert model is not None and not model.has_attr("open")
    assert model.summary.get_text(strip=True) == "Checked on 2026-11-29 against 2 sources"
    assert [link["href"] for link in model.select("ul.pn-provenance-sources a")] == [
        "https://github.com/meta-llama/llama",
        "https://huggingface.co/meta-llama",
    ]
    assert [link.get_text() for link in model.select("a")] == [
        "github.com/meta-llama/llama",
        "huggingface.co/meta-llama",
    ]
    unverified = page.select_one("section#model-alpaca p.pn-provenance")
    assert unverified.get_text(" ", strip=True) == "Source: crfm.stanford.edu"
    assert page.select_one("section#dataset-alpaca-52k p.pn-provenance") is None


def test_papers_json_exports_provenance_valid_against_the_schema(site):
    export = json.loads((Path(site.outdir) / "papers.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(export)
    found = {(entry["type"], entry["id"]): entry for entry in export["entries"]}
    assert found["paper", "touvron2023llama"]["provenance"] == {
        "source": ["https://arxiv.org/abs/2302.13971"],
        "verified": "2026-11-30",
    }
    assert found["model", "alpaca"]["provenance"] == {
        "source": ["https://crfm.stanford.edu/2023/03/13/alpaca.html"],
    }  # not verified: no date, not a null one
    assert found["dataset", "alpaca-52k"]["provenance"] == {}
    assert all("source" not in entry["fields"] and "verified" not in entry["fields"] for entry in export["entries"])


def test_schema_rejects_an_http_source_and_a_malformed_date(site):
    export = json.loads((Path(site.outdir) / "papers.json").read_text(encoding="utf-8"))
    export["entries"][0]["provenance"] = {"source": ["http://arxiv.org/abs/2302.13971"], "verified": "30/11/2026"}
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(list(validator.iter_errors(export))) == 2
    for old_shape in ({"source": [], "verified": None}, {"verified": "2026-11-30"}, {"source": [""]}):
        export["entries"][0]["provenance"] = old_shape
        assert list(validator.iter_errors(export)), old_shape  # empty lists, nulls and a date without a source


def test_status_counts_and_lists_the_entries_not_yet_checked(site):
    page = html(site, "index")
    counts = page.select_one("p.pn-provenance-counts").get_text(" ", strip=True)
    assert (
        counts == "2 of 4 entries say where and when they were checked (1 of 1 paper; 1 of 2 models; 0 of 1 dataset)."
    )
    listed = [item.get_text(" ", strip=True) for item in page.select("ul.pn-unchecked > li")]
    assert listed == [
        "Alpaca — model, in families/llama; lacks :verified:",
        "Alpaca 52K — dataset, in families/llama; lacks :source: and :verified:",
    ]
    links = [link["href"] for link in page.select("ul.pn-unchecked a")]
    assert links == ["families/llama.html#model-alpaca", "families/llama.html#dataset-alpaca-52k"]
