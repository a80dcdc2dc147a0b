"""The bibliography of a build: which files papernotes reads, when, and what it reports about them.

papernotes reads the files named by ``papernotes_bibfiles`` (by default sphinxcontrib-bibtex's
``bibtex_bibfiles``, when that extension is loaded) with the project's ``bibtex_encoding``, once
per build, before sphinxcontrib-bibtex reads them, and keeps the result on the ``pn`` domain for
the directives. It reports only what concerns the entries it shows: an entry's problems are
warned about where a ``{paper}`` uses it, at the bib file's line; a problem of the file itself
(one sphinxcontrib-bibtex would end the build on, or any problem when sphinxcontrib-bibtex does
not read that file) is warned about once per build. sphinxcontrib-bibtex's input, configuration,
data and warnings are never changed.
"""

from __future__ import annotations

import difflib
import hashlib
import pickle
import re
from dataclasses import replace
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from papernotes.bibentry import BibEntry, Bibliography, Problem
from papernotes.bibfile import forget_parsed, read_bibliography
from papernotes.config import config_location
from papernotes.conventions import convention_problems
from papernotes.domain import PaperNotesDomain
from papernotes.messages import warn
from papernotes.options import find_markup

__all__ = ["bibfile_paths", "bibliography_of", "close_keys", "report_entry"]

#: Fields every paper entry must have to be shown properly.
REQUIRED_FIELDS = ("title", "author", "year")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _names(config: Config) -> list[str]:
    names = config.papernotes_bibfiles
    if names is None:
        names = config.bibtex_bibfiles if "bibtex_bibfiles" in config else []
    return [str(name) for name in names or []]


def bibfile_paths(app: Sphinx, config: Config) -> list[Path]:
    """The files papernotes reads: ``papernotes_bibfiles``, else sphinxcontrib-bibtex's ``bibtex_bibfiles``."""
    return [(Path(app.confdir) / name).resolve() for name in _names(config)]


def _encoding(config: Config) -> str:
    return str(config.bibtex_encoding) if "bibtex_encoding" in config else "utf-8-sig"


def _read_by_sphinxcontrib_bibtex(app: Sphinx, path: str) -> bool:
    if "sphinxcontrib.bibtex" not in app.extensions or "bibtex_bibfiles" not in app.config:
        return False
    theirs = {str((Path(app.confdir) / str(name)).resolve()) for name in app.config.bibtex_bibfiles or []}
    return path in theirs


def load(app: Sphinx) -> None:
    """Read the bibliography for this build and report what nobody else will.

    A file sphinxcontrib-bibtex does not read (none of its files, or a project that points it at a
    clean copy) is papernotes' alone: every problem of it, and of each of its entries, is reported
    here, once per build. In a file sphinxcontrib-bibtex reads, its entries are its business, save
    those a ``{paper}`` shows (reported by :func:`report_entry`), and only a syntax error it would
    end the build on is reported here, so the contributor sees where it is.
    """
    domain = app.env.domains["pn"]
    assert isinstance(domain, PaperNotesDomain)
    paths = bibfile_paths(app, app.config)
    bibliography = read_bibliography(paths, _encoding(app.config), Path(app.doctreedir))
    # Messages name the files as conf.py does (the parse itself is shared, cached by path).
    domain.bibliography = replace(bibliography, sources=_names(app.config))
    ours = {str(path) for path in paths if not _read_by_sphinxcontrib_bibtex(app, str(path))}
    domain.bibliography_reported = frozenset(ours)
    setting = "papernotes_bibfiles" if app.config.papernotes_bibfiles is not None else "bibtex_bibfiles"
    for problem in bibliography.problems:
        if problem.line == 0:  # the file as a whole: point at the setting that names it
            if problem.path in ours or "not found" not in problem.message:
                warn(problem.subtype, problem.message, config_location(app, setting))
        elif problem.path in ours or problem.in_file:
            warn(problem.subtype, problem.message, _location(problem))
    checked = _checked_entries(Path(app.doctreedir), bibliography, ours)
    for entry in bibliography.entries.values():
        if entry.path in ours:
            for subtype, message in checked[entry.key]:
                warn(subtype, message, _location(entry))


#: The problems of each entry papernotes reports, by the entry's text and the files' macros, kept
#: next to Sphinx's pickles: checking the conventions of every entry was a tenth of a rebuild that
#: reads one page. They depend on the rules too: a file written by other code is not reused.
_CHECKED_FILE = "papernotes-bib-checked.pickle"
_RULES = [Path(__file__), *(Path(__file__).with_name(name) for name in ("conventions.py", "options.py", "bibfile.py"))]
_RULES_DIGEST = hashlib.sha1(b"".join(path.read_bytes() for path in _RULES)).digest()
Checked = dict[bytes, list[tuple[str, str]]]


def _checked_entries(directory: Path, bibliography: Bibliography, ours: set[str]) -> dict[str, list[tuple[str, str]]]:
    """:func:`entry_problems` of every entry of the files papernotes reports on, checked once per text."""
    path = directory / _CHECKED_FILE
    try:
        saved = pickle.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        saved = None
    known: Checked = saved[1] if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == _RULES_DIGEST else {}
    current: Checked = {}
    result: dict[str, list[tuple[str, str]]] = {}
    for entry in bibliography.entries.values():
        if entry.path not in ours:
            continue
        digest = hashlib.sha1(f"{entry.key}\0{bibliography.macros}\0{entry.raw}".encode()).digest()
        found = known.get(digest)
        current[digest] = result[entry.key] = found if found is not None else entry_problems(entry)
    if current != known:
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{_CHECKED_FILE}.partial")
        partial.write_bytes(pickle.dumps((_RULES_DIGEST, current), protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    return result


def _location(problem: Problem | BibEntry) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path


def bibliography_of(env: BuildEnvironment) -> Bibliography:
    """The bibliography read for this build (empty before it is read, or with no files configured)."""
    found: Bibliography | None = getattr(env.domains["pn"], "bibliography", None)
    return found if found is not None else Bibliography()


def close_keys(bibliography: Bibliography, key: str) -> list[str]:
    """Keys ``key`` is a near miss of: the same but for case, else up to three close spellings."""
    folded = {known.lower(): known for known in bibliography.entries}
    if key.lower() in folded:
        return [folded[key.lower()]]
    return [folded[match] for match in difflib.get_close_matches(key.lower(), list(folded), n=3, cutoff=0.8)]


def _lacks(entry: BibEntry) -> list[str]:
    """The required fields an entry does not have."""
    return [name for name in REQUIRED_FIELDS if not (entry.authors if name == "author" else entry.fields.get(name))]


def entry_problems(entry: BibEntry) -> list[tuple[str, str]]:
    """What is wrong with an entry that parses: (subtype, message) pairs, at most one per kind."""
    problems: list[tuple[str, str]] = []
    missing = _lacks(entry)
    if missing:
        problems.append(("bibfield", f"entry '{entry.key}' lacks {', '.join(missing)}"))
    elif not _YEAR.match(entry.year):
        problems.append(("bibfield", f"entry '{entry.key}': year {entry.year!r} is not a four-digit year"))
    texts = [(name, value) for name, value in entry.fields.items() if name not in ("url", "doi")]
    marked = [name for name, value in [*texts, ("author", " and ".join(entry.authors))] if find_markup(value)]
    if marked:
        message = f"entry '{entry.key}': {', '.join(marked)} looks like HTML or script; it is shown as plain text"
        problems.append(("markup", message))
    if "url" in entry.rejected:
        problems.append(("url", f"entry '{entry.key}': url: {entry.rejected['url']}; the link is left out"))
    problems.extend(("convention", f"entry '{entry.key}': {problem}") for problem in convention_problems(entry))
    return problems


def report_entry(env: BuildEnvironment, key: str) -> None:
    """Warn about the problems of the entry a ``{paper}`` shows, at its line, unless :func:`load` did."""
    bibliography = bibliography_of(env)
    reported: frozenset[str] = getattr(env.domains["pn"], "bibliography_reported", frozenset())
    for problem in bibliography.problems_of(key):
        if not problem.in_file and problem.path not in reported:
            warn(problem.subtype, problem.message, _location(problem))
    entry = bibliography.get(key)
    if entry is not None and entry.path not in reported:
        for subtype, message in entry_problems(entry):
            warn(subtype, message, _location(entry))


def _forget_parsed(app: Sphinx, exception: BaseException | None) -> None:
    """Once the citation files are written, the pybtex entries kept for them are let go."""
    forget_parsed()


def setup(app: Sphinx) -> None:
    """Read the bibliography once the builder exists, before sphinxcontrib-bibtex reads it (priority 500)."""
    app.connect("builder-inited", load, priority=400)
    app.connect("build-finished", _forget_parsed, priority=900)
