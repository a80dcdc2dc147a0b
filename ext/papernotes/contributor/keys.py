"""The citation key of a new paper, unique in papers.bib by one documented rule.

The rule (``docs/contributing/add-a-paper.md`` quotes it): the last word of the first author's
surname, the year, and the first significant word of the title, lower case and ASCII
(``rafailov2023direct``). If that key is taken, the title's next significant words are added one
at a time (Llama 2 is ``touvron2023llama2``, since LLaMA is ``touvron2023llama``); if the title
runs out, a letter (``b``, ``c``, …) is added. Keys are compared without regard to case, as BibTeX
does. Significant words are the title's words and numbers (a hyphenated word is one word:
``Self-Instruct`` gives ``selfinstruct``) without the short words below.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable

from papernotes.bibentry import latex_to_text

__all__ = ["STOPWORDS", "propose_key", "significant_words"]

#: Words never used in a key.
_SHORT_WORDS = """a an the of on in for to with and or at by from via is are as its into towards toward
your you we our can do does how what when why not"""
STOPWORDS = frozenset(re.findall(r"[a-z]+", _SHORT_WORDS))


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", latex_to_text(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def significant_words(title: str) -> list[str]:
    """The title's words and numbers, lower case and ASCII, without the short words of :data:`STOPWORDS`."""
    words = [word.replace("-", "") for word in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", _ascii(title))]
    return [word for word in words if word not in STOPWORDS]


def _surname(first_author: str) -> str:
    surname = first_author.split(",", maxsplit=1)[0] if "," in first_author else first_author
    words = re.findall(r"[a-z]+", _ascii(surname))
    return words[-1] if words else "anonymous"


def propose_key(first_author: str, year: str, title: str, taken: Iterable[str]) -> str:
    """The key of a paper by the rule above, unique among ``taken``."""
    used = {key.lower() for key in taken}
    words = significant_words(title) or ["paper"]
    stem = f"{_surname(first_author)}{year}"
    candidates = [stem + "".join(words[:count]) for count in range(1, len(words) + 1)]
    candidates += [candidates[-1] + letter for letter in string.ascii_lowercase[1:]]
    for key in candidates:
        if key not in used:
            return key
    raise ValueError(f"no free key for {candidates[0]}: give one with --key")
