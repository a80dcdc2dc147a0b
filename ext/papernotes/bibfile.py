"""Reading the project's BibTeX files: one tolerant parse per change of the files, cached.

The papers on the site are described by the bibliography; nothing about a paper is typed twice.
This module only reads: it cuts each file into entries by brace matching, so one broken entry is
reported at its line and the others still parse, reads every configured file together (as
sphinxcontrib-bibtex does, so an ``@string`` macro of one file serves the next) with the
project's encoding, and keeps the result in memory and next to the doctrees, keyed by the
files' sizes and modification times. It never touches sphinxcontrib-bibtex: reporting is
:mod:`papernotes.bibliography`'s job, and a cleaned copy for sphinxcontrib-bibtex is written
only when a project asks for one (:func:`write_clean_copy`).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pybtex.database import BibliographyData, Entry, parse_string
from pybtex.database.input.bibtex import Parser as BibtexParser
from pybtex.scanner import PybtexError

from papernotes.bibentry import BibEntry, Bibliography, Problem, decode_latex, latex_to_text, person_name
from papernotes.options import OptionError, parse_url

__all__ = ["forget_parsed", "parsed_entry", "read_bibliography", "write_clean_copy"]

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*([{(])", re.MULTILINE)
_KEY = re.compile(r"\s*([^\s,{}()=\"#%'~\\]+)\s*,")
_NON_ENTRY_TYPES = frozenset({"comment", "preamble", "string"})


@dataclass(frozen=True)
class _RawEntry:
    entry_type: str
    key: str
    text: str
    line: int


_BRACES = {"{": re.compile(r"[{}]"), "(": re.compile(r"[{}()]")}


def _split_entries(text: str) -> tuple[list[_RawEntry], list[tuple[int, str, str]]]:
    """Cut a .bib file into entries by brace matching; an unclosed entry ends at the next '@' line.

    Returns the entries and the errors as (line, key or "", message). Line numbers are counted on
    from the previous entry and braces found by a regular expression: counting from the top of the
    file for every entry, and stepping through every character in Python, made reading a file of
    5,000 entries grow with the square of its length.
    """
    starts = list(_ENTRY_START.finditer(text))
    entries: list[_RawEntry] = []
    errors: list[tuple[int, str, str]] = []
    line, counted_to = 1, 0
    for index, match in enumerate(starts):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        entry_type = match.group(1).lower()
        last = index + 1 == len(starts)
        limit = len(text) if last else starts[index + 1].start()
        opener = match.group(2)
        depth, end, field_opened = 1, -1, -1
        for brace in _BRACES[opener].finditer(text, match.end(), limit):
            if brace.group() in "{(":
                depth += 1
                field_opened = brace.start() if depth == 2 else field_opened
            else:
                depth -= 1
                if depth == 0:
                    end = brace.end()
                    break
        key_match = _KEY.match(text, match.end(), limit)
        key = key_match.group(1) if key_match and entry_type not in _NON_ENTRY_TYPES else ""
        if end < 0:
            errors.append((line, key, _unclosed(text, match, key, field_opened if depth > 1 else -1, last, limit)))
            continue
        if entry_type in _NON_ENTRY_TYPES:
            entries.append(_RawEntry(entry_type, "", text[match.start() : end], line))
            continue
        if not key:
            errors.append((line, "", f"entry '@{match.group(1)}' has no citation key"))
            continue
        entries.append(_RawEntry(entry_type, key, text[match.start() : end].strip(), line))
    return entries, errors


_NEXT_FIELD = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=[ \t]*[{\"0-9]")


def _open_field(text: str, begin: int, limit: int) -> int:
    """Where the value of a field opens whose brace a later field line shows was never closed, or -1."""
    depth, opened = 1, -1
    for position in range(begin, limit):
        char = text[position]
        if char == "{":
            depth += 1
            opened = position if depth == 2 else opened
        elif char == "}":
            depth -= 1
        elif char == "\n" and depth == 2 and _NEXT_FIELD.match(text, position):
            return opened
    return -1


def _unclosed(text: str, start: re.Match[str], key: str, field_opened: int, last: bool, limit: int) -> str:
    """Which brace is missing: the one of the field whose value is still open, else the entry's own."""
    if field_opened < 0 and start.group(2) == "{":
        field_opened = _open_field(text, start.end(), limit)
    where = "the end of the file" if last else f"the next entry (line {text.count(chr(10), 0, limit) + 1})"
    name = f"'{key}'" if key else f"'@{start.group(1)}'"
    if field_opened >= 0:
        field = re.search(r"(\w+)\s*=\s*$", text[start.end() : field_opened])
        what = f"the value of '{field.group(1)}'" if field else "a value"
        opened = text.count("\n", 0, field_opened) + 1
        return f"entry {name}: {what} opened at line {opened} is not closed before {where}: add its closing brace"
    body = text[start.end() : limit].rstrip()
    closing = text.count("\n", 0, start.end() + len(body)) + 1
    return f"entry {name} is not closed before {where}: add its closing brace after line {closing}"


def _to_entry(key: str, data: BibliographyData, raw: _RawEntry, path: str) -> BibEntry:
    entry = data.entries[key]
    fields = {name.lower(): latex_to_text(value) for name, value in entry.fields.items()}
    people = [person for person in entry.persons.get("author", []) if str(person) != "others"]
    truncated = len(people) < len(entry.persons.get("author", []))
    # A name that decodes to nothing (author = {,}) is no author: the entry then lacks one, and says so.
    authors = tuple(name for name in (person_name(person) for person in people) if name.strip())
    return BibEntry(key, raw.entry_type, fields, authors, truncated, raw.text, path, raw.line)


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
            decode_latex(value)
        except UnicodeDecodeError:
            failed.append(name)
    return failed


def _accept(result: Bibliography, data: BibliographyData, raw: _RawEntry, path: str) -> str:
    """Add a parsed entry (and its problems); return the text a clean copy of the file keeps for it."""
    unreadable = _not_latex(data.entries[raw.key])
    if unreadable:
        # pybtex formats these fields with latexcodec, which raises: the entry cannot be used at all.
        message = f"entry '{raw.key}': {', '.join(unreadable)} cannot be read as LaTeX (a stray backslash?)"
        result.problems.append(Problem(path, raw.line, "bib", message + "; the entry is left out", raw.key, True))
        return ""
    entry = _to_entry(raw.key, data, raw, path)
    result.entries[raw.key] = entry
    url_error = _bad_link(entry)
    if not url_error:
        _keep_parsed(raw.key, result.macros, raw.text, data.entries[raw.key])
        return raw.text
    entry.rejected["url"] = url_error
    # A javascript: (or other unsafe) url is shown nowhere: not on the page, not in a clean copy.
    del entry.fields["url"]
    del data.entries[raw.key].fields["url"]
    cleaned = BibliographyData(entries={raw.key: data.entries[raw.key]})
    return cast(str, cleaned.to_string("bibtex"))  # pybtex is untyped


def _decode(path: Path, encoding: str, result: Bibliography) -> str | None:
    """The file's text, or None (with the problem recorded) when it is missing or not in ``encoding``."""
    if not path.is_file():
        result.problems.append(Problem(str(path), 0, "bib", f"bibliography file not found: {path}", "", True))
        return None
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except LookupError:
        message = f"{encoding!r} is not an encoding Python knows: correct bibtex_encoding"
        result.problems.append(Problem(str(path), 0, "bib", message, "", True))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"cannot be read as {encoding} ({error.reason} at byte {error.start}): set bibtex_encoding"
        result.problems.append(Problem(str(path), line, "bib", message + " to the file's encoding", "", True))
    return None


def _parse(result: Bibliography, prelude: str, kept: list[tuple[str, _RawEntry]]) -> dict[str, list[str]]:
    """Parse the kept entries (with every file's macros); return per file the text of those accepted."""
    texts: dict[str, list[str]] = {}
    try:
        data = parse_string("\n\n".join([prelude, *(raw.text for _, raw in kept)]), "bibtex")
        parsed = kept
    except PybtexError:
        data, parsed = BibliographyData(), []
        for path, raw in kept:
            try:
                single = parse_string(prelude + "\n\n" + raw.text, "bibtex")
            except PybtexError as error:
                message = str(error).splitlines()[0] if str(error) else type(error).__name__
                result.problems.append(
                    Problem(path, raw.line, "bib", f"entry '{raw.key}' cannot be parsed: {message}", raw.key, True)
                )
                continue
            data.entries[raw.key] = single.entries[raw.key]
            parsed.append((path, raw))
    for path, raw in parsed:
        if raw.key in data.entries:
            texts.setdefault(path, []).append(_accept(result, data, raw, path))
    return texts


def _read(paths: tuple[Path, ...], encoding: str) -> Bibliography:
    """Read every file together: macros of any file serve all, a key is defined once across files."""
    result = Bibliography(files=[str(path) for path in paths], sources=[str(path) for path in paths])
    per_file: list[tuple[str, list[_RawEntry]]] = []
    for path in paths:
        text = _decode(path, encoding, result)
        if text is None:
            continue
        raw_entries, errors = _split_entries(text)
        result.problems.extend(Problem(str(path), line, "bib", text, key, True) for line, key, text in errors)
        per_file.append((str(path), raw_entries))
    macros = [raw.text for _, raws in per_file for raw in raws if raw.entry_type in _NON_ENTRY_TYPES]
    prelude = "\n".join(macros)
    kept: list[tuple[str, _RawEntry]] = []
    seen: dict[str, tuple[str, int]] = {}
    for file_name, raws in per_file:
        for raw in raws:
            if raw.entry_type in _NON_ENTRY_TYPES:
                continue
            folded = raw.key.lower()
            if folded in seen:
                first_path, first_line = seen[folded]
                where = f"line {first_line}" if first_path == file_name else f"{first_path}:{first_line}"
                message = f"duplicate key '{raw.key}' (first defined at {where}); the later entry is ignored"
                result.problems.append(Problem(file_name, raw.line, "bib", message, raw.key))
                continue
            seen[folded] = (file_name, raw.line)
            kept.append((file_name, raw))
    result.macros = "\n\n".join(macros)
    accepted = _parse(result, prelude, kept)
    for file_name, _ in per_file:
        result.texts[file_name] = [text for text in accepted.get(file_name, []) if text]
    return result


#: pybtex's parse of entries the last read of a file accepted as they are, by key: (macros, text, entry).
#: The citation line (while pages are read) and the citation files (when the build ends) format from
#: pybtex entries; in the build that read the files they take these instead of parsing the text
#: again (a tenth of a clean build at 1,000 papers). Every entry is kept until the build ends
#: (:func:`forget_parsed`), about 6 kB each (150 MB at 25,000 papers). A cache of 4,096 that
#: dropped its oldest entry did not work: both passes go through the papers in the file's order,
#: so once a collection outgrew it every look-up missed (5,000 papers each parsed twice more).
_parsed: dict[str, tuple[str, str, Entry]] = {}


def _keep_parsed(key: str, macros: str, raw: str, entry: Entry) -> None:
    _parsed[key] = (macros, raw, entry)


def forget_parsed() -> None:
    """Drop the pybtex entries kept for this build (a long-lived process does not hold them)."""
    _parsed.clear()


def parsed_entry(macros: str, raw: str, key: str) -> Entry | None:
    """The pybtex entry of one raw BibTeX entry (with the files' macros), or None if it does not parse.

    The entry this process parsed when it read the files, when the text and macros are the same;
    otherwise the text is parsed alone (a build whose bibliography came from the doctree cache).
    pybtex's parser class is used directly: ``parse_string(text, "bibtex")`` looks the parser up
    among the installed packages' entry points on every call.
    """
    found = _parsed.get(key)
    if found is not None and found[0] == macros and found[1] == raw:
        return found[2]
    try:
        entry: Entry | None = BibtexParser().parse_string(macros + "\n\n" + raw).entries.get(key)
    except PybtexError:
        return None
    if entry is not None:
        _keep_parsed(key, macros, raw, entry)
    return entry


_CacheKey = tuple[str, tuple[tuple[str, int, int], ...]]
_cache: dict[_CacheKey, Bibliography] = {}


def _cache_key(paths: tuple[Path, ...], encoding: str) -> _CacheKey:
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((str(path), -1, -1))
    return encoding, tuple(stamps)


#: Where the parse is kept between builds, next to Sphinx's own pickles.
_DISK_CACHE = "papernotes-bib.pickle"
#: A parse depends on this module's rules and the classes it fills: a cache written by other code is not reused.
_CODE_DIGEST = hashlib.sha1(
    Path(__file__).read_bytes() + Path(__file__).with_name("bibentry.py").read_bytes()
).hexdigest()


def _load_disk_cache(directory: Path, key: _CacheKey) -> Bibliography | None:
    try:
        with (directory / _DISK_CACHE).open("rb") as stream:
            digest, saved_key, saved = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        return None
    if digest == _CODE_DIGEST and saved_key == key and isinstance(saved, Bibliography):
        return saved
    return None


def _save_disk_cache(directory: Path, key: _CacheKey, bibliography: Bibliography) -> None:
    """Keep the parse for the next build (replaced whole, never half-written)."""
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{_DISK_CACHE}.partial"
    with partial.open("wb") as stream:
        pickle.dump((_CODE_DIGEST, key, bibliography), stream, pickle.HIGHEST_PROTOCOL)
    partial.replace(directory / _DISK_CACHE)


def read_bibliography(paths: list[Path], encoding: str = "utf-8-sig", cache_dir: Path | None = None) -> Bibliography:
    """The bibliography of these files, parsed once per change of any of them (memory, then disk)."""
    files = tuple(paths)
    key = _cache_key(files, encoding)
    found = _cache.get(key)
    if found is None and cache_dir is not None:
        found = _load_disk_cache(cache_dir, key)
    if found is None:
        found = _read(files, encoding)
        if cache_dir is not None:
            _save_disk_cache(cache_dir, key, found)
    if len(_cache) > 16:
        _cache.clear()
    _cache[key] = found
    return found


def write_clean_copy(paths: list[Path], target: Path, encoding: str = "utf-8-sig") -> Path:
    """Write the readable, safe entries of ``paths`` (macros included) to ``target``; return it.

    For a project whose sphinxcontrib-bibtex must not end the build on a contributor's syntax
    error: point ``bibtex_bibfiles`` at the copy and ``papernotes_bibfiles`` at the original, which
    papernotes reads and reports on at the real lines. The copy is rewritten only when its content
    changes, so sphinxcontrib-bibtex's cache stays valid, and its path never changes between builds.
    """
    text = read_bibliography(paths, encoding).clean_text()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target
