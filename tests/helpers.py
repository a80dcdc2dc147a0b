"""Small helpers shared by the tests: parse built HTML, read warnings, compare whole builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
CHROMIUM = Path("/usr/bin/chromium")
#: How Debian's chromium runs here: headless, as root, and without reaching for the network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def html(app, docname: str) -> BeautifulSoup:
    """The built page of a document, parsed."""
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def warnings_of(app) -> list[str]:
    """The build's warning lines, without colour codes."""
    text = _ANSI.sub("", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line]


def papernotes_warnings(app, subtype: str | None = None) -> list[str]:
    """Warnings of type papernotes (optionally of one subtype)."""
    tag = f"[papernotes.{subtype}]" if subtype else "[papernotes."
    return [line for line in warnings_of(app) if tag in line]


_VOLATILE = [
    re.compile(r"\?v=[0-9a-f]+"),  # cache-busting hashes of static files
    re.compile(r"<script[^>]*documentation_options[^>]*></script>"),
]


def site_pages(outdir: Path) -> dict[str, str]:
    """Every HTML page of a build, keyed by path, with build-specific noise removed."""
    pages = {}
    for path in sorted(Path(outdir).rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in _VOLATILE:
            text = pattern.sub("", text)
        pages[str(path.relative_to(outdir))] = text
    return pages


def build(
    srcdir: Path, buildername: str = "html", *, parallel: int = 0, fresh: bool = True, watch: list[str] | None = None
) -> SphinxTestApp:
    """Build a tree with a new app, as running sphinx-build again would; ``watch`` collects re-read pages."""
    app = SphinxTestApp(buildername, srcdir=srcdir, parallel=parallel, freshenv=fresh)
    if watch is not None:
        app.connect("env-before-read-docs", lambda app, env, docnames: watch.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()  # unregister docutils nodes, so the next app starts clean
    return app


def copy_and_build(directory: Path, root: str, buildername: str = "html") -> SphinxTestApp:
    """Copy ``tests/roots/test-<root>`` into a directory of the test's own and build it."""
    srcdir = directory / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    return build(srcdir, buildername)
