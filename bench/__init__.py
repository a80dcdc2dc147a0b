"""Benchmark: what papernotes costs against hand-written MyST and sphinx-needs, and how that grows.

Synthetic collections of N papers (a BibTeX entry, two tags, a code link and notes of about 200
words with one cross-reference each) are written four ways: with the ``{paper}`` directive and
role (the site as contributors write it), with sphinx-needs (each paper a need, each link a
``{need}``), and twice by hand in plain MyST, with and without a BibTeX block (the two floors).
Three shapes spread them over pages: one family per page of 50; a few families spanning many
pages; pages of 1,000. Every build is its own ``sphinx-build`` process, the variants built back to
back scenario by scenario (clean, no-op, edit one page, ``-j 2``), because the machine is shared
and noisy; times are medians of the repeats.

Run ``python -m bench --sizes 100,1000 --repeats 1`` (or ``nox -s bench -- …``); the table is
printed as Markdown, everything measured is written as JSON, and the plot as SVG. ``--profile N``
profiles one clean and one no-op build of the papernotes variant with cProfile instead.

This is a package rather than one script so that its parts can be read on their own and the tests
can import them like any other module:

- ``bench.generate`` writes the synthetic collections (every variant and shape) and edits one page;
- ``bench.run`` builds and times them (clean, no-op, edit and ``-j 2`` builds) and profiles them;
- ``bench.report`` turns the timings into medians, ratios, verdicts on the targets, the Markdown
  table, the plot and the JSON file (and reads JSON files back, to report several runs as one);
- ``bench.__main__`` is the command line;
- ``bench.search_download`` builds a collection with Pagefind and measures, in a real browser, the
  bytes one search query fetches (``python -m bench.search_download --sizes 1000,5000``).
"""

from __future__ import annotations

from pathlib import Path

#: The repository checkout: the collections load the extension from its ``ext/`` directory.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
