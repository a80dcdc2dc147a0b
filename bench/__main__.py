"""The command line, ``python -m bench`` (what ``nox -s bench`` runs): options, the plan, the output.

Measures the sizes, shapes and scenarios asked for, prints the Markdown table and writes the JSON
file (bench/results/results.json unless ``--json`` says otherwise) and, with ``--svg``, the plot;
with ``--profile N`` it profiles the papernotes build at N instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import bench
from bench import report
from bench.generate import SHAPES, VARIANTS
from bench.run import SCENARIOS, Cell, CellKey, measure, parse_repeats, profile_builds

DEFAULT_SIZES = (100, 1000, 5000)
DEFAULT_SVG = bench.REPOSITORY_ROOT / "bench" / "results" / "plot.svg"
DEFAULT_JSON = bench.REPOSITORY_ROOT / "bench" / "results" / "results.json"


def _sizes(spec: str) -> list[int]:
    """``"100,1_000"`` → ``[100, 1000]``."""
    return [int(size.replace("_", "")) for size in spec.split(",") if size.strip()]


def argument_parser() -> argparse.ArgumentParser:
    """The options, described by the first line of the package's docstring."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=(bench.__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma list of N")
    parser.add_argument(
        "--repeats",
        default="3,1000=3,5000=1",
        help="runs per scenario, medians reported: '3' or '3,1000=5,5000=2' (per size)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--svg", type=Path, default=DEFAULT_SVG, help="write the plot (build time, page size) here")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma list of {', '.join(SHAPES)}")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma list of {', '.join(VARIANTS)}")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma list of {', '.join(SCENARIOS)}")
    parser.add_argument("--j2-sizes", default="100,1000", help="sizes at which the -j 2 build is timed")
    parser.add_argument("--workdir", type=Path, help="keep the generated sites here (default: a temp dir)")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="report earlier results files together, measure nothing",
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile the papernotes build at N instead")
    parser.add_argument(
        "--papernotes-ext", type=Path, help="import papernotes from this copy of ext/ (a before-and-after comparison)"
    )
    parser.add_argument("--profile-shape", default="pages", choices=tuple(SHAPES), help="the shape profiled")
    parser.add_argument(
        "--peers-gc-threshold",
        metavar="A,B,C",
        help="give the floors and sphinx-needs these garbage-collector thresholds too (papernotes sets its own)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the plan (or the profile), print the table and write the JSON."""
    options = argument_parser().parse_args(argv)
    if options.papernotes_ext:
        os.environ["BENCH_PAPERNOTES_EXT"] = str(options.papernotes_ext.resolve())
    if options.peers_gc_threshold:
        os.environ["BENCH_PEERS_GC_THRESHOLD"] = options.peers_gc_threshold
    if options.from_json:
        cells, outputs = report.read_json(options.from_json)
        summary = report.summarise(cells, outputs)
        metas = [json.loads(path.read_text(encoding="utf-8"))["meta"] for path in options.from_json]
        return _write_outputs(
            options, {"merged_from": [str(path) for path in options.from_json], "runs": metas}, summary, cells
        )
    sizes = _sizes(options.sizes)
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as temporary:
        workdir = options.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if options.profile:
            sys.stdout.write(profile_builds(options.profile, workdir, shape=options.profile_shape))
            return 0
        repeats = parse_repeats(options.repeats, sizes)
        meta = report.metadata(sizes, repeats)
        scenarios = [name for name in SCENARIOS if name in options.scenarios.split(",")]
        parallel_sizes = _sizes(options.j2_sizes)
        meta["j2_sizes"] = parallel_sizes
        shapes = [name for name in SHAPES if name in options.shapes.split(",")]
        variants = [name for name in VARIANTS if name in options.variants.split(",")]
        measured = measure(sizes, repeats, workdir, scenarios, parallel_sizes, shapes, variants)
    summary = report.summarise(measured.cells, measured.outputs)
    meta["load_average_after"] = os.getloadavg()
    return _write_outputs(options, meta, summary, measured.cells)


def _write_outputs(
    options: argparse.Namespace, meta: report.JsonObject, summary: report.JsonObject, cells: dict[CellKey, Cell]
) -> int:
    """The JSON file, the plot, the table (printed, and written with ``--markdown``)."""
    table = report.markdown_tables(summary)
    report.write_json(options.json, meta, summary, cells)
    if options.markdown:
        options.markdown.write_text(table, encoding="utf-8")
    options.svg.parent.mkdir(parents=True, exist_ok=True)
    options.svg.write_text(report.svg_plot(summary), encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
