"""Benchmark: how much papernotes costs on top of bare Sphinx + MyST, and how that grows.

Synthetic collections of N papers (a BibTeX entry each, family pages of 50 entries, notes of about
200 words with one cross-reference each) are written twice: once with the ``{paper}`` directive
and role (the site as contributors write it) and once as plain MyST sections with labels and
``{ref}`` links (the floor: what the same pages cost without the extension). Both are built as
separate ``sphinx-build`` processes, scenario by scenario and variant by variant in alternating
order, because the machine is shared and noisy; times are medians of the repeats.

Run ``python -m bench --sizes 100,1000 --repeats 3`` (or ``nox -s bench -- …``); the table is
printed as Markdown and everything measured is written as JSON. ``--profile N`` profiles one clean
and one no-op build of the papernotes variant with cProfile instead.

This is a package rather than one script so that its parts can be read on their own and the tests
can import them like any other module:

- ``bench.generate`` writes the synthetic collections (both variants) and edits one page of them;
- ``bench.run`` builds and times them (clean, no-op, edit and ``-j 2`` builds) and profiles them;
- ``bench.report`` turns the timings into medians, verdicts on the targets, the Markdown table
  and the JSON file;
- ``bench.__main__`` is the command line.
"""

from __future__ import annotations

from pathlib import Path

#: The repository checkout: the collections load the extension from its ``ext/`` directory.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
