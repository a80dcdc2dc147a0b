"""Directive options that never stop a build: parsed leniently, validated by us, reported by subtype.

docutils and MyST reject an unknown option or a converter's ValueError with their own generic
error, dropping the whole entry. The entries instead accept every option, keep the unknown ones
aside, and check each value here, so a contributor gets one ``papernotes.<subtype>`` warning and
the rest of the entry still renders.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from docutils.parsers.rst import directives

from papernotes.messages import warn

__all__ = [
    "LenientOptionSpec",
    "OptionError",
    "UnknownOption",
    "find_markup",
    "parse_date",
    "parse_doi",
    "parse_https_urls",
    "parse_id_list",
    "parse_sizes",
    "parse_tags",
    "parse_url",
    "parse_year",
    "report_unknown_options",
    "split_list",
]

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+.\-]*$")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+\-/]*$")
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
#: What HTML or script injection looks like: a tag, an event-handler attribute, a javascript: link.
MARKUP_PATTERN = re.compile(r"<\s*/?\s*[A-Za-z!?]|\bon[a-z]+\s*=|\bjavascript\s*:", re.IGNORECASE)


class OptionError(ValueError):
    """A value of the wrong shape; ``subtype`` says which warning it becomes."""

    def __init__(self, message: str, subtype: str = "value") -> None:
        super().__init__(message)
        self.subtype = subtype


@dataclass(frozen=True)
class UnknownOption:
    """The value of an option the directive does not define, kept to be reported by name."""

    value: str | None


class LenientOptionSpec(dict[str, Callable[[str], object]]):
    """An option spec that accepts any name, marking unknown ones instead of raising KeyError.

    Typed as docutils' stubs type ``Directive.option_spec`` (converters of ``str``), so it can be
    assigned there; docutils also passes None for an option given without a value, which is why
    the converters used here all accept ``str | None``.
    """

    def __missing__(self, name: str) -> Callable[[str], object]:
        return UnknownOption

    def __contains__(self, name: object) -> bool:
        return True


def text_options(*names: str) -> LenientOptionSpec:
    """An option spec whose values all arrive unchanged, to be validated by the entry."""
    return LenientOptionSpec({name: directives.unchanged for name in names})


def split_list(value: str | None) -> list[str]:
    """A comma (or newline) separated list, trimmed, empty items dropped, order kept."""
    if not value:
        return []
    return [item.strip() for item in re.split(r"[,\n]", value) if item.strip()]


def slug(text: str) -> str:
    """The tag a contributor most likely meant: ``Fine Tuning`` is ``fine-tuning``, ``PEFT`` ``peft``."""
    return re.sub(r"[^a-z0-9+.]+", "-", text.lower()).strip("-.+") or "tag"


def _quoted(values: list[str]) -> str:
    return ", ".join(repr(value) for value in values)


def parse_tags(value: str | None) -> list[str]:
    """Tags are lower-case slugs, so each can name a listing page and a URL anchor; every bad one is named."""
    tags: list[str] = []
    bad = [tag for tag in split_list(value) if not TAG_PATTERN.match(tag)]
    allowed, fixed = "(letters, digits, '-', '.', '+')", _quoted([slug(tag) for tag in bad])
    if len(bad) == 1:
        raise OptionError(f"tag {bad[0]!r} is not a lower-case slug {allowed}: write {fixed}")
    if bad:
        raise OptionError(f"tags {_quoted(bad)} are not lower-case slugs {allowed}: write {fixed}")
    for tag in split_list(value):
        if tag not in tags:
            tags.append(tag)
    return tags


def parse_id_list(value: str | None) -> list[str]:
    """Entry ids named by a relation option (:base:, :models:, :papers:, …); every bad one is named."""
    ids = split_list(value)
    bad = [item for item in ids if not ID_PATTERN.match(item)]
    if bad:
        raise OptionError(f"{_quoted(bad)} {'is not an entry id' if len(bad) == 1 else 'are not entry ids'}")
    return ids


def parse_url(value: str | None) -> str:
    """Only absolute http(s) links are allowed: no javascript:, data: or relative surprises."""
    url = (value or "").strip()
    if not url:
        raise OptionError("an empty URL", "value")
    if any(char.isspace() or ord(char) < 32 for char in url) or '"' in url or "<" in url:
        raise OptionError(f"{url!r} is not a single well-formed URL", "url")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise OptionError(f"{url!r} is not an http(s) URL", "url")
    return url


def parse_urls(value: str | None) -> list[str]:
    """Several links, each checked like :func:`parse_url`."""
    return [parse_url(item) for item in re.split(r"[\s,]+", value or "") if item]


def parse_https_urls(value: str | None) -> list[str]:
    """``:source:``: one or more https links (comma or whitespace separated) where facts were checked."""
    urls = parse_urls(value)
    if not urls:
        raise OptionError("no link given: write the https address of the page the entry was checked against")
    for url in urls:
        if urlsplit(url).scheme.lower() != "https":
            raise OptionError(f"{url!r} is not an https link: write it as {'https' + url[url.index(':') :]!r}", "url")
    return urls


def parse_date(value: str | None) -> str:
    """A real calendar day written ``YYYY-MM-DD`` (``:added:``, ``:verified:``)."""
    text = (value or "").strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        datetime.date.fromisoformat(text)
    except ValueError:
        raise OptionError(f"{text!r} is not a date written YYYY-MM-DD") from None
    return text


def parse_doi(value: str | None) -> str:
    """A bare DOI (``10.xxxx/…``) or a doi.org link, returned as the bare DOI in lower case.

    DOIs are case-insensitive, so the lower-case form is the one ``papers.json`` and the links use.
    """
    doi = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :].strip()
    if not DOI_PATTERN.match(doi) or any(char in doi for char in '"<>'):
        raise OptionError(f"{value!r} is not a DOI", "url")
    return doi.lower()


def parse_year(value: str | None) -> str:
    """A four-digit year between 1900 and 2099."""
    year = (value or "").strip()
    if not YEAR_PATTERN.match(year):
        raise OptionError(f"{year!r} is not a four-digit year")
    return year


def parse_size(value: str | None) -> str:
    """A size such as ``52K``, ``6B``, ``1.5M examples`` or ``20 GB``: a number first."""
    size = " ".join((value or "").split())
    if not re.match(r"^~?\d[\d,.]*\s*[A-Za-z]*\b", size) or len(size) > 80:
        raise OptionError(f"{size!r} does not start with a number (e.g. '52K', '6B', '1.5M examples')")
    return size


def parse_sizes(value: str | None) -> list[str]:
    """Several sizes (``:params: 7B, 13B``); every one that does not start with a number is named."""
    sizes, bad = [], []
    for item in split_list(value):
        try:
            sizes.append(parse_size(item))
        except OptionError:
            bad.append(item)
    if bad:
        verb = "does not start" if len(bad) == 1 else "do not start"
        raise OptionError(f"{_quoted(bad)} {verb} with a number (e.g. '7B', '52K', '1.5M examples')")
    return sizes


def parse_name(value: str | None) -> str:
    """A short display name: one line, not empty."""
    name = " ".join((value or "").split())
    if not name or len(name) > 200:
        raise OptionError(f"{value!r} is not a one-line name")
    return name


def find_markup(value: str | None) -> str:
    """The first piece of HTML or script in a text field, or "" if there is none.

    Text is always escaped in the output, so such a value cannot run; it is still reported,
    because no title, name or option of an entry legitimately contains it.
    """
    match = MARKUP_PATTERN.search(value or "")
    return match.group(0) if match else ""


def unknown_names(options: dict[str, object]) -> Iterable[str]:
    """The options given that the directive does not define."""
    return [name for name, value in options.items() if isinstance(value, UnknownOption)]


def report_unknown_options(
    label: str, options: Mapping[str, object], spec: Mapping[str, object], location: object
) -> None:
    """One ``papernotes.option`` warning per option the directive does not define."""
    for name in unknown_names(dict(options)):
        known = ", ".join(sorted(spec))
        warn("option", f"{label}: unknown option ':{name}:' (known: {known})", location)
