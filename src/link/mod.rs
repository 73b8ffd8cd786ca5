//! Link: the claim/source graph.
//!
//! Resolves every evidence entry to its source and its quote to a passage of
//! the source's rendered text, checks `source:`/`claim:`/`page:` links and
//! verdicts, and records which document depends on which, so that a rebuild
//! can tell what an edit touches.

pub mod delta;
pub mod editorial;
pub mod quote;
pub mod settings;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Code;
use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics, Result};
use crate::load::front_matter::LineIndex;
use crate::load::ClaimMeta;
use crate::load::{
    id::passage_name, locate_key, Content, Date, Document, Entries, SourceMeta, Stance,
};
use crate::markdown::{self, Trust};
pub use settings::{BaseUrl, Scale, Settings, Verdict};

/// A briefing with every reference resolved.
#[derive(Debug)]
pub struct Site {
    /// The documents as loaded.
    pub content: Content,
    /// Settings from `_index.md`, completed with defaults.
    pub settings: Settings,
    /// Per claim (same order as `content.claims`).
    pub claims: Vec<LinkedClaim>,
    /// Per source (same order as `content.sources`).
    pub sources: Vec<LinkedSource>,
    /// Documents linked to from each document's Markdown, for dependency tracking.
    pub links: HashMap<DocRef, BTreeSet<DocRef>>,
}

/// A document of the briefing, by kind and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocRef {
    /// `content/_index.md`.
    Index,
    /// A source, by position in `content.sources`.
    Source(usize),
    /// A claim, by position in `content.claims`.
    Claim(usize),
    /// A page, by position in `content.pages`.
    Page(usize),
}

/// A claim's resolved references.
#[derive(Debug, Clone)]
pub struct LinkedClaim {
    /// Position of the verdict in the scale.
    pub verdict: usize,
    /// The evidence, in file order.
    pub evidence: Vec<LinkedEvidence>,
    /// Sources in which the claim appears.
    pub appears_in: Vec<usize>,
    /// Date of the check (the claim's `reviewed`, else the briefing's `published`).
    pub reviewed: Option<Date>,
}

/// One evidence entry, resolved.
#[derive(Debug, Clone)]
pub struct LinkedEvidence {
    /// 1-based position in the claim's file.
    pub n: usize,
    /// The cited source.
    pub source: usize,
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
    /// Byte range in the source's rendered text.
    pub range: Range<usize>,
}

/// A source's resolved references.
#[derive(Debug, Clone, Default)]
pub struct LinkedSource {
    /// Evidence entries citing this source: (claim, evidence index), by claim id then order.
    pub citations: Vec<(usize, usize)>,
    /// Passages quoted from it, by start offset.
    pub passages: Vec<Passage>,
}

/// A quoted stretch of a source's rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// `q-<claim>-<n>`.
    pub name: String,
    /// Byte range in the source's rendered text ([`markdown::rendered_text`]).
    pub range: Range<usize>,
}

/// Resolve everything in `content`; `base_override` is `--base-url`.
/// `diags` holds what earlier stages found; the link fails if any of it, or of
/// its own findings, is an error.
pub fn link(
    content: Content,
    base_override: Option<&str>,
    diags: Diagnostics,
) -> Result<(Site, Vec<Diagnostic>)> {
    link_cached(content, base_override, diags, &mut LinkCache::default())
}

/// [`link`], reusing and refreshing `cache` from an earlier link of mostly the same content.
pub fn link_cached(
    content: Content,
    base_override: Option<&str>,
    mut diags: Diagnostics,
    cache: &mut LinkCache,
) -> Result<(Site, Vec<Diagnostic>)> {
    let settings = settings::settings(&content.index, base_override, &mut diags);

    let source_ids: HashMap<&str, usize> = content
        .sources
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();

    // Claims: verdicts, sources and appearances.
    let source_of = |id: &str| source_ids.get(id).copied();
    let mut claims: Vec<LinkedClaim> = content
        .claims
        .iter()
        .map(|claim| link_claim(claim, &content, &settings, &source_of, &mut diags))
        .collect();

    for src in &content.sources {
        if let Some(url) = src.meta.url.as_deref().filter(|u| !is_web_url(u)) {
            diags.push(
                Diagnostic::warning(
                    Code::UnsafeUrl,
                    &src.file,
                    format!("url `{url}` is not a web address; it is shown without a link"),
                )
                .at_line(
                    src.front_matter_line + locate_key(&src.front_matter, "url").unwrap_or(1) - 1,
                )
                .with_help("write an address starting with https:// or http://"),
            );
        }
    }

    // Passage names flatten `/` to `--`: two claims must not share one.
    let mut flat: HashMap<String, usize> = HashMap::new();
    for (c, claim) in content.claims.iter().enumerate() {
        if let Some(&other) = flat.get(&claim.id.replace('/', "--")) {
            let other = &content.claims[other];
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
            flat.insert(claim.id.replace('/', "--"), c);
        }
    }

    // Quotes: per source, find every passage quoted from it.
    let mut sources: Vec<LinkedSource> = vec![LinkedSource::default(); content.sources.len()];
    for (c, claim) in claims.iter().enumerate() {
        for (e, ev) in claim.evidence.iter().enumerate() {
            sources[ev.source].citations.push((c, e));
        }
    }
    // One parallel pass over every Markdown text: sources give their rendered
    // text (for quotes) and links; the others their links.
    let mut appears = vec![false; content.sources.len()];
    for c in &claims {
        for &s in &c.appears_in {
            appears[s] = true;
        }
    }
    let mut old = std::mem::take(&mut cache.sources);
    let prior: Vec<Option<CachedSource>> =
        content.sources.iter().map(|d| old.remove(&d.id)).collect();
    let scanned: Vec<(SourceScan, CachedSource)> = sources
        .par_iter()
        .zip(prior)
        .enumerate()
        .map(|(s, (linked, cached))| {
            find_quotes(&content, &claims, s, &linked.citations, appears[s], cached)
        })
        .collect();
    let mut found = Vec::with_capacity(scanned.len());
    for (scan, keep) in scanned {
        cache.sources.insert(keep.doc.id.clone(), keep);
        found.push(scan);
    }
    let mut link_uses: Vec<LinkUse> = Vec::new();
    for (s, SourceScan { links, .. }) in found.iter().enumerate() {
        let d = &content.sources[s];
        if links.is_empty() {
            continue;
        }
        link_uses.extend(links.iter().map(|(dest, line, column)| LinkUse {
            doc: DocRef::Source(s),
            dest: dest.clone(),
            line: d.body_line + line - 1,
            column: *column,
        }));
    }
    link_uses.extend(other_links(&content, cache));
    let mut entry_cache: HashMap<usize, Entries> = HashMap::new();
    let mut texts: Vec<Option<Arc<HashSet<String>>>> = Vec::with_capacity(found.len());
    for (s, SourceScan { results, words, .. }) in found.into_iter().enumerate() {
        texts.push(words);
        for r in results {
            match r {
                QuoteResult::Found {
                    claim,
                    evidence,
                    range,
                    occurrences,
                } => {
                    let name = passage_name(
                        &content.claims[claim].id,
                        claims[claim].evidence[evidence].n,
                    );
                    sources[s].passages.push(Passage {
                        name: name.clone(),
                        range: range.clone(),
                    });
                    claims[claim].evidence[evidence].passage = Some(PassageRef {
                        name,
                        occurrences,
                        range,
                    });
                }
                QuoteResult::Missing {
                    claim,
                    evidence,
                    closest,
                } => {
                    let doc = &content.claims[claim];
                    let n = claims[claim].evidence[evidence].n;
                    let line = cached_entries(&mut entry_cache, &content, claim)
                        .field(n - 1, "quote")
                        .unwrap_or(1);
                    diags.push(quote_missing(doc, n, line, &content.sources[s], closest));
                }
                QuoteResult::Empty { claim, evidence } => {
                    let doc = &content.claims[claim];
                    let n = claims[claim].evidence[evidence].n;
                    let line = cached_entries(&mut entry_cache, &content, claim)
                        .field(n - 1, "quote")
                        .unwrap_or(1);
                    diags.push(quote_empty(doc, n, line));
                }
            }
        }
        sources[s]
            .passages
            .sort_by(|a, b| (a.range.start, &a.name).cmp(&(b.range.start, &b.name)));
    }

    // Links inside Markdown.
    let mut links: HashMap<DocRef, BTreeSet<DocRef>> = HashMap::new();
    for u in link_uses {
        match resolve_link(&u, &content) {
            Ok(Some(target)) => {
                links.entry(u.doc).or_default().insert(target);
            }
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }

    editorial::check(&content, &settings, &claims, &sources, &texts, &mut diags);
    let warnings = diags.into_result()?;
    Ok((
        Site {
            content,
            settings,
            claims,
            sources,
            links,
        },
        warnings,
    ))
}

/// The evidence entries of claim `c`, found once however often they are asked for.
fn cached_entries<'c, 'a>(
    cache: &'c mut HashMap<usize, Entries<'a>>,
    content: &'a Content,
    c: usize,
) -> &'c Entries<'a> {
    cache
        .entry(c)
        .or_insert_with(|| Entries::new(&content.claims[c].front_matter, "evidence"))
}

/// Resolve one claim: its verdict on the scale, its evidence and appearances.
pub(crate) fn link_claim(
    claim: &Document<ClaimMeta>,
    content: &Content,
    settings: &Settings,
    source_of: &dyn Fn(&str) -> Option<usize>,
    diags: &mut Diagnostics,
) -> LinkedClaim {
    let fm_line = |rel: usize| claim.front_matter_line + rel - 1;
    let verdict = match settings.scale.position(&claim.meta.verdict) {
        Some(p) => p,
        None => {
            let keys = settings.scale.verdicts.iter().map(|v| v.key.as_str());
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
            if let Some(s) = did_you_mean(&claim.meta.verdict, keys) {
                help = format!("did you mean `{s}`? {help}");
            }
            diags.push(
                Diagnostic::error(
                    Code::UnknownVerdict,
                    &claim.file,
                    format!(
                        "`{}` is not a verdict of the rating scale",
                        claim.meta.verdict
                    ),
                )
                .at_line(fm_line(
                    locate_key(&claim.front_matter, "verdict").unwrap_or(1),
                ))
                .with_help(help),
            );
            0
        }
    };
    let mut evidence = Vec::with_capacity(claim.meta.evidence.len());
    // Located only when needed, and then once for all entries.
    let mut entries: Option<Entries> = None;
    for (i, ev) in claim.meta.evidence.iter().enumerate() {
        match source_of(ev.source.as_str()) {
            Some(s) => evidence.push(LinkedEvidence {
                n: i + 1,
                source: s,
                stance: ev.stance,
                passage: None,
            }),
            None if content.is_unreadable("source", &ev.source) => {}
            None => diags.push(
                Diagnostic::error(
                    Code::UnknownSource,
                    &claim.file,
                    format!(
                        "evidence {} cites `{}`, which is not a source",
                        i + 1,
                        ev.source
                    ),
                )
                .at_line(fm_line(
                    entries
                        .get_or_insert_with(|| Entries::new(&claim.front_matter, "evidence"))
                        .field(i, "source")
                        .unwrap_or(1),
                ))
                .with_help(unknown_source_help(content, &ev.source)),
            ),
        }
    }
    let mut appears_in = Vec::new();
    for id in &claim.meta.appears_in {
        match source_of(id.as_str()) {
            Some(s) => appears_in.push(s),
            None if content.is_unreadable("source", id) => {}
            None => diags.push(
                Diagnostic::error(
                    Code::UnknownSource,
                    &claim.file,
                    format!("appears_in names `{id}`, which is not a source"),
                )
                .at_line(fm_line(
                    locate_key(&claim.front_matter, "appears_in").unwrap_or(1),
                ))
                .with_help(unknown_source_help(content, id)),
            ),
        }
    }
    LinkedClaim {
        verdict,
        evidence,
        appears_in,
        reviewed: claim.meta.reviewed.or(settings.published),
    }
}

/// The error for evidence `n` of `doc` whose quote (at front-matter line `line`) is not in `source`.
pub(crate) fn quote_missing(
    doc: &Document<ClaimMeta>,
    n: usize,
    line: usize,
    source: &Document<SourceMeta>,
    closest: Option<quote::Closest>,
) -> Diagnostic {
    let help = match closest {
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
    Diagnostic::error(
        Code::QuoteNotFound,
        &doc.file,
        format!("evidence {n}: the quote is not in source `{}`", source.id),
    )
    .at_line(doc.front_matter_line + line - 1)
    .with_help(help)
}

/// The error for evidence `n` of `doc` whose quote (at front-matter line `line`) is empty.
pub(crate) fn quote_empty(doc: &Document<ClaimMeta>, n: usize, line: usize) -> Diagnostic {
    Diagnostic::error(
        Code::EmptyQuote,
        &doc.file,
        format!("evidence {n}: the quote is empty"),
    )
    .at_line(doc.front_matter_line + line - 1)
    .with_help("copy a passage of the source into `quote`, or remove the field")
}

/// The document a `source:`/`claim:`/`page:` link points to; `Ok(None)` for
/// other links and for documents that exist but could not be read.
fn resolve_link(u: &LinkUse, content: &Content) -> std::result::Result<Option<DocRef>, Diagnostic> {
    let Some(l) = markdown::internal_link(&u.dest) else {
        return Ok(None);
    };
    let found = match l.kind {
        "source" => content
            .sources
            .binary_search_by(|d| d.id.as_str().cmp(l.id))
            .ok()
            .map(DocRef::Source),
        "claim" => content
            .claims
            .binary_search_by(|d| d.id.as_str().cmp(l.id))
            .ok()
            .map(DocRef::Claim),
        _ => content
            .pages
            .binary_search_by(|d| d.id.as_str().cmp(l.id))
            .ok()
            .map(DocRef::Page),
    };
    if found.is_some() || content.is_unreadable(l.kind, l.id) {
        return Ok(found);
    }
    let candidates: Vec<&str> = match l.kind {
        "source" => content.sources.iter().map(|d| d.id.as_str()).collect(),
        "claim" => content.claims.iter().map(|d| d.id.as_str()).collect(),
        _ => content.pages.iter().map(|d| d.id.as_str()).collect(),
    };
    let help = match did_you_mean(l.id, candidates) {
        _ if content.is_draft(l.kind, l.id) => format!(
            "the {} `{}` is a draft: build with --drafts, or set draft = false in it",
            l.kind, l.id
        ),
        Some(s) => format!("did you mean `{}:{s}`?", l.kind),
        None => format!("link to the id of a file in content/{}s/", l.kind),
    };
    let file = match u.doc {
        DocRef::Index => &content.index.file,
        DocRef::Source(i) => &content.sources[i].file,
        DocRef::Claim(i) => &content.claims[i].file,
        DocRef::Page(i) => &content.pages[i].file,
    };
    Err(Diagnostic::error(
        Code::BrokenLink,
        file,
        format!("the link `{}` points to no {}", u.dest, l.kind),
    )
    .at(u.line, u.column)
    .with_help(help))
}

/// Advice for a reference to a source that does not exist.
pub(crate) fn unknown_source_help(content: &Content, id: &str) -> String {
    if content.is_draft("source", id) {
        return format!(
            "the source `{id}` is a draft: build with --drafts, or set draft = false in it"
        );
    }
    let mut help = match did_you_mean(id, content.sources.iter().map(|s| s.id.as_str())) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    help.push_str("sources are the files of content/sources/, named by their path without `.md`");
    help
}

/// Link destinations of a text with their 1-based line and column in it.
type Links = Vec<(String, usize, usize)>;

/// A link found in a document's Markdown.
struct LinkUse {
    doc: DocRef,
    dest: String,
    /// 1-based line in the document's file.
    line: usize,
    /// 1-based column.
    column: usize,
}

/// Links of every Markdown text but source bodies (which [`find_quotes`] scans), in parallel.
fn other_links(content: &Content, cache: &mut LinkCache) -> Vec<LinkUse> {
    // (document, text, first line of the text, whether that line is fixed: a front-matter field)
    let mut jobs: Vec<(DocRef, &str, usize, bool)> = Vec::new();
    let fm = |line: usize, rel: Option<usize>| line + rel.unwrap_or(1) - 1;
    let idx = &content.index;
    jobs.push((DocRef::Index, &idx.body, idx.body_line, false));
    for (i, d) in content.sources.iter().enumerate() {
        if let Some(note) = &d.meta.note {
            let line = fm(d.front_matter_line, locate_key(&d.front_matter, "note"));
            jobs.push((DocRef::Source(i), note, line, true));
        }
    }
    // Claims are many: their links are kept while the claim's document is the same.
    let mut old = std::mem::take(&mut cache.claims);
    let mut cached: Vec<LinkUse> = Vec::new();
    let mut fresh: Vec<usize> = Vec::new();
    for (i, d) in content.claims.iter().enumerate() {
        match old.remove(&d.id) {
            Some((doc, links)) if Arc::ptr_eq(&doc, d) => {
                cached.extend(links.iter().map(|(dest, line, column)| LinkUse {
                    doc: DocRef::Claim(i),
                    dest: dest.clone(),
                    line: *line,
                    column: *column,
                }));
                cache.claims.insert(d.id.clone(), (doc, links));
            }
            _ => fresh.push(i),
        }
    }
    for &i in &fresh {
        claim_texts(i, &content.claims[i], &mut jobs);
    }
    for (i, d) in content.pages.iter().enumerate() {
        jobs.push((DocRef::Page(i), &d.body, d.body_line, false));
    }
    let found = scan_links(&jobs);
    for &i in &fresh {
        let d = &content.claims[i];
        let links = found
            .iter()
            .filter(|u| u.doc == DocRef::Claim(i))
            .map(|u| (u.dest.clone(), u.line, u.column))
            .collect();
        cache.claims.insert(d.id.clone(), (d.clone(), links));
    }
    cached.extend(found);
    cached
}

/// The Markdown texts of claim `i` (its body and evidence notes), as link-scan jobs.
fn claim_texts<'a>(
    i: usize,
    d: &'a Document<ClaimMeta>,
    jobs: &mut Vec<(DocRef, &'a str, usize, bool)>,
) {
    jobs.push((DocRef::Claim(i), &d.body, d.body_line, false));
    if d.meta.evidence.iter().any(|ev| ev.note.is_some()) {
        let entries = Entries::new(&d.front_matter, "evidence");
        for (e, ev) in d.meta.evidence.iter().enumerate() {
            if let Some(note) = &ev.note {
                let line = d.front_matter_line + entries.field(e, "note").unwrap_or(1) - 1;
                jobs.push((DocRef::Claim(i), note, line, true));
            }
        }
    }
}

/// The links of every job's text: (document, text, first line, whether the line is fixed).
fn scan_links(jobs: &[(DocRef, &str, usize, bool)]) -> Vec<LinkUse> {
    jobs.par_iter()
        .flat_map_iter(|&(doc, text, line, fixed)| {
            let index = LineIndex::new(text);
            markdown::scan(text, Trust::Editor, false)
                .links
                .into_iter()
                .map(move |(dest, off)| {
                    let (l, c) = index.line_col(off);
                    // A front-matter field's Markdown: its line, column unknown within it.
                    let (line, column) = if fixed { (line, 1) } else { (line + l - 1, c) };
                    LinkUse {
                        doc,
                        dest,
                        line,
                        column,
                    }
                })
        })
        .collect()
}

/// Whether `url` is an absolute http(s) address, safe to link to.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

enum QuoteResult {
    Found {
        claim: usize,
        evidence: usize,
        range: Range<usize>,
        occurrences: usize,
    },
    Missing {
        claim: usize,
        evidence: usize,
        closest: Option<quote::Closest>,
    },
    Empty {
        claim: usize,
        evidence: usize,
    },
}

/// What one pass over a source finds.
struct SourceScan {
    results: Vec<QuoteResult>,
    links: Links,
    /// The words of the rendered text, when an editorial check needs them.
    words: Option<Arc<HashSet<String>>>,
}

/// What a quote came to in a source's text.
#[derive(Debug, Clone)]
enum Outcome {
    Found(Range<usize>, usize),
    Missing(Option<quote::Closest>),
    Empty,
}

/// Results of scanning sources, kept between rebuilds: a source whose document
/// has not changed is not parsed again for quotes it has already answered.
#[derive(Default)]
pub struct LinkCache {
    sources: HashMap<String, CachedSource>,
    /// Each claim's Markdown links, while its document is the same.
    claims: HashMap<String, (Arc<Document<ClaimMeta>>, Links)>,
}

struct CachedSource {
    doc: Arc<Document<SourceMeta>>,
    links: Links,
    text: Option<Arc<String>>,
    words: Option<Arc<HashSet<String>>>,
    quotes: HashMap<String, Outcome>,
}

/// Find the quotes of every citation of source `s` in its rendered text.
fn find_quotes(
    content: &Content,
    claims: &[LinkedClaim],
    s: usize,
    citations: &[(usize, usize)],
    keep_text: bool,
    cached: Option<CachedSource>,
) -> (SourceScan, CachedSource) {
    let doc = &content.sources[s];
    let quoted: Vec<(usize, usize, &str)> = citations
        .iter()
        .filter_map(|&(c, e)| {
            let n = claims[c].evidence[e].n;
            content.claims[c].meta.evidence[n - 1]
                .quote
                .as_deref()
                .map(|q| (c, e, q))
        })
        .collect();
    let cached = cached.filter(|c| Arc::ptr_eq(&c.doc, doc));
    let answered = cached.as_ref().is_some_and(|c| {
        (!keep_text || c.words.is_some())
            && quoted.iter().all(|(_, _, q)| c.quotes.contains_key(*q))
    });
    let mut entry = match cached {
        Some(c) if answered => c,
        other => {
            let scan = markdown::scan(&doc.body, Trust::Untrusted, true);
            let index = LineIndex::new(&doc.body);
            let links = scan
                .links
                .into_iter()
                .map(|(dest, off)| {
                    let (line, column) = index.line_col(off);
                    (dest, line, column)
                })
                .collect();
            let words = keep_text
                .then(|| Arc::new(editorial::content_words(&scan.text).into_iter().collect()));
            CachedSource {
                doc: doc.clone(),
                links,
                text: Some(Arc::new(scan.text)),
                words,
                quotes: other.map(|c| c.quotes).unwrap_or_default(),
            }
        }
    };
    let mut hay: Option<quote::Normalized> = None;
    let results = quoted
        .iter()
        .map(|&(claim, evidence, q)| {
            let outcome = match entry.quotes.get(q) {
                Some(o) => o.clone(),
                None => {
                    let text = entry.text.as_deref().map_or("", String::as_str);
                    let hay = hay.get_or_insert_with(|| quote::Normalized::new(text));
                    let o = if quote::Normalized::new(q).text.is_empty() {
                        Outcome::Empty
                    } else {
                        match quote::find(text, hay, q) {
                            Some((range, n)) => Outcome::Found(range, n),
                            None => Outcome::Missing(quote::closest(text, hay, q)),
                        }
                    };
                    entry.quotes.insert(q.to_owned(), o.clone());
                    o
                }
            };
            match outcome {
                Outcome::Found(range, occurrences) => QuoteResult::Found {
                    claim,
                    evidence,
                    range,
                    occurrences,
                },
                Outcome::Missing(closest) => QuoteResult::Missing {
                    claim,
                    evidence,
                    closest,
                },
                Outcome::Empty => QuoteResult::Empty { claim, evidence },
            }
        })
        .collect();
    // Keep only the quotes in use, so the cache does not grow with every edit.
    if entry.quotes.len() > quoted.len() {
        entry
            .quotes
            .retain(|q, _| quoted.iter().any(|(_, _, u)| u == q));
    }
    let scan = SourceScan {
        results,
        links: entry.links.clone(),
        words: if keep_text { entry.words.clone() } else { None },
    };
    (scan, entry)
}

impl Site {
    /// Documents whose pages must be rendered again when `doc` changes:
    /// the document itself, the sources a claim cites, the claims citing a source,
    /// and documents whose Markdown links to it.
    pub fn dependents(&self, doc: DocRef) -> BTreeSet<DocRef> {
        let mut out = BTreeSet::from([doc]);
        match doc {
            DocRef::Claim(c) => {
                out.extend(
                    self.claims[c]
                        .evidence
                        .iter()
                        .map(|e| DocRef::Source(e.source)),
                );
                out.extend(self.claims[c].appears_in.iter().map(|&s| DocRef::Source(s)));
            }
            DocRef::Source(s) => {
                out.extend(
                    self.sources[s]
                        .citations
                        .iter()
                        .map(|&(c, _)| DocRef::Claim(c)),
                );
                out.extend(
                    self.claims
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.appears_in.contains(&s))
                        .map(|(i, _)| DocRef::Claim(i)),
                );
            }
            DocRef::Index | DocRef::Page(_) => {}
        }
        for (from, targets) in &self.links {
            if targets.contains(&doc) {
                out.insert(*from);
            }
        }
        out
    }
}
