"""Sphinx configuration of LLM Reading Notes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The extension is installed with the project; this keeps a plain `sphinx-build` from a checkout working too.
sys.path.insert(0, str(ROOT / "ext"))

from papernotes.bibfile import write_clean_copy  # noqa: E402  (after the path above)

project = "LLM Reading Notes"
author = "LLM Reading Notes contributors"
copyright = "2026, LLM Reading Notes contributors"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "papernotes",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    # A 404 page whose links work from any depth on Read the Docs (its prefix comes from
    # READTHEDOCS_CANONICAL_URL there, /en/latest/ elsewhere).
    "notfound.extension",
]

source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
numfig = True

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist", "attrs_inline"]
myst_heading_anchors = 3

# papernotes reads papers.bib as written and reports each broken entry at its line; sphinxcontrib-bibtex
# (which ends the build on a syntax error) reads a copy holding the entries that parse, rewritten only
# when they change and always at the same path, so a contributor's typo never takes the site down.
# papernotes checks title, author and year at the entry's line; sphinxcontrib-bibtex's own, unlocated
# "missing <field>" would repeat it.
suppress_warnings = ["bibtex.missing_field"]
papernotes_bibfiles = ["../papers.bib"]
# The References page's citations as list items, so screen readers (and axe-core) read a proper list.
papernotes_citation_list_items = True
bibtex_bibfiles = ["_build/bibtex/papers.bib"]  # relative to conf.py, as sphinxcontrib-bibtex 2.6 needs
write_clean_copy([ROOT / "papers.bib"], ROOT / "docs" / bibtex_bibfiles[0])
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

# The public address (Read the Docs sets READTHEDOCS_CANONICAL_URL per version): used by the sitemap,
# the Open Graph tags and the absolute URLs in papers.json.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://llm-reading-notes.readthedocs.io/en/latest/")
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}  # cards need matplotlib; the site name and description suffice
sitemap_url_scheme = "{link}"
# Pages marked noindex (the search page) and pages of no use to a search engine stay out of the sitemap.
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
# The 404 page loads its styles from this prefix: the version's path on Read the Docs, the site's
# root anywhere else (a local build served from its own folder, as the browser tests do).
notfound_urls_prefix = urlsplit(html_baseurl).path if os.environ.get("READTHEDOCS") else "/"
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1><p>This page does not exist (any more). Start again from the "
    f'<a href="{notfound_urls_prefix}index.html">home page</a>, or search the notes from the menu.</p>',
}

html_theme = "furo"
# Syntax colours with WCAG AA contrast in both themes (accessible-pygments, which furo installs).
pygments_style = "a11y-high-contrast-light"
pygments_dark_style = "a11y-high-contrast-dark"
html_title = "LLM Reading Notes"
html_static_path = ["_vendor"]
html_favicon = "_static/favicon.svg"  # drawn for this site: an open notebook with a lineage arrow
# Math renders with a vendored MathJax (no CDN: the site works offline); see _vendor/mathjax/README.md.
mathjax_path = "mathjax/tex-svg.js"
# Search with Pagefind: one result per entry, filters, and Chinese split into words (a "zh" index;
# English words are found by prefix). See docs/architecture.md.
papernotes_pagefind = True
papernotes_pagefind_language = "zh"

copybutton_selector = "div.highlight pre"
nitpicky = True
