"""Another Sphinx project links to our entries through intersphinx and our objects.inv.

The consumer is a plain MyST project: it does not load papernotes, only reads the inventory, as
docs/intersphinx.md shows. It is built offline against the inventory file of a first build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from helpers import build, warnings_of

ROOT = Path(__file__).parent / "roots" / "test-views"
BASE = "https://notes.example.org/en/latest/"

CONSUMER_CONF = """
extensions = ["myst_parser", "sphinx.ext.intersphinx"]
source_suffix = {{".md": "markdown"}}
intersphinx_mapping = {{"llmnotes": ("{base}", "{inventory}")}}
intersphinx_disabled_reftypes = []
"""

CONSUMER_PAGE = """# Elsewhere

Our fine-tuning follows [Alpaca](inv:llmnotes:pn:model#alpaca), trained on
<inv:llmnotes:pn:dataset#alpaca-52k>; the code is [here](inv:llmnotes:pn:repo#tatsu-lab/stanford_alpaca)
and the paper is [LLaMA](inv:llmnotes:pn:paper#touvron2023llama). A missing one: [x](inv:llmnotes:pn:model#nope).
"""


def test_another_project_links_to_every_entry_type(tmp_path):
    notes_src = tmp_path / "notes"
    shutil.copytree(ROOT, notes_src)
    notes = build(notes_src)
    inventory = Path(notes.outdir) / "objects.inv"
    assert inventory.is_file()

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    (consumer / "conf.py").write_text(CONSUMER_CONF.format(base=BASE, inventory=inventory), encoding="utf-8")
    (consumer / "index.md").write_text(CONSUMER_PAGE, encoding="utf-8")
    app = build(consumer)

    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {link.get_text(): link["href"] for link in soup.select("a.reference.external")}
    assert hrefs["Alpaca"] == BASE + "families/llama.html#model-alpaca"
    assert hrefs["here"] == BASE + "families/llama.html#repo-tatsu-lab-stanford-alpaca"
    assert hrefs["LLaMA"] == BASE + "families/llama.html#paper-touvron2023llama"
    assert BASE + "families/llama.html#dataset-alpaca-52k" in hrefs.values()
    # The inventory really is what resolves them: an id it lacks stays unresolved, with a warning.
    assert "x" not in hrefs
    assert any("nope" in line for line in warnings_of(app))


def test_a_papernotes_project_uses_the_external_role(tmp_path):
    notes_src = tmp_path / "notes"
    shutil.copytree(ROOT, notes_src)
    inventory = Path(build(notes_src).outdir) / "objects.inv"

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    conf = CONSUMER_CONF.format(base=BASE, inventory=inventory).replace(
        '"sphinx.ext.intersphinx"]', '"sphinx.ext.intersphinx", "papernotes"]\nbibtex_bibfiles = []'
    )
    (consumer / "conf.py").write_text(conf, encoding="utf-8")
    (consumer / "index.md").write_text(
        "# Elsewhere\n\nSee {external+llmnotes:pn:model}`vicuna` and {external:pn:paper}`touvron2023llama`.\n",
        encoding="utf-8",
    )
    app = build(consumer)
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [link["href"] for link in soup.select("a.reference.external")]
    assert hrefs == [BASE + "chat.html#model-vicuna", BASE + "families/llama.html#paper-touvron2023llama"]
    assert warnings_of(app) == []


PLAIN_CONF = """
extensions = ["sphinx.ext.intersphinx"{myst}]
intersphinx_mapping = {{"llm": ("{base}", "{inventory}")}}
nitpicky = True
"""


def test_a_project_without_papernotes_links_to_entry_labels(tmp_path):
    """Every entry's anchor is a std:label titled with its name: :external+llm:ref: and MyST need no papernotes."""
    notes_src = tmp_path / "notes"
    shutil.copytree(ROOT, notes_src)
    inventory = Path(build(notes_src).outdir) / "objects.inv"

    rst = tmp_path / "plain-rst"
    rst.mkdir()
    (rst / "conf.py").write_text(PLAIN_CONF.format(myst="", base=BASE, inventory=inventory), encoding="utf-8")
    (rst / "index.rst").write_text(
        "Elsewhere\n=========\n\nSee :external+llm:ref:`paper-touvron2023llama` and :ref:`llm:model-vicuna`.\n",
        encoding="utf-8",
    )
    md = tmp_path / "plain-myst"
    md.mkdir()
    (md / "conf.py").write_text(
        PLAIN_CONF.format(myst=', "myst_parser"', base=BASE, inventory=inventory), encoding="utf-8"
    )
    (md / "index.md").write_text(
        "# Elsewhere\n\nSee {external+llm:ref}`repo-tatsu-lab-stanford-alpaca` and "
        "[the data](inv:llm:std:label#dataset-alpaca-52k).\n",
        encoding="utf-8",
    )
    links = {}
    for srcdir in (rst, md):
        app = build(srcdir)
        assert warnings_of(app) == [], srcdir.name  # nitpicky, and every link resolved
        soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
        links.update({link.get_text(): link["href"] for link in soup.select("a.reference.external")})
    assert links == {
        "LLaMA: Open and Efficient Foundation Language Models": BASE + "families/llama.html#paper-touvron2023llama",
        "Vicuna": BASE + "chat.html#model-vicuna",
        "Stanford Alpaca": BASE + "families/llama.html#repo-tatsu-lab-stanford-alpaca",
        "the data": BASE + "families/llama.html#dataset-alpaca-52k",
    }
