"""Incremental builds that equal clean ones.

Sphinx rewrites a page when its source changes. A page here also shows things that live on other
pages or in papers.bib: the short names of the entries it links to, its entries' backlinks, the
collection views. This module fingerprints that state per page after each read phase and asks
Sphinx to rewrite exactly the pages whose fingerprint moved; pages whose bibliography entry
changed are re-read.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.backlinks import backlinks_of
from papernotes.bibliography import bibliography_of
from papernotes.domain import PaperNotesDomain
from papernotes.views.base import views_state

__all__ = ["page_fingerprint"]


def _domain(env: BuildEnvironment) -> PaperNotesDomain:
    domain = env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    return domain


def _links_and_backlinks(env: BuildEnvironment, docname: str) -> str:
    """The targets of the page's links and the backlinks (place, title, kind) and family links of its entries.

    The family page decides whether an entry shows its "Family" row (not on the family's own page).
    """
    domain = _domain(env)
    parts: list[str] = []
    for reference in domain.refs.get(docname, []):
        target = domain.lookup(reference.objtype, reference.target)
        where = (target.docname, target.anchor, target.short, target.name) if target else None
        parts.append(repr((reference.objtype, reference.target, where)))
    for entry in domain.entries_on(docname):
        places = backlinks_of(env, entry)
        page = domain.family_page(entry.family)
        title = env.titles[page].astext() if page in env.titles else ""
        parts.append(
            repr((entry.key, page, title, [(place.docname, place.anchor, place.label, place.kind) for place in places]))
        )
    return "\n".join(parts)


def page_fingerprint(env: BuildEnvironment, docname: str) -> str:
    """A fingerprint of everything a page shows that comes from elsewhere: links, backlinks, views."""
    digest = hashlib.sha1()
    for part in (_links_and_backlinks(env, docname), views_state(env, docname)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


#: Whether this build reads or removes any page (set before reading, per environment). A build that
#: reads nothing changes nothing a fingerprint is made of: it skips computing them (no-op rebuilds).
_reads_pages: weakref.WeakKeyDictionary[BuildEnvironment, bool] = weakref.WeakKeyDictionary()


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """After reading: the pages whose borrowed content changed, to be written again."""
    fingerprints: dict[str, str] = _domain(env).data["fingerprints"]
    if not _reads_pages.pop(env, True) and fingerprints.keys() == env.all_docs.keys():
        return []
    changed: list[str] = []
    for docname in sorted(env.all_docs):
        fingerprint = page_fingerprint(env, docname)
        if fingerprints.get(docname) != fingerprint:
            fingerprints[docname] = fingerprint
            changed.append(docname)
    for docname in list(fingerprints):
        if docname not in env.all_docs:
            del fingerprints[docname]
    return changed


def pages_with_changed_bib(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Before reading: pages whose papers' BibTeX entries were edited must be read again."""
    bibliography = bibliography_of(env)
    domain = _domain(env)
    stale: set[str] = set()
    for entries in domain.entries.values():
        for entry in entries:
            if entry.objtype != "paper":
                continue
            current = bibliography.get(entry.id)
            if (current.digest if current else "missing") != entry.bib_digest:
                stale.add(entry.docname)
    return sorted(stale - removed)


def _note_reads(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Every page this build reads, whichever handler asked for it, is known here (``env-before-read-docs``)."""
    _reads_pages[env] = _reads_pages.get(env, False) or bool(docnames)


def _note_removal(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """A page purged (removed, or about to be read again) changes what other pages show."""
    _reads_pages[env] = True


def setup(app: Sphinx) -> None:
    """Re-read pages after bibliography edits; rewrite pages whose borrowed content moved."""
    app.connect("env-get-outdated", pages_with_changed_bib)
    app.connect("env-purge-doc", _note_removal)
    app.connect("env-before-read-docs", _note_reads)
    app.connect("env-updated", pages_to_rewrite, priority=900)
