"""Shared fixtures: Sphinx's own testing fixtures, pointed at the small sites in tests/roots."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real site built once per session exactly as `nox -s docs` does; (html dir, warnings)."""
    outdir = tmp_path_factory.mktemp("real-site") / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "--keep-going"]
    command += ["-d", str(outdir.parent / "doctrees"), str(DOCS), str(outdir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return outdir, result.stderr


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last, so no Sphinx test forks its -j 2 workers beside a live browser."""
    items.sort(key=lambda item: "browser" in item.path.parts)
