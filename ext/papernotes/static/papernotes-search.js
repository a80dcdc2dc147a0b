// The search page of a site indexed by Pagefind (papernotes.search): entries first, then pages;
// filters by type, family, tag and year; ?q=WORDS (and ?type=, ?family=, ?tag=, ?year=) in the URL.
// Each entry is its own Pagefind document (kind "entry") whose meta.url is its page and anchor.
const PAGE_SIZE = 10;
const EXCERPT_WORDS = 30;

const section = document.querySelector(".pn-search");
const form = section.querySelector("form");
const input = section.querySelector("#pn-search-input");
const selects = [...section.querySelectorAll("select[data-filter]")];
const results = section.querySelector("#search-results");
const summary = section.querySelector(".search-summary");
const list = section.querySelector(".pn-search-results");
const more = section.querySelector(".pn-search-more");
const root = new URL(".", new URL(section.dataset.root, window.location.href));

let pagefind = null;
let shown = [];
let generation = 0;

function unescape(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/** Text with <mark>…</mark> (as Pagefind's excerpts have it) as DOM nodes, never as HTML. */
function markedNodes(marked) {
  const nodes = [];
  for (const [index, part] of marked.split(/<\/?mark>/).entries()) {
    if (!part) continue;
    const text = document.createTextNode(unescape(part));
    if (index % 2 === 1) {
      const mark = document.createElement("mark");
      mark.append(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  }
  return nodes;
}

/** An entry's snippet, from its notes only: the notes end where the #pn-fields block starts. */
function notesExcerpt(data) {
  const content = data.raw_content || "";
  const zws = content.includes("\u200B");
  const words = zws ? content.split("\u200B") : content.split(/[\r\n\s]+/g);
  const fields = (data.anchors || []).find((anchor) => anchor.id === "pn-fields");
  const end = fields ? fields.location : words.length;
  if (end <= 0) return data.excerpt;
  const hits = data.locations.filter((location) => location < end);
  let start = 0;
  let best = -1;
  for (const hit of hits) {
    const from = Math.max(0, hit - Math.floor(EXCERPT_WORDS / 3));
    const count = hits.filter((other) => other >= from && other < from + EXCERPT_WORDS).length;
    if (count > best) [best, start] = [count, from];
  }
  start = Math.max(0, Math.min(start, end - EXCERPT_WORDS));
  const stop = Math.min(end, start + EXCERPT_WORDS);
  const marked = new Set(hits);
  const parts = [];
  for (let index = start; index < stop; index += 1) {
    parts.push(marked.has(index) ? `<mark>${words[index]}</mark>` : words[index]);
  }
  return (start > 0 ? "… " : "") + parts.join(zws ? "" : " ").trim() + (stop < end ? " …" : "");
}

/** The sub-result of a page that matches best (a section or glossary term), or the page itself. */
function bestPart(data) {
  let best = null;
  for (const sub of data.sub_results || []) {
    const score = sub.weighted_locations.reduce((total, location) => total + location.balanced_score, 0);
    if (!best || score > best.score) best = { sub, score };
  }
  return best ? best.sub : { title: data.meta.title, url: data.meta.url, excerpt: data.excerpt };
}

function resultItem(result, data) {
  const item = document.createElement("li");
  item.className = `pn-search-result pn-search-${data.meta.kind || "page"}`;
  const link = document.createElement("a");
  const heading = document.createElement("span");
  heading.className = "pn-search-title";
  const details = document.createElement("span");
  details.className = "pn-search-details";
  const excerpt = document.createElement("p");
  excerpt.className = "context pn-search-excerpt";
  if (data.meta.kind === "entry") {
    link.href = new URL(data.meta.url, root).href;
    heading.textContent = data.meta.title;
    const badge = document.createElement("span");
    badge.className = "pn-search-type";
    badge.textContent = data.meta.type;
    const facts = [data.meta.short, data.meta.family, data.meta.year].filter(Boolean).join(" · ");
    details.append(badge, document.createTextNode(facts ? ` ${facts}` : ""));
    excerpt.append(...markedNodes(notesExcerpt(data)));
  } else {
    const part = bestPart(data);
    link.href = new URL(part.url || data.meta.url, root).href;
    heading.textContent = data.meta.title;
    const badge = document.createElement("span");
    badge.className = "pn-search-type";
    badge.textContent = "page";
    const where = part.title && part.title !== data.meta.title ? ` ${part.title}` : "";
    details.append(badge, document.createTextNode(where));
    excerpt.append(...markedNodes(part.excerpt || data.excerpt));
  }
  link.append(heading);
  item.append(link, details, excerpt);
  return item;
}

function normalised(text) {
  return (text || "").toLowerCase().replace(/[^\p{Letter}\p{Number}]+/gu, " ").trim();
}

/** Among the best entries, those whose name, short name or id is the query come first (stable). */
async function namedFirst(results, query) {
  const wanted = normalised(query);
  if (!wanted) return results;
  const head = results.slice(0, 2 * PAGE_SIZE);
  const data = await Promise.all(head.map((result) => result.data()));
  const named = (item) => [item.meta.title, item.meta.short, item.meta.id].some((name) => normalised(name) === wanted);
  const first = head.filter((_, index) => named(data[index]));
  const rest = head.filter((_, index) => !named(data[index]));
  return [...first, ...rest, ...results.slice(head.length)];
}

function selectedFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  return filters;
}

async function showMore(current) {
  const next = shown.slice(list.children.length, list.children.length + PAGE_SIZE);
  const loaded = await Promise.all(next.map((result) => result.data()));
  if (current !== generation) return;
  loaded.forEach((data, index) => list.append(resultItem(next[index], data)));
  more.hidden = list.children.length >= shown.length;
}

function updateAddress(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const address = `${window.location.pathname}${params.size ? `?${params}` : ""}`;
  window.history.replaceState(null, "", address);
}

async function run() {
  const current = ++generation;
  const query = input.value.trim();
  const filters = selectedFilters();
  updateAddress(query, filters);
  more.hidden = true;
  if (!query && !Object.keys(filters).length) {
    shown = [];
    list.replaceChildren();
    summary.textContent = "Type words to search the notes, or choose a filter.";
    return;
  }
  // The summary is written once the first results are on the page (tests and screen readers wait for it).
  summary.textContent = "";
  results.setAttribute("aria-busy", "true");
  const [entries, pages] = await Promise.all([
    pagefind.search(query || null, { filters: { ...filters, kind: "entry" } }),
    pagefind.search(query || null, { filters: { ...filters, kind: "page" } }),
  ]);
  if (current !== generation) return;
  const ordered = [...(await namedFirst(entries.results, query)), ...pages.results];
  if (current !== generation) return;
  shown = ordered;
  list.replaceChildren();
  await showMore(current);
  if (current !== generation) return;
  results.removeAttribute("aria-busy");
  const said = query ? ` for “${query}”` : "";
  const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  summary.textContent = shown.length
    ? `${count(entries.results.length, "entry", "entries")} and ${count(pages.results.length, "page", "pages")}${said}.`
    : `Nothing found${said}. Try fewer words, or another filter.`;
}

async function fillFilters(params) {
  const available = await pagefind.filters();
  for (const select of selects) {
    const values = Object.entries(available[select.dataset.filter] || {});
    values.sort(([a], [b]) => (select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    for (const [value, number] of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (${number})`;
      select.append(option);
    }
    select.value = params.get(select.name) || "";
  }
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  try {
    pagefind = await import(new URL(section.dataset.bundle, window.location.href).href);
    await pagefind.options({ excerptLength: EXCERPT_WORDS });
    await fillFilters(params);
  } catch (error) {
    summary.textContent = "The search index could not be loaded.";
    throw error;
  }
  let timer = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(generation));
  await run();
}

start();
