"""A small site using every part of papernotes, for comparing incremental and parallel builds."""

from pathlib import Path

from papernotes.bibfile import write_clean_copy

HERE = Path(__file__).resolve().parent

extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes", "sphinx_sitemap"]
source_suffix = {".md": "markdown"}
project = "Rebuild test"
# As the real site does: papernotes reads refs.bib as written, sphinxcontrib-bibtex a clean copy.
# papernotes checks title, author and year at the entry's line; sphinxcontrib-bibtex's own, unlocated
# "missing <field>" would repeat it.
suppress_warnings = ["bibtex.missing_field"]
papernotes_bibfiles = ["refs.bib"]
bibtex_bibfiles = ["_build/clean/refs.bib"]  # relative to conf.py, as sphinxcontrib-bibtex 2.6 needs
write_clean_copy([HERE / "refs.bib"], HERE / bibtex_bibfiles[0])
papernotes_families = {"llama": "LLaMA family", "gpt": "GPT family", "glm": "GLM family"}
html_baseurl = "https://notes.example.org/"
sitemap_url_scheme = "{link}"
