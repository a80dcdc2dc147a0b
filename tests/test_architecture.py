"""docs/architecture.md stays true to the code: every module listed once, each small and explained."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
PACKAGE = TOP / "ext" / "papernotes"
ARCHITECTURE = TOP / "docs" / "architecture.md"


def modules() -> set[str]:
    return {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if path.name != "__init__.py"}


def test_every_module_is_listed_once_in_the_architecture_page():
    rows = [line for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    listed = [name for row in rows for name in re.findall(r"`([\w/]+\.py)`", row.split("|")[1])]
    assert sorted(listed) == sorted(set(listed)), "a module is listed twice"
    assert set(listed) == modules()


def test_each_module_has_one_job_said_in_its_docstring_and_stays_under_400_lines():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path
        assert len(text.splitlines()) <= 400, (path, len(text.splitlines()))


def test_the_wiring_list_sets_up_every_module_that_has_a_setup():
    with_setup = {
        path.stem if path.parent == PACKAGE else path.parent.name
        for path in PACKAGE.rglob("*.py")
        if path.parent in (PACKAGE, PACKAGE / "views")
        and any(isinstance(node, ast.FunctionDef) and node.name == "setup" for node in ast.parse(path.read_text()).body)
    } - {"extension", "papernotes"}
    tree = ast.parse((PACKAGE / "extension.py").read_text(encoding="utf-8"))
    wired = {
        element.id
        for node in ast.walk(tree)
        if isinstance(node, ast.For)
        for element in getattr(node.iter, "elts", [])
        if isinstance(element, ast.Name)
    }
    assert with_setup - {"base", "table", "lineage", "timeline", "overview", "downloads"} == wired
