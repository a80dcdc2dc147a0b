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
GUIDE = CATALOGUE.parent / "add-a-paper.md"
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
    also: tuple[str, str, str] = ()  # a second warning the same mistake gives: (file, text on its line, message)


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
        "model 'llama' is already defined in families/llama (line 14); links go there: "
        "keep one entry and link to it with {model}`llama`",
        PAGE,
        "```{model} llama",
        page=fence("model llama", ":name: Another LLaMA"),
        also=(
            "families/llama.md",
            "```{model} llama",
            "model 'llama' is defined again in families/zcase (line 6); links come here: "
            "keep one entry and link to it with {model}`llama`",
        ),
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
        "(known: added, base, data, derived, family, license, name, paper, params, repo, source, tags, url, verified)",
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
            f"model 'm5': :{option}: names no {kind} with id 'nosuch-{option}'",
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
        "derived-unknown-kind",
        "lineage",
        "model 'm8': :derived: unknown kind 'fine-tuen' for 'llama'",
        PAGE,
        "```{model} m8",
        page=fence("model m8", ":derived: llama (fine-tuen, https://example.org/m8)"),
        entry="model-m8",
    ),
    Case(
        "derived-unknown-parent",
        "relation",
        ":derived: names no model with id 'lama'; did you mean 'llama'?",
        PAGE,
        "```{model} m9",
        page=fence("model m9", ":derived: lama (lora, https://example.org/m9)"),
        entry="model-m9",
    ),
    Case(
        "derived-http-evidence",
        "evidence",
        "model 'm10': :derived: 'llama' (lora) evidence 'http://example.org/m10' is not an https link",
        PAGE,
        "```{model} m10",
        page=fence("model m10", ":derived: llama (lora, http://example.org/m10)"),
        entry="model-m10",
    ),
    Case(
        "derived-cycle",
        "cycle",
        "model lineage loops back on itself: dcyc-a → dcyc-b → dcyc-a",
        PAGE,
        "```{model} dcyc-a",
        page=fence("model dcyc-a", ":derived: dcyc-b (merged, https://example.org/a)")
        + fence("model dcyc-b", ":derived: dcyc-a (lora, https://example.org/b)"),
        entry="model-dcyc-a",
    ),
    Case(
        "unknown-method",
        "value",
        "repo 'x/tool': :methods: unknown method 'ppo2'",
        PAGE,
        "```{repo} x/tool",
        page=fence("repo x/tool", ":methods: ppo2"),
        entry="repo-x-tool",
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
        "entry 'unclosed2021' is not closed before the next entry (line 33): add its closing brace after line 31",
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
        "duplicate key 'brown2020language' (first defined at line 20); the later entry is ignored",
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
    # Messages that say the fix (issue 11) ------------------------------------------------------
    Case(
        "malformed-tags-several",
        "value",
        "model 'tg1': :tags: tags 'PEFT', 'Fine Tuning' are not lower-case slugs (letters, digits, '-', '.', '+'): "
        "write 'peft', 'fine-tuning'",
        PAGE,
        "```{model} tg1",
        page=fence("model tg1", ":tags: lora, PEFT, quantization, Fine Tuning"),
        entry="model-tg1",
    ),
    Case(
        "tag-near-miss",
        "value",
        "model 'tg3': tag 'rlhff' is on no other entry; did you mean 'rlhf'?",
        PAGE,
        "```{model} tg3",
        page=fence("model tg2", ":tags: rlhf") + fence("model tg3", ":tags: rlhff"),
        entry="model-tg3",
    ),
    Case(
        "bib-key-near-miss",
        "bibkey",
        "paper 'touvron2023lama': no bibliography entry with this key (refs.bib); did you mean 'touvron2023llama'?",
        PAGE,
        "```{paper} touvron2023lama",
        page=fence("paper touvron2023lama", "", "Notes survive."),
        entry="paper-touvron2023lama",
    ),
    Case(
        "role-near-miss-own-line",
        "ref",
        "no model with id 'alpacca'; did you mean 'alpaca'?",
        PAGE,
        "and names {model}`alpacca` on",
        page="A paragraph that starts here\nand names {model}`alpacca` on its second line.\n",
    ),
    Case(
        "paper-on-no-page",
        "ref",
        "no paper with id 'brown2020language': 'brown2020language' is in refs.bib but on no page; add a "
        "{paper} block for it to its family page, or cite it with {cite}`brown2020language`",
        PAGE,
        "{paper}`brown2020language`",
        page="Few-shot prompting:\nsee {paper}`brown2020language`.\n",
    ),
    Case(
        "bib-unclosed-field",
        "bib",
        "entry 'openfield2021': the value of 'title' opened at line 29 is not closed before the end of the file: "
        "add its closing brace",
        "refs.bib",
        "@article{openfield2021,",
        bib="\n@article{openfield2021,\n  title = {Never closed,\n  author = {Open, Oscar},\n  year = {2021},\n}\n",
    ),
    Case(
        "convention-name-order",
        "convention",
        "entry 'given2023': author names must be 'Surname, Given': write 'Jane Doe' as 'Doe, Jane', "
        "'Rui Li' as 'Li, Rui'",
        "refs.bib",
        "@article{given2023,",
        bib=article(
            "given2023", "title = {Given First}", "author = {Jane Doe and Rui Li}", GOOD_JOURNAL, "year = {2023}"
        ),
    ),
    Case(
        "convention-and-others",
        "convention",
        "entry 'others2023': author list ends in 'and others': list every author (the page folds the rest away)",
        "refs.bib",
        "@article{others2023,",
        bib=article("others2023", "title = {Some}", "author = {Doe, Jane and others}", GOOD_JOURNAL, "year = {2023}"),
    ),
    Case(
        "convention-arxiv-without-eprint",
        "convention",
        "entry 'noeprint2023': an arXiv paper without eprint: add eprint = {2301.00001} and archiveprefix = {arXiv}",
        "refs.bib",
        "@article{noeprint2023,",
        bib=article(
            "noeprint2023",
            "title = {Pre}",
            "author = {Doe, Jane}",
            "journal = {arXiv preprint arXiv:2301.00001}",
            "year = {2023}",
        ),
    ),
    Case(
        "convention-http-link",
        "convention",
        "entry 'plainhttp2023': url uses http://: write the https:// address (check that it opens)",
        "refs.bib",
        "@article{plainhttp2023,",
        bib=article(
            "plainhttp2023",
            "title = {Web}",
            "author = {Doe, Jane}",
            GOOD_JOURNAL,
            "year = {2023}",
            "url = {http://example.org/paper}",
        ),
    ),
    Case(
        "provenance-http-source",
        "url",
        "dataset 'pv1': :source: 'http://arxiv.org/abs/2302.13971' is not an https link: "
        "write it as 'https://arxiv.org/abs/2302.13971'",
        PAGE,
        "```{dataset} pv1",
        page=fence("dataset pv1", ":source: http://arxiv.org/abs/2302.13971", ":verified: 2026-11-30"),
        entry="dataset-pv1",
    ),
    Case(
        "provenance-bad-date",
        "value",
        "dataset 'pv2': :verified: '2026-02-30' is not a date written YYYY-MM-DD",
        PAGE,
        "```{dataset} pv2",
        page=fence("dataset pv2", ":source: https://example.org/pv2", ":verified: 2026-02-30"),
        entry="dataset-pv2",
    ),
    Case(
        "provenance-date-without-source",
        "missing",
        "dataset 'pv3': :verified: needs :source:, the https page(s) the entry was checked against",
        PAGE,
        "```{dataset} pv3",
        page=fence("dataset pv3", ":verified: 2026-11-30"),
        entry="dataset-pv3",
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
    assert len(found) == 1 + bool(case.also), found
    location = f"{srcdir / case.file}:{line_of(srcdir / case.file, case.at, case.occurrence)}: WARNING: "
    [warning] = [line for line in found if line.startswith(location)]
    assert warning.endswith(f"[papernotes.{case.subtype}]"), warning
    assert case.message in warning
    # The catalogue quotes what the build prints ("…" stands for text it leaves out).
    assert re.search(catalogue_pattern(case.id), warning), (catalogue_rows()[case.id], warning)
    if case.also:
        file, at, message = case.also
        second = f"{srcdir / file}:{line_of(srcdir / file, at)}: WARNING: {message} [papernotes.{case.subtype}]"
        assert second in found, (second, found)

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


def catalogue_rows() -> dict[str, tuple[str, str]]:
    """Case id -> (the warning the catalogue quotes, its kind), from docs/contributing/bad-input.md."""
    rows = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and re.fullmatch(r"`[\w-]+`", cells[0]):
            quote = cells[2].strip("`").strip() if cells[2].startswith("`") else cells[2]
            rows[cells[0].strip("`")] = (quote, cells[3].strip("`"))
    return rows


def catalogue_pattern(case_id: str) -> str:
    """The catalogue's quote as a pattern: the text as printed, with "…" matching what it leaves out."""
    quoted, _ = catalogue_rows()[case_id]
    return ".*".join(re.escape(part) for part in quoted.split("…"))


def test_guide_quotes_real_messages():
    """Every warning the guides quote is one the catalogue (checked against the build above) lists."""
    quoted = {quote for quote, _ in catalogue_rows().values()}
    for page in (GUIDE, CATALOGUE):
        for message, subtype in re.findall(r"WARNING: (.+?) \[papernotes\.(\w+)\]", page.read_text(encoding="utf-8")):
            assert message in quoted, (page.name, message)
            assert any(kind == f"papernotes.{subtype}" for quote, kind in catalogue_rows().values() if quote == message)


def test_catalogue_documents_every_case_and_subtype():
    """The contributor docs list each case with its subtype, and every subtype has a case."""
    text = CATALOGUE.read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case.id}`" in text, case.id
        row = next(line for line in text.splitlines() if f"`{case.id}`" in line)
        assert f"papernotes.{case.subtype}" in row, row
    assert {case.subtype for case in CASES} == set(SUBTYPES)
