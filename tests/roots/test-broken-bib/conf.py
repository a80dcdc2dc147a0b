extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
