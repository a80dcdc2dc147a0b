"""Incremental and parallel builds give the site a clean serial build gives: the rebuild matrix.

The one rebuild suite. A site using every part of papernotes (entries on several pages, roles,
relations, backlinks, citations, tables, lineage graphs, the timeline, tag/year/family indexes,
exports, the inventory, the sitemap) is built, changed by a sequence of edits, and rebuilt
incrementally after each edit, serially and with ``-j 2``. After every step, every HTML page and
export must be byte for byte what a clean serial build of the same tree writes, with no
traceback. A difference is a bug in the extension (a page whose borrowed content changed was not
rewritten), not noise to filter out.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import build

ROOT = Path(__file__).parent / "roots" / "test-rebuild"
_VOLATILE = re.compile(r"\?v=[0-9a-f]+")  # cache-busting hashes of static files


def build_outdir(srcdir: Path, *, parallel: int = 0, fresh: bool = False) -> Path:
    app = build(srcdir, parallel=parallel, fresh=fresh)
    assert "Traceback" not in app.status.getvalue() + app.warning.getvalue()
    return Path(app.outdir)


def outputs(outdir: Path) -> dict[str, str]:
    """Every HTML page and export of a build (bib/ files, feed, llms.txt; the inventory as its hex bytes), by path."""
    exports = [*outdir.glob("*.json"), *outdir.rglob("*.bib"), *outdir.glob("*.xml"), *outdir.glob("*.txt")]
    files = sorted([*outdir.rglob("*.html"), *exports])
    found = {str(path.relative_to(outdir)): _VOLATILE.sub("", path.read_text(encoding="utf-8")) for path in files}
    found["objects.inv"] = (outdir / "objects.inv").read_bytes().hex()
    return found


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def block(path: Path, opening: str) -> str:
    """The whole directive block that starts with ``opening`` (up to its closing fence)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(opening)}\n.*?^```\n", text, re.MULTILINE | re.DOTALL)
    assert match is not None, (path, opening)
    return match.group(0)


def add_entry(src: Path) -> None:
    """A new model, based on an existing one, tagged, on the LLaMA page."""
    with (src / "families/llama.md").open("a", encoding="utf-8") as page:
        page.write("\n```{model} vicuna\n:name: Vicuna\n:base: alpaca\n:params: 13B\n:tags: chat\n```\n")


def edit_entry(src: Path) -> None:
    """A model's name (shown on other pages: links, tables, graphs) and size change."""
    replace(src / "families/llama.md", ":name: Alpaca\n", ":name: Stanford Alpaca 7B\n")
    replace(src / "families/llama.md", ":params: 7B\n", ":params: 7B, 13B\n")


def move_entry(src: Path) -> None:
    """The InstructGPT model moves from the GPT page to the GLM page."""
    moved = block(src / "families/gpt.md", "```{model} instructgpt")
    replace(src / "families/gpt.md", moved, "")
    with (src / "families/glm.md").open("a", encoding="utf-8") as page:
        page.write("\n" + moved.replace(":tags: rlhf\n", ":tags: rlhf\n:family: gpt\n"))


def remove_entry(src: Path) -> None:
    """The Stanford Alpaca repository goes; its links dangle (and warn), its backlinks vanish."""
    replace(src / "families/llama.md", block(src / "families/llama.md", "```{repo} tatsu-lab/stanford_alpaca"), "")


def edit_bib(src: Path) -> None:
    """A paper's title and short title change in refs.bib: every page naming it must follow."""
    replace(src / "refs.bib", "{Training language models to follow", "{Training Language Models to Follow")
    replace(src / "refs.bib", "shorttitle    = {InstructGPT}", "shorttitle    = {InstructGPT paper}")


def rename_tag(src: Path) -> None:
    """The tag rlhf becomes alignment everywhere it is used."""
    for page in ("families/gpt.md", "families/glm.md"):
        text = (src / page).read_text(encoding="utf-8")
        (src / page).write_text(text.replace("rlhf", "alignment"), encoding="utf-8")
    replace(src / "tables.md", ":tags: rlhf", ":tags: alignment")


def edit_methods(src: Path) -> None:
    """A repository's methods change: the matrix on another page must follow."""
    replace(src / "families/llama.md", ":methods: sft\n", ":methods: sft, lora\n")


def edit_lineage(src: Path) -> None:
    """A typed edge changes kind and a teacher edge goes: the graphs on other pages and papers.json follow."""
    replace(src / "families/llama.md", "#data)\n", "#data); llama (lora, https://example.org/lora)\n")
    replace(src / "families/llama.md", ":derived: instructgpt (teacher, https://example.org/alpaca#generation)\n", "")


def add_reference(src: Path) -> None:
    """A new link on one page adds a backlink to an entry on another, unchanged page."""
    replace(src / "notes.md", "# Notes across families\n", "# Notes across families\n\nAlso {model}`chatglm-6b`.\n")


BROKEN_ENTRY = "  shorttitle = {LLaMA},\n}\n"


def break_bib_entry(src: Path) -> None:
    """A contributor drops an entry's closing brace: reported at its line, every other entry still built."""
    replace(src / "refs.bib", BROKEN_ENTRY, "  shorttitle = {LLaMA},\n\n")


def fix_bib_entry(src: Path) -> None:
    """… and puts it back: the next build must be the clean one (it used to end in a KeyError)."""
    replace(src / "refs.bib", "  shorttitle = {LLaMA},\n\n", BROKEN_ENTRY)


DUPLICATE = "\n@article{touvron2023llama,\n  title = {An Impostor},\n  author = {Other, Otto},\n  year = {2024},\n}\n"


def add_duplicate_key(src: Path) -> None:
    """An entry with a key the file already has, pasted above it: it wins, the original is ignored."""
    text = (src / "refs.bib").read_text(encoding="utf-8")
    (src / "refs.bib").write_text(DUPLICATE.lstrip("\n") + "\n" + text, encoding="utf-8")


def remove_duplicate_key(src: Path) -> None:
    replace(src / "refs.bib", DUPLICATE.lstrip("\n") + "\n", "")


def delete_used_bib_entries(src: Path) -> None:
    """Entries that pages show and cite leave papers.bib: their papers warn, nothing crashes."""
    text = (src / "refs.bib").read_text(encoding="utf-8")
    for key in ("ouyang2022training", "zeng2023glm130b"):
        text = re.sub(rf"@\w+\{{{key},.*?\n\}}\n", "", text, flags=re.DOTALL)
    (src / "refs.bib").write_text(text, encoding="utf-8")


UNUSED = "\n@misc{unused2024,\n  title = {A Paper No Page Shows},\n  author = {Other, Otto},\n  year = {2024},\n}\n"


def add_unused_bib_entry(src: Path) -> None:
    """An entry no page shows joins refs.bib: no page is read again, but papers.bib must list it."""
    with (src / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNUSED)


def set_base_url(src: Path) -> None:
    """A setting that rewrites pages without reading them: papers.json gains absolute URLs."""
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_baseurl = "https://example.org/notes/"\n')


def remove_page(src: Path) -> None:
    """The GLM page goes: its entries, their backlinks and their rows in every view."""
    (src / "families/glm.md").unlink()
    replace(src / "notes.md", "{model}`chatglm-6b` does the same for Chinese {cite:p}`zeng2023glm130b`.", "")


#: Each case is a sequence of edits; the site is rebuilt (and compared) after every one.
CHANGES: dict[str, list[Callable[[Path], None]]] = {
    "add-entry": [add_entry],
    "edit-entry": [edit_entry],
    "move-entry": [move_entry],
    "remove-entry": [remove_entry],
    "add-reference": [add_reference],
    "edit-methods": [edit_methods],
    "edit-lineage": [edit_lineage],
    "edit-bib": [edit_bib],
    "rename-tag": [rename_tag],
    "remove-page": [remove_page],
    "break-then-fix-bib": [break_bib_entry, fix_bib_entry],
    "duplicate-key-then-remove": [add_duplicate_key, remove_duplicate_key],
    "delete-used-bib-entries": [delete_used_bib_entries],
    "add-unused-bib-entry": [add_unused_bib_entry],
    "set-base-url": [set_base_url],
}


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    """The outputs that differ, with the first differing line of each, for a readable failure."""
    found = [f"only in one build: {name}" for name in sorted(set(got) ^ set(expected))]
    for name in sorted(set(got) & set(expected)):
        if got[name] != expected[name]:
            pairs = zip(got[name].splitlines(), expected[name].splitlines(), strict=False)
            first = next(((a, b) for a, b in pairs if a != b), ("(length)", "(length)"))
            found.append(f"{name}:\n  incremental: {first[0][:300]}\n  clean:       {first[1][:300]}")
    return found


@pytest.fixture(scope="module")
def clean_originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The unchanged site, built clean and serially."""
    srcdir = tmp_path_factory.mktemp("rebuild") / "original"
    shutil.copytree(ROOT, srcdir)
    return outputs(build_outdir(srcdir, fresh=True))


def test_parallel_build_equals_serial(tmp_path: Path, clean_originals: dict[str, str]):
    srcdir = tmp_path / "parallel"
    shutil.copytree(ROOT, srcdir)
    parallel = outputs(build_outdir(srcdir, parallel=2, fresh=True))
    assert differences(parallel, clean_originals) == []
    assert len(parallel) > 10


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_rebuild_equals_clean_build(change: str, parallel: int, tmp_path: Path, clean_originals):
    srcdir = tmp_path / "incremental"
    shutil.copytree(ROOT, srcdir)
    assert differences(outputs(build_outdir(srcdir, parallel=parallel, fresh=True)), clean_originals) == []

    for step, edit in enumerate(CHANGES[change]):
        edit(srcdir)
        incremental = outputs(build_outdir(srcdir, parallel=parallel))

        reference = tmp_path / f"clean-{step}"
        shutil.copytree(srcdir, reference, ignore=shutil.ignore_patterns("_build"))
        clean = outputs(build_outdir(reference, fresh=True))
        if step == 0:
            assert clean != clean_originals, "the change changed nothing: the test would prove nothing"
        # Sphinx never deletes what it wrote: a removed page's own HTML file stays, unlinked and
        # out of the search index and exports. That file, and only it, may be left over.
        removed = {name for name in incremental if name not in clean and name.endswith(".html")}
        assert all(not (srcdir / name.replace(".html", ".md")).exists() for name in removed), removed
        assert removed == ({"families/glm.html"} if change == "remove-page" else set())
        kept = {name: text for name, text in incremental.items() if name not in removed}
        assert differences(kept, clean) == [], f"after step {step + 1} ({edit.__name__})"
    if len(CHANGES[change]) > 1:  # an edit undone: back to the original site exactly
        assert differences(kept, clean_originals) == []


def test_an_edit_rereads_only_its_page_and_bib_edits_reread_their_papers(tmp_path: Path):
    srcdir = tmp_path / "site"
    shutil.copytree(ROOT, srcdir)
    build_outdir(srcdir, fresh=True)
    read: list[str] = []
    add_entry(srcdir)
    build(srcdir, fresh=False, watch=read)
    assert read == ["families/llama"]
    read.clear()
    edit_bib(srcdir)  # ouyang2022training is shown on the GPT page only
    build(srcdir, fresh=False, watch=read)
    # papernotes re-reads the page that shows the paper; sphinxcontrib-bibtex the page with its bibliography.
    assert read == ["families/gpt", "notes"]


def test_a_broken_entry_is_one_located_warning_and_the_rest_still_builds(tmp_path: Path):
    srcdir = tmp_path / "site"
    shutil.copytree(ROOT, srcdir)
    break_bib_entry(srcdir)
    app = build(srcdir)
    warnings = [line for line in app.warning.getvalue().splitlines() if "WARNING" in line]
    assert len(warnings) == 1, warnings
    assert "refs.bib:11: WARNING: entry 'touvron2023llama' is not closed before the next entry" in warnings[0]
    page = (Path(app.outdir) / "families/gpt.html").read_text(encoding="utf-8")
    assert "Training language models to follow instructions" in page  # the entries after it are read
