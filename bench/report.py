"""What the benchmark tells a reader: medians, verdicts on the targets, the table and the JSON file.

``summarise`` reduces the measured cells to one row per size and scenario (floor and papernotes
side by side) and judges each target of issue 6; ``markdown_tables`` prints that for
docs/performance.md; ``write_json`` keeps every run and where it was taken.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docutils
import myst_parser
import sphinx

from bench.generate import FAMILY_SIZE, VARIANTS
from bench.run import SCENARIOS, BuildRun, Cell, CellKey, OutputKey

SCENARIO_LABELS = {
    "clean": "clean build",
    "noop": "no-op rebuild",
    "edit": "edit one page",
    "j2": "clean build, -j 2",
}
#: A JSON object, as written to the results file.
JsonObject = dict[str, Any]


def summarise(cells: dict[CellKey, Cell], outputs: dict[OutputKey, dict[str, int]]) -> JsonObject:
    """Medians, ratios to the floor, growth per entry and the verdict on each target of issue 6."""
    sizes = sorted({n for n, _, _ in cells})
    rows: list[JsonObject] = []
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
    output_rows = [
        {"n": n, "variant": variant, **outputs[n, variant]}
        for n in sizes
        for variant in VARIANTS
        if (n, variant) in outputs
    ]
    return {"rows": rows, "outputs": output_rows, "targets": judge_targets(rows)}


def _find_row(rows: list[JsonObject], n: int, scenario: str) -> JsonObject | None:
    return next((row for row in rows if row["n"] == n and row["scenario"] == scenario), None)


def judge_targets(rows: list[JsonObject]) -> list[JsonObject]:
    """Each target of issue 6, judged on wall-clock medians and on CPU-time medians (None: not measured)."""
    verdicts: list[JsonObject] = []

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

    def value_at(n: int, scenario: str, key: str) -> float | None:
        row = _find_row(rows, n, scenario)
        return None if row is None else row[key]

    for scenario, limit in (("clean", 1.3), ("noop", 1.5), ("edit", 2.0)):
        add(
            f"{SCENARIO_LABELS[scenario]} at N=1,000 vs floor",
            f"≤ {limit:g}×",
            value_at(1000, scenario, "ratio"),
            value_at(1000, scenario, "cpu_ratio"),
            lambda value, limit=limit: value <= limit,
        )
    edited = _find_row(rows, 1000, "edit") or _find_row(rows, max((row["n"] for row in rows), default=0), "edit")
    read = None if edited is None else float(edited["papernotes_read"])
    add("edit one page: pages re-read", "1", read, read, lambda value: value <= 1)
    growth: dict[str, float | None] = {}
    for key in ("papernotes_s", "papernotes_cpu_s"):
        small, big = value_at(1000, "clean", key), value_at(5000, "clean", key)
        growth[key] = round((big / 5000) / (small / 1000), 3) if small and big else None
    add(
        "time per entry, N=5,000 vs N=1,000 (clean build)",
        "≤ 1.2×",
        growth["papernotes_s"],
        growth["papernotes_cpu_s"],
        lambda value: value <= 1.2,
    )
    serial, parallel = value_at(1000, "clean", "papernotes_s"), value_at(1000, "j2", "papernotes_s")
    speedup = round(serial / parallel, 3) if serial and parallel else None
    add("-j 2 speed-up over serial at N=1,000 (wall)", "> 1×", speedup, None, lambda value: value > 1)
    return verdicts


def _format_verdict(value: float | None, met: bool | None) -> str:
    if value is None:
        return "–"
    return f"{value:g} ({'yes' if met else '**no**'})"


def markdown_tables(summary: JsonObject) -> str:
    """The tables for docs/performance.md: medians, ratios, noise, documents read, memory; sizes; targets."""
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
        wall = _format_verdict(verdict["wall"], verdict["met_wall"])
        cpu = _format_verdict(verdict["cpu"], verdict["met_cpu"])
        lines.append(f"| {verdict['target']} | {verdict['limit']} | {wall} | {cpu} |")
    return "\n".join(lines) + "\n"


def metadata(sizes: Sequence[int], repeats: dict[int, int]) -> JsonObject:
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


def compact_run(run: BuildRun) -> JsonObject:
    """A run for the JSON file: the documents read and written are listed when few, else counted."""
    record = asdict(run)
    for key in ("read", "written"):
        if len(record[key]) > 10:
            record[key] = len(record[key])
    return record


def write_json(path: Path, meta: JsonObject, summary: JsonObject, cells: dict[CellKey, Cell]) -> None:
    """The results file: the metadata, the summary and every run of every cell."""
    raw = [
        {
            "n": cell.n,
            "variant": cell.variant,
            "scenario": cell.scenario,
            "runs": [compact_run(run) for run in cell.runs],
        }
        for cell in cells.values()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, **summary, "raw": raw}, indent=1) + "\n", encoding="utf-8")
