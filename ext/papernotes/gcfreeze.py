"""Keep the build's long-lived objects out of Python's cyclic garbage collector.

A large build holds hundreds of thousands of objects for its whole life: the parsed bibliography
(pybtex entries, names, fields) from ``builder-inited``, and after reading, the environment (every
page's titles, tables of contents, domain records). Python's collector scans all of them again on
every full collection, and a clean build of 1,000 papers triggers enough of those to spend a sixth
of its time there (measured in ``nox -s bench``; the hand-written floor loses a tenth the same way).
``gc.freeze()`` (Python's public API, meant for exactly this and for processes that fork workers,
as ``sphinx-build -j`` does) moves the objects alive at that moment to a permanent generation the
collector skips. It is called twice: once the bibliography is read, and once every page is read,
each time after a full collection so no garbage is frozen. When the build finishes (or fails),
``gc.unfreeze()`` hands them back, so a process that builds many times (a test suite,
``sphinx-autobuild``) frees each build's objects as before. ``papernotes_freeze_gc = False``
leaves the collector alone. Nothing a build writes depends on it.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

__all__ = ["setup"]


def _freeze(app: Sphinx) -> None:
    if app.config.papernotes_freeze_gc:
        gc.collect()
        gc.freeze()


def _after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    _freeze(app)


def _unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    if app.config.papernotes_freeze_gc:
        gc.unfreeze()


def setup(app: Sphinx) -> None:
    """Freeze after the bibliography is read and after every page is read; thaw when the build ends."""
    app.connect("builder-inited", _freeze, priority=900)
    app.connect("env-updated", _after_reading, priority=900)
    app.connect("build-finished", _unfreeze, priority=900)
