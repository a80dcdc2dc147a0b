"""papernotes: a Sphinx extension for reading notes about papers, repositories, models and datasets.

Entries are objects of the ``pn`` domain, described with the ``{paper}``, ``{repo}``, ``{model}``
and ``{dataset}`` directives and linked with roles of the same names. Papers take their
bibliographic data from the BibTeX files configured for sphinxcontrib-bibtex, so ``{cite:p}`` and
``{paper}`` work on the same data. Each concern lives in its own module with its own ``setup``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from papernotes import (
    backlinks,
    bib,
    collect,
    collection,
    config,
    entries,
    exports,
    incremental,
    indices,
    lineage,
    nodes,
    overview,
    search,
    timeline,
    views,
)
from papernotes.domain import ENTRY_TYPES, EntryRole, PaperNotesDomain

__version__ = "0.1.0"

STATIC = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Wire every module of the extension; all of them are safe for parallel reading and writing."""
    app.setup_extension("sphinxcontrib.bibtex")
    config.setup(app)
    nodes.setup(app)
    app.add_domain(PaperNotesDomain)
    for objtype in ENTRY_TYPES:
        app.add_role(objtype, EntryRole(warn_dangling=True))
    bib.setup(app)
    entries.setup(app)
    collect.setup(app)
    backlinks.setup(app)
    incremental.setup(app)
    collection.setup(app)
    views.setup(app)
    lineage.setup(app)
    timeline.setup(app)
    overview.setup(app)
    indices.setup(app)
    exports.setup(app)
    search.setup(app)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("papernotes.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
