extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
project = "Search test"
papernotes_bibfiles = ["refs.bib"]
papernotes_families = {"llama": "LLaMA family", "rlhf": "RLHF family"}
papernotes_pagefind = True
papernotes_pagefind_language = "zh"
