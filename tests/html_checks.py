"""Checks on built HTML shared by the safety tests: well-formedness and no live injected markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from bs4 import BeautifulSoup

#: Attributes whose value a browser follows or loads as a URL.
LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Balance(HTMLParser):
    """Every element that is opened is closed, in order (void elements aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing tags (``<br/>``, SVG shapes) open nothing."""

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            opened = self.stack[-1] if self.stack else None
            self.problems.append(f"</{tag}> at {self.getpos()} closes {opened}")
            return
        self.stack.pop()


def well_formed_problems(text: str) -> list[str]:
    """Why an HTML page is not well-formed (unbalanced or misnested elements); empty if it is."""
    checker = _Balance()
    checker.feed(text)
    checker.close()
    return checker.problems + [f"<{tag}> at {where} never closed" for tag, where in checker.stack]


def live_markup(outdir: Path, pages: list[Path] | None = None) -> list[str]:
    """Every place where injected markup would run: on… attributes, javascript: links, stray scripts.

    All pages of the build unless ``pages`` names some.
    """
    found: list[str] = []
    for path in sorted(pages if pages is not None else Path(outdir).rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                link = name.lower() in LINK_ATTRIBUTES and text.strip().lower().startswith("javascript:")
                if name.lower().startswith("on") or link:
                    found.append(f"{path.name}: <{element.name} {name}={text!r}>")
            if element.name == "script" and "alert(" in element.get_text():
                found.append(f"{path.name}: <script>{element.get_text()[:40]}")
            if element.name in ("img", "iframe", "object", "embed") and element.get("src") in ("x", None):
                found.append(f"{path.name}: <{element.name}> from the input")
    return found
