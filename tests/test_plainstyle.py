"""Every line :mod:`papernotes.plainstyle` writes is the line pybtex's template engine writes.

The plain-Python style only pays if it is pybtex's style: these tests format generated entries
both ways (Hypothesis) and compare the text character for character, a missing field included;
they also check that the plain path is the one taken for ordinary entries (otherwise the first
property would hold by never answering) and for the project's own papers.bib.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import Entry, Person, parse_file
from pybtex.scanner import PybtexError

from papernotes.citeline import person_names, pybtex_line
from papernotes.plainstyle import FieldMissing, plain_line

#: Words the plain path formats itself: letters, digits, braces, dashes, terminators.
PLAIN_PIECES = ["Open", "llama", "THE", "a", "GPT", "{GPT}", "{Chat GLM}", "{RNNs}", "x-y", "1-10", "1--10"]
PLAIN_PIECES += ["2023", "May", "Model:", "of", "Why?", "Done!", "etc.", "(v2)", "A/B", "+", "=", "'s", "12th"]
#: Pieces LaTeX (or pybtex's reading of it) changes: the plain path must decline them or agree.
LATEX_PIECES = ["\\'e", "$x$", "%", "~", "''", "``", "&", "#", "_", "^", '"', "Σ", "é", "<<", ",,", "!`", "?`"]
LATEX_PIECES += ["{", "}", "{}", "{ X }", "{a{b}}", "---", "----", "-", ".", "?", "!", ":", ",", "\t", "\n", "  "]
FIELDS = ["title", "journal", "volume", "number", "pages", "month", "year", "note", "booktitle", "series"]
FIELDS += ["address", "organization", "publisher", "howpublished", "url", "urldate", "eprint", "pubmed", "doi"]
PEOPLE = ["Smith, John", "von Neumann, J.", "Doe, J. R.", "Li, Wei", "Ouyang, Long", "{Big Science}"]
TYPES = st.sampled_from(["article", "inproceedings", "misc"])


def values(pieces: list[str]) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(pieces), max_size=6)
    return st.tuples(words, st.sampled_from(["", " "])).map(lambda drawn: drawn[1].join(drawn[0]))


def persons() -> st.SearchStrategy[list[Person]]:
    names = st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=5, unique=True)
    return st.tuples(names, st.booleans()).map(
        lambda drawn: [Person(name) for name in drawn[0]] + ([Person("others")] if drawn[1] else [])
    )


def entries(pieces: list[str], complete: bool = False) -> st.SearchStrategy[Entry]:
    """Entries of the three types; ``complete`` ones have every field and role any of them requires."""
    if complete:
        required = ["title", "journal", "booktitle", "year"]
        optional = {name: values(pieces) for name in FIELDS if name not in required}
        fields = st.fixed_dictionaries({name: values(pieces) for name in required}, optional=optional)
        roles = st.fixed_dictionaries({"author": persons()}, optional={"editor": persons()})
    else:
        fields = st.dictionaries(st.sampled_from(FIELDS), values(pieces), max_size=12)
        roles = st.dictionaries(st.sampled_from(["author", "editor"]), persons(), max_size=2)
    return st.builds(lambda kind, f, p: Entry(kind, fields=f, persons=p), TYPES, fields, roles)


def both_ways(entry: Entry) -> tuple[str | None, str]:
    """(the plain path's line or None, pybtex's line), a missing field written as "missing"."""
    try:
        plain = plain_line(entry.type, dict(entry.fields.items()), person_names(entry))
    except FieldMissing:
        plain = "missing"
    try:
        reference = pybtex_line("key", entry)
    except PybtexError:
        reference = "missing"
    return plain, reference


@settings(max_examples=400, deadline=None)
@given(entries(PLAIN_PIECES + LATEX_PIECES))
def test_a_line_written_without_pybtex_is_pybtexs_line(entry):
    plain, reference = both_ways(entry)
    if plain is not None:
        assert plain == reference


def example_entry(kind: str, editors: int = 0, **fields: str) -> Entry:
    people = {"author": [Person("Li, Wei")]}
    if editors:
        people["editor"] = [Person(name) for name in PEOPLE[:editors]]
    return Entry(kind, fields={"title": "The {GPT} way", "year": "2023", **fields}, persons=people)


@settings(max_examples=300, deadline=None)
@given(st.one_of(entries(PLAIN_PIECES), entries(PLAIN_PIECES, complete=True)))
@example(example_entry("inproceedings", editors=1, booktitle="Proc", pages="1-2", address="Paris", publisher="P"))
@example(example_entry("inproceedings", editors=2, booktitle="Proc", volume="3", series="LNCS", organization="O"))
@example(example_entry("inproceedings", booktitle="Proc", number="7", series="S", month="May", note="Oral."))
@example(example_entry("article", journal="J", volume="5", number="2", pages="10--20", url="https://x.org/a"))
@example(example_entry("article", journal="J", pages="3-4", urldate="2024", url="u", eprint="1", pubmed="2", doi="3"))
@example(example_entry("misc", howpublished="Blog", month="June"))
def test_ordinary_entries_take_the_plain_path(entry):
    plain, reference = both_ways(entry)
    assert plain == reference


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Caf\\'e"), ("title", "$x^2$"), ("journal", 'J{\\"o}rn'), ("note", "``quoted''"), ("title", "a{b{c}}")],
)
def test_latex_is_left_to_pybtex(field, value):
    entry = Entry("article", fields={"journal": "J", "year": "2023", field: value}, persons={})
    assert plain_line("article", dict(entry.fields.items()), {}) is None


def test_other_types_and_cross_references_are_left_to_pybtex():
    assert plain_line("book", {"title": "T", "publisher": "P", "year": "2020"}, {}) is None
    assert plain_line("article", {"crossref": "x", "title": "T"}, {}) is None


def test_the_projects_papers_are_written_as_pybtex_writes_them():
    bibliography = parse_file(str(Path(__file__).parents[1] / "papers.bib"))
    plain_count = 0
    for key, entry in bibliography.entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        line = plain_line(entry.type, fields, person_names(entry))
        if line is not None:
            plain_count += 1
            assert line == pybtex_line(key, entry), key
    assert plain_count >= len(bibliography.entries) // 2
