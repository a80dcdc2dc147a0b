"""Peer suite: does papernotes break sphinxcontrib-bibtex's own behaviour? (issue 14)

papernotes works beside sphinxcontrib-bibtex in the same projects and reads the same
bibliography files. A project that already uses sphinxcontrib-bibtex must keep
every citation, bibliography, style and warning it had. Our own tests cannot say that; the one
test suite that specifies what sphinxcontrib-bibtex does is its own. So this script runs that
suite, from the sdist of the version installed beside papernotes, twice:

baseline
    as it is, and
papernotes
    with papernotes appended to the ``extensions`` of every Sphinx app the suite builds
    (``peer_inject.py``, a pytest plugin beside this script),

and compares the outcomes test by test. Each runs twice, every pass a new pytest process: pass 1
builds the test roots from scratch, pass 2 rebuilds the same roots incrementally on pass 1's output
(``peer_tempdir.py``), since papernotes keeps state between builds. When some test fails only
with papernotes, a third, diagnostic run ("quiet") injects papernotes with its own warnings in
``suppress_warnings``: a test failing there too means papernotes changes what sphinxcontrib-bibtex
does, not only what it warns about.

Run it with ``nox -s bibtex_suite``, in the environment where papernotes is installed: it installs
the suite's test requirements (the sdist's ``test`` extra, and what its optional numpydoc, rinohtype
and Cython tests need, each deselected if it does not install) there with pip, constrained to the
versions already installed, so the suite tests exactly the sphinxcontrib-bibtex, Sphinx and docutils
papernotes runs with. Everything else goes to the work directory (``--work``; the session passes
``.nox/bibtex_suite/tmp``): the sdist, a copy of the suite per run, the built roots, and results/
with each pass's pytest log, junit XML and what the injection plugin recorded.

The tests that fail only with papernotes are printed in three groups: A, still failing with its
warnings suppressed; B, failing on its warnings alone; C, roots that set no ``bibtex_bibfiles``.
Within each, tests with the same error are listed together, each with its root, the pass(es) it
fails in, the test's failing statement, the last traceback line in papernotes' code and the
warnings papernotes logged. ``--compare-only --work DIR`` prints that again from DIR's results.
The last line printed is::

    peer suite: baseline P passed F failed; with papernotes P2 passed F2 failed; N tests fail only with papernotes

(pass-1 counts; "failed" includes pytest errors; N counts the tests that fail with papernotes and
pass in the baseline, in pass 1 or pass 2). Exit status: 0 when N == 0, 1 when N > 0, 2 on a setup
error (no sdist, a requirement that does not install, a run that produced no report).
"""

from __future__ import annotations

import argparse
import configparser
import email.parser
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
PEER = "sphinxcontrib-bibtex"
#: Printed with the result, so a report says what was tested.
VERSIONS_SHOWN = ("sphinxcontrib-bibtex", "sphinx", "docutils", "pybtex", "pybtex-docutils", "papernotes", "pytest")
#: The suite's optional test groups (pytest markers, deselected by its own pytest.ini) and what each
#: needs installed; a group whose packages do not install is deselected, and the report says so.
OPTIONAL_GROUPS: dict[str, tuple[str, ...]] = {
    "numpydoc": ("numpydoc",),
    "rinohtype": ("rinohtype",),
    # A Cython extension module shipped in the suite's test/ folder, compiled here (needs a C compiler).
    "cython": ("Cython", "{source}/test/some_cython_module"),
}
PYTEST_TIMEOUT = 1800  # seconds for one pass of the suite; it takes about a minute here
BAD = ("failed", "error", "missing")
ANSI = re.compile(r"(\x1b|\\x1b)\[[0-9;]*m")


#: What the injection plugin recorded in one run (peer_inject.py): JSON.
Record = dict[str, Any]


class SetupError(Exception):
    """Something other than papernotes went wrong: the comparison cannot be made."""


@dataclass(frozen=True)
class Chain:
    """One configuration of the suite, run twice (pass 1 clean, pass 2 incremental)."""

    name: str
    inject: bool
    quiet: bool = False


BASELINE = Chain("baseline", inject=False)
INJECTED = Chain("papernotes", inject=True)
#: Diagnostic only (not counted), and run only when some test fails only with the extension.
QUIET = Chain("quiet", inject=True, quiet=True)


@dataclass
class Outcome:
    """One test's result in one pass."""

    status: str  # passed, failed, error, skipped, xfailed, missing
    message: str = ""
    statement: str = ""  # for a failure: the test's line that failed
    frame: str = ""  # where the traceback enters the extension's code and last is in it, if it does


@dataclass
class OnlyWithExtension:
    """A test that fails with the extension injected and passes in the baseline."""

    test: str
    outcome: Outcome  # with the extension, in the first pass where it fails
    passes: list[str] = field(default_factory=list)
    quiet: Outcome | None = None  # in the diagnostic run, if it fails there too
    roots: list[str] = field(default_factory=list)
    configures_bibfiles: bool = True
    warnings: list[dict[str, str]] = field(default_factory=list)  # the extension's own, as recorded


# ---- setup -------------------------------------------------------------------------------------


def log(text: str) -> None:
    """A progress line."""
    print(f"== {text}", flush=True)


def run_logged(command: list[str], logfile: Path) -> bool:
    """Run a command, appending its output to logfile; whether it succeeded."""
    with logfile.open("a", encoding="utf-8") as stream:
        stream.write(f"\n$ {' '.join(command)}\n")
        stream.flush()
        result = subprocess.run(command, stdout=stream, stderr=subprocess.STDOUT, check=False)
    return result.returncode == 0


def pip(*args: str) -> list[str]:
    """The pip command of this interpreter's environment."""
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]


def versions() -> dict[str, str]:
    """The versions that matter for the comparison, as installed here."""
    found = {}
    for name in VERSIONS_SHOWN:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def write_constraints(path: Path, extension: str) -> Path:
    """Pin every installed distribution, so the suite's requirements cannot change what is tested."""
    pins = set()
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and name.lower() not in {extension.lower(), "pip", "setuptools", "wheel"}:
            pins.add(f"{name}=={dist.version}")
    path.write_text("\n".join(sorted(pins)) + "\n", encoding="utf-8")
    return path


def fetch_sdist(version: str, directory: Path, logfile: Path, given: Path | None) -> Path:
    """The sdist of sphinxcontrib-bibtex ``version`` (downloaded with pip unless given)."""
    if given is not None:
        if not given.is_file():
            raise SetupError(f"no sdist at {given}")
        return given
    directory.mkdir(parents=True, exist_ok=True)
    command = pip("download", "--no-deps", "--no-binary", ":all:", f"{PEER}=={version}", "-d", str(directory))
    if not run_logged(command, logfile):
        raise SetupError(f"pip could not download the {PEER} {version} sdist (see {logfile})")
    found = [
        path for path in directory.glob("sphinxcontrib[-_]bibtex-*.tar.gz") if path.name.endswith(f"-{version}.tar.gz")
    ]
    if not found:
        raise SetupError(f"pip downloaded no {PEER} {version} sdist into {directory}")
    return found[0]


def unpack(tarball: Path, target: Path) -> Path:
    """Unpack the sdist into target (its top folder stripped); it must ship the test suite."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        members = []
        for member in archive.getmembers():
            parts = Path(member.name).parts
            if len(parts) > 1:
                member.name = str(Path(*parts[1:]))
                members.append(member)
        archive.extractall(target, members=members, filter="data")
    if not (target / "test" / "conftest.py").is_file():
        raise SetupError(f"{tarball.name} has no test suite (test/conftest.py)")
    return target


def test_requirements(source: Path) -> list[str]:
    """The suite's requirements: the sdist's ``test`` extra (PKG-INFO, else pyproject.toml)."""
    requirements = []
    pkg_info = source / "PKG-INFO"
    if pkg_info.is_file():
        metadata = email.parser.Parser().parsestr(pkg_info.read_text(encoding="utf-8"))
        for line in metadata.get_all("Requires-Dist") or []:
            requirement = Requirement(line)
            if requirement.marker is not None and requirement.marker.evaluate({"extra": "test"}):
                requirement.marker = None
                requirements.append(str(requirement))
    if not requirements and (source / "pyproject.toml").is_file():
        project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
        requirements = list(project.get("optional-dependencies", {}).get("test", []))
    if not requirements:
        raise SetupError("the sdist names no test requirements (no 'test' extra)")
    return requirements


def suite_markers(source: Path) -> list[str]:
    """The markers the suite's pytest.ini declares (its optional test groups)."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(source / "pytest.ini", encoding="utf-8")
    declared = ini.get("pytest", "markers", fallback="")
    return [line.split(":", 1)[0].strip() for line in declared.splitlines() if line.strip()]


def install_optional_groups(
    markers: Iterable[str], source: Path, constraints: Path, logfile: Path, skip: bool
) -> tuple[list[str], dict[str, str]]:
    """Install what each optional test group needs; (groups run, groups deselected -> why)."""
    selected, deselected = [], {}
    for marker in markers:
        needs = [need.format(source=source) for need in OPTIONAL_GROUPS.get(marker, ())]
        if not needs:
            deselected[marker] = "unknown to this script"
        elif skip:
            deselected[marker] = "--no-extras"
        elif marker == "cython" and importlib.util.find_spec("some_cython_module") is not None:
            selected.append(marker)  # compiled by an earlier run in this environment
        elif run_logged(pip("install", "-c", str(constraints), *needs), logfile):
            selected.append(marker)
        else:
            deselected[marker] = f"{' and '.join(Path(need).name for need in needs)} did not install; see {logfile}"
    return selected, deselected


def check_import_location(source: Path) -> str:
    """The suite must test the installed sphinxcontrib.bibtex, not the sdist's copy of it."""
    code = "import sys; sys.path.insert(0, '.'); import sphinxcontrib.bibtex as b; print(b.__file__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, check=False)
    location = result.stdout.strip()
    if result.returncode != 0 or not location.startswith(sys.prefix):
        raise SetupError(f"sphinxcontrib.bibtex is imported from {location or result.stderr.strip()}, not {sys.prefix}")
    return location


def source_digest(extension: str) -> str:
    """A digest of the extension's source files (it is installed editable; others may be editing it)."""
    spec = importlib.util.find_spec(extension)
    if spec is None or spec.origin is None:
        raise SetupError(f"{extension} cannot be imported here")
    if spec.submodule_search_locations:  # a package: every file in it
        files = sorted(
            path
            for root in spec.submodule_search_locations
            for path in Path(root).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
    else:
        files = [Path(spec.origin)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


# ---- running the suite ---------------------------------------------------------------------------


def run_pass(chain: Chain, number: int, source: Path, work: Path, marker_expression: str, extension: str) -> Path:
    """Run the suite once from ``source``; the junit XML report it wrote."""
    results = work / "results"
    stem = results / f"{chain.name}-p{number}"
    plugins = ["-p", "peer_tempdir"] + (["-p", "peer_inject"] if chain.inject else [])
    command = [sys.executable, "-m", "pytest", "test", "-q", "-rfE", "-p", "no:cacheprovider", "-m", marker_expression]
    command += [*plugins, f"--junitxml={stem}.xml"]
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    env["PEER_SPHINX_TEMPDIR"] = str(work / "roots" / chain.name)
    env["PEER_RECORD"] = f"{stem}.json"
    env["PEER_EXTENSION"] = extension
    env["PEER_SUPPRESS_OWN_WARNINGS"] = "1" if chain.quiet else "0"
    started = time.monotonic()
    with Path(f"{stem}.log").open("w", encoding="utf-8") as stream:
        try:
            subprocess.run(
                command,
                cwd=source,
                env=env,
                stdout=stream,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=PYTEST_TIMEOUT,
            )
        except subprocess.TimeoutExpired as error:
            raise SetupError(f"{chain.name} pass {number} did not finish in {PYTEST_TIMEOUT} s") from error
    report = Path(f"{stem}.xml")
    if not report.is_file():
        tail = "\n".join(Path(f"{stem}.log").read_text(encoding="utf-8").splitlines()[-30:])
        raise SetupError(f"pytest wrote no report ({chain.name} pass {number}):\n{tail}")
    lines = ANSI.sub("", Path(f"{stem}.log").read_text(encoding="utf-8")).splitlines()
    summary = next((line.strip("= ") for line in reversed(lines) if re.search(r" in [0-9.]+s", line)), "?")
    source_note = f"; {extension} source {source_digest(extension)}" if chain.inject else ""
    print(f"   {chain.name:10} pass {number}: {summary} ({time.monotonic() - started:.0f} s{source_note})")
    return report


def changed_files(pristine: Path, copy: Path) -> list[str]:
    """Files under test/ that a run added or changed (the suite builds some roots in place)."""
    changed = []
    for path in sorted((copy / "test").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        original = pristine / path.relative_to(copy)
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            changed.append(str(path.relative_to(copy)))
    return changed


# ---- comparing -----------------------------------------------------------------------------------


def first_error_line(text: str, work: Path) -> str:
    """The first meaningful line(s) of a failure message, without colours, addresses and work paths."""
    text = ANSI.sub("", text)
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    text = re.sub(re.escape(str(work)) + r"/(roots|runs)/[^/]+/", "", text)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if len(first) < 60 and len(lines) > 1:
        first += " | " + lines[1]
    return first


def traceback_entries(longrepr: str) -> list[tuple[str, str]]:
    """(location line, the source line pytest marked '>' just before it, or '') per traceback entry."""
    entries, statement, marked = [], [], False
    for line in longrepr.splitlines():
        if re.match(r"\S+\.py:\d+: ?", line):
            entries.append((line.strip(), " ".join(statement)))
            statement, marked = [], False
        elif line.startswith(">"):
            statement, marked = [line[1:].strip()], True
        elif marked and line.startswith(" ") and line.strip("^ "):
            statement.append(line.strip())
        else:
            marked = False
    return entries


def failing_statement(entries: list[tuple[str, str]]) -> str:
    """The suite's own statement that failed: the one in its last traceback entry in test/."""
    return next((statement for location, statement in reversed(entries) if location.startswith("test/")), "")


def extension_frames(entries: list[tuple[str, str]], extension: str) -> str:
    """Where the traceback enters the extension's code and where it last is in it, or ''."""
    frames = [location.split("/ext/", 1)[-1] for location, _ in entries if f"/{extension}/" in location]
    frames = [frame[frame.find(f"{extension}/") :] for frame in frames]
    if not frames:
        return ""
    return frames[0] if len(frames) == 1 else f"{frames[0]} ... {frames[-1]}"


def read_junit(report: Path, work: Path, extension: str) -> dict[str, Outcome]:
    """Test id (path::name) -> outcome, from a junit XML report."""
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        test = case.get("classname", "").replace(".", "/") + ".py::" + case.get("name", "")
        bad = [element for element in case if element.tag in {"failure", "error"}]
        skipped = case.find("skipped")
        if bad:
            status = "error" if bad[0].tag == "error" else "failed"
            message = first_error_line(bad[0].get("message") or bad[0].text or "", work)
            entries = traceback_entries(bad[0].text or "")
            statement = failing_statement(entries) if status == "failed" else ""
            outcomes[test] = Outcome(status, message, statement, extension_frames(entries, extension))
        elif skipped is not None:
            outcomes[test] = Outcome("xfailed" if "xfail" in (skipped.get("type") or "") else "skipped")
        else:
            outcomes[test] = Outcome("passed")
    return outcomes


def counts(outcomes: dict[str, Outcome]) -> tuple[int, int]:
    """(passed, failed including errors)."""
    statuses = [outcome.status for outcome in outcomes.values()]
    return statuses.count("passed"), sum(status in BAD for status in statuses)


def describe(outcomes: dict[str, Outcome]) -> str:
    """Counts of every status, for the per-run lines."""
    statuses = [outcome.status for outcome in outcomes.values()]
    passed, failed = counts(outcomes)
    return f"{passed} passed, {failed} failed, {statuses.count('xfailed')} xfailed, {statuses.count('skipped')} skipped"


def compare(outcomes: dict[str, dict[str, Outcome]], records: dict[str, Record]) -> list[OnlyWithExtension]:
    """The tests that fail with the extension (pass 1 or 2) and pass in the baseline's same pass."""
    found: dict[str, OnlyWithExtension] = {}
    for number in ("p1", "p2"):
        base, injected = outcomes[f"baseline-{number}"], outcomes[f"papernotes-{number}"]
        quiet = outcomes.get(f"quiet-{number}", {})
        for test in sorted(set(base) | set(injected)):
            outcome = injected.get(test, Outcome("missing", "not run"))
            if outcome.status not in BAD or base.get(test, Outcome("missing")).status in BAD:
                continue
            entry = found.setdefault(test, OnlyWithExtension(test, outcome))
            entry.passes.append(number)
            if test in quiet and quiet[test].status in BAD and entry.quiet is None:
                entry.quiet = quiet[test]
    recorded = [records.get(name, {}) for name in ("papernotes-p1", "papernotes-p2")]
    for test, entry in found.items():
        apps = next((record["tests"][test] for record in recorded if test in record.get("tests", {})), [])
        entry.roots = sorted({str(app["confdir"]) for app in apps})
        entry.configures_bibfiles = bool(apps) and all(bool(app["bibtex_bibfiles"]) for app in apps)
        entry.warnings = next(
            (record["warnings"][test] for record in recorded if test in record.get("warnings", {})), []
        )
    return list(found.values())


def without_paths(message: str) -> str:
    """The message without directories (the same warning names a different root in every test)."""
    return re.sub(r"[\w.-]*(/[\w.-]+)*/", "", message)


def cause(message: str) -> str:
    """What a failure message says, less what differs from test to test (paths, numbers): its group key."""
    return re.sub(r"\b\d+\b", "N", without_paths(message))


@dataclass
class Shown:
    """A failing test as printed: grouped by key (else by its message's cause) under a headline."""

    test: str
    outcome: Outcome
    note: str = ""
    warnings: list[str] = field(default_factory=list)
    key: str = ""
    headline: str = ""


def print_grouped(failures: list[Shown]) -> None:
    """Print failing tests, those with the same cause together, each with its first error lines."""
    groups: dict[str, list[Shown]] = {}
    for failure in failures:
        groups.setdefault(failure.key or cause(failure.outcome.message), []).append(failure)
    for group in sorted(groups.values(), key=len, reverse=True):
        headline = group[0].headline or group[0].outcome.message
        print(f"  - {len(group)} test(s): {headline[:500]}")
        if group[0].headline:
            patterns = sorted({warning_pattern(text) for failure in group for text in failure.warnings})
            print("".join(f"      | {pattern[:200]}\n" for pattern in patterns), end="")
        for failure in group:
            print(f"      {failure.test}{f'  [{failure.note}]' if failure.note else ''}")
            message = failure.outcome.message
            if not failure.headline and without_paths(message) != without_paths(headline):
                print(f"          {message[:300]}")
            if failure.outcome.statement:
                print(f"          at: {failure.outcome.statement[:200]}")
            if failure.outcome.frame:
                print(f"          in: {failure.outcome.frame[:200]}")
            for text in failure.warnings[:2]:
                print(f"          warned: {text[:300]}")
            if len(failure.warnings) > 2:
                print(f"          warned: ... and {len(failure.warnings) - 2} more")


def warning_pattern(message: str) -> str:
    """A warning's text without its location and the names in it: what it says of any entry."""
    return re.sub(r"'[^']*'", "'…'", message.split("WARNING: ", 1)[-1]).strip()


def shown(entry: OnlyWithExtension, extension: str) -> Shown:
    """How a failure only with the extension is printed; one that fails on its warnings alone is
    grouped with the others that log the same kinds of warning."""
    note = f"root {', '.join(entry.roots) or '?'}; pass {'+'.join(entry.passes)}"
    if entry.quiet is not None and entry.quiet.message != entry.outcome.message:
        note += f"; with its warnings suppressed: {entry.quiet.message[:300]}"
    warnings = [without_paths(warning["message"]) for warning in entry.warnings]
    failure = Shown(entry.test, entry.outcome, note, warnings)
    if entry.quiet is None and entry.warnings:
        kinds = ", ".join(sorted({warning["type"] for warning in entry.warnings}))
        failure.key = f"warns {kinds}"
        failure.headline = f"fails on the {extension} warnings {kinds}"
    return failure


def load(work: Path, names: Iterable[str], extension: str) -> tuple[dict[str, dict[str, Outcome]], dict[str, Record]]:
    """The outcomes of the named runs (junit XML), and what the injection plugin recorded in each."""
    outcomes, records = {}, {}
    for name in names:
        outcomes[name] = read_junit(work / "results" / f"{name}.xml", work, extension)
        record = work / "results" / f"{name}.json"
        records[name] = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    return outcomes, records


def report(outcomes: dict[str, dict[str, Outcome]], records: dict[str, Record], extension: str) -> int:
    """Print every run's counts, the failures and the summary line; the exit status."""
    for name, run in outcomes.items():
        print(f"   {name:14} {describe(run)}")
    for number in ("p1", "p2"):
        base, injected = outcomes[f"baseline-{number}"], outcomes[f"papernotes-{number}"]
        failing = [Shown(test, outcome) for test, outcome in base.items() if outcome.status in BAD]
        if failing:
            print(f"\nfailing in the baseline, pass {number[1]} (not counted: they fail without {extension} too):")
            print_grouped(failing)
        fixed = [test for test, o in base.items() if o.status in BAD and injected.get(test, o).status not in BAD]
        if fixed:
            print(f"\nfailing in the baseline but not with {extension}, pass {number[1]}: {', '.join(fixed)}")

    only = compare(outcomes, records)
    print(f"\ntests that fail only with {extension} loaded: {len(only)}")
    categories = [
        (
            f"A. still failing with the {extension} warnings suppressed: it changes what sphinxcontrib-bibtex does",
            [e for e in only if e.quiet is not None and e.configures_bibfiles],
        ),
        (
            f"B. passing once the {extension} warnings are suppressed: it adds warnings that the test forbids",
            [e for e in only if e.quiet is None and e.configures_bibfiles],
        ),
        (
            "C. roots that set no bibtex_bibfiles",
            [e for e in only if not e.configures_bibfiles],
        ),
    ]
    for title, members in categories:
        if members:
            print(f"\n{title}: {len(members)}")
            print_grouped([shown(entry, extension) for entry in members])

    base_p, base_f = counts(outcomes["baseline-p1"])
    ext_p, ext_f = counts(outcomes["papernotes-p1"])
    in_p1 = sum("p1" in entry.passes for entry in only)
    in_p2 = sum("p2" in entry.passes for entry in only)
    print(
        f"\n(pass 1 = the suite as is, pass 2 = the same roots rebuilt incrementally in a new process; only with "
        f"{extension}: {in_p1} in pass 1, {in_p2} in pass 2, {len(only)} in either)"
    )
    print(
        f"peer suite: baseline {base_p} passed {base_f} failed; with {extension} {ext_p} passed {ext_f} failed; "
        f"{len(only)} tests fail only with {extension}"
    )
    return 1 if only else 0


# ---- main ----------------------------------------------------------------------------------------


def prepare(work: Path, extension: str, sdist: Path | None, no_extras: bool) -> tuple[Path, str]:
    """Install the suite's requirements, unpack it; (its pristine source, the pytest marker expression)."""
    for stale in ("results", "roots", "runs", "source"):
        shutil.rmtree(work / stale, ignore_errors=True)
    (work / "results").mkdir(parents=True)
    logfile = work / "results" / "pip.log"
    version = versions()[PEER]
    if version == "not installed":
        raise SetupError(f"{PEER} is not installed in {sys.prefix}")
    tarball = fetch_sdist(version, work / "sdist", logfile, sdist)
    source = unpack(tarball, work / "source")
    constraints = write_constraints(work / "results" / "constraints.txt", extension)
    requirements = test_requirements(source)
    log(f"installing the suite's test requirements: {', '.join(requirements)}")
    if not run_logged(pip("install", "-c", str(constraints), *requirements), logfile):
        raise SetupError(f"the test requirements did not install (see {logfile})")
    selected, deselected = install_optional_groups(suite_markers(source), source, constraints, logfile, no_extras)
    # Replaces the -m of the suite's pytest.ini, which deselects every optional group.
    expression = f"not ({' or '.join(deselected)})" if deselected else ""
    log(f"test suite from {tarball.name}; optional groups run: {', '.join(selected) or 'none'}")
    for marker, reason in deselected.items():
        print(f"   deselected: the {marker} tests ({reason})")
    log(f"sphinxcontrib.bibtex imported from {check_import_location(source)}")
    log("versions: " + "; ".join(f"{name} {version}" for name, version in versions().items()))
    return source, expression


def run_chain(chain: Chain, source: Path, work: Path, expression: str, extension: str) -> list[str]:
    """Both passes of one chain, in its own copy of the suite; the run names."""
    copy = work / "runs" / chain.name
    shutil.copytree(source, copy)
    names = []
    for number in (1, 2):
        run_pass(chain, number, copy, work, expression, extension)
        names.append(f"{chain.name}-p{number}")
    written = changed_files(source, copy)
    if written:
        print(f"   {chain.name}: files written into the suite's own test/ folder: {', '.join(written)}")
    return names


def run_all(work: Path, args: argparse.Namespace) -> tuple[dict[str, dict[str, Outcome]], dict[str, Record]]:
    """Set up, run the suite without and with the extension (and the diagnostic run if needed)."""
    started = time.monotonic()
    digest = source_digest(args.extension)
    source, expression = prepare(work, args.extension, args.sdist, args.no_extras)
    log(f"{args.extension} source files: digest {digest} (checked again at the end)")
    log("running the suite (each pass a new pytest process; pass 2 rebuilds pass 1's roots)")
    names = [
        name for chain in (BASELINE, INJECTED) for name in run_chain(chain, source, work, expression, args.extension)
    ]
    outcomes, records = load(work, names, args.extension)
    if args.quiet_run or compare(outcomes, records):
        log(f"the diagnostic run: {args.extension} injected, its own warnings suppressed")
        outcomes, records = load(
            work, names + run_chain(QUIET, source, work, expression, args.extension), args.extension
        )
    counted = json.loads((work / "results" / "papernotes-p1.json").read_text(encoding="utf-8"))["counts"]
    print(
        f"   peer-inject: {args.extension} appended to {counted['configs']} Sphinx configs, "
        f"set up {counted['setups']} times (pass 1)"
    )
    log(f"ran in {time.monotonic() - started:.0f} s; logs and junit XML in {work / 'results'}")
    if source_digest(args.extension) != digest:
        print(f"   warning: {args.extension}'s source files changed during the run; the passes may disagree")
    return outcomes, records


def main(argv: list[str] | None = None) -> int:
    """Run (or with --compare-only, re-read) the suite's runs and compare them; the exit status (0, 1, 2)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--work", type=Path, help="work directory (default: a new temporary one); reused if it exists")
    parser.add_argument("--sdist", type=Path, help=f"a {PEER} sdist to take the suite from instead of downloading it")
    parser.add_argument("--extension", default="papernotes", help="the extension to inject (default papernotes)")
    parser.add_argument("--no-extras", action="store_true", help="deselect the numpydoc, rinohtype and cython tests")
    parser.add_argument("--quiet-run", action="store_true", help="make the diagnostic run even when nothing fails")
    parser.add_argument("--compare-only", action="store_true", help="only compare the runs already in --work")
    args = parser.parse_args(argv)
    if args.compare_only and args.work is None:
        parser.error("--compare-only needs --work")
    work = (args.work or Path(tempfile.mkdtemp(prefix="bibtex-suite-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log(f"work directory {work}")
    try:
        if args.compare_only:
            names = [f"{chain.name}-p{n}" for chain in (BASELINE, INJECTED, QUIET) for n in (1, 2)]
            names = [name for name in names if (work / "results" / f"{name}.xml").is_file()]
            if not {"baseline-p1", "baseline-p2", "papernotes-p1", "papernotes-p2"} <= set(names):
                raise SetupError(f"no complete run in {work / 'results'}")
            outcomes, records = load(work, names, args.extension)
        else:
            outcomes, records = run_all(work, args)
    except SetupError as error:
        print(f"peer suite: setup error: {error}", file=sys.stderr)
        return 2
    return report(outcomes, records, args.extension)


if __name__ == "__main__":
    sys.exit(main())
