extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
papernotes_bibfiles = ["refs.bib"]  # papernotes without sphinxcontrib-bibtex
papernotes_families = {"llama": "LLaMA", "glm": "GLM"}
papernotes_max_authors = -1  # a setting papernotes cannot use: one papernotes.config warning
