"""What the search index holds: the text of each entry, each page and each glossary term, from the doctrees.

Pagefind makes one result of each HTML document it indexes, with filters for the whole document.
A family page holds a dozen entries of different years and tags, so papernotes gives Pagefind one
small document per entry (its notes, fields and names, its filters and its page anchor as the
result's URL) and one per page (the page without its entries, its sections as sub-results), and
never the written pages themselves. The text is read from docutils nodes when a page is written:
what papernotes adds around the notes (field lists, tables, graphs, timelines, "Referenced from",
BibTeX; every block with a ``pn-`` class), raw HTML, images, maths and toctrees are left out, so
no chart label or table chrome reaches a snippet, and an entry's text is found once.

:mod:`papernotes.search` stores what :func:`page_record` returns for every page and, at the end
of the build, turns it into documents with :func:`entry_document` and :func:`page_document`.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, TypeGuard

from docutils import nodes
from sphinx import addnodes

from papernotes.domain import Entry, PaperNotesDomain

__all__ = ["GlossaryTerms", "entry_document", "page_document", "page_record", "slug"]

#: Nodes whose text is not prose a reader searches: markup, pictures, maths, index targets.
SKIPPED = (
    nodes.raw,
    nodes.image,
    nodes.math,
    nodes.math_block,
    nodes.comment,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.footnote_reference,
    addnodes.index,
    addnodes.toctree,
)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")

#: A block of text: (HTML tag, text, id or "").
Block = tuple[str, str, str]
#: glossary term anchor -> (page, every name of the term, the Chinese words of its definition).
GlossaryTerms = dict[str, tuple[str, list[str], list[str]]]


def slug(text: str) -> str:
    """``Reward model`` and ``reward-model`` alike: lower case, runs of other characters as one ``-``."""
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "-", text.lower()).strip("-")


def skipped(node: nodes.Node) -> bool:
    """Whether a node's text stays out of the index (see the module's docstring)."""
    if isinstance(node, SKIPPED):
        return True
    if not isinstance(node, nodes.Element) or isinstance(node, nodes.Inline):
        return False
    if type(node).__module__.startswith("papernotes."):  # placeholders: views, backlinks, details
        return True
    classes: list[str] = node.get("classes", [])
    return "toctree-wrapper" in classes or any(name.startswith("pn-") and name != "pn-notes" for name in classes)


def text_of(node: nodes.Node) -> str:
    """The searchable text of a node, on one line."""
    parts: list[str] = []

    def walk(current: nodes.Node) -> None:
        for child in current.children:
            if isinstance(child, nodes.Text):
                parts.append(str(child))
            elif not skipped(child):
                walk(child)

    if isinstance(node, nodes.Text):
        return " ".join(str(node).split())
    walk(node)
    return " ".join("".join(parts).split())


def _is_glossary_item(node: nodes.Node) -> TypeGuard[nodes.definition_list_item]:
    return isinstance(node, nodes.definition_list_item) and "glossary" in node.parent.get("classes", [])


def _glossary_item(item: nodes.definition_list_item, level: int, out: list[Block], terms: list[dict[str, Any]]) -> None:
    names = [text_of(term) for term in item.children if isinstance(term, nodes.term)]
    anchors = [term["ids"][0] for term in item.children if isinstance(term, nodes.term) and term["ids"]]
    definition = " ".join(text_of(child) for child in item.children if isinstance(child, nodes.definition))
    if not anchors:
        return
    out.append((f"h{min(level, 6)}", " · ".join(names), anchors[0]))
    out.append(("p", definition, ""))
    terms.append({"anchor": anchors[0], "names": names, "chinese": _HAN.findall(definition)})


def blocks_of(node: nodes.Element, level: int, out: list[Block], terms: list[dict[str, Any]]) -> None:
    """The text blocks under a node; sections become headings with their ids (Pagefind's sub-results)."""
    for child in node.children:
        if skipped(child):
            continue
        if isinstance(child, nodes.section):
            inner: list[Block] = []
            blocks_of(child, level + 1, inner, terms)
            title = child.next_node(nodes.title)
            if inner or level == 1:  # a heading whose section held only entries says nothing
                out.append((f"h{min(level, 6)}", text_of(title) if title else "", (child["ids"] or [""])[0]))
                out.extend(inner)
        elif isinstance(child, nodes.title) and isinstance(node, nodes.section):
            continue
        elif _is_glossary_item(child):
            _glossary_item(child, min(level + 1, 6), out, terms)
        elif isinstance(child, nodes.TextElement):
            text = text_of(child)
            if text:
                out.append(("p", text, ""))
        elif isinstance(child, nodes.Element):
            blocks_of(child, level, out, terms)


def _entry_sections(doctree: nodes.document) -> dict[str, nodes.section]:
    return {
        anchor: section
        for section in doctree.findall(nodes.section)
        if "pn-entry" in section["classes"]
        for anchor in section["ids"]
    }


def _term_links(node: nodes.Element) -> list[str]:
    """Anchors of the glossary terms a node links to (``{term}`` roles, resolved)."""
    found = []
    for reference in node.findall(nodes.reference):
        target = str(reference.get("refuri", "") or "").rpartition("#")[2] or str(reference.get("refid", ""))
        if target.startswith("term-") and target not in found:
            found.append(target)
    return found


def page_record(doctree: nodes.document, docname: str, domain: PaperNotesDomain) -> dict[str, Any]:
    """What a page gives the index, as plain data kept between builds."""
    page: list[Block] = []
    terms: list[dict[str, Any]] = []
    blocks_of(doctree, 1, page, terms)
    sections = _entry_sections(doctree)
    entries = []
    for entry in domain.entries_on(docname):
        section = sections.get(entry.anchor)
        if section is None or domain.lookup(entry.objtype, entry.id) is not entry:
            continue  # a duplicate: its winner is the one result
        notes_node = next((n for n in section.findall(nodes.container) if "pn-notes" in n["classes"]), None)
        notes: list[Block] = []
        if notes_node is not None:
            blocks_of(notes_node, 7, notes, [])
        entries.append(
            {
                "objtype": entry.objtype,
                "id": entry.id,
                "notes": [text for _, text, _ in notes],
                "terms": _term_links(section),
            }
        )
    return {"docname": docname, "blocks": page, "glossary": terms, "entries": entries}


# documents for Pagefind --------------------------------------------------------------------------


def _document(lang: str, body: str, meta: dict[str, str], filters: list[tuple[str, str]]) -> str:
    hidden = "".join(f'<span data-pagefind-meta="{key}">{escape(value)}</span>' for key, value in meta.items() if value)
    hidden += "".join(f'<span data-pagefind-filter="{key}">{escape(value)}</span>' for key, value in filters if value)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(meta.get('title', ''))}</title></head>\n"
        f"<body><main data-pagefind-body>\n{body}</main>\n<div hidden>{hidden}</div></body></html>\n"
    )


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>\n" for text in texts if text)


def _field_texts(entry: Entry, family: str, type_label: str) -> list[str]:
    """An entry's fields as text: authors, venue, sizes, licence (links left out), its type, family and tags."""
    texts = []
    for value in entry.fields.values():
        values = value if isinstance(value, list | tuple) else [value]
        words = [str(item) for item in values if isinstance(item, str) and item and "://" not in item]
        if words:
            texts.append(", ".join(words))
    texts.extend(part for part in (entry.year, type_label, family) if part)
    return texts


def entry_document(
    entry: Entry, record: dict[str, Any], url: str, family: str, type_label: str, glossary: GlossaryTerms, lang: str
) -> str:
    """One entry as a Pagefind document: notes, then fields, glossary words and names, each weighted.

    The names (title, short name, id) weigh most, so an entry named by the query ranks above one
    that mentions it; the notes come first and end where ``#pn-fields`` starts, which is how the
    search page keeps its snippet inside the notes.
    """
    terms: list[str] = []
    by_slug = {slug(name): anchor for anchor, (_, names, _) in glossary.items() for name in names}
    anchors = [by_slug[slug(tag)] for tag in entry.tags if slug(tag) in by_slug] + list(record.get("terms", []))
    for anchor in dict.fromkeys(anchors):
        if anchor in glossary:
            _, names, chinese = glossary[anchor]
            terms.extend(dict.fromkeys([*names, *chinese]))
    terms.extend(tag.replace("-", " ") for tag in entry.tags)
    names = list(dict.fromkeys(name for name in (entry.name, entry.short, entry.id) if name))
    body = (
        f"<div>{_paragraphs(record.get('notes', []))}</div>\n"
        f'<div id="pn-fields" data-pagefind-weight="0.5">{_paragraphs(_field_texts(entry, family, type_label))}</div>\n'
        f'<div id="pn-terms" data-pagefind-weight="2">{_paragraphs(list(dict.fromkeys(terms)))}</div>\n'
        f'<div id="pn-names" data-pagefind-weight="10">{_paragraphs(names)}</div>\n'
    )
    meta = {
        "title": entry.name,
        "url": url,
        "kind": "entry",
        "type": type_label,
        "short": entry.short if entry.short != entry.name else "",
        "id": entry.id,
        "family": family,
        "year": entry.year,
    }
    filters = [("kind", "entry"), ("type", type_label), ("family", family), ("year", entry.year)]
    filters.extend(("tag", tag) for tag in entry.tags)
    return _document(lang, body, meta, filters)


def page_document(record: dict[str, Any], url: str, title: str, lang: str) -> str:
    """A page without its entries as a Pagefind document; each heading with an id is a sub-result."""
    body = "".join(
        f'<{tag} id="{escape(anchor)}">{escape(text)}</{tag}>\n'
        if tag != "p" and anchor
        else f"<p>{escape(text)}</p>\n"
        for tag, text, anchor in record.get("blocks", [])
        if text
    )
    return _document(lang, body, {"title": title, "url": url, "kind": "page"}, [("kind", "page")])
