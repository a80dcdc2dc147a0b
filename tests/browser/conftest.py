"""Browser tests: the real site (docs/), built once per session and served on 127.0.0.1.

They drive Debian's chromium through Playwright (never a downloaded browser) and are skipped, with
the reason, where /usr/bin/chromium or the playwright package is missing; .ci/run installs both.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_FLAGS

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not worth a line each in the test output."""


@pytest.fixture(scope="session")
def site_dir(built_site: tuple[Path, str]) -> Path:
    """The real site, built once per session (the same build the real-site tests read)."""
    outdir, _ = built_site
    assert (outdir / "index.html").is_file()
    return outdir


@pytest.fixture(scope="session")
def site(site_dir: Path) -> Iterator[str]:
    """The base URL of the built site, served by http.server on 127.0.0.1 in a thread."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium per test module, closed after it.

    Playwright's sync API runs an event loop while it is open; closing it with the module lets
    other tests (tests/test_views.py) open their own.
    """
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


class Errors(list[str]):
    """JavaScript errors and failed requests seen by a page, collected as they happen."""


@pytest.fixture
def context(browser: object, site: str) -> Iterator[object]:
    """A fresh browser context (clipboard allowed for the site)."""
    ctx = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    yield ctx
    ctx.close()


def console_error(message: object) -> bool:
    """A console error, other than the browser's own request for a favicon the site does not have."""
    return message.type == "error" and not (message.location or {}).get("url", "").endswith("/favicon.ico")


@pytest.fixture
def page(context: object) -> Iterator[object]:
    """A page that records every JavaScript error; a test that sees one fails."""
    tab = context.new_page()
    errors = Errors()
    tab.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    tab.on("console", lambda message: console_error(message) and errors.append(f"console: {message.text}"))
    tab.errors = errors
    yield tab
    tab.close()
    assert list(errors) == [], errors
