"""Family overviews: a family page lists its family's models, repositories, datasets and papers by itself.

Entries of one family may be described on several pages, so nobody should have to list them by
hand. Every page whose front matter names a family (``family: llama``) gets an "At a glance"
section before its first subsection. On the family's own page (the first page that names it) it
holds the family's numbers, its lineage graph and, behind a disclosure so the notes come first,
one table per entry type, computed from the whole collection when the page is written. Any other
page of the family gets one line pointing there: a family spread over many pages is listed once,
not once per page, which keeps the site's size linear in the collection.
``papernotes_family_overview = False`` turns this off; ``{family-overview}`` places the full
overview explicitly (on any page, with ``:family:``) and stops the automatic one on that page.
"""

from __future__ import annotations

import hashlib
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes import nodes as pn_nodes
from papernotes.collection import collection_of
from papernotes.entrytypes import ENTRY_TYPES
from papernotes.entrytypes import count as entry_count
from papernotes.messages import warn
from papernotes.options import LenientOptionSpec
from papernotes.transforms import page_family
from papernotes.views.base import ViewDirective, make_view, register_view, relative_uri, view
from papernotes.views.lineage import fingerprint_lineage, render_lineage
from papernotes.views.table import render_table
from papernotes.views.table_data import DEFAULT_COLUMNS, entry_table_data, table_spec

__all__ = ["FamilyOverviewDirective", "add_overview"]

#: Entry types in the order the overview lists them, with their headings.
SECTIONS = tuple((name, ENTRY_TYPES[name].plural.capitalize()) for name in ("model", "repo", "dataset", "paper"))


def _table_spec(objtype: str, family: str) -> dict[str, Any]:
    # Every row is of the page's family: the family column would only repeat it.
    columns = [name for name in DEFAULT_COLUMNS[objtype] if name != "family"]
    return table_spec(
        types=[objtype], families=[family], columns=columns, filter="auto", caption=dict(SECTIONS)[objtype]
    )


def _counts(members: list[Any]) -> str:
    """``4 models, 2 repositories, 5 papers``: how many entries of each type, in the overview's order."""
    counts = []
    for objtype, _label in SECTIONS:
        number = sum(entry.objtype == objtype for entry in members)
        if number:
            counts.append(entry_count(objtype, number))
    return ", ".join(counts)


def _home_elsewhere(env: BuildEnvironment, spec: dict[str, Any]) -> str | None:
    """The family's own page, when this automatic overview is on another page of the family."""
    page = spec.get("page")
    if not page:
        return None
    home = collection_of(env).family(spec["family"]).page
    return home if home and home != page else None


def _pointer(app: Sphinx, docname: str, home: str, family: str) -> list[nodes.Node]:
    """One line on a family's other pages: how big the family is and where its overview is."""
    collection = collection_of(app.env)
    members = collection.by_family.get(family, [])
    block = nodes.container(classes=["pn-family-overview", "pn-overview-pointer"])
    para = nodes.paragraph()
    para += nodes.Text(f"{collection.family(family).title} has {_counts(members)}; its lineage and tables are on ")
    title = collection.family(family).title
    uri = relative_uri(app, docname, home)
    if uri is None:
        para += nodes.Text(title)
    else:
        para += nodes.reference(title, title, internal=True, refuri=uri)
    para += nodes.Text(".")
    block += para
    return [block]


def render_overview(app: Sphinx, docname: str, spec: dict[str, Any]) -> list[nodes.Node]:
    """The family's numbers and lineage, and a table of each kind of entry it has behind a disclosure."""
    family = spec["family"]
    if not family:
        return []
    home = _home_elsewhere(app.env, spec)
    if home is not None:
        return _pointer(app, docname, home, family)
    collection = collection_of(app.env)
    members = collection.by_family.get(family, [])
    block = nodes.container(classes=["pn-family-overview"])
    if not members:
        block += nodes.paragraph("", "No entries belong to this family yet.", classes=["pn-empty"])
        return [block]
    counts = _counts(members)
    summary = f"This family has {counts}, wherever on the site they are described."
    block += nodes.paragraph(summary, summary)
    models = [entry for entry in members if entry.objtype == "model"]
    if any(collection.bases[model.key] or collection.derived[model.key] for model in models):
        block.extend(render_lineage(app, docname, {"family": family}))
    elif models:
        # A graph of unconnected boxes says nothing a sentence would not.
        names = ", ".join(model.name for model in models)
        alone = f"No model of this family ({names}) is based on another model of the site or has successors here."
        block += nodes.paragraph(alone, alone, classes=["pn-lineage-none"])
    tables = pn_nodes.details(classes=["pn-overview-tables"])
    label = f"Tables of the family's entries ({counts})"
    tables += pn_nodes.summary(label, label)
    for objtype, caption in SECTIONS:
        data = entry_table_data(app.env, _table_spec(objtype, family))
        if data.rows:
            tables.extend(render_table(app, docname, data, caption=caption, filter_mode="auto"))
    block += tables
    return [block]


def fingerprint_overview(env: BuildEnvironment, spec: dict[str, Any]) -> str:
    """What the overview shows: its tables and its graph, or the line pointing to the family's page."""
    home = _home_elsewhere(env, spec)
    if home is not None:
        collection = collection_of(env)
        members = collection.by_family.get(spec["family"], [])
        parts = ["pointer", home, collection.family(spec["family"]).title, _counts(members)]
    else:
        parts = [entry_table_data(env, _table_spec(objtype, spec["family"])).fingerprint() for objtype, _ in SECTIONS]
        parts.append(fingerprint_lineage(env, {"family": spec["family"]}))
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


def add_overview(app: Sphinx, doctree: nodes.document) -> None:
    """Give a family page its overview section, early enough to be in the page's table of contents."""
    family = page_family(doctree, app.config.papernotes_family_key)
    explicit = [node for node in doctree.findall(view) if node["kind"] == "family-overview"]
    for node in explicit:
        if not node["spec"]["family"]:
            # The page's own family: known now that the front matter is parsed (the view's record
            # shares this spec, so it follows).
            node["spec"]["family"] = family
            if not family:
                warn("family", "family-overview: name a family with :family: or in the page's front matter", node)
    if explicit or not family or not app.config.papernotes_family_overview:
        return
    env = app.env
    top = next((child for child in doctree.children if isinstance(child, nodes.section)), None)
    container: nodes.Element = top if top is not None else doctree
    anchor, suffix = "at-a-glance", 2
    while anchor in doctree.ids:
        anchor, suffix = f"at-a-glance-{suffix}", suffix + 1
    section = nodes.section("", ids=[anchor], names=[anchor], classes=["pn-overview-section"])
    section += nodes.title("At a glance", "At a glance")
    spec = {"family": family, "page": env.docname}
    section += make_view(env, "family-overview", spec, str(env.doc2path(env.docname)), 1)
    doctree.ids[anchor] = section
    position = next(
        (index for index, child in enumerate(container.children) if isinstance(child, nodes.section)),
        len(container.children),
    )
    container.insert(position, section)


class FamilyOverviewDirective(ViewDirective):
    """``{family-overview}``: the overview of the page's family, or of the family named by ``:family:``."""

    option_spec = LenientOptionSpec({"family": lambda value: (value or "").strip()})

    def run(self) -> list[nodes.Node]:
        self.report_unknown_options()
        family = self.options.get("family", "")
        self.check_family(family)
        return [self.view("family-overview", {"family": family})]


def setup(app: Sphinx) -> None:
    """The overview view, its directive and the automatic placement on family pages."""
    app.add_directive("family-overview", FamilyOverviewDirective)
    register_view("family-overview", render_overview, fingerprint_overview)
    app.connect("doctree-read", add_overview, priority=450)
