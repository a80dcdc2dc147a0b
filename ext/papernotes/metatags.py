"""Page descriptions for link previews without the spaces a text walk puts inside Chinese text.

sphinxext-opengraph (and anything else that fills ``<meta … description>`` from a page's text)
joins the text of a paragraph's pieces with spaces: around a link or a term, and where the source
wraps a line. English needs those spaces; between two Chinese characters they are stray
("）、 低秩适配 （LoRA）"). After the other ``html-page-context`` handlers have written the page's
meta tags, every description's spaces between two CJK characters (ideographs, kana, and CJK and
full-width punctuation) are removed; a space next to a Latin letter or digit stays.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

__all__ = ["tidy_description"]

_CJK = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_DESCRIPTION = re.compile(r'(<meta\s+(?:property|name)="(?:og:description|description)"\s+content=")([^"]*)(")')


def tidy_description(text: str) -> str:
    """The text without whitespace between two CJK characters."""
    return _STRAY_SPACE.sub("", text)


def _tidy_tag(match: re.Match[str]) -> str:
    content = html.escape(tidy_description(html.unescape(match.group(2))), quote=True)
    return match.group(1) + content + match.group(3)


def tidy_metatags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Rewrite the description meta tags of the page, once every other handler has added its tags."""
    metatags = context.get("metatags")
    if isinstance(metatags, str) and "description" in metatags:
        context["metatags"] = _DESCRIPTION.sub(_tidy_tag, metatags)


def setup(app: Sphinx) -> None:
    """Run after the default-priority handlers (sphinxext-opengraph's among them)."""
    app.connect("html-page-context", tidy_metatags, priority=900)
