"""What the benchmark tells a reader: medians, ratios, verdicts on the targets, tables, a plot, JSON.

``summarise`` reduces the measured cells to one row per size, shape and scenario (every variant
side by side, papernotes' ratio to each floor and to sphinx-needs) and judges each target of
issue 13; ``markdown_tables`` prints that for docs/performance.md; ``svg_plot`` draws build time
and largest page against collection size (plain SVG, no script); ``write_json`` keeps every run.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import docutils
import myst_parser
import sphinx

from bench.generate import SHAPES, VARIANTS, extension_dir
from bench.run import BuildRun, Cell, CellKey, OutputKey

SCENARIO_LABELS = {
    "clean": "clean build",
    "noop": "no-op rebuild",
    "edit": "edit one page",
    "j2": "clean build, -j 2",
}
VARIANT_LABELS = {
    "plain": "plain MyST",
    "floor": "MyST + BibTeX",
    "needs": "sphinx-needs",
    "papernotes": "papernotes",
}
#: What papernotes is compared with, in the order of the table's ratio columns.
PEERS = ("plain", "floor", "needs")
#: A JSON object, as written to the results file.
JsonObject = dict[str, Any]
#: Issue 13's limits: a clean build against each peer; no-op and edit against the BibTeX floor, per size.
CLEAN_LIMITS = {"needs": 1.0, "floor": 1.2, "plain": 2.0}
NOOP_LIMITS = {1000: 1.15, 5000: 1.3}
EDIT_LIMITS = {1000: 1.4, 5000: 1.4}
MAX_PAGE_BYTES = 1_000_000
MAX_GROWTH = 1.3
MAX_SECONDS = 15 * 60
MAX_RSS_MB = 3 * 1024


def _round(value: float) -> float:
    return round(value, 3)


def summarise(cells: dict[CellKey, Cell], outputs: dict[OutputKey, dict[str, Any]]) -> JsonObject:
    """Medians per variant, papernotes' ratios to each peer, and the verdict on each target of issue 13."""
    rows: list[JsonObject] = []
    shapes, scenarios = list(SHAPES), list(SCENARIO_LABELS)
    places = {(n, shape, scenario) for n, shape, _, scenario in cells}
    for n, shape, scenario in sorted(
        places, key=lambda place: (place[0], shapes.index(place[1]), scenarios.index(place[2]))
    ):
        measured = {variant: cells.get((n, shape, variant, scenario)) for variant in VARIANTS}
        present = {variant: cell for variant, cell in measured.items() if cell is not None}
        if not present:
            continue
        row: JsonObject = {"n": n, "shape": shape, "scenario": scenario, "seconds": {}, "cpu_seconds": {}}
        row.update({"read": {}, "written": {}, "rewritten": {}, "maxrss_mb": {}, "spread": {}, "warnings": 0})
        for variant, cell in present.items():
            row["seconds"][variant] = _round(cell.median)
            row["cpu_seconds"][variant] = _round(cell.cpu_median)
            row["read"][variant] = statistics.median(len(run.read) for run in cell.runs)
            row["written"][variant] = statistics.median(len(run.written) for run in cell.runs)
            row["rewritten"][variant] = statistics.median(run.rewritten for run in cell.runs)
            row["maxrss_mb"][variant] = round(max(run.maxrss_kb for run in cell.runs) / 1024, 1)
            row["spread"][variant] = _round(cell.spread)
            row["warnings"] += sum(run.warnings for run in cell.runs)
        ours = present.get("papernotes")
        row["ratio"] = {}
        row["ratios"] = {}
        row["cpu_ratio"] = {}
        for peer in PEERS:
            other = present.get(peer)
            if ours is None or other is None:
                continue
            row["ratio"][peer] = _round(ours.median / other.median)
            row["cpu_ratio"][peer] = _round(ours.cpu_median / other.cpu_median)
            # built back to back in each repeat: the ratio per repeat shows how firm the median is
            row["ratios"][peer] = [_round(b.seconds / a.seconds) for a, b in zip(other.runs, ours.runs, strict=False)]
        rows.append(row)
    output_rows = [
        {"n": n, "shape": shape, "variant": variant, **sizes} for (n, shape, variant), sizes in sorted(outputs.items())
    ]
    return {"rows": rows, "outputs": output_rows, "targets": judge_targets(rows, output_rows)}


def _find_row(rows: list[JsonObject], n: int, shape: str, scenario: str) -> JsonObject | None:
    return next((row for row in rows if (row["n"], row["shape"], row["scenario"]) == (n, shape, scenario)), None)


def judge_targets(rows: list[JsonObject], outputs: Sequence[JsonObject] = ()) -> list[JsonObject]:
    """Each target of issue 13, per shape, on wall-clock and CPU-time medians (None: not measured)."""
    verdicts: list[JsonObject] = []

    def add(
        name: str, shape: str, limit: str, wall: float | None, cpu: float | None, passes: Callable[[float], bool]
    ) -> None:
        verdicts.append(
            {
                "target": name,
                "shape": shape,
                "limit": limit,
                "wall": wall,
                "cpu": cpu,
                "met_wall": None if wall is None else passes(wall),
                "met_cpu": None if cpu is None else passes(cpu),
            }
        )

    def ratio(n: int, shape: str, scenario: str, peer: str, key: str = "ratio") -> float | None:
        row = _find_row(rows, n, shape, scenario)
        return None if row is None else row[key].get(peer)

    shapes = [shape for shape in SHAPES if any(row["shape"] == shape for row in rows)]
    sizes = sorted({row["n"] for row in rows})
    for shape in shapes:
        measured = {row["n"] for row in rows if row["shape"] == shape}
        for n in (size for size in (1000, 5000) if size in measured):
            for peer, limit in CLEAN_LIMITS.items():
                add(
                    f"clean build at N={n:,} vs {VARIANT_LABELS[peer]}",
                    shape,
                    f"≤ {limit:g}×",
                    ratio(n, shape, "clean", peer),
                    ratio(n, shape, "clean", peer, "cpu_ratio"),
                    lambda value, limit=limit: value <= limit,
                )
            for scenario, limits in (("noop", NOOP_LIMITS), ("edit", EDIT_LIMITS)):
                add(
                    f"{SCENARIO_LABELS[scenario]} at N={n:,} vs {VARIANT_LABELS['floor']}",
                    shape,
                    f"≤ {limits[n]:g}×",
                    ratio(n, shape, scenario, "floor"),
                    ratio(n, shape, scenario, "floor", "cpu_ratio"),
                    lambda value, limit=limits[n]: value <= limit,
                )
        edited = [row for row in rows if row["shape"] == shape and row["scenario"] == "edit"]
        if edited:
            read = float(max(row["read"].get("papernotes", 0) for row in edited))
            add("edit one page: pages re-read (most)", shape, "1", read, read, lambda value: value <= 1)
        for n in sizes:
            serial, parallel = _find_row(rows, n, shape, "clean"), _find_row(rows, n, shape, "j2")
            if serial and parallel and "papernotes" in serial["seconds"] and "papernotes" in parallel["seconds"]:
                speedup = _round(serial["seconds"]["papernotes"] / parallel["seconds"]["papernotes"])
                add(f"-j 2 speed-up over serial at N={n:,} (wall)", shape, "≥ 1×", speedup, None, lambda v: v >= 1)
        cleans = [row for row in rows if (row["shape"], row["scenario"]) == (shape, "clean")]
        cleans = [row for row in cleans if "papernotes" in row["seconds"]]
        if len(cleans) >= 2 and cleans[0]["n"] <= 1000 <= cleans[-1]["n"]:
            base = next(row for row in cleans if row["n"] >= 1000)
            top = cleans[-1]
            if top["n"] > base["n"]:
                growth = []
                for key in ("seconds", "cpu_seconds"):
                    growth.append(_round((top[key]["papernotes"] / top["n"]) / (base[key]["papernotes"] / base["n"])))
                add(
                    f"time per entry, N={top['n']:,} vs N={base['n']:,} (clean build)",
                    shape,
                    f"≤ {MAX_GROWTH:g}×",
                    growth[0],
                    growth[1],
                    lambda value: value <= MAX_GROWTH,
                )
        if cleans:
            top = cleans[-1]
            add(
                f"clean build at N={top['n']:,}: seconds (limit at 25,000)",
                shape,
                f"≤ {MAX_SECONDS}",
                top["seconds"]["papernotes"],
                None,
                lambda value: value <= MAX_SECONDS,
            )
            peak = top["maxrss_mb"]["papernotes"]
            add(
                f"clean build at N={top['n']:,}: peak memory, MB",
                shape,
                f"≤ {MAX_RSS_MB}",
                peak,
                None,
                lambda value: value <= MAX_RSS_MB,
            )
        pages = [item for item in outputs if item["shape"] == shape and item["variant"] == "papernotes"]
        if pages:
            largest = max(pages, key=lambda item: item["largest_page_bytes"])
            size = float(largest["largest_page_bytes"])
            add(
                f"largest HTML page up to N={largest['n']:,}, bytes ({largest.get('largest_page', '?')})",
                shape,
                f"≤ {MAX_PAGE_BYTES:,}",
                size,
                None,
                lambda value: value <= MAX_PAGE_BYTES,
            )
    return verdicts


def _format_verdict(value: float | None, met: bool | None) -> str:
    if value is None:
        return "–"
    shown = f"{value:,.0f}" if value >= 1000 else f"{value:g}"
    return f"{shown} ({'yes' if met else '**no**'})"


def _ratio_cell(row: JsonObject, peer: str) -> str:
    if peer not in row["ratio"]:
        return "–"
    each = row["ratios"][peer]
    spread = f" ({min(each):.2f}–{max(each):.2f})" if len(each) > 1 else ""
    return f"{row['ratio'][peer]:.2f}×{spread}"


def _per_variant(values: dict[str, Any], template: str) -> str:
    return " / ".join(template.format(values[variant]) if variant in values else "–" for variant in VARIANTS)


def markdown_tables(summary: JsonObject) -> str:
    """The tables for docs/performance.md: times and ratios; pages, memory; page sizes; targets."""
    variants = " / ".join(VARIANT_LABELS[variant] for variant in VARIANTS)
    lines = [
        f"| N | shape | scenario | seconds: {variants} | papernotes ÷ plain | ÷ BibTeX floor | ÷ sphinx-needs "
        "| CPU ratio ÷ BibTeX floor | HTML files rewritten | peak RSS (MB) |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in summary["rows"]:
        cpu = row["cpu_ratio"].get("floor")
        lines.append(
            f"| {row['n']:,} | {row['shape']} | {SCENARIO_LABELS[row['scenario']]} "
            f"| {_per_variant(row['seconds'], '{:.2f}')} "
            f"| {_ratio_cell(row, 'plain')} | {_ratio_cell(row, 'floor')} | {_ratio_cell(row, 'needs')} "
            f"| {'–' if cpu is None else f'{cpu:.2f}×'} "
            f"| {_per_variant(row['rewritten'], '{:g}')} | {_per_variant(row['maxrss_mb'], '{:.0f}')} |"
        )
    lines += ["", "| N | shape | variant | HTML files | largest page (kB) | which | searchindex.js (kB) |"]
    lines.append("|---:|---|---|---:|---:|---|---:|")
    for item in summary["outputs"]:
        lines.append(
            f"| {item['n']:,} | {item['shape']} | {VARIANT_LABELS[item['variant']]} | {item.get('html_pages', '–')} "
            f"| {item['largest_page_bytes'] / 1024:.0f} | `{item.get('largest_page', '?')}` "
            f"| {item['searchindex_bytes'] / 1024:.0f} |"
        )
    lines += ["", "| shape | target | limit | wall clock | CPU time |", "|---|---|---|---:|---:|"]
    for verdict in summary["targets"]:
        wall = _format_verdict(verdict["wall"], verdict["met_wall"])
        cpu = _format_verdict(verdict["cpu"], verdict["met_cpu"])
        lines.append(f"| {verdict['shape']} | {verdict['target']} | {verdict['limit']} | {wall} | {cpu} |")
    return "\n".join(lines) + "\n"


#: The plot's colours per variant (readable on white, distinct in greyscale by dash pattern too).
_STYLE = {
    "plain": ("#777777", "2,3"),
    "floor": ("#444444", "6,3"),
    "needs": ("#b8600b", "8,3,2,3"),
    "papernotes": ("#1f5fa8", ""),
}


def svg_plot(summary: JsonObject, width: int = 900, panel_height: int = 220) -> str:
    """Clean-build time and largest HTML page against N, one line per variant and shape (an SVG, no script).

    Two panels share the x axis (N, logarithmic); shapes are told apart by marker, variants by
    colour and dash; the 1 MB page limit is drawn as a line.
    """
    cleans = [row for row in summary["rows"] if row["scenario"] == "clean"]
    sizes = sorted({row["n"] for row in cleans} | {item["n"] for item in summary["outputs"]})
    if not sizes:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    left, right, top, gap = 70, 330, 30, 60
    plot_width = width - left - right
    height = top + 2 * panel_height + gap + 40
    low, high = math.log10(min(sizes)), math.log10(max(sizes))
    span = (high - low) or 1.0

    def x_of(n: int) -> float:
        return left + (math.log10(n) - low) / span * plot_width

    markers = {"pages": "circle", "spanning": "square", "long": "triangle"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="12" role="img" aria-labelledby="bench-plot-title">',
        '<title id="bench-plot-title">Clean build time and largest HTML page against the number of entries</title>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]

    def panel(
        index: int, title: str, points: dict[tuple[str, str], list[tuple[int, float]]], unit: str, limit: float | None
    ) -> None:
        y0 = top + index * (panel_height + gap)
        values = [value for series in points.values() for _, value in series if value > 0]
        values += [limit] if limit else []
        # both axes logarithmic: a straight line is a power law, and a slope of one is linear growth
        low_y = math.floor(math.log10(min(values, default=1.0)))
        high_y = max(math.ceil(math.log10(max(values, default=10.0))), low_y + 1)

        def y_of(value: float) -> float:
            share = (math.log10(max(value, 10.0**low_y)) - low_y) / (high_y - low_y)
            return y0 + panel_height - share * panel_height

        parts.append(f'<text x="{left}" y="{y0 - 10}" font-weight="bold">{escape(title)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y0}" width="{plot_width}" height="{panel_height}" fill="none" stroke="#999"/>'
        )
        ticks = [m * 10.0**k for k in range(low_y, high_y + 1) for m in (1, 2, 5) if m * 10.0**k <= 10.0**high_y]
        for value in ticks:
            y = y_of(value)
            parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="#eee"/>')
            shown = f"{value:,.0f}" if value >= 1 else f"{value:g}"
            parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{shown}{unit}</text>')
        for n in sizes:
            parts.append(f'<text x="{x_of(n):.1f}" y="{y0 + panel_height + 16}" text-anchor="middle">{n:,}</text>')
        if limit:
            y = y_of(limit)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="#c00" '
                'stroke-dasharray="4,4"/>'
            )
            label_x = left + plot_width - 4
            parts.append(f'<text x="{label_x}" y="{y - 4:.1f}" text-anchor="end" fill="#c00">limit</text>')
        for (variant, shape), series in sorted(points.items()):
            colour, dash = _STYLE[variant]
            coords = [(x_of(n), y_of(value)) for n, value in sorted(series)]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dashing = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashing}/>')
            for x, y in coords:
                parts.append(_marker(markers.get(shape, "circle"), x, y, colour))

    times: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in cleans:
        for variant, seconds in row["seconds"].items():
            times.setdefault((variant, row["shape"]), []).append((row["n"], seconds))
    pages: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for item in summary["outputs"]:
        pages.setdefault((item["variant"], item["shape"]), []).append((item["n"], item["largest_page_bytes"] / 1024))
    panel(0, "Clean build (seconds, median) against entries (log scales)", times, " s", None)
    panel(1, "Largest HTML page (kB) against entries (log scales)", pages, " kB", MAX_PAGE_BYTES / 1024)
    parts.extend(_legend(left + plot_width + 20, top, markers))
    parts.append(
        f'<text x="{left + plot_width / 2:.0f}" y="{height - 8}" text-anchor="middle">entries (N, log scale)</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


#: The shapes as the plot's key names them (the key is narrow).
_SHORT = {"pages": "a family per page of 50", "spanning": "8 families, pages of 50", "long": "pages of 1,000"}


def _legend(x: float, y: float, markers: dict[str, str]) -> list[str]:
    """The key: a line per variant, then a marker per shape."""
    parts: list[str] = []
    for index, variant in enumerate(VARIANTS):
        colour, dash = _STYLE[variant]
        row = y + index * 18
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{row}" x2="{x + 28}" y2="{row}" stroke="{colour}" stroke-width="2"{dashing}/>'
        )
        parts.append(f'<text x="{x + 34}" y="{row + 4}">{escape(VARIANT_LABELS[variant])}</text>')
    for index, shape in enumerate(SHAPES.values()):
        row = y + (len(VARIANTS) + 1 + index) * 18
        parts.append(_marker(markers[shape.name], x + 14, row, "#333"))
        parts.append(f'<text x="{x + 34}" y="{row + 4}">{escape(shape.name)}: {escape(_SHORT[shape.name])}</text>')
    return parts


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def metadata(sizes: Sequence[int], repeats: dict[int, int]) -> JsonObject:
    """Where and when the numbers were taken, so a reader can judge them."""
    try:
        needs_version: str | None = version("sphinx-needs")
    except PackageNotFoundError:  # not installed: the needs column is then missing, not the run
        needs_version = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
        "myst_parser": myst_parser.__version__,
        "sphinx_needs": needs_version,
        "docutils": docutils.__version__,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "sizes": list(sizes),
        "repeats": {str(n): count for n, count in repeats.items()},
        "shapes": {shape.name: shape.description for shape in SHAPES.values()},
        "command": "nox -s bench -- " + " ".join(sys.argv[1:]),
        "papernotes_ext": str(extension_dir()),
        "peers_gc_threshold": os.environ.get("BENCH_PEERS_GC_THRESHOLD", ""),
    }


def compact_run(run: BuildRun) -> JsonObject:
    """A run for the JSON file: the documents read and written are listed when few, else counted."""
    record = asdict(run)
    for key in ("read", "written"):
        if len(record[key]) > 10:
            record[key] = len(record[key])
    return record


def read_json(paths: Sequence[Path]) -> tuple[dict[CellKey, Cell], dict[OutputKey, dict[str, Any]]]:
    """The cells and output sizes of earlier results files, merged (a later file wins a cell both measured).

    Runs of different sizes or shapes taken one after the other can so be reported, and plotted, as one.
    """
    cells: dict[CellKey, Cell] = {}
    outputs: dict[OutputKey, dict[str, Any]] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["raw"]:
            cell = Cell(item["n"], item["variant"], item["scenario"], shape=item.get("shape", "pages"))
            for run in item["runs"]:
                fields = {**run, **{key: [""] * run[key] for key in ("read", "written") if isinstance(run[key], int)}}
                cell.runs.append(BuildRun(**fields))
            cells[cell.n, cell.shape, cell.variant, cell.scenario] = cell
        for item in data["outputs"]:
            sizes = {key: value for key, value in item.items() if key not in ("n", "shape", "variant")}
            outputs[item["n"], item.get("shape", "pages"), item["variant"]] = sizes
    return cells, outputs


def write_json(path: Path, meta: JsonObject, summary: JsonObject, cells: dict[CellKey, Cell]) -> None:
    """The results file: the metadata, the summary and every run of every cell."""
    raw = [
        {
            "n": cell.n,
            "shape": cell.shape,
            "variant": cell.variant,
            "scenario": cell.scenario,
            "runs": [compact_run(run) for run in cell.runs],
        }
        for cell in cells.values()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, **summary, "raw": raw}, indent=1) + "\n", encoding="utf-8")
