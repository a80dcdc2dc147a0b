"""The entry directives ``{paper}``, ``{repo}``, ``{model}`` and ``{dataset}``.

Each entry renders as a section of its page (so it is in the table of contents and has a
permalink), with a field list of what is known about it, the contributor's notes, and a
"Referenced from" list filled in once the whole site has been read. Every option is validated
here; a bad one becomes a ``papernotes.<subtype>`` warning and the rest of the entry still renders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from papernotes import nodes as pn_nodes
from papernotes.bib import BibEntry, bibliography_of
from papernotes.domain import Entry, PaperNotesDomain, xref
from papernotes.messages import warn
from papernotes.options import (
    ID_PATTERN,
    OptionError,
    find_markup,
    parse_doi,
    parse_id_list,
    parse_name,
    parse_size,
    parse_tags,
    parse_url,
    parse_urls,
    report_unknown_options,
    split_list,
    text_options,
)

__all__ = ["DatasetDirective", "EntryDirective", "ModelDirective", "PaperDirective", "RepoDirective"]

RELATION_LABELS = {"base": "Based on", "repo": "Repository", "repos": "Repositories", "data": "Training data"}
GITHUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9_.\-]+$")


class EntryDirective(SphinxDirective):
    """What every entry shares: an id, a family, tags, relations, notes and backlinks."""

    objtype: ClassVar[str] = ""
    has_content = True
    # The id is checked here rather than by docutils, so a missing or malformed one is a located
    # papernotes warning instead of a docutils error that drops the entry's notes.
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    #: option name -> validator; relation options map to the entry type they name.
    validators: ClassVar[dict[str, Callable[[str | None], Any]]] = {}
    relations: ClassVar[dict[str, str]] = {}
    option_spec = text_options()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        common: dict[str, Callable[[str | None], Any]] = {"tags": parse_tags, "family": parse_name}
        relation_validators = dict.fromkeys(cls.relations, parse_id_list)
        cls.validators = {**common, **relation_validators, **cls.validators}
        cls.option_spec = text_options(*cls.validators)

    @property
    def domain(self) -> PaperNotesDomain:
        return self.env.domains["pn"]  # type: ignore[return-value]

    def warn(self, subtype: str, message: str) -> None:
        warn(subtype, f"{self.objtype} {self.arguments[0]!r}: {message}", (self.env.docname, self.lineno))

    def checked_options(self) -> dict[str, Any]:
        """The options with valid values; each unknown or malformed one is reported once."""
        report_unknown_options(
            f"{self.objtype} {self.arguments[0]!r}", self.options, self.validators, (self.env.docname, self.lineno)
        )
        values: dict[str, Any] = {}
        for name, validator in self.validators.items():
            if name not in self.options:
                continue
            try:
                values[name] = validator(self.options[name])
            except OptionError as error:
                self.warn(error.subtype, f":{name}: {error}")
                continue
            markup = find_markup(self.options[name])
            if markup:
                self.warn("markup", f":{name}: {markup!r} looks like HTML or script; it is shown as plain text")
        return values

    # what each entry type adds -------------------------------------------------------------
    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[tuple[str, list[nodes.Node]]]]:
        """The entry's full name, short name and field rows (label, content)."""
        raise NotImplementedError

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        """Plain data kept with the entry for views and exports."""
        return {}

    def tail(self, options: dict[str, Any]) -> list[nodes.Node]:
        """Blocks shown after the notes (the paper's Cite block)."""
        return []

    def year(self, options: dict[str, Any]) -> str:
        return ""

    def bib_digest(self) -> str:
        return ""

    # shared rendering ------------------------------------------------------------------------
    def relation_row(self, option: str, ids: list[str]) -> list[nodes.Node]:
        objtype = self.relations[option]
        content: list[nodes.Node] = []
        for index, target in enumerate(ids):
            if index:
                content.append(nodes.Text(", "))
            content.append(xref(objtype, target, target, relation=option, source=self.get_source(), line=self.lineno))
        return content

    def get_source(self) -> str:
        return self.state.document.current_source or self.env.doc2path(self.env.docname)

    def link(self, text: str, url: str) -> nodes.reference:
        return nodes.reference(text, text, refuri=url, classes=["pn-link"])

    def links_row(self, links: list[tuple[str, str]]) -> list[nodes.Node]:
        content: list[nodes.Node] = []
        for index, (label, url) in enumerate(links):
            if index:
                content.append(nodes.Text(" · "))
            content.append(self.link(label, url))
        return content

    def run(self) -> list[nodes.Node]:
        if not self.arguments or not self.arguments[0].strip():
            warn("missing", f"{self.objtype} without an id: write it after the directive's name", self.get_location())
            return []
        entry_id = self.arguments[0].strip()
        if not ID_PATTERN.match(entry_id):
            self.warn("value", "the id may use letters, digits and '_.+-/' only, starting with a letter or digit")
        options = self.checked_options()
        anchor = nodes.make_id(f"{self.objtype}-{entry_id}") or f"{self.objtype}-entry"
        document = self.state.document
        suffix = 2
        unique = anchor
        while unique in document.ids:
            unique, suffix = f"{anchor}-{suffix}", suffix + 1
        name, short, rows = self.describe(options)

        section = nodes.section("", ids=[unique], classes=["pn-entry", f"pn-{self.objtype}"])
        section.source, section.line = self.get_source(), self.lineno
        section["pn_entry"] = (self.objtype, entry_id)
        document.set_id(section)
        section += nodes.title(name, name)
        rows.extend(self.common_rows(options))
        section += self.field_list(rows)
        if self.content:
            notes = nodes.container(classes=["pn-notes"])
            self.state.nested_parse(self.content, self.content_offset, notes)
            section += notes
        section.extend(self.tail(options))
        # Sphinx patches every title, rubric and field name that has no source, logging a repr of each
        # at debug level: giving them the entry's location saves a quarter of the read phase's extra cost.
        for node in section.findall(nodes.TextElement):
            if node.source is None:
                node.source, node.line = section.source, section.line
        section += pn_nodes.backlinks("", objtype=self.objtype, target=entry_id)

        relations = {option: tuple(options[option]) for option in self.relations if options.get(option)}
        self.domain.add_entry(
            Entry(
                objtype=self.objtype,
                id=entry_id,
                docname=self.env.docname,
                lineno=self.lineno,
                anchor=unique,
                name=name,
                short=short,
                family=options.get("family", ""),
                tags=tuple(options.get("tags", ())),
                year=self.year(options),
                fields=self.extra_fields(options),
                relations=relations,
                bib_digest=self.bib_digest(),
            )
        )
        return [section]

    def common_rows(self, options: dict[str, Any]) -> list[tuple[str, list[nodes.Node]]]:
        rows: list[tuple[str, list[nodes.Node]]] = []
        for option in self.relations:
            if options.get(option):
                label = RELATION_LABELS.get(option, option.capitalize())
                rows.append((label, self.relation_row(option, options[option])))
        if options.get("tags"):
            chips: list[nodes.Node] = []
            for tag in options["tags"]:
                node = xref("tag", tag, tag, source=self.get_source(), line=self.lineno)
                node["refexplicit"] = True
                node[0]["classes"].append("pn-tag")
                chips.extend([node, nodes.Text(" ")])
            rows.append(("Tags", chips[:-1]))
        family = xref(
            "family", options.get("family", ""), options.get("family", ""), source=self.get_source(), line=self.lineno
        )
        family["refexplicit"] = True
        family["pn_family_slot"] = True
        rows.append(("Family", [family]))
        return rows

    def field_list(self, rows: list[tuple[str, list[nodes.Node]]]) -> nodes.field_list:
        field_list = nodes.field_list(classes=["pn-fields"])
        for label, content in rows:
            body = nodes.paragraph("", "", *content)
            field_list += nodes.field("", nodes.field_name(label, label), nodes.field_body("", body))
        return field_list


class PaperDirective(EntryDirective):
    """A paper: everything bibliographic comes from the BibTeX entry named by the argument."""

    objtype = "paper"
    validators = {"code": parse_url}
    relations = {"models": "model", "repos": "repo", "datasets": "dataset"}

    def bib(self) -> BibEntry | None:
        return bibliography_of(self.env.app).get(self.arguments[0].strip())

    def bib_digest(self) -> str:
        entry = self.bib()
        return entry.digest if entry else "missing"

    def year(self, options: dict[str, Any]) -> str:
        entry = self.bib()
        return entry.year if entry else ""

    def authors_row(self, entry: BibEntry) -> list[nodes.Node]:
        limit = max(1, int(self.config.papernotes_max_authors))
        shown = ", ".join(entry.authors[:limit])
        hidden = len(entry.authors) > limit
        if hidden or entry.authors_truncated:
            shown += " et al."
        content: list[nodes.Node] = [nodes.Text(shown)]
        if hidden:
            disclosure = pn_nodes.details(classes=["pn-authors"])
            label = f"all {len(entry.authors)} authors"
            disclosure += pn_nodes.summary(label, label)
            disclosure += nodes.inline(", ".join(entry.authors), ", ".join(entry.authors))
            content.append(disclosure)
        return content

    def bib_links(self, entry: BibEntry, options: dict[str, Any]) -> list[tuple[str, str]]:
        links: list[tuple[str, str]] = []
        location = f"{entry.path}:{entry.line}"
        if entry.arxiv_id:
            if re.match(r"^[A-Za-z\-.]*/?\d{4}\.?\d{3,5}(v\d+)?$", entry.arxiv_id):
                links.append(("arXiv", f"https://arxiv.org/abs/{entry.arxiv_id}"))
                links.append(("PDF", f"https://arxiv.org/pdf/{entry.arxiv_id}"))
            else:
                warn("url", f"bib entry '{entry.key}': eprint {entry.arxiv_id!r} is not an arXiv id", location)
        if entry.fields.get("doi"):
            try:
                links.append(("DOI", f"https://doi.org/{parse_doi(entry.fields['doi'])}"))
            except OptionError as error:
                warn("url", f"bib entry '{entry.key}': doi: {error}", location)
        url = entry.fields.get("url", "")
        if url and "arxiv.org/" not in url:
            try:
                links.append(("Web", parse_url(url)))
            except OptionError as error:
                warn("url", f"bib entry '{entry.key}': url: {error}", location)
        if options.get("code"):
            links.append(("Code", options["code"]))
        return links

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[tuple[str, list[nodes.Node]]]]:
        key = self.arguments[0].strip()
        entry = self.bib()
        if entry is None:
            sources = bibliography_of(self.env.app).sources
            bibfiles = ", ".join(sources) if sources else "no bibliography configured"
            self.warn("bibkey", f"no bibliography entry with this key ({bibfiles})")
            rows: list[tuple[str, list[nodes.Node]]] = []
            if options.get("code"):
                rows.append(("Links", self.links_row([("Code", options["code"])])))
            return key, key, rows
        rows = []
        if entry.authors:
            rows.append(("Authors", self.authors_row(entry)))
        published = ", ".join(part for part in (entry.venue, entry.year) if part)
        if published:
            rows.append(("Published", [nodes.Text(published)]))
        links = self.bib_links(entry, options)
        if links:
            rows.append(("Links", self.links_row(links)))
        return entry.title or key, entry.short_title(), rows

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        entry = self.bib()
        if entry is None:
            return {"code": options.get("code", "")}
        return {
            "authors": list(entry.authors),
            "venue": entry.venue,
            "arxiv": entry.arxiv_id,
            "doi": entry.fields.get("doi", ""),
            "url": entry.fields.get("url", ""),
            "code": options.get("code", ""),
        }

    def tail(self, options: dict[str, Any]) -> list[nodes.Node]:
        entry = self.bib()
        if entry is None:
            return []
        cite = nodes.container(classes=["pn-cite"])
        cite += nodes.rubric("Cite", "Cite")
        block = nodes.literal_block(entry.raw, entry.raw, language="bibtex", classes=["pn-bibtex"])
        block["highlight_args"] = {}
        cite += block
        return [cite]


class RepoDirective(EntryDirective):
    """A code repository: GitHub ids (``owner/name``) link themselves, others need ``:url:``."""

    objtype = "repo"
    validators = {"url": parse_url, "name": parse_name, "links": parse_urls}
    relations = {"models": "model", "papers": "paper", "datasets": "dataset"}

    def url(self, options: dict[str, Any]) -> str:
        entry_id = self.arguments[0].strip()
        if options.get("url"):
            return options["url"]
        if GITHUB_ID.match(entry_id):
            return f"https://github.com/{entry_id}"
        return ""

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[tuple[str, list[nodes.Node]]]]:
        entry_id = self.arguments[0].strip()
        url = self.url(options)
        if not url and "url" not in self.options:
            self.warn("missing", "needs :url: (only GitHub ids of the form owner/name link themselves)")
        name = options.get("name", entry_id)
        rows: list[tuple[str, list[nodes.Node]]] = []
        links = [("Repository", url)] if url else []
        links.extend((_link_label(link), link) for link in options.get("links", []))
        if links:
            rows.append(("Links", self.links_row(links)))
        return name, name, rows

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.url(options), "links": options.get("links", [])}


class DescribedEntryDirective(EntryDirective):
    """Entries described by their options alone (models, datasets): labelled text rows and a link."""

    #: option -> label, in the order the rows are shown; list-valued options are joined with commas.
    text_rows: ClassVar[dict[str, str]] = {}
    list_options: ClassVar[frozenset[str]] = frozenset()

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[tuple[str, list[nodes.Node]]]]:
        name = options.get("name", self.arguments[0].strip())
        rows: list[tuple[str, list[nodes.Node]]] = []
        for option, label in self.text_rows.items():
            value = options.get(option)
            if value:
                text = ", ".join(value) if option in self.list_options else value
                rows.append((label, [nodes.Text(text)]))
        if options.get("url"):
            rows.append(("Links", self.links_row([(_link_label(options["url"]), options["url"])])))
        return name, name, rows

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        fields = {option: options.get(option, [] if option in self.list_options else "") for option in self.text_rows}
        fields["url"] = options.get("url", "")
        return fields


class ModelDirective(DescribedEntryDirective):
    """A model (weights or a service), with ``:base:`` naming the model it was derived from."""

    objtype = "model"
    validators = {
        "name": parse_name,
        "params": lambda value: [parse_size(item) for item in split_list(value)],
        "license": parse_name,
        "url": parse_url,
    }
    relations = {"base": "model", "paper": "paper", "repo": "repo", "data": "dataset"}
    text_rows = {"params": "Parameters", "license": "Licence"}
    list_options = frozenset({"params"})


class DatasetDirective(DescribedEntryDirective):
    """A dataset: size, languages and licence, and the paper that describes it."""

    objtype = "dataset"
    validators = {
        "name": parse_name,
        "url": parse_url,
        "size": parse_size,
        "languages": split_list,
        "license": parse_name,
    }
    relations = {"paper": "paper", "repo": "repo"}
    text_rows = {"size": "Size", "languages": "Languages", "license": "Licence"}
    list_options = frozenset({"languages"})


def _link_label(url: str) -> str:
    """A readable label for a link: the site's host name, without ``www.``."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.") or url


DIRECTIVES: dict[str, type[EntryDirective]] = {
    "paper": PaperDirective,
    "repo": RepoDirective,
    "model": ModelDirective,
    "dataset": DatasetDirective,
}


def setup(app: Sphinx) -> None:
    """Register the entry directives both as ``pn:…`` and under their short names."""
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
        app.add_directive_to_domain("pn", name, directive)
