"""Drawn figures stay legible on a phone: a wide SVG scrolls sideways instead of shrinking.

A figure drawn for an 800-unit-wide column and scaled down to a 360 px phone screen shows its
13-unit labels at 6 px. For every SVG image inside a figure, the HTML writer reads the file's
``viewBox`` width and its smallest ``font-size`` and works out the width at which that label is
12 px. On narrow screens (``papernotes-figures.css``) the image keeps that width inside a wrapper
that scrolls sideways; the wrapper is a named region a keyboard can focus (and so scroll), as
WCAG asks of scrolling content. On wide screens nothing changes. Other builders are untouched.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

__all__ = ["LEGIBLE_PX", "legible_width", "setup"]

#: The smallest label size, in CSS pixels, a figure may show on a phone.
LEGIBLE_PX = 12

_VIEWBOX = re.compile(r"""viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)""")
_FONT_SIZE = re.compile(r"""font-size\s*[:=]\s*["']?\s*([\d.]+)""")


@lru_cache(maxsize=256)
def _measure(path: Path, mtime_ns: int) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    viewbox = _VIEWBOX.search(text)
    sizes = [float(size) for size in _FONT_SIZE.findall(text) if float(size) > 0]
    if viewbox is None or not sizes:
        return None
    return math.ceil(float(viewbox.group(1)) * LEGIBLE_PX / min(sizes))


def legible_width(path: Path) -> int | None:
    """The width (px) at which the SVG's smallest label is :data:`LEGIBLE_PX`; None when it cannot tell."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _measure(path, mtime)


def _svg_width(self: HTML5Translator, node: nodes.image) -> int | None:
    uri = str(node.get("uri", ""))
    if not uri.lower().endswith(".svg") or not isinstance(node.parent, nodes.figure) or "://" in uri:
        return None
    return legible_width(Path(self.builder.srcdir, uri))


def visit_image(self: HTML5Translator, node: nodes.image) -> None:
    """A figure's SVG inside a focusable wrapper that knows the SVG's legible width; other images as written."""
    width = _svg_width(self, node)
    if width is not None:
        caption = next(iter(node.parent.findall(nodes.caption)), None)
        words = caption.astext().split() if caption is not None else []
        name = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        label = f"Figure, scrolls sideways: {name}" if name else "Figure, scrolls sideways"
        # written by hand: starttag() would give the wrapper the image's own ids and classes
        self.body.append(
            '<div class="pn-figure-scroll" role="region" tabindex="0" '
            f'style="--pn-legible-width: {width}px" aria-label="{self.attval(label)}">'
        )
    type(self).visit_image(self, node)


def depart_image(self: HTML5Translator, node: nodes.image) -> None:
    """Close the wrapper an SVG figure opened."""
    type(self).depart_image(self, node)
    if _svg_width(self, node) is not None:
        self.body.append("</div>\n")


def _no_scaled_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A figure's SVG is not wrapped in a link to itself (the HTML builder links scaled images).

    The scrolling region is the way to see it whole; a link around it would put one interactive
    element inside another, and opening the SVG alone shrinks it to the screen again.
    """
    for image in doctree.findall(nodes.image):
        svg_figure = isinstance(image.parent, nodes.figure) and str(image.get("uri", "")).lower().endswith(".svg")
        if svg_figure and "no-scaled-link" not in image["classes"]:
            image["classes"].append("no-scaled-link")


def setup(app: Sphinx) -> None:
    """Override the HTML image visitor (other builders are untouched) and add the narrow-screen styles."""
    app.connect("doctree-resolved", _no_scaled_link)
    app.add_node(nodes.image, override=True, html=(visit_image, depart_image))
    app.add_css_file("papernotes-figures.css")
