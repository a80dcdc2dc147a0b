"""Contributor tools run from the command line, not by Sphinx: ``nox -s new`` and ``nox -s verify``.

``new`` adds a paper to ``papers.bib`` and its family page from an arXiv id, a DOI or pasted
BibTeX; ``verify`` compares ``papers.bib`` with arXiv and Crossref, or (``--offline``) checks the
conventions of :mod:`papernotes.conventions`. They use the standard library for HTTP, so the
extension gains no dependency.
"""
