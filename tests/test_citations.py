"""Citations in every format, read by the tools people cite with.

The BibTeX files of each paper, family and tag are parsed by pybtex and by bibtexparser and
typeset by BibTeX's ``plain`` style (and biber, where installed); ``papers.csl.json`` is read and
rendered by a CSL processor (citeproc-py) without losing an author, a URL or a DOI; the one-line
citation is what pybtex's own ``plain`` style makes of the paper's file.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_file
from pybtex.plugin import find_plugin

from helpers import build, copy_and_build, warnings_of

TEX_MISSING = "needs pdflatex and bibtex (Debian: texlive-latex-base, texlive-latex-recommended; .ci/run installs them)"
BIBER_MISSING = "needs biber and biblatex (Debian: biber, texlive-bibtex-extra; .ci/run installs them)"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return copy_and_build(tmp_path_factory.mktemp("citations"), "views")


def outdir(app) -> Path:
    return Path(app.outdir)


def export(app) -> dict:
    return json.loads((outdir(app) / "papers.json").read_text(encoding="utf-8"))


def papers(app) -> list[dict]:
    return [entry for entry in export(app)["entries"] if entry["type"] == "paper"]


def keys_of(path: Path) -> tuple[set[str], set[str]]:
    """The keys pybtex and bibtexparser read from a file (each must read it without a problem)."""
    ours = set(parse_file(str(path), "bibtex").entries)
    library = bibtexparser.parse_file(str(path))
    assert library.failed_blocks == [], (path, library.failed_blocks)
    return ours, {entry.key for entry in library.entries}


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir(app) / page).read_text(encoding="utf-8"), "html.parser")


def target(app, page: str, href: str) -> Path:
    return (outdir(app) / posixpath.dirname(page) / href).resolve()


def test_each_paper_has_its_bib_file_linked_from_its_cite_block(site):
    assert [line for line in warnings_of(site) if "[papernotes.convention]" not in line] == []
    for paper in papers(site):
        page, _, anchor = paper["url"].partition("#")
        block = soup(site, page).find(id=anchor).select_one("details.pn-cite")
        links = [a["href"] for a in block.select(".pn-cite-all a.pn-download")]
        assert len(links) == 3, links
        own = target(site, page, links[0])
        assert own == outdir(site) / "bib" / "papers" / f"{paper['id']}.bib"
        assert keys_of(own) == ({paper["id"]}, {paper["id"]})
        assert target(site, page, links[1]) == outdir(site) / "papers.bib"
        assert target(site, page, links[2]) == outdir(site) / "papers.csl.json"


def test_family_and_tag_files_hold_their_papers_and_are_linked_from_their_pages(site):
    data = export(site)
    checked = 0
    for family in data["families"]:
        expected = {paper["id"] for paper in papers(site) if paper.get("family") == family["id"]}
        path = outdir(site) / "bib" / "families" / f"{family['id']}.bib"
        assert keys_of(path) == (expected, expected)
        if "url" in family:
            link = soup(site, family["url"]).select_one(".pn-family-bib a.pn-download")
            assert target(site, family["url"], link["href"]) == path
            checked += 1
    tags = {tag for paper in papers(site) for tag in paper["tags"]}
    for tag in tags:
        expected = {paper["id"] for paper in papers(site) if tag in paper["tags"]}
        path = outdir(site) / "bib" / "tags" / f"{tag}.bib"
        assert keys_of(path) == (expected, expected)
        link = soup(site, f"tags/{tag}.html").select_one("a.pn-download")
        assert target(site, f"tags/{tag}.html", link["href"]) == path
    assert checked >= 3 and len(tags) >= 3
    untagged = {tag for entry in data["entries"] for tag in entry["tags"]} - tags  # tags of no paper: no file
    assert all(not (outdir(site) / "bib" / "tags" / f"{tag}.bib").exists() for tag in untagged)


#: A CSL style of our own that prints every variable papers.csl.json gives, so nothing can hide.
STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Everything</title><id>everything</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout>
      <group delimiter=" | ">
        <names variable="author"><name delimiter="; " name-as-sort-order="all" sort-separator=", "/></names>
        <date variable="issued"><date-part name="year"/></date>
        <text variable="title"/>
        <text variable="container-title"/>
        <text variable="publisher"/>
        <text variable="number"/>
        <text variable="DOI" prefix="doi:"/>
        <text variable="URL"/>
      </group>
    </layout>
  </bibliography>
</style>
"""


def test_csl_json_is_read_by_a_csl_processor_with_nothing_lost(site, tmp_path):
    items = json.loads((outdir(site) / "papers.csl.json").read_text(encoding="utf-8"))
    by_id = {paper["id"]: paper for paper in papers(site)}
    assert {item["id"] for item in items} == set(by_id)
    style_path = tmp_path / "everything.csl"
    style_path.write_text(STYLE, encoding="utf-8")
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(style_path), validate=False), CiteProcJSON(items), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(entry) for entry in bibliography.bibliography()}
    for item in items:
        paper = by_id[item["id"]]
        line = next(text for text in rendered if item["title"] in text)
        authors = item.get("author", [])
        assert len(authors) == len(paper["fields"].get("authors", []))  # "and others" is no author
        for author in authors:
            assert author["family"] in line and author["family"] != "others"
        assert str(paper["year"]) in line
        if "arxiv" in paper["fields"]:
            assert item["URL"] == f"https://arxiv.org/abs/{paper['fields']['arxiv']}" and item["URL"] in line
            assert item["archive_location"] == paper["fields"]["arxiv"]
        if "doi" in paper["fields"]:
            assert item["DOI"] == paper["fields"]["doi"] and f"doi:{item['DOI']}" in line
        assert all(value not in ("", [], None) for value in item.values())


def test_the_citation_line_is_pybtex_plain_style(site):
    style = find_plugin("pybtex.style.formatting", "plain")()
    text = find_plugin("pybtex.backends", "text")()
    checked = 0
    for paper in papers(site):
        page, _, anchor = paper["url"].partition("#")
        shown = soup(site, page).find(id=anchor).select_one("p.pn-citation").get_text()
        data = parse_file(str(outdir(site) / "bib" / "papers" / f"{paper['id']}.bib"), "bibtex")
        entry = data.entries[paper["id"]]
        if entry.persons.get("author") and str(entry.persons["author"][-1]) == "others":
            assert " et al. " in shown
            continue
        try:
            formatted = next(iter(style.format_entries(data.entries.values())))
        except Exception:  # a required field missing: we format it as misc, pybtex would stop
            continue
        assert shown == " ".join(formatted.text.render(text).split())
        checked += 1
    assert checked >= 3


TINY_BIB = r"""@article{bloom,
  title   = {{BLOOM}: A {176B}-Parameter Open-Access Multilingual Language Model},
  author  = {Scao, Teven Le and Fan, Angela and others},
  journal = {arXiv preprint},
  year    = {2022},
  eprint  = {2211.05100},
  archivePrefix = {arXiv},
}

@inproceedings{glm,
  title     = {{GLM-130B}: An Open Bilingual Pre-trained Model},
  author    = {Zeng, Aohan and Liu, Xiao},
  booktitle = {International Conference on Learning Representations},
  year      = {2023},
  url       = {http://example.org/glm},
}

@inproceedings{selfinstruct,
  title     = {{Self-Instruct}: Aligning Language Models with Self-Generated Instructions},
  author    = {Wang, Yizhong and Kordi, Yeganeh},
  booktitle = {Proceedings of ACL},
  year      = {2023},
  doi       = {https://doi.org/10.18653/V1/2023.ACL-LONG.754},
}
"""
TINY_PAGE = (
    "---\nfamily: llama\n---\n# Papers\n\n"
    "```{paper} bloom\n:tags: open\n```\n\n```{paper} glm\n:tags: open\n```\n\n```{paper} selfinstruct\n```\n"
)


def write_tiny_site(srcdir: Path) -> Path:
    """The tiny site (TINY_BIB on TINY_PAGE, one family) written into ``srcdir``."""
    srcdir.mkdir()
    conf = 'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
    conf += 'papernotes_bibfiles = ["refs.bib"]\npapernotes_families = {"llama": "LLaMA"}\n'
    (srcdir / "conf.py").write_text(conf, encoding="utf-8")
    (srcdir / "refs.bib").write_text(TINY_BIB, encoding="utf-8")
    (srcdir / "index.md").write_text(TINY_PAGE, encoding="utf-8")
    return srcdir


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    return build(write_tiny_site(tmp_path_factory.mktemp("tiny") / "site"))


def test_tiny_csl_items_and_normalised_links(tiny):
    items = {item["id"]: item for item in json.loads((outdir(tiny) / "papers.csl.json").read_text(encoding="utf-8"))}
    assert items["bloom"]["type"] == "article" and items["bloom"]["number"] == "arXiv:2211.05100"
    assert items["bloom"]["publisher"] == "arXiv" and items["bloom"]["URL"] == "https://arxiv.org/abs/2211.05100"
    assert items["bloom"]["author"] == [
        {"family": "Scao", "given": "Teven Le"},
        {"family": "Fan", "given": "Angela"},
    ]
    assert items["glm"]["type"] == "paper-conference" and items["glm"]["URL"] == "https://example.org/glm"
    assert items["glm"]["issued"] == {"date-parts": [[2023]]}
    assert items["selfinstruct"]["DOI"] == "10.18653/v1/2023.acl-long.754"
    assert items["selfinstruct"]["container-title"] == "Proceedings of ACL"
    record = {entry["id"]: entry for entry in export(tiny)["entries"]}
    assert record["selfinstruct"]["fields"]["doi"] == "10.18653/v1/2023.acl-long.754"
    assert record["glm"]["fields"]["url"] == record["glm"]["links"]["web"] == "https://example.org/glm"
    line = soup(tiny, "index.html").select_one("section#paper-bloom p.pn-citation").get_text()
    assert line.startswith("Teven Le Scao, Angela Fan, et al. BLOOM: a 176B-parameter open-access")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", check=False, timeout=120)


def typeset(directory: Path, bib: Path, preamble: str, backend: list[str]) -> str:
    """The bibliography of a document citing every entry of ``bib``, as the backend writes it."""
    shutil.copy(bib, directory / "refs.bib")
    document = (
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{url}\n" + preamble + "\n"
        "\\begin{document}\n\\nocite{*}\n" + ("\\printbibliography\n" if "biblatex" in preamble else "")
    )
    document += (
        "" if "biblatex" in preamble else "\\bibliographystyle{plain}\n\\bibliography{refs}\n"
    ) + "\\end{document}\n"
    (directory / "doc.tex").write_text(document, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert run(latex, directory).returncode == 0
    result = run([*backend, "doc"], directory)
    log = next(directory.glob("doc.b[lc]g")).read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log
    assert re.search(r"^(Warning--|WARN )", log, re.MULTILINE) is None, log
    return (directory / "doc.bbl").read_text(encoding="utf-8", errors="replace")


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")), reason=TEX_MISSING)
def test_bibtex_plain_keeps_the_capitals(tiny, built_site, tmp_path):
    bbl = typeset(tmp_path, outdir(tiny) / "bib" / "families" / "llama.bib", "", ["bibtex"])
    assert set(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == {"bloom", "glm", "selfinstruct"}
    text = " ".join(bbl.replace("{", "").replace("}", "").split())
    for kept in ("176B", "GLM-130B", "Self-Instruct", "BLOOM"):
        assert kept in text
    real = tmp_path / "real"
    real.mkdir()
    site_dir, _ = built_site
    for family in ("bloom", "glm", "llama"):
        bbl = typeset(real, site_dir / "bib" / "families" / f"{family}.bib", "", ["bibtex"])
        text = " ".join(bbl.replace("{", "").replace("}", "").split())
        for kept in {"bloom": ("176B",), "glm": ("GLM-130B",), "llama": ("Self-Instruct",)}[family]:
            assert kept in text, family


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("biber")), reason=BIBER_MISSING)
def test_biber_reads_the_files_without_a_warning(tiny, tmp_path):
    bbl = typeset(
        tmp_path,
        outdir(tiny) / "bib" / "families" / "llama.bib",
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}",
        ["biber"],
    )
    for key in ("bloom", "glm", "selfinstruct"):
        assert f"\\entry{{{key}}}" in bbl
    assert "176B" in bbl and "GLM-130B" in bbl


def test_unchanged_files_are_not_rewritten_and_files_of_removed_papers_go(tmp_path):
    """A no-op rebuild leaves bib/ and papers.csl.json alone; removing a paper removes its file; lines are kept."""
    srcdir = write_tiny_site(tmp_path / "site")
    first = build(srcdir)
    out = outdir(first)
    written = {path: path.stat().st_mtime_ns for path in [*out.joinpath("bib").rglob("*.bib"), out / "papers.csl.json"]}
    assert out / "bib" / "papers" / "glm.bib" in written and out / "bib" / "tags" / "open.bib" in written
    assert (Path(first.doctreedir) / "papernotes-citelines.pickle").is_file()
    for path in written:  # an older copy: a build that wrote the files again would give them a new time
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    build(srcdir, fresh=False)
    assert all(path.stat().st_mtime_ns == 1_000_000_000 for path in written)
    (srcdir / "index.md").write_text(TINY_PAGE.replace("```{paper} glm\n:tags: open\n```\n\n", ""), encoding="utf-8")
    build(srcdir, fresh=False)
    assert not (out / "bib" / "papers" / "glm.bib").exists()
    assert "glm" not in (out / "bib" / "tags" / "open.bib").read_text(encoding="utf-8")
    assert [item["id"] for item in json.loads((out / "papers.csl.json").read_text(encoding="utf-8"))] == [
        "bloom",
        "selfinstruct",
    ]
    (out / "bib" / "papers" / "bloom.bib").unlink()  # a file missing from the output is written again
    build(srcdir, fresh=False)
    assert (out / "bib" / "papers" / "bloom.bib").is_file()
