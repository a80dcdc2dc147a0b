"""Which listing pages are on disk as this build would write them, kept beside Sphinx's pickles.

:mod:`papernotes.listings` writes a tag or year page only when its fingerprint moved or its file
is missing; this module holds those fingerprints for one build (``ListingState``), what every
listing page shows besides its own list (:func:`rendering_state`, the toctree and every title),
the pages it left as they were (for the sitemap), and saves the fingerprints when the build ends.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import sphinx
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder

from papernotes.generation import PACKAGE_DIGEST, mark_current

__all__ = [
    "STATE_FILE",
    "WHOLE",
    "ListingState",
    "listing_state",
    "rendering_state",
    "start_listing_state",
    "unwritten_pages",
]

#: The fingerprints of the listing pages last written, in the doctree directory.
STATE_FILE = "papernotes-listings.pickle"
#: The name under which the fingerprints keep the digest of every listing as a whole (not a page name).
WHOLE = "\0all listings"
_STATE = "_papernotes_listings"


class ListingState:
    """Which listing pages are on disk as this build would write them: those are not written again."""

    def __init__(self, app: Sphinx) -> None:
        self.path = Path(app.doctreedir) / STATE_FILE
        try:
            previous = pickle.loads(self.path.read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            previous = {}
        self.previous: dict[str, str] = previous if isinstance(previous, dict) else {}
        self.current: dict[str, str] = {}
        self.unwritten: list[str] = []
        self.app = app
        self._site: bytes | None = None

    @property
    def site(self) -> bytes:
        """What every listing page shows besides its own content (worked out when first needed)."""
        if self._site is None:
            self._site = _site_state(self.app).encode("utf-8")
        return self._site

    def all_unchanged(self, builder: StandaloneHTMLBuilder, content: str) -> bool:
        """Note what every listing is made of; whether every page is on disk as it was made from it.

        One digest of the whole (the site, and each entry's listed fields) spares grouping the
        collection and fingerprinting each page when an edit changed nothing a listing shows.
        """
        digest = hashlib.sha1(self.site)
        digest.update(content.encode())
        whole = self.current[WHOLE] = digest.hexdigest()
        pages = [name for name in self.previous if name != WHOLE]
        if self.previous.get(WHOLE) != whole:
            return False
        return all(Path(builder.get_outfilename(name)).is_file() for name in pages)

    def unchanged(self, builder: StandaloneHTMLBuilder, pagename: str, inputs: str) -> bool:
        """Note the page's fingerprint; whether its file already holds what this build would write."""
        digest = hashlib.sha1(self.site)
        digest.update(f"\0{pagename}\0{inputs}".encode())
        fingerprint = self.current[pagename] = digest.hexdigest()
        if self.previous.get(pagename) == fingerprint and Path(builder.get_outfilename(pagename)).is_file():
            self.unwritten.append(pagename)
            return True
        return False


def rendering_state(app: Sphinx) -> str:
    """What any page is rendered with besides the environment: versions, builder, settings, tags, templates."""
    builder = app.builder
    info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    versions = sorted((name, str(extension.version)) for name, extension in app.extensions.items())
    return "\n".join(
        [
            repr((sphinx.__display_version__, versions, builder.name)),
            repr((getattr(info, "config_hash", None), getattr(info, "tags_hash", None))),
            repr(templates.newest_template_mtime() if templates is not None else None),
        ]
    )


def _site_state(app: Sphinx) -> str:
    """What a listing page shows besides its own content: how pages are rendered, the toctree, titles.

    And papernotes' own files: another version may write the same listing otherwise.
    """
    env = app.env
    parts = [
        PACKAGE_DIGEST.hex(),
        rendering_state(app),
        repr(sorted(env.found_docs)),
        repr(sorted((name, list(included)) for name, included in env.toctree_includes.items())),
    ]
    for docname in sorted(env.titles):
        toc = env.tocs.get(docname)
        parts.append(f"{docname}\0{env.titles[docname].astext()}\0{toc.astext() if toc is not None else ''}")
    return "\n".join(parts)


def unwritten_pages(builder: Builder) -> list[str]:
    """The listing pages this build left as they were (already written as it would write them)."""
    state = builder.__dict__.get(_STATE)
    return list(state.unwritten) if isinstance(state, ListingState) else []


def _save(app: Sphinx, exception: BaseException | None) -> None:
    state = app.builder.__dict__.get(_STATE)
    if exception is None and isinstance(state, ListingState):
        if state.current != state.previous or not state.path.is_file():  # a no-op rebuild writes nothing
            state.path.parent.mkdir(parents=True, exist_ok=True)
            state.path.write_bytes(pickle.dumps(state.current, protocol=pickle.HIGHEST_PROTOCOL))
        mark_current(app, "listings", rendering_state(app))


def listing_state(builder: Builder) -> ListingState | None:
    """The listing state of the builder's current build (None before its listings are collected)."""
    state = builder.__dict__.get(_STATE)
    return state if isinstance(state, ListingState) else None


def start_listing_state(app: Sphinx) -> ListingState:
    """The listing state of this build, read from the previous one's fingerprints."""
    state = app.builder.__dict__[_STATE] = ListingState(app)
    return state


def setup(app: Sphinx) -> None:
    """Save the listing pages' fingerprints when the build ends."""
    app.connect("build-finished", _save)
