"""Following the collection: the Atom feed (read by feedparser), its link in every page's head, the
``:added:`` dates of the real site, and its llms.txt files."""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import build, warnings_of

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE = (
    """# Notes

```{model} base
:name: Base Model
:added: 2024-01-02
:tags: open

The first model, trained from scratch on 1T tokens.
```

```{model} chat
:name: Chat Model & Co
:base: base
:added: 2024-03-04

Fine-tuned from {model}`base` on dialogues; it says <b>bold</b> 1 < 2 & risky things.

A second paragraph that is long enough to be cut. """
    + "word " * 120
    + """
```

```{repo} owner/tool
:added: 2024-03-04
```

```{dataset} undated
:name: Undated data

Notes no feed shows, so none are kept.
```
"""
)


def tiny_site(tmp_path: Path, conf: str = "") -> Path:
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\nproject = "Feed & test"\n'
        + conf,
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text(PAGE, encoding="utf-8")
    (srcdir / "other.md").write_text("---\norphan: true\n---\n# Other page\n\nNothing here.\n", encoding="utf-8")
    return srcdir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return build(tiny_site(tmp_path_factory.mktemp("feed"), 'html_baseurl = "https://notes.example.org/en/"\n'))


def test_the_feed_is_atom_with_one_entry_per_dated_entry_newest_first(site):
    assert warnings_of(site) == []
    feed = feedparser.parse((Path(site.outdir) / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.title == "Feed & test"
    assert feed.feed.id == "https://notes.example.org/en/feed.xml"
    assert feed.feed.updated == "2024-03-04T00:00:00Z"
    records = json.loads((Path(site.outdir) / "papers.json").read_text(encoding="utf-8"))["entries"]
    dated = [record for record in records if "added" in record["fields"]]
    assert len(feed.entries) == len(dated) == 3
    by_url = {record["absolute_url"]: record for record in dated}
    for item in feed.entries:
        record = by_url[item.link]
        assert item.id == item.link
        assert item.updated == record["fields"]["added"] + "T00:00:00Z"
        assert item.title.startswith(record["name"])
    assert [item.updated[:10] for item in feed.entries] == ["2024-03-04", "2024-03-04", "2024-01-02"]
    assert [tag.term for tag in feed.entries[-1].tags] == ["open"]


def test_summaries_are_the_notes_first_lines_as_escaped_plain_text(site):
    root = ET.parse(Path(site.outdir) / "feed.xml").getroot()
    entries = {entry.find(f"{ATOM}id").text.rsplit("#", 1)[1]: entry for entry in root.iter(f"{ATOM}entry")}
    chat = entries["model-chat"]
    assert chat.find(f"{ATOM}title").text == "Chat Model & Co (model)"
    summary = chat.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    # the link to another entry reads as that entry's name; HTML in the notes is left out, < and & stay text
    assert summary.text.startswith("Fine-tuned from Base Model on dialogues; it says bold 1 < 2 & risky things.")
    assert summary.text.endswith(" …") and len(summary.text) <= 402
    notes = BeautifulSoup((Path(site.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(notes.select_one("section#model-chat .pn-notes").get_text(" ").split())
    assert text.startswith(summary.text.removesuffix(" …")[:80])
    assert entries["repo-owner-tool"].find(f"{ATOM}summary") is None  # no notes, no summary
    # the first lines are kept for the dated entries only: the undated dataset's notes are not
    assert set(site.env.papernotes_summaries["index"]) == {"model-base", "model-chat"}
    raw = (Path(site.outdir) / "feed.xml").read_text(encoding="utf-8")
    assert "<b>" not in raw and "bold 1 &lt; 2 &amp; risky" in raw


def test_every_page_names_the_feed_in_its_head(site):
    for page in ("index.html", "other.html", "genindex.html", "search.html"):
        head = BeautifulSoup((Path(site.outdir) / page).read_text(encoding="utf-8"), "html.parser").head
        links = head.select('link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, page
        assert (Path(site.outdir) / posixpath.dirname(page) / links[0]["href"]).resolve() == Path(
            site.outdir
        ) / "feed.xml"
        assert links[0]["title"] == "Feed & test: new entries"


def test_without_a_base_url_links_are_relative_and_ids_are_urns(tmp_path):
    app = build(tiny_site(tmp_path))
    feed = feedparser.parse((Path(app.outdir) / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.id == "urn:papernotes:feed-test"
    ids = {item.id for item in feed.entries}
    assert ids == {
        "urn:papernotes:feed-test:model:base",
        "urn:papernotes:feed-test:model:chat",
        "urn:papernotes:feed-test:repo:owner/tool",
    }
    raw = ET.parse(Path(app.outdir) / "feed.xml").getroot()
    hrefs = [link.get("href") for link in raw.iter(f"{ATOM}link")]
    assert "index.html#model-base" in hrefs and not any(href.startswith("http") for href in hrefs)


# The real site -------------------------------------------------------------------------------------
def test_every_entry_of_the_real_site_says_when_it_was_added_and_is_in_the_feed(built_site):
    site_dir, _ = built_site
    records = json.loads((site_dir / "papers.json").read_text(encoding="utf-8"))["entries"]
    assert records and all("added" in record["fields"] for record in records)
    feed = feedparser.parse((site_dir / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert {item.link for item in feed.entries} == {record["absolute_url"] for record in records}
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(home.select("ul.pn-recent > li")) == 6
    assert home.head.select_one('link[type="application/atom+xml"]')["href"] == "feed.xml"


def test_the_real_site_lists_every_download_and_writes_llms_txt(built_site):
    site_dir, _ = built_site
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [link["href"] for link in home.select(".pn-downloads a")]
    for name in ("papers.bib", "papers.csl.json", "papers.json", "feed.xml", "llms.txt", "llms-full.txt"):
        assert name in hrefs and (site_dir / name).is_file(), name
    llms = (site_dir / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# LLM Reading Notes\n\n> Structured reading notes")
    pages = re.findall(r"^- \[[^]]+\]\((\S+)\)$", llms, re.MULTILINE)
    base = "https://llm-reading-notes.readthedocs.io/en/latest/"
    assert pages[0] == base + "index.html" and base + "families/llama.html" in pages
    assert all((site_dir / page.removeprefix(base)).is_file() for page in pages)
    full = (site_dir / "llms-full.txt").read_text(encoding="utf-8")
    assert full.count("\nPage: ") == len(pages) > 10  # every page listed, in the same order
    assert "{paper} touvron2023llama" in full  # the notes, as their Markdown source
