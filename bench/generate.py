"""The synthetic collections the benchmark builds: the same papers with papernotes, its peer and by hand.

Everything here is deterministic (same text on every run), so timings of different runs compare the
same pages. Four variants write the same papers:

- ``papernotes``: the site as contributors write it (``{paper}`` directives and roles, ``papers.bib``);
- ``needs``: the peer a user would pick instead, sphinx-needs, with each paper a ``need`` (a
  ``{paper}`` need type with the same fields) and each cross-reference a ``{need}`` link;
- ``floor``: the same visible content in hand-written MyST, BibTeX block included;
- ``plain``: the same hand-written MyST without the BibTeX block (a section, a field list and a
  ``{ref}`` per entry): the least a page of notes can cost.

Three shapes spread the papers over pages (:data:`SHAPES`): one family per page of 50 entries; a
few families spanning many pages of 50; and very long pages of 1,000 entries.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import REPOSITORY_ROOT

#: Papers per family page (the ``pages`` and ``spanning`` shapes).
FAMILY_SIZE = 50
VARIANTS = ("plain", "floor", "needs", "papernotes")
#: The variants that are hand-written MyST: what papernotes and sphinx-needs are compared with.
FLOORS = ("plain", "floor")


@dataclass(frozen=True)
class Shape:
    """How a collection is spread over pages: entries per page, and how many families (None: one per page)."""

    name: str
    page_size: int
    families: int | None
    description: str


#: The collection shapes, by name.
SHAPES = {
    shape.name: shape
    for shape in (
        Shape("pages", FAMILY_SIZE, None, "one family per page of 50 entries"),
        Shape("spanning", FAMILY_SIZE, 8, "8 families spanning many pages of 50 entries"),
        Shape("long", 1000, None, "one family per page of 1,000 entries"),
    )
}
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
    shape: str = "pages"


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


def family_id(family: int) -> str:
    """The id of the ``family``-th family (what a papernotes page names in its front matter)."""
    return f"f{family:03d}"


def link_target(index: int, n: int, family_size: int = FAMILY_SIZE) -> int:
    """Each note links to a paper on another page, so backlinks cross pages as on the real site."""
    return (index + family_size + 7) % n


def _title(index: int) -> str:
    return " ".join(_pseudo_random_words(index + 7, 6)).capitalize() + f" {index}"


def _authors(index: int) -> list[tuple[str, str]]:
    """Six (given name, surname) pairs."""
    surnames = ("Zhang", "Li", "Wang", "Smith", "Garcia", "Müller", "Kim", "Ivanova", "Dubois", "Sato")
    given = ("Wei", "Anna", "Jorge", "Min", "Lena", "Omar", "Yuki", "Paul")
    return [(given[(index + step) % len(given)], surnames[(index * 3 + step) % len(surnames)]) for step in range(6)]


def _year(index: int) -> int:
    return 2019 + index % 5


def _arxiv_id(index: int) -> str:
    return f"{23 - index % 4:02d}{1 + index % 12:02d}.{index:05d}"


def bib_entry(index: int) -> str:
    """The BibTeX entry of paper ``index`` (six authors, an arXiv id)."""
    authors = " and ".join(f"{surname}, {given}" for given, surname in _authors(index))
    return (
        f"@article{{{paper_key(index)},\n"
        f"  author = {{{authors}}},\n"
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


def _two_tags(index: int, n: int) -> str:
    """Two different tags, from :data:`TAGS`; fewer of them in tiny collections, so each marks several papers.

    The number of tags used is even: then ``index`` and ``7 * index + 3`` never fall on the same one.
    """
    count = min(len(TAGS), max(2, n // 5 // 2 * 2))
    return f"{TAGS[index % count]}, {TAGS[(index * 7 + 3) % count]}"


def _code_url(index: int) -> str:
    return f"https://github.com/example/repo{index:05d}"


def papernotes_entry(index: int, n: int, family_size: int = FAMILY_SIZE, family: int = 0) -> str:
    """One paper as contributors write it: the directive, two tags, a code link, notes with a ``{paper}`` role.

    Its family comes from the page's front matter, so ``family`` is not written here.
    """
    link = f"{{paper}}`{paper_key(link_target(index, n, family_size))}`"
    return (
        f"````{{paper}} {paper_key(index)}\n:tags: {_two_tags(index, n)}\n:code: {_code_url(index)}\n\n"
        f"{notes(index, link)}````\n"
    )


def _authors_text(index: int) -> str:
    return ", ".join(f"{given} {surname}" for given, surname in _authors(index)[:3]) + " et al."


def needs_entry(index: int, n: int, family_size: int = FAMILY_SIZE, family: int = 0) -> str:
    """The same paper as a sphinx-needs ``need`` (type ``paper``) with the same fields and a ``{need}`` link."""
    arxiv_id = _arxiv_id(index)
    link = f"{{need}}`{paper_key(link_target(index, n, family_size))}`"
    return (
        f"````{{paper}} {_title(index)}\n:id: {paper_key(index)}\n:tags: {_two_tags(index, n).replace(', ', ';')}\n"
        f":authors: {_authors_text(index)}\n:published: arXiv preprint, {_year(index)}\n"
        f":links_out: https://arxiv.org/abs/{arxiv_id} https://arxiv.org/pdf/{arxiv_id} {_code_url(index)}\n"
        f":family: Family {family:03d}\n\n{notes(index, link)}````\n"
    )


def floor_entry(index: int, n: int, family_size: int = FAMILY_SIZE, family: int = 0, bibtex: bool = True) -> str:
    """The same paper written by hand in plain MyST: a labelled section with the same visible content.

    The fields the entry shows become a MyST field list, and (with ``bibtex``) its Cite block a
    fenced ``bibtex`` block, so both render the same text; only what the extension computes (tag
    and family links, backlinks) has no hand-written equivalent.
    """
    arxiv_id = _arxiv_id(index)
    link = f"{{ref}}`{paper_key(link_target(index, n, family_size))}`"
    text = (
        f"({paper_key(index)})=\n## {_title(index)}\n\n"
        f":Authors: {_authors_text(index)}\n:Published: arXiv preprint, {_year(index)}\n"
        f":Links: [arXiv](https://arxiv.org/abs/{arxiv_id}) · [PDF](https://arxiv.org/pdf/{arxiv_id})"
        f" · [Code]({_code_url(index)})\n"
        f":Tags: {_two_tags(index, n)}\n:Family: Family {family:03d}\n\n{notes(index, link)}\n"
    )
    if bibtex:
        text += f"```{{rubric}} Cite\n```\n\n```bibtex\n{bib_entry(index)}```\n"
    return text


def plain_entry(index: int, n: int, family_size: int = FAMILY_SIZE, family: int = 0) -> str:
    """The hand-written paper without its BibTeX block: a section, a field list and a ``{ref}``."""
    return floor_entry(index, n, family_size, family, bibtex=False)


#: How each variant writes one paper: (index, n, entries per page, family number) -> MyST.
ENTRY_WRITERS: dict[str, Callable[[int, int, int, int], str]] = {
    "plain": plain_entry,
    "floor": floor_entry,
    "needs": needs_entry,
    "papernotes": papernotes_entry,
}


def page_family(page: int, pages: int, shape: Shape) -> int:
    """The family of the ``page``-th page: its own, or (``spanning``) one of a few in contiguous runs."""
    if shape.families is None:
        return page
    return page * min(shape.families, pages) // pages


def peers_gc_threshold() -> str:
    """Lines for a peer's conf.py that give it the collector thresholds ``$BENCH_PEERS_GC_THRESHOLD`` names.

    papernotes sets its own (``papernotes_gc_threshold``), which any Sphinx build would gain from
    alike: ``--peers-gc-threshold 10000,10,10`` measures papernotes' cost with that gain taken out.
    """
    threshold = os.environ.get("BENCH_PEERS_GC_THRESHOLD", "")
    if not threshold:
        return ""
    numbers = ", ".join(str(int(part)) for part in threshold.split(","))
    return f"import gc\n\ngc.set_threshold({numbers})\n"


def _conf_py(variant: str, families: int) -> str:
    """The collection's conf.py: MyST only for the floors; sphinx-needs or papernotes otherwise."""
    base = 'source_suffix = {".md": "markdown"}\n'
    if variant in FLOORS:
        return f'{peers_gc_threshold()}extensions = ["myst_parser"]\n{base}myst_enable_extensions = ["fieldlist"]\n'
    if variant == "needs":
        return (
            f'{peers_gc_threshold()}extensions = ["myst_parser", "sphinx_needs"]\n{base}'
            'needs_types = [{"directive": "paper", "title": "Paper", "prefix": "P_", "color": "#BFD8D2", '
            '"style": "node"}]\n'
            'needs_fields = {name: {"nullable": True} for name in ("authors", "published", "links_out", "family")}\n'
            'needs_id_regex = "^[a-z0-9_]+$"\n'
        )
    listed = ",\n".join(f'    "{family_id(family)}": "Family {family:03d}"' for family in range(families))
    return (
        f"import sys\n\nsys.path.insert(0, {str(extension_dir())!r})\n\n"
        f'extensions = ["myst_parser", "papernotes"]\n{base}'
        'papernotes_bibfiles = ["papers.bib"]\n'
        f"papernotes_families = {{\n{listed},\n}}\n"
    )


def extension_dir() -> Path:
    """Where the papernotes variant imports the extension from: this checkout, or ``$BENCH_PAPERNOTES_EXT``.

    Pointing it at another copy of ``ext/`` (``--papernotes-ext``) times two versions of the
    extension against the same peers, for before-and-after figures.
    """
    return Path(os.environ.get("BENCH_PAPERNOTES_EXT") or REPOSITORY_ROOT / "ext")


def page_name(page: int) -> str:
    """The file name (without suffix) of the ``page``-th page."""
    return f"p{page:03d}"


def write_collection(
    root: Path, n: int, variant: str, family_size: int | None = None, shape: str = "pages"
) -> Collection:
    """Write a collection of ``n`` papers under ``root`` (replacing what was there).

    ``family_size`` (entries per page) overrides the shape's, for tiny test collections.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    spread = SHAPES[shape]
    page_size = family_size or spread.page_size
    if root.exists():
        shutil.rmtree(root)
    (root / "families").mkdir(parents=True)
    pages = max(1, -(-n // page_size))
    families = [page_family(page, pages, spread) for page in range(pages)]
    (root / "conf.py").write_text(_conf_py(variant, max(families) + 1), encoding="utf-8")
    toctree = "\n".join(f"families/{page_name(page)}" for page in range(pages))
    (root / "index.md").write_text(
        f"# Synthetic collection of {n} papers\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n", encoding="utf-8"
    )
    entry = ENTRY_WRITERS[variant]
    for page, family in enumerate(families):
        indices = range(page * page_size, min(n, (page + 1) * page_size))
        front_matter = f"---\nfamily: {family_id(family)}\n---\n" if variant == "papernotes" else ""
        body = "\n".join(entry(index, n, page_size, family) for index in indices)
        text = f"{front_matter}# Family {family:03d}, page {page}\n\n{body}"
        (root / "families" / f"{page_name(page)}.md").write_text(text, encoding="utf-8")
    if variant == "papernotes":
        (root / "papers.bib").write_text("\n".join(bib_entry(index) for index in range(n)), encoding="utf-8")
    edit_page = root / "families" / f"{page_name(pages // 2)}.md"
    return Collection(variant, n, root, edit_page, pages, shape)


def edit_one_page(collection: Collection) -> str:
    """Change one sentence of the first note on the edit page; return the page's docname."""
    text = collection.edit_page.read_text(encoding="utf-8")
    match = REVISION_SENTENCE.search(text)
    if match is None:
        raise ValueError(f"{collection.edit_page} has no 'Revision N.' sentence to edit")
    revised = f"Revision {int(match.group(1)) + 1}."
    collection.edit_page.write_text(text[: match.start()] + revised + text[match.end() :], encoding="utf-8")
    return f"families/{collection.edit_page.stem}"
