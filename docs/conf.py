"""Sphinx configuration of LLM Reading Notes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
# The extension is installed with the project; this keeps a plain `sphinx-build` from a checkout working too.
sys.path.insert(0, str(ROOT / "ext"))

project = "LLM Reading Notes"
author = "LLM Reading Notes contributors"
copyright = "2026, LLM Reading Notes contributors"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "papernotes",
]

source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
numfig = True

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

bibtex_bibfiles = ["../papers.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

papernotes_families = {
    "llama": "LLaMA and its chat descendants",
    "glm": "GLM and ChatGLM",
    "bloom": "BLOOM and BELLE",
    "rlhf": "RLHF and alignment tooling",
    "rwkv": "RWKV",
    "t5": "T5 and Flan",
    "multimodal": "Multimodal models",
    "embeddings": "Embeddings and retrieval",
    "prompting": "Prompting",
    "gpt": "GPT and OpenAI-style models",
}

html_theme = "furo"
html_title = "LLM Reading Notes"
html_static_path: list[str] = []
html_search_language = "zh"
# jieba (the Chinese word splitter behind the search index) logs its start-up at DEBUG level.
jieba.setLogLevel(logging.WARNING)
html_search_options = {"dict": str(Path(__file__).parent / "_search" / "jieba-dict.txt")}

copybutton_selector = "div.highlight pre"
nitpicky = True
