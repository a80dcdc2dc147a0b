"""Bibliography access: one tolerant read of the project's BibTeX files per build.

The papers on the site are described by ``papers.bib``; nothing about a paper is typed twice.
sphinxcontrib-bibtex ends the whole build when one entry is malformed, so this module reads the
same files first, entry by entry, reports each broken entry as a located warning, and, when it had
to drop something, hands sphinxcontrib-bibtex a cleaned copy so every other entry still builds.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import BibliographyData, Entry, Person, parse_string
from pybtex.scanner import PybtexError
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging as sphinx_logging
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime, is_bibdata_outdated

from papernotes.messages import warn
from papernotes.options import OptionError, find_markup, parse_url

__all__ = ["BibEntry", "Bibliography", "latex_to_text", "load_bibliography"]

#: Fields every paper entry must have to be shown properly.
REQUIRED_FIELDS = ("title", "author", "year")

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*([{(])", re.MULTILINE)
_KEY = re.compile(r"\s*([^\s,{}()=\"#%'~\\]+)\s*,")
_FORMAT_COMMAND = re.compile(r"\\(?:textit|textbf|textsc|texttt|textrm|textsf|emph|mathrm|mathbf|mbox|text)\s*")
_OTHER_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_NON_ENTRY_TYPES = frozenset({"comment", "preamble", "string"})


def latex_to_text(value: str) -> str:
    """Turn a BibTeX field into the plain text a reader should see (accents decoded, braces gone)."""
    try:
        text = codecs.decode(value, "ulatex") if "\\" in value else value
    except UnicodeDecodeError:
        # latexcodec gives up on some stray backslashes (a field ending in one); such a
        # field is shown as written rather than ending the build.
        text = value
    text = _FORMAT_COMMAND.sub("", text)
    text = _OTHER_COMMAND.sub(r"\1 ", text) if "\\" in text else text
    text = text.replace("{", "").replace("}", "").replace("~", "\u00a0")
    return " ".join(text.split())


def _person_name(person: Person) -> str:
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    name = " ".join(parts)
    if person.lineage_names:
        name += ", " + " ".join(person.lineage_names)
    return latex_to_text(name)


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry, with the plain-text fields the site renders."""

    key: str
    entry_type: str
    fields: dict[str, str]
    authors: tuple[str, ...]
    authors_truncated: bool
    raw: str
    path: str
    line: int

    @property
    def digest(self) -> str:
        """A fingerprint of the entry's text, to tell which pages an edit of the file touches."""
        return hashlib.sha1(self.raw.encode("utf-8")).hexdigest()[:16]

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> str:
        return self.fields.get("year", "")

    @property
    def venue(self) -> str:
        """Where the paper appeared: journal or proceedings, else the preprint server."""
        for name in ("journal", "booktitle", "howpublished", "publisher", "institution"):
            if self.fields.get(name):
                return self.fields[name]
        if self.arxiv_id:
            return "arXiv preprint"
        return ""

    @property
    def arxiv_id(self) -> str:
        prefix = self.fields.get("archiveprefix", self.fields.get("eprinttype", "")).lower()
        eprint = self.fields.get("eprint", "")
        if eprint and prefix in ("arxiv", ""):
            return eprint
        match = re.search(r"arxiv\.org/(?:abs|pdf)/([^\s/?#]+?)(?:v\d+)?(?:\.pdf)?$", self.fields.get("url", ""))
        if match:
            return match.group(1)
        for name in ("journal", "note", "howpublished"):
            match = re.search(r"arXiv:\s*(\d{4}\.\d{4,5})", self.fields.get(name, ""), re.IGNORECASE)
            if match:
                return match.group(1)
        return ""

    def short_title(self) -> str:
        """The name a cross-reference shows: the entry's ``shorttitle``, else "Author et al. Year"."""
        if self.fields.get("shorttitle"):
            return self.fields["shorttitle"]
        if not self.authors:
            return self.title or self.key
        surname = self.authors[0].split()[-1]
        several = len(self.authors) > 1 or self.authors_truncated
        return f"{surname}{' et al.' if several else ''} {self.year}".strip()


@dataclass
class Bibliography:
    """All entries read from the configured files, plus what had to be dropped and why."""

    entries: dict[str, BibEntry] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    dropped: bool = False

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)


@dataclass(frozen=True)
class _RawEntry:
    entry_type: str
    key: str
    text: str
    line: int


def _split_entries(text: str) -> tuple[list[_RawEntry], list[tuple[int, str]]]:
    """Cut a .bib file into entries by brace matching; an unclosed entry ends at the next '@' line."""
    starts = list(_ENTRY_START.finditer(text))
    entries: list[_RawEntry] = []
    errors: list[tuple[int, str]] = []
    for index, match in enumerate(starts):
        line = text.count("\n", 0, match.start()) + 1
        entry_type = match.group(1).lower()
        limit = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        opener, closer = match.group(2), "}" if match.group(2) == "{" else ")"
        depth, position, end = 1, match.end(), -1
        while position < limit:
            char = text[position]
            if char == "{" or (char == opener and opener == "("):
                depth += 1
            elif char == "}" or (char == closer and closer == ")"):
                depth -= 1
                if depth == 0:
                    end = position + 1
                    break
            position += 1
        if end < 0:
            errors.append((line, f"entry '@{match.group(1)}' is not closed before the next entry"))
            continue
        if entry_type in _NON_ENTRY_TYPES:
            entries.append(_RawEntry(entry_type, "", text[match.start() : end], line))
            continue
        key_match = _KEY.match(text, match.end(), end)
        if key_match is None:
            errors.append((line, f"entry '@{match.group(1)}' has no citation key"))
            continue
        entries.append(_RawEntry(entry_type, key_match.group(1), text[match.start() : end].strip(), line))
    return entries, errors


def _to_entry(key: str, data: BibliographyData, raw: _RawEntry, path: str) -> BibEntry:
    entry = data.entries[key]
    fields = {name.lower(): latex_to_text(value) for name, value in entry.fields.items()}
    people = [person for person in entry.persons.get("author", []) if str(person) != "others"]
    truncated = len(people) < len(entry.persons.get("author", []))
    # A name that decodes to nothing (author = {,}) is no author: the entry then lacks one, and says so.
    authors = tuple(name for name in (_person_name(person) for person in people) if name.strip())
    return BibEntry(key, raw.entry_type, fields, authors, truncated, raw.text, path, raw.line)


_YEAR = re.compile(r"^(19|20)\d\d$")
#: Fields that are links, checked as URLs (``papernotes.url``) where a paper shows them.
_LINK_FIELDS = frozenset({"url", "doi"})


def _lacks(entry: BibEntry) -> list[str]:
    """The required fields an entry does not have."""
    return [name for name in REQUIRED_FIELDS if not (entry.authors if name == "author" else entry.fields.get(name))]


def _text_fields(entry: BibEntry) -> list[tuple[str, str]]:
    """The fields shown as text on the site, with the author list as one field."""
    texts = [(name, value) for name, value in entry.fields.items() if name not in _LINK_FIELDS]
    return [*texts, ("author", " and ".join(entry.authors))]


def _check_entry(entry: BibEntry) -> list[tuple[str, str]]:
    """What is wrong with an entry that parses: (subtype, message) pairs, at most one per kind."""
    problems: list[tuple[str, str]] = []
    missing = _lacks(entry)
    if missing:
        problems.append(("bibfield", f"entry '{entry.key}' lacks {', '.join(missing)}"))
    elif not _YEAR.match(entry.year):
        problems.append(("bibfield", f"entry '{entry.key}': year {entry.year!r} is not a four-digit year"))
    marked = [name for name, value in _text_fields(entry) if find_markup(value)]
    if marked:
        message = f"entry '{entry.key}': {', '.join(marked)} looks like HTML or script; it is shown as plain text"
        problems.append(("markup", message))
    error = _bad_link(entry)
    if error:
        problems.append(("url", f"entry '{entry.key}': url: {error}; the link is left out"))
    return problems


def _bad_link(entry: BibEntry) -> str:
    """Why the entry's url field is not a safe http(s) link, or "" when it is (or is absent)."""
    if "url" not in entry.fields:
        return ""
    try:
        parse_url(entry.fields["url"])
    except OptionError as error:
        return str(error)
    return ""


def _not_latex(entry: Entry) -> list[str]:
    """The fields (and name lists) of a parsed entry that latexcodec cannot decode."""
    texts = [(name.lower(), value) for name, value in entry.fields.items()]
    texts += [(role.lower(), " and ".join(str(person) for person in people)) for role, people in entry.persons.items()]
    failed: list[str] = []
    for name, value in texts:
        if "\\" not in value:  # only a backslash can start what latexcodec rejects
            continue
        try:
            codecs.decode(value, "ulatex")
        except UnicodeDecodeError:
            failed.append(name)
    return failed


def _accept(result: Bibliography, data: BibliographyData, raw: _RawEntry, location: str) -> str:
    """Add a parsed entry and its problems; return the text sphinxcontrib-bibtex may read for it."""
    unreadable = _not_latex(data.entries[raw.key])
    if unreadable:
        # pybtex formats these fields with latexcodec, which raises, and the whole build would end.
        message = f"entry '{raw.key}': {', '.join(unreadable)} cannot be read as LaTeX (a stray backslash?)"
        result.problems.append((location, raw.line, "bib", message + "; the entry is left out"))
        result.dropped = True
        return ""
    entry = _to_entry(raw.key, data, raw, location)
    result.problems.extend((location, raw.line, subtype, message) for subtype, message in _check_entry(entry))
    result.entries[raw.key] = entry
    if not _bad_link(entry):
        return raw.text
    # sphinxcontrib-bibtex would write the url field into an href as it is (javascript: too).
    del entry.fields["url"]
    del data.entries[raw.key].fields["url"]
    result.dropped = True
    return BibliographyData(entries={raw.key: data.entries[raw.key]}).to_string("bibtex")


_cache: dict[tuple[str, int, int], tuple[Bibliography, str]] = {}
#: pybtex's parse of each file that was read without a problem, for sphinxcontrib-bibtex (in memory only).
_parsed: dict[tuple[str, int, int], BibliographyData] = {}


def _read_file(path: Path) -> tuple[Bibliography, str]:
    """Read one file; return its entries and problems, and the text of the entries that parse."""
    stat = path.stat()
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
    if cache_key in _cache:
        return _cache[cache_key]
    text = path.read_text(encoding="utf-8-sig")
    raw_entries, errors = _split_entries(text)
    result = Bibliography()
    location = str(path)
    for line, message in errors:
        result.problems.append((location, line, "bib", message))
        result.dropped = True
    macros = [raw for raw in raw_entries if raw.entry_type in _NON_ENTRY_TYPES]
    prelude = "\n".join(raw.text for raw in macros)
    kept: list[_RawEntry] = []
    seen: dict[str, int] = {}
    for raw in raw_entries:
        if raw.entry_type in _NON_ENTRY_TYPES:
            continue
        folded = raw.key.lower()
        if folded in seen:
            result.problems.append(
                (
                    location,
                    raw.line,
                    "bib",
                    f"duplicate key '{raw.key}' (first defined at line {seen[folded]}); the later entry is ignored",
                )
            )
            result.dropped = True
            continue
        seen[folded] = raw.line
        kept.append(raw)
    good_text = [prelude] if prelude else []
    whole = False
    try:
        data = parse_string("\n\n".join([prelude, *(raw.text for raw in kept)]), "bibtex")
        parsed, whole = {raw.key: raw for raw in kept}, True
    except PybtexError:
        data, parsed = BibliographyData(), {}
        for raw in kept:
            try:
                single = parse_string(prelude + "\n\n" + raw.text, "bibtex")
            except PybtexError as error:
                message = str(error).splitlines()[0] if str(error) else type(error).__name__
                result.problems.append((location, raw.line, "bib", f"entry '{raw.key}' cannot be parsed: {message}"))
                result.dropped = True
                continue
            data.entries[raw.key] = single.entries[raw.key]
            parsed[raw.key] = raw
    for key, raw in parsed.items():
        if key in data.entries:
            good_text.append(_accept(result, data, raw, location))
    outcome = (result, "\n\n".join(good_text) + "\n")
    if len(_cache) > 32:
        _cache.clear()
        _parsed.clear()
    _cache[cache_key] = outcome
    if whole and not result.dropped:
        _parsed[cache_key] = data
    return outcome


def load_bibliography(paths: list[Path]) -> tuple[Bibliography, dict[Path, str]]:
    """Read every configured file; return the merged entries and each file's parseable text."""
    merged = Bibliography(sources=[str(path) for path in paths])
    texts: dict[Path, str] = {}
    for path in paths:
        if not path.is_file():
            merged.problems.append((str(path), 0, "bib", "bibliography file not found"))
            continue
        single, text = _read_file(path)
        texts[path] = text
        merged.problems.extend(single.problems)
        merged.dropped = merged.dropped or single.dropped
        for key, entry in single.entries.items():
            if key in merged.entries:
                merged.problems.append(
                    (entry.path, entry.line, "bib", f"duplicate key '{key}' across bibliography files")
                )
                continue
            merged.entries[key] = entry
    return merged, texts


#: Where the parsed files are kept between builds, next to Sphinx's own pickles (see issue 6).
_DISK_CACHE = "papernotes-bib.pickle"
#: Parsed entries depend on this module's rules too: a cache written by other code is not reused.
_CODE_DIGEST = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()


def _load_disk_cache(directory: Path) -> None:
    """Reuse the files parsed by the previous build: parsing 1,000 entries costs longer than a no-op build."""
    try:
        with (directory / _DISK_CACHE).open("rb") as stream:
            digest, saved = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        return
    if digest == _CODE_DIGEST and isinstance(saved, dict):
        for key, value in saved.items():
            _cache.setdefault(key, value)


def _save_disk_cache(directory: Path, paths: list[Path]) -> None:
    """Keep the parse of the configured files for the next build (replaced whole, never half-written)."""
    wanted = {str(path) for path in paths}
    saved = {key: value for key, value in _cache.items() if key[0] in wanted}
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{_DISK_CACHE}.partial"
    with partial.open("wb") as stream:
        pickle.dump((_CODE_DIGEST, saved), stream, pickle.HIGHEST_PROTOCOL)
    partial.replace(directory / _DISK_CACHE)


def _on_config_inited(app: Sphinx, config: Config) -> None:
    """Read the bibliography before sphinxcontrib-bibtex does, and shield it from broken entries."""
    configured = [str(name) for name in (config.bibtex_bibfiles or [])]
    paths = [(Path(app.confdir) / name).resolve() for name in configured]
    _load_disk_cache(Path(app.doctreedir))
    known = set(_cache)
    bibliography, texts = load_bibliography(paths)
    if set(_cache) - known:
        _save_disk_cache(Path(app.doctreedir), paths)
    bibliography.sources = configured
    for location, line, subtype, message in bibliography.problems:
        warn(subtype, message, f"{location}:{line}" if line else location)
    app.papernotes_bibliography = bibliography  # type: ignore[attr-defined]
    if not bibliography.dropped:
        return
    # sphinxcontrib-bibtex would stop the build at the first broken entry: give it a clean copy.
    shelter = Path(app.doctreedir) / "papernotes-bib"
    shelter.mkdir(parents=True, exist_ok=True)
    cleaned: list[str] = []
    for index, path in enumerate(paths):
        if path not in texts:
            continue
        target = shelter / f"{index}-{path.name}"
        if not target.is_file() or target.read_text(encoding="utf-8") != texts[path]:
            target.write_text(texts[path], encoding="utf-8")
        cleaned.append(str(target))
    config.bibtex_bibfiles = cleaned


class _AlreadyReported(logging.Filter):
    """Drops sphinxcontrib-bibtex's "missing <field> in <key>" for a field already reported here.

    Its message points at the bibliography directive rather than the entry, so a contributor
    would get the same mistake twice, once without the bib file's line.
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        if (getattr(record, "type", ""), getattr(record, "subtype", "")) != ("bibtex", "missing_field"):
            return True
        match = re.fullmatch(r"missing (.+) in (\S+)", record.getMessage().strip())
        entry = bibliography_of(self.app).get(match.group(2)) if match else None
        return entry is None or not any(name in match.group(1).split() for name in _lacks(entry))


def _filter_repeated_warnings(app: Sphinx) -> None:
    """Put the filter first on Sphinx's warning handlers, before anything counts the warning."""
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, sphinx_logging.WarningStreamHandler) and not any(
            isinstance(existing, _AlreadyReported) for existing in handler.filters
        ):
            handler.filters.insert(0, _AlreadyReported(app))


def _share_parse(app: Sphinx) -> None:
    """Give sphinxcontrib-bibtex the files parsed here, so a clean build parses papers.bib once, not twice.

    It keeps its parse in the environment and parses again only when that is out of date (a clean
    build); it then gets the pybtex data it would have made itself. Anything unusual (a file with a
    problem, a sheltered copy, duplicates across files, a parse from an earlier process) is left to it.
    """
    paths = [(Path(app.confdir) / str(name)).resolve() for name in (app.config.bibtex_bibfiles or [])]
    domain = app.env.domains["cite"]
    encoding = app.config.bibtex_encoding
    if not paths or not is_bibdata_outdated(domain.data["bibdata"], paths, encoding):
        return
    merged = BibliographyData()
    files: dict[Path, BibFile] = {}
    for path in paths:
        stat = path.stat() if path.is_file() else None
        data = _parsed.get((str(path), stat.st_mtime_ns, stat.st_size)) if stat else None
        if data is None or any(key in merged.entries for key in data.entries):
            return
        for key, entry in data.entries.items():
            merged.add_entry(key, entry)
        files[path] = BibFile(mtime=get_mtime(path), keys=dict.fromkeys(data.entries))
    domain.data["bibdata"] = BibData(encoding=encoding, bibfiles=files, data=merged)


def bibliography_of(app: Sphinx) -> Bibliography:
    """The bibliography read for this build."""
    return getattr(app, "papernotes_bibliography", None) or Bibliography()


def setup(app: Sphinx) -> None:
    """Wire the bibliography reader; it must run before sphinxcontrib-bibtex reads the same files."""
    app.connect("config-inited", _on_config_inited, priority=400)
    app.connect("builder-inited", _filter_repeated_warnings)
    app.connect("builder-inited", _share_parse, priority=400)
