extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
project = "Views test"
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "glm": "GLM family", "bloom": "BLOOM family", "gpt": "GPT family"}
html_baseurl = "https://notes.example.org/en/latest/"
