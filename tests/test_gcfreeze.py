"""papernotes.gcfreeze: objects loaded before reading are frozen during the build, thawed after it; the thresholds."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import ROOTS

T = TypeVar("T")


def while_reading(tmp_path: Path, settings: dict[str, object], measure: Callable[[], T]) -> list[T]:
    """Build the basic root with ``settings``; ``measure()`` taken as each page is read."""
    srcdir = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    seen: list[T] = []
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=settings)
    app.connect("doctree-read", lambda app, doctree: seen.append(measure()))
    try:
        app.build()
    finally:
        app.cleanup()
    assert seen
    return seen


@pytest.mark.parametrize("freeze", [True, False])
def test_the_collector_skips_what_was_loaded_before_reading_until_the_build_ends(tmp_path: Path, freeze: bool):
    gc.unfreeze()  # whatever an earlier test left
    frozen_while_reading = while_reading(tmp_path, {"papernotes_freeze_gc": freeze}, gc.get_freeze_count)
    if freeze:
        assert min(frozen_while_reading) > 10_000  # the modules and the application, at least
    else:
        assert max(frozen_while_reading) == 0
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    ("setting", "during"), [([40_000, 15, 12], (40_000, 15, 12)), ([], None), ("700,11,12", (700, 11, 12))]
)
def test_the_collector_thresholds_are_the_settings_while_building_and_pythons_after(tmp_path: Path, setting, during):
    before = gc.get_threshold()
    seen = while_reading(tmp_path, {"papernotes_gc_threshold": setting}, gc.get_threshold)
    assert set(seen) == {during or before}
    assert gc.get_threshold() == before


def test_a_bad_threshold_is_reported_and_the_default_used(tmp_path: Path):
    srcdir = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"papernotes_gc_threshold": (1, 2)})
    try:
        assert app.config.papernotes_gc_threshold == (10_000, 10, 10)
        assert "papernotes_gc_threshold must be three whole numbers" in app.warning.getvalue()
        assert "[papernotes.config]" in app.warning.getvalue()
    finally:
        app.cleanup()
