"""Exports at the site root: papers.json (valid against its published schema), papers.bib, objects.inv."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from helpers import build, copy_and_build, html, warnings_of

ROOT = Path(__file__).parent / "roots" / "test-views"
SCHEMA = Path(__file__).parent.parent / "ext" / "papernotes" / "schema" / "papers.schema.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("exports"), "views")


@pytest.fixture(scope="module")
def export(site) -> dict:
    return json.loads((Path(site.outdir) / "papers.json").read_text(encoding="utf-8"))


def by_id(export: dict) -> dict[tuple[str, str], dict]:
    return {(entry["type"], entry["id"]): entry for entry in export["entries"]}


def test_papers_json_is_valid_against_the_published_schema(site, export):
    published = json.loads((Path(site.outdir) / "papers.schema.json").read_text(encoding="utf-8"))
    assert published == json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(published)
    jsonschema.Draft202012Validator(published).validate(export)
    assert export["$schema"] == "https://notes.example.org/en/latest/papers.schema.json"


def test_schema_rejects_a_broken_export(site, export):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(export))
    broken["entries"][0]["type"] = "video"
    del broken["entries"][1]["url"]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert len(errors) == 2


def test_absent_fields_are_absent_years_are_integers_and_links_https(export):
    text = json.dumps(export)
    assert '""' not in text and "http://" not in text
    for entry in export["entries"]:
        assert all(value not in ("", [], None) for value in entry["fields"].values()), entry["id"]
        assert isinstance(entry.get("year", 0), int)
        doi = entry["fields"].get("doi")
        assert doi is None or (doi.startswith("10.") and doi == doi.lower())


def test_the_schema_rejects_the_old_shapes(export):
    """An empty DOI, a year as text, an http link, an empty family or base_url: each is one error."""
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(export)) == []
    paper = next(index for index, entry in enumerate(export["entries"]) if entry["type"] == "paper")
    old_shapes = [
        ("fields", "doi", ""),
        ("fields", "doi", "https://doi.org/10.1234/x"),
        ("fields", "code", ""),
        ("fields", "url", "http://example.org/paper"),
        ("links", "web", "http://example.org/paper"),
        ("", "year", "2023"),
        ("", "family", ""),
    ]
    for where, key, value in old_shapes:
        broken = json.loads(json.dumps(export))
        (broken["entries"][paper][where] if where else broken["entries"][paper])[key] = value
        errors = list(validator.iter_errors(broken))
        assert len(errors) == 1, (where, key, value, [error.message for error in errors])
    broken = json.loads(json.dumps(export))
    broken["base_url"] = ""
    assert len(list(validator.iter_errors(broken))) == 1


def test_every_entry_of_every_type_is_exported(site, export):
    source_ids = set()
    for path in ROOT.rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("```{") and line.split("}")[0][4:] in ("paper", "repo", "model", "dataset"):
                source_ids.add((line.split("}")[0][4:], line.split("}", 1)[1].strip()))
    assert set(by_id(export)) == source_ids
    assert {entry["type"] for entry in export["entries"]} == {"paper", "repo", "model", "dataset"}


def test_relations_go_both_ways(export):
    entries = by_id(export)
    alpaca = entries["model", "alpaca"]
    assert alpaca["relations"] == {"base": ["llama"], "data": ["alpaca-52k"], "repo": ["tatsu-lab/stanford_alpaca"]}
    assert alpaca["related"]["repos"] == ["tatsu-lab/stanford_alpaca"]
    assert alpaca["related"]["datasets"] == ["alpaca-52k"]
    assert "alpaca" in entries["repo", "tatsu-lab/stanford_alpaca"]["related"]["models"]
    assert "alpaca" in entries["dataset", "alpaca-52k"]["related"]["models"]
    assert entries["model", "llama"]["related"]["derived"] == ["alpaca", "belle-llama-7b-2m"]
    assert entries["paper", "touvron2023llama"]["related"]["models"] == ["llama"]
    for (objtype, entry_id), entry in entries.items():
        for name, ids in entry["related"].items():
            if name in ("base", "derived"):
                continue
            other_type = name.removesuffix("s")
            for other in ids:
                assert entry_id in entries[other_type, other]["related"][objtype + "s"]


def test_fields_links_and_urls(site, export):
    paper = by_id(export)["paper", "touvron2023llama"]
    assert paper["year"] == 2023 and paper["family"] == "llama"
    assert paper["tags"] == ["foundation", "open-weights"]
    assert paper["fields"]["authors"][0] == "Hugo Touvron"
    assert paper["links"]["arxiv"] == "https://arxiv.org/abs/2302.13971"
    for entry in export["entries"]:
        page, _, anchor = entry["url"].partition("#")
        soup = BeautifulSoup((Path(site.outdir) / page).read_text(encoding="utf-8"), "html.parser")
        assert soup.find(id=anchor) is not None, entry["url"]
        assert entry["absolute_url"] == "https://notes.example.org/en/latest/" + entry["url"]


def test_papers_bib_at_the_root_and_linked_from_cite_blocks(site, export):
    bib = (Path(site.outdir) / "papers.bib").read_text(encoding="utf-8")
    for entry in export["entries"]:
        if entry["type"] == "paper":
            assert "{" + entry["id"] + "," in bib
    for docname in ("families/llama", "families/gpt"):
        soup = BeautifulSoup((Path(site.outdir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        blocks = soup.select(".pn-cite")
        assert blocks
        for block in blocks:
            href = block.select("a.pn-download")[1]["href"]  # after the paper's own file (tests/test_citations.py)
            assert (Path(site.outdir) / posixpath.dirname(docname) / href).resolve() == Path(site.outdir) / "papers.bib"


def test_home_page_lists_the_downloads(site):
    soup = BeautifulSoup((Path(site.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [link["href"] for link in soup.select(".pn-downloads a")]
    assert hrefs == [
        "papers.bib",
        "papers.csl.json",
        "papers.json",
        "papers.schema.json",
        "feed.xml",
        "llms.txt",
        "llms-full.txt",
    ]
    assert all((Path(site.outdir) / href).is_file() for href in hrefs)


def test_inventory_holds_all_four_entry_types(site, export):
    with (Path(site.outdir) / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://notes.example.org/en/latest/", posixpath.join)
    for entry in export["entries"]:
        item = inventory[f"pn:{entry['type']}"][entry["id"]]
        assert item.uri == entry["absolute_url"]


ONE_PAGE_CONF = 'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'


def one_page_site(tmp_path: Path, bib: str, page: str, conf: str = "") -> Path:
    """A one-page project: papernotes reading refs.bib, without sphinxcontrib-bibtex."""
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(ONE_PAGE_CONF + 'papernotes_bibfiles = ["refs.bib"]\n' + conf, encoding="utf-8")
    (srcdir / "refs.bib").write_text(bib, encoding="utf-8")
    (srcdir / "index.md").write_text("# Papers\n\n" + page, encoding="utf-8")
    return srcdir


def test_the_page_and_papers_json_show_the_same_links(tmp_path):
    """A DOI written as a link is exported once as a link (not doi.org/https://doi.org/…); an eprint the
    page rejects as an arXiv id is not exported either."""
    bib = (
        "@article{doiurl, title={T}, author={A, B}, year={2020}, journal={J}, doi={https://doi.org/10.1234/abc.def}}\n"
        "@article{badeprint, title={U}, author={C, D}, year={2021}, journal={J}, eprint={not-an-id}}\n"
    )
    page = "```{paper} doiurl\n```\n\n```{paper} badeprint\n```\n\n```{entry-table}\n:types: paper\n```\n"
    app = build(one_page_site(tmp_path, bib, page))
    assert [line for line in warnings_of(app) if "not-an-id" in line]
    data = json.loads((Path(app.outdir) / "papers.json").read_text(encoding="utf-8"))
    records = {entry["id"]: entry for entry in data["entries"]}
    assert records["doiurl"]["links"] == {"doi": "https://doi.org/10.1234/abc.def"}
    assert records["doiurl"]["fields"]["doi"] == "10.1234/abc.def"
    assert records["badeprint"]["links"] == {}
    assert "arxiv" not in records["badeprint"]["fields"]
    page_links = {a.get_text(): a["href"] for a in html(app, "index").select("section#paper-doiurl a.pn-link")}
    assert page_links == {"DOI": "https://doi.org/10.1234/abc.def"}


def test_et_al_is_decided_once_for_the_entry_and_the_tables(tmp_path):
    """``Alpha and Beta and others`` is "Ann Alpha, Bob Beta et al." on the entry and in a table."""
    bib = "@article{ab, title={T}, author={Alpha, Ann and Beta, Bob and others}, year={2020}, journal={J}}\n"
    page = "```{paper} ab\n```\n\n```{entry-table}\n:types: paper\n:columns: name, authors\n```\n"
    app = build(one_page_site(tmp_path, bib, page))
    soup = html(app, "index")
    entry_authors = soup.select_one("section#paper-ab .pn-byline-authors").get_text(" ", strip=True)
    table_authors = soup.select_one("table .pn-byline").get_text(strip=True)  # the authors under the title
    assert entry_authors == table_authors == "Ann Alpha, Bob Beta et al."
