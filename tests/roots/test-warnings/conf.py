extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA", "glm": "GLM"}
