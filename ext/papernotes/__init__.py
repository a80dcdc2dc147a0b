"""papernotes: a Sphinx extension for reading notes about papers, repositories, models and datasets.

Entries are objects of the ``pn`` domain, described with the ``{paper}``, ``{repo}``, ``{model}``
and ``{dataset}`` directives and linked with roles of the same names. Papers take their
bibliographic data from BibTeX files (by default the ones sphinxcontrib-bibtex reads, so
``{cite:p}`` and ``{paper}`` work on the same data). :mod:`papernotes.extension` wires the modules.
"""

from __future__ import annotations

__version__ = "0.2.0"

from papernotes.extension import setup

__all__ = ["__version__", "setup"]
