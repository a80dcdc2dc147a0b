"""A small, valid site; each bad-input test adds one mistake to a copy of it."""

extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "gpt": "GPT family"}
