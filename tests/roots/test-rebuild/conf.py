"""A small site using every part of papernotes, for comparing incremental and parallel builds."""

extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
project = "Rebuild test"
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "gpt": "GPT family", "glm": "GLM family"}
