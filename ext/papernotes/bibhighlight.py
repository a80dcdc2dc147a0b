"""Every paper's Cite block highlighted as Pygments highlights BibTeX, without Pygments' machinery.

A page of papers shows each one's BibTeX entry, highlighted. Pygments' general lexer engine and
HTML formatter took about a twentieth of a clean build at 1,000 papers, for a grammar of a dozen
rules. :func:`highlight_bibtex` follows Pygments' ``BibTeXLexer`` rule for rule (an entry type, a
key, ``name = value`` fields whose values are braced or quoted strings, numbers or macro names
joined by ``#``) and writes the tokens as Pygments' ``HtmlFormatter`` does in Sphinx's wrapper.
It returns ``None`` for anything outside that (``@string``, ``@preamble`` or ``@comment``, text
between entries, a brace that does not close, a tab or carriage return, a lexer or formatter a
project set up differently), and the translator then highlights the block with Pygments as
before. ``tests/test_bibhighlight.py`` compares both on generated entries and on every entry of
the site's bibliography, character for character.

Only the HTML translator uses it, through :func:`write_bibtex_block` (called by the code-block
visitor of :mod:`papernotes.a11y`, which also makes the ``<pre>`` focusable); other builders
highlight with Pygments.
"""

from __future__ import annotations

import re
from typing import get_origin

import pygments
from docutils import nodes
from pygments.formatters import HtmlFormatter
from pygments.token import Token
from sphinx import highlighting
from sphinx.writers.html5 import HTML5Translator

__all__ = ["highlight_bibtex", "write_bibtex_block"]

_ALLOWED = r"@!$&*+\-./:;<>?\[\\\]^`|~"
_IDENTIFIER = re.compile(rf"[a-z_{_ALLOWED}][\w{_ALLOWED}]*", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_ENTRY_TYPE = re.compile("@" + _IDENTIFIER.pattern, re.IGNORECASE)
_SPECIAL_TYPE = re.compile(r"@(comment(?!ary)|preamble|string)", re.IGNORECASE)
_KEY = re.compile(r"[^\s,}]+")
_NUMBER = re.compile(r"\d+")
_BRACE = re.compile(r"[{}]")
_QUOTED_RUN = re.compile(r'[^{"]+')
_CLOSING = {"{": "}", "(": ")"}

# Pygments' short class names of the token types the BibTeX lexer yields.
CLASS, LABEL, ATTRIBUTE, VARIABLE, STRING, NUMBER = "nc", "nl", "na", "nv", "s", "m"
PUNCTUATION, WHITESPACE = "p", "w"


class _Unsupported(Exception):
    """The text needs Pygments itself (or would make Pygments report an error)."""


class _Tokens:
    """A cursor over the text that yields (class, text) tokens the way the lexer's rules do."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0
        self.out: list[tuple[str, str]] = []

    def take(self, pattern: re.Pattern[str], css: str) -> bool:
        found = pattern.match(self.text, self.pos)
        if found is None:
            return False
        self.out.append((css, found.group()))
        self.pos = found.end()
        return True

    def space(self) -> None:
        self.take(_WHITESPACE, WHITESPACE)

    def expect(self, characters: str, css: str) -> str:
        self.space()
        if self.pos >= len(self.text) or self.text[self.pos] not in characters:
            raise _Unsupported
        character = self.text[self.pos]
        self.out.append((css, character))
        self.pos += 1
        return character

    def braced(self) -> None:
        """After an opening ``{`` of a value: up to its closing brace, nested braces included (one string)."""
        depth, start = 1, self.pos
        for brace in _BRACE.finditer(self.text, self.pos):
            depth += 1 if brace.group() == "{" else -1
            if not depth:
                self.pos = brace.end()
                self.out.append((STRING, self.text[start : self.pos]))
                return
        raise _Unsupported  # an unclosed brace: Pygments stops lexing at the end of the text

    def quoted(self) -> None:
        """After an opening ``"`` of a value: up to the closing quote (braces inside may hold quotes)."""
        while True:
            if self.pos >= len(self.text):
                raise _Unsupported
            character = self.text[self.pos]
            if character == '"':
                self.out.append((STRING, character))
                self.pos += 1
                return
            if character == "{":
                self.out.append((STRING, character))
                self.pos += 1
                self.braced()
            else:
                self.take(_QUOTED_RUN, STRING)

    def value(self) -> None:
        """The value state: macro names, strings and numbers joined by ``#``, until none follows."""
        while True:
            self.space()
            if self.take(_IDENTIFIER, VARIABLE) or self.take(_NUMBER, NUMBER):
                continue
            character = self.text[self.pos] if self.pos < len(self.text) else ""
            if character == '"':
                self.out.append((STRING, character))
                self.pos += 1
                self.quoted()
            elif character == "{":
                self.out.append((STRING, character))
                self.pos += 1
                self.braced()
            elif character == "#":
                self.out.append((PUNCTUATION, character))
                self.pos += 1
            else:
                return

    def fields(self) -> None:
        """``, name = value`` again and again; a comma without a field after it is allowed."""
        while True:
            self.space()
            if not self.text.startswith(",", self.pos):
                return
            self.out.append((PUNCTUATION, ","))
            self.pos += 1
            self.space()
            if self.take(_IDENTIFIER, ATTRIBUTE):
                self.expect("=", PUNCTUATION)
                self.value()

    def entry(self) -> None:
        """One ``@type{key, fields}`` entry (or with parentheses)."""
        if _SPECIAL_TYPE.match(self.text, self.pos) or not self.take(_ENTRY_TYPE, CLASS):
            raise _Unsupported
        opening = self.expect("{(", PUNCTUATION)
        self.space()
        if not self.take(_KEY, LABEL):
            raise _Unsupported
        self.fields()
        if self.expect("})", PUNCTUATION) != _CLOSING[opening]:
            raise _Unsupported  # Pygments' error token


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = _Tokens(text)
    while True:
        tokens.space()
        if tokens.pos >= len(text):
            return tokens.out
        tokens.entry()


#: Pygments before 2.21 also escapes quotes in code (``&quot;``, ``&#39;``); 2.21 does not.
_QUOTES_ESCAPED = "\"'" not in pygments.format([(Token.Text, "\"'")], HtmlFormatter(nowrap=True))


def _escaped(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _QUOTES_ESCAPED and ('"' in value or "'" in value):
        value = value.replace('"', "&quot;").replace("'", "&#39;")
    return value


def _html(tokens: list[tuple[str, str]]) -> str:
    """The tokens as HtmlFormatter writes them: one span per run of a class on a line, escaped."""
    merged: list[tuple[str, str]] = []
    for css, value in tokens:
        if merged and merged[-1][0] == css:
            merged[-1] = (css, merged[-1][1] + value)
        else:
            merged.append((css, value))
    out: list[str] = []
    for css, value in merged:
        if "\n" not in value:
            out.append(f'<span class="{css}">{_escaped(value)}</span>')
            continue
        for index, part in enumerate(value.split("\n")):
            if index:
                out.append("\n")
            if part:
                out.append(f'<span class="{css}">{_escaped(part)}</span>')
    return "".join(out)


def highlight_bibtex(source: str) -> str | None:
    """What Sphinx's Pygments bridge writes for a BibTeX block in HTML, or None where it must write it."""
    if "\r" in source or "\t" in source or "\ufeff" in source or "\f" in source or "\v" in source:
        return None
    text = source.strip("\n")  # the lexer's stripnl
    if not text:
        return None
    try:
        tokens = _tokens(text + "\n")  # and its ensurenl
    except _Unsupported:
        return None
    return '<div class="highlight"><pre><span></span>' + _html(tokens) + "</pre></div>\n"


#: An entry with every kind of token and line the own path writes, highlighted both ways once per
#: process: a Pygments release that writes BibTeX otherwise turns the own path off.
_SAMPLE = (
    '@article{zeng2023:glm,\n  author = {Zeng, Aohan and {\\"U}ber, X},\n  title = "GLM: {A} <b> & c",\n'
    "  year = 2023,\n  booktitle = iclr # {, two\n lines},\n}\n\n@misc(k, year = 1)\n"
)
_agreement: dict[str, bool] = {}


def _pygments_as_sphinx_sets_it_up(translator: HTML5Translator) -> bool:
    """No lexer or options a project added for BibTeX, Sphinx's own HTML formatter, and the same output."""
    bridge = translator.highlighter
    formatter = getattr(bridge, "formatter", None)
    if (
        "bibtex" in highlighting.lexers
        or "bibtex" in highlighting.lexer_classes
        or translator.config.highlight_options.get("bibtex")
        or (get_origin(formatter) or formatter) is not HtmlFormatter
        or set(getattr(bridge, "formatter_args", {"": None})) != {"style"}
    ):
        return False
    if pygments.__version__ not in _agreement:
        _agreement[pygments.__version__] = highlight_bibtex(_SAMPLE) == bridge.highlight_block(_SAMPLE, "bibtex")
    return _agreement[pygments.__version__]


def write_bibtex_block(translator: HTML5Translator, node: nodes.literal_block) -> bool:
    """Write a plain BibTeX block as the translator would, if it is one this module can highlight."""
    if (
        node.get("language") != "bibtex"
        or node.get("linenos")
        or node.get("force")
        or set(node.get("highlight_args") or {}) - {"force"}
        or node.rawsource != node.astext()
        or not _pygments_as_sphinx_sets_it_up(translator)
    ):
        return False
    highlighted = highlight_bibtex(node.rawsource)
    if highlighted is None:
        return False
    starttag = translator.starttag(node, "div", suffix="", CLASS="highlight-bibtex notranslate")
    translator.body.append(starttag + highlighted + "</div>\n")
    return True
