"""Pybtex's ``plain`` style for the common entry types, in plain Python, for the fields pybtex would read as they are.

Formatting a line with pybtex's template engine builds a tree of rich text per field and decodes
every field through latexcodec: about 3 ms a paper, a tenth of a clean build. Most entries
(``@article``, ``@inproceedings`` and ``@misc``, the fallback of a type missing a required field)
have fields with nothing for LaTeX to decode: plain words, one level of braces, dashes. For
those, this module writes the same line with the same rules on strings: the templates of
``pybtex.style.formatting.unsrt`` transcribed below, ``join``/``words``/``sentence``/``optional``/
``first_of`` with pybtex's semantics (empty parts dropped, a missing required field raises, a
period added unless the text ends in one of ``.?!``).

Anything else (another type, a cross-reference, a backslash, a math or comment character,
quotes LaTeX would turn, nested braces) returns None, and :mod:`papernotes.citeline` asks pybtex.
``tests/test_plainstyle.py`` checks the two against each other on generated entries: every line
this module writes must be pybtex's, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

__all__ = ["FieldMissing", "plain_line"]


class FieldMissing(Exception):
    """A field the type's template requires is absent (pybtex's ``FieldIsMissing``)."""


#: Characters (and pairs) latexcodec reads as something else than themselves: the line is left to pybtex.
_LATEX = re.compile(r"[\\$%~`#&^_\"]|''|,,|<<|>>|!`|\?`|[^\x20-\x7e\t\n]")
#: Whitespace pybtex keeps in ways that show (at an end, inside a brace) and empty braces.
_UNEVEN_SPACE = re.compile(r"^\s|\s$|\{\s|\s\}|\{\}")
#: Dashes, which latexcodec reads as an en dash (two) or an em dash (three).
_DASHES = re.compile(r"-{2,3}")
_DASH_CHARACTER = {"--": "\u2013", "---": "\u2014"}
#: The fields a transcribed template reads as LaTeX (the others are raw: ``url``, ``eprint``, ``doi``, ``pubmed``).
_LATEX_FIELDS = (
    "title",
    "journal",
    "volume",
    "number",
    "pages",
    "month",
    "year",
    "note",
    "booktitle",
    "series",
    "address",
    "organization",
    "publisher",
    "howpublished",
    "urldate",
)

_Segments = list[tuple[str, bool]]


def _segments(value: str) -> _Segments | None:
    """The text of a field as pybtex reads it: (text, protected) runs, or None if LaTeX would change it."""
    if _LATEX.search(value) or _UNEVEN_SPACE.search(value) or "----" in value:
        return None
    runs: _Segments = []
    start, protected = 0, False
    for position, character in enumerate(value):
        if character == "{":
            if protected:
                return None
            runs.append((value[start:position], False))
            start, protected = position + 1, True
        elif character == "}":
            if not protected:
                return None
            runs.append((value[start:position], True))
            start, protected = position + 1, False
    if protected:
        return None
    runs.append((value[start:], False))
    return [(_DASHES.sub(lambda match: _DASH_CHARACTER[match.group()], text), flag) for text, flag in runs]


def _text(runs: _Segments) -> str:
    return " ".join("".join(text for text, _ in runs).split())


def _capitalized(runs: _Segments) -> str:
    """``Text.capitalize()``: the first character upper-cased and the rest lower-cased, outside braces."""
    parts: list[str] = []
    for text, protected in runs:
        rest = text
        if text and not parts:
            parts.append(text[0] if protected else text[0].upper())
            rest = text[1:]
        parts.append(rest if protected else rest.lower())
    return " ".join("".join(parts).split())


class _Fields:
    """An entry's fields as pybtex's ``field`` reads them (decoded once each)."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.raw = fields
        self.runs: dict[str, _Segments] = {}

    def get(self, name: str, apply: Callable[[_Segments], str] = _text) -> str:
        """``field(name)``: raises :class:`FieldMissing` when absent."""
        if name not in self.raw:
            raise FieldMissing(name)
        return apply(self.runs[name])

    def raw_value(self, name: str) -> str:
        """``field(name, raw=True)``."""
        if name not in self.raw:
            raise FieldMissing(name)
        return self.raw[name]


_Part = Callable[[], str]


def _join(parts: Sequence[_Part | str], sep: str = "", sep2: str | None = None, last_sep: str | None = None) -> str:
    texts = [text for text in (part if isinstance(part, str) else part() for part in parts) if text]
    if len(texts) <= 1:
        return "".join(texts)
    if len(texts) == 2:
        return texts[0] + (sep if sep2 is None else sep2) + texts[1]
    return sep.join(texts[:-1]) + (sep if last_sep is None else last_sep) + texts[-1]


def _sentence(parts: Sequence[_Part | str], sep: str = ", ") -> str:
    text = _join(parts, sep)
    return text + "." if text and not text.endswith((".", "?", "!")) else text


def _optional(parts: Sequence[_Part | str]) -> str:
    try:
        return "".join(part if isinstance(part, str) else part() for part in parts)
    except FieldMissing:
        return ""


def _first_of(parts: Sequence[_Part]) -> str:
    for part in parts:
        text = part()
        if text:
            return text
    return ""


class _Templates:
    """``pybtex.style.formatting.unsrt.Style``'s templates for three types, on strings."""

    def __init__(self, fields: _Fields, names: Mapping[str, tuple[str, int]]) -> None:
        self.fields = fields
        self.names = names

    def field(self, name: str, apply: Callable[[_Segments], str] = _text) -> _Part:
        return lambda: self.fields.get(name, apply)

    def optional_field(self, name: str) -> _Part:
        return lambda: _optional([self.field(name)])

    def persons(self, role: str) -> str:
        if role not in self.names:
            raise FieldMissing(role)
        return self.names[role][0]

    def author_sentence(self) -> str:
        return _sentence([lambda: self.persons("author")])

    def title_sentence(self) -> str:
        return _sentence([self.field("title", _capitalized)])

    def date(self) -> str:
        return _join([self.optional_field("month"), self.field("year")], " ")

    def web_refs(self) -> str:
        raw = self.fields.raw_value
        return _sentence(
            [
                lambda: _optional(
                    [
                        lambda: _join(["URL:", lambda: raw("url")], " "),
                        lambda: _optional([" (visited on ", self.field("urldate"), ")"]),
                    ]
                ),
                lambda: _optional([lambda: "arXiv:" + raw("eprint")]),
                lambda: _optional([lambda: "PMID:" + raw("pubmed")]),
                lambda: _optional([lambda: "doi:" + raw("doi")]),
            ]
        )

    def toplevel(self, parts: Sequence[_Part]) -> str:
        return _join(parts, " ")

    def article(self) -> str:
        pages = self.field("pages")  # dashify: a hyphen run (one, after the LaTeX dashes) is written "-"
        number = self.field("number")
        volume_and_pages = lambda: _first_of(  # noqa: E731  (the template's own name)
            [
                lambda: _optional(
                    [lambda: _join([self.field("volume"), lambda: _optional(["(", number, ")"]), ":", pages])]
                ),
                lambda: _join(["pages", pages], " "),
            ]
        )
        return self.toplevel(
            [
                self.author_sentence,
                self.title_sentence,
                lambda: _sentence([self.field("journal"), lambda: _optional([volume_and_pages]), self.date]),
                lambda: _sentence([self.optional_field("note")]),
                self.web_refs,
            ]
        )

    def editor(self) -> str:
        editors = self.persons("editor")
        return _join([editors, "editors" if self.names["editor"][1] > 1 else "editor"], ", ")

    def volume_and_series(self) -> str:
        return _first_of(
            [
                lambda: _optional(
                    [
                        lambda: _join(
                            [
                                lambda: _join(["volume", self.field("volume")], " "),
                                lambda: _optional([lambda: _join(["of", self.field("series")], " ")]),
                            ],
                            " ",
                        )
                    ]
                ),
                lambda: _optional(
                    [
                        lambda: _join(
                            [
                                lambda: _join(["number", self.field("number")], " "),
                                lambda: _optional([lambda: _join(["in", self.field("series")], " ")]),
                            ],
                            " ",
                        )
                    ]
                ),
                self.optional_field("series"),
            ]
        )

    def address_organization_publisher_date(self) -> str:
        organization = self.optional_field("organization")
        publisher = self.optional_field("publisher")
        return _first_of(
            [
                lambda: _optional(
                    [
                        lambda: _join(
                            [
                                lambda: _sentence([self.field("address"), self.date]),
                                lambda: _sentence([organization, publisher]),
                            ],
                            " ",
                        )
                    ]
                ),
                lambda: _sentence([organization, publisher, self.date]),
            ]
        )

    def inproceedings(self) -> str:
        return self.toplevel(
            [
                self.author_sentence,
                self.title_sentence,
                lambda: _join(
                    [
                        "In",
                        lambda: _sentence(
                            [
                                lambda: _optional([self.editor]),
                                self.field("booktitle"),
                                self.volume_and_series,
                                lambda: _optional([self.field("pages")]),
                            ]
                        ),
                        self.address_organization_publisher_date,
                    ],
                    " ",
                ),
                lambda: _sentence([self.optional_field("note")]),
                self.web_refs,
            ]
        )

    def misc(self) -> str:
        return self.toplevel(
            [
                lambda: _optional([self.author_sentence]),
                lambda: _optional([self.title_sentence]),
                lambda: _sentence([lambda: _optional([self.field("howpublished")]), lambda: _optional([self.date])]),
                lambda: _sentence([self.optional_field("note")]),
                self.web_refs,
            ]
        )


_TYPES: dict[str, Callable[[_Templates], str]] = {
    "article": _Templates.article,
    "inproceedings": _Templates.inproceedings,
    "misc": _Templates.misc,
}


def plain_line(entry_type: str, fields: Mapping[str, str], names: Mapping[str, tuple[str, int]]) -> str | None:
    """The entry's line in pybtex's ``plain`` style as plain text, or None when pybtex must write it.

    ``fields`` are the entry's fields by lower-case name; ``names`` has, for each role present
    (``author``, ``editor``), its persons formatted and joined as the style joins them, and how
    many persons there are. Raises :class:`FieldMissing` where pybtex raises ``FieldIsMissing``.
    """
    template = _TYPES.get(entry_type)
    if template is None or "crossref" in fields:
        return None
    decoded = _Fields(fields)
    for name in _LATEX_FIELDS:
        value = fields.get(name)
        if value is not None:
            runs = _segments(value)
            if runs is None:
                return None
            decoded.runs[name] = runs
    return " ".join(template(_Templates(decoded, names)).split())
