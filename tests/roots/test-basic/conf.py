extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "gpt": "GPT family"}
papernotes_max_authors = 2
