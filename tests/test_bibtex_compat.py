"""papers.bib works for real BibTeX users, not only for our own reader.

A reader who downloads the site's ``papers.bib`` puts it into a LaTeX document: every entry must
typeset with BibTeX's ``plain`` style, with no error and no warning. And a second, independent
parser (bibtexparser) must read the file exactly as ours does: same keys, same titles.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from papernotes.bibentry import latex_to_text
from papernotes.bibfile import read_bibliography

PAPERS_BIB = Path(__file__).resolve().parent.parent / "papers.bib"
DOCUMENT = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{papers}
\end{document}
"""
TEX_MISSING = "needs pdflatex and bibtex (Debian: texlive-latex-base, texlive-latex-recommended; .ci/run installs them)"


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", check=False, timeout=120)


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")), reason=TEX_MISSING)
def test_every_entry_typesets_with_bibtex_plain_style(tmp_path: Path):
    shutil.copy(PAPERS_BIB, tmp_path / "papers.bib")
    (tmp_path / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]

    first = run(latex, tmp_path)
    assert first.returncode == 0, first.stdout[-2000:]
    bibtex = run(["bibtex", "doc"], tmp_path)
    log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert bibtex.returncode == 0, log
    assert "error message" not in log, log
    assert re.search(r"^Warning--", log, re.MULTILINE) is None, log
    for _ in range(2):
        again = run(latex, tmp_path)
        assert again.returncode == 0, again.stdout[-2000:]

    tex_log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    warnings = [line for line in tex_log.splitlines() if re.search(r"\bWarning\b", line)]
    assert warnings == [], warnings
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    typeset = set(re.findall(r"\\bibitem\{([^}]+)\}", bbl))
    bibliography = read_bibliography([PAPERS_BIB])
    assert typeset == set(bibliography.entries)
    assert len(typeset) >= 10


def test_bibtexparser_reads_the_same_keys_and_titles():
    ours = read_bibliography([PAPERS_BIB])
    assert ours.problems == []
    library = bibtexparser.parse_file(str(PAPERS_BIB))
    assert library.failed_blocks == []
    theirs = {entry.key: entry for entry in library.entries}
    assert len(theirs) == len(library.entries), "bibtexparser sees a duplicate key"
    assert set(theirs) == set(ours.entries)
    for key, entry in theirs.items():
        # bibtexparser keeps the field as written (inner braces, LaTeX accents); turned into text the
        # way the site shows titles, it must be exactly the title our reader (pybtex) gave the site.
        assert latex_to_text(entry["title"]) == ours.entries[key].title, key
        assert ours.entries[key].title, key


def test_sphinxcontrib_bibtex_reads_its_own_files_unchanged(make_app, copied_root, monkeypatch):
    """papernotes reads the bibliography beside sphinxcontrib-bibtex, never for it or instead of it."""
    from sphinxcontrib.bibtex import bibfile as theirs  # noqa: PLC0415

    calls = []
    original = theirs.parse_bibdata

    def counting(bibfilenames, encoding):
        calls.append((list(bibfilenames), encoding))
        return original(bibfilenames, encoding)

    monkeypatch.setattr(theirs, "parse_bibdata", counting)
    srcdir = copied_root("basic", "bibtex-alone")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.config.bibtex_bibfiles == ["refs.bib"]  # its configuration as conf.py wrote it
    # Its own parse of its own file (2.6 names files as strings, 2.7 as paths).
    assert [([Path(name) for name in names], encoding) for names, encoding in calls] == [
        ([srcdir / "refs.bib"], "utf-8-sig")
    ]
    domain = app.env.domains["cite"]
    assert [Path(name) for name in domain.bibdata.bibfiles] == [srcdir / "refs.bib"]
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "citation" in page


def test_citations_keep_sphinxcontrib_bibtex_roles_unless_the_project_asks(make_app, copied_root):
    """sphinxcontrib-bibtex (and its test suite) reads role="doc-biblioentry": papernotes leaves it by default."""
    default = make_app("html", srcdir=copied_root("basic", "roles-default"), freshenv=True)
    default.build()
    asked = make_app(
        "html",
        srcdir=copied_root("basic", "roles-asked"),
        freshenv=True,
        confoverrides={"papernotes_citation_list_items": True},
    )
    asked.build()
    pages = [(Path(app.outdir) / "index.html").read_text(encoding="utf-8") for app in (default, asked)]
    assert 'role="doc-biblioentry"' in pages[0] and 'role="listitem"' not in pages[0]
    assert 'role="listitem"' in pages[1] and 'role="doc-biblioentry"' not in pages[1]
