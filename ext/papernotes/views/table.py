"""The ``{entry-table}`` directive: a filterable, sortable table of entries chosen by its options.

The directive checks its options and leaves a placeholder; when a page is written the table's
data (:mod:`.table_data`) becomes a docutils table with links relative to that page: a paper's
authors under its title, tag chips linking to their tag pages, the row count above the table
(announced to screen readers as it changes) and the table inside a labelled region that scrolls
sideways on a narrow screen, so the page itself never does. In the browser a filter box narrows
the rows and the column headers become sort buttons that state the order
(``papernotes-tables.js``); without JavaScript the box stays hidden and the table is a plain one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.writers.html5 import HTML5Translator

from papernotes.entrytypes import ENTRY_TYPES
from papernotes.listings import tag_uri
from papernotes.options import LenientOptionSpec, OptionError, parse_tags, split_list
from papernotes.views.base import ViewDirective, page_unique_id, register_view, relative_uri, skip_node
from papernotes.views.table_data import (
    FIELD_NAME,
    Part,
    TableData,
    entry_table_data,
    parse_sort,
    parse_where,
    parse_years,
    table_spec,
)

__all__ = ["EntryTableDirective", "render_table"]


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


class table_count(nodes.paragraph):
    """How many rows the table shows; the script updates it as the filter narrows them (announced politely)."""


def visit_table_count_html(self: HTML5Translator, node: table_count) -> None:
    self.body.append(self.starttag(node, "p", "", empty=False, **{"aria-live": "polite", "aria-atomic": "true"}))


def depart_table_count_html(self: HTML5Translator, node: table_count) -> None:
    self.body.append("</p>\n")


class scroll_region(nodes.container):
    """What scrolls sideways when the table is wider than the page: a labelled region keyboards can reach."""


def visit_scroll_region_html(self: HTML5Translator, node: scroll_region) -> None:
    self.body.append(
        self.starttag(node, "div", "", empty=False, role="region", tabindex="0", **{"aria-label": node["label"]})
    )


def depart_scroll_region_html(self: HTML5Translator, node: scroll_region) -> None:
    self.body.append("</div>\n")


def part_node(app: Sphinx, docname: str, part: Part) -> nodes.Node:
    """One cell part as a node, with links relative to the page being written."""
    if part.kind == "url":
        return nodes.reference(part.text, part.text, refuri=part.title, classes=["pn-link"])
    if part.kind == "tag":
        chip = nodes.inline(part.text, part.text, classes=["pn-tag"])
        try:
            tag_link = tag_uri(app.builder, docname, part.text)
        except NoUri:  # no tag pages in this output: the chip alone
            return chip
        return nodes.reference("", "", chip, internal=True, refuri=tag_link, reftitle=f"Entries tagged {part.text}")
    if part.kind in ("entry", "family"):
        uri = relative_uri(app, docname, part.docname, part.anchor)
        if uri is not None:
            # A one-word name ("BELLE-7B-2M") never breaks at its hyphens; longer ones wrap between words.
            classes = ["pn-nowrap"] if " " not in part.text else []
            return nodes.reference(
                part.text, part.text, internal=True, refuri=uri, reftitle=part.title, classes=classes
            )
    return nodes.Text(part.text)


def _cell(app: Sphinx, docname: str, column: str, parts: tuple[Part, ...]) -> nodes.entry:
    """A cell: its parts on one line, and a byline (the authors under a title) as a smaller second line."""
    main = [part for part in parts if part.kind != "byline"]
    beneath = [part for part in parts if part.kind == "byline"]
    paragraph = nodes.paragraph(classes=["pn-cell-main"] if beneath else [])
    for index, part in enumerate(main):
        if index:
            paragraph += nodes.Text(" " if part.kind == "tag" else ", ")
        paragraph += part_node(app, docname, part)
    cell = nodes.entry("", paragraph, classes=[f"pn-col-{column}"])
    for part in beneath:
        cell += nodes.paragraph(part.text, part.text, classes=["pn-byline"])
    return cell


def _column_width(data: TableData, index: int, header: str) -> int:
    """How many characters plain-text builders give a column; HTML sizes it itself."""
    longest = 0
    for _, cells in data.rows:
        lines = [sum(len(part.text) + 2 for part in cells[index] if part.kind != "byline")]
        lines += [len(part.text) for part in cells[index] if part.kind == "byline"]
        longest = max(longest, *lines)
    return max(len(header), min(longest, 40), 4)


def render_table(app: Sphinx, docname: str, data: TableData, *, caption: str, filter_mode: str) -> list[nodes.Node]:
    """A table of entries with its tools (filter box, row count) above it, or a sentence saying that none match."""
    wrapper = nodes.container(classes=["pn-entry-table"])
    if not data.rows:
        wrapper += nodes.paragraph("", "No entries match this table's filters.", classes=["pn-empty"])
        return [wrapper]
    tools = nodes.container(classes=["pn-table-tools"])
    if filter_mode == "on" or (filter_mode == "auto" and len(data.rows) > 8):
        label = f"Filter {caption.lower()}" if caption else "Filter the table"
        tools += filter_box("", placeholder="Filter rows…", label=label)
    count = f"{len(data.rows)} {'entry' if len(data.rows) == 1 else 'entries'}"
    tools += table_count(count, count, classes=["pn-table-count"])
    wrapper += tools
    classes = ["pn-table", "pn-sortable", "colwidths-auto"]
    if any(part.kind == "byline" for _, cells in data.rows for parts in cells for part in parts):
        classes.append("pn-table-titled")  # one-line titles: the columns get fixed shares (see the CSS)
    table = nodes.table(classes=classes, ids=[page_unique_id(app, docname, "pn-table")])
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(data.columns))
    table += group
    for index, header in enumerate(data.headers):
        group += nodes.colspec(colwidth=_column_width(data, index, header))
    head_row = nodes.row()
    for column, header in zip(data.columns, data.headers, strict=True):
        classes = [f"pn-col-{column}"]
        if data.sorted_by is not None and data.sorted_by[0] == column:
            # the order the rows are written in; the script states it as the column's aria-sort
            classes.append("pn-sorted-descending" if data.sorted_by[1] else "pn-sorted-ascending")
        head_row += nodes.entry("", nodes.paragraph(header, header), classes=classes)
    group += nodes.thead("", head_row)
    body = nodes.tbody()
    for objtype, cells in data.rows:
        row = nodes.row(classes=[f"pn-row-{objtype}"])
        for column, parts in zip(data.columns, cells, strict=True):
            row += _cell(app, docname, column, parts)
        body += row
    group += body
    region = scroll_region("", table, classes=["pn-table-scroll"], label=f"{caption or 'Entries'} (table)")
    wrapper += region
    return [wrapper]


def _render_entry_table(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    data = entry_table_data(app.env, spec)
    return render_table(app, docname, data, caption=spec["caption"], filter_mode=spec["filter"])


def _fingerprint_entry_table(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    return entry_table_data(env, spec).fingerprint()


class EntryTableDirective(ViewDirective):
    """``{entry-table} [caption]``: a filterable, sortable table of entries chosen by its options."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = LenientOptionSpec(
        dict.fromkeys(("types", "family", "tags", "year", "where", "columns", "sort", "filter"), directives.unchanged)
    )

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        given: dict[str, Any] = {"caption": self.arguments[0].strip() if self.arguments else ""}
        types = split_list(self.options.get("types"))
        unknown = [name for name in types if name not in ENTRY_TYPES]
        if unknown:
            self.warn("value", f":types: {', '.join(unknown)} (known: {', '.join(ENTRY_TYPES)})")
        given["types"] = [name for name in ENTRY_TYPES if name in types]
        families = split_list(self.options.get("family"))
        for family in families:
            self.check_family(family, ":family:")
        given["families"] = families
        parsers: dict[str, tuple[str, Callable[[str | None], Any]]] = {
            "tags": ("tags", parse_tags),
            "year": ("years", parse_years),
            "where": ("where", parse_where),
            "sort": ("sort", parse_sort),
        }
        for option, (key, parser) in parsers.items():
            if option in self.options:
                try:
                    given[key] = parser(self.options[option])
                except OptionError as error:
                    self.warn(error.subtype, f":{option}: {error}")
        columns = split_list(self.options.get("columns"))
        bad = [name for name in columns if not FIELD_NAME.match(name)]
        if bad:
            self.warn("value", f":columns: {', '.join(bad)} are not column names")
        given["columns"] = [name for name in columns if FIELD_NAME.match(name)]
        given["filter"] = (self.options.get("filter") or "on").strip()
        if given["filter"] not in ("on", "off", "auto"):
            self.warn("value", f":filter: {given['filter']!r} is not one of on, off, auto")
            given["filter"] = "on"
        return [self.view("entry-table", table_spec(**given))]


def setup(app: Sphinx) -> None:
    """Register the table directive, its filter box and the table view."""
    skip = (skip_node, None)  # builders named one by one: mypy checks a **dict against override: bool
    app.add_node(filter_box, html=(visit_filter_box_html, None), latex=skip, text=skip, man=skip, texinfo=skip)
    # Other builders write these as the paragraph and container they are.
    app.add_node(table_count, html=(visit_table_count_html, depart_table_count_html))
    app.add_node(scroll_region, html=(visit_scroll_region_html, depart_scroll_region_html))
    app.add_directive("entry-table", EntryTableDirective)
    register_view("entry-table", _render_entry_table, _fingerprint_entry_table)
    app.add_js_file("papernotes-tables.js", loading_method="defer")
    app.add_css_file("papernotes-views.css")
