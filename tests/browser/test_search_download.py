"""bench.search_download on a tiny collection: it builds with Pagefind and counts what a query fetches."""

from __future__ import annotations

import pytest

from bench import search_download
from papernotes.search import pagefind_binary


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    binary, why = pagefind_binary()
    if binary is None:
        pytest.skip(f"the search download needs Pagefind: {why}")
    html, _ = search_download.build_with_search(tmp_path_factory.mktemp("search-download"), 12)
    return html


def test_a_query_fetches_the_bundle_its_chunks_and_the_fragments_of_its_results(built):
    with search_download.served(built) as base:
        rows = search_download.query_downloads(base, ["paper00003", "zzzunknownword"])
    found, missing = rows
    # the script, its WebAssembly and the metadata, then an index chunk and one fragment per result shown
    assert found["results"] == 1 and missing["results"] == 0
    assert found["files"] > missing["files"] >= 3
    bundle = sum(path.stat().st_size for path in (built / "_pagefind").rglob("*") if path.is_file())
    assert 0 < missing["bytes"] < found["bytes"] <= bundle
