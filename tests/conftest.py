"""Shared fixtures: Sphinx's own testing fixtures, pointed at the small sites in tests/roots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def copied_root(tmp_path, rootdir):
    """A private copy of a test root, for tests that edit sources between builds."""

    def copy(name: str, target: str | None = None) -> Path:
        destination = tmp_path / (target or name)
        shutil.copytree(rootdir / f"test-{name}", destination)
        return destination

    return copy
