"""`nox -s new` and `nox -s verify`: against a local server with recorded-format responses, and offline.

The arXiv API and Crossref are replaced by an HTTP server on 127.0.0.1 that serves the files of
``tests/data/contributor`` (arXiv's Atom feed is assembled from one recorded ``<entry>`` per id);
"offline" is an endpoint on a port nothing listens on. No test touches the network.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from papernotes.bibfile import read_bibliography
from papernotes.contributor import new, verify
from papernotes.contributor.keys import propose_key
from papernotes.contributor.normalise import from_bibtex, protect_capitals, to_bibtex

from helpers import build, warnings_of

DATA = Path(__file__).parent / "data" / "contributor"
TODAY = "2026-11-30"
FEED = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n{}</feed>\n'


class Recorded(http.server.BaseHTTPRequestHandler):
    """``/api/query?id_list=…`` from arxiv-<id>.xml, ``/works/<doi>`` from crossref-<doi>.json."""

    requests: list[str] = []

    def do_GET(self) -> None:
        Recorded.requests.append(self.path)
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/api/query":
            ids = urllib.parse.parse_qs(parts.query)["id_list"][0].split(",")
            entries = [DATA / f"arxiv-{item}.xml" for item in ids]
            body = FEED.format("".join(path.read_text(encoding="utf-8") for path in entries if path.is_file()))
            self.answer(200, body.encode("utf-8"), "application/atom+xml")
        elif parts.path.startswith("/works/"):
            doi = urllib.parse.unquote(parts.path.removeprefix("/works/"))
            path = DATA / f"crossref-{doi.replace('/', '_')}.json"
            if path.is_file():
                self.answer(200, path.read_bytes(), "application/json")
            else:
                self.answer(404, b"Resource not found.", "text/plain")
        else:
            self.answer(404, b"", "text/plain")

    def answer(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def unreachable() -> str:
    """An endpoint on a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the tiny collection: papers.bib, docs/families/, and a conf.py to build it with."""
    shutil.copy(DATA / "papers.bib", tmp_path / "papers.bib")
    shutil.copytree(DATA / "families", tmp_path / "docs" / "families")
    (tmp_path / "docs" / "conf.py").write_text(
        'extensions = ["myst_parser", "papernotes"]\nsource_suffix = {".md": "markdown"}\n'
        'papernotes_bibfiles = ["../papers.bib"]\npapernotes_families = {"llama": "LLaMA", "rlhf": "RLHF"}\n',
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text("# Test\n\n```{toctree}\n:glob:\n\nfamilies/*\n```\n", encoding="utf-8")
    return tmp_path


def run_new(project: Path, *arguments: str, server: str = "") -> int:
    options = ["--bib", str(project / "papers.bib"), "--families", str(project / "docs" / "families")]
    if server:
        options += ["--arxiv-api", f"{server}/api/query", "--crossref-api", server]
    return new.main([*options, "--today", TODAY, *arguments])


def snapshot(project: Path) -> dict[str, str]:
    return {str(path): path.read_text(encoding="utf-8") for path in sorted(project.rglob("*")) if path.is_file()}


def test_arxiv_id_online_adds_entry_and_block_and_the_site_builds(project, server, capsys):
    assert run_new(project, "--family", "rlhf", "arXiv:2305.18290", server=server) == 0
    bib = read_bibliography([project / "papers.bib"]).entries
    entry = bib["rafailov2023direct"]
    assert entry.authors[:2] == ("Rafael Rafailov", "Archit Sharma")
    assert "author        = {Rafailov, Rafael and Sharma, Archit and" in entry.raw
    assert entry.fields["eprint"] == "2305.18290"
    assert entry.fields["archiveprefix"] == "arXiv"
    assert entry.fields["journal"] == "arXiv preprint"
    assert entry.title == "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
    page = (project / "docs" / "families" / "rlhf.md").read_text(encoding="utf-8")
    block = page[page.index("```{paper} rafailov2023direct") :]
    assert ":tags: rlhf, reward-model" in block  # suggested from the collection, most used first
    assert ":source: https://arxiv.org/abs/2305.18290" in block
    assert f":verified: {TODAY}" in block
    assert "% NOTES GO HERE" in block
    assert "added 'rafailov2023direct'" in capsys.readouterr().out
    app = build(project / "docs")
    assert warnings_of(app) == []


def test_llama2_gets_a_key_of_its_own(project, server):
    assert run_new(project, "--family", "llama", "2307.09288", server=server) == 0
    entries = read_bibliography([project / "papers.bib"]).entries
    assert set(entries) == {"touvron2023llama", "touvron2023llama2"}
    assert entries["touvron2023llama2"].title == "Llama 2: Open Foundation and Fine-Tuned Chat Models"
    page = (project / "docs" / "families" / "llama.md").read_text(encoding="utf-8")
    # at the end of the Papers section, before ## Models
    assert page.index("```{paper} touvron2023llama2") < page.index("## Models")
    assert "% Models of the collection it names: llama (" in page  # the title names LLaMA
    assert build(project / "docs").warning.getvalue().count("WARNING") == 0


def test_doi_online_takes_the_venue_from_crossref(project, server):
    assert run_new(project, "--family", "llama", "https://doi.org/10.18653/v1/2023.acl-long.754", server=server) == 0
    entry = read_bibliography([project / "papers.bib"]).entries["wang2023selfinstruct"]
    assert entry.entry_type == "inproceedings"
    assert entry.fields["booktitle"].startswith("Proceedings of the 61st Annual Meeting")
    assert entry.fields["doi"] == "10.18653/v1/2023.acl-long.754"
    assert entry.authors[4] == "Noah A. Smith"
    assert "{Self-Instruct}: Aligning" in entry.raw
    assert entry.fields["pages"] == "13484--13508"


def test_arxiv_paper_with_a_doi_takes_its_published_venue_and_year(project, server):
    assert run_new(project, "--family", "llama", "2212.10560", server=server) == 0
    entry = read_bibliography([project / "papers.bib"]).entries["wang2023selfinstruct"]
    assert entry.fields["booktitle"].startswith("Proceedings of the 61st Annual Meeting")
    assert entry.year == "2023"  # the ACL version's year, not the preprint's (2022)
    assert entry.fields["eprint"] == "2212.10560"
    assert entry.fields["doi"] == "10.18653/v1/2023.acl-long.754"
    assert "journal" not in entry.fields


def test_same_paper_again_is_refused_naming_the_key_and_nothing_changes(project, server, capsys):
    before = snapshot(project)
    assert run_new(project, "--family", "rlhf", "2302.13971", server=server) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "already in" in error and "'touvron2023llama'" in error and "2302.13971" in error
    assert "families/llama.md" in error
    assert snapshot(project) == before
    assert Recorded.requests == [] or all("2302.13971" not in request for request in Recorded.requests)


def test_same_title_pasted_is_refused(project, capsys, monkeypatch):
    pasted = (
        "@article{mine, title = {LLaMA: Open and Efficient Foundation Language Models}, author = {A, B}, year = 2023}"
    )
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(pasted))
    before = snapshot(project)
    assert run_new(project, "--family", "llama", "-") == 1
    assert "'touvron2023llama' (the same title" in capsys.readouterr().err
    assert snapshot(project) == before


def test_pasted_bibtex_offline_is_normalised(project, unreachable, capsys):
    code = run_new(project, "--family", "rlhf", str(DATA / "dpo-pasted.bib"), server=unreachable)
    assert code == 0, capsys.readouterr().err
    entry = read_bibliography([project / "papers.bib"]).entries["rafailov2023direct"]
    assert "{Rafailov, Rafael and Sharma, Archit and Mitchell, Eric and Manning, Christopher D and" in entry.raw
    assert entry.fields["booktitle"] == "Thirty-seventh Conference on Neural Information Processing Systems"
    page = (project / "docs" / "families" / "rlhf.md").read_text(encoding="utf-8")
    assert ":verified:" not in page  # nothing was checked against a source
    assert warnings_of(build(project / "docs")) == []


def test_lookup_offline_is_one_line_and_changes_nothing(project, unreachable, capsys):
    before = snapshot(project)
    assert run_new(project, "--family", "rlhf", "2305.18290", server=unreachable) == 2
    error = capsys.readouterr().err
    assert error.startswith("new: the network is unreachable: cannot reach 127.0.0.1:")
    assert error.count("\n") == 1 and "Traceback" not in error
    assert snapshot(project) == before


def test_unknown_family_and_source_are_refused(project, capsys):
    assert run_new(project, "--family", "mamba", "2305.18290") == 1
    assert "no family page" in capsys.readouterr().err
    assert run_new(project, "--family", "rlhf", "not-a-paper") == 1
    assert "is not an arXiv id" in capsys.readouterr().err


def test_key_rule():
    assert propose_key("Touvron, Hugo", "2023", "Llama 2: Open Foundation", ["touvron2023llama"]) == "touvron2023llama2"
    assert propose_key("Rafailov, Rafael", "2023", "Direct Preference Optimization", []) == "rafailov2023direct"
    assert propose_key("Dettmers, Tim", "2023", "{QLoRA}: Efficient Finetuning", []) == "dettmers2023qlora"
    assert propose_key("Le Scao, Teven", "2022", "What Language Model", ["scao2022language"]) == "scao2022languagemodel"
    assert propose_key("Ili{\\'c}, Suzana", "2022", "The", []) == "ilic2022paper"
    assert propose_key("Doe, J", "2020", "One", ["doe2020one"]) == "doe2020oneb"


def test_normalising_pasted_bibtex():
    paper = from_bibtex(
        "@article{x, title = {QLoRA: Efficient Finetuning of Quantized LLMs}, author = {Tim Dettmers and others},"
        " journal = {arXiv preprint arXiv:2305.14314}, year = {2023}, url = {http://arxiv.org/abs/2305.14314}}"
    )
    assert paper.fields["title"] == "{QLoRA}: Efficient Finetuning of Quantized {LLMs}"
    assert paper.authors == ["Dettmers, Tim"]
    assert paper.fields["eprint"] == "2305.14314" and paper.fields["archiveprefix"] == "arXiv"
    assert paper.fields["journal"] == "arXiv preprint"
    assert paper.fields["url"] == "https://arxiv.org/abs/2305.14314"
    assert any("and others" in note for note in paper.notes)
    text = to_bibtex(paper, "dettmers2023qlora")
    assert text.startswith("@article{dettmers2023qlora,\n  title ")
    assert protect_capitals("Fine-Tuned GPT-4 Models") == "Fine-Tuned {GPT-4} Models"


def test_verify_offline_lists_conventions_duplicates_and_spellings(tmp_path, capsys):
    bib = tmp_path / "papers.bib"
    bib.write_text(
        (DATA / "papers.bib").read_text(encoding="utf-8")
        + "\n@article{twin2023, title = {{LLaMA}: Open and Efficient Foundation Language Models},"
        " author = {Touvron, Hugo and Ili{\\'c}, Suzana and others}, journal = {arXiv preprint arXiv:2302.13971},"
        " year = {2023}, url = {http://example.org/llama}}\n"
        "\n@article{other2022, title = {Other}, author = {Ilic, Suzana and Sasha Luccioni},"
        " journal = {J}, year = 2022}\n",
        encoding="utf-8",
    )
    assert verify.main(["--offline", "--bib", str(bib)]) == 1
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert any("twin2023" in row and "and others" in row for row in rows)
    assert any("twin2023" in row and "eprint = {2302.13971}" in row for row in rows)
    assert any("twin2023" in row and "http://" in row for row in rows)
    assert any("twin2023" in row and "touvron2023llama" in row and "same title" in row for row in rows)
    assert any("other2022" in row and "'Luccioni, Sasha'" in row for row in rows)
    assert any("Ili{\\'c}, Suzana" in row and "Ilic, Suzana" in row for row in rows)


def test_verify_online_prints_a_table_of_differences(tmp_path, server, capsys):
    bib = tmp_path / "papers.bib"
    bib.write_text(
        (DATA / "papers.bib").read_text(encoding="utf-8").replace("Izacard, Gautier", "Izacard, G and Extra, Ed")
        + "\n@inproceedings{rafailov2023direct,\n  title = {Direct Preference Optimization},\n"
        "  author = {Rafailov, Rafael and Sharma, Archit and Mitchell, Eric and Manning, Christopher D. and"
        " Ermon, Stefano and Finn, Chelsea},\n  booktitle = {NeurIPS},\n  year = {2023},\n"
        "  eprint = {2305.18290},\n  archiveprefix = {arXiv},\n}\n",
        encoding="utf-8",
    )
    code = verify.main(["--bib", str(bib), "--arxiv-api", f"{server}/api/query", "--crossref-api", server])
    out = capsys.readouterr().out
    assert code == 1
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert any("touvron2023llama" in row and "authors" in row and "Extra" in row for row in rows)
    assert any("rafailov2023direct" in row and "title" in row for row in rows)
    assert any("rafailov2023direct" in row and "author 4" in row and "Manning" in row for row in rows)
    assert not any("year" in row.split("|")[2] for row in rows)


def test_verify_offline_network_exits_cleanly(tmp_path, unreachable, capsys):
    shutil.copy(DATA / "papers.bib", tmp_path / "papers.bib")
    code = verify.main(["--bib", str(tmp_path / "papers.bib"), "--arxiv-api", f"{unreachable}/api/query"])
    captured = capsys.readouterr()
    assert code == 0
    assert "the network is unreachable" in captured.out and "--offline" in captured.out
    assert "Traceback" not in captured.out + captured.err
