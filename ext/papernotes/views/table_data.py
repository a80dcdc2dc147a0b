"""What a table of entries shows, as plain data: which entries, which columns, what each cell holds.

Computed once per build for each distinct table (memoised on the collection) and used both to
render the table into every page that shows it and as that page's fingerprint for incremental
builds; rendering it into nodes, with links relative to each page, is :mod:`.table`'s job.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sphinx.environment import BuildEnvironment

from papernotes.collection import Collection, collection_of, sort_key
from papernotes.display import author_line, host_label
from papernotes.domain import Entry
from papernotes.entrytypes import ENTRY_TYPES, label
from papernotes.options import OptionError, parse_year, split_list

__all__ = ["DEFAULT_COLUMNS", "Part", "TableData", "entry_table_data", "table_spec"]

# what a cell shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One piece of a cell: text, a link to an entry, a tag chip, a family or an outside link."""

    kind: str  # "text", "entry", "tag", "family", "url", "byline" (a smaller line under the cell's text)
    text: str
    docname: str = ""
    anchor: str = ""
    title: str = ""


@dataclass(frozen=True)
class TableData:
    """A table as plain data: its headers and, per row, the parts of each cell and the entry's type."""

    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[tuple[Part, ...], ...]], ...]
    #: the column the rows are sorted by as generated, and whether descending (None: not a shown column)
    sorted_by: tuple[str, bool] | None = None

    def fingerprint(self) -> str:
        return hashlib.sha1(repr(self).encode("utf-8")).hexdigest()


def _entry_part(entry: Entry, text: str | None = None) -> Part:
    return Part("entry", text if text is not None else entry.short, entry.docname, entry.anchor, entry.name)


def _family_part(collection: Collection, entry: Entry) -> tuple[Part, ...]:
    if not entry.family:
        return ()
    family = collection.family(entry.family)
    if family.page is None:
        return (Part("text", family.label),)
    return (Part("family", family.label, family.page, "", family.title),)


def _texts(values: Any) -> tuple[Part, ...]:
    if isinstance(values, list | tuple):
        text = ", ".join(str(value) for value in values if str(value))
    else:
        text = str(values or "")
    return (Part("text", text),) if text else ()


def _authors(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
    authors = list(entry.fields.get("authors", []))
    if not authors:
        return ()
    return (Part("text", author_line(authors, bool(entry.fields.get("authors_truncated")), limit).shown),)


def _related(objtype: str) -> Callable[[Collection, Entry, int], tuple[Part, ...]]:
    def cell(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
        return tuple(_entry_part(other) for other in collection.related[entry.key].get(objtype, []))

    return cell


def _url_cell(name: str) -> Callable[[Collection, Entry, int], tuple[Part, ...]]:
    def cell(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
        url = str(entry.fields.get(name, "") or "")
        return (Part("url", host_label(url), title=url),) if url else ()

    return cell


def _field_cell(name: str) -> Callable[[Collection, Entry, int], tuple[Part, ...]]:
    def cell(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
        return _texts(entry.fields.get(name, ""))

    return cell


CellFunction = Callable[[Collection, Entry, int], tuple[Part, ...]]

#: Column name -> (header, cell). Any other name shows the entry field of that name as text.
COLUMNS: dict[str, tuple[str, CellFunction]] = {
    "name": ("Name", lambda collection, entry, limit: (_entry_part(entry, entry.name),)),
    "short": ("Name", lambda collection, entry, limit: (_entry_part(entry),)),
    "id": ("Id", lambda collection, entry, limit: (Part("text", entry.id),)),
    "type": ("Type", lambda collection, entry, limit: (Part("text", label(entry.objtype)),)),
    "family": ("Family", lambda collection, entry, limit: _family_part(collection, entry)),
    "year": ("Year", lambda collection, entry, limit: _texts(entry.year)),
    "tags": ("Tags", lambda collection, entry, limit: tuple(Part("tag", tag) for tag in entry.tags)),
    "authors": ("Authors", _authors),
    "venue": ("Venue", _field_cell("venue")),
    "params": ("Parameters", _field_cell("params")),
    "license": ("Licence", _field_cell("license")),
    "size": ("Size", _field_cell("size")),
    "languages": ("Languages", _field_cell("languages")),
    "arxiv": ("arXiv", _field_cell("arxiv")),
    "url": ("Link", _url_cell("url")),
    "code": ("Code", _url_cell("code")),
    "papers": ("Papers", _related("paper")),
    "models": ("Models", _related("model")),
    "repos": ("Repositories", _related("repo")),
    "datasets": ("Datasets", _related("dataset")),
    "base": (
        "Based on",
        lambda collection, entry, limit: tuple(_entry_part(base) for base in collection.bases[entry.key]),
    ),
    "derived": (
        "Derived models",
        lambda collection, entry, limit: tuple(_entry_part(other) for other in collection.derived[entry.key]),
    ),
}

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "paper": ("name", "year", "family", "tags", "models"),
    "model": ("short", "params", "base", "family", "license", "papers"),
    "repo": ("short", "family", "models", "papers", "tags"),
    "dataset": ("short", "size", "languages", "license", "family"),
}
MIXED_COLUMNS = ("name", "type", "family", "year", "tags")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


#: The values of the columns that are not fields, by column (made once: tables ask for them per row).
_SIMPLE_VALUES: dict[str, Callable[[Collection, Entry], list[str]]] = {
    "id": lambda collection, entry: [entry.id],
    "name": lambda collection, entry: [entry.name],
    "short": lambda collection, entry: [entry.short],
    "type": lambda collection, entry: [entry.objtype],
    "family": lambda collection, entry: [entry.family] if entry.family else [],
    "year": lambda collection, entry: [entry.year] if entry.year else [],
    "tags": lambda collection, entry: list(entry.tags),
    "base": lambda collection, entry: [base.id for base in collection.bases[entry.key]],
    "derived": lambda collection, entry: [other.id for other in collection.derived[entry.key]],
}


def values_of(collection: Collection, entry: Entry, name: str) -> list[str]:
    """The plain values of an entry's field (or relation, or column), for filtering and sorting."""
    simple = _SIMPLE_VALUES.get(name)
    if simple is not None:
        return simple(collection, entry)
    plural = {"papers": "paper", "models": "model", "repos": "repo", "datasets": "dataset"}
    if name in plural:
        return [other.id for other in collection.related[entry.key].get(plural[name], [])]
    if name in entry.relations:
        return list(entry.relations[name])
    value = entry.fields.get(name, "")
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)] if value else []


def _meets(collection: Collection, entry: Entry, condition: tuple[str, str, str]) -> bool:
    name, operator, expected = condition
    values = [value.lower() for value in values_of(collection, entry, name)]
    wanted = expected.lower()
    if operator == "=":
        return wanted in values
    if operator == "!=":
        return wanted not in values
    return any(wanted in value for value in values)


def _matches(collection: Collection, entry: Entry, spec: dict[str, Any]) -> bool:
    checks = (
        not spec["types"] or entry.objtype in spec["types"],
        not spec["families"] or entry.family in spec["families"],
        not spec["tags"] or bool(set(spec["tags"]) & set(entry.tags)),
        not spec["years"] or any(low <= (entry.year or "0000") <= high for low, high in spec["years"]),
    )
    return all(checks) and all(_meets(collection, entry, condition) for condition in spec["where"])


def _sort_value(collection: Collection, entry: Entry, name: str) -> tuple[int, Any]:
    values = values_of(collection, entry, name)
    if not values:
        return (1, "")
    first = values[0].lower()
    return (0, (0, int(first), "") if first.isdigit() else (1, 0, first))


def select(collection: Collection, spec: dict[str, Any]) -> list[Entry]:
    """The entries a view names, sorted as it asks; starts from the smallest group it can."""
    if spec["families"]:
        pool = [entry for family in spec["families"] for entry in collection.by_family.get(family, [])]
        pool.sort(key=sort_key)
    elif spec["types"]:
        pool = [entry for objtype in ENTRY_TYPES if objtype in spec["types"] for entry in collection.by_type[objtype]]
    else:
        pool = list(collection.entries)
    chosen = [entry for entry in pool if _matches(collection, entry, spec)]
    for name, descending in reversed(spec["sort"]):
        present = [entry for entry in chosen if values_of(collection, entry, name)]
        absent = [entry for entry in chosen if not values_of(collection, entry, name)]
        present.sort(key=partial(_sort_value, collection, name=name), reverse=descending)
        chosen = present + absent
    return chosen


def columns_for(spec: dict[str, Any]) -> tuple[str, ...]:
    """The columns asked for, or the defaults of the entry type shown."""
    if spec["columns"]:
        return tuple(spec["columns"])
    if len(spec["types"]) == 1:
        return DEFAULT_COLUMNS[spec["types"][0]]
    return MIXED_COLUMNS


def entry_table_data(env: BuildEnvironment, spec: dict[str, Any]) -> TableData:
    """What a table shows, as plain data; computed once per build for each distinct table."""
    collection = collection_of(env)

    def compute() -> TableData:
        columns = columns_for(spec)
        limit = max(1, int(env.config.papernotes_max_authors))
        # The authors go under the name, in its cell, as a smaller line: one column less to scan.
        beneath = "authors" in columns and any(name in columns for name in ("name", "short"))
        if beneath:
            columns = tuple(name for name in columns if name != "authors")
        headers = tuple(
            COLUMNS[name][0] if name in COLUMNS else name.replace("_", " ").capitalize() for name in columns
        )
        cells = [COLUMNS[name][1] if name in COLUMNS else _field_cell(name) for name in columns]
        named = next(index for index, name in enumerate(columns) if name in ("name", "short")) if beneath else -1

        def row(entry: Entry) -> tuple[tuple[Part, ...], ...]:
            values = [cell(collection, entry, limit) for cell in cells]
            if beneath:
                values[named] += tuple(Part("byline", part.text) for part in _authors(collection, entry, limit))
            return tuple(values)

        rows = tuple((entry.objtype, row(entry)) for entry in select(collection, spec))
        first = spec["sort"][0] if spec["sort"] else None
        sorted_by = first if first is not None and first[0] in columns else None
        return TableData(columns, headers, rows, sorted_by)

    return collection.memoized(("table", repr(sorted(spec.items()))), compute)


# the directive -------------------------------------------------------------------------------


def table_spec(**given: Any) -> dict[str, Any]:
    """A complete table spec: every key present, so equal tables share one memo entry."""
    spec: dict[str, Any] = {
        "types": [],
        "families": [],
        "tags": [],
        "years": [],
        "where": [],
        "columns": [],
        "sort": [],
        "filter": "on",
        "caption": "",
    }
    spec.update(given)
    if not spec["sort"]:
        spec["sort"] = [("year", True), ("name", False)] if spec["types"] == ["paper"] else [("name", False)]
    return spec


def parse_years(value: str | None) -> list[tuple[str, str]]:
    ranges = []
    for item in split_list(value):
        low, _, high = item.partition("-")
        ranges.append((parse_year(low), parse_year(high) if high else parse_year(low)))
    return ranges


def parse_where(value: str | None) -> list[tuple[str, str, str]]:
    conditions = []
    for item in re.split(r"[;\n]", value or ""):
        if not item.strip():
            continue
        match = re.match(r"^\s*([a-z][a-z0-9_-]*)\s*(!=|=|~)\s*(.+?)\s*$", item)
        if match is None:
            raise OptionError(f"{item.strip()!r} is not 'field=value', 'field!=value' or 'field~text'")
        conditions.append((match.group(1), match.group(2), match.group(3)))
    return conditions


def parse_sort(value: str | None) -> list[tuple[str, bool]]:
    keys = []
    for item in split_list(value):
        name = item.lstrip("-+")
        if not FIELD_NAME.match(name):
            raise OptionError(f"{item!r} is not a column or field name (prefix '-' for descending)")
        keys.append((name, item.startswith("-")))
    return keys
