"""``{method-matrix}``: which repository implements which alignment or tuning method, from the entries.

Each repository (and paper) names its methods in ``:methods:`` (:mod:`papernotes.methods`); this
view gathers them into a methods × repositories table, every ticked cell a link to the entry whose
notes say so. Its data depends on the whole collection, so it is a registered view
(:mod:`.base`): the directive leaves a placeholder, the table is written when the page is, and
its fingerprint (the rows, columns and where each column's entry lives) makes an incremental build
rewrite the pages that show it whenever a repository's methods, name or place change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.collection import collection_of
from papernotes.methods import METHODS, parse_methods
from papernotes.options import LenientOptionSpec, OptionError, split_list
from papernotes.views.base import ViewDirective, page_unique_id, register_view, relative_uri
from papernotes.views.table import scroll_region

__all__ = ["MatrixData", "MethodMatrixDirective", "matrix_data"]


@dataclass(frozen=True)
class Column:
    """One entry that declares methods: its name and where it lives."""

    id: str
    name: str
    docname: str
    anchor: str
    methods: frozenset[str]


@dataclass(frozen=True)
class MatrixData:
    """The table as plain data: the methods (rows) and the entries (columns)."""

    methods: tuple[str, ...]
    columns: tuple[Column, ...]


def matrix_data(env: BuildEnvironment, spec: dict[str, Any]) -> MatrixData:
    """The rows and columns of one matrix, computed once per build for every page showing it."""
    collection = collection_of(env)

    def compute() -> MatrixData:
        columns = [
            Column(entry.id, entry.short or entry.name, entry.docname, entry.anchor, frozenset(entry.fields["methods"]))
            for objtype in spec["types"]
            for entry in collection.by_type.get(objtype, [])
            if entry.fields.get("methods") and (not spec["family"] or entry.family == spec["family"])
        ]
        columns.sort(key=lambda column: (column.name.lower(), column.id))
        wanted = spec["methods"] or list(METHODS)
        used = {method for column in columns for method in column.methods}
        return MatrixData(tuple(method for method in wanted if method in used), tuple(columns))

    return collection.memoized(("matrix", repr(sorted(spec.items()))), compute)


def _header(text: str, content: list[nodes.Node] | None = None) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *(content or [nodes.Text(text)])))


def render_matrix(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The methods × entries table, with links relative to the page being written."""
    data = matrix_data(app.env, spec)
    wrapper = nodes.container(classes=["pn-matrix"])
    if not data.methods:
        wrapper += nodes.paragraph("", "No repository here names its methods yet.", classes=["pn-empty"])
        return [wrapper]
    caption = spec["caption"] or "Methods by repository"
    table = nodes.table(classes=["pn-table", "pn-matrix-table", "colwidths-auto"])
    table["ids"] = [page_unique_id(app, docname, "pn-matrix")]
    table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(data.columns) + 1)
    table += group
    group += nodes.colspec(colwidth=14, stub=1)
    for column in data.columns:
        group += nodes.colspec(colwidth=max(len(column.name), 4))
    head = nodes.row("", _header("Method"))
    for column in data.columns:
        uri = relative_uri(app, docname, column.docname, column.anchor)
        name = nodes.reference(column.name, column.name, internal=True, refuri=uri) if uri else nodes.Text(column.name)
        head += _header(column.name, [name])
    group += nodes.thead("", head)
    body = nodes.tbody()
    for method_id in data.methods:
        method = METHODS[method_id]
        row = nodes.row(
            "", _header(method.label, [nodes.abbreviation(method.label, method.label, explanation=method.name)])
        )
        for column in data.columns:
            cell = nodes.entry()
            if method_id in column.methods:
                uri = relative_uri(app, docname, column.docname, column.anchor)
                said = f"{column.name}'s entry says it implements {method.label}"
                mark: nodes.Node = (
                    nodes.reference("yes", "yes", internal=True, refuri=uri, reftitle=said)
                    if uri
                    else nodes.Text("yes")
                )
                cell += nodes.paragraph("", "", mark)
            row += cell
        body += row
    group += body
    wrapper += scroll_region("", table, classes=["pn-table-scroll"], label=f"{caption} (table)")
    return [wrapper]


def fingerprint_matrix(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the matrix shows: its rows and columns, and where each column's entry lives."""
    return hashlib.sha1(repr(matrix_data(env, spec)).encode("utf-8")).hexdigest()


class MethodMatrixDirective(ViewDirective):
    """``{method-matrix} [caption]``: methods × repositories (``:types: repo, paper``; ``:family:``; ``:methods:``)."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = LenientOptionSpec({name: lambda value: value or "" for name in ("family", "methods", "types")})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        family = str(self.options.get("family", "")).strip()
        self.check_family(family, ":family:")
        try:
            methods = parse_methods(self.options.get("methods"))
        except OptionError as error:
            self.warn(error.subtype, f":methods: {error}")
            methods = []
        types = [name for name in split_list(self.options.get("types")) if name in ("repo", "paper")]
        if len(types) != len(split_list(self.options.get("types"))):
            self.warn("value", ":types: takes repo and/or paper")
        spec = {
            "caption": self.arguments[0].strip() if self.arguments else "",
            "family": family,
            "methods": tuple(methods),
            "types": tuple(types or ["repo"]),
        }
        return [self.view("matrix", spec)]


def setup(app: Sphinx) -> None:
    """Register the directive and the matrix view."""
    app.add_directive("method-matrix", MethodMatrixDirective)
    register_view("matrix", render_matrix, fingerprint_matrix)
