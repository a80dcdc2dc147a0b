"""The bibliography conventions the contributor guide calls mandatory, checked on the entry as written.

pybtex reads "Given Surname" and "Surname, Given" alike, and ``and others`` silently; a pasted
publisher BibTeX block therefore built without a word while breaking the guide. These checks look
at the raw text of an entry (the build reports each problem as ``papernotes.convention`` at the
entry's line, and ``nox -s verify --offline`` lists them for the whole file): names in
``Surname, Given`` order, every author listed, an arXiv paper with its ``eprint``, and https links.
Each message says the fix. :func:`name_spellings` finds one person spelled two ways in two entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from papernotes.bibentry import BibEntry, latex_to_text
from papernotes.options import find_markup

__all__ = ["convention_problems", "fold_name", "name_spellings", "raw_field", "split_names", "surname_first"]

_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "ter", "dos"})
_ARXIV_IN_TEXT = re.compile(r"arxiv", re.IGNORECASE)
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arXiv:\s*)(\d{4}\.\d{4,5})", re.IGNORECASE)


def raw_field(raw: str, name: str) -> str | None:
    """The value of field ``name`` as written in the entry (outer braces or quotes removed), or None."""
    match = re.search(rf"(?:^|[,\s]){re.escape(name)}\s*=\s*", raw, re.IGNORECASE)
    if not match:
        return None
    position = match.end()
    if position >= len(raw):
        return ""
    opener = raw[position]
    if opener not in '{"':
        end = re.match(r"[^,}\n]*", raw[position:])
        return end.group(0).strip() if end else ""
    depth, index = 0, position
    for index in range(position, len(raw)):
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and opener == '"' and depth == 0 and index > position:
            break
        if opener == "{" and depth == 0:
            break
    return raw[position + 1 : index]


def split_names(value: str) -> list[str]:
    """The names of an author field, split at ``and`` outside braces."""
    names, depth, start = [], 0, 0
    tokens = re.finditer(r"[{}]|\s+and\s+", value)
    for token in tokens:
        text = token.group(0)
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : token.start()])
            start = token.end()
    names.append(value[start:])
    return [" ".join(name.split()) for name in names if name.strip()]


def surname_first(name: str) -> str:
    """A "Given Surname" name as ``Surname, Given`` ("Teven Le Scao" as ``Le Scao, Teven``)."""
    words = name.split()
    if len(words) < 2:
        return name
    cut = len(words) - 1
    while cut > 1 and (words[cut - 1].lower() in _PARTICLES or words[cut - 1][:1].islower()):
        cut -= 1
    return f"{' '.join(words[cut:])}, {' '.join(words[:cut])}"


def _given_first(names: Iterable[str]) -> list[str]:
    """Names written "Given Surname": no comma, more than one word, not one braced (corporate) name."""
    found = []
    for name in names:
        braced = name.startswith("{") and name.endswith("}")
        markup = find_markup(name)  # reported as papernotes.markup, not as a name
        if "," not in name and len(name.split()) > 1 and not braced and name != "others" and not markup:
            found.append(name)
    return found


def convention_problems(entry: BibEntry) -> list[str]:
    """What in this entry breaks the guide's conventions, one message (saying the fix) per kind."""
    problems: list[str] = []
    author = raw_field(entry.raw, "author") or ""
    names = split_names(author)
    wrong = _given_first(names)
    if wrong:
        shown = ", ".join(f"'{name}' as '{surname_first(name)}'" for name in wrong[:2])
        more = f" (and {len(wrong) - 2} more)" if len(wrong) > 2 else ""
        problems.append(f"author names must be 'Surname, Given': write {shown}{more}")
    if names and names[-1] == "others":
        problems.append("author list ends in 'and others': list every author (the page folds the rest away)")
    if "eprint" not in entry.fields:
        texts = [entry.fields.get(name, "") for name in ("journal", "note", "howpublished", "url", "publisher")]
        if any(_ARXIV_IN_TEXT.search(text) for text in texts):
            found = next((match.group(1) for text in texts if (match := _ARXIV_ID.search(text))), "<the arXiv id>")
            problems.append(f"an arXiv paper without eprint: add eprint = {{{found}}} and archiveprefix = {{arXiv}}")
    insecure = [name for name in re.findall(r"(\w+)\s*=\s*[{\"]\s*http://", entry.raw)]
    if insecure:
        problems.append(f"{', '.join(insecure)} uses http://: write the https:// address (check that it opens)")
    return problems


def fold_name(name: str) -> str:
    """A name reduced to compare spellings: decoded, accents and case dropped, given names sorted."""
    text = latex_to_text(name)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)).lower()
    surname, _, given = text.partition(",") if "," in text else (text.rpartition(" ")[2], "", text.rpartition(" ")[0])
    return " ".join(surname.split()) + "|" + " ".join(sorted(given.replace(".", " ").split()))


def name_spellings(entries: Iterable[BibEntry]) -> list[tuple[str, list[tuple[str, str]]]]:
    """People spelled differently in different entries: (folded name, [(key, spelling), …])."""
    seen: dict[str, dict[str, str]] = {}
    for entry in entries:
        for name in split_names(raw_field(entry.raw, "author") or ""):
            if name == "others" or (name.startswith("{") and name.endswith("}")):
                continue
            seen.setdefault(fold_name(name), {}).setdefault(name, entry.key)
    return [
        (folded, sorted((key, spelling) for spelling, key in spellings.items()))
        for folded, spellings in sorted(seen.items())
        if len(spellings) > 1
    ]
