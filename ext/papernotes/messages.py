"""Warnings for contributors: one located message per mistake, silenceable by subtype.

Every problem the extension finds is reported through Sphinx's logger with ``type="papernotes"``
and a subtype, so ``suppress_warnings = ["papernotes.url"]`` silences one kind and ``-W`` turns
them into a failing build, while the build itself always carries on.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger("papernotes")

#: Every subtype the extension emits, with what it means (documented on the contributor pages).
SUBTYPES: dict[str, str] = {
    "bib": "a bibliography file that cannot be read: unclosed entry, duplicate key, syntax error",
    "bibfield": "a bibliography entry without title, author or year",
    "bibkey": "a paper entry whose key is not in the bibliography",
    "duplicate": "two entries of the same type with the same id",
    "missing": "an entry without a field it requires",
    "option": "an option the directive does not know",
    "value": "an option value of the wrong shape (tag, year, size, list)",
    "url": "a link that is not http(s) (or a DOI that is not one)",
    "family": "a family that is not configured in papernotes_families",
    "ref": "a role whose target entry does not exist",
    "relation": "a :base:, :paper:, :repo:, :data: (or similar) option naming no entry",
    "lineage": "a :derived: item that is not 'parent (kind, https://evidence)', or whose kind is unknown",
    "evidence": "a :derived: parent without an https evidence link",
    "cycle": "models (or datasets) whose :base: or :derived: chain loops back on itself",
    "config": "a papernotes_* setting in conf.py with a value it cannot use (the default is used instead)",
    "convention": "a bib entry that breaks the guide's conventions: name order, 'and others', arXiv without eprint, http://",
    "markup": "HTML or script (a tag, an on…= attribute, javascript:) in a bib field or an option; shown as text",
}


def warn(subtype: str, message: str, location: Any) -> None:
    """Report one contributor mistake at its file and line; the build goes on."""
    logger.warning(message, location=location, type="papernotes", subtype=subtype)
