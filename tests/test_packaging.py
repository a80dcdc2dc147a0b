"""papernotes as a package other projects install: its runtime dependencies are what its code imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
PACKAGE = TOP / "ext" / "papernotes"
#: distribution name -> the module it installs, where they differ.
MODULE_OF = {"pybtex": "pybtex", "latexcodec": "latexcodec", "grandalf": "grandalf", "docutils": "docutils"}


def imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"papernotes"}


def test_runtime_dependencies_are_exactly_what_the_extension_imports():
    project = tomllib.loads((TOP / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0).lower() for requirement in project["dependencies"]}
    modules = {MODULE_OF.get(name, name) for name in declared}
    # sphinx_sitemap is imported only inside the compat workaround, when a project loads it itself;
    # pagefind only inside papernotes.search, when a project turns papernotes_pagefind on.
    assert imported_top_level_modules() - {"sphinx_sitemap", "pagefind"} == modules
    for site_only in ("furo", "jieba", "sphinxext-opengraph", "sphinx-sitemap", "myst-parser", "sphinx-design"):
        assert site_only not in declared


def test_sphinx_nine_zero_is_excluded_and_nine_one_allowed():
    project = tomllib.loads((TOP / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [sphinx] = [requirement for requirement in project["dependencies"] if requirement.startswith("sphinx")]
    from packaging.specifiers import SpecifierSet  # noqa: PLC0415

    allowed = SpecifierSet(sphinx.removeprefix("sphinx"))
    assert [version for version in ("8.2.3", "9.0.4", "9.1.1", "9.2.0") if version in allowed] == [
        "8.2.3",
        "9.1.1",
        "9.2.0",
    ]
