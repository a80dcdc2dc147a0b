"""A small, valid site; each bad-input test adds one mistake to a copy of it."""

from pathlib import Path

from papernotes.bibfile import write_clean_copy

HERE = Path(__file__).resolve().parent

extensions = ["myst_parser", "sphinxcontrib.bibtex", "papernotes"]
source_suffix = {".md": "markdown"}
# As the real site does: papernotes reads refs.bib as written, sphinxcontrib-bibtex a clean copy.
# papernotes checks title, author and year at the entry's line; sphinxcontrib-bibtex's own, unlocated
# "missing <field>" would repeat it.
suppress_warnings = ["bibtex.missing_field"]
papernotes_bibfiles = ["refs.bib"]
bibtex_bibfiles = ["_build/clean/refs.bib"]  # relative to conf.py, as sphinxcontrib-bibtex 2.6 needs
write_clean_copy([HERE / "refs.bib"], HERE / bibtex_bibfiles[0])
papernotes_families = {"llama": "LLaMA family", "gpt": "GPT family"}
