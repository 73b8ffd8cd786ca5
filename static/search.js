// factbrief: the search page (search/index.html). It loads Pagefind's search
// API from the site's own pagefind/ folder, builds the filters from the index,
// and lists claims and quoted passages as the reader types. It asks no other
// host for anything, and works under any URL prefix: the page says where the
// site root is (data-root, relative to the page), and every URL is made from it.
// Without JavaScript, or when the index cannot be loaded, the page keeps
// showing its links to the lists.

const DEBOUNCE_MS = 100;
const PAGE_SIZE = 20;
// Filters as the index names them, in the order shown.
const FILTERS = ["type", "verdict", "stance", "outlet", "tag", "kind"];
const ORDER = {
  type: ["Claim", "Passage"],
  stance: ["Supports", "Contradicts", "Context"],
};

const ui = document.getElementById("search");
// Every word shown comes from the page, in the briefing's language (data-words).
const WORDS = readWords(ui);
const PLURAL = new Intl.PluralRules(document.documentElement.lang || "en");
if (ui) {
  start(ui).catch(unavailable);
}

async function start(ui) {
  const el = (id) => document.getElementById(id);
  const input = el("search-q");
  const form = el("search-form");
  const filtersBox = el("search-filters");
  const status = el("search-status");
  const list = el("search-results");
  const more = el("search-more");
  // The site root as an absolute URL, and as the path Pagefind puts before record URLs.
  const siteRoot = new URL(ui.dataset.root || "./", document.baseURI);
  const scale = [...document.querySelectorAll("#search-scale li")].map((li) => ({
    key: li.dataset.key,
    label: li.textContent,
  }));
  ORDER.verdict = scale.map((v) => v.label);

  status.textContent = WORDS.loading;
  const pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
  const options = { baseUrl: siteRoot.pathname, excerptLength: 30 };
  await pagefind.options(options);
  await pagefind.init();
  // A large index is in shards: the first here, the others listed in shards.json.
  const shards = await fetch(new URL("pagefind/shards.json", siteRoot))
    .then((r) => (r.ok ? r.json() : []))
    .catch(() => []);
  // Shards of records in another language than the page's (a source's own
  // `language`) are named for it, `lang-<tag>-<n>/`, and searched as that language.
  // All are fetched at once (Pagefind adds each to its list when asked, in this order).
  const merged = [];
  for (const shard of Array.isArray(shards) ? shards : []) {
    const other = /^lang-([a-z]{2,3})-\d+\/$/.exec(shard);
    if (/^shard-\d+\/$/.test(shard) || other) {
      const url = new URL(`pagefind/${shard}`, siteRoot).pathname;
      merged.push(pagefind.mergeIndex(url, other ? { ...options, language: other[1] } : options));
    }
  }
  await Promise.all(merged);
  const totals = await withTimeout(pagefind.filters(), 20000);

  // The filters: one group of check boxes per filter the index has.
  const boxes = {};
  for (const name of FILTERS) {
    const legend = WORDS[`filter_${name}`] || name;
    const values = sorted(name, Object.keys(totals[name] || {}));
    if (values.length < 2 && name !== "verdict") continue;
    const details = document.createElement("details");
    details.className = "search-filter";
    const summary = document.createElement("summary");
    summary.textContent = legend;
    const chosen = document.createElement("span");
    chosen.className = "search-chosen";
    summary.append(" ", chosen);
    const fieldset = document.createElement("fieldset");
    const leg = document.createElement("legend");
    leg.className = "visually-hidden";
    leg.textContent = legend;
    fieldset.append(leg);
    boxes[name] = [];
    for (const value of values) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = value;
      box.dataset.filter = name;
      const count = document.createElement("span");
      count.className = "search-count";
      label.append(box, " ", valueLabel(name, value), " ", count);
      fieldset.append(label);
      boxes[name].push({ box, count });
    }
    details.append(summary, fieldset);
    details.dataset.filter = name;
    filtersBox.append(details);
  }

  const selected = () => {
    const filters = {};
    for (const [name, entries] of Object.entries(boxes)) {
      const any = entries.filter((e) => e.box.checked).map((e) => e.box.value);
      if (any.length) filters[name] = { any };
    }
    return filters;
  };

  const showCounts = (counts) => {
    for (const [name, entries] of Object.entries(boxes)) {
      let n = 0;
      for (const e of entries) {
        const c = (counts && counts[name] && counts[name][e.box.value]) || 0;
        e.count.textContent = `(${c})`;
        if (e.box.checked) n++;
      }
      const chosen = filtersBox.querySelector(`details[data-filter="${name}"] .search-chosen`);
      chosen.textContent = n ? fill(WORDS.chosen, { n: String(n) }).join("") : "";
    }
  };
  showCounts(totals);

  let shown = 0;
  let current = [];
  let generation = 0;

  const render = async (response, query, filters, gen) => {
    current = response ? response.results : [];
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    const filtering = Object.keys(filters).length > 0;
    if (!query && !filtering) {
      status.textContent = "";
      showCounts(totals);
      return;
    }
    showCounts(response.filters);
    await showMore(gen);
    const n = current.length;
    const results = n === 0 ? WORDS.no_results : fill(plural(WORDS.results, n), { n: String(n) }).join("");
    const which = query && filtering ? "status_both" : query ? "status_query" : "status_filters";
    status.textContent = fill(WORDS[which], { results, query }).join("");
  };

  // The next results, each shown as soon as it and those before it are loaded.
  const showMore = async (gen) => {
    const next = current.slice(shown, shown + PAGE_SIZE).map((r) => r.data());
    for (const data of next) {
      const d = await data;
      if (gen !== generation) return;
      list.append(result(d, siteRoot, scale));
      shown++;
    }
    more.hidden = shown >= current.length;
  };

  const run = async (debounce) => {
    const gen = ++generation;
    const query = input.value.trim();
    const filters = selected();
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(history.state, "", url);
    const filtering = Object.keys(filters).length > 0;
    let response = null;
    if (query || filtering) {
      response = debounce
        ? await pagefind.debouncedSearch(query || null, { filters }, DEBOUNCE_MS)
        : await pagefind.search(query || null, { filters });
      if (response === null) return; // a newer search replaced this one
    }
    if (gen !== generation) return;
    await render(response, query, filters, gen);
  };

  input.addEventListener("input", () => run(true).catch(failed));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(false).catch(failed);
  });
  filtersBox.addEventListener("change", () => run(false).catch(failed));
  more.addEventListener("click", () => {
    const first = list.children.length;
    showMore(generation)
      .then(() => {
        // Keyboard users go on from the first new result.
        const link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      })
      .catch(failed);
  });

  function failed(error) {
    status.textContent = fill(WORDS.failed, { error: String(error && error.message ? error.message : error) }).join("");
  }

  ui.hidden = false;
  document.getElementById("search-nojs").hidden = true;
  status.textContent = "";
  ui.dataset.state = "ready";
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    input.value = q;
    await run(false);
  }
}

// One result: a claim (verdict, statement) or a quoted passage (excerpt,
// source and outlet, the claims quoting it), linking to its page or passage.
function result(d, siteRoot, scale) {
  const li = document.createElement("li");
  const filters = d.filters || {};
  const meta = d.meta || {};
  const isClaim = (filters.type || []).includes("Claim");
  li.className = `search-result ${isClaim ? "search-claim" : "search-passage"}`;
  if (isClaim) {
    const label = meta.verdict || "";
    const v = scale.find((s) => s.label === label);
    const verdict = document.createElement("span");
    verdict.className = v ? `verdict verdict-${v.key}` : "verdict";
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = `${WORDS.verdict_hidden} `;
    verdict.append(hidden, label);
    const a = link(d.url, meta.title || d.url);
    a.className = "claim-link";
    const kind = document.createElement("p");
    kind.className = "eyebrow";
    kind.textContent = WORDS.kind_claim;
    const p = document.createElement("p");
    p.className = "search-excerpt";
    p.append(...excerpt(d.excerpt));
    li.append(kind, verdict, " ", a, p);
    if (meta.claimant) {
      const who = document.createElement("p");
      who.className = "card-meta";
      who.textContent = fill(WORDS.claimed_by, { claimant: meta.claimant }).join("");
      li.append(who);
    }
  } else {
    const kind = document.createElement("p");
    kind.className = "eyebrow";
    kind.textContent = [WORDS.kind_passage, ...(filters.stance || []).map((v) => valueLabel("stance", v))].join(" · ");
    const quote = document.createElement("blockquote");
    const p = document.createElement("p");
    p.append(...excerpt(d.excerpt));
    quote.append(p);
    const cite = document.createElement("p");
    cite.className = "cite";
    const a = link(d.url, meta.title || d.url);
    a.className = "search-passage-link";
    cite.append(...fill(WORDS.from, { source: a, outlet: meta.outlet || "" }));
    li.append(kind, quote, cite);
    const statements = (meta.claims || "").split("\n");
    const urls = filters.claim || [];
    if (urls.length) {
      const by = document.createElement("p");
      by.className = "search-quoted-by";
      const claims = document.createDocumentFragment();
      urls.forEach((u, i) => {
        if (i > 0) claims.append(i === urls.length - 1 ? WORDS.list_and : WORDS.list_sep);
        claims.append(link(new URL(u, siteRoot).pathname, statements[i] || u));
      });
      by.append(...fill(plural(WORDS.quoted_by, urls.length), { claims }));
      li.append(by);
    }
  }
  return li;
}

// A link to a URL of this site; a link to nothing for anything else.
function link(href, text) {
  const a = document.createElement("a");
  const url = new URL(href, location.href);
  if (url.origin === location.origin) a.href = url.pathname + url.search + url.hash;
  a.textContent = text;
  return a;
}

// Pagefind's excerpt (text with `<` and `>` escaped, and `<mark>` around the
// words found) as nodes: text, and mark elements, never HTML.
function excerpt(html) {
  const nodes = [];
  const parts = (html || "").split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (marked) {
        const m = document.createElement("mark");
        m.textContent = text;
        nodes.push(m);
      } else {
        nodes.push(document.createTextNode(text));
      }
    }
  }
  return nodes;
}

// Values of filter `name` in the order readers expect (the rating scale for
// verdicts), the others alphabetically.
function sorted(name, values) {
  const order = ORDER[name];
  const rank = (v) => (order && order.includes(v) ? order.indexOf(v) : Infinity);
  return values.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(WORDS.timeout)), ms)),
  ]);
}

// The index could not be loaded: the links to the lists stay, with the reason.
function unavailable(error) {
  const note = document.getElementById("search-nojs");
  if (note) {
    note.textContent = location.protocol === "file:" ? WORDS.unavailable_file : WORDS.unavailable;
  }
  const box = document.getElementById("search");
  if (box) box.dataset.state = "failed";
  console.error(error);
}

// The words of the page (`data-words`). A word the page does not give (a
// site's own search.html without them) shows as its name.
function readWords(ui) {
  let given = {};
  try {
    given = JSON.parse((ui && ui.dataset.words) || "{}");
  } catch (e) {
    console.error(e);
  }
  return new Proxy(given, { get: (words, name) => (name in words ? words[name] : String(name)) });
}

// The form of plural family `forms` ({one, few, other, ...}) for count n.
function plural(forms, n) {
  if (typeof forms !== "object") return String(forms);
  return forms[PLURAL.select(n)] || forms.other || "";
}

// `text` with its {placeholders} replaced by `args` (strings or nodes): the
// parts, to append to an element. Unknown placeholders stay as written.
function fill(text, args) {
  return String(text)
    .split(/(\{[a-z_]+\})/)
    .filter((part) => part !== "")
    .map((part) => {
      const m = /^\{([a-z_]+)\}$/.exec(part);
      return m && m[1] in args ? args[m[1]] : part;
    });
}

// How a filter value of the index reads in the briefing's language.
function valueLabel(name, value) {
  const values = WORDS.values && WORDS.values[name];
  return (values && values[value]) || value;
}
