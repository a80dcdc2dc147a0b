"""Developer tasks: build the site, run the tests, lint, serve, check links, benchmark.

Each session installs what it needs from pyproject.toml into its own environment, so a fresh
machine with Python 3.11+ and nox is enough.
"""

from __future__ import annotations

import re

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
BUILD_DIR = "docs/_build/html"


def install(session: nox.Session, *groups: str, lowest: bool = False) -> None:
    """The project (editable, with its runtime dependencies) and the named dependency groups.

    With ``lowest``, every dependency the project declares with ``>=`` (runtime and groups) is
    installed at exactly that version: the oldest releases pyproject.toml claims to support.
    """
    requirements = [requirement for group in groups for requirement in nox.project.dependency_groups(PYPROJECT, group)]
    if lowest:
        declared = [*PYPROJECT["project"]["dependencies"], *requirements]
        pins = [_lowest(requirement) for requirement in declared]
        session.install(*pins)
        session.install("--no-deps", "-e", ".")
        return
    session.install("-e", ".")
    if requirements:
        session.install(*requirements)


def _lowest(requirement: str) -> str:
    """``name[extra]>=1.2,!=2.0.*`` becomes ``name[extra]==1.2``; a requirement without a lower bound stays as it is."""
    match = re.match(r"^([A-Za-z0-9_.\-]+\s*(?:\[[^\]]*\])?)\s*>=\s*([^,;\s]+)", requirement)
    return f"{match.group(1)}=={match.group(2)}" if match else requirement


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html; any warning fails the build."""
    install(session, "docs")
    session.run("sphinx-build", "-b", "html", "-W", "--keep-going", "-n", *session.posargs, "docs", BUILD_DIR)


@nox.session(python=["3.11", "3.12"])
def tests(session: nox.Session) -> None:
    """Run the test suite twice: the lowest declared versions on Python 3.11, the newest releases on 3.12.

    ``nox -s tests-3.11`` or ``nox -s tests-3.12`` runs one of them. Browser tests run where Debian's
    chromium is installed, and are skipped with the reason elsewhere.
    """
    install(session, "tests", lowest=session.python == "3.11")
    session.run("python", "-c", "import sphinx, sys; print('Sphinx', sphinx.__version__, 'on Python', sys.version)")
    session.run("pytest", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict, on the extension (ext/papernotes)."""
    install(session, "typecheck")
    session.run("mypy", *session.posargs)


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
def new(session: nox.Session) -> None:
    """Add a paper: ``nox -s new -- --family llama 2307.09288`` (an arXiv id, a DOI, a .bib file or ``-``).

    Appends the normalised entry to papers.bib and a ``{paper}`` block to docs/families/FAMILY.md;
    ``nox -s new -- --help`` lists the options (docs/contributing/add-a-paper.md).
    """
    install(session)
    session.run("python", "-m", "papernotes.contributor.new", *session.posargs)


@nox.session
def verify(session: nox.Session) -> None:
    """Compare papers.bib with arXiv and Crossref (``-- --offline``: conventions, duplicates, spellings only)."""
    install(session)
    session.run("python", "-m", "papernotes.contributor.verify", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time papernotes against hand-written MyST and sphinx-needs on synthetic collections (docs/performance.md).

    Quick run: ``nox -s bench -- --sizes 100,1000 --repeats 1``; the full run takes about an hour.
    """
    install(session, "bench")
    session.run("python", "-m", "bench", *session.posargs)


@nox.session
def bibtex_suite(session: nox.Session) -> None:
    """Run sphinxcontrib-bibtex's own test suite with papernotes loaded into every Sphinx app it builds.

    The suite comes from the sdist of the sphinxcontrib-bibtex version the site installs (docs
    group); it runs as is (baseline) and with papernotes injected, and the session fails when a test
    fails only with papernotes (tests/peers/bibtex_suite.py says how). Takes about 4 minutes (6 when
    some test fails). Options after ``--``: ``--help``.
    """
    install(session, "docs")
    # pip: the script downloads the sdist and installs the suite's own test requirements with it.
    session.install("pip", "pytest")
    session.run("python", "tests/peers/bibtex_suite.py", "--work", session.create_tmp(), *session.posargs)
