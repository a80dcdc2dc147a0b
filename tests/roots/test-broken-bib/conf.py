"""A bibliography with an unclosed entry: papernotes reports it, sphinxcontrib-bibtex reads a clean copy."""

from pathlib import Path

from papernotes.bibfile import write_clean_copy

HERE = Path(__file__).resolve().parent

extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
# papernotes reads (and reports on) the file as written; sphinxcontrib-bibtex, which would end the
# build on the unclosed entry, reads the entries that parse, from a copy whose path never changes.
papernotes_bibfiles = ["refs.bib"]
bibtex_bibfiles = ["_build/clean/refs.bib"]  # relative to conf.py, as sphinxcontrib-bibtex 2.6 needs
write_clean_copy([HERE / "refs.bib"], HERE / bibtex_bibfiles[0])
