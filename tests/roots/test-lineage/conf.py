"""Typed lineage (:derived:) and the method matrix: a few models, datasets and repositories."""

extensions = ["myst_parser", "papernotes"]
source_suffix = {".md": "markdown"}
project = "Lineage test"
papernotes_families = {"llama": "LLaMA family", "rlhf": "RLHF"}
