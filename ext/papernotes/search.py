"""Search that finds entries: results that land on their entry, Chinese queries that are split.

Sphinx's search index shortens an object's anchor to ``-`` when it is ``<objtype>-<name>``, and
its search page rebuilds the anchor from the object's *display* name. An entry's display name
("InstructGPT") is not its id ("instructgpt"), so the rebuilt anchor ``#model-InstructGPT``
points nowhere. Just before the index is written, the anchors of ``pn`` objects are restored in
full; ``objects.inv`` and the domain itself are unchanged.

Chinese is written without spaces, and Sphinx's search page splits a query only at spaces and
punctuation, so 基于人类反馈的强化学习 is looked up as one term and finds nothing, although jieba
indexed every page that contains it as 基于 / 人类反馈 / 强化学习. For a ``zh`` site the search page
gets a splitter that cuts such a run into the longest terms the index knows.
"""

from __future__ import annotations

import html

from sphinx.application import Sphinx
from sphinx.config import Config

from papernotes.compat import SearchObjects, full_search_anchors
from papernotes.domain import PaperNotesDomain

__all__ = ["SPLIT_QUERY_JS", "restore_anchors", "search_chinese_split"]

#: The search page's ``splitQuery``: Sphinx's own split at non-letters, then each run of Han
#: characters that is not an index term is cut greedily into the longest index terms (up to 8
#: characters). Single characters are never indexed (Sphinx drops one-letter words), so a lone
#: one (的, 和) is left out rather than making the query unmatchable.
SPLIT_QUERY_JS = r"""
var splitQuery = (query) => {
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const known = (term) =>
    [index.terms, index.titleterms].some((terms) => terms && Object.prototype.hasOwnProperty.call(terms, term));
  const han = /\p{Script=Han}/u;
  const result = [];
  const words = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((term) => term);
  for (const word of words) {
    if (!han.test(word) || known(word)) {
      result.push(word);
      continue;
    }
    for (const run of word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu)) {
      if (!han.test(run) || known(run)) {
        result.push(run);
        continue;
      }
      let start = 0;
      while (start < run.length) {
        let end = Math.min(run.length, start + 8);
        while (end > start + 1 && !known(run.slice(start, end))) end -= 1;
        const piece = run.slice(start, end);
        if (piece.length > 1 || known(piece)) result.push(piece);
        start = end;
      }
    }
  }
  return result;
};
"""


def search_chinese_split() -> type:
    """Sphinx's Chinese search language, with a query splitter that knows the index's terms.

    Built on demand: ``sphinx.search.zh`` imports jieba and pkg_resources, a tenth of a no-op
    build of a site that is not searched in Chinese (issue 6).
    """
    from sphinx.search.zh import SearchChinese  # noqa: PLC0415  (only Chinese sites pay for jieba)

    class SearchChineseSplit(SearchChinese):
        js_splitter_code = SPLIT_QUERY_JS

    return SearchChineseSplit


def restore_anchors(
    objects: SearchObjects,
    objnames: dict[int, tuple[str, str, str]],
    domain: PaperNotesDomain,
    fn2index: dict[str, int],
) -> SearchObjects:
    """Replace the ``-`` shorthand of pn objects with their real anchors (one pass over the index)."""
    docnames = {index: docname for docname, index in fn2index.items()}
    anchors: dict[tuple[str, str, str], str] = {}
    for entry in domain.resolved_entries():
        name = html.escape(entry.name).rpartition(".")[2]
        anchors.setdefault((entry.docname, entry.objtype, name), entry.anchor)
    for rows in objects.values():
        for position, (docindex, typeindex, priority, anchor, name) in enumerate(rows):
            domain_name, objtype = objnames.get(typeindex, ("", "", ""))[:2]
            if anchor != "-" or domain_name != domain.name:
                continue
            full = anchors.get((docnames.get(docindex, ""), objtype, name))
            if full:
                rows[position] = (docindex, typeindex, priority, full, name)
    return objects


def _chinese_splitter(app: Sphinx, config: Config) -> None:
    """A site searched in Chinese gets the splitting search page."""
    language = str(config.html_search_language or config.language or "")
    if language.split("_", maxsplit=1)[0] == "zh":
        app.add_search_language(search_chinese_split())


def setup(app: Sphinx) -> None:
    """Full anchors for entries in the search index; the splitting search page for Chinese sites."""
    app.connect("config-inited", _chinese_splitter)

    def fix(
        objects: SearchObjects, objnames: dict[int, tuple[str, str, str]], fn2index: dict[str, int]
    ) -> SearchObjects:
        domain = app.env.domains["pn"]
        assert isinstance(domain, PaperNotesDomain)
        return restore_anchors(objects, objnames, domain, fn2index)

    full_search_anchors(app, fix)
