"""Building and timing the collections: each build is its own ``sphinx-build`` process.

A build is measured from outside (wall time, CPU time of the process and its workers, peak memory)
and Sphinx's progress lines say which documents it read and wrote. ``measure`` runs the plan:
every scenario (clean build, no-op rebuild, edit one page, clean build with ``-j 2``) for every
size and shape, the variants (two floors, sphinx-needs, papernotes) interleaved.
``profile_builds`` runs a clean and a no-op build under cProfile instead.
"""

from __future__ import annotations

import io
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import SHAPES, VARIANTS, Collection, edit_one_page, extension_dir, write_collection

SCENARIOS = ("clean", "noop", "edit", "j2")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
WRITING = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
#: The code the profile's third listing is restricted to: the extension and the bibliography stack under it.
OWN_CODE = r"ext/papernotes/|sphinxcontrib/bibtex/|pybtex/"


#: Where the builds keep their bytecode (outside the virtual environment and the source tree).
PYCACHE = Path(tempfile.gettempdir()) / "papernotes-bench-pycache"


def build_env() -> dict[str, str]:
    """The builds' environment: bytecode cached, as an installed package has it.

    With ``PYTHONDONTWRITEBYTECODE`` set (sandboxes and some CI images set it) every build compiled
    every module it imports from source: about 1 s per build more for papernotes than for the floor
    (pybtex, latexcodec, sphinxcontrib-bibtex), a third of a no-op rebuild at 1,000 entries.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(PYCACHE))
    return env


def warm_bytecode() -> None:
    """Compile the installed packages and the extension once, before anything is timed."""
    paths = [entry for entry in sys.path if entry.endswith("site-packages") and Path(entry).is_dir()]
    command = [sys.executable, "-m", "compileall", "-q", "-j", "0", *paths, str(extension_dir())]
    subprocess.run(command, env=build_env(), check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class BuildRun:
    """What one sphinx-build process took and did."""

    seconds: float
    cpu_seconds: float
    maxrss_kb: int
    read: list[str]
    written: list[str]
    warnings: int
    returncode: int
    #: HTML files the build wrote (created or rewritten), counted from their modification times.
    rewritten: int = 0


def parse_output(stdout: str) -> tuple[list[str], list[str]]:
    """The documents Sphinx says it read and wrote (its ``reading sources... [ 50%] doc`` lines).

    On a terminal, and whenever CI=true, Sphinx rewrites one line with carriage returns and
    erase-line codes instead of printing a line per document: both forms are read.
    """
    plain = ANSI_ESCAPE.sub("", stdout).replace("\r", "\n")
    return READING.findall(plain), WRITING.findall(plain)


def build(collection: Collection, out: Path, jobs: int = 1, clean: bool = False) -> BuildRun:
    """One sphinx-build of the collection as a child process: wall time, peak RSS, documents read."""
    if clean and out.exists():
        shutil.rmtree(out)
    # --no-color: the status lines are parsed, and Sphinx colours them whenever CI=true is set.
    command = [sys.executable, "-m", "sphinx", "--no-color", "-b", "html", "-j", str(jobs)]
    command += ["-d", str(out / ".doctrees")]
    command += [str(collection.src), str(out / "html")]
    started_ns = time.time_ns()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=collection.src, env=build_env())
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
    cpu_seconds = usage.ru_utime + usage.ru_stime
    rewritten = sum(1 for path in (out / "html").rglob("*.html") if path.stat().st_mtime_ns >= started_ns)
    return BuildRun(seconds, cpu_seconds, usage.ru_maxrss, read, written, warnings, process.returncode, rewritten)


def output_sizes(out: Path) -> dict[str, int | str]:
    """Bytes of searchindex.js and of the largest HTML page of a finished build (and which page that is)."""
    html = out / "html"
    pages = {path: path.stat().st_size for path in html.rglob("*.html")}
    largest = max(pages, key=lambda path: pages[path])
    index = html / "searchindex.js"
    return {
        "searchindex_bytes": index.stat().st_size if index.exists() else 0,
        "largest_page_bytes": pages[largest],
        "largest_page": largest.relative_to(html).as_posix(),
        "html_pages": len(pages),
    }


@dataclass
class Cell:
    """One cell of the measurement grid: all repeats of one scenario, for one size, shape and variant."""

    n: int
    variant: str
    scenario: str
    runs: list[BuildRun] = field(default_factory=list)
    shape: str = "pages"

    @property
    def median(self) -> float:
        """Median wall-clock time of the repeats."""
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


#: A cell's place in the grid: (size, shape, variant, scenario).
CellKey = tuple[int, str, str, str]
#: A clean build's place: (size, shape, variant).
OutputKey = tuple[int, str, str]


@dataclass
class Measurements:
    """Everything ``measure`` timed, and the output sizes of the last clean build of each site."""

    cells: dict[CellKey, Cell]
    outputs: dict[OutputKey, dict[str, int | str]]


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
    shapes: Sequence[str] = tuple(SHAPES),
    variants: Sequence[str] = VARIANTS,
) -> Measurements:
    """Run every scenario ``repeats[n]`` times per size and shape, the variants interleaved.

    Within a repeat each scenario is built by every variant back to back (the order reversed on
    every other repeat), so a ratio compares builds taken under the same load. The ``-j 2`` build
    runs only for ``parallel_sizes`` (all sizes when None).
    """
    cells: dict[CellKey, Cell] = {}
    outputs: dict[OutputKey, dict[str, int | str]] = {}
    warm_bytecode()
    for n in sizes:
        for shape in shapes:
            site = f"{shape}-{n}"
            collections = {
                variant: write_collection(workdir / site / variant / "src", n, variant, shape=shape)
                for variant in variants
            }
            for repeat in range(repeats[n]):
                order = tuple(variants) if repeat % 2 == 0 else tuple(variants)[::-1]
                for scenario in scenarios:
                    if scenario == "j2" and parallel_sizes is not None and n not in parallel_sizes:
                        continue
                    for variant in order:
                        collection = collections[variant]
                        serial_out = workdir / site / variant / "out"
                        if scenario == "clean":
                            run = build(collection, serial_out, clean=True)
                            outputs[n, shape, variant] = output_sizes(serial_out)
                        elif scenario in ("noop", "edit"):
                            if not (serial_out / "html").exists():
                                build(collection, serial_out, clean=True)
                            if scenario == "edit":
                                edit_one_page(collection)
                            run = build(collection, serial_out)
                        else:
                            run = build(collection, workdir / site / variant / "out-j2", jobs=2, clean=True)
                        cell = cells.setdefault((n, shape, variant, scenario), Cell(n, variant, scenario, shape=shape))
                        cell.runs.append(run)
                        _report_progress(
                            f"N={n} {shape:8} {variant:10} {scenario:5} #{repeat + 1}: {run.seconds:6.2f} s, "
                            f"{run.maxrss_kb / 1024:5.0f} MB, {len(run.written)} written"
                        )
            # the sites of this size and shape are measured: free the disk for the next ones
            for variant in variants:
                shutil.rmtree(workdir / site / variant, ignore_errors=True)
    return Measurements(cells, outputs)


def _report_progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def profile_builds(n: int, workdir: Path, top: int = 25, shape: str = "pages") -> str:
    """Profile (cProfile) a clean and a no-op build of the papernotes variant; the top lines of each."""
    collection = write_collection(workdir / f"profile-{n}" / "src", n, "papernotes", shape=shape)
    out = workdir / f"profile-{n}" / "out"
    listings: list[str] = []
    warm_bytecode()
    for label in ("clean", "noop"):
        if label == "clean" and out.exists():
            shutil.rmtree(out)
        stats_file = workdir / f"profile-{n}-{label}.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "sphinx", "-q", "-b", "html"]
        command += ["-d", str(out / ".doctrees"), str(collection.src), str(out / "html")]
        subprocess.run(command, check=True, cwd=collection.src, env=build_env())
        listings.append(f"## {label} build, N={n}: top {top} by cumulative time\n")
        listings.append(_profile_listing(stats_file, "cumulative", top))
        listings.append(f"## {label} build, N={n}: top {top} by own time\n")
        listings.append(_profile_listing(stats_file, "tottime", top))
        listings.append(f"## {label} build, N={n}: papernotes, sphinxcontrib-bibtex and pybtex by cumulative time\n")
        listings.append(_profile_listing(stats_file, "cumulative", top, OWN_CODE))
    return "\n".join(listings)


def _profile_listing(stats_file: Path, order: str, top: int, restrict: str = "") -> str:
    """The ``top`` lines of a cProfile stats file, sorted by ``order``, paths shortened."""
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    if restrict:
        stats.sort_stats(order).print_stats(restrict, top)
    else:
        stats.strip_dirs().sort_stats(order).print_stats(top)
    text = re.sub(r"\S*/(site-packages|ext)/", "", buffer.getvalue())
    start = text.find("   ncalls")
    return text[start:] if start >= 0 else text
