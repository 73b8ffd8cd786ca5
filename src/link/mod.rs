//! Link: the claim/source graph.
//!
//! Resolves every evidence entry to its source and its quote to a passage of
//! the source's rendered text, checks `source:`/`claim:`/`page:` links and
//! verdicts, and records which document depends on which, so that a rebuild
//! can tell what an edit touches.
//!
//! There is one link path. It is memoized ([`Memo`]): a source's scan (its
//! rendered text and links) is kept while its document is the same, and a
//! claim's whole result (verdict, evidence, passages, diagnostics) while the
//! claim, the sources it cites and the settings are the same. Relinking after
//! an edit redoes only the work the edit invalidated; the rest is an
//! assembly of remembered results, linear in the size of the briefing.

pub mod cache;
pub mod editorial;
pub mod quote;
pub mod settings;
pub mod taxonomy;
mod verdict_hint;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Code;
use crate::diagnostic::{
    attach_texts, did_you_mean, Diagnostic, Diagnostics, Findings, Result, Severity,
};
use crate::load::front_matter::LineIndex;
use crate::load::{
    id::passage_name, ClaimMeta, Content, Date, DocId, Document, IndexMeta, Kind, PageMeta,
    SourceMeta, Stance,
};
use crate::markdown::{self, Trust};
pub use settings::{BaseUrl, Scale, Settings, Verdict};
pub use taxonomy::{Taxonomies, Term};

/// A briefing with every reference resolved. Everything is keyed by document id.
#[derive(Debug)]
pub struct Site {
    /// The documents as loaded.
    pub content: Content,
    /// Settings from `_index.md`, completed with defaults.
    pub settings: Settings,
    /// Every claim's resolved references, by claim id.
    pub claims: Arc<BTreeMap<String, Arc<LinkedClaim>>>,
    /// Every source's resolved references, by source id.
    pub sources: Arc<BTreeMap<String, LinkedSource>>,
    /// The documents each document's Markdown links to (documents with links only).
    pub links: Arc<BTreeMap<DocId, Arc<Resolved>>>,
    /// Tags, outlets and verdicts, and the order of every list.
    pub taxonomies: Arc<Taxonomies>,
}

/// The `source:`/`claim:`/`page:` links of one document, resolved.
#[derive(Debug)]
pub struct Resolved {
    /// The document.
    pub from: DocId,
    /// The documents it links to.
    pub targets: BTreeSet<DocId>,
    /// Its links that point to no document.
    errors: Arc<[Diagnostic]>,
    /// The links this was resolved from (the same while the document is).
    links: Links,
}

/// A claim's resolved references.
#[derive(Debug, Clone)]
pub struct LinkedClaim {
    /// The verdict's key, a key of the scale.
    pub verdict: String,
    /// The evidence, in file order.
    pub evidence: Vec<LinkedEvidence>,
    /// Ids of the sources in which the claim appears.
    pub appears_in: Vec<String>,
    /// Date of the check (the claim's `reviewed`, else the briefing's `published`).
    pub reviewed: Option<Date>,
}

impl LinkedClaim {
    /// Evidence entry `n` (1-based, as in the file).
    pub fn entry(&self, n: usize) -> Option<&LinkedEvidence> {
        self.evidence
            .binary_search_by_key(&n, |e| e.n)
            .ok()
            .map(|i| &self.evidence[i])
    }
}

/// One evidence entry, resolved.
#[derive(Debug, Clone)]
pub struct LinkedEvidence {
    /// 1-based position in the claim's file.
    pub n: usize,
    /// The cited source's id.
    pub source: String,
    /// How it bears on the claim.
    pub stance: Stance,
    /// The passage quoted, if the entry has a quote.
    pub passage: Option<PassageRef>,
}

/// Where a quote was found.
#[derive(Debug, Clone)]
pub struct PassageRef {
    /// `q-<claim>-<n>`: the anchor id and `data-q` name.
    pub name: String,
    /// How many times the quote occurs in the source (the first is linked).
    pub occurrences: usize,
    /// Byte range in the source's rendered text, from the start of the first
    /// piece to the end of the last.
    pub range: Range<usize>,
    /// The byte ranges of its pieces: one, or one per part of a quote that
    /// leaves words out with `[…]`.
    pub pieces: Vec<Range<usize>>,
    /// The source's words, as rendered (for links to the passage in the
    /// original); the pieces of an elided quote joined by a line break.
    pub text: String,
}

/// One evidence entry citing a source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    /// The citing claim's id.
    pub claim: String,
    /// The entry's number in the claim (1-based).
    pub n: usize,
}

/// A source's resolved references.
#[derive(Debug, Clone, Default)]
pub struct LinkedSource {
    /// Evidence entries citing this source, by claim id then order.
    pub citations: Vec<Citation>,
    /// Passages quoted from it, by start offset.
    pub passages: Vec<Passage>,
}

/// A quoted stretch of a source's rendered text: a whole passage, or one
/// piece of a quote that leaves words out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// `q-<claim>-<n>`.
    pub name: String,
    /// Byte range in the source's rendered text ([`markdown::rendered_text`]).
    pub range: Range<usize>,
    /// Whether this is the passage's first piece (the one its anchor is at).
    pub first: bool,
}

/// Link destinations of a text with their 1-based line and column in its file.
type Links = Arc<[LinkAt]>;

/// A link found in a document's Markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LinkAt {
    dest: String,
    /// 1-based line in the document's file.
    line: usize,
    /// 1-based column.
    column: usize,
}

/// What linking remembers between rebuilds: per source its scan, per claim its
/// whole result with what it depended on, per other document its links.
#[derive(Default)]
pub struct Memo {
    sources: HashMap<String, Arc<SourceScan>>,
    claims: HashMap<String, Arc<ClaimResult>>,
    pages: HashMap<String, (Arc<Document<PageMeta>>, Links)>,
    index: Option<(Arc<Document<IndexMeta>>, Links)>,
    /// What the last link was given.
    last: Option<Content>,
    /// What the last link made of it, updated where what it depends on changed.
    graph: Graph,
    /// What the taxonomies take from the sources, while they are the same.
    source_terms: Option<taxonomy::SourceTerms>,
    /// The taxonomies of the last link, made again only when what they are
    /// made of changed (see [`same_terms`]); kept only while they had no error.
    taxonomies: Option<Arc<Taxonomies>>,
    /// For a single link ([`Memo::single_run`]): each source's rendered text is
    /// let go as soon as its quotes are found, and nothing is remembered.
    lean: bool,
    /// What an earlier build found in each source ([`Memo::use_cache`]): a
    /// source whose entry holds all that is asked of it is not read.
    cache: cache::LinkCache,
    /// Whether to keep what this link finds in each source, for the next build.
    keep_cache: bool,
    /// What this link found in each source, for the next build.
    cache_next: Option<cache::LinkCache>,
}

impl Memo {
    /// A memo for one link whose results are not linked again (`build`,
    /// `check`): a source's rendered text is kept only while its quotes are
    /// found, so that the texts of all sources are never in memory at once,
    /// and each link starts afresh. The site linked is the same as with
    /// [`Memo::default`].
    pub fn single_run() -> Memo {
        Memo {
            lean: true,
            ..Memo::default()
        }
    }

    /// Take from `cache` what an earlier build found in each source whose
    /// text is the same, and with `keep`, keep what the next link finds
    /// ([`Memo::take_cache`]).
    pub fn use_cache(&mut self, cache: cache::LinkCache, keep: bool) {
        self.cache = cache;
        self.keep_cache = keep;
    }

    /// What the last link found in each source, for the next build (with
    /// [`Memo::use_cache`] and `keep` only).
    pub fn take_cache(&mut self) -> Option<cache::LinkCache> {
        self.cache_next.take()
    }

    /// Whether it is a memo for a single link ([`Memo::single_run`]).
    pub fn is_lean(&self) -> bool {
        self.lean
    }
}

/// The assembled graph, shared with the [`Site`] it was made for. While that
/// site is dropped before the next link, it is updated in place.
#[derive(Default)]
struct Graph {
    claims: Arc<BTreeMap<String, Arc<LinkedClaim>>>,
    sources: Arc<BTreeMap<String, LinkedSource>>,
    /// Each document's links, resolved.
    links: Arc<BTreeMap<DocId, Arc<Resolved>>>,
    /// For each source, the claims whose evidence or `appears_in` names it.
    cited_by: HashMap<String, BTreeSet<String>>,
    /// The warning of each source no claim cites or names.
    uncited: BTreeMap<String, Arc<[Diagnostic]>>,
}

/// What one pass over a source's Markdown finds; kept while the document is the same.
struct SourceScan {
    doc: Arc<Document<SourceMeta>>,
    /// The rendered text quotes are matched in; `None` once let go (a lean
    /// [`Memo`]), when [`SourceScan::text`] renders it again.
    text: Option<String>,
    /// Content words, made when a claim's `appears_in` first names the source
    /// (in a lean [`Memo`], only those of the claims naming it, made while the text is there).
    words: OnceLock<HashSet<String>>,
    /// Links of the body and of the `note`.
    links: Links,
    /// Problems of the source alone (unsafe URL, unfilled fields).
    warnings: Arc<[Diagnostic]>,
    /// The warning given when no claim cites the source.
    uncited: Arc<[Diagnostic]>,
    /// Its body could not be read again (a single build's source saved since
    /// loading): claims citing it are told nothing more than that error.
    unreadable: bool,
}

impl SourceScan {
    fn new(doc: &Arc<Document<SourceMeta>>) -> SourceScan {
        let mut warnings = Vec::new();
        // (Read again from its file in a single build: an error if it changed since.)
        let mut unreadable = false;
        let body = doc.body().unwrap_or_else(|e| {
            warnings.push(e);
            unreadable = true;
            Cow::Borrowed("")
        });
        let scan = markdown::scan(&body, Trust::Untrusted, true);
        let mut links = located(&body, doc.body_line, scan.links);
        drop(body);
        if let Some(note) = &doc.meta.note {
            links.extend(field_links(
                note,
                Trust::Untrusted,
                doc.spans.key_or_start("note"),
            ));
        }
        if let Some(url) = doc.meta.url.as_deref().filter(|u| !is_web_url(u)) {
            warnings.push(
                Diagnostic::warning(
                    Code::UnsafeUrl,
                    &doc.file,
                    format!("url `{url}` is not a web address; it is shown without a link"),
                )
                .at_line(doc.spans.key_or_start("url"))
                .with_help("write an address starting with https:// or http://"),
            );
        }
        editorial::unfilled(doc, &mut warnings);
        let warnings = in_text(warnings, &doc.text);
        SourceScan {
            doc: doc.clone(),
            text: Some(scan.text),
            words: OnceLock::new(),
            links: links.into(),
            warnings: warnings.into(),
            uncited: Arc::new([editorial::uncited(doc)]),
            unreadable,
        }
    }

    /// A scan found by an earlier build (see [`cache`]): what [`SourceScan::new`]
    /// would find, its text let go as in a lean [`Memo`].
    fn restored(
        doc: &Arc<Document<SourceMeta>>,
        links: Vec<LinkAt>,
        warnings: Vec<Diagnostic>,
        words: OnceLock<HashSet<String>>,
    ) -> SourceScan {
        SourceScan {
            doc: doc.clone(),
            text: None,
            words,
            links: links.into(),
            warnings: in_text(warnings, &doc.text).into(),
            uncited: Arc::new([editorial::uncited(doc)]),
            unreadable: false,
        }
    }

    fn words(&self) -> &HashSet<String> {
        self.words
            .get_or_init(|| editorial::content_words(&self.text()).into_iter().collect())
    }

    /// The rendered text quotes are matched in: the one kept, else rendered
    /// again (empty if the body can no longer be read: [`SourceScan::new`]
    /// reported why, when it read it first).
    fn text(&self) -> Cow<'_, str> {
        match &self.text {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(match self.doc.body() {
                Ok(body) => markdown::rendered_text(&body, Trust::Untrusted),
                Err(_) => String::new(),
            }),
        }
    }
}

/// A source scanned anew (if it was stale), where its quotes are (if some
/// were wanted), and what to keep of them for the next build, by id.
type Scanned<'a> = (
    &'a str,
    Option<Arc<SourceScan>>,
    Option<HashMap<&'a str, Outcome>>,
    Option<cache::Encoded>,
);

/// What a claim's evidence or `appears_in` names, as it stood when the claim was linked.
#[derive(Clone)]
enum Cited {
    Source(Arc<SourceScan>),
    Draft,
    Unreadable,
    Missing,
}

impl Cited {
    /// Whether source `id` of `content` is what this was (the same document, or
    /// still a draft, unreadable or missing).
    fn same_now(&self, id: &str, content: &Content) -> bool {
        if let Some(doc) = content.sources.get(id) {
            return matches!(self, Cited::Source(s) if Arc::ptr_eq(&s.doc, doc));
        }
        let id = DocId::source(id);
        match self {
            Cited::Source(_) => false,
            Cited::Draft => content.is_draft(&id),
            Cited::Unreadable => !content.is_draft(&id) && content.is_unreadable(&id),
            Cited::Missing => !content.is_draft(&id) && !content.is_unreadable(&id),
        }
    }
}

/// A claim's link result, with what it was computed from.
struct ClaimResult {
    doc: Arc<Document<ClaimMeta>>,
    /// `_index.md` (scale, `published`) when it was linked.
    index: Arc<Document<IndexMeta>>,
    /// Each source id it names, and what that was.
    cited: Vec<(String, Cited)>,
    linked: Arc<LinkedClaim>,
    /// For each source it cites, its evidence entries citing it (indices into `linked.evidence`).
    by_source: HashMap<String, Vec<usize>>,
    /// Its errors and warnings.
    diags: Arc<[Diagnostic]>,
    /// Whether some of `diags` is an error.
    failed: bool,
    /// Links of its body and evidence notes.
    links: Links,
}

/// What a quote came to in a source's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Outcome {
    /// The pieces of the passage (one unless the quote leaves words out), how
    /// often it occurs, and its words as rendered (the pieces joined by a line break).
    Found(Vec<Range<usize>>, usize, String),
    Missing(Box<Missed>),
    Empty,
    /// The quote has no letter or digit.
    NoWords,
    /// A `[…]` at the start or end of the quote, or two in a row.
    BadElision,
}

/// What is known of a quote its source does not contain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Missed {
    /// The source's passage most like it.
    closest: Option<quote::Closest>,
    /// The quote with its bare `…`/`...` written `[…]`, when that is found.
    elided: Option<String>,
    /// Another source that contains it.
    elsewhere: Option<String>,
}

/// [`link`], reusing and refreshing `memo` from an earlier link of mostly the same content.
pub fn link_with(
    content: Content,
    base_override: Option<&str>,
    load_diags: Diagnostics,
    memo: &mut Memo,
) -> Result<(Site, Findings)> {
    let mut findings = Findings::default();
    findings.extend(load_diags.into_vec());
    let mut diags = Diagnostics::default();
    let settings = settings::settings(&content.index, base_override, &mut diags);
    findings.extend(in_text(diags.take(), &content.index.text));
    let last = memo.last.take();
    let same = |f: &dyn Fn(&Content) -> bool| last.as_ref().is_some_and(f);
    let same_elsewhere = same(&|l| {
        Arc::ptr_eq(&l.index, &content.index)
            && l.drafts == content.drafts
            && l.unreadable == content.unreadable
    });
    // The sources that are not those linked last, while the same ids exist.
    let changed_sources = last
        .as_ref()
        .and_then(|l| changed_docs(&l.sources, &content.sources));
    // Which documents exist: what link resolution depends on.
    let same_ids = same_elsewhere
        && changed_sources.is_some()
        && same(&|l| same_keys(&l.claims, &content.claims) && same_keys(&l.pages, &content.pages));
    // Or documents only came, none went (a new claim, say): every link that
    // found its document still does, and only one that found none may find
    // one of them now. The graph is then updated, not assembled again.
    let only_added = same_elsewhere
        && same(&|l| {
            keys_within(&l.sources, &content.sources)
                && keys_within(&l.claims, &content.claims)
                && keys_within(&l.pages, &content.pages)
        });

    // Sources: scanned again only when their document changed (below, with their quotes).
    let stale: Vec<&Arc<Document<SourceMeta>>> = match changed_sources {
        // The same ids: those linked last are those the memo scanned.
        Some(changed) => changed,
        // Ids came or went (or nothing was linked yet): the sources the memo
        // has no scan of as they are now; the scans of those that went, let go.
        None => {
            memo.sources
                .retain(|id, _| content.sources.contains_key(id));
            content
                .sources
                .iter()
                .filter(|(id, doc)| {
                    !memo
                        .sources
                        .get(*id)
                        .is_some_and(|s| Arc::ptr_eq(&s.doc, doc))
                })
                .map(|(_, doc)| doc)
                .collect()
        }
    };
    let stale_sources: Vec<&str> = stale.iter().map(|d| d.id.as_str()).collect();

    // Claims: linked again only when they or what they cite changed.
    let docs: Vec<(&String, &Arc<Document<ClaimMeta>>)> = content.claims.iter().collect();
    // While the same documents exist, only the claims citing a source scanned
    // anew can have had what they cite change.
    let suspects: Option<HashSet<&str>> = same_ids.then(|| {
        stale_sources
            .iter()
            .filter_map(|s| memo.graph.cited_by.get(*s))
            .flatten()
            .map(String::as_str)
            .collect()
    });
    let kept: Vec<Option<Arc<ClaimResult>>> = docs
        .par_iter()
        .map(|(id, doc)| {
            let old = memo.claims.get(*id)?;
            let unchanged_sources = match &suspects {
                Some(suspects) => !suspects.contains(id.as_str()),
                None => false,
            };
            // A result with errors is made again: its advice may name other documents.
            let fresh = Arc::ptr_eq(&old.doc, doc)
                && !old.failed
                && Arc::ptr_eq(&old.index, &content.index)
                && (unchanged_sources
                    || old.cited.iter().all(|(s, was)| was.same_now(s, &content)));
            fresh.then(|| old.clone())
        })
        .collect();
    // The quotes of the claims linked again, found source by source: a source's
    // text is normalised once for all its quotes, and let go right after.
    let mut wanted: HashMap<&str, Vec<&str>> = HashMap::new();
    // In a lean memo, the words of the claims linked again naming each source in `appears_in`.
    let mut appear: HashMap<&str, HashSet<String>> = HashMap::new();
    for ((_, doc), kept) in docs.iter().zip(&kept) {
        if kept.is_none() {
            for ev in &doc.meta.evidence {
                if let (Some(q), true) = (&ev.quote, content.sources.contains_key(&ev.source)) {
                    wanted.entry(ev.source.as_str()).or_default().push(q);
                }
            }
            if memo.lean {
                for s in &doc.meta.appears_in {
                    if content.sources.contains_key(s) {
                        appear
                            .entry(s.as_str())
                            .or_default()
                            .extend(editorial::content_words(&doc.meta.claim));
                    }
                }
            }
        }
    }
    // Each source scanned anew or with quotes to find: scanned (if stale), its
    // quotes found, and in a lean memo its text let go, one source at a time.
    let stale_ids: HashSet<&str> = stale_sources.iter().copied().collect();
    let mut work: Vec<(&str, Option<&Arc<Document<SourceMeta>>>)> =
        stale.iter().map(|d| (d.id.as_str(), Some(*d))).collect();
    work.extend(
        wanted
            .keys()
            .filter(|s| !stale_ids.contains(**s))
            .map(|s| (*s, None)),
    );
    let lean = memo.lean;
    // What an earlier build found in each stale source.
    let keep = memo.keep_cache;
    let mut cached = std::mem::take(&mut memo.cache);
    let work: Vec<_> = work
        .into_iter()
        .map(|(id, doc)| (id, doc, doc.and_then(|d| cached.remove(d))))
        .collect();
    drop(cached);
    let done: Vec<Scanned> = work
        .into_par_iter()
        .filter_map(|(id, doc, entry)| {
            let quotes = wanted.get(id);
            // Found by an earlier build in the text as it is: not read again,
            // and kept as it was written unless it holds quotes no longer asked.
            let restored = doc.zip(entry).and_then(|(doc, raw)| {
                let entry = cache::Entry::decode(&raw)?;
                let (scan, found) = entry.restore(doc, quotes, appear.get(id))?;
                let kept = match entry.narrowed(found.as_ref()) {
                    _ if !keep => None,
                    None => Some(raw),
                    Some(narrowed) => narrowed.encode(),
                };
                Some((scan, found, kept))
            });
            if let Some((scan, found, kept)) = restored {
                return Some((id, Some(Arc::new(scan)), found, kept));
            }
            let mut fresh = doc.map(SourceScan::new);
            let scan = match &fresh {
                Some(s) => s,
                None => memo.sources.get(id)?,
            };
            let text = scan.text();
            let found = quotes.map(|q| find_quotes(&text, q.clone()));
            let words = appear.get(id).map(|need| {
                editorial::content_words(&text)
                    .into_iter()
                    .filter(|w| need.contains(w))
                    .collect::<HashSet<String>>()
            });
            drop(text);
            let mut entry = None;
            if let Some(s) = fresh.as_mut() {
                if keep {
                    let asked = appear.get(id).zip(words.as_ref());
                    entry = cache::entry(s, found.as_ref(), asked).and_then(|e| e.encode());
                }
                if lean {
                    s.text = None;
                    if let Some(words) = words {
                        let _ = s.words.set(words);
                    }
                }
            }
            Some((id, fresh.map(Arc::new), found, entry))
        })
        .collect();
    let mut found: HashMap<&str, HashMap<&str, Outcome>> = HashMap::new();
    let mut cache_next = keep.then(cache::LinkCache::default);
    for (id, scan, f, entry) in done {
        if let (Some(next), Some(scan), Some(entry)) = (cache_next.as_mut(), &scan, entry) {
            next.insert(&scan.doc, entry);
        }
        if let Some(scan) = scan {
            memo.sources.insert(scan.doc.id.clone(), scan);
        }
        if let Some(f) = f {
            found.insert(id, f);
        }
    }
    memo.cache_next = cache_next;
    // A quote its source lacks may be in another source (pinned to the wrong one).
    let mut missed: Vec<(&str, &str)> = found
        .iter()
        .flat_map(|(s, f)| {
            f.iter()
                .filter(|(_, o)| matches!(o, Outcome::Missing(_)))
                .map(move |(q, _)| (*s, *q))
        })
        .collect();
    missed.sort_unstable();
    let elsewhere = find_elsewhere(&memo.sources, &missed);
    for ((source, q), other) in missed.into_iter().zip(elsewhere) {
        if let Some(Outcome::Missing(m)) = found.get_mut(source).and_then(|f| f.get_mut(q)) {
            m.elsewhere = other;
        }
    }
    let cite = |id: &str| -> Cited {
        if let Some(s) = memo.sources.get(id) {
            match s.unreadable {
                false => Cited::Source(s.clone()),
                true => Cited::Unreadable,
            }
        } else if content.is_draft(&DocId::source(id)) {
            Cited::Draft
        } else if content.is_unreadable(&DocId::source(id)) {
            Cited::Unreadable
        } else {
            Cited::Missing
        }
    };
    let results: Vec<Arc<ClaimResult>> = docs
        .par_iter()
        .zip(kept)
        .map(|((_, doc), kept)| {
            kept.unwrap_or_else(|| {
                let outcome =
                    |source: &str, q: &str| found.get(source).and_then(|f| f.get(q)).cloned();
                Arc::new(link_claim(doc, &content, &settings, &cite, &outcome))
            })
        })
        .collect();

    // Passage names flatten `/` to `--`: two claims must not share one. Only
    // ids with a `/` or a `--` can meet that way.
    let mut flat: HashMap<String, &str> = HashMap::new();
    for claim in content
        .claims
        .values()
        .filter(|c| c.id.contains('/') || c.id.contains("--"))
    {
        let name = claim.id.replace('/', "--");
        if let Some(other) = flat.get(&name) {
            let other = &content.claims[*other];
            diags.push(
                Diagnostic::error(
                    Code::IdCollision,
                    &claim.file,
                    format!(
                        "the claim ids `{}` and `{}` give their passages the same names",
                        other.id, claim.id
                    ),
                )
                .with_help(format!(
                    "rename one of {} and {}: passage names turn `/` into `--`",
                    other.file.display(),
                    claim.file.display()
                )),
            );
        } else {
            flat.insert(name, &claim.id);
        }
    }

    // The graph. While the same documents exist, or more, only what depends
    // on the claims linked anew and the sources scanned anew is assembled
    // again; when documents went, all of it.
    let full = !only_added;
    if full {
        memo.graph = Graph::default();
        memo.claims.clear();
    }
    let mut dirty_claims: Vec<(&str, &Arc<ClaimResult>)> = Vec::new();
    let mut dirty_sources: BTreeSet<&str> = stale_sources.iter().copied().collect();
    // Whether every claim is what it was to the taxonomies (none came or went).
    let mut claim_terms_same = same_ids;
    let graph = &mut memo.graph;
    for ((id, _), r) in docs.iter().zip(&results) {
        let old = memo.claims.insert((*id).clone(), r.clone());
        if old.as_ref().is_some_and(|o| Arc::ptr_eq(o, r)) {
            continue;
        }
        dirty_claims.push((id.as_str(), r));
        claim_terms_same &= old.as_ref().is_some_and(|o| same_terms(o, r));
        // Sources the claim named before and names now show it differently.
        if let Some(old) = old {
            for (s, _) in &old.cited {
                if let Some(set) = graph.cited_by.get_mut(s) {
                    set.remove(id.as_str());
                }
                if let Some((k, _)) = content.sources.get_key_value(s) {
                    dirty_sources.insert(k);
                }
            }
        }
        for (s, c) in &r.cited {
            if let (Cited::Source(_), Some((k, _))) = (c, content.sources.get_key_value(s)) {
                graph
                    .cited_by
                    .entry(s.clone())
                    .or_default()
                    .insert((*id).clone());
                dirty_sources.insert(k);
            }
        }
    }
    if full {
        dirty_sources.extend(content.sources.keys().map(String::as_str));
    }
    let claims = Arc::make_mut(&mut graph.claims);
    for (id, r) in &dirty_claims {
        claims.insert((*id).to_owned(), r.linked.clone());
    }
    // Each source as the claims show it (made side by side: every source
    // when documents went, as in a new process), and the warning of each no
    // claim cites or names in `appears_in` (nor of one that could not be
    // read: that error is all there is to say).
    let nobody = BTreeSet::new();
    let made: Vec<_> = dirty_sources
        .par_iter()
        .map(|s| {
            let citing = graph.cited_by.get(*s).unwrap_or(&nobody);
            let uncited = (memo.sources.get(*s))
                .filter(|scan| citing.is_empty() && !scan.unreadable)
                .map(|scan| scan.uncited.clone());
            (*s, linked_source(s, citing, &memo.claims), uncited)
        })
        .collect();
    let sources = Arc::make_mut(&mut graph.sources);
    for (s, linked, uncited) in made {
        sources.insert(s.to_owned(), linked);
        match uncited {
            Some(u) => graph.uncited.insert(s.to_owned(), u),
            None => graph.uncited.remove(s),
        };
    }

    // Links inside Markdown: resolved again for the documents whose links
    // changed, and for all when documents came or went.
    let mut link_docs: Vec<(DocId, Links)> = Vec::new();
    let index_links = match &memo.index {
        Some((doc, links)) if Arc::ptr_eq(doc, &content.index) => links.clone(),
        _ => text_links(content.index.body(), content.index.body_line),
    };
    memo.index = Some((content.index.clone(), index_links.clone()));
    link_docs.push((DocId::Index, index_links));
    let old_pages = std::mem::take(&mut memo.pages);
    for (id, doc) in content.pages.iter() {
        let links = match old_pages.get(id) {
            Some((d, links)) if Arc::ptr_eq(d, doc) => links.clone(),
            _ => text_links(doc.body(), doc.body_line),
        };
        memo.pages.insert(id.clone(), (doc.clone(), links.clone()));
        link_docs.push((DocId::page(id.clone()), links));
    }
    if full {
        for (id, r) in docs.iter().zip(&results) {
            link_docs.push((DocId::claim(id.0.clone()), r.links.clone()));
        }
        for id in content.sources.keys() {
            if let Some(scan) = memo.sources.get(id) {
                link_docs.push((DocId::source(id.clone()), scan.links.clone()));
            }
        }
    } else {
        for (id, r) in &dirty_claims {
            link_docs.push((DocId::claim((*id).to_owned()), r.links.clone()));
        }
        for id in &stale_sources {
            if let Some(scan) = memo.sources.get(*id) {
                link_docs.push((DocId::source((*id).to_owned()), scan.links.clone()));
            }
        }
    }
    // Documents came: the links that found nothing are resolved again (those
    // of a document listed above as it is now, the others as they were).
    let mut retry: Vec<DocId> = Vec::new();
    if !full && !same_ids {
        let listed: HashSet<DocId> = link_docs.iter().map(|(d, _)| d.clone()).collect();
        for (from, r) in graph.links.iter() {
            if !r.errors.is_empty() {
                retry.push(from.clone());
                if !listed.contains(from) {
                    link_docs.push((from.clone(), r.links.clone()));
                }
            }
        }
    }
    let links = Arc::make_mut(&mut graph.links);
    for from in &retry {
        links.remove(from);
    }
    for (from, uses) in link_docs {
        if uses.is_empty() {
            links.remove(&from);
            continue;
        }
        match links.get(&from) {
            Some(r) if Arc::ptr_eq(&r.links, &uses) => {}
            _ => {
                let r = Arc::new(resolve_links(from.clone(), uses, &content));
                links.insert(from, r);
            }
        }
    }

    let kept_terms = (memo.source_terms.take()).and_then(|t| t.if_of(&content));
    let sources_terms_same = kept_terms.is_some();
    let source_terms = kept_terms.unwrap_or_else(|| taxonomy::SourceTerms::new(&content));
    // What the taxonomies are made of is the same (and the scale, `_index.md`
    // being the same): those of the last link are still right. This spares an
    // edit sorting every claim and copying the timeline.
    let kept = (memo.taxonomies.take()).filter(|_| claim_terms_same && sources_terms_same);
    // Kept for the next link only without errors: an error shows the text of
    // its claim as it is then.
    let mut keep = true;
    let taxonomies = match kept {
        Some(t) => t,
        None => {
            let (t, taxonomy_diags) =
                Taxonomies::new(&content, &graph.claims, &settings, &source_terms);
            keep = taxonomy_diags.is_empty();
            diags.extend(taxonomy_diags);
            Arc::new(t)
        }
    };
    if !memo.lean {
        memo.source_terms = Some(source_terms);
        memo.taxonomies = keep.then(|| taxonomies.clone());
    }

    // What was found: of the load and settings (above), each claim, each source, each link.
    findings.reserve(results.len() + 2 * content.sources.len() + graph.links.len() + 1);
    findings.extend(diags.into_vec());
    for r in &results {
        findings.push_chunk(&r.diags);
    }
    // (In no particular order: findings are sorted by file and line when read,
    // and a document's own diagnostics keep their order.)
    for scan in memo.sources.values() {
        findings.push_chunk(&scan.warnings);
    }
    for uncited in graph.uncited.values() {
        findings.push_chunk(uncited);
    }
    for r in graph.links.values() {
        findings.push_chunk(&r.errors);
    }
    let (claims, sources, links) = (
        graph.claims.clone(),
        graph.sources.clone(),
        graph.links.clone(),
    );

    let findings = findings.into_result();
    memo.last = Some(content.clone());
    let warnings = findings?;
    Ok((
        Site {
            content,
            settings,
            claims,
            sources,
            links,
            taxonomies,
        },
        warnings,
    ))
}

/// Whether claim result `new` is what `old` was to the taxonomies: the same
/// date claimed and checked, tags and verdict (which decide its lists and its
/// place in them).
fn same_terms(old: &ClaimResult, new: &ClaimResult) -> bool {
    let same_date = |a: &Option<Date>, b: &Option<Date>| match (a, b) {
        (Some(a), Some(b)) => a.same_as(b),
        (a, b) => a.is_none() && b.is_none(),
    };
    same_date(&old.doc.meta.claimed, &new.doc.meta.claimed)
        && same_date(&old.linked.reviewed, &new.linked.reviewed)
        && old.doc.meta.tags == new.doc.meta.tags
        && old.linked.verdict == new.linked.verdict
}

/// The citations and passages of source `id`, from the claims `citing` it.
fn linked_source(
    id: &str,
    citing: &BTreeSet<String>,
    results: &HashMap<String, Arc<ClaimResult>>,
) -> LinkedSource {
    let mut out = LinkedSource::default();
    for c in citing {
        let Some((r, entries)) = results.get(c).and_then(|r| Some((r, r.by_source.get(id)?)))
        else {
            continue;
        };
        for e in entries.iter().filter_map(|&i| r.linked.evidence.get(i)) {
            out.citations.push(Citation {
                claim: c.clone(),
                n: e.n,
            });
            if let Some(p) = &e.passage {
                out.passages
                    .extend(p.pieces.iter().enumerate().map(|(i, r)| Passage {
                        name: p.name.clone(),
                        range: r.clone(),
                        first: i == 0,
                    }));
            }
        }
    }
    out.passages
        .sort_by(|a, b| (a.range.start, &a.name).cmp(&(b.range.start, &b.name)));
    out
}

/// `diags`, those located to a line showing their excerpt from `text` (their file's).
fn in_text(mut diags: Vec<Diagnostic>, text: &Arc<str>) -> Vec<Diagnostic> {
    attach_texts(&mut diags, |_| Some(text.clone()));
    diags
}

/// Whether every key of `a` is a key of `b` (cheap when they are the same map).
fn keys_within<V>(a: &Arc<BTreeMap<String, V>>, b: &Arc<BTreeMap<String, V>>) -> bool {
    Arc::ptr_eq(a, b) || (a.len() <= b.len() && a.keys().all(|k| b.contains_key(k)))
}

/// The documents of `now` that are not those of `was`, when both have the
/// same ids (`None` when they do not). Compared by pointer: a document is
/// kept under its own id, so where the documents are the same, so are the ids.
fn changed_docs<'a, M>(
    was: &Arc<BTreeMap<String, Arc<Document<M>>>>,
    now: &'a Arc<BTreeMap<String, Arc<Document<M>>>>,
) -> Option<Vec<&'a Arc<Document<M>>>> {
    if Arc::ptr_eq(was, now) {
        return Some(Vec::new());
    }
    if was.len() != now.len() {
        return None;
    }
    let mut changed = Vec::new();
    for ((was_id, a), (id, b)) in was.iter().zip(now.iter()) {
        if !Arc::ptr_eq(a, b) {
            if was_id != id {
                return None;
            }
            changed.push(b);
        }
    }
    Some(changed)
}

/// Whether two maps have the same keys (cheap when they are the same map).
fn same_keys<V>(a: &Arc<BTreeMap<String, V>>, b: &Arc<BTreeMap<String, V>>) -> bool {
    Arc::ptr_eq(a, b) || (a.len() == b.len() && a.keys().eq(b.keys()))
}

/// Resolve the links of document `from`.
fn resolve_links(from: DocId, links: Links, content: &Content) -> Resolved {
    let mut targets = BTreeSet::new();
    let mut errors = Vec::new();
    for u in links.iter() {
        match resolve_link(&from, u, content) {
            Ok(Some(target)) => {
                targets.insert(target);
            }
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }
    let errors = match errors.is_empty() {
        true => errors,
        false => match content.text(&from) {
            Some(text) => in_text(errors, &text),
            None => errors,
        },
    };
    Resolved {
        from,
        targets,
        errors: errors.into(),
        links,
    }
}

/// Resolve one claim: its verdict on the scale, its evidence, quotes and
/// appearances, and its editorial warnings.
fn link_claim(
    doc: &Arc<Document<ClaimMeta>>,
    content: &Content,
    settings: &Settings,
    cite: &(dyn Fn(&str) -> Cited + Sync),
    outcome: &(dyn Fn(&str, &str) -> Option<Outcome> + Sync),
) -> ClaimResult {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let spans = &doc.spans;
    if settings.scale.get(&doc.meta.verdict).is_none() {
        let mut help = format!(
            "use one of: {}",
            settings
                .scale
                .verdicts
                .iter()
                .map(|v| v.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(s) = verdict_hint::suggest(&doc.meta.verdict, &settings.scale) {
            help = format!("did you mean `{s}`? {help}");
        }
        diags.push(
            Diagnostic::error(
                Code::UnknownVerdict,
                &doc.file,
                format!(
                    "`{}` is not a verdict of the rating scale",
                    doc.meta.verdict
                ),
            )
            .at_line(spans.key_or_start("verdict"))
            .with_help(help),
        );
    }
    // Each source named, once, in the order first named (a claim may name thousands).
    let mut cited: Vec<(String, Cited)> = Vec::new();
    let mut named: HashMap<String, usize> = HashMap::new();
    let mut cite_once = |id: &str| -> Cited {
        if let Some(&i) = named.get(id) {
            return cited[i].1.clone();
        }
        let c = cite(id);
        named.insert(id.to_owned(), cited.len());
        cited.push((id.to_owned(), c.clone()));
        c
    };
    let mut evidence = Vec::with_capacity(doc.meta.evidence.len());
    for (i, ev) in doc.meta.evidence.iter().enumerate() {
        let n = i + 1;
        let scan = match cite_once(&ev.source) {
            Cited::Source(s) => s,
            Cited::Unreadable => continue,
            _ => {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownSource,
                        &doc.file,
                        format!("evidence {n} cites `{}`, which is not a source", ev.source),
                    )
                    .at_line(spans.entry(i, "source"))
                    .with_help(unknown_source_help(content, &ev.source)),
                );
                continue;
            }
        };
        let found = ev
            .quote
            .as_deref()
            .map(|q| outcome(&ev.source, q).unwrap_or_else(|| Outcome::Missing(Box::default())));
        let passage = match found {
            None => None,
            Some(Outcome::Found(pieces, occurrences, text)) => Some(PassageRef {
                name: passage_name(&doc.id, n),
                occurrences,
                text,
                range: pieces.first().map_or(0, |r| r.start)..pieces.last().map_or(0, |r| r.end),
                pieces,
            }),
            Some(Outcome::Missing(missed)) => {
                diags.push(quote_missing(
                    doc,
                    n,
                    spans.entry(i, "quote"),
                    &scan.doc,
                    *missed,
                ));
                None
            }
            Some(Outcome::Empty) => {
                diags.push(quote_empty(doc, n, spans.entry(i, "quote")));
                None
            }
            Some(Outcome::BadElision) => {
                diags.push(
                    Diagnostic::error(
                        Code::EmptyQuote,
                        &doc.file,
                        format!("evidence {n}: a part of the quote around `[…]` is empty"),
                    )
                    .at_line(spans.entry(i, "quote"))
                    .with_help("`[…]` stands for words left out between two parts of the passage: quote words on both sides of it, and start and end the quote with the passage's own words"),
                );
                None
            }
            Some(Outcome::NoWords) => {
                diags.push(
                    Diagnostic::error(
                        Code::EmptyQuote,
                        &doc.file,
                        format!("evidence {n}: the quote has no letter or digit"),
                    )
                    .at_line(spans.entry(i, "quote"))
                    .with_help("quote the words of the passage, not only punctuation or marks"),
                );
                None
            }
        };
        evidence.push(LinkedEvidence {
            n,
            source: ev.source.clone(),
            stance: ev.stance,
            passage,
        });
    }
    let mut appears_in = Vec::new();
    let mut appear_words: Vec<(String, Arc<SourceScan>)> = Vec::new();
    for id in &doc.meta.appears_in {
        match cite_once(id) {
            Cited::Source(s) => {
                appears_in.push(id.clone());
                appear_words.push((id.clone(), s));
            }
            Cited::Unreadable => {}
            _ => diags.push(
                Diagnostic::error(
                    Code::UnknownSource,
                    &doc.file,
                    format!("appears_in names `{id}`, which is not a source"),
                )
                .at_line(spans.key_or_start("appears_in"))
                .with_help(unknown_source_help(content, id)),
            ),
        }
    }
    let linked = LinkedClaim {
        verdict: doc.meta.verdict.clone(),
        evidence,
        appears_in,
        reviewed: doc.meta.reviewed.or(settings.published),
    };
    let docs: HashMap<&str, &Arc<Document<SourceMeta>>> = cited
        .iter()
        .filter_map(|(s, c)| match c {
            Cited::Source(scan) => Some((s.as_str(), &scan.doc)),
            _ => None,
        })
        .collect();
    let source_doc = |id: &str| docs.get(id).map(|d| (*d).clone());
    let words = |id: &str| {
        appear_words
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, scan)| scan.words())
    };
    editorial::claim_warnings(doc, &linked, settings, &source_doc, &words, &mut diags);
    let mut links = text_links(doc.body(), doc.body_line).to_vec();
    for (i, ev) in doc.meta.evidence.iter().enumerate() {
        if let Some(note) = &ev.note {
            links.extend(field_links(note, Trust::Editor, spans.entry(i, "note")));
        }
    }
    let diags = in_text(diags, &doc.text);
    let mut by_source: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in linked.evidence.iter().enumerate() {
        by_source.entry(e.source.clone()).or_default().push(i);
    }
    ClaimResult {
        doc: doc.clone(),
        index: content.index.clone(),
        by_source,
        cited,
        linked: Arc::new(linked),
        failed: diags.iter().any(|d| d.severity == Severity::Error),
        diags: diags.into(),
        links: links.into(),
    }
}

/// Where each of `quotes` is in `text`, a source's rendered text.
fn find_quotes<'q>(text: &str, quotes: Vec<&'q str>) -> HashMap<&'q str, Outcome> {
    let mut hay: Option<quote::Normalized> = None;
    let mut out = HashMap::with_capacity(quotes.len());
    for q in quotes {
        if out.contains_key(q) {
            continue;
        }
        let o = if quote::Normalized::new(q).text.is_empty() {
            Outcome::Empty
        } else if quote::pieces(q).is_none() {
            Outcome::BadElision
        } else if !q.chars().any(char::is_alphanumeric) {
            // A lone mark, dash or direction override would mark half a letter or nothing.
            Outcome::NoWords
        } else {
            let hay = hay.get_or_insert_with(|| quote::Normalized::new(text));
            match quote::find_pieces(text, hay, q) {
                Some((pieces, n)) => {
                    let words = pieces
                        .iter()
                        .map(|r| text.get(r.clone()).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join("\n");
                    Outcome::Found(pieces, n, words)
                }
                None => Outcome::Missing(Box::new(Missed {
                    closest: quote::closest(text, hay, q),
                    // An ellipsis the source does not have: words left out, written as in prose.
                    elided: quote::bracket_ellipses(q)
                        .filter(|e| quote::find_pieces(text, hay, e).is_some()),
                    elsewhere: None,
                })),
            }
        };
        out.insert(q, o);
    }
    out
}

/// For each of `missed` (a source and a quote it lacks), the first source (by
/// id) other than that one that contains the quote. One pass over the sources
/// for all the quotes: each text is normalised once (and, let go by a lean
/// [`Memo`], rendered again once).
fn find_elsewhere(
    sources: &HashMap<String, Arc<SourceScan>>,
    missed: &[(&str, &str)],
) -> Vec<Option<String>> {
    if missed.is_empty() {
        return Vec::new();
    }
    // A cheap test first: the longest word of the quote, as written, must be in the text.
    let tests: Vec<Option<(&str, &str, Option<&str>)>> = missed
        .iter()
        .map(|&(except, q)| {
            let pieces = quote::pieces(q)?;
            let longest = pieces
                .iter()
                .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
                .max_by_key(|w| w.len())
                .filter(|w| w.len() >= 3);
            Some((except, q, longest))
        })
        .collect();
    let mut ids: Vec<&String> = sources.keys().collect();
    ids.sort_unstable();
    let hits: Vec<Vec<usize>> = ids
        .par_iter()
        .map(|id| {
            let scan = &sources[*id];
            let text = scan.text();
            let mut hay: Option<quote::Normalized> = None;
            tests
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let (except, q, longest) = (*t)?;
                    if except == id.as_str() || longest.is_some_and(|w| !text.contains(w)) {
                        return None;
                    }
                    let hay = hay.get_or_insert_with(|| quote::Normalized::new(&text));
                    quote::find_pieces(&text, hay, q).map(|_| i)
                })
                .collect()
        })
        .collect();
    let mut out = vec![None; missed.len()];
    for (id, hits) in ids.iter().zip(hits) {
        for i in hits {
            out[i].get_or_insert_with(|| (*id).clone());
        }
    }
    out
}

/// The error for evidence `n` of `doc` whose quote (at file line `line`) is not in `source`.
fn quote_missing(
    doc: &Document<ClaimMeta>,
    n: usize,
    line: usize,
    source: &Document<SourceMeta>,
    missed: Missed,
) -> Diagnostic {
    let message = format!("evidence {n}: the quote is not in source `{}`", source.id);
    if let Some(other) = missed.elsewhere {
        return Diagnostic::error(Code::QuoteNotFound, &doc.file, message)
            .at_line(line)
            .with_help(format!(
                "these words are in source `{other}`: if that is the document you quote, write `source = \"{other}\"`"
            ));
    }
    if let Some(elided) = missed.elided {
        return Diagnostic::error(Code::QuoteNotFound, &doc.file, message)
            .at_line(line)
            .with_help(format!(
                "the source has no “…” there: to leave words out of a quote, write `[…]` where they were: \"{elided}\""
            ));
    }
    let help = match missed.closest {
        Some(c) => {
            let mut h = format!(
                "the closest passage {} contains ({:.0}% alike) is: “{}”",
                source.file.display(),
                c.similarity * 100.0,
                c.passage
            );
            if let Some(d) = c.difference {
                h.push_str(&format!("; {d}"));
            }
            h.push_str(". Copy the passage exactly as the source has it");
            h
        }
        None => format!("{} has no text to quote from", source.file.display()),
    };
    Diagnostic::error(Code::QuoteNotFound, &doc.file, message)
        .at_line(line)
        .with_help(help)
}

/// The error for evidence `n` of `doc` whose quote (at file line `line`) is empty.
fn quote_empty(doc: &Document<ClaimMeta>, n: usize, line: usize) -> Diagnostic {
    Diagnostic::error(
        Code::EmptyQuote,
        &doc.file,
        format!("evidence {n}: the quote is empty"),
    )
    .at_line(line)
    .with_help("copy a passage of the source into `quote`, or remove the field")
}

/// The document a `source:`/`claim:`/`page:` link points to; `Ok(None)` for
/// other links and for documents that exist but could not be read.
fn resolve_link(
    from: &DocId,
    u: &LinkAt,
    content: &Content,
) -> std::result::Result<Option<DocId>, Diagnostic> {
    let Some(l) = markdown::internal_link(&u.dest) else {
        return Ok(None);
    };
    let Some(kind) = Kind::from_key(l.kind) else {
        return Ok(None);
    };
    let target = DocId::Doc(kind, l.id.to_owned());
    if content.contains(&target) {
        return Ok(Some(target));
    }
    if content.is_unreadable(&target) {
        return Ok(None);
    }
    let help = match did_you_mean(l.id, content.ids(kind)) {
        _ if content.is_draft(&target) => format!(
            "the {} `{}` is a draft: build with --drafts, or set draft = false in it",
            l.kind, l.id
        ),
        Some(s) => format!("did you mean `{}:{s}`?", l.kind),
        None => format!("link to the id of a file in content/{}/", kind.folder()),
    };
    let file = content.file(from).unwrap_or(std::path::Path::new(""));
    Err(Diagnostic::error(
        Code::BrokenLink,
        file,
        format!("the link `{}` points to no {}", u.dest, l.kind),
    )
    .at(u.line, u.column)
    .with_help(help))
}

/// Advice for a reference to a source that does not exist.
fn unknown_source_help(content: &Content, id: &str) -> String {
    if content.is_draft(&DocId::source(id)) {
        return format!(
            "the source `{id}` is a draft: build with --drafts, or set draft = false in it"
        );
    }
    let mut help = match did_you_mean(id, content.ids(Kind::Source)) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    help.push_str("sources are the files of content/sources/, named by their path without `.md`");
    help
}

/// The links of a Markdown text that starts at file line `first_line`.
fn text_links(text: &str, first_line: usize) -> Links {
    located(
        text,
        first_line,
        markdown::scan(text, Trust::Editor, false).links,
    )
    .into()
}

/// Links found at byte offsets of `text` (which starts at file line `first_line`), located.
fn located(text: &str, first_line: usize, links: Vec<(String, usize)>) -> Vec<LinkAt> {
    let index = LineIndex::new(text);
    links
        .into_iter()
        .map(|(dest, off)| {
            let (l, column) = index.line_col(off);
            LinkAt {
                dest,
                line: first_line + l - 1,
                column,
            }
        })
        .collect()
}

/// The links of a front-matter field's Markdown, all located at the field's line.
fn field_links(text: &str, trust: Trust, line: usize) -> impl Iterator<Item = LinkAt> {
    markdown::scan(text, trust, false)
        .links
        .into_iter()
        .map(move |(dest, _)| LinkAt {
            dest,
            line,
            column: 1,
        })
}

/// Whether `url` is an absolute http(s) address, safe to link to.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

impl Site {
    /// Documents whose pages must be rendered again when `doc` changes:
    /// the document itself, the sources a claim cites or appears in, the claims
    /// citing a source or appearing in it, and documents whose Markdown links to it.
    pub fn dependents(&self, doc: &DocId) -> BTreeSet<DocId> {
        let mut out = BTreeSet::from([doc.clone()]);
        match doc {
            DocId::Doc(Kind::Claim, id) => {
                if let Some(c) = self.claims.get(id) {
                    out.extend(c.evidence.iter().map(|e| DocId::source(e.source.clone())));
                    out.extend(c.appears_in.iter().map(|s| DocId::source(s.clone())));
                }
            }
            DocId::Doc(Kind::Source, id) => {
                if let Some(s) = self.sources.get(id) {
                    out.extend(s.citations.iter().map(|c| DocId::claim(c.claim.clone())));
                }
                out.extend(
                    self.claims
                        .iter()
                        .filter(|(_, c)| c.appears_in.contains(id))
                        .map(|(c, _)| DocId::claim(c.clone())),
                );
            }
            DocId::Index | DocId::Doc(Kind::Page, _) => {}
        }
        for r in self.links.values() {
            if r.targets.contains(doc) {
                out.insert(r.from.clone());
            }
        }
        out
    }

    /// The verdict of the scale a claim has.
    pub fn verdict(&self, claim: &LinkedClaim) -> Option<&Verdict> {
        self.settings.scale.get(&claim.verdict)
    }
}
