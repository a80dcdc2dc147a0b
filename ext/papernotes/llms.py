"""``llms.txt`` and ``llms-full.txt`` at the site root, so language-model agents can read the notes.

``llms.txt`` follows llmstxt.org: the project's name, the home page's first paragraph as a quote,
then every page in the order the toctrees list it, as a Markdown link with its title, and a link
to ``llms-full.txt``, which holds every page's source (MyST Markdown: the notes as written, their
entries' options included) one after the other under its title and address.

sphinx-llms-txt does the same job, and was tried first (0.7.1, with Sphinx 8.2.3 and 9.1): its
page order comes from the order Sphinx happens to hold documents in, which an incremental build
changes (pages re-read move to the end), so an incremental build wrote a different file than a
clean one; it took the summary from the home page only when that page was written, and warned
about papernotes' generated pages. Here the order is the toctrees' (then the remaining pages by
name), the summary is read from the home page's stored doctree, and sources are read from the
project, so every build writes the same bytes. A project that loads sphinx-llms-txt keeps its
files: papernotes then writes none.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from papernotes.feed import FEED_NAME
from papernotes.generation import is_current, mark_current

__all__ = ["FULL_NAME", "LLMS_NAME", "page_order"]

LLMS_NAME = "llms.txt"
FULL_NAME = "llms-full.txt"


def page_order(env: BuildEnvironment, root: str) -> list[str]:
    """Every page: depth first along the toctrees from the root, then the pages no toctree lists, by name."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.found_docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return order + sorted(set(env.found_docs) - seen)


def _summary(env: BuildEnvironment, root: str) -> str:
    """The home page's first paragraph, as one line."""
    if root not in env.found_docs:
        return ""
    for paragraph in env.get_doctree(root).findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if text:
            return text
    return ""


def _title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return " ".join(title.astext().split()) if title is not None else docname


def llms_files(app: Sphinx) -> tuple[str, str]:
    """The text of ``llms.txt`` and of ``llms-full.txt`` for this build."""
    env = app.env
    base = str(app.config.html_baseurl or "")
    if base and not base.endswith("/"):
        base += "/"
    root = str(app.config.root_doc)
    project = str(app.config.project)
    order = page_order(env, root)
    lines = [f"# {project}", ""]
    summary = _summary(env, root)
    if summary:
        lines += [f"> {summary}", ""]
    lines += ["## Pages", ""]
    full = [f"# {project}", ""]
    for docname in order:
        title = _title(env, docname).replace("[", "(").replace("]", ")")
        url = urljoin(base, app.builder.get_target_uri(docname))
        lines.append(f"- [{title}]({url})")
        source = Path(env.doc2path(docname))
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        full += ["", "=" * 80, f"Page: {title}", f"Address: {url}", "=" * 80, "", text.strip(), ""]
    lines += ["", "## Optional", ""]
    lines.append(f"- [{FULL_NAME}]({urljoin(base, FULL_NAME)}): every page's source (MyST Markdown) in one file")
    lines.append(f"- [{FEED_NAME}]({urljoin(base, FEED_NAME)}): the entries as they join the collection (Atom)")
    return "\n".join(lines) + "\n", "\n".join(full).rstrip() + "\n"


def write_llms(app: Sphinx, exception: Exception | None) -> None:
    """Write both files into the root of an HTML build, unless sphinx-llms-txt writes its own."""
    if exception is not None or app.builder.format != "html" or "sphinx_llms_txt" in app.extensions:
        return
    outdir = Path(app.outdir)
    if is_current(app, "llms", [outdir / LLMS_NAME, outdir / FULL_NAME]):  # see papernotes.generation
        return
    for name, text in zip((LLMS_NAME, FULL_NAME), llms_files(app), strict=True):
        path = outdir / name
        if not (path.is_file() and path.read_text(encoding="utf-8") == text):
            path.write_text(text, encoding="utf-8")
    mark_current(app, "llms")


def setup(app: Sphinx) -> None:
    """Write the files at the end of each HTML build."""
    app.connect("build-finished", write_llms)
