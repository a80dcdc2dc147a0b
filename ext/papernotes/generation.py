"""Whether anything a site-wide file is made of changed since that file was written.

``papers.json``, the citation files, the tag and year pages, ``feed.xml`` and the ``llms.txt``
files are functions of the environment,
the bibliography, the settings, the builder and papernotes' own code. Working out their inputs
costs about a tenth of a no-op rebuild at 1,000 entries, where nothing can have changed. This
module gives them a cheap test instead: a token kept in the environment and renewed whenever a
page is read or removed (the environment is pickled after reading, so a build that fails while
writing leaves the new token, never a stale one), and a signature made of that token with
digests of the bibliography, every setting, the builder and output folder, and this package's
files. A writer whose stamp holds the signature, with its files all present, has nothing to do.
"""

from __future__ import annotations

import hashlib
import uuid
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

from papernotes.bibliography import bibliography_of

__all__ = ["PACKAGE_DIGEST", "is_current", "mark_current", "signature"]

_KEY = "generation"


def _package_digest() -> bytes:
    """Every file of the package (code, schema, templates, styles): another version may write other files."""
    digest = hashlib.sha1()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


#: This package's files, as one digest.
PACKAGE_DIGEST = _package_digest()


def _stable(value: Any) -> str:
    """A repr that is the same in every process: sets and dicts in sorted order."""
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(_stable(item) for item in value)) + "}"
    if isinstance(value, dict):
        items = sorted((_stable(key), _stable(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return type(value).__name__ + "[" + ", ".join(_stable(item) for item in value) + "]"
    return repr(value)


def _renew(env: BuildEnvironment) -> None:
    env.domaindata.setdefault("pn", {})[_KEY] = uuid.uuid4().hex


def _on_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: pages are about to be read."""
    if docnames:
        _renew(env)


def _on_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: a page is removed, or about to be read again."""
    _renew(env)


#: The signature of each builder's current build, with the token it was made from.
_signatures: weakref.WeakKeyDictionary[Builder, tuple[str | None, str]] = weakref.WeakKeyDictionary()


def signature(app: Sphinx) -> str:
    """What every site-wide file of this build is made of, as one digest (made once per build)."""
    token = app.env.domaindata.get("pn", {}).get(_KEY)
    found = _signatures.get(app.builder)
    if found is not None and found[0] == token:
        return found[1]
    bibliography = bibliography_of(app.env)
    digest = hashlib.sha1(PACKAGE_DIGEST)
    digest.update(repr((token, app.builder.name, str(app.outdir), bibliography.files, bibliography.macros)).encode())
    for key in sorted(bibliography.entries):
        digest.update(f"\0{key}\0{bibliography.entries[key].raw}".encode())
    digest.update(
        repr([(problem.path, problem.line, problem.key, problem.message) for problem in bibliography.problems]).encode()
    )
    for item in sorted(app.config, key=lambda item: item.name):
        digest.update(f"\0{item.name}\0{_stable(item.value)}".encode())
    _signatures[app.builder] = (token, digest.hexdigest())
    return digest.hexdigest()


def _stamp_text(app: Sphinx, extra: str) -> str:
    return signature(app) + ("\n" + hashlib.sha1(extra.encode()).hexdigest() if extra else "")


def _stamp(app: Sphinx, name: str) -> Path:
    return Path(app.doctreedir) / f"papernotes-{name}.stamp"


def is_current(app: Sphinx, name: str, files: Iterable[Path], extra: str = "") -> bool:
    """Whether ``name``'s files were written from what this build has, and are all there.

    ``extra`` is what else the files depend on (how pages are rendered: templates, versions).
    """
    if app.env.domaindata.get("pn", {}).get(_KEY) is None:
        return False
    try:
        stamp = _stamp(app, name).read_text(encoding="utf-8")
    except OSError:
        return False
    return stamp == _stamp_text(app, extra) and all(path.is_file() for path in files)


def mark_current(app: Sphinx, name: str, extra: str = "") -> None:
    """Note that ``name``'s files now hold what this build has."""
    path = _stamp(app, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_stamp_text(app, extra), encoding="utf-8")


def setup(app: Sphinx) -> None:
    """Renew the token whenever a page is read or removed."""
    app.connect("env-before-read-docs", _on_read)
    app.connect("env-purge-doc", _on_purge)
