"""How an entry looks in the doctree: a compact header, the notes, then Cite behind a click.

The directives decide what an entry says (:mod:`papernotes.directives`); this module decides
how that is written as docutils nodes, so every entry type shares one rendering and every
builder (HTML, LaTeX, text) gets ordinary nodes it already knows how to write.

An entry reads notes first: its title, then one header (a type badge, the authors, venue and
year, outside links as buttons, tag chips, and a short list of labelled facts and relations),
then the reading notes, then "Cite" (a one-line citation and the BibTeX) collapsed in a
``<details>``. When sphinx-design is loaded, the badges and buttons take its classes when the
page is written (:func:`finish_entries`); without it they are plain links and chips that
``papernotes.css`` styles, so the extension needs nothing beyond its own dependencies.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx.application import Sphinx

from papernotes import nodes as pn_nodes
from papernotes.display import AuthorLine, Link
from papernotes.domain import PaperNotesDomain, xref
from papernotes.entrytypes import RELATION_LABELS, label

__all__ = [
    "SPHINX_DESIGN_CLASSES",
    "Row",
    "authors_line",
    "cite_block",
    "entry_header",
    "entry_section",
    "family_row",
    "finish_entries",
    "links_line",
    "relation_row",
    "tag_chips",
]

#: One line of an entry's field list: its label and content.
Row = tuple[str, list[nodes.Node]]

#: papernotes class -> the sphinx-design classes it also takes when sphinx-design is loaded.
SPHINX_DESIGN_CLASSES = {
    "pn-btn": ["sd-btn", "sd-btn-outline-primary"],
    "pn-badge": ["sd-badge", "sd-bg-secondary", "sd-bg-text-secondary"],
    "pn-chip": ["sd-badge", "sd-outline-primary", "sd-text-primary"],
}


def type_badge(objtype: str) -> nodes.inline:
    """What the entry is ("Paper", "Repository", …), as a small badge before its byline."""
    text = label(objtype).capitalize()
    return nodes.inline(text, text, classes=["pn-badge", "pn-type"])


def links_line(links: Iterable[Link]) -> list[nodes.Node]:
    """Outside links as buttons, separated by spaces (read as a list of links without styles)."""
    content: list[nodes.Node] = []
    for link in links:
        content.append(nodes.reference(link.label, link.label, refuri=link.url, classes=["pn-link", "pn-btn"]))
        content.append(nodes.Text(" "))
    return content[:-1]


def authors_line(line: AuthorLine) -> list[nodes.Node]:
    """The first authors, and the whole list behind a disclosure when some are not shown (inline parts only)."""
    content: list[nodes.Node] = [nodes.inline(line.shown, line.shown, classes=["pn-byline-authors"])]
    if line.hidden:
        disclosure = pn_nodes.details(classes=["pn-authors"])
        text = f"show all {len(line.everyone)}"
        disclosure += pn_nodes.summary(text, text)
        disclosure += nodes.inline(", ".join(line.everyone), ", ".join(line.everyone))
        content.append(disclosure)
    return content


def relation_row(option: str, objtype: str, ids: list[str], source: str, line: int) -> Row:
    """Links to the entries a relation option names, resolved once every page is read."""
    content: list[nodes.Node] = []
    for index, target in enumerate(ids):
        if index:
            content.append(nodes.Text(", "))
        content.append(xref(objtype, target, target, relation=option, source=source, line=line))
    return RELATION_LABELS.get(option, option.capitalize()), content


def tag_chips(tags: Iterable[str], source: str, line: int) -> list[nodes.Node]:
    """Tag chips, each linking to the entries that share it."""
    chips: list[nodes.Node] = []
    for tag in tags:
        node = xref("tag", tag, tag, source=source, line=line)
        node["refexplicit"] = True
        text = node[0]
        assert isinstance(text, nodes.inline)  # xref() puts the link text in an inline
        text["classes"].extend(["pn-tag", "pn-chip"])
        chips.extend([node, nodes.Text(" ")])
    return chips[:-1]


def family_row(family: str, source: str, line: int) -> Row:
    """The entry's family; filled in once the page's front matter is known (see :mod:`papernotes.transforms`)."""
    node = xref("family", family, family, source=source, line=line)
    node["refexplicit"] = True
    node["pn_family_slot"] = True
    return "Family", [node]


def field_list(rows: list[Row]) -> nodes.field_list:
    """The rows as a field list (a ``<dl>`` in HTML)."""
    result = nodes.field_list(classes=["pn-fields"])
    for name, content in rows:
        body = nodes.paragraph("", "", *content)
        result += nodes.field("", nodes.field_name(name, name), nodes.field_body("", body))
    return result


def entry_header(objtype: str, byline: list[nodes.Node], actions: list[nodes.Node], rows: list[Row]) -> nodes.container:
    """The compact header: badge and byline, then links and tags, then the labelled facts.

    A byline (a paper's authors, venue and year) is a ``<div>`` of inline parts, since the author
    disclosure is a ``<details>``, which HTML does not allow inside a paragraph. Entries without
    a byline show their badge, links and tags on one line.
    """
    header = nodes.container(classes=["pn-header"])
    if byline:
        first = nodes.container("", type_badge(objtype), classes=["pn-byline"])
        first.extend(byline)
        header += first
        if actions:
            header += nodes.paragraph("", "", *actions, classes=["pn-actions"])
    else:
        header += nodes.paragraph("", "", type_badge(objtype), nodes.Text(" "), *actions, classes=["pn-byline"])
    if rows:
        header += field_list(rows)
    return header


def cite_block(raw: str, citation: str) -> pn_nodes.details:
    """Cite, collapsed: a one-line citation and the paper's BibTeX as the bibliography file has it."""
    cite = pn_nodes.details(classes=["pn-cite"])
    cite += pn_nodes.summary("Cite", "Cite")
    if citation:
        cite += nodes.paragraph(citation, citation, classes=["pn-citation"])
    block = nodes.literal_block(raw, raw, language="bibtex", classes=["pn-bibtex"])
    block["highlight_args"] = {}
    cite += block
    return cite


def cite_block_of(section: nodes.Node | None) -> pn_nodes.details | None:
    """The Cite block of an entry's section (its place is fixed by :func:`entry_section`), if it has one."""
    if not isinstance(section, nodes.section) or not section.children:
        return None
    more = section.children[-1]
    if not (isinstance(more, nodes.container) and "pn-more" in more["classes"]):
        return None
    return next(
        (child for child in more.children if isinstance(child, pn_nodes.details) and "pn-cite" in child["classes"]),
        None,
    )


def entry_section(
    objtype: str, anchor: str, name: str, header: nodes.Element, notes: nodes.Element | None, tail: list[nodes.Node]
) -> nodes.section:
    """The entry as a section of its page: title, header, notes, then Cite (``tail``) and a backlinks slot."""
    section = nodes.section("", ids=[anchor], classes=["pn-entry", f"pn-{objtype}"])
    section += nodes.title(name, name)
    section += header
    if notes is not None:
        section += notes
    # Cite and "Referenced from" share one row while both are closed (see papernotes.css).
    section += nodes.container("", *tail, classes=["pn-more"])
    return section


def finish_section(section: nodes.section, objtype: str, entry_id: str, source: str, line: int) -> None:
    """Give the generated nodes the entry's location, and add the backlinks placeholder.

    Sphinx patches every title, rubric and field name that has no source, logging a repr of each
    at debug level: giving them the entry's location saves a quarter of the read phase's extra cost.
    """
    section.source, section.line = source, line
    for node in section.findall(nodes.TextElement):
        if node.source is None:
            node.source, node.line = source, line
    more = section.children[-1] if section.children else None
    if not (isinstance(more, nodes.container) and "pn-more" in more["classes"]):
        more = nodes.container(classes=["pn-more"])
        section += more
    more += pn_nodes.backlinks("", objtype=objtype, target=entry_id)


def _drop_own_family_row(field: nodes.field, domain: PaperNotesDomain, docname: str) -> None:
    """An entry on its family's own page does not link to that page: the row would be a self-link."""
    if domain.family_page(str(field["pn_family"])) != docname:
        return
    fields = field.parent
    fields.remove(field)
    if not fields.children:
        fields.parent.remove(fields)


def finish_entries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """When a page is written: no self-links in its entries, and sphinx-design's look when it is loaded.

    One walk over the page's nodes finds all three (a walk of a long page is dear: nodes times depth).
    """
    domain = app.env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    design = "sphinx_design" in app.extensions
    family_rows: list[nodes.field] = []
    empty: list[nodes.container] = []
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.field) and node.get("pn_family"):
            family_rows.append(node)
        elif isinstance(node, nodes.container) and "pn-more" in node["classes"] and not node.children:
            empty.append(node)  # no Cite and no backlinks
        if design:
            for own in [name for name in node["classes"] if name in SPHINX_DESIGN_CLASSES]:
                node["classes"].extend(SPHINX_DESIGN_CLASSES[own])
    for field in family_rows:
        _drop_own_family_row(field, domain, docname)
    for more in empty:
        more.parent.remove(more)
