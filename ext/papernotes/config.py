"""Typed configuration of the extension, declared and checked in one place.

Every value is registered with its type (so Sphinx itself reports a wrong type in ``conf.py``)
and with ``rebuild="env"`` because each one changes what the pages say; at ``config-inited`` the
values are checked once more for what a type cannot say (a family map of names to names, a
positive author count), each mistake reported as a ``papernotes.config`` warning and replaced by
the default, so the build goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sphinx.application import Sphinx
from sphinx.config import Config

from papernotes.messages import warn

__all__ = ["SETTINGS", "Setting"]


@dataclass(frozen=True)
class Setting:
    """One configuration value: its name, default, accepted types and meaning."""

    name: str
    default: object
    types: tuple[type, ...]
    doc: str
    #: What a change of the value rebuilds: "env" (every page) for what the pages say, "" for nothing.
    rebuild: Literal["", "env"] = "env"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "papernotes_max_authors",
        3,
        (int,),
        "Authors shown before 'et al.' on a paper entry; the full list is one click away.",
    ),
    Setting(
        "papernotes_families",
        {},
        (dict,),
        "Family id -> display name. When set, an entry or page naming another family is a warning.",
    ),
    Setting(
        "papernotes_family_key",
        "family",
        (str,),
        "The front-matter key with which a page names the family of its entries.",
    ),
    Setting(
        "papernotes_family_overview",
        True,
        (bool,),
        "Add an 'At a glance' overview to every page whose front matter names a family.",
    ),
    Setting(
        "papernotes_citation_list_items",
        False,
        (bool,),
        "Write citations as list items (role=listitem) for screen readers, instead of the doc-biblioentry "
        "role docutils and sphinxcontrib-bibtex use; off by default so their output stays as they make it.",
    ),
    Setting(
        "papernotes_bibfiles",
        None,
        (list, tuple, type(None)),
        "BibTeX files papernotes reads (relative to conf.py); None: sphinxcontrib-bibtex's bibtex_bibfiles.",
    ),
    Setting(
        "papernotes_freeze_gc",
        True,
        (bool,),
        "Keep what is loaded before reading (modules, the application, the bibliography) out of Python's "
        "garbage collector's passes (gc.freeze, thawed when the build ends). False leaves the collector alone.",
        "",
    ),
    Setting(
        "papernotes_gc_threshold",
        [10_000, 10, 10],
        (tuple, list),
        "Python's garbage collector thresholds while the site builds (gc.set_threshold, restored when it "
        "ends): fewer passes over a large heap. [] leaves Python's own (700, 10, 10).",
        "",
    ),
    Setting(
        "papernotes_pagefind",
        False,
        (bool,),
        "Search with Pagefind (the docs group's pagefind[extended]): one result per entry, filters, Chinese.",
    ),
    Setting(
        "papernotes_pagefind_language",
        "",
        (str,),
        "The language Pagefind indexes the site in ('zh' splits Chinese words); '': the site's language.",
    ),
)


def config_location(app: Sphinx, name: str) -> str | None:
    """Where conf.py sets ``name`` (``path:line``), for a warning that points at it; None if it does not.

    (A location without a line would be taken by Sphinx for a document name.)
    """
    path = Path(app.confdir) / "conf.py"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    assignment = re.compile(rf"\s*{re.escape(name)}\s*[:=]")  # not a longer name that starts the same
    found = [number for number, line in enumerate(lines, 1) if assignment.match(line)]
    return f"{path}:{found[-1]}" if found else None


def _gc_threshold(app: Sphinx, value: tuple[object, ...] | list[object]) -> tuple[int, ...]:
    """Three whole numbers, or () (``-D papernotes_gc_threshold=700,10,10`` gives strings; ``=`` gives none)."""
    numbers = [int(item) if isinstance(item, str) and item.strip().isdigit() else item for item in value]
    if numbers in ([], [""]):
        return ()
    whole = [n for n in numbers if isinstance(n, int) and not isinstance(n, bool) and n >= 0]
    if len(numbers) == 3 and len(whole) == 3:
        return tuple(whole)
    message = f"papernotes_gc_threshold must be three whole numbers (or []), not {value!r}; the default is used"
    warn("config", message, config_location(app, "papernotes_gc_threshold"))
    return (10_000, 10, 10)


def check_config(app: Sphinx, config: Config) -> None:
    """What a type cannot say: report each bad value and fall back to the default."""
    authors = config.papernotes_max_authors
    if isinstance(authors, bool) or authors < 1:
        message = f"papernotes_max_authors must be a positive whole number, not {authors!r}; 3 is used"
        warn("config", message, config_location(app, "papernotes_max_authors"))
        config.papernotes_max_authors = 3
    families = config.papernotes_families
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in families.items()):
        message = "papernotes_families must map family ids to display names, both strings"
        warn("config", message, config_location(app, "papernotes_families"))
        config.papernotes_families = {str(key): str(value) for key, value in families.items()}
    config.papernotes_gc_threshold = _gc_threshold(app, config.papernotes_gc_threshold)
    if not str(config.papernotes_family_key).strip():
        warn("config", "papernotes_family_key must name a front-matter key; 'family' is used", None)
        config.papernotes_family_key = "family"


def setup(app: Sphinx) -> None:
    """Declare the configuration values with their types, and check them once the configuration is read."""
    for setting in SETTINGS:
        app.add_config_value(
            setting.name, setting.default, setting.rebuild, types=setting.types, description=setting.doc
        )
    app.connect("config-inited", check_config)
