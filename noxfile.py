"""Developer tasks: build the site, run the tests, lint, serve, check links, benchmark.

Each session installs what it needs from pyproject.toml into its own environment, so a fresh
machine with Python 3.11+ and nox is enough.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
BUILD_DIR = "docs/_build/html"


def install(session: nox.Session, *groups: str) -> None:
    """The project (editable, with its runtime dependencies) and the named dependency groups."""
    session.install("-e", ".")
    for group in groups:
        requirements = nox.project.dependency_groups(PYPROJECT, group)
        if requirements:
            session.install(*requirements)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html; any warning fails the build."""
    install(session, "docs")
    session.run("sphinx-build", "-b", "html", "-W", "--keep-going", "-n", *session.posargs, "docs", BUILD_DIR)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (Sphinx test roots, browser tests in Debian's chromium when installed)."""
    install(session, "tests")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting check."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def serve(session: nox.Session) -> None:
    """Rebuild and reload the site on every edit, served on 127.0.0.1 only."""
    install(session, "docs", "serve")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        "ext",
        "--watch",
        "papers.bib",
        "docs",
        BUILD_DIR,
        *session.posargs,
    )


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link (needs the internet, so CI does not run it)."""
    install(session, "docs")
    session.run("sphinx-build", "-b", "linkcheck", "docs", "docs/_build/linkcheck", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time papernotes against bare Sphinx + MyST on synthetic collections (docs/performance.md).

    Quick run: ``nox -s bench -- --sizes 100,1000 --repeats 3``; the full run takes about 20 minutes.
    """
    install(session, "docs")
    session.run("python", "bench/run.py", *session.posargs)
