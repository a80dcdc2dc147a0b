"""Incremental and parallel builds give the site a clean serial build gives: the rebuild matrix.

A site using every part of papernotes (entries on several pages, roles, relations, backlinks,
tables, lineage graphs, the timeline, tag/year/family indexes, exports) is built, changed in one
way, and rebuilt incrementally, serially and with ``-j 2``. Every HTML page and export must be
byte for byte what a clean serial build of the changed tree writes. A difference is a bug in the
extension (a page whose borrowed content changed was not rewritten), not noise to filter out.
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
    """Every HTML page and export of a build, by path."""
    files = sorted([*outdir.rglob("*.html"), *outdir.glob("*.json"), *outdir.glob("*.bib")])
    return {str(path.relative_to(outdir)): _VOLATILE.sub("", path.read_text(encoding="utf-8")) for path in files}


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


def remove_page(src: Path) -> None:
    """The GLM page goes: its entries, their backlinks and their rows in every view."""
    (src / "families/glm.md").unlink()
    replace(src / "notes.md", "{model}`chatglm-6b` does the same for Chinese {cite:p}`zeng2023glm130b`.", "")


CHANGES: dict[str, Callable[[Path], None]] = {
    "add-entry": add_entry,
    "edit-entry": edit_entry,
    "move-entry": move_entry,
    "remove-entry": remove_entry,
    "edit-bib": edit_bib,
    "rename-tag": rename_tag,
    "remove-page": remove_page,
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

    CHANGES[change](srcdir)
    incremental = outputs(build_outdir(srcdir, parallel=parallel))

    reference = tmp_path / "clean"
    shutil.copytree(srcdir, reference, ignore=shutil.ignore_patterns("_build"))
    clean = outputs(build_outdir(reference, fresh=True))
    assert clean != clean_originals, "the change changed nothing: the test would prove nothing"
    # Sphinx never deletes what it wrote: a removed page's own HTML file stays, unlinked and
    # out of the search index and exports. That file, and only it, may be left over.
    removed = {name for name in incremental if name not in clean and name.endswith(".html")}
    assert all(not (srcdir / name.replace(".html", ".md")).exists() for name in removed), removed
    assert removed == ({"families/glm.html"} if change == "remove-page" else set())
    assert differences({name: text for name, text in incremental.items() if name not in removed}, clean) == []
