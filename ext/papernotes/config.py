"""Typed configuration of the extension, declared in one place.

Every value is registered with its type so a wrong ``conf.py`` setting is reported by Sphinx
itself, and with ``rebuild="env"`` because each one changes what the pages say.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx


@dataclass(frozen=True)
class Setting:
    """One configuration value: its name, default, accepted types and meaning."""

    name: str
    default: object
    types: tuple[type, ...]
    doc: str


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
)


def setup(app: Sphinx) -> None:
    """Declare the configuration values with their types."""
    for setting in SETTINGS:
        app.add_config_value(setting.name, setting.default, "env", types=setting.types, description=setting.doc)
