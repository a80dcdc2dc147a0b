"""Benchmark: how much papernotes costs on top of bare Sphinx + MyST, and how that grows.

Synthetic collections of N papers (a BibTeX entry each, family pages of 50 entries, notes of about
200 words with one cross-reference each) are written twice: once with the ``{paper}`` directive
and role (the site as contributors write it) and once as plain MyST sections with labels and
``{ref}`` links (the floor: what the same pages cost without the extension). Both are built as
separate ``sphinx-build`` processes, scenario by scenario and variant by variant in alternating
order, because the machine is shared and noisy; times are medians of the repeats.

Run ``python bench/run.py --sizes 100,1000 --repeats 3`` (or ``nox -s bench -- …``); the table is
printed as Markdown and everything measured is written as JSON. ``--profile N`` profiles one clean
and one no-op build of the papernotes variant with cProfile instead.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import docutils
import myst_parser
import sphinx

ROOT = Path(__file__).resolve().parent.parent
FAMILY_SIZE = 50
VARIANTS = ("floor", "papernotes")
SCENARIOS = ("clean", "noop", "edit", "j2")
SCENARIO_LABELS = {
    "clean": "clean build",
    "noop": "no-op rebuild",
    "edit": "edit one page",
    "j2": "clean build, -j 2",
}
DEFAULT_SIZES = (100, 1000, 5000)
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
REVISION = re.compile(r"Revision (\d+)\.")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
WRITING = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)


# --- the synthetic collections ---------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """One generated site: where its sources are and which page the edit scenario touches."""

    variant: str
    n: int
    src: Path
    edit_page: Path
    pages: int


def _words(seed: int, count: int) -> list[str]:
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
    return " ".join(_words(index + 7, 6)).capitalize() + f" {index}"


def _authors(index: int) -> list[tuple[str, str]]:
    surnames = ("Zhang", "Li", "Wang", "Smith", "Garcia", "Müller", "Kim", "Ivanova", "Dubois", "Sato")
    given = ("Wei", "Anna", "Jorge", "Min", "Lena", "Omar", "Yuki", "Paul")
    return [(given[(index + step) % len(given)], surnames[(index * 3 + step) % len(surnames)]) for step in range(4)]


def _year(index: int) -> int:
    return 2019 + index % 5


def _eprint(index: int) -> str:
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
        f"  eprint = {{{_eprint(index)}}},\n"
        f"  archiveprefix = {{arXiv}},\n"
        f"}}\n"
    )


def notes(index: int, link: str, words: int = 200) -> str:
    """About ``words`` words of notes in three paragraphs, with one cross-reference in the second."""
    body = _words(index, words)
    third = words // 3
    first = " ".join(body[:third]).capitalize() + "."
    second = " ".join(body[third : 2 * third]).capitalize() + f", as in {link}."
    last = " ".join(body[2 * third :]).capitalize() + ". Revision 0."
    return f"{first}\n\n{second}\n\n{last}\n"


def papernotes_entry(index: int, n: int, family_size: int = FAMILY_SIZE) -> str:
    """One paper as contributors write it: the directive, two tags, notes with a ``{paper}`` role."""
    tags = f"{TAGS[index % len(TAGS)]}, {TAGS[(index * 7 + 3) % len(TAGS)]}"
    link = f"{{paper}}`{paper_key(link_target(index, n, family_size))}`"
    return f"````{{paper}} {paper_key(index)}\n:tags: {tags}\n\n{notes(index, link)}````\n"


def floor_entry(index: int, n: int, family_size: int = FAMILY_SIZE) -> str:
    """The same paper written by hand in plain MyST: a labelled section with the same visible content.

    The fields the entry shows become a MyST field list, and its Cite block a fenced ``bibtex``
    block, so both variants render the same text; only what the extension computes (tag and
    family links, backlinks) has no hand-written equivalent.
    """
    authors = ", ".join(f"{given} {surname}" for given, surname in _authors(index)[:3]) + " et al."
    tags = f"{TAGS[index % len(TAGS)]}, {TAGS[(index * 7 + 3) % len(TAGS)]}"
    eprint = _eprint(index)
    link = f"{{ref}}`{paper_key(link_target(index, n, family_size))}`"
    return (
        f"({paper_key(index)})=\n## {_title(index)}\n\n"
        f":Authors: {authors}\n:Published: arXiv preprint, {_year(index)}\n"
        f":Links: [arXiv](https://arxiv.org/abs/{eprint}) · [PDF](https://arxiv.org/pdf/{eprint})\n"
        f":Tags: {tags}\n:Family: Family {index // family_size:03d}\n\n{notes(index, link)}\n"
        f"```{{rubric}} Cite\n```\n\n```bibtex\n{bib_entry(index)}```\n"
    )


def _conf(variant: str, pages: int) -> str:
    if variant == "floor":
        return (
            'extensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n'
            'myst_enable_extensions = ["fieldlist"]\n'
        )
    families = ",\n".join(f'    "{family_id(page)}": "Family {page:03d}"' for page in range(pages))
    return (
        f"import sys\n\nsys.path.insert(0, {str(ROOT / 'ext')!r})\n\n"
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
        'bibtex_bibfiles = ["papers.bib"]\n'
        f"papernotes_families = {{\n{families},\n}}\n"
    )


def generate(root: Path, n: int, variant: str, family_size: int = FAMILY_SIZE) -> Collection:
    """Write a collection of ``n`` papers under ``root`` (replacing what was there)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    if root.exists():
        shutil.rmtree(root)
    (root / "families").mkdir(parents=True)
    pages = max(1, -(-n // family_size))
    (root / "conf.py").write_text(_conf(variant, pages), encoding="utf-8")
    toctree = "\n".join(f"families/{family_id(page)}" for page in range(pages))
    (root / "index.md").write_text(
        f"# Synthetic collection of {n} papers\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n", encoding="utf-8"
    )
    entry = floor_entry if variant == "floor" else papernotes_entry
    for page in range(pages):
        indices = range(page * family_size, min(n, (page + 1) * family_size))
        front = "" if variant == "floor" else f"---\nfamily: {family_id(page)}\n---\n"
        body = "\n".join(entry(index, n, family_size) for index in indices)
        text = f"{front}# Family {page:03d}\n\n{body}"
        (root / "families" / f"{family_id(page)}.md").write_text(text, encoding="utf-8")
    if variant == "papernotes":
        (root / "papers.bib").write_text("\n".join(bib_entry(index) for index in range(n)), encoding="utf-8")
    edit_page = root / "families" / f"{family_id(pages // 2)}.md"
    return Collection(variant, n, root, edit_page, pages)


def edit(collection: Collection) -> str:
    """Change one sentence of the first note on the edit page; return the page's docname."""
    text = collection.edit_page.read_text(encoding="utf-8")
    match = REVISION.search(text)
    if match is None:
        raise ValueError(f"{collection.edit_page} has no 'Revision N.' sentence to edit")
    revised = f"Revision {int(match.group(1)) + 1}."
    collection.edit_page.write_text(text[: match.start()] + revised + text[match.end() :], encoding="utf-8")
    return f"families/{collection.edit_page.stem}"


# --- running builds ----------------------------------------------------------------------------


@dataclass
class Run:
    """What one sphinx-build process took and did."""

    seconds: float
    cpu_seconds: float
    maxrss_kb: int
    read: list[str]
    written: list[str]
    warnings: int
    returncode: int


def parse_output(stdout: str) -> tuple[list[str], list[str]]:
    """The documents Sphinx says it read and wrote (its ``reading sources... [ 50%] doc`` lines).

    On a terminal, and whenever CI=true, Sphinx rewrites one line with carriage returns and
    erase-line codes instead of printing a line per document: both forms are read.
    """
    plain = ANSI_ESCAPE.sub("", stdout).replace("\r", "\n")
    return READING.findall(plain), WRITING.findall(plain)


def build(collection: Collection, out: Path, jobs: int = 1, clean: bool = False) -> Run:
    """One sphinx-build of the collection as a child process: wall time, peak RSS, documents read."""
    if clean and out.exists():
        shutil.rmtree(out)
    # --no-color: the status lines are parsed, and Sphinx colours them whenever CI=true is set.
    command = [sys.executable, "-m", "sphinx", "--no-color", "-b", "html", "-j", str(jobs)]
    command += ["-d", str(out / ".doctrees")]
    command += [str(collection.src), str(out / "html")]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=collection.src)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    read, written = parse_output(output)
    warnings = errors.count("WARNING")
    if process.returncode:
        raise RuntimeError(f"sphinx-build failed ({process.returncode}) for {collection.src}:\n{errors[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss, read, written, warnings, process.returncode)


def output_sizes(out: Path) -> dict[str, int]:
    """Bytes of searchindex.js and of the largest HTML page of a finished build."""
    html = out / "html"
    pages = [path.stat().st_size for path in html.rglob("*.html")]
    index = html / "searchindex.js"
    return {"searchindex_bytes": index.stat().st_size if index.exists() else 0, "largest_page_bytes": max(pages)}


# --- the measurement plan ------------------------------------------------------------------------


@dataclass
class Cell:
    """All repeats of one scenario, for one size and variant."""

    n: int
    variant: str
    scenario: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_median(self) -> float:
        """CPU time (user + system, workers included): steadier than wall time on a busy machine."""
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def spread(self) -> float:
        """(slowest - fastest) / median: how noisy this cell was."""
        times = [run.seconds for run in self.runs]
        return (max(times) - min(times)) / self.median if self.median else 0.0


def parse_repeats(spec: str, sizes: Sequence[int]) -> dict[int, int]:
    """``"3"`` (every size 3 times) or ``"3,5000=2"`` (N = 5,000 twice): the repeats per size."""
    default, per_size = 3, {}
    for item in (part.strip() for part in spec.split(",") if part.strip()):
        if "=" in item:
            size, count = item.split("=", 1)
            per_size[int(size.replace("_", ""))] = int(count)
        else:
            default = int(item)
    counts = {n: per_size.get(n, default) for n in sizes}
    if any(count < 1 for count in counts.values()):
        raise ValueError(f"repeats must be at least 1: {spec!r}")
    return counts


def measure(
    sizes: Sequence[int],
    repeats: dict[int, int],
    workdir: Path,
    scenarios: Sequence[str] = SCENARIOS,
    parallel_sizes: Sequence[int] | None = None,
) -> dict:
    """Run every scenario ``repeats[n]`` times per size, floor and papernotes interleaved.

    The ``-j 2`` build runs only for ``parallel_sizes`` (all sizes when None): its target is at
    N = 1,000, and at 5,000 it would double the length of the run.
    """
    cells: dict[tuple[int, str, str], Cell] = {}
    outputs: dict[tuple[int, str], dict[str, int]] = {}
    for n in sizes:
        collections = {variant: generate(workdir / f"{variant}-{n}" / "src", n, variant) for variant in VARIANTS}
        for repeat in range(repeats[n]):
            order = VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]
            for scenario in scenarios:
                if scenario == "j2" and parallel_sizes is not None and n not in parallel_sizes:
                    continue
                for variant in order:
                    collection = collections[variant]
                    serial = workdir / f"{variant}-{n}" / "out"
                    if scenario == "clean":
                        run = build(collection, serial, clean=True)
                        outputs[n, variant] = output_sizes(serial)
                    elif scenario in ("noop", "edit"):
                        if not (serial / "html").exists():
                            build(collection, serial, clean=True)
                        if scenario == "edit":
                            edit(collection)
                        run = build(collection, serial)
                    else:
                        run = build(collection, workdir / f"{variant}-{n}" / "out-j2", jobs=2, clean=True)
                    cells.setdefault((n, variant, scenario), Cell(n, variant, scenario)).runs.append(run)
                    _progress(f"N={n} {variant:10} {scenario:5} #{repeat + 1}: {run.seconds:6.2f} s")
    return {"cells": cells, "outputs": outputs}


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# --- the report ------------------------------------------------------------------------------------


def summarise(cells: dict[tuple[int, str, str], Cell], outputs: dict[tuple[int, str], dict[str, int]]) -> dict:
    """Medians, ratios to the floor, growth per entry and the verdict on each target of issue 6."""
    sizes = sorted({n for n, _, _ in cells})
    rows: list[dict] = []
    for n in sizes:
        for scenario in SCENARIOS:
            floor, ours = cells.get((n, "floor", scenario)), cells.get((n, "papernotes", scenario))
            if floor is None or ours is None:
                continue
            rows.append(
                {
                    "n": n,
                    "scenario": scenario,
                    "floor_s": round(floor.median, 3),
                    "papernotes_s": round(ours.median, 3),
                    "ratio": round(ours.median / floor.median, 3),
                    # floor and papernotes ran back to back in each repeat: their ratio per repeat
                    "ratios": [round(b.seconds / a.seconds, 3) for a, b in zip(floor.runs, ours.runs, strict=False)],
                    "floor_cpu_s": round(floor.cpu_median, 3),
                    "papernotes_cpu_s": round(ours.cpu_median, 3),
                    "cpu_ratio": round(ours.cpu_median / floor.cpu_median, 3),
                    "floor_spread": round(floor.spread, 3),
                    "papernotes_spread": round(ours.spread, 3),
                    "floor_read": statistics.median(len(run.read) for run in floor.runs),
                    "papernotes_read": statistics.median(len(run.read) for run in ours.runs),
                    "floor_written": statistics.median(len(run.written) for run in floor.runs),
                    "papernotes_written": statistics.median(len(run.written) for run in ours.runs),
                    "floor_maxrss_mb": round(max(run.maxrss_kb for run in floor.runs) / 1024, 1),
                    "papernotes_maxrss_mb": round(max(run.maxrss_kb for run in ours.runs) / 1024, 1),
                    "warnings": sum(run.warnings for run in floor.runs + ours.runs),
                }
            )
    sizes_out = [
        {"n": n, "variant": variant, **outputs[n, variant]}
        for n in sizes
        for variant in VARIANTS
        if (n, variant) in outputs
    ]
    return {"rows": rows, "outputs": sizes_out, "targets": targets(rows)}


def _row(rows: list[dict], n: int, scenario: str) -> dict | None:
    return next((row for row in rows if row["n"] == n and row["scenario"] == scenario), None)


def targets(rows: list[dict]) -> list[dict]:
    """Each target of issue 6, judged on wall-clock medians and on CPU-time medians (None: not measured)."""
    verdicts: list[dict] = []

    def add(name: str, limit: str, wall: float | None, cpu: float | None, passes: Callable[[float], bool]) -> None:
        verdicts.append(
            {
                "target": name,
                "limit": limit,
                "wall": wall,
                "cpu": cpu,
                "met_wall": None if wall is None else passes(wall),
                "met_cpu": None if cpu is None else passes(cpu),
            }
        )

    def ratio(n: int, scenario: str, key: str) -> float | None:
        row = _row(rows, n, scenario)
        return None if row is None else row[key]

    for scenario, limit in (("clean", 1.3), ("noop", 1.5), ("edit", 2.0)):
        add(
            f"{SCENARIO_LABELS[scenario]} at N=1,000 vs floor",
            f"≤ {limit:g}×",
            ratio(1000, scenario, "ratio"),
            ratio(1000, scenario, "cpu_ratio"),
            lambda value, limit=limit: value <= limit,
        )
    edited = _row(rows, 1000, "edit") or _row(rows, max((row["n"] for row in rows), default=0), "edit")
    read = None if edited is None else float(edited["papernotes_read"])
    add("edit one page: pages re-read", "1", read, read, lambda value: value <= 1)
    growth: dict[str, float | None] = {}
    for key in ("papernotes_s", "papernotes_cpu_s"):
        small, big = ratio(1000, "clean", key), ratio(5000, "clean", key)
        growth[key] = round((big / 5000) / (small / 1000), 3) if small and big else None
    add(
        "time per entry, N=5,000 vs N=1,000 (clean build)",
        "≤ 1.2×",
        growth["papernotes_s"],
        growth["papernotes_cpu_s"],
        lambda value: value <= 1.2,
    )
    serial, parallel = ratio(1000, "clean", "papernotes_s"), ratio(1000, "j2", "papernotes_s")
    speedup = round(serial / parallel, 3) if serial and parallel else None
    add("-j 2 speed-up over serial at N=1,000 (wall)", "> 1×", speedup, None, lambda value: value > 1)
    return verdicts


def _verdict(value: float | None, met: bool | None) -> str:
    if value is None:
        return "–"
    return f"{value:g} ({'yes' if met else '**no**'})"


def markdown(summary: dict) -> str:
    """The table for docs/performance.md: medians, ratios, noise, documents read, memory."""
    lines = [
        "| N | scenario | floor (s) | papernotes (s) | ratio (range per repeat) | CPU floor / ours (s) | CPU ratio "
        "| noise floor / ours | pages read floor / ours | peak RSS floor / ours (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in summary["rows"]:
        lines.append(
            f"| {row['n']:,} | {SCENARIO_LABELS[row['scenario']]} | {row['floor_s']:.2f} | {row['papernotes_s']:.2f} "
            f"| {row['ratio']:.2f}× ({min(row['ratios']):.2f}–{max(row['ratios']):.2f}) "
            f"| {row['floor_cpu_s']:.2f} / {row['papernotes_cpu_s']:.2f} "
            f"| {row['cpu_ratio']:.2f}× | {row['floor_spread']:.0%} / {row['papernotes_spread']:.0%} "
            f"| {row['floor_read']:g} / {row['papernotes_read']:g} "
            f"| {row['floor_maxrss_mb']:.0f} / {row['papernotes_maxrss_mb']:.0f} |"
        )
    lines += ["", "| N | variant | searchindex.js (kB) | largest page (kB) |", "|---:|---|---:|---:|"]
    for item in summary["outputs"]:
        lines.append(
            f"| {item['n']:,} | {item['variant']} | {item['searchindex_bytes'] / 1024:.0f} "
            f"| {item['largest_page_bytes'] / 1024:.0f} |"
        )
    lines += ["", "| target | limit | wall clock | CPU time |", "|---|---|---:|---:|"]
    for verdict in summary["targets"]:
        wall = _verdict(verdict["wall"], verdict["met_wall"])
        cpu = _verdict(verdict["cpu"], verdict["met_cpu"])
        lines.append(f"| {verdict['target']} | {verdict['limit']} | {wall} | {cpu} |")
    return "\n".join(lines) + "\n"


def metadata(sizes: Sequence[int], repeats: dict[int, int]) -> dict:
    """Where and when the numbers were taken, so a reader can judge them."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
        "myst_parser": myst_parser.__version__,
        "docutils": docutils.__version__,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "sizes": list(sizes),
        "repeats": {str(n): count for n, count in repeats.items()},
        "family_size": FAMILY_SIZE,
        "command": "nox -s bench -- " + " ".join(sys.argv[1:]),
    }


# --- profiling -------------------------------------------------------------------------------------


def profile(n: int, workdir: Path, top: int = 25) -> str:
    """Profile (cProfile) a clean and a no-op build of the papernotes variant; the top lines of each."""
    collection = generate(workdir / f"profile-{n}" / "src", n, "papernotes")
    out = workdir / f"profile-{n}" / "out"
    report: list[str] = []
    for label in ("clean", "noop"):
        if label == "clean" and out.exists():
            shutil.rmtree(out)
        stats_file = workdir / f"profile-{n}-{label}.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "sphinx", "-q", "-b", "html"]
        command += ["-d", str(out / ".doctrees"), str(collection.src), str(out / "html")]
        subprocess.run(command, check=True, cwd=collection.src)
        report.append(f"## {label} build, N={n}: top {top} by cumulative time\n")
        report.append(_stats_text(stats_file, "cumulative", top))
        report.append(f"## {label} build, N={n}: top {top} by own time\n")
        report.append(_stats_text(stats_file, "tottime", top))
        report.append(f"## {label} build, N={n}: papernotes, sphinxcontrib-bibtex and pybtex by cumulative time\n")
        report.append(_stats_text(stats_file, "cumulative", top, OWN_CODE))
    return "\n".join(report)


#: The code the profile's third listing is restricted to: the extension and the bibliography stack under it.
OWN_CODE = r"ext/papernotes/|sphinxcontrib/bibtex/|pybtex/"


def _stats_text(stats_file: Path, order: str, top: int, restrict: str = "") -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    if restrict:
        stats.sort_stats(order).print_stats(restrict, top)
    else:
        stats.strip_dirs().sort_stats(order).print_stats(top)
    text = re.sub(r"\S*/(site-packages|ext)/", "", buffer.getvalue())
    start = text.find("   ncalls")
    return text[start:] if start >= 0 else text


# --- command line ----------------------------------------------------------------------------------


def _compact(run: Run) -> dict:
    """A run for the JSON file: the documents read and written are listed when few, else counted."""
    record = asdict(run)
    for key in ("read", "written"):
        if len(record[key]) > 10:
            record[key] = len(record[key])
    return record


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the plan (or the profile), print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma list of N")
    parser.add_argument(
        "--repeats",
        default="3,1000=5,5000=2",
        help="runs per scenario, medians reported: '3' or '3,1000=5,5000=2' (per size)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "results.json")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma list of {', '.join(SCENARIOS)}")
    parser.add_argument("--j2-sizes", default="100,1000", help="sizes at which the -j 2 build is timed")
    parser.add_argument("--workdir", type=Path, help="keep the generated sites here (default: a temp dir)")
    parser.add_argument("--profile", type=int, metavar="N", help="profile the papernotes build at N instead")
    options = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in options.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as temporary:
        workdir = options.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if options.profile:
            sys.stdout.write(profile(options.profile, workdir))
            return 0
        repeats = parse_repeats(options.repeats, sizes)
        meta = metadata(sizes, repeats)
        scenarios = [name for name in SCENARIOS if name in options.scenarios.split(",")]
        parallel_sizes = [int(size.replace("_", "")) for size in options.j2_sizes.split(",") if size.strip()]
        meta["j2_sizes"] = parallel_sizes
        measured = measure(sizes, repeats, workdir, scenarios, parallel_sizes)
    summary = summarise(measured["cells"], measured["outputs"])
    meta["load_average_after"] = os.getloadavg()
    raw = [
        {"n": cell.n, "variant": cell.variant, "scenario": cell.scenario, "runs": [_compact(run) for run in cell.runs]}
        for cell in measured["cells"].values()
    ]
    table = markdown(summary)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps({"meta": meta, **summary, "raw": raw}, indent=1) + "\n", encoding="utf-8")
    if options.markdown:
        options.markdown.write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
