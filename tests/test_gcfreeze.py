"""papernotes.gcfreeze: objects loaded before reading are frozen during the build, and thawed after it."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import ROOTS


@pytest.mark.parametrize("freeze", [True, False])
def test_the_collector_skips_what_was_loaded_before_reading_until_the_build_ends(tmp_path: Path, freeze: bool):
    srcdir = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    gc.unfreeze()  # whatever an earlier test left
    frozen_while_reading: list[int] = []
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"papernotes_freeze_gc": freeze})
    app.connect("doctree-read", lambda app, doctree: frozen_while_reading.append(gc.get_freeze_count()))
    try:
        app.build()
    finally:
        app.cleanup()
    assert frozen_while_reading
    if freeze:
        assert min(frozen_while_reading) > 10_000  # the modules and the application, at least
    else:
        assert max(frozen_while_reading) == 0
    assert gc.get_freeze_count() == 0
