"""The one-line citation of a paper: pybtex's ``plain`` style, formatted once per content of its entry.

Formatting with pybtex is the dearest part of reading a paper (pybtex decodes every field and
name part through latexcodec and builds rich text through its template engine). An entry whose
fields LaTeX would leave as they are is written by :mod:`papernotes.plainstyle`, the same rules
on plain strings; the others by pybtex. Each line is kept by a digest of what it is made of (the
entry's BibTeX, the files' macros, this module and pybtex's version), in memory and in
``papernotes-citelines.pickle`` next to Sphinx's pickles: a page read again, or a build that keeps
its doctrees, formats only the entries that changed. The lines kept are those of the current
bibliography, so the file does not grow with entries that are gone. One style instance serves the
whole build, each entry is the one pybtex parsed when the files were read
(:func:`papernotes.bibfile.parsed_entry`), and each author's name is formatted once per build.

The style is pybtex's ``plain`` with BibTeX's "et al." for a list ending in ``and others``; a type
whose required fields are missing is formatted as ``misc`` instead of failing.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

import pybtex
from pybtex.database import Entry as PybtexEntry
from pybtex.database import Person
from pybtex.scanner import PybtexError
from sphinx.application import Sphinx

from papernotes import plainstyle
from papernotes.bibentry import BibEntry
from papernotes.bibfile import parsed_entry
from papernotes.bibliography import bibliography_of
from papernotes.plainstyle import FieldMissing, plain_line

__all__ = ["STATE_FILE", "cached_citation_line", "citation_line", "person_names", "pybtex_line"]

#: The lines formatted so far, by digest, in the doctree directory.
STATE_FILE = "papernotes-citelines.pickle"
#: A line depends on this module's rules, plainstyle's and pybtex's: lines formatted by other code are not reused.
_CODE_DIGEST = hashlib.sha1(
    Path(__file__).read_bytes() + Path(plainstyle.__file__).read_bytes() + str(pybtex.__version__).encode()
).digest()


_NameKey = tuple[tuple[str, ...], ...]
#: Formatted names, by their parts, as the plain text they render to: authors recur across a
#: collection, and latexcodec is slow.
_names: dict[tuple[_NameKey, bool], str] = {}


def _format_name(style: Any, person: Person, context: dict[str, Any], backend: Any) -> str:
    parts = (person.first_names, person.middle_names, person.prelast_names, person.last_names, person.lineage_names)
    key = (tuple(tuple(part) for part in parts), bool(style.abbreviate_names))
    found = _names.get(key)
    if found is None:
        if len(_names) > 50_000:
            _names.clear()
        found = _names[key] = str(
            style.format_name(person, style.abbreviate_names).format_data(context).render(backend)
        )
    return found


def _joined(names: list[str], sep: str = ", ", sep2: str | None = None, last_sep: str | None = None) -> str:
    """Pybtex's ``join`` of plain strings (its template ``join`` builds a rich-text tree per name, which is slow)."""
    if len(names) == 2 and sep2 is not None:
        return names[0] + sep2 + names[1]
    if len(names) > 1 and last_sep is not None:
        return sep.join(names[:-1]) + last_sep + names[-1]
    return sep.join(names)


def _names_text(style: Any, persons: list[Person], context: dict[str, Any], **kwargs: Any) -> str:
    """Persons as the style joins them, as plain text; a list ending in ``and others`` ends in "et al."."""
    truncated = str(persons[-1]) == "others"
    people = persons[:-1] if truncated else persons
    backend = _plain_style()[1]
    formatted = [_format_name(style, person, context, backend) for person in people]
    if truncated and formatted:
        return _joined(formatted) + ("," if len(formatted) > 1 else "") + " et al."
    return _joined(formatted, **kwargs)


def _names_et_al_data(children: list[Any], context: dict[str, Any], role: str, **kwargs: Any) -> Any:
    """Pybtex's ``names``, but a list ending in ``and others`` ends in "et al." as BibTeX's plain.bst writes it.

    The names are joined as the plain text the line is rendered to: the same words as pybtex's
    template ``join`` over rich text, at a fraction of the cost (a third of a clean build's
    formatting went to that join).
    """
    from pybtex.richtext import Text  # noqa: PLC0415  (see _plain_style)
    from pybtex.style.template import FieldIsMissing  # noqa: PLC0415

    assert not children
    persons = context["entry"].persons.get(role)
    if not persons:
        raise FieldIsMissing(role, context["entry"])
    return Text(_names_text(context["style"], persons, context, **kwargs))


@functools.cache
def _plain_style() -> tuple[Any, Any]:
    """Pybtex's ``plain`` style with BibTeX's "et al." (its templates call ``self.format_names``), and the text backend.

    Made on the first line formatted: importing pybtex's styles and rich text (and latexcodec under
    them) and finding the backend plugin take a tenth of a second, which a build that formats no
    line (a no-op rebuild, lines from the cache) does not spend.
    """
    from pybtex.plugin import find_plugin  # noqa: PLC0415
    from pybtex.style.formatting.plain import Style as PlainStyle  # noqa: PLC0415
    from pybtex.style.template import node, sentence  # noqa: PLC0415

    # the template node (pybtex's ``@node`` decorator, applied without decorator syntax: pybtex is untyped)
    names_et_al = node(_names_et_al_data)

    def format_names(role: str, as_sentence: bool = True) -> Any:
        """``Style.format_names`` of the plain style, with the "et al." names node."""
        formatted = names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted

    style = PlainStyle()
    style.format_names = format_names
    return style, find_plugin("pybtex.backends", "text")()


_NAME_JOIN = {"sep": ", ", "sep2": " and ", "last_sep": ", and "}


def person_names(parsed: PybtexEntry) -> dict[str, tuple[str, int]]:
    """Each role's persons (author, editor) as the style joins them, and how many there are."""
    style = _plain_style()[0]
    context = {"entry": parsed, "style": style}
    return {
        role.lower(): (_names_text(style, list(persons), context, **_NAME_JOIN), len(persons))
        for role, persons in parsed.persons.items()
        if persons
    }


def pybtex_line(key: str, parsed: PybtexEntry) -> str:
    """The entry's line written by pybtex's template engine; raises ``PybtexError`` for a missing field."""
    style, backend = _plain_style()
    return " ".join(str(style.format_entry(key, parsed).text.render(backend)).split())


def _formatted(key: str, parsed: PybtexEntry) -> str:
    """The entry's line: written by :mod:`papernotes.plainstyle` when it can, by pybtex otherwise.

    Raises pybtex's ``PybtexError`` or :class:`~papernotes.plainstyle.FieldMissing` when a field the
    type requires is absent.
    """
    fields = {name.lower(): value for name, value in parsed.fields.items()}
    line = plain_line(parsed.type.lower(), fields, person_names(parsed))
    return pybtex_line(key, parsed) if line is None else line


def citation_line(entry: BibEntry, macros: str = "") -> str:
    """The paper as one line of pybtex's ``plain`` style, in plain text ("" if it cannot be formatted)."""
    parsed = parsed_entry(macros, entry.raw, entry.key)
    if parsed is None:
        return ""
    try:
        return _formatted(entry.key, parsed)
    except (PybtexError, FieldMissing):  # a type's required field (an article's journal) is absent
        fields = dict(parsed.fields)
        venue = next((fields[name] for name in ("journal", "booktitle") if fields.get(name)), "")
        if venue and not fields.get("howpublished"):
            fields["howpublished"] = venue
        try:
            return _formatted(entry.key, PybtexEntry("misc", fields=fields, persons=parsed.persons))
        except (PybtexError, FieldMissing):
            return ""


# The cache -------------------------------------------------------------------------------------------
class _Lines:
    """The lines of one doctree directory: those read from its pickle, and those formatted since."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / STATE_FILE
        try:
            saved = pickle.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
            saved = None
        valid = isinstance(saved, tuple) and len(saved) == 2 and saved[0] == _CODE_DIGEST
        self.lines: dict[bytes, str] = saved[1] if valid and isinstance(saved[1], dict) else {}
        self.added = False


_loaded: dict[str, _Lines] = {}


def _digest(entry: BibEntry, macros: str) -> bytes:
    return hashlib.sha1(f"{entry.key}\0{macros}\0{entry.raw}".encode()).digest()


def _lines_of(directory: str) -> _Lines:
    found = _loaded.get(directory)
    if found is None:
        found = _loaded[directory] = _Lines(Path(directory))
    return found


def cached_citation_line(doctreedir: str | Path, entry: BibEntry, macros: str) -> str:
    """:func:`citation_line`, formatted only if no build with these doctrees formatted the same entry."""
    cache = _lines_of(str(doctreedir))
    digest = _digest(entry, macros)
    line = cache.lines.get(digest)
    if line is None:
        line = cache.lines[digest] = citation_line(entry, macros)
        cache.added = True
    return line


def _save(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the lines of the current bibliography for the next build (replaced whole, never half-written)."""
    cache = _loaded.get(str(app.doctreedir))
    if exception is not None or cache is None or not cache.added:
        return
    bibliography = bibliography_of(app.env)
    current = {_digest(entry, bibliography.macros) for entry in bibliography.entries.values()}
    cache.lines = {digest: line for digest, line in cache.lines.items() if digest in current}
    cache.added = False
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.path.with_name(f"{STATE_FILE}.partial")
    partial.write_bytes(pickle.dumps((_CODE_DIGEST, cache.lines), protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(cache.path)


def setup(app: Sphinx) -> None:
    """Save the lines formatted in this build when it finishes."""
    app.connect("build-finished", _save)
