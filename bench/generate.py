"""The synthetic collections the benchmark builds: the same papers with and without papernotes.

Everything here is deterministic (same text on every run), so timings of different runs compare the
same pages. The ``papernotes`` variant is the site as contributors write it; the ``floor`` variant
is the same visible content in plain MyST, which is what the pages cost without the extension.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import REPOSITORY_ROOT

#: Papers per family page.
FAMILY_SIZE = 50
VARIANTS = ("floor", "papernotes")
#: Words the notes are made of; a fixed vocabulary keeps the search index comparable between runs.
_WORDS = (
    "model attention layer token training data instruction tuning reward policy gradient human feedback "
    "preference dataset corpus benchmark evaluation accuracy perplexity scaling parameter checkpoint weights "
    "license release open chat dialogue assistant answer question prompt context window position encoding "
    "embedding vocabulary tokenizer language multilingual chinese english translation summary retrieval memory "
    "compute budget hardware cluster batch learning rate warmup schedule optimizer adapter rank matrix "
    "decomposition low quantization inference latency speed"
)
VOCABULARY = tuple(_WORDS.split())
TAGS = tuple(f"topic-{index:02d}" for index in range(20))
#: The sentence the edit scenario changes: the last one of every note.
REVISION_SENTENCE = re.compile(r"Revision (\d+)\.")


@dataclass(frozen=True)
class Collection:
    """One generated site: where its sources are and which page the edit scenario touches."""

    variant: str
    n: int
    src: Path
    edit_page: Path
    pages: int


def _pseudo_random_words(seed: int, count: int) -> list[str]:
    """Deterministic pseudo-random words (a linear congruential generator: same text every run)."""
    state = seed * 2654435761 % 2**32 or 1
    words: list[str] = []
    for _ in range(count):
        state = (1103515245 * state + 12345) % 2**31
        words.append(VOCABULARY[state % len(VOCABULARY)])
    return words


def paper_key(index: int) -> str:
    """The BibTeX key (and label, in the floor) of paper ``index``."""
    return f"paper{index:05d}"


def family_id(page: int) -> str:
    """The family (and page name) the ``page``-th group of entries belongs to."""
    return f"f{page:03d}"


def link_target(index: int, n: int, family_size: int = FAMILY_SIZE) -> int:
    """Each note links to a paper on another page, so backlinks cross pages as on the real site."""
    return (index + family_size + 7) % n


def _title(index: int) -> str:
    return " ".join(_pseudo_random_words(index + 7, 6)).capitalize() + f" {index}"


def _authors(index: int) -> list[tuple[str, str]]:
    """Four (given name, surname) pairs."""
    surnames = ("Zhang", "Li", "Wang", "Smith", "Garcia", "Müller", "Kim", "Ivanova", "Dubois", "Sato")
    given = ("Wei", "Anna", "Jorge", "Min", "Lena", "Omar", "Yuki", "Paul")
    return [(given[(index + step) % len(given)], surnames[(index * 3 + step) % len(surnames)]) for step in range(4)]


def _year(index: int) -> int:
    return 2019 + index % 5


def _arxiv_id(index: int) -> str:
    return f"{23 - index % 4:02d}{1 + index % 12:02d}.{index:05d}"


def bib_entry(index: int) -> str:
    """The BibTeX entry of paper ``index`` (four authors and 'others', an arXiv id)."""
    authors = " and ".join(f"{surname}, {given}" for given, surname in _authors(index))
    return (
        f"@article{{{paper_key(index)},\n"
        f"  author = {{{authors} and others}},\n"
        f"  title = {{{_title(index)}}},\n"
        f"  journal = {{arXiv preprint}},\n"
        f"  year = {{{_year(index)}}},\n"
        f"  eprint = {{{_arxiv_id(index)}}},\n"
        f"  archiveprefix = {{arXiv}},\n"
        f"}}\n"
    )


def notes(index: int, link: str, words: int = 200) -> str:
    """About ``words`` words of notes in three paragraphs, with one cross-reference in the second."""
    body = _pseudo_random_words(index, words)
    third = words // 3
    first = " ".join(body[:third]).capitalize() + "."
    second = " ".join(body[third : 2 * third]).capitalize() + f", as in {link}."
    last = " ".join(body[2 * third :]).capitalize() + ". Revision 0."
    return f"{first}\n\n{second}\n\n{last}\n"


def _two_tags(index: int) -> str:
    return f"{TAGS[index % len(TAGS)]}, {TAGS[(index * 7 + 3) % len(TAGS)]}"


def papernotes_entry(index: int, n: int, family_size: int = FAMILY_SIZE) -> str:
    """One paper as contributors write it: the directive, two tags, notes with a ``{paper}`` role."""
    link = f"{{paper}}`{paper_key(link_target(index, n, family_size))}`"
    return f"````{{paper}} {paper_key(index)}\n:tags: {_two_tags(index)}\n\n{notes(index, link)}````\n"


def floor_entry(index: int, n: int, family_size: int = FAMILY_SIZE) -> str:
    """The same paper written by hand in plain MyST: a labelled section with the same visible content.

    The fields the entry shows become a MyST field list, and its Cite block a fenced ``bibtex``
    block, so both variants render the same text; only what the extension computes (tag and
    family links, backlinks) has no hand-written equivalent.
    """
    authors = ", ".join(f"{given} {surname}" for given, surname in _authors(index)[:3]) + " et al."
    arxiv_id = _arxiv_id(index)
    link = f"{{ref}}`{paper_key(link_target(index, n, family_size))}`"
    return (
        f"({paper_key(index)})=\n## {_title(index)}\n\n"
        f":Authors: {authors}\n:Published: arXiv preprint, {_year(index)}\n"
        f":Links: [arXiv](https://arxiv.org/abs/{arxiv_id}) · [PDF](https://arxiv.org/pdf/{arxiv_id})\n"
        f":Tags: {_two_tags(index)}\n:Family: Family {index // family_size:03d}\n\n{notes(index, link)}\n"
        f"```{{rubric}} Cite\n```\n\n```bibtex\n{bib_entry(index)}```\n"
    )


def _conf_py(variant: str, pages: int) -> str:
    """The collection's conf.py: MyST only for the floor; papernotes, its bib file and families otherwise."""
    if variant == "floor":
        return (
            'extensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n'
            'myst_enable_extensions = ["fieldlist"]\n'
        )
    families = ",\n".join(f'    "{family_id(page)}": "Family {page:03d}"' for page in range(pages))
    return (
        f"import sys\n\nsys.path.insert(0, {str(REPOSITORY_ROOT / 'ext')!r})\n\n"
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
        'papernotes_bibfiles = ["papers.bib"]\n'
        f"papernotes_families = {{\n{families},\n}}\n"
    )


def write_collection(root: Path, n: int, variant: str, family_size: int = FAMILY_SIZE) -> Collection:
    """Write a collection of ``n`` papers under ``root`` (replacing what was there)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    if root.exists():
        shutil.rmtree(root)
    (root / "families").mkdir(parents=True)
    pages = max(1, -(-n // family_size))
    (root / "conf.py").write_text(_conf_py(variant, pages), encoding="utf-8")
    toctree = "\n".join(f"families/{family_id(page)}" for page in range(pages))
    (root / "index.md").write_text(
        f"# Synthetic collection of {n} papers\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n", encoding="utf-8"
    )
    entry: Callable[[int, int, int], str] = floor_entry if variant == "floor" else papernotes_entry
    for page in range(pages):
        indices = range(page * family_size, min(n, (page + 1) * family_size))
        front_matter = "" if variant == "floor" else f"---\nfamily: {family_id(page)}\n---\n"
        body = "\n".join(entry(index, n, family_size) for index in indices)
        text = f"{front_matter}# Family {page:03d}\n\n{body}"
        (root / "families" / f"{family_id(page)}.md").write_text(text, encoding="utf-8")
    if variant == "papernotes":
        (root / "papers.bib").write_text("\n".join(bib_entry(index) for index in range(n)), encoding="utf-8")
    edit_page = root / "families" / f"{family_id(pages // 2)}.md"
    return Collection(variant, n, root, edit_page, pages)


def edit_one_page(collection: Collection) -> str:
    """Change one sentence of the first note on the edit page; return the page's docname."""
    text = collection.edit_page.read_text(encoding="utf-8")
    match = REVISION_SENTENCE.search(text)
    if match is None:
        raise ValueError(f"{collection.edit_page} has no 'Revision N.' sentence to edit")
    revised = f"Revision {int(match.group(1)) + 1}."
    collection.edit_page.write_text(text[: match.start()] + revised + text[match.end() :], encoding="utf-8")
    return f"families/{collection.edit_page.stem}"
