extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "papernotes",
    "sphinxext.opengraph",
    "sphinx_sitemap",
]
source_suffix = {".md": "markdown"}
project = "Home test"
bibtex_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "glm": "GLM family", "bloom": "BLOOM family", "gpt": "GPT family"}
html_baseurl = "https://notes.example.org/en/latest/"
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
sitemap_url_scheme = "{link}"
