"""pytest plugin (``-p peer_inject``): every Sphinx app a test suite builds also loads an extension.

Sphinx reads ``conf.py`` through :meth:`sphinx.config.Config.read`, called from ``Sphinx.__init__``
before any extension is set up. The wrapper below appends the extension to the configuration's
``extensions`` -- in the raw configuration too, where Sphinx's own ``-D extensions=`` override puts
its list -- so Sphinx sets it up after the test root's own extensions, as for a user who adds it
last to ``conf.py``. The test roots' extensions and the tests' ``confoverrides`` stay as they are
(``confoverrides={"extensions": [...]}`` would replace the list instead of adding to it).

Environment:

``PEER_EXTENSION``
    the extension to inject (default ``papernotes``).
``PEER_SUPPRESS_OWN_WARNINGS=1``
    also add the extension's warning type (its name) to ``suppress_warnings``: a diagnostic run,
    which tells "the extension adds warnings" from "the extension changes what the suite tests".
``PEER_RECORD``
    a JSON file written at the end: for each test, the configuration directory each of its apps
    read and whether that configuration sets ``bibtex_bibfiles``, and the warnings the extension
    logged (its own type, or its own loggers; suppressed ones too); and how often the extension's
    ``setup()`` ran, to show it really was loaded.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
import sphinx.config
import sphinx.util.logging
from sphinx.application import Sphinx

EXTENSION = os.environ.get("PEER_EXTENSION", "papernotes")
SUPPRESS = os.environ.get("PEER_SUPPRESS_OWN_WARNINGS") == "1"

counts = {"configs": 0, "setups": 0}
#: test node id -> one record per Sphinx configuration read while the test ran
apps_by_test: dict[str, list[dict[str, Any]]] = {}
#: test node id -> the extension's warnings while the test ran (the first few)
warnings_by_test: dict[str, list[dict[str, str]]] = {}
MAX_WARNINGS = 20
current_test: list[str] = []

_original_read = sphinx.config.Config.read.__func__


def _read(
    cls: type[sphinx.config.Config], confdir: str | os.PathLike[str], *args: Any, **kwargs: Any
) -> sphinx.config.Config:
    overrides = kwargs.get("overrides", args[0] if args else None) or {}
    config = _original_read(cls, confdir, *args, **kwargs)
    extensions = list(config.extensions)
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    config._raw_config["extensions"] = extensions
    config.extensions = extensions
    if SUPPRESS:
        suppressed = config._raw_config.get("suppress_warnings", [])
        config._raw_config["suppress_warnings"] = [*suppressed, EXTENSION]
    counts["configs"] += 1
    if current_test:
        apps_by_test.setdefault(current_test[-1], []).append(
            {
                "confdir": Path(confdir).name,
                "bibtex_bibfiles": "bibtex_bibfiles" in config._raw_config or "bibtex_bibfiles" in overrides,
            }
        )
    return config


sphinx.config.Config.read = classmethod(_read)  # type: ignore[method-assign, assignment]


class _WarningRecorder(logging.Handler):
    """Keeps the extension's own warnings, under the test that is running."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        kind = getattr(record, "type", None)
        if not current_test or (kind != EXTENSION and not record.name.startswith(f"sphinx.{EXTENSION}")):
            return
        found = warnings_by_test.setdefault(current_test[-1], [])
        if len(found) < MAX_WARNINGS:
            # Sphinx's own warning handler, which runs first, has put the location and the
            # [type.subtype] suffix into the message (unless the warning was suppressed).
            subtype = getattr(record, "subtype", None)
            found.append(
                {
                    "type": f"{kind}.{subtype}" if kind and subtype else kind or record.name,
                    "message": record.getMessage(),
                }
            )


_original_logging_setup = sphinx.util.logging.setup


def _logging_setup(app: Sphinx, *args: Any, **kwargs: Any) -> None:
    """Sphinx's logging setup (it removes every handler of its logger), then the recorder."""
    _original_logging_setup(app, *args, **kwargs)
    logging.getLogger(sphinx.util.logging.NAMESPACE).addHandler(_WarningRecorder())


sphinx.util.logging.setup = _logging_setup


def pytest_configure(config: pytest.Config) -> None:
    """Count the extension's ``setup()`` calls (the module is imported here, before any app)."""
    module = importlib.import_module(EXTENSION)
    original_setup = module.setup

    def counted_setup(app: Sphinx) -> Any:
        counts["setups"] += 1
        return original_setup(app)

    module.setup = counted_setup


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    """Remember which test is running, to file the configurations it reads under it."""
    current_test.append(item.nodeid)
    try:
        return (yield)
    finally:
        current_test.pop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the record for the comparison (PEER_RECORD)."""
    path = os.environ.get("PEER_RECORD")
    if path:
        record = {"extension": EXTENSION, "counts": counts, "tests": apps_by_test, "warnings": warnings_by_test}
        Path(path).write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say in the log that the extension was injected, and how often it was set up."""
    suppressed = f"; '{EXTENSION}' warnings suppressed" if SUPPRESS else ""
    terminalreporter.write_line(
        f"peer-inject: '{EXTENSION}' appended to {counts['configs']} Sphinx configs; "
        f"its setup() ran {counts['setups']} times{suppressed}"
    )
