//! The search index behind `search/`: one record per claim and one per quoted
//! passage, indexed with Pagefind in memory, in the same run as the pages, into
//! files under `pagefind/`.
//!
//! Pagefind's own HTML crawler is not used: the records are made from the
//! linked site ([`records`]) and given to Pagefind as custom records, so the
//! index holds exactly what a reader searches for (a claim with its verdict, a
//! passage with the claims quoting it) and needs nothing written to disk first.
//! Record URLs are relative to the site root (`claims/x/`,
//! `sources/y/#q-x-1`); the search page tells Pagefind where the root is, so
//! the index works under any URL prefix.
//!
//! A shard's files depend only on its records, the language, the number of
//! fragment files and the versions of Pagefind and factbrief, so each shard is
//! kept as a blob ([`Blobs`]) by a hash of those: a build that changed no
//! record of a shard reads its files instead of running Pagefind again. The
//! records of a site are not even made for that: each planned record is known
//! by a hash of everything its record is made of (the content hashes of the
//! documents it reads, and what linking found: see [`Planned::inputs`]), so
//! only the shards an edit touched make their records.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::blobs::{Blobs, Key};
use super::{doc_dir, Output};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::hash::Fields;
use crate::link::Site;
use crate::load::id::passage_prefix;
use crate::load::{Document, Kind, SourceMeta, Stance};
use crate::markdown::{self, Trust};

/// The folder of the index, relative to the output root.
pub const FOLDER: &str = "pagefind/";

/// The folder of kept shards under a cache folder.
pub const CACHE_FOLDER: &str = "search-v1";

/// Bumped when what a shard's files are made of changes (the records' fields,
/// which files are kept, how they are compressed), so an upgrade never reuses
/// an old shard (v2: gzipped by zlib-rs, see Cargo.toml; v3: a site's shards
/// known by what their records are made of). A shard's key also has the
/// program's stamp ([`crate::hash::program_stamp`]): its records are known by
/// what they are made of, not by themselves, so another build of factbrief
/// (which may make them otherwise) reuses none.
const VERSION: &str = concat!("search-v3-", env!("CARGO_PKG_VERSION"));

/// The version of Pagefind in Cargo.lock (its own constant is private); a
/// test checks it against the version Pagefind writes in its entry file.
const PAGEFIND_VERSION: &str = "1.6.0";

/// Above this many records, Pagefind bundles the records' fragments (what a
/// result shows) into this many shared files instead of one file each: a large
/// briefing then writes hundreds of files, not tens of thousands. (Shared
/// between the shards of a large index.)
const MAX_FRAGMENT_FILES: u32 = 500;

/// Records per shard. Pagefind's ranking takes time in the square of the
/// number of records a word is found in (each result looks through every
/// match), so a large index is split into shards of about this many records,
/// which the search page merges (Pagefind's `mergeIndex`): a common word then
/// costs each shard a fraction. They are also built side by side, and an edit
/// makes one shard again. Measured at 12,000 records (1 December 2026, 2
/// cores): shards of 1,000 records give the first result a median 175–197 ms
/// after typing, against 234 ms for 2,000 and 285 ms for 500 (more requests),
/// and make a claim edit's shard in about 550 ms instead of 870–1,200 ms.
/// Again on 2 December 2026, the shards merged all at once: 1,000 records,
/// first result 152 ms, the index ready 364 ms after the page loads; 500,
/// 151 ms and 553 ms, for a claim edit's build 50 ms shorter (0.52 s
/// against 0.58 s on ext4). Kept at 1,000: a reader's wait before the
/// first search counts for more than that.
pub const SHARD_RECORDS: usize = 1000;

/// The file under [`FOLDER`] listing the shards other than the first (which is
/// [`FOLDER`] itself), as a JSON array of folders relative to [`FOLDER`].
pub const SHARDS_FILE: &str = "shards.json";

/// Filter names, as the search page knows them.
pub mod filter {
    /// `Claim` or `Passage`.
    pub const TYPE: &str = "type";
    /// The verdict's label (of the claim, or of the claims quoting a passage).
    pub const VERDICT: &str = "verdict";
    /// How a passage bears on the claims quoting it: `Supports`, `Contradicts`, `Context`.
    pub const STANCE: &str = "stance";
    /// The outlet of a passage's source, or of the sources a claim cites.
    pub const OUTLET: &str = "outlet";
    /// The claim's tags (for a passage, those of the claims quoting it).
    pub const TAG: &str = "tag";
    /// The kind of a passage's source, as readers see it (`News report`, ...).
    pub const KIND: &str = "kind";
    /// For a passage, the URLs of the claims quoting it, in the order of the
    /// `claims` meta field. Kept as a filter rather than meta because Pagefind
    /// searches the words of meta fields; the search page does not show it.
    pub const CLAIM: &str = "claim";
}

/// One record of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Relative to the site root: `claims/<id>/`, or `sources/<id>/#q-<claim>-<n>`.
    pub url: String,
    /// The text searched (and excerpted).
    pub content: String,
    /// Shown with a result (Pagefind searches these words too): `title` and,
    /// for a claim, `verdict` and `claimant`; for a passage, `outlet` and
    /// `claims` (the statements of the claims quoting it, one per line).
    pub meta: BTreeMap<String, String>,
    /// Values of the filters in [`filter`].
    pub filters: BTreeMap<String, Vec<String>>,
    /// The record's language (a primary subtag, see [`index_language`]) when
    /// it is not the briefing's: a passage of a source in another language.
    pub language: Option<String>,
}

/// The files of the search index of `site`, under [`FOLDER`], in path order,
/// with the shards kept in `cache` (those it had made, the others run).
///
/// The records are planned first ([`plan`]: each one's URL and language,
/// which decide its shard) and made shard by shard as the shard is indexed
/// ([`make`]), so only the shards being indexed hold their records' words,
/// not the whole index at once.
pub fn search_files(site: &Site, cache: &Blobs) -> Result<Vec<Output>> {
    let planned = plan(site);
    index_in_shards(
        &planned,
        &|shard: &[&Planned]| make(site, shard),
        &index_language(&site.settings.language),
        SHARD_RECORDS,
        cache,
    )
}

/// The records of `site`: each claim, then each quoted passage, source by source.
/// Several claims quoting the same words of a source share one passage record.
pub fn records(site: &Site) -> Result<Vec<Record>> {
    let planned = plan(site);
    make(site, &planned.iter().collect::<Vec<_>>()).map_err(|d| Error::Content(vec![d]))
}

/// A record of the index before it is made: what decides its shard (its URL
/// and language) and what it is made of.
struct Planned<'a> {
    url: String,
    language: Option<String>,
    of: Of<'a>,
    /// A hash of everything its record is made of, but the URL and the
    /// language: the documents it reads (their content hashes), the verdict
    /// labels it shows and what linking found (the passage's place and
    /// words, the claims quoting it, the sources a claim cites).
    inputs: u128,
}

/// What a [`Planned`] record is made of.
enum Of<'a> {
    /// The claim of this id.
    Claim(&'a str),
    /// The passage of source `source` at `start..end` of its rendered text
    /// (where [`Passage::range`](crate::link::Passage) points), with the
    /// evidence entries quoting it.
    Passage {
        source: &'a str,
        start: usize,
        end: usize,
        quoting: Vec<Quoting<'a>>,
    },
}

/// Something the index is made of, known by its URL and language before its
/// record is made.
trait Item: Sync {
    /// The record's URL (see [`Record::url`]).
    fn url(&self) -> &str;
    /// The record's language (see [`Record::language`]).
    fn language(&self) -> Option<&str>;
    /// Feed the key of its shard with what its record is made of (see [`shard_key`]).
    fn key(&self, k: &mut Key);
}

impl Item for Planned<'_> {
    fn url(&self) -> &str {
        &self.url
    }
    fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }
    fn key(&self, k: &mut Key) {
        k.field(self.url.as_bytes())
            .field(self.language.as_deref().unwrap_or_default().as_bytes())
            .field(&self.inputs.to_le_bytes());
    }
}

impl Item for Record {
    fn url(&self) -> &str {
        &self.url
    }
    fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }
    fn key(&self, k: &mut Key) {
        k.field(self.url.as_bytes())
            .field(self.language.as_deref().unwrap_or_default().as_bytes())
            .field(self.content.as_bytes());
        k.field(&(self.meta.len() as u64).to_le_bytes());
        for (name, value) in &self.meta {
            k.field(name.as_bytes()).field(value.as_bytes());
        }
        k.field(&(self.filters.len() as u64).to_le_bytes());
        for (name, values) in &self.filters {
            k.field(name.as_bytes())
                .field(&(values.len() as u64).to_le_bytes());
            for v in values {
                k.field(v.as_bytes());
            }
        }
    }
}

/// [`Planned::inputs`] of claim `id`'s record (see [`claim_record`]): the
/// claim's text, its verdict's label and the outlet of each source it cites.
fn claim_inputs(site: &Site, id: &str, text_hash: u128) -> u128 {
    let mut i = Fields::default();
    i.add(b"claim")
        .add(id.as_bytes())
        .add(&text_hash.to_le_bytes())
        .add(verdict_label(site, id).as_bytes());
    for e in site.claims.get(id).iter().flat_map(|l| &l.evidence) {
        let outlet = site.content.sources.get(&e.source).map(|s| &s.meta.outlet);
        i.add(e.source.as_bytes())
            .add(outlet.map_or(b"\xff".as_slice(), |o| o.as_bytes()));
    }
    i.finish()
}

/// [`Planned::inputs`] of a passage's record (see [`passage_record`]): what
/// it shows of the source (title, outlet, kind), the passage's words, and
/// each claim quoting it (its text, its verdict's label, the stance). The
/// words are those of the first quote in one piece; when no quote is, they
/// are read from the source's text at the passage's place, and the source's
/// content hash and that place stand for them. So text added to a source
/// around its passages changes none of their records (nor their shards).
/// (`source` is the source's content hash, `claims` the claims' content hashes.)
fn passage_inputs(
    site: &Site,
    (doc, source): (&Document<SourceMeta>, u128),
    (start, end): (usize, usize),
    quoting: &[Quoting],
    claims: &HashMap<&str, u128>,
) -> u128 {
    let mut i = Fields::default();
    i.add(b"passage")
        .add(doc.id.as_bytes())
        .add(doc.meta.title.as_bytes())
        .add(doc.meta.outlet.as_bytes())
        .add(doc.meta.kind.label().as_bytes());
    match quoting.iter().find_map(|q| q.words) {
        Some(words) => i.add(b"words").add(words.as_bytes()),
        None => i
            .add(b"text")
            .add(&source.to_le_bytes())
            .add(&(start as u64).to_le_bytes())
            .add(&(end as u64).to_le_bytes()),
    };
    for q in quoting {
        let claim = claims.get(q.claim).copied();
        i.add(q.anchor.as_bytes())
            .add(q.claim.as_bytes())
            .add(&claim.unwrap_or_default().to_le_bytes())
            .add(verdict_label(site, q.claim).as_bytes())
            .add(stance_word(q.stance).as_bytes());
    }
    i.finish()
}

/// The records of `site`, planned, in the order of [`records`]: each claim,
/// then each quoted passage, source by source.
fn plan(site: &Site) -> Vec<Planned<'_>> {
    let mut out = Vec::new();
    // Each claim's content hash, for its record and those of the passages it quotes.
    let mut claim_hashes: HashMap<&str, u128> = HashMap::new();
    for (id, _) in site.claims.iter() {
        if let Some(doc) = site.content.claims.get(id) {
            let hash = doc.text_hash();
            claim_hashes.insert(id, hash);
            out.push(Planned {
                url: doc_dir(Kind::Claim, id),
                language: None,
                of: Of::Claim(id),
                inputs: claim_inputs(site, id, hash),
            });
        }
    }
    for (id, linked) in site.sources.iter() {
        if linked.passages.is_empty() {
            continue;
        }
        let Some(doc) = site.content.sources.get(id) else {
            continue;
        };
        // The passages by their place in the source's rendered text, each with
        // the citations quoting it.
        let mut passages: BTreeMap<(usize, usize), Vec<Quoting>> = BTreeMap::new();
        for c in &linked.citations {
            let Some(e) = site.claims.get(&c.claim).and_then(|l| l.entry(c.n)) else {
                continue;
            };
            if let Some(p) = &e.passage {
                passages
                    .entry((p.range.start, p.range.end))
                    .or_default()
                    .push(Quoting {
                        anchor: &p.name,
                        claim: &c.claim,
                        stance: e.stance,
                        words: (p.pieces.len() == 1 && !p.text.is_empty()).then_some(&p.text),
                    });
            }
        }
        // A source in another language is indexed (stemmed, segmented) as that language.
        let language = doc
            .meta
            .language
            .as_deref()
            .map(index_language)
            .filter(|l| *l != index_language(&site.settings.language));
        let source_hash = doc.text_hash();
        for ((start, end), quoting) in passages {
            // The passage's own anchor on the source page: that of the first citation.
            out.push(Planned {
                url: format!("{}#{}", doc_dir(Kind::Source, id), quoting[0].anchor),
                language: language.clone(),
                inputs: passage_inputs(
                    site,
                    (doc, source_hash),
                    (start, end),
                    &quoting,
                    &claim_hashes,
                ),
                of: Of::Passage {
                    source: id,
                    start,
                    end,
                    quoting,
                },
            });
        }
    }
    out
}

/// The records of `planned`, in its order; an error when a source's body was
/// needed and could not be read again (see [`Document::body`]).
fn make(site: &Site, planned: &[&Planned]) -> std::result::Result<Vec<Record>, Diagnostic> {
    // The rendered text of the last source a passage needed it of: the words
    // of a passage in one piece are those linking found (`text[range]`); the
    // source's text is rendered again only for a quote that leaves words out,
    // whose passage runs over them. (A shard's passages of one source are
    // next to each other, as in the plan.)
    let mut text: Option<(&str, String)> = None;
    let mut out = Vec::with_capacity(planned.len());
    for p in planned {
        match &p.of {
            Of::Claim(id) => out.extend(claim_record(site, id, &p.url)),
            Of::Passage {
                source,
                start,
                end,
                quoting,
            } => {
                let Some(doc) = site.content.sources.get(*source) else {
                    continue;
                };
                let words = match quoting.iter().find_map(|q| q.words) {
                    Some(w) => w.as_str(),
                    None => {
                        if text.as_ref().is_none_or(|(s, _)| s != source) {
                            let rendered = markdown::rendered_text(&doc.body()?, Trust::Untrusted);
                            text = Some((source, rendered));
                        }
                        let Some(words) = text.as_ref().and_then(|(_, t)| t.get(*start..*end))
                        else {
                            continue;
                        };
                        words
                    }
                };
                out.push(passage_record(site, doc, quoting, words, p));
            }
        }
    }
    Ok(out)
}

/// The record of claim `id`, at `url`.
fn claim_record(site: &Site, id: &str, url: &str) -> Option<Record> {
    let linked = site.claims.get(id)?;
    let doc = site.content.claims.get(id)?;
    let label = verdict_label(site, id);
    let analysis = markdown::rendered_text(doc.body(), Trust::Editor);
    let mut content = vec![doc.meta.claim.as_str()];
    content.extend(doc.meta.claimant.as_deref());
    content.push(&analysis);
    let mut meta = BTreeMap::from([
        ("title".to_owned(), one_line(&doc.meta.claim)),
        ("verdict".to_owned(), label.clone()),
    ]);
    if let Some(who) = &doc.meta.claimant {
        meta.insert("claimant".to_owned(), one_line(who));
    }
    let outlets: BTreeSet<String> = linked
        .evidence
        .iter()
        .filter_map(|e| site.content.sources.get(&e.source))
        .map(|s| one_line(&s.meta.outlet))
        .collect();
    let mut filters = BTreeMap::new();
    put(&mut filters, filter::TYPE, ["Claim".to_owned()]);
    put(&mut filters, filter::VERDICT, [label]);
    put(&mut filters, filter::OUTLET, outlets);
    put(&mut filters, filter::TAG, tags(&doc.meta.tags));
    Some(Record {
        url: url.to_owned(),
        content: searchable(&content.join("\n")),
        meta,
        filters,
        language: None,
    })
}

/// The record of the passage `planned` of source `doc`, of `words`, quoted by `quoting`.
fn passage_record(
    site: &Site,
    doc: &Document<SourceMeta>,
    quoting: &[Quoting],
    words: &str,
    planned: &Planned,
) -> Record {
    let outlet = one_line(&doc.meta.outlet);
    let mut claims: Vec<&str> = Vec::new();
    let mut stances: BTreeSet<Stance> = BTreeSet::new();
    let mut verdicts = BTreeSet::new();
    let mut tag_set = BTreeSet::new();
    for &Quoting { claim, stance, .. } in quoting {
        stances.insert(stance);
        if claims.contains(&claim) {
            continue;
        }
        claims.push(claim);
        verdicts.insert(verdict_label(site, claim));
        if let Some(c) = site.content.claims.get(claim) {
            tag_set.extend(tags(&c.meta.tags));
        }
    }
    let statements: Vec<String> = claims
        .iter()
        .map(|c| {
            site.content
                .claims
                .get(*c)
                .map_or_else(String::new, |d| one_line(&d.meta.claim))
        })
        .collect();
    let meta = BTreeMap::from([
        ("title".to_owned(), one_line(&doc.meta.title)),
        ("outlet".to_owned(), outlet.clone()),
        ("claims".to_owned(), statements.join("\n")),
    ]);
    let mut filters = BTreeMap::new();
    put(&mut filters, filter::TYPE, ["Passage".to_owned()]);
    put(&mut filters, filter::VERDICT, verdicts);
    put(
        &mut filters,
        filter::STANCE,
        stances.into_iter().map(|s| stance_word(s).to_owned()),
    );
    put(&mut filters, filter::OUTLET, [outlet]);
    put(&mut filters, filter::TAG, tag_set);
    put(
        &mut filters,
        filter::KIND,
        [doc.meta.kind.label().to_owned()],
    );
    put(
        &mut filters,
        filter::CLAIM,
        claims.iter().map(|c| doc_dir(Kind::Claim, c)),
    );
    Record {
        url: planned.url.clone(),
        content: searchable(words),
        meta,
        filters,
        language: planned.language.clone(),
    }
}

/// An evidence entry quoting a passage.
struct Quoting<'a> {
    /// The passage's name (`q-<claim>-<n>`), the id of its element on the source page.
    anchor: &'a str,
    /// The claim's id.
    claim: &'a str,
    stance: Stance,
    /// The passage's words, when the quote is in one piece.
    words: Option<&'a String>,
}

/// Index `records` with Pagefind as text in `language` (a primary language
/// subtag, see [`index_language`]); the files the search page needs, under
/// [`FOLDER`], in path order: the first shard with Pagefind's script in
/// [`FOLDER`], the others in `shard-<n>/` below it, listed in [`SHARDS_FILE`].
/// Shards kept in `cache` are read from it; the others are made and kept there.
pub fn index(records: &[Record], language: &str, cache: &Blobs) -> Result<Vec<Output>> {
    index_in_shards(records, &copies, language, SHARD_RECORDS, cache)
}

/// The records themselves, for [`index_in_shards`].
fn copies(records: &[&Record]) -> std::result::Result<Vec<Record>, Diagnostic> {
    Ok(records.iter().map(|&r| r.clone()).collect())
}

/// What makes a shard's records of its items, for [`index_in_shards`].
type Make<'m, T> = dyn Fn(&[&T]) -> std::result::Result<Vec<Record>, Diagnostic> + Sync + 'm;

/// [`index`] of the records `make` makes of `items`, shard by shard, with
/// shards of about `shard_records` records.
fn index_in_shards<T: Item>(
    items: &[T],
    make: &Make<T>,
    language: &str,
    shard_records: usize,
    cache: &Blobs,
) -> Result<Vec<Output>> {
    // The records by language: the briefing's, then each other one's.
    let mut by_language: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    // The briefing's own language always has the first shard, which carries the script.
    by_language.insert("", Vec::new());
    for r in items {
        let l = r.language().filter(|l| *l != language);
        by_language.entry(l.unwrap_or("")).or_default().push(r);
    }
    // Each record goes to a shard of its language by a hash of the claim it
    // belongs to (see [`shard_name`]): the same shard on every build, and an
    // edited claim changes one shard, not one for each passage it quotes. The
    // briefing's language has the first shard (at the folder's root, with Pagefind's script) and `shard-<n>/`; another
    // language's shards are `lang-<language>-<n>/`, merged by the page as that language.
    let mut shards: Vec<Vec<&T>> = Vec::new();
    let mut plan: Vec<(String, String)> = Vec::new();
    for (l, recs) in &by_language {
        let count = recs.len().div_ceil(shard_records.max(1)).max(1);
        let first = shards.len();
        shards.extend(std::iter::repeat_n(Vec::new(), count));
        for r in recs {
            shards[first + shard_of(&shard_name(r.url()), count)].push(r);
        }
        for i in 0..count {
            let folder = match (l.is_empty(), first + i) {
                (true, 0) => String::new(),
                (true, n) => format!("shard-{n}/"),
                (false, _) => format!("lang-{l}-{i}/"),
            };
            plan.push((folder, if l.is_empty() { language } else { l }.to_owned()));
        }
    }
    if shards.is_empty() {
        shards.push(Vec::new());
        plan.push((String::new(), language.to_owned()));
    }
    let count = shards.len();
    let fragments = MAX_FRAGMENT_FILES.div_ceil(u32::try_from(count).unwrap_or(u32::MAX));
    // Why a shard's records could not be made (a source's body no longer readable).
    let unmade = std::sync::Mutex::new(Vec::new());
    let built = make_shards(&shards, make, &plan, fragments, cache, &unmade);
    let unmade = unmade.into_inner().unwrap_or_else(|p| p.into_inner());
    if !unmade.is_empty() {
        return Err(Error::Content(unmade));
    }
    let keys: std::collections::HashSet<u64> = built.iter().filter_map(|(key, _)| *key).collect();
    // In memory (for `serve`), only the shards of this index are kept.
    cache.forget_all_but(&keys);
    let mut out = Vec::new();
    let mut others = Vec::new();
    for (i, (_, files)) in built.into_iter().enumerate() {
        let files = files.map_err(|e| failed(format!("cannot build the search index: {e}")))?;
        let folder = plan[i].0.clone();
        if i > 0 {
            if shards[i].is_empty() {
                continue;
            }
            others.push(folder.clone());
        }
        out.extend(files.into_iter().map(|(path, bytes)| Output {
            path: format!("{FOLDER}{folder}{path}"),
            bytes,
        }));
    }
    out.push(Output {
        path: format!("{FOLDER}{SHARDS_FILE}"),
        bytes: serde_json::to_vec(&others).unwrap_or_default(),
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The files of each shard (see [`shard_files`]), in the order of `shards`,
/// with their keys.
///
/// Pagefind is async (tokio): each shard runs on a small current-thread
/// runtime of its own, in a thread of its own, since a caller already inside a
/// tokio runtime (a library user's) could not start one on its thread. As many
/// threads as there are cores each take the next shard not yet taken until
/// none is left, so that no core waits for the slowest shard of a batch. A
/// shard's records are made (`make`) when its thread takes it, and held until
/// its files are made: at most one shard's records per thread at a time.
///
/// The shards not kept in `cache` are taken first, the largest first, so that
/// the last to finish are small (or only read).
///
/// Pagefind runs parts of its work with rayon. Called from a thread outside any
/// pool, that work would go to the global pool, where other work may run
/// beside the index (a build's reuse checks; in `serve`, after an edit, the
/// pages no one views are rendered in a pool of their own, whose lower
/// priority these threads inherit, and a build's pages in one that gives way
/// to the index): it would wait there behind that work, and the shard with it. So each of these threads runs its shards in a rayon pool
/// of one thread of its own, and the shards progress beside the rendering.
/// (One pool shared by the shards will not do: a thread waiting in one shard's
/// parallel step may take up another shard's work, and start its tokio runtime
/// inside the first one's, which tokio refuses. A larger pool for each would
/// mostly idle: most of a shard's work, reading the records and compressing the
/// files, is on one thread anyway.)
fn make_shards<T: Item>(
    shards: &[Vec<&T>],
    make: &Make<T>,
    plan: &[(String, String)],
    fragments: u32,
    cache: &Blobs,
    unmade: &std::sync::Mutex<Vec<Diagnostic>>,
) -> Vec<(Option<u64>, Bundle)> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(shards.len());
    let keys: Vec<u64> = (shards.iter().enumerate())
        .map(|(i, items)| shard_key(items, &plan[i].1, fragments, i == 0))
        .collect();
    // The shards to make first, the largest first; then those kept.
    let mut order: Vec<usize> = (0..shards.len()).collect();
    order.sort_by_key(|&i| (cache.has(keys[i]), std::cmp::Reverse(shards[i].len())));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let shard = |i: usize| {
        // An empty shard other than the first has no files (and no key): the page does not load it.
        if shards[i].is_empty() && i != 0 {
            return (None, Ok(Vec::new()));
        }
        let key = keys[i];
        if let Some(files) = cache.get(key).and_then(|b| decode(&b)) {
            return (Some(key), Ok(files));
        }
        let records = match make(&shards[i]) {
            Ok(records) => records,
            Err(d) => {
                let message = d.message.clone();
                unmade.lock().unwrap_or_else(|p| p.into_inner()).push(d);
                return (None, Err(message));
            }
        };
        let records: Vec<&Record> = records.iter().collect();
        let files = shard_files(&records, plan[i].1.as_str(), fragments, i == 0);
        if let Ok(files) = &files {
            cache.put(key, encode(files));
        }
        (Some(key), files)
    };
    let mut built: Vec<(usize, (Option<u64>, Bundle))> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(1)
                        .thread_name(|_| "factbrief-search".to_owned())
                        .build();
                    let mut done = Vec::new();
                    loop {
                        let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = order.get(taken) else {
                            break;
                        };
                        // Without a pool of its own (no thread to be had), in the global one.
                        let files = match &pool {
                            Ok(pool) => pool.install(|| shard(i)),
                            Err(_) => shard(i),
                        };
                        done.push((i, files));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join().unwrap_or_else(|_| {
                    // The shards it took are missing below, and are reported.
                    Vec::new()
                })
            })
            .collect()
    });
    built.sort_unstable_by_key(|(i, _)| *i);
    let mut built = built.into_iter().peekable();
    (0..shards.len())
        .map(|i| match built.next_if(|(j, _)| *j == i) {
            Some((_, files)) => files,
            None => (None, Err("Pagefind stopped unexpectedly".to_owned())),
        })
        .collect()
}

/// What decides the shard of the record at `url`: for a claim
/// (`claims/<id>/`) and for a passage named after it (`sources/<s>/#q-<id>-<n>`,
/// the first claim quoting it) the same name, the prefix of the claim's passage
/// names ([`passage_prefix`]), so a claim and its passages share a shard; for
/// any other record the URL itself.
fn shard_name(url: &str) -> std::borrow::Cow<'_, str> {
    if let Some(id) = url
        .strip_prefix("claims/")
        .and_then(|u| u.strip_suffix('/'))
    {
        return passage_prefix(id).into();
    }
    match url
        .split_once('#')
        .and_then(|(_, name)| name.rsplit_once('-'))
    {
        Some((prefix, _)) => prefix.into(),
        None => url.into(),
    }
}

/// The shard (of `count`) of the record named `url` (see [`shard_name`]): FNV-1a, the same everywhere.
fn shard_of(url: &str, count: usize) -> usize {
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    usize::try_from(hash % count.max(1) as u64).unwrap_or(0)
}

/// The files of a bundle of Pagefind's (by `/`-separated path inside it), or what went wrong.
type Bundle = std::result::Result<Vec<(String, Vec<u8>)>, String>;

/// The files of a shard of `records` the search page needs (see [`wanted`]),
/// made by Pagefind.
fn shard_files(records: &[&Record], language: &str, fragment_files: u32, first: bool) -> Bundle {
    run_pagefind(records, language, fragment_files).map(|files| {
        let has_language_wasm = files
            .iter()
            .any(|(p, _)| p.starts_with("wasm.") && p != "wasm.unknown.pagefind");
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter(|(path, _)| wanted(path, has_language_wasm, first))
            .collect();
        // Pagefind gives them in no fixed order: sorted, the blob is the same every time.
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        files
    })
}

/// A hash of everything a shard's files are made of: the versions, the
/// language, the number of fragment files, whether it is the first shard (which
/// has the script), Pagefind's one setting read from the environment, and
/// what each item's record is made of ([`Item::key`]), in order, and the
/// program's stamp (see [`VERSION`]).
fn shard_key<T: Item>(items: &[&T], language: &str, fragment_files: u32, first: bool) -> u64 {
    let chunk_size = std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE").unwrap_or_default();
    let mut k = Key::new(VERSION);
    k.field(crate::hash::program_stamp().as_bytes())
        .field(PAGEFIND_VERSION.as_bytes())
        .field(language.as_bytes())
        .field(&fragment_files.to_le_bytes())
        .field(&[u8::from(first)])
        .field(chunk_size.as_bytes())
        .field(&(items.len() as u64).to_le_bytes());
    for item in items {
        item.key(&mut k);
    }
    k.finish()
}

/// A shard's files as one blob: their count, then each path and its bytes,
/// each preceded by its length (little-endian u64).
fn encode(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let size: usize = files.iter().map(|(p, b)| 16 + p.len() + b.len()).sum();
    let mut out = Vec::with_capacity(8 + size);
    out.extend_from_slice(&(files.len() as u64).to_le_bytes());
    for (path, bytes) in files {
        for part in [path.as_bytes(), bytes] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

/// The files of a blob made by [`encode`]; `None` when it is not one, or
/// names a path that would leave the shard's folder.
fn decode(mut blob: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    fn take<'b>(blob: &mut &'b [u8]) -> Option<&'b [u8]> {
        let len = usize::try_from(u64::from_le_bytes(blob.get(..8)?.try_into().ok()?)).ok()?;
        let part = blob.get(8..8usize.checked_add(len)?)?;
        *blob = &blob[8 + len..];
        Some(part)
    }
    let count = u64::from_le_bytes(blob.get(..8)?.try_into().ok()?);
    blob = &blob[8..];
    let mut files = Vec::new();
    for _ in 0..count {
        let path = std::str::from_utf8(take(&mut blob)?).ok()?;
        if bundle_path(Path::new(path)).ok()? != path {
            return None;
        }
        files.push((path.to_owned(), take(&mut blob)?.to_vec()));
    }
    blob.is_empty().then_some(files)
}

/// The files Pagefind makes of `records`, by `/`-separated path inside its bundle.
fn run_pagefind(records: &[&Record], language: &str, fragment_files: u32) -> Bundle {
    // Pagefind reads the current folder when it starts (and would panic without one).
    std::env::current_dir()
        .map_err(|e| format!("Pagefind needs a current folder, and there is none: {e}"))?;
    // Pagefind reads each record on the runtime's blocking threads, one at a
    // time (each waits for the last): one thread, which stays warm, does.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(1)
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .max_fragments(fragment_files)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for r in records {
            index
                .add_custom_record(
                    r.url.clone(),
                    r.content.clone(),
                    language.to_owned(),
                    Some(r.meta.clone()),
                    Some(r.filters.clone()),
                    None,
                )
                .await
                .map_err(|e| format!("{}: {e}", r.url))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        files
            .into_iter()
            .map(|f| Ok((bundle_path(&f.filename)?, f.contents)))
            .collect()
    })
}

/// A path of Pagefind's bundle, `/`-separated; an error for one that would leave it.
fn bundle_path(path: &Path) -> std::result::Result<String, String> {
    let parts: Option<Vec<&str>> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    match parts {
        Some(p) if !p.is_empty() => Ok(p.join("/")),
        _ => Err(format!("unexpected file {}", path.display())),
    }
}

/// Whether the search page needs a file of Pagefind's bundle: the entry, the
/// index, filters and fragments, and in the first shard the search API, its
/// worker and the one WebAssembly module the page loads. Pagefind's ready-made
/// UIs, its highlighting script and the playground are left out (the page has
/// its own UI).
fn wanted(path: &str, has_language_wasm: bool, first: bool) -> bool {
    match path {
        "pagefind-entry.json" => true,
        p if p.starts_with("pagefind.") && p.ends_with(".pf_meta") => true,
        p if p.starts_with("index/") || p.starts_with("filter/") || p.starts_with("fragment/") => {
            true
        }
        _ if !first => false,
        "pagefind.js" | "pagefind-worker.js" => true,
        // Without a stemmer for the language, the page loads the generic module.
        "wasm.unknown.pagefind" => !has_language_wasm,
        p => p.starts_with("wasm.") && p.ends_with(".pagefind"),
    }
}

/// Pagefind's language for a BCP 47 tag: its primary subtag in lower case
/// (`en-GB` is `en`), which picks the stemmer; `unknown` (no stemming) for a
/// tag that does not start with one. It also names index files, so nothing
/// else may pass.
pub fn index_language(tag: &str) -> String {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    if (2..=8).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        primary.to_ascii_lowercase()
    } else {
        "unknown".to_owned()
    }
}

/// A filter's values, left out when there are none.
fn put(
    filters: &mut BTreeMap<String, Vec<String>>,
    name: &str,
    values: impl IntoIterator<Item = String>,
) {
    let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
    if !values.is_empty() {
        filters.insert(name.to_owned(), values);
    }
}

/// The label of claim `id`'s verdict (its key when the scale does not have it).
fn verdict_label(site: &Site, id: &str) -> String {
    site.claims
        .get(id)
        .map(|l| match site.verdict(l) {
            Some(v) => v.label.clone(),
            None => l.verdict.clone(),
        })
        .unwrap_or_default()
}

/// A claim's tags, each on one line, once each.
fn tags(tags: &[String]) -> BTreeSet<String> {
    tags.iter().map(|t| one_line(t)).collect()
}

/// How a stance is named to readers filtering passages.
pub(crate) fn stance_word(stance: Stance) -> &'static str {
    match stance {
        Stance::Supports => "Supports",
        Stance::Contradicts => "Contradicts",
        Stance::Context => "Context",
    }
}

/// `text` with its runs of white space made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` as Pagefind indexes it (words separated by single spaces), with the
/// words Pagefind would take as its own markers (`___PAGEFIND_WEIGHT___0` and
/// the like, from a source's text) made plain words: a zero-width space before
/// them, which Pagefind removes only after deciding the word is no marker.
fn searchable(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            if w.starts_with('_') {
                format!("\u{200B}{w}")
            } else {
                w.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

/// An error of the index, located at its folder.
fn failed(message: String) -> Error {
    Error::io(Path::new(FOLDER), std::io::Error::other(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_and_the_passages_named_after_it_share_a_shard() {
        for count in [2, 7, 13] {
            let claim = shard_of(&shard_name("claims/2021/putin-asked/"), count);
            for passage in [
                "sources/kremlin/#q-2021--putin-asked-1",
                "sources/ap-news/#q-2021--putin-asked-12",
            ] {
                assert_eq!(shard_of(&shard_name(passage), count), claim);
            }
        }
        assert_eq!(shard_name("claims/a/"), "q-a");
        assert_eq!(shard_name("sources/s/#q-a-3"), "q-a");
        assert_eq!(shard_name("sources/s/"), "sources/s/");
        // Claims spread over the shards.
        let used: BTreeSet<usize> = (0..200)
            .map(|i| shard_of(&shard_name(&format!("claims/c{i}/")), 7))
            .collect();
        assert_eq!(used.len(), 7);
    }

    #[test]
    fn languages_reduce_to_their_primary_subtag() {
        assert_eq!(index_language("en"), "en");
        assert_eq!(index_language("en-GB"), "en");
        assert_eq!(index_language("pt_BR"), "pt");
        assert_eq!(index_language("ZH-Hant-TW"), "zh");
        assert_eq!(index_language("x-klingon"), "unknown");
        assert_eq!(index_language("../../x"), "unknown");
        assert_eq!(index_language(""), "unknown");
    }

    #[test]
    fn marker_words_are_made_plain() {
        assert_eq!(
            searchable("a  ___PAGEFIND_WEIGHT___0\nb _c"),
            "a \u{200B}___PAGEFIND_WEIGHT___0 b \u{200B}_c"
        );
    }

    #[test]
    fn only_what_the_page_loads_is_kept() {
        for p in [
            "pagefind.js",
            "pagefind-worker.js",
            "pagefind-entry.json",
            "pagefind.en_1234567.pf_meta",
            "wasm.en.pagefind",
            "index/en_abc.pf_index",
            "filter/en_abc.pf_filter",
            "fragment/en_abc.pf_fragment",
        ] {
            assert!(wanted(p, true, true), "{p}");
        }
        for p in [
            "pagefind-ui.js",
            "pagefind-ui.css",
            "pagefind-modular-ui.js",
            "pagefind-component-ui.css",
            "pagefind-highlight.js",
            "playground/index.html",
            "wasm.unknown.pagefind",
        ] {
            assert!(!wanted(p, true, true), "{p}");
        }
        assert!(wanted("wasm.unknown.pagefind", false, true));
        // The other shards have only their index: the page has the script and module.
        assert!(wanted("index/en_abc.pf_index", true, false));
        assert!(!wanted("pagefind.js", true, false));
        assert!(!wanted("wasm.en.pagefind", true, false));
    }

    #[test]
    fn a_large_index_is_split_into_shards_the_page_merges() {
        let records = claims(30);
        let out = index_in_shards(&records, &copies, "en", 10, &Blobs::in_memory()).unwrap();
        let file = |p: &str| out.iter().find(|o| o.path == p).map(|o| o.bytes.clone());
        let shards: Vec<String> =
            serde_json::from_slice(&file("pagefind/shards.json").unwrap()).unwrap();
        assert_eq!(shards, ["shard-1/", "shard-2/"]);
        let mut total = 0;
        for folder in ["pagefind/", "pagefind/shard-1/", "pagefind/shard-2/"] {
            let entry: serde_json::Value =
                serde_json::from_slice(&file(&format!("{folder}pagefind-entry.json")).unwrap())
                    .unwrap();
            let n = entry["languages"]["en"]["page_count"].as_u64().unwrap();
            assert!(n > 0, "{folder}");
            total += n;
        }
        assert_eq!(total, 30);
        // The script and the module once, in the first shard.
        let scripts: Vec<&str> = out
            .iter()
            .map(|o| o.path.as_str())
            .filter(|p| p.ends_with(".js") || p.ends_with(".pagefind"))
            .collect();
        assert_eq!(
            scripts,
            [
                "pagefind/pagefind-worker.js",
                "pagefind/pagefind.js",
                "pagefind/wasm.en.pagefind"
            ]
        );
        // The same shards and bytes every time.
        assert!(index_in_shards(&records, &copies, "en", 10, &Blobs::in_memory()).unwrap() == out);
        // A small index is one shard.
        let one = index_in_shards(&records, &copies, "en", 100, &Blobs::in_memory()).unwrap();
        assert_eq!(
            one.iter()
                .find(|o| o.path == "pagefind/shards.json")
                .unwrap()
                .bytes,
            b"[]"
        );
    }

    fn claims(n: usize) -> Vec<Record> {
        (0..n)
            .map(|i| Record {
                url: format!("claims/c{i}/"),
                content: format!("Claim number {i} about budgets"),
                meta: BTreeMap::from([("title".to_owned(), format!("Claim {i}"))]),
                filters: BTreeMap::from([("type".to_owned(), vec!["Claim".to_owned()])]),
                language: None,
            })
            .collect()
    }

    #[test]
    fn kept_shards_give_the_same_files_and_an_edit_remakes_only_its_shard() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(CACHE_FOLDER);
        let kept = |n: usize| {
            assert_eq!(std::fs::read_dir(&folder).unwrap().count(), n);
        };
        let mut records = claims(30);
        let fresh = index_in_shards(&records, &copies, "en", 10, &Blobs::in_memory()).unwrap();
        let cache = Blobs::on_disk(folder.clone());
        assert!(index_in_shards(&records, &copies, "en", 10, &cache).unwrap() == fresh);
        cache.persist(true).unwrap();
        kept(3);
        // Read back from the folder: the same bytes.
        let cache = Blobs::on_disk(folder.clone());
        assert!(index_in_shards(&records, &copies, "en", 10, &cache).unwrap() == fresh);
        cache.persist(true).unwrap();
        kept(3);
        // One record edited: one shard made again (a fourth file until pruned).
        records[7]
            .meta
            .insert("verdict".to_owned(), "False".to_owned());
        let edited = index_in_shards(&records, &copies, "en", 10, &Blobs::in_memory()).unwrap();
        assert!(edited != fresh);
        let cache = Blobs::on_disk(folder.clone());
        assert!(index_in_shards(&records, &copies, "en", 10, &cache).unwrap() == edited);
        cache.persist(false).unwrap();
        kept(4);
        cache.persist(true).unwrap();
        kept(3);
        // Another language is another index.
        let cache = Blobs::on_disk(folder.clone());
        assert!(index_in_shards(&records, &copies, "fr", 10, &cache).unwrap() != edited);
    }

    #[test]
    fn a_kept_shard_that_is_no_bundle_is_made_again() {
        let records = claims(5);
        let refs: Vec<&Record> = records.iter().collect();
        let cache = Blobs::in_memory();
        let key = shard_key(&refs, "en", 500, true);
        cache.put(key, b"not a bundle".to_vec());
        let out = index_in_shards(&records, &copies, "en", 500, &cache).unwrap();
        assert!(out.iter().any(|o| o.path == "pagefind/pagefind-entry.json"));
        let files = decode(&cache.get(key).unwrap()).unwrap();
        assert!(files.iter().any(|(p, _)| p == "pagefind-entry.json"));
        // A path leaving the folder is refused.
        let evil = encode(&[("../index.html".to_owned(), b"x".to_vec())]);
        assert_eq!(decode(&evil), None);
        let fine = encode(&[("index/en_1.pf_index".to_owned(), b"x".to_vec())]);
        assert!(decode(&fine).is_some());
        assert_eq!(decode(&fine[..fine.len() - 1]), None);
    }

    #[test]
    fn the_pagefind_version_in_the_key_is_the_one_built_with() {
        let out = index_in_shards(&claims(2), &copies, "en", 10, &Blobs::in_memory()).unwrap();
        let entry = out
            .iter()
            .find(|o| o.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        assert_eq!(entry["version"], PAGEFIND_VERSION);
    }

    #[test]
    fn bundle_paths_stay_inside() {
        assert_eq!(
            bundle_path(Path::new("fragment/en_1.pf_fragment")),
            Ok("fragment/en_1.pf_fragment".to_owned())
        );
        assert!(bundle_path(Path::new("../x")).is_err());
        assert!(bundle_path(Path::new("/x")).is_err());
    }
}
