extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"one": "Family one", "two": "Family two"}
