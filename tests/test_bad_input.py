"""The bad-input catalogue: every kind of contributor mistake gets exactly one located warning.

Each case adds one mistake to a copy of a small valid site (``tests/roots/test-bad-input``) and
builds it. The build must finish without a traceback, report exactly one warning, of type
``papernotes.<subtype>``, at the file and line of the mistake, keep every entry the valid site
had, and leave no hostile markup live in the HTML. The same list is the catalogue in
``docs/contributing/bad-input.md``; a test below keeps the two in step.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from papernotes.messages import SUBTYPES

from helpers import build
from html_checks import live_markup, well_formed_problems

ROOT = Path(__file__).parent / "roots" / "test-bad-input"
CATALOGUE = Path(__file__).parent.parent / "docs" / "contributing" / "bad-input.md"
PAGE = "families/zcase.md"  # sorts after the valid pages, so duplicates point back at them
PREFIX = "---\nfamily: llama\n---\n# Case\n\n"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b")


@dataclass(frozen=True)
class Case:
    """One mistake: what is written where, and the one warning it must produce."""

    id: str
    subtype: str
    message: str
    file: str
    at: str  # text on the line the warning must point at (its last occurrence in the file)
    page: str = ""  # body of families/zcase.md (after the front matter), if the case adds a page
    bib: str = ""  # text appended to refs.bib
    replace_front_matter: str = ""
    shown: str = ""  # hostile text that must be visible, escaped, on the case page
    entry: str = ""  # anchor of an entry the case page must still render
    extra: dict[str, str] = field(default_factory=dict)
    occurrence: int = -1  # which line containing ``at`` (the last one unless told)


def fence(directive: str, *lines: str) -> str:
    """A MyST directive block: ``directive`` is the name and its argument, as after the braces."""
    name, _, argument = directive.partition(" ")
    return "\n".join([f"```{{{name}}} {argument}".rstrip(), *lines, "```", ""]) + "\n"


def article(key: str, *fields: str) -> str:
    """A BibTeX article with the given fields."""
    return "\n" + "\n".join([f"@article{{{key},", *(f"  {line}," for line in fields), "}"]) + "\n"


GOOD_JOURNAL = "journal = {Journal of Tests}"

CASES: list[Case] = [
    Case(
        "unknown-bib-key",
        "bibkey",
        "paper 'nosuchkey2023': no bibliography entry with this key (refs.bib)",
        PAGE,
        "```{paper} nosuchkey2023",
        page=fence("paper nosuchkey2023", ":tags: rlhf", "", "Notes survive."),
        entry="paper-nosuchkey2023",
    ),
    Case(
        "duplicate-id-same-page",
        "duplicate",
        "dataset 'twin-data' is already defined earlier on this page (line 6); links go there",
        PAGE,
        "```{dataset} twin-data",
        page=fence("dataset twin-data", ":size: 1K") + fence("dataset twin-data", ":size: 2K"),
    ),
    Case(
        "duplicate-id-other-page",
        "duplicate",
        "model 'llama' is already defined in families/llama (line 14); links go there",
        PAGE,
        "```{model} llama",
        page=fence("model llama", ":name: Another LLaMA"),
    ),
    Case(
        "missing-required-field",
        "missing",
        "repo 'my-tool': needs :url: (only GitHub ids of the form owner/name link themselves)",
        PAGE,
        "```{repo} my-tool",
        page=fence("repo my-tool", ":name: My tool"),
        entry="repo-my-tool",
    ),
    Case(
        "missing-id",
        "missing",
        "paper without an id: write it after the directive's name",
        PAGE,
        "```{paper}",
        page=fence("paper", ":tags: rlhf"),
    ),
    Case(
        "unknown-option",
        "option",
        "model 'm1': unknown option ':colour:' "
        "(known: added, base, data, family, license, name, paper, params, repo, tags, url)",
        PAGE,
        "```{model} m1",
        page=fence("model m1", ":colour: red"),
        entry="model-m1",
    ),
    Case(
        "malformed-tags",
        "value",
        "model 'm2': :tags: tag 'Machine Learning' is not a lower-case slug",
        PAGE,
        "```{model} m2",
        page=fence("model m2", ":tags: Machine Learning"),
        entry="model-m2",
    ),
    Case(
        "malformed-url",
        "url",
        "dataset 'd1': :url: 'https://exa mple.org/data' is not a single well-formed URL",
        PAGE,
        "```{dataset} d1",
        page=fence("dataset d1", ":url: https://exa mple.org/data"),
        entry="dataset-d1",
    ),
    Case(
        "malformed-year",
        "bibfield",
        "entry 'badyear2020': year 'circa 2020' is not a four-digit year",
        "refs.bib",
        "@article{badyear2020,",
        bib=article(
            "badyear2020", "title = {A Year in Words}", "author = {Doe, Jane}", GOOD_JOURNAL, "year = {circa 2020}"
        ),
    ),
    Case(
        "malformed-added",
        "value",
        "dataset 'd7': :added: '2023-13-01' is not a date written YYYY-MM-DD",
        PAGE,
        "```{dataset} d7",
        page=fence("dataset d7", ":added: 2023-13-01"),
        entry="dataset-d7",
    ),
    Case(
        "malformed-size",
        "value",
        "dataset 'd2': :size: 'lots' does not start with a number",
        PAGE,
        "```{dataset} d2",
        page=fence("dataset d2", ":size: lots"),
        entry="dataset-d2",
    ),
    Case(
        "malformed-params",
        "value",
        "model 'm3': :params: 'huge' does not start with a number",
        PAGE,
        "```{model} m3",
        page=fence("model m3", ":params: 7B, huge"),
        entry="model-m3",
    ),
    Case(
        "url-not-http",
        "url",
        "model 'm4': :url: 'ftp://example.org/weights' is not an http(s) URL",
        PAGE,
        "```{model} m4",
        page=fence("model m4", ":url: ftp://example.org/weights"),
        entry="model-m4",
    ),
    *[
        Case(
            f"dangling-{option}",
            "relation",
            f":{option}: names no {kind} with id 'nosuch-{option}'",
            PAGE,
            "```{model} m5",
            page=fence("model m5", f":{option}: nosuch-{option}"),
            entry="model-m5",
        )
        for option, kind in (("base", "model"), ("paper", "paper"), ("repo", "repository"), ("data", "dataset"))
    ],
    Case(
        "unknown-family-option",
        "family",
        "model 'm6': unknown family 'mamba'",
        PAGE,
        "```{model} m6",
        page=fence("model m6", ":family: mamba"),
        entry="model-m6",
    ),
    Case(
        "unknown-family-page",
        "family",
        "unknown family 'mamba' in the page's front matter (known: gpt, llama)",
        PAGE,
        "---",
        replace_front_matter="---\nfamily: mamba\n---\n# Case\n\n",
        occurrence=0,
        page=fence("model m7", ":name: M7"),
        entry="model-m7",
    ),
    Case(
        "unknown-role-target",
        "ref",
        "no model with id 'nosuchmodel'",
        PAGE,
        "See {model}`nosuchmodel`",
        page="See {model}`nosuchmodel` for details.\n",
    ),
    Case(
        "lineage-cycle",
        "cycle",
        "model lineage loops back on itself: cyc-a → cyc-b → cyc-a",
        PAGE,
        "```{model} cyc-a",
        page=fence("model cyc-a", ":base: cyc-b") + fence("model cyc-b", ":base: cyc-a"),
        entry="model-cyc-a",
    ),
    *[
        Case(
            f"bib-missing-{missing}",
            "bibfield",
            f"entry 'lacks{missing}' lacks {missing}",
            "refs.bib",
            f"@article{{lacks{missing},",
            bib=article(
                f"lacks{missing}",
                *[
                    line
                    for name, line in (
                        ("title", "title = {Something}"),
                        ("author", "author = {Doe, Jane}"),
                        ("year", "year = {2021}"),
                    )
                    if name != missing
                ],
                GOOD_JOURNAL,
            ),
        )
        for missing in ("title", "author", "year")
    ],
    Case(
        "bib-unclosed-entry",
        "bib",
        "entry 'unclosed2021' is not closed before the next entry (line 31): a closing brace is missing",
        "refs.bib",
        "@article{unclosed2021,",
        bib="\n@article{unclosed2021,\n  title = {Never closed},\n  author = {Open, Oscar},\n  year = {2021},\n"
        + article(
            "after2022", "title = {After the Broken One}", "author = {After, Ann}", GOOD_JOURNAL, "year = {2022}"
        ),
        extra={"families/zafter.md": "---\nfamily: llama\n---\n# After\n\n" + fence("paper after2022")},
        entry="",
    ),
    Case(
        "bib-duplicate-key",
        "bib",
        "duplicate key 'brown2020language' (first defined at line 18); the later entry is ignored",
        "refs.bib",
        "@article{brown2020language,",
        bib=article("brown2020language", "title = {Impostor}", "author = {Other, Otto}", GOOD_JOURNAL, "year = {2021}"),
    ),
    Case(
        "bib-stray-backslash",
        "bib",
        "entry 'backslash2024': author cannot be read as LaTeX (a stray backslash?); the entry is left out",
        "refs.bib",
        "@article{backslash2024,",
        bib=article("backslash2024", "title = {Fine}", "author = {Doe, Jane\\}", GOOD_JOURNAL, "year = {2024}"),
    ),
    Case(
        "hostile-bib-title",
        "markup",
        "entry 'evil2023': title looks like HTML or script; it is shown as plain text",
        "refs.bib",
        "@article{evil2023,",
        bib=article(
            "evil2023",
            "title = {<script>alert(1)</script> Attention Is All You Need}",
            "author = {Evil, Eve}",
            GOOD_JOURNAL,
            "year = {2023}",
        ),
        extra={"families/zevil.md": "---\nfamily: llama\n---\n# Evil\n\n" + fence("paper evil2023")},
        shown="<script>alert(1)</script> Attention",
    ),
    Case(
        "hostile-bib-author",
        "markup",
        "entry 'evil2024': author looks like HTML or script",
        "refs.bib",
        "@article{evil2024,",
        bib=article(
            "evil2024",
            "title = {Harmless Title}",
            'author = {Eve" onmouseover="alert(1)}',
            GOOD_JOURNAL,
            "year = {2024}",
        ),
        extra={"families/zevil.md": "---\nfamily: llama\n---\n# Evil\n\n" + fence("paper evil2024")},
        shown='onmouseover="alert(1)',
    ),
    Case(
        "hostile-bib-url",
        "url",
        "entry 'evil2025': url: 'javascript:alert(1)' is not an http(s) URL; the link is left out",
        "refs.bib",
        "@article{evil2025,",
        bib=article(
            "evil2025",
            "title = {Harmless Title}",
            "author = {Evil, Eve}",
            GOOD_JOURNAL,
            "year = {2025}",
            "url = {javascript:alert(1)}",
        ),
        extra={"families/zevil.md": "---\nfamily: llama\n---\n# Evil\n\n" + fence("paper evil2025")},
    ),
    Case(
        "bad-setting",
        "config",
        "papernotes_max_authors must be a positive whole number, not 0; 3 is used",
        "conf.py",
        "papernotes_max_authors = 0",
        extra={"conf.py": (ROOT / "conf.py").read_text(encoding="utf-8") + "papernotes_max_authors = 0\n"},
    ),
    Case(
        "hostile-option-tag",
        "markup",
        "model 'm8': :name: '<i' looks like HTML or script; it is shown as plain text",
        PAGE,
        "```{model} m8",
        page=fence("model m8", ":name: <img src=x onerror=alert(1)>"),
        shown="<img src=x onerror=alert(1)>",
        entry="model-m8",
    ),
    Case(
        "hostile-option-attribute",
        "markup",
        "model 'm9': :license: 'onmouseover=' looks like HTML or script",
        PAGE,
        "```{model} m9",
        page=fence("model m9", ':license: Open" onmouseover="alert(2)'),
        shown="onmouseover=",
        entry="model-m9",
    ),
    Case(
        "hostile-option-javascript-url",
        "url",
        "dataset 'd3': :url: 'javascript:alert(1)' is not an http(s) URL",
        PAGE,
        "```{dataset} d3",
        page=fence("dataset d3", ":url: javascript:alert(1)"),
        entry="dataset-d3",
    ),
]


def problems(text: str) -> list[str]:
    """The warning and error lines a build printed, without colour codes."""
    return [line for line in _ANSI.sub("", text).splitlines() if _PROBLEM.search(line)]


def line_of(path: Path, text: str, occurrence: int = -1) -> int:
    """The number of a line containing ``text`` (the last one unless told)."""
    numbers = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert numbers, f"{text!r} not in {path}"
    return numbers[occurrence]


def entries_by_page(outdir: Path) -> dict[str, dict[str, str]]:
    """Each page's entries: anchor -> title, as a reader sees them."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        sections = soup.select("section.pn-entry")
        found[str(path.relative_to(outdir))] = {
            section["id"]: section.find(re.compile("^h[1-6]$")).get_text(strip=True).rstrip("¶#")
            for section in sections
        }
    return found


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The valid site's entries, page by page: none of them may go missing in any case."""
    srcdir = tmp_path_factory.mktemp("bad-input") / "valid"
    shutil.copytree(ROOT, srcdir)
    app = build(srcdir)
    assert problems(app.warning.getvalue()) == []
    assert live_markup(Path(app.outdir)) == []
    found = entries_by_page(Path(app.outdir))
    assert sum(len(entries) for entries in found.values()) == 7
    return found


def apply(case: Case, srcdir: Path) -> None:
    """Write the case's mistake into a copy of the valid site."""
    if case.page or case.replace_front_matter:
        (srcdir / PAGE).write_text((case.replace_front_matter or PREFIX) + case.page, encoding="utf-8")
    if case.bib:
        with (srcdir / "refs.bib").open("a", encoding="utf-8") as bib:
            bib.write(case.bib)
    for name, text in case.extra.items():
        (srcdir / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_one_located_warning_and_nothing_lost(case: Case, tmp_path: Path, baseline: dict[str, dict[str, str]]):
    srcdir = tmp_path / case.id
    shutil.copytree(ROOT, srcdir)
    apply(case, srcdir)
    app = build(srcdir)
    output = app.status.getvalue() + app.warning.getvalue()
    assert "Traceback" not in output

    found = problems(app.warning.getvalue())
    assert len(found) == 1, found
    [warning] = found
    location = f"{srcdir / case.file}:{line_of(srcdir / case.file, case.at, case.occurrence)}: WARNING: "
    assert warning.startswith(location), (location, warning)
    assert warning.endswith(f"[papernotes.{case.subtype}]"), warning
    assert case.message in warning

    outdir = Path(app.outdir)
    built = entries_by_page(outdir)
    for page, entries in baseline.items():
        assert built.get(page, {}).items() >= entries.items(), page
    if case.entry:
        assert case.entry in built["families/zcase.html"]
    assert live_markup(outdir) == []
    for page in outdir.rglob("*.html"):
        assert well_formed_problems(page.read_text(encoding="utf-8")) == [], page
    if case.shown:
        pages = [
            outdir / "families" / name for name in ("zcase.html", "zevil.html") if (outdir / "families" / name).exists()
        ]
        text = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text() for page in pages)
        assert case.shown in text


def test_broken_bib_keeps_every_other_entry(tmp_path: Path):
    """An unclosed entry and a duplicate key: the entries around them are still cited and listed."""
    srcdir = tmp_path / "broken"
    shutil.copytree(ROOT, srcdir)
    [unclosed] = [case for case in CASES if case.id == "bib-unclosed-entry"]
    apply(unclosed, srcdir)
    app = build(srcdir)
    references = BeautifulSoup((Path(app.outdir) / "references.html").read_text(encoding="utf-8"), "html.parser")
    listed = references.get_text().lower()  # the plain style lower-cases titles
    for title in ("training language models", "open and efficient foundation", "few-shot learners", "after the broken"):
        assert title in listed
    assert "never closed" not in listed
    after = BeautifulSoup((Path(app.outdir) / "families/zafter.html").read_text(encoding="utf-8"), "html.parser")
    assert after.select_one("section#paper-after2022 h2").get_text(strip=True).startswith("After the Broken One")


def test_catalogue_documents_every_case_and_subtype():
    """The contributor docs list each case with its subtype, and every subtype has a case."""
    text = CATALOGUE.read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case.id}`" in text, case.id
        row = next(line for line in text.splitlines() if f"`{case.id}`" in line)
        assert f"papernotes.{case.subtype}" in row, row
    assert {case.subtype for case in CASES} == set(SUBTYPES)
