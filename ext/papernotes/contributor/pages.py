"""The family pages as the contributor tools see them: what the collection holds, and where a new block goes.

``nox -s new`` suggests tags (those already used in the collection whose words the paper's title
or abstract uses, most used first) and model ids (models of the collection the title or abstract
names), and writes the new ``{paper}`` block at the end of the page's ``## Papers`` section, with
a marked place for the notes made of MyST comments (``%`` lines), so the site builds before the
notes are written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from papernotes.contributor.keys import STOPWORDS

__all__ = ["Collection", "insert_block", "paper_block", "read_collection"]

_ENTRY = re.compile(r"^`{3,}\{(?:pn:)?(paper|repo|model|dataset)\}\s*(\S+)", re.MULTILINE)
_TAGS = re.compile(r"^:tags:\s*(.+)$", re.MULTILINE)
_NAME = re.compile(r"^:name:\s*(.+)$", re.MULTILINE)


@dataclass
class Collection:
    """Tags (with how often each is used), models (id -> name) and the pages that show each paper key."""

    tags: Counter[str]
    models: dict[str, str]
    paper_pages: dict[str, list[str]]


def read_collection(families: Path) -> Collection:
    """What the family pages under ``families`` hold, read as text (no Sphinx build needed)."""
    tags: Counter[str] = Counter()
    models: dict[str, str] = {}
    papers: dict[str, list[str]] = {}
    for page in sorted(families.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for line in _TAGS.findall(text):
            tags.update(tag.strip() for tag in line.split(",") if tag.strip())
        starts = list(_ENTRY.finditer(text))
        for index, match in enumerate(starts):
            kind, entry_id = match.groups()
            body = text[match.end() : starts[index + 1].start() if index + 1 < len(starts) else len(text)]
            if kind == "paper":
                papers.setdefault(entry_id.lower(), []).append(f"{families.name}/{page.name}")
            elif kind == "model":
                name = _NAME.search(body)
                models[entry_id] = name.group(1).strip() if name else entry_id
    return Collection(tags, models, papers)


def _mentions(text: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![\w-]){re.escape(phrase.lower())}(?![\w-])", text) is not None


def _initials(text: str) -> str:
    """The first letters of the text's significant words ("reinforcement learning from human feedback": rlhf)."""
    return "".join(word[0] for word in re.findall(r"[a-z0-9]+", text) if word not in STOPWORDS)


def suggest_tags(collection: Collection, about: str, limit: int = 5) -> list[str]:
    """Tags of the collection that ``about`` (title and abstract) uses, as words or spelled out, most used first."""
    text = about.lower()
    initials = _initials(text)
    chosen = []
    for tag, _ in sorted(collection.tags.items(), key=lambda item: (-item[1], item[0])):
        spelled_out = tag.isalpha() and 3 <= len(tag) <= 6 and tag in initials
        if _mentions(text, tag.replace("-", " ")) or _mentions(text, tag) or spelled_out:
            chosen.append(tag)
    return chosen[:limit]


def suggest_models(collection: Collection, about: str) -> list[str]:
    """Models of the collection that the title or abstract names (by id or by name)."""
    text = about.lower()
    return [model for model, name in collection.models.items() if _mentions(text, name) or _mentions(text, model)]


def paper_block(key: str, tags: list[str], models: list[str], added: str, source: str, verified: str) -> str:
    """The ``{paper}`` block: options derived from the metadata, then a marked place for the notes."""
    lines = [f"```{{paper}} {key}"]
    if tags:
        lines.append(f":tags: {', '.join(tags)}")
    lines.append(f":added: {added}")
    if source:
        lines.append(f":source: {source}")
    if verified:
        lines.append(f":verified: {verified}")
    lines += [
        "",
        "% NOTES GO HERE (added by `nox -s new`; these % lines are comments the site does not show).",
        "% Write the reading notes in your own words: Problem, Method, Data and scale, Key results,",
        "% Limitations, Relation to other entries. Add :code: (https) and :models: the paper introduces.",
    ]
    if models:
        lines.append(f"% Models of the collection it names: {', '.join(models)} (link with {{model}}`id`).")
    lines += ["% Delete these lines when the notes are written.", "```", ""]
    return "\n".join(lines)


def insert_block(page: Path, block: str) -> int:
    """Write ``block`` at the end of the page's ``## Papers`` section (else at the end); return its line."""
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    papers = next((index for index, line in enumerate(lines) if line.strip().lower() == "## papers"), None)
    position = len(lines)
    if papers is not None:
        position = next((i for i in range(papers + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    before = "".join(lines[:position])
    if before and not before.endswith("\n"):
        before += "\n"
    if before and not before.endswith("\n\n"):
        before += "\n"
    after = "".join(lines[position:])
    page.write_text(before + block + ("\n" + after if after else ""), encoding="utf-8")
    return before.count("\n") + 1
