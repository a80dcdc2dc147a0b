"""Collection views: the ``{entry-table}`` directive and the placeholder every view is written through.

A view shows data from the whole site, so a page cannot render it while it is read: the directive
validates its options (reporting mistakes at the directive's line), records the view for the page
(:func:`papernotes.collection.note_view`) and leaves a :class:`view` placeholder. When the page is
written, every placeholder is replaced by the rendering of its kind, computed from the collection
of this build. What a table shows is first computed as plain data (memoised once per build and
used as the page's fingerprint for incremental builds), then turned into docutils nodes with links
relative to the page.

In the browser a filter box narrows the table's rows and the column headers sort it
(``papernotes-tables.js``); without JavaScript the box stays hidden and the table is a plain one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from papernotes.collection import Collection, collection_of, note_view, register_view_kind, sort_key
from papernotes.domain import ENTRY_TYPES, Entry
from papernotes.messages import warn
from papernotes.options import (
    LenientOptionSpec,
    OptionError,
    parse_tags,
    parse_year,
    report_unknown_options,
    split_list,
)

__all__ = ["Part", "TableData", "entry_table_data", "register_renderer", "render_table", "view"]

# placeholder and filter box nodes ------------------------------------------------------------


class view(nodes.General, nodes.Element):
    """Where a collection view goes; ``kind`` and ``spec`` say which, filled in when the page is written."""


class filter_box(nodes.General, nodes.Element):
    """The search box that narrows a table's rows; hidden until the script shows it."""


def visit_filter_box_html(self: HTML5Translator, node: filter_box) -> None:
    self.body.append(
        self.starttag(
            node,
            "input",
            "",
            empty=True,
            type="search",
            CLASS="pn-filter",
            placeholder=node["placeholder"],
            **{"aria-label": node["label"], "hidden": "hidden", "autocomplete": "off"},
        )
    )
    raise nodes.SkipNode


def skip_node(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Outside HTML a filter box (or a placeholder left unresolved) writes nothing."""
    raise nodes.SkipNode


#: view kind -> function (app, docname, spec) returning the nodes that replace the placeholder.
RENDERERS: dict[str, Callable[[Sphinx, str, dict[str, Any]], list[nodes.Node]]] = {}


def register_renderer(
    kind: str,
    render: Callable[[Sphinx, str, dict[str, Any]], list[nodes.Node]],
    fingerprint: Callable[[BuildEnvironment, dict[str, Any]], str],
) -> None:
    """Declare a kind of view: how to render it into a page and how to fingerprint what it shows."""
    RENDERERS[kind] = render
    register_view_kind(kind, fingerprint)


def make_view(env: BuildEnvironment, kind: str, spec: dict[str, Any], source: str, line: int) -> view:
    """A placeholder for a view, recorded for the page being read."""
    note_view(env, env.docname, kind, spec)
    node = view("", kind=kind, spec=spec)
    node.source, node.line = source, line
    return node


def fill_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every view placeholder of the page with its rendering for this build."""
    for placeholder in list(doctree.findall(view)):
        render = RENDERERS.get(placeholder["kind"])
        replacement = render(app, docname, placeholder["spec"]) if render else []
        if replacement:
            placeholder.replace_self(replacement)
        else:
            placeholder.parent.remove(placeholder)


def page_unique_id(app: Sphinx, docname: str, stem: str) -> str:
    """An id unique on the page being written (``stem-1``, ``stem-2`` …), the same in every build."""
    counters: dict[tuple[str, str], int] = app.builder.__dict__.setdefault("_papernotes_ids", {})
    number = counters.get((docname, stem), 0) + 1
    counters[docname, stem] = number
    return f"{stem}-{number}"


# what a cell shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One piece of a cell: text, a link to an entry, a tag chip, a family or an outside link."""

    kind: str  # "text", "entry", "tag", "family", "url"
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


def _link_label(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.") or url


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
    shown = ", ".join(authors[:limit]) + (" et al." if len(authors) > limit else "")
    return (Part("text", shown),)


def _related(objtype: str) -> Callable[[Collection, Entry, int], tuple[Part, ...]]:
    def cell(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
        return tuple(_entry_part(other) for other in collection.related[entry.key].get(objtype, []))

    return cell


def _url_cell(name: str) -> Callable[[Collection, Entry, int], tuple[Part, ...]]:
    def cell(collection: Collection, entry: Entry, limit: int) -> tuple[Part, ...]:
        url = str(entry.fields.get(name, "") or "")
        return (Part("url", _link_label(url), title=url),) if url else ()

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
    "type": ("Type", lambda collection, entry, limit: (Part("text", ENTRY_TYPES[entry.objtype]),)),
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


def values_of(collection: Collection, entry: Entry, name: str) -> list[str]:
    """The plain values of an entry's field (or relation, or column), for filtering and sorting."""
    simple: dict[str, Callable[[], list[str]]] = {
        "id": lambda: [entry.id],
        "name": lambda: [entry.name],
        "short": lambda: [entry.short],
        "type": lambda: [entry.objtype],
        "family": lambda: [entry.family] if entry.family else [],
        "year": lambda: [entry.year] if entry.year else [],
        "tags": lambda: list(entry.tags),
        "base": lambda: [base.id for base in collection.bases[entry.key]],
        "derived": lambda: [other.id for other in collection.derived[entry.key]],
    }
    if name in simple:
        return simple[name]()
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
        present.sort(key=lambda entry, field=name: _sort_value(collection, entry, field), reverse=descending)
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
        headers = tuple(
            COLUMNS[name][0] if name in COLUMNS else name.replace("_", " ").capitalize() for name in columns
        )
        cells = [COLUMNS[name][1] if name in COLUMNS else _field_cell(name) for name in columns]
        rows = tuple(
            (entry.objtype, tuple(cell(collection, entry, limit) for cell in cells))
            for entry in select(collection, spec)
        )
        return TableData(columns, headers, rows)

    return collection.memoized(("table", repr(sorted(spec.items()))), compute)


# rendering -------------------------------------------------------------------------------------


def relative_uri(app: Sphinx, docname: str, target: str, anchor: str = "") -> str | None:
    """A link from the page to a document (and anchor), or None where the builder has no such page."""
    try:
        uri = app.builder.get_relative_uri(docname, target)
    except NoUri:
        return None
    return uri + ("#" + anchor if anchor else "")


def part_node(app: Sphinx, docname: str, part: Part) -> nodes.Node:
    """One cell part as a node, with links relative to the page being written."""
    if part.kind == "url":
        return nodes.reference(part.text, part.text, refuri=part.title, classes=["pn-link"])
    if part.kind == "tag":
        uri = relative_uri(app, docname, "pn-tag", "cap-" + part.text)
        chip = nodes.inline(part.text, part.text, classes=["pn-tag"])
        if uri is None:
            return chip
        return nodes.reference("", "", chip, internal=True, refuri=uri, reftitle=f"Entries tagged {part.text}")
    if part.kind in ("entry", "family"):
        uri = relative_uri(app, docname, part.docname, part.anchor)
        if uri is not None:
            return nodes.reference(part.text, part.text, internal=True, refuri=uri, reftitle=part.title)
    return nodes.Text(part.text)


def render_table(app: Sphinx, docname: str, data: TableData, *, caption: str, filter_mode: str) -> list[nodes.Node]:
    """A table of entries (with its filter box), or a sentence saying that none match."""
    wrapper = nodes.container(classes=["pn-entry-table"])
    if not data.rows:
        wrapper += nodes.paragraph("", "No entries match this table's filters.", classes=["pn-empty"])
        return [wrapper]
    if filter_mode == "on" or (filter_mode == "auto" and len(data.rows) > 8):
        label = f"Filter {caption.lower()}" if caption else "Filter the table"
        wrapper += filter_box("", placeholder="Filter rows…", label=label)
    table = nodes.table(
        classes=["pn-table", "pn-sortable", "colwidths-auto"], ids=[page_unique_id(app, docname, "pn-table")]
    )
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(data.columns))
    table += group
    for index, header in enumerate(data.headers):
        # Plain-text builders lay the table out in these many characters; HTML sizes it itself.
        longest = max((sum(len(part.text) + 2 for part in cells[index]) for _, cells in data.rows), default=0)
        group += nodes.colspec(colwidth=max(len(header), min(longest, 40), 4))
    head_row = nodes.row()
    for column, header in zip(data.columns, data.headers, strict=True):
        head_row += nodes.entry("", nodes.paragraph(header, header), classes=[f"pn-col-{column}"])
    group += nodes.thead("", head_row)
    body = nodes.tbody()
    for objtype, cells in data.rows:
        row = nodes.row(classes=[f"pn-row-{objtype}"])
        for column, parts in zip(data.columns, cells, strict=True):
            paragraph = nodes.paragraph()
            for index, part in enumerate(parts):
                if index:
                    paragraph += nodes.Text(" " if part.kind == "tag" else ", ")
                paragraph += part_node(app, docname, part)
            row += nodes.entry("", paragraph, classes=[f"pn-col-{column}"])
        body += row
    group += body
    wrapper += table
    count = f"{len(data.rows)} {'entry' if len(data.rows) == 1 else 'entries'}"
    wrapper += nodes.paragraph(count, count, classes=["pn-table-count"])
    return [wrapper]


def _render_entry_table(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    data = entry_table_data(app.env, spec)
    return render_table(app, docname, data, caption=spec["caption"], filter_mode=spec["filter"])


def _fingerprint_entry_table(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    return entry_table_data(env, spec).fingerprint()


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


def _parse_years(value: str | None) -> list[tuple[str, str]]:
    ranges = []
    for item in split_list(value):
        low, _, high = item.partition("-")
        ranges.append((parse_year(low), parse_year(high) if high else parse_year(low)))
    return ranges


def _parse_where(value: str | None) -> list[tuple[str, str, str]]:
    conditions = []
    for item in re.split(r"[;\n]", value or ""):
        if not item.strip():
            continue
        match = re.match(r"^\s*([a-z][a-z0-9_-]*)\s*(!=|=|~)\s*(.+?)\s*$", item)
        if match is None:
            raise OptionError(f"{item.strip()!r} is not 'field=value', 'field!=value' or 'field~text'")
        conditions.append((match.group(1), match.group(2), match.group(3)))
    return conditions


def _parse_sort(value: str | None) -> list[tuple[str, bool]]:
    keys = []
    for item in split_list(value):
        name = item.lstrip("-+")
        if not FIELD_NAME.match(name):
            raise OptionError(f"{item!r} is not a column or field name (prefix '-' for descending)")
        keys.append((name, item.startswith("-")))
    return keys


class EntryTableDirective(SphinxDirective):
    """``{entry-table} [caption]``: a filterable, sortable table of entries chosen by its options."""

    has_content = False
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = LenientOptionSpec(
        {
            "types": directives.unchanged,
            "family": directives.unchanged,
            "tags": directives.unchanged,
            "year": directives.unchanged,
            "where": directives.unchanged,
            "columns": directives.unchanged,
            "sort": directives.unchanged,
            "filter": directives.unchanged,
        }
    )

    def _warn(self, subtype: str, message: str) -> None:
        warn(subtype, f"entry-table: {message}", (self.env.docname, self.lineno))

    def run(self) -> list[nodes.Node]:
        report_unknown_options("entry-table", self.options, self.option_spec, (self.env.docname, self.lineno))
        given: dict[str, Any] = {"caption": self.arguments[0].strip() if self.arguments else ""}
        types = split_list(self.options.get("types"))
        unknown = [name for name in types if name not in ENTRY_TYPES]
        if unknown:
            self._warn("value", f":types: {', '.join(unknown)} (known: {', '.join(ENTRY_TYPES)})")
        given["types"] = [name for name in ENTRY_TYPES if name in types]
        families = split_list(self.options.get("family"))
        configured = self.config.papernotes_families
        for family in families:
            if configured and family not in configured:
                self._warn("family", f":family: unknown family {family!r}")
        given["families"] = families
        parsers: dict[str, tuple[str, Callable[[str | None], Any]]] = {
            "tags": ("tags", parse_tags),
            "year": ("years", _parse_years),
            "where": ("where", _parse_where),
            "sort": ("sort", _parse_sort),
        }
        for option, (key, parser) in parsers.items():
            if option in self.options:
                try:
                    given[key] = parser(self.options[option])
                except OptionError as error:
                    self._warn(error.subtype, f":{option}: {error}")
        columns = split_list(self.options.get("columns"))
        bad = [name for name in columns if not FIELD_NAME.match(name)]
        if bad:
            self._warn("value", f":columns: {', '.join(bad)} are not column names")
        given["columns"] = [name for name in columns if FIELD_NAME.match(name)]
        given["filter"] = (self.options.get("filter") or "on").strip()
        if given["filter"] not in ("on", "off", "auto"):
            self._warn("value", f":filter: {given['filter']!r} is not one of on, off, auto")
            given["filter"] = "on"
        spec = table_spec(**given)
        return [make_view(self.env, "entry-table", spec, self.get_source_info()[0], self.lineno)]


def setup(app: Sphinx) -> None:
    """Register the table directive, the placeholder and filter nodes, and the write-time filling."""
    others = ("latex", "text", "man", "texinfo")
    app.add_node(view, html=(skip_node, None), **{name: (skip_node, None) for name in others})
    app.add_node(filter_box, html=(visit_filter_box_html, None), **{name: (skip_node, None) for name in others})
    app.add_directive("entry-table", EntryTableDirective)
    register_renderer("entry-table", _render_entry_table, _fingerprint_entry_table)
    app.connect("doctree-resolved", fill_views)
    app.add_js_file("papernotes-tables.js", loading_method="defer")
    app.add_css_file("papernotes-views.css")
