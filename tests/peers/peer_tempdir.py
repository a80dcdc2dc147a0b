"""pytest plugin (``-p peer_tempdir``): build the test roots in a fixed directory, kept between runs.

``sphinx.testing`` builds each test root under the ``sphinx_test_tempdir`` fixture (by default
pytest's fresh base temp directory). With ``PEER_SPHINX_TEMPDIR`` set, that fixture returns this
fixed directory instead, so a second pytest run rebuilds every root incrementally on the first
run's output -- in a new process, as a user's second build is.

The override is registered at session start, after the suite's conftest has registered
``sphinx.testing.fixtures``, so it takes precedence over that plugin's fixture.
"""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any

import pytest


def _override() -> types.ModuleType:
    module = types.ModuleType("peer_sphinx_tempdir_override")

    @pytest.fixture(scope="session")
    def sphinx_test_tempdir() -> Path:
        path = Path(os.environ["PEER_SPHINX_TEMPDIR"])
        path.mkdir(parents=True, exist_ok=True)
        return path

    module.sphinx_test_tempdir = sphinx_test_tempdir  # type: ignore[attr-defined]
    return module


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Replace ``sphinx_test_tempdir`` when PEER_SPHINX_TEMPDIR is set."""
    if os.environ.get("PEER_SPHINX_TEMPDIR"):
        session.config.pluginmanager.register(_override(), "peer-sphinx-tempdir-override")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say in the log where the roots were built."""
    if os.environ.get("PEER_SPHINX_TEMPDIR"):
        terminalreporter.write_line(f"peer-tempdir: Sphinx test roots built under {os.environ['PEER_SPHINX_TEMPDIR']}")
