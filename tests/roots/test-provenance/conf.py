extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
papernotes_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family"}
