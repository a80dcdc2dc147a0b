"""The entry directives ``{paper}``, ``{repo}``, ``{model}`` and ``{dataset}``: what each entry says.

A directive validates its options (a bad one becomes a located ``papernotes.<subtype>`` warning
and the rest of the entry still renders), describes the entry as rows of fields, has
:mod:`papernotes.render` write it as a section of its page, and leaves the entry's record on
that section for the domain to collect (:meth:`papernotes.domain.PaperNotesDomain.process_doc`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from papernotes import lineage_kinds, methods, render
from papernotes.bibentry import BibEntry
from papernotes.bibliography import bibliography_of, close_keys, report_entry
from papernotes.citeline import cached_citation_line
from papernotes.display import Link, author_line, host_label, paper_links
from papernotes.domain import Entry
from papernotes.entrytypes import ENTRY_TYPES, anchor_for
from papernotes.messages import warn
from papernotes.options import (
    ID_PATTERN,
    OptionError,
    find_markup,
    parse_date,
    parse_id_list,
    parse_name,
    parse_size,
    parse_sizes,
    parse_tags,
    parse_url,
    parse_urls,
    report_unknown_options,
    split_list,
    text_options,
)
from papernotes.provenance import VALIDATORS as PROVENANCE
from papernotes.provenance import provenance_fields, provenance_line, provenance_problem

__all__ = ["DIRECTIVES", "EntryDirective"]

GITHUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9_.\-]+$")

Validator = Callable[[str | None], Any]


class EntryDirective(SphinxDirective):
    """What every entry shares: an id, a family, tags, relations, notes and backlinks."""

    objtype: ClassVar[str] = ""
    has_content = True
    # The id is checked here rather than by docutils, so a missing or malformed one is a located
    # papernotes warning instead of a docutils error that drops the entry's notes.
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    #: option name -> validator, for the options of this type (relation options are added).
    own_validators: ClassVar[dict[str, Validator]] = {}
    validators: ClassVar[dict[str, Validator]] = {}
    relations: ClassVar[dict[str, str]] = {}
    option_spec = text_options()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.objtype not in ENTRY_TYPES:
            return  # an intermediate base class (DescribedEntryDirective)
        cls.relations = dict(ENTRY_TYPES[cls.objtype].relations)
        common: dict[str, Validator] = {"tags": parse_tags, "family": parse_name, "added": parse_date, **PROVENANCE}
        cls.validators = {**common, **dict.fromkeys(cls.relations, parse_id_list), **cls.own_validators}
        cls.option_spec = text_options(*cls.validators)

    @property
    def entry_id(self) -> str:
        return self.arguments[0].strip()

    def warn(self, subtype: str, message: str) -> None:
        warn(subtype, f"{self.objtype} {self.entry_id!r}: {message}", (self.env.docname, self.lineno))

    def checked_options(self) -> dict[str, Any]:
        """The options with valid values; each unknown or malformed one is reported once."""
        location = (self.env.docname, self.lineno)
        report_unknown_options(f"{self.objtype} {self.entry_id!r}", self.options, self.validators, location)
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
        if provenance_problem(values, self.options):
            self.warn("missing", provenance_problem(values, self.options))
        return values

    # what each entry type adds -------------------------------------------------------------
    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[render.Row]]:
        """The entry's full name, short name and labelled facts (its links and tags are shown apart)."""
        raise NotImplementedError

    def byline(self) -> list[nodes.Node]:
        """What follows the entry's type badge in its header (a paper's authors, venue and year)."""
        return []

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        """Plain data kept with the entry for views and exports."""
        return {}

    def tail(self, options: dict[str, Any]) -> list[nodes.Node]:
        """Blocks shown after the notes (the paper's Cite block)."""
        return []

    def year(self) -> str:
        return ""

    def outside(self, options: dict[str, Any]) -> list[Link]:
        """The entry's outside links, as its field list shows them (and ``papers.json`` exports them)."""
        return []

    def bib_digest(self) -> str:
        return ""

    # shared ------------------------------------------------------------------------------------
    def source(self) -> str:
        return self.state.document.current_source or str(self.env.doc2path(self.env.docname))

    def unique_anchor(self) -> str:
        anchor = anchor_for(self.objtype, self.entry_id)
        unique, suffix = anchor, 2
        while unique in self.state.document.ids:
            unique, suffix = f"{anchor}-{suffix}", suffix + 1
        return unique

    def common_rows(self, options: dict[str, Any]) -> list[render.Row]:
        source, line, derived = self.source(), self.lineno, options.get("derived")
        rows = [
            render.relation_row(option, objtype, options[option], source, line)
            for option, objtype in self.relations.items()
            if options.get(option) and not lineage_kinds.shown_as_derived(option, options[option], derived)
        ]
        rows += lineage_kinds.derived_row(derived, self.warn, source, line)
        rows += methods.methods_row(options.get("methods"))
        rows.append(render.family_row(options.get("family", ""), source, line))
        return rows

    def header(self, options: dict[str, Any], rows: list[render.Row]) -> nodes.container:
        """Badge and byline, outside links as buttons and tag chips, then the labelled rows."""
        actions = render.links_line(self.outside(options))
        if options.get("tags"):
            chips = render.tag_chips(options["tags"], self.source(), self.lineno)
            actions.extend([nodes.Text(" "), *chips] if actions else chips)
        return render.entry_header(self.objtype, self.byline(), actions, rows)

    def run(self) -> list[nodes.Node]:
        if not self.arguments or not self.arguments[0].strip():
            warn("missing", f"{self.objtype} without an id: write it after the directive's name", self.get_location())
            return []
        if not ID_PATTERN.match(self.entry_id):
            self.warn("value", "the id may use letters, digits and '_.+-/' only, starting with a letter or digit")
        options = self.checked_options()
        anchor = self.unique_anchor()
        name, short, rows = self.describe(options)
        rows.extend(self.common_rows(options))
        notes = None
        if self.content:
            notes = nodes.container(classes=["pn-notes"])
            self.state.nested_parse(self.content, self.content_offset, notes)
        tail = [*self.tail(options), *provenance_line(options)]
        section = render.entry_section(self.objtype, anchor, name, self.header(options, rows), notes, tail)
        render.finish_section(section, self.objtype, self.entry_id, self.source(), self.lineno)
        section["pn_record"] = Entry(
            objtype=self.objtype,
            id=self.entry_id,
            docname=self.env.docname,
            lineno=self.lineno,
            anchor=anchor,
            name=name,
            short=short,
            family=options.get("family", ""),
            tags=tuple(options.get("tags", ())),
            year=self.year(),
            fields={
                **self.extra_fields(options),
                **({"added": options["added"]} if "added" in options else {}),
                **provenance_fields(options),
                **({"methods": options["methods"]} if options.get("methods") else {}),
            },
            relations={option: tuple(options[option]) for option in self.relations if options.get(option)},
            links=tuple((link.kind, link.url) for link in self.outside(options)),
            bib_digest=self.bib_digest(),
            lineage=options["derived"].items if "derived" in options else (),
        )
        self.state.document.set_id(section)
        return [section]


class PaperDirective(EntryDirective):
    """A paper: everything bibliographic comes from the BibTeX entry named by the argument."""

    objtype = "paper"
    own_validators = {"code": parse_url, "methods": methods.parse_methods}
    outside_links: list[Link]
    byline_nodes: list[nodes.Node]

    def bib(self) -> BibEntry | None:
        return bibliography_of(self.env).get(self.entry_id)

    def outside(self, options: dict[str, Any]) -> list[Link]:
        return self.outside_links

    def byline(self) -> list[nodes.Node]:
        return self.byline_nodes

    def bib_digest(self) -> str:
        entry = self.bib()
        return entry.digest if entry else "missing"

    def year(self) -> str:
        entry = self.bib()
        return entry.year if entry else ""

    def links(self, entry: BibEntry, options: dict[str, Any]) -> list[Link]:
        links, problems = paper_links(
            entry.arxiv_id, entry.fields.get("doi", ""), entry.fields.get("url", ""), options.get("code", "")
        )
        for problem in problems:
            warn("url", f"bib entry '{entry.key}': {problem}", f"{entry.path}:{entry.line}")
        return links

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[render.Row]]:
        bibliography = bibliography_of(self.env)
        report_entry(self.env, self.entry_id)
        entry = self.bib()
        if entry is None and not bibliography.problems_of(self.entry_id):
            # (an entry the file has but could not read was reported at its line already)
            self.warn("bibkey", self.missing_key_message())
        self.byline_nodes = []
        if entry is None:
            self.outside_links = [Link("code", "Code", options["code"])] if options.get("code") else []
            return self.entry_id, self.entry_id, []
        if entry.authors:
            limit = int(self.config.papernotes_max_authors)
            self.byline_nodes = render.authors_line(author_line(entry.authors, entry.authors_truncated, limit))
        published = ", ".join(part for part in (entry.venue, entry.year) if part)
        if published:
            separator = " · " if self.byline_nodes else ""
            self.byline_nodes.append(
                nodes.inline(separator + published, separator + published, classes=["pn-published"])
            )
        self.outside_links = self.links(entry, options)
        return entry.title or self.entry_id, entry.short_title(), []

    def missing_key_message(self) -> str:
        bibliography = bibliography_of(self.env)
        sources = ", ".join(bibliography.sources) if bibliography.sources else "no bibliography configured"
        message = f"no bibliography entry with this key ({sources})"
        close = close_keys(bibliography, self.entry_id)
        if close:
            message += "; did you mean " + " or ".join(f"'{key}'" for key in close) + "?"
        return message

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        entry = self.bib()
        if entry is None:
            return {"code": options.get("code", "")}
        return {
            "authors": list(entry.authors),
            "authors_truncated": entry.authors_truncated,
            "venue": entry.venue,
            "arxiv": entry.arxiv_id if any(link.kind == "arxiv" for link in self.outside_links) else "",
            "doi": next(
                (link.url.removeprefix("https://doi.org/") for link in self.outside_links if link.kind == "doi"), ""
            ),
            "url": entry.fields.get("url", ""),
            "code": options.get("code", ""),
        }

    def tail(self, options: dict[str, Any]) -> list[nodes.Node]:
        entry = self.bib()
        if entry is None:
            return []
        line = cached_citation_line(self.env.doctreedir, entry, bibliography_of(self.env).macros)
        return [render.cite_block(entry.raw, line)]


class RepoDirective(EntryDirective):
    """A code repository: GitHub ids (``owner/name``) link themselves, others need ``:url:``."""

    objtype = "repo"
    own_validators = {"url": parse_url, "name": parse_name, "links": parse_urls, "methods": methods.parse_methods}

    def url(self, options: dict[str, Any]) -> str:
        if options.get("url"):
            return str(options["url"])
        return f"https://github.com/{self.entry_id}" if GITHUB_ID.match(self.entry_id) else ""

    def outside(self, options: dict[str, Any]) -> list[Link]:
        url = self.url(options)
        # Named after its host ("GitHub"), since the badge beside it already says "Repository".
        name = "GitHub" if host_label(url) == "github.com" else host_label(url)
        links = [Link("repository", name, url)] if url else []
        return links + [Link("link", host_label(link), link) for link in options.get("links", [])]

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[render.Row]]:
        if not self.url(options) and "url" not in self.options:
            self.warn("missing", "needs :url: (only GitHub ids of the form owner/name link themselves)")
        name = options.get("name", self.entry_id)
        return name, name, []

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.url(options), "links": options.get("links", [])}


class DescribedEntryDirective(EntryDirective):
    """Entries described by their options alone (models, datasets): labelled text rows and a link."""

    #: option -> label, in the order the rows are shown; list-valued options are joined with commas.
    text_rows: ClassVar[dict[str, str]] = {}
    list_options: ClassVar[frozenset[str]] = frozenset()

    def describe(self, options: dict[str, Any]) -> tuple[str, str, list[render.Row]]:
        name = options.get("name", self.entry_id)
        rows: list[render.Row] = []
        for option, label in self.text_rows.items():
            value = options.get(option)
            if value:
                text = ", ".join(value) if option in self.list_options else value
                rows.append((label, [nodes.Text(text)]))
        return name, name, rows

    def outside(self, options: dict[str, Any]) -> list[Link]:
        return [Link("web", host_label(options["url"]), options["url"])] if options.get("url") else []

    def extra_fields(self, options: dict[str, Any]) -> dict[str, Any]:
        fields = {option: options.get(option, [] if option in self.list_options else "") for option in self.text_rows}
        fields["url"] = options.get("url", "")
        return fields


class ModelDirective(DescribedEntryDirective):
    """A model (weights or a service), with ``:base:`` naming the model it was derived from."""

    objtype = "model"
    own_validators = {
        "name": parse_name,
        "params": parse_sizes,
        "license": parse_name,
        "url": parse_url,
        "derived": lineage_kinds.derived_option("model"),
    }
    text_rows = {"params": "Parameters", "license": "Licence"}
    list_options = frozenset({"params"})


class DatasetDirective(DescribedEntryDirective):
    """A dataset: size, languages and licence, and the paper that describes it."""

    objtype = "dataset"
    own_validators = {
        "name": parse_name,
        "url": parse_url,
        "size": parse_size,
        "languages": split_list,
        "license": parse_name,
        "derived": lineage_kinds.derived_option("dataset"),
    }
    text_rows = {"size": "Size", "languages": "Languages", "license": "Licence"}
    list_options = frozenset({"languages"})


DIRECTIVES: dict[str, type[EntryDirective]] = {
    "paper": PaperDirective,
    "repo": RepoDirective,
    "model": ModelDirective,
    "dataset": DatasetDirective,
}


def setup(app: Sphinx) -> None:
    """Register the entry directives both as ``pn:…`` and under their short names.

    What they render is finished when each page is written (:func:`papernotes.render.finish_entries`).
    """
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
        app.add_directive_to_domain("pn", name, directive)
    # After "Referenced from" is filled (papernotes.backlinks), so its badges get sphinx-design's look too.
    app.connect("doctree-resolved", render.finish_entries, priority=600)
