"""What one search query downloads, measured in a real browser on a synthetic collection.

Pagefind splits its index into chunks and its results into fragments, so a query fetches only
part of the index; how large that part is at 25,000 entries is a target of issue 13 (≤ 1 MB).
This builds the papernotes variant of a collection (``bench.generate``, the ``pages`` shape) with
``papernotes_pagefind = True``, serves the output on 127.0.0.1, opens ``search.html?q=…`` in
Debian's chromium through Playwright, waits for the results, and adds up the bodies of every
response under ``_pagefind/`` (the script, its WebAssembly, the metadata, the index chunks and the
fragments of the results shown): the bytes a reader's browser fetches for that query, uncompressed
as ``http.server`` sends them (Read the Docs would compress the script and metadata further).

    python -m bench.search_download --sizes 1000,5000 --workdir /tmp/search-bench

Needs the ``pagefind[extended]`` package (docs group) and ``playwright`` with ``/usr/bin/chromium``
(tests group); it prints one Markdown row per size and query, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.generate import write_collection
from bench.run import build_env

#: Queries of the kinds a reader types: a word in most notes, a word in a few titles, two words.
QUERIES = ("model", "dialogue corpus", "paper00042")
CHROMIUM = Path("/usr/bin/chromium")
SEARCH_DONE = (
    "() => { const s = document.querySelector('#search-results .search-summary');"
    " return s !== null && s.textContent.trim().length > 0; }"
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request."""


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """The directory served on 127.0.0.1 (a thread), as its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_with_search(root: Path, n: int) -> tuple[Path, float]:
    """Write and build the papernotes collection of ``n`` entries with Pagefind on; the HTML directory and seconds."""
    collection = write_collection(root / "src", n, "papernotes", shape="pages")
    conf = collection.src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "papernotes_pagefind = True\n", encoding="utf-8")
    out = root / "out"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / ".doctrees")]
    start = time.perf_counter()
    subprocess.run([*command, str(collection.src), str(out / "html")], check=True, env=build_env())
    seconds = time.perf_counter() - start
    if not (out / "html" / "_pagefind" / "pagefind.js").is_file():
        raise RuntimeError("the build wrote no _pagefind/ bundle: is pagefind[extended] installed?")
    return out / "html", seconds


def query_downloads(base: str, queries: Sequence[str]) -> list[dict[str, object]]:
    """For each query, in a fresh browser context: bytes and files fetched under ``_pagefind/``, and results shown."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only this measurement needs a browser)

    rows: list[dict[str, object]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for query in queries:
                context = browser.new_context()  # an empty cache: what a first query costs
                page = context.new_page()
                fetched: dict[str, int] = {}

                def note(response: Any, fetched: dict[str, int] = fetched) -> None:
                    if "/_pagefind/" in response.url:
                        fetched[response.url] = len(response.body())

                page.on("response", note)
                page.goto(base + f"search.html?q={quote(query)}")
                page.wait_for_function(SEARCH_DONE, timeout=120_000)
                page.wait_for_load_state("networkidle")
                shown = page.locator("#search-results ul.search > li").count()
                rows.append({"query": query, "bytes": sum(fetched.values()), "files": len(fetched), "results": shown})
                context.close()
        finally:
            browser.close()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Build each size with Pagefind, measure every query, print the table and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.search_download", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma list of entry counts")
    parser.add_argument("--workdir", type=Path, help="keep the built sites here (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=Path("search-download.json"))
    options = parser.parse_args(argv)
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="papernotes-search-bench-"))
    results = []
    print("| N | query | downloaded under _pagefind/ (kB) | files | results shown | index on disk (MB) | build (s) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in (int(size) for size in options.sizes.split(",")):
        html, seconds = build_with_search(workdir / f"search-{n}", n)
        on_disk = sum(path.stat().st_size for path in (html / "_pagefind").rglob("*") if path.is_file())
        with served(html) as base:
            for row in query_downloads(base, QUERIES):
                row.update(n=n, index_bytes=on_disk, build_seconds=round(seconds, 1))
                results.append(row)
                print(
                    f"| {n:,} | `{row['query']}` | {int(row['bytes']) / 1000:.0f} | {row['files']} | {row['results']} "
                    f"| {on_disk / 1e6:.1f} | {seconds:.0f} |",
                    flush=True,
                )
    options.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
