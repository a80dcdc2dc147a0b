"""Every kind of contributor mistake is one located papernotes.<subtype> warning, and the build goes on."""

from __future__ import annotations

import pytest

from papernotes.messages import SUBTYPES

from helpers import html, papernotes_warnings, warnings_of

# subtype -> (file:line, words the message must contain); one warning each unless listed twice.
EXPECTED = {
    "bib": [("refs.bib:5", "duplicate key 'good2023'")],
    "bibfield": [("refs.bib:3", "'notitle2023' lacks title")],
    "bibkey": [("index.md:11", "'nosuchkey2020': no bibliography entry with this key (refs.bib)")],
    "option": [("index.md:14", "unknown option ':colour:'")],
    "missing": [("index.md:18", "'gitlab-thing': needs :url:")],
    "value": [("index.md:22", "tag 'Bad Tag' is not a lower-case slug"), ("index.md:22", ":params: 'many'")],
    "url": [("index.md:27", "'javascript:alert(1)' is not an http(s) URL")],
    "family": [("index.md:31", "unknown family 'falcon'"), ("nofamily.md:3", "'orphan' has no family")],
    "ref": [("index.md:35", "no model with id 'no-such-model'")],
    "relation": [("index.md:37", ":base: names no model with id 'ghost'")],
    "cycle": [("index.md:41", "loop-a → loop-b → loop-a")],
    "lineage": [("index.md:56", "unknown kind 'vibes' for 'm1'")],
    "evidence": [("index.md:60", "evidence 'http://example.org/x' is not an https link")],
    "markup": [("index.md:52", "'<s' looks like HTML or script")],
    "config": [("conf.py:5", "papernotes_max_authors must be a positive whole number, not -1")],
    "duplicate": [
        ("index.md:49", "'m1' is already defined earlier on this page (line 22)"),
        ("other.md:6", "'d1' is already defined in index (line 27)"),
        ("index.md:27", "'d1' is defined again in other (line 6); links come here"),  # both pages
    ],
    "convention": [("refs.bib:7", "write 'Jane Doe' as 'Doe, Jane'")],
}


def test_every_subtype_is_documented_and_tested():
    assert set(EXPECTED) == set(SUBTYPES)


@pytest.mark.sphinx("html", testroot="warnings", copy_test_root=True, freshenv=True)
@pytest.mark.parametrize("subtype", sorted(EXPECTED))
def test_each_mistake_is_one_located_warning(app, subtype):
    app.build()
    found = papernotes_warnings(app, subtype)
    assert len(found) == len(EXPECTED[subtype]), found
    for (location, words), line in zip(sorted(EXPECTED[subtype]), sorted(found), strict=True):
        assert f"{location}: WARNING:" in line
        assert words in line


@pytest.mark.sphinx("html", testroot="warnings", copy_test_root=True, freshenv=True)
def test_no_other_warnings_and_no_traceback(app):
    app.build()
    others = [line for line in warnings_of(app) if "[papernotes." not in line]
    assert others == []
    assert "Traceback" not in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="warnings", copy_test_root=True, freshenv=True)
def test_bad_entries_still_render_and_keep_their_good_parts(app):
    app.build()
    page = html(app, "index")
    assert page.select_one("section#paper-nosuchkey2020 h2").get_text().startswith("nosuchkey2020")
    assert page.select_one("section#paper-good2023 h2").get_text().startswith("A Good Paper")
    dataset = page.select_one("section#dataset-d1")
    assert dataset is not None
    assert "javascript:" not in str(dataset)
    hostile = page.select_one("section#dataset-d-hostile")
    assert hostile.h2.get_text().startswith("<script>alert(1)</script>")
    assert hostile.find("script") is None
    # The duplicate on the same page still renders, under its own anchor.
    assert page.select_one("section#model-m1-2") is not None


@pytest.mark.sphinx(
    "html",
    testroot="warnings",
    copy_test_root=True,
    freshenv=True,
    confoverrides={"suppress_warnings": ["papernotes.value"]},
)
def test_a_subtype_can_be_silenced(app):
    app.build()
    assert papernotes_warnings(app, "value") == []
    assert len(papernotes_warnings(app, "url")) == 1
