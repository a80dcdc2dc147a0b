extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = []
papernotes_families = {"a": "Family A"}
