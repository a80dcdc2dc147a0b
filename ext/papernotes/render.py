"""How an entry looks in the doctree: its section, field list, links, authors and Cite block.

The directives decide what an entry says (:mod:`papernotes.directives`); this module decides
how that is written as docutils nodes, so every entry type shares one rendering and every
builder (HTML, LaTeX, text) gets ordinary nodes it already knows how to write.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes

from papernotes import nodes as pn_nodes
from papernotes.display import AuthorLine, Link
from papernotes.domain import xref
from papernotes.entrytypes import RELATION_LABELS

__all__ = ["Row", "authors_row", "cite_block", "entry_section", "links_row", "relation_row", "tags_row"]

#: One line of an entry's field list: its label and content.
Row = tuple[str, list[nodes.Node]]


def links_row(links: Iterable[Link]) -> list[nodes.Node]:
    """Outside links separated by middle dots."""
    content: list[nodes.Node] = []
    for index, link in enumerate(links):
        if index:
            content.append(nodes.Text(" · "))
        content.append(nodes.reference(link.label, link.label, refuri=link.url, classes=["pn-link"]))
    return content


def authors_row(line: AuthorLine) -> list[nodes.Node]:
    """The first authors, and the whole list behind a disclosure when some are not shown."""
    content: list[nodes.Node] = [nodes.Text(line.shown)]
    if line.hidden:
        disclosure = pn_nodes.details(classes=["pn-authors"])
        label = f"all {len(line.everyone)} authors"
        disclosure += pn_nodes.summary(label, label)
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


def tags_row(tags: list[str], source: str, line: int) -> Row:
    """Tag chips, each linking to the entries that share it."""
    chips: list[nodes.Node] = []
    for tag in tags:
        node = xref("tag", tag, tag, source=source, line=line)
        node["refexplicit"] = True
        text = node[0]
        assert isinstance(text, nodes.inline)  # xref() puts the link text in an inline
        text["classes"].append("pn-tag")
        chips.extend([node, nodes.Text(" ")])
    return "Tags", chips[:-1]


def family_row(family: str, source: str, line: int) -> Row:
    """The entry's family; filled in once the page's front matter is known (see :mod:`papernotes.transforms`)."""
    node = xref("family", family, family, source=source, line=line)
    node["refexplicit"] = True
    node["pn_family_slot"] = True
    return "Family", [node]


def field_list(rows: list[Row]) -> nodes.field_list:
    """The rows as a field list (a ``<dl>`` in HTML)."""
    result = nodes.field_list(classes=["pn-fields"])
    for label, content in rows:
        body = nodes.paragraph("", "", *content)
        result += nodes.field("", nodes.field_name(label, label), nodes.field_body("", body))
    return result


def cite_block(raw: str) -> nodes.container:
    """The paper's BibTeX as the bibliography file has it."""
    cite = nodes.container(classes=["pn-cite"])
    cite += nodes.rubric("Cite", "Cite")
    block = nodes.literal_block(raw, raw, language="bibtex", classes=["pn-bibtex"])
    block["highlight_args"] = {}
    cite += block
    return cite


def entry_section(
    objtype: str, anchor: str, name: str, rows: list[Row], notes: nodes.Element | None, tail: list[nodes.Node]
) -> nodes.section:
    """The entry as a section of its page: title, fields, notes, what follows them, a backlinks slot."""
    section = nodes.section("", ids=[anchor], classes=["pn-entry", f"pn-{objtype}"])
    section += nodes.title(name, name)
    section += field_list(rows)
    if notes is not None:
        section += notes
    section.extend(tail)
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
    section += pn_nodes.backlinks("", objtype=objtype, target=entry_id)
