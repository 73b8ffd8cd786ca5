//! The typed documents of a briefing, as read from `content/`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::hash::content_hash;

/// The kind of a document of `content/` other than `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `content/sources/`.
    Source,
    /// `content/claims/`.
    Claim,
    /// `content/pages/`.
    Page,
}

impl Kind {
    /// Every kind, in the order the briefing is read.
    pub const ALL: [Kind; 3] = [Kind::Source, Kind::Claim, Kind::Page];

    /// The name used in links (`source:<id>`) and messages.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Claim => "claim",
            Kind::Page => "page",
        }
    }

    /// The folder of `content/` (and of the output) holding this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Claim => "claims",
            Kind::Page => "pages",
        }
    }

    /// The kind named `key` in a link (`source`, `claim`, `page`).
    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A document of the briefing, by kind and id: the same before and after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocId {
    /// `content/_index.md`.
    Index,
    /// A source, claim or page.
    Doc(Kind, String),
}

impl DocId {
    /// A source's id.
    pub fn source(id: impl Into<String>) -> DocId {
        DocId::Doc(Kind::Source, id.into())
    }

    /// A claim's id.
    pub fn claim(id: impl Into<String>) -> DocId {
        DocId::Doc(Kind::Claim, id.into())
    }

    /// A free page's id.
    pub fn page(id: impl Into<String>) -> DocId {
        DocId::Doc(Kind::Page, id.into())
    }
}

/// Where the fields of a front matter sit in its file, found once when the file is read.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    /// 1-based file line of each known key's first `key = ` / `key:` line (or `[[key]]` header).
    keys: Vec<(&'static str, u32)>,
    /// Per entry of the `[[evidence]]` array: its first line and the line of each field it sets.
    entries: Vec<EntrySpan>,
    /// 1-based file line where the front matter text starts.
    front_matter_line: u32,
}

#[derive(Debug, Clone)]
struct EntrySpan {
    line: u32,
    fields: Vec<(&'static str, u32)>,
}

impl Spans {
    /// The spans of `front_matter`, which starts at file line `first_line`: of the
    /// `fields` it may set, and of the `entry_fields` of its `[[evidence]]`
    /// entries (none for documents without evidence).
    pub fn new(
        front_matter: &str,
        first_line: usize,
        fields: &[&'static str],
        entry_fields: &[&'static str],
    ) -> Spans {
        let mut keys: Vec<(&'static str, u32)> = Vec::new();
        let to_file = |rel: usize| u32::try_from(first_line + rel - 1).unwrap_or(u32::MAX);
        for (i, line) in front_matter.lines().enumerate() {
            let l = line.trim_start();
            // `[[evidence]]`, also written `[[ evidence ]]` or with a comment after it.
            let header = l.split('#').next().unwrap_or("").trim_end();
            let key =
                if let Some(inner) = header.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
                    inner.trim()
                } else {
                    let end = l
                        .find(|c: char| c.is_whitespace() || c == '=' || c == ':')
                        .unwrap_or(l.len());
                    let rest = l[end..].trim_start();
                    if end == 0 || !(rest.starts_with('=') || rest.starts_with(':')) {
                        continue;
                    }
                    &l[..end]
                };
            if let Some(known) = fields.iter().find(|f| **f == key) {
                if !keys.iter().any(|(k, _)| k == known) {
                    keys.push((known, to_file(i + 1)));
                }
            }
        }
        let mut entries = Vec::new();
        if !entry_fields.is_empty() {
            let found = super::Entries::new(front_matter, "evidence");
            let mut i = 0;
            while let Some(start) = found.start(i) {
                let fields = entry_fields
                    .iter()
                    .filter_map(|f| found.own_field(i, f).map(|l| (*f, to_file(l))))
                    .collect();
                entries.push(EntrySpan {
                    line: to_file(start),
                    fields,
                });
                i += 1;
            }
        }
        Spans {
            keys,
            entries,
            front_matter_line: to_file(1),
        }
    }

    /// The file line where `key` is set, if it is.
    pub fn key(&self, key: &str) -> Option<usize> {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, l)| l as usize)
    }

    /// The file line where `key` is set, else the front matter's first line.
    pub fn key_or_start(&self, key: &str) -> usize {
        self.key(key).unwrap_or(self.front_matter_line as usize)
    }

    /// The file line of `field` in evidence entry `index` (0-based), else of the entry,
    /// else the front matter's first line.
    pub fn entry(&self, index: usize, field: &str) -> usize {
        match self.entries.get(index) {
            Some(e) => e
                .fields
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(e.line, |&(_, l)| l) as usize,
            None => self.front_matter_line as usize,
        }
    }
}

/// A file of `content/`, its id, its front matter `M` and its Markdown body.
#[derive(Debug, Clone)]
pub struct Document<M> {
    /// The id: the path below the kind's folder without `.md`.
    pub id: String,
    /// The file, relative to the site root (`content/claims/x.md`).
    pub file: PathBuf,
    /// The front matter's fields.
    pub meta: M,
    /// The whole file as parsed (control characters dropped, line ends made `\n`):
    /// diagnostics show their excerpts from it, never from a second read of
    /// the disk. For a document whose body was left on disk
    /// ([`Document::leave_body_on_disk`]), only the text before the body.
    pub text: Arc<str>,
    /// Where the front matter's fields sit.
    pub spans: Spans,
    front_matter: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Where the body is read from when it was left on disk.
    on_disk: Option<OnDisk>,
}

/// The file of a document whose body was left on disk, and what it held.
#[derive(Debug, Clone)]
struct OnDisk {
    /// The file as the load read it (the site root joined with [`Document::file`]).
    path: PathBuf,
    /// [`content_hash`] of the whole text as parsed.
    hash: u128,
}

impl<M> Document<M> {
    /// A document read from `text`, with its parts at the given byte ranges.
    pub(crate) fn new(
        id: String,
        file: PathBuf,
        meta: M,
        text: Arc<str>,
        (front_matter, front_matter_line): (std::ops::Range<usize>, usize),
        (body, body_line): (std::ops::Range<usize>, usize),
        (fields, entry_fields): (&[&'static str], &[&'static str]),
    ) -> Document<M> {
        let spans = Spans::new(
            &text[front_matter.clone()],
            front_matter_line,
            fields,
            entry_fields,
        );
        Document {
            id,
            file,
            meta,
            text,
            spans,
            front_matter,
            body,
            body_line,
            on_disk: None,
        }
    }

    /// The whole text as parsed (see [`Document::text`]), read again when
    /// the body was left on disk; `None` when the file changed since.
    pub fn whole_text(&self) -> Option<Arc<str>> {
        match &self.on_disk {
            None => Some(self.text.clone()),
            Some(disk) => self.read_again(disk).ok().map(Arc::from),
        }
    }

    /// The whole text as parsed, read again from the file its body was left
    /// in; an error when it is not the text that was loaded.
    fn read_again(&self, disk: &OnDisk) -> std::result::Result<String, Diagnostic> {
        // Only a regular file is read (the path was one when loaded; a pipe or
        // a device put in its place since would block or never end).
        let bytes = std::fs::File::open(&disk.path)
            .and_then(|mut f| {
                if !f.metadata()?.is_file() {
                    return Err(std::io::Error::other("it is no longer a regular file"));
                }
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut bytes)?;
                Ok(bytes)
            })
            .map_err(|e| {
                Diagnostic::error(
                    Code::Unreadable,
                    &self.file,
                    format!("cannot read the file again while building: {e}"),
                )
                .with_help("check that it exists and is readable, then build again")
            })?;
        let raw = String::from_utf8(bytes).map_err(|_| self.changed())?;
        let text = super::front_matter::clean_text(raw);
        match content_hash(text.as_bytes()) == disk.hash {
            true => Ok(text),
            false => Err(self.changed()),
        }
    }

    /// The file is not what was loaded.
    fn changed(&self) -> Diagnostic {
        Diagnostic::error(
            Code::Unreadable,
            &self.file,
            "the file changed while the site was being built",
        )
        .with_help("build again")
    }

    /// [`content_hash`] of the whole text as parsed.
    pub fn text_hash(&self) -> u128 {
        match &self.on_disk {
            Some(disk) => disk.hash,
            None => content_hash(self.text.as_bytes()),
        }
    }

    /// The front matter's text.
    pub fn front_matter(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    /// 1-based line of the file where the front matter text starts.
    pub fn front_matter_line(&self) -> usize {
        self.spans.front_matter_line as usize
    }
}

impl<M: Held> Document<M> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }
}

/// The kinds of document whose body is always held in memory (all but the
/// sources, see [`Document::leave_body_on_disk`]).
pub trait Held {}
impl Held for IndexMeta {}
impl Held for ClaimMeta {}
impl Held for PageMeta {}

impl Document<SourceMeta> {
    /// The same document without its body in memory: [`Document::body`]
    /// reads it again from `path` (the file it was read from), which a single
    /// build does for each source twice (linking, then its page), rather than
    /// hold every source's text from loading to the end of rendering.
    pub(crate) fn leave_body_on_disk(mut self, path: PathBuf) -> Document<SourceMeta> {
        let hash = content_hash(self.text.as_bytes());
        self.text = Arc::from(&self.text[..self.body.start]);
        self.on_disk = Some(OnDisk { path, hash });
        self
    }

    /// The Markdown body: the one in memory, or read again from the file
    /// when it was left on disk. An error when the file no longer holds the
    /// text that was loaded (it was edited while the site was being built).
    pub fn body(&self) -> std::result::Result<Cow<'_, str>, Diagnostic> {
        match &self.on_disk {
            None => Ok(Cow::Borrowed(&self.text[self.body.clone()])),
            Some(disk) => {
                let text = self.read_again(disk)?;
                match text.get(self.body.clone()) {
                    Some(body) => Ok(Cow::Owned(body.to_owned())),
                    // (Only where the body was kept wrongly: its text is the one loaded.)
                    None => Err(self.changed()),
                }
            }
        }
    }
}

/// A document as the load cache keeps it ([`super::cache`]), borrowed to be
/// written; read back as [`Stored`].
#[derive(Serialize)]
pub(super) struct StoredRef<'a, M> {
    id: &'a str,
    file: &'a std::path::Path,
    meta: &'a M,
    text: &'a str,
    front_matter: (usize, usize),
    body: (usize, usize),
    body_line: usize,
    keys: Vec<(&'a str, u32)>,
    entries: Vec<(u32, Vec<(&'a str, u32)>)>,
    front_matter_line: u32,
    /// Whether the body was left on disk (its [`OnDisk::hash`] is the
    /// entry's hash of the whole text).
    on_disk: bool,
}

/// A document as the load cache keeps it: see [`StoredRef`].
#[derive(Deserialize)]
pub(super) struct Stored<M> {
    id: String,
    file: PathBuf,
    meta: M,
    text: String,
    front_matter: (usize, usize),
    body: (usize, usize),
    body_line: usize,
    keys: Vec<(String, u32)>,
    entries: Vec<(u32, Vec<(String, u32)>)>,
    front_matter_line: u32,
    on_disk: bool,
}

impl<M> Document<M> {
    /// This document as the load cache keeps it.
    pub(super) fn stored(&self) -> StoredRef<'_, M> {
        let pair = |r: &std::ops::Range<usize>| (r.start, r.end);
        StoredRef {
            id: &self.id,
            file: &self.file,
            meta: &self.meta,
            text: &self.text,
            front_matter: pair(&self.front_matter),
            body: pair(&self.body),
            body_line: self.body_line,
            keys: self.spans.keys.clone(),
            entries: (self.spans.entries.iter())
                .map(|e| (e.line, e.fields.clone()))
                .collect(),
            front_matter_line: self.spans.front_matter_line,
            on_disk: self.on_disk.is_some(),
        }
    }

    /// The document `stored` keeps, of a file whose whole text has hash
    /// `hash`, read from `path` (where a body left on disk is read again),
    /// with its spans named among `fields` and `entry_fields`; `None` if it
    /// does not hold together.
    pub(super) fn from_stored(
        stored: Stored<M>,
        hash: u128,
        path: &std::path::Path,
        (fields, entry_fields): (&[&'static str], &[&'static str]),
    ) -> Option<Document<M>> {
        let text = stored.text;
        let range = |(start, end): (usize, usize)| {
            (start <= end && text.get(start..end).is_some()).then_some(start..end)
        };
        let front_matter = range(stored.front_matter)?;
        // A body left on disk is past the end of the text held.
        let body = match stored.on_disk {
            true if stored.body.0 == text.len() && stored.body.0 <= stored.body.1 => {
                stored.body.0..stored.body.1
            }
            true => return None,
            false => range(stored.body)?,
        };
        let named = |known: &[&'static str], name: &str| known.iter().copied().find(|k| *k == name);
        let keys = (stored.keys.iter())
            .map(|(k, l)| Some((named(fields, k)?, *l)))
            .collect::<Option<Vec<_>>>()?;
        let entries = (stored.entries.iter())
            .map(|(line, fs)| {
                let fields = (fs.iter())
                    .map(|(k, l)| Some((named(entry_fields, k)?, *l)))
                    .collect::<Option<Vec<_>>>()?;
                Some(EntrySpan {
                    line: *line,
                    fields,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Document {
            id: stored.id,
            file: stored.file,
            meta: stored.meta,
            text: Arc::from(text),
            spans: Spans {
                keys,
                entries,
                front_matter_line: stored.front_matter_line,
            },
            front_matter,
            body,
            body_line: stored.body_line,
            on_disk: stored.on_disk.then(|| OnDisk {
                path: path.to_path_buf(),
                hash,
            }),
        })
    }
}

/// `content/_index.md`: the briefing's settings and overview.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexMeta {
    /// The briefing's title.
    pub title: String,
    /// One-line summary.
    pub description: Option<String>,
    /// The organisation publishing the checks.
    pub publisher: Option<String>,
    /// Absolute URL or path prefix the site is served under.
    pub base_url: Option<String>,
    /// BCP 47 language tag.
    pub language: Option<String>,
    /// When the briefing was published.
    pub published: Option<Date>,
    /// When it was last updated.
    pub updated: Option<Date>,
    /// A rating scale replacing the default one.
    pub verdicts: Option<Vec<VerdictDef>>,
    /// How readers reach the desk: an e-mail address or a URL.
    pub contact: Option<String>,
    /// Items per page of a list.
    pub paginate_by: Option<u32>,
}

impl IndexMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &[
        "title",
        "description",
        "publisher",
        "base_url",
        "language",
        "published",
        "updated",
        "verdicts",
        "contact",
        "paginate_by",
    ];
}

/// One verdict of the rating scale.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VerdictDef {
    /// What claims write in `verdict`.
    pub key: String,
    /// What readers see.
    pub label: String,
    /// Position on a 1..N scale (N best), for ClaimReview.
    pub rating: Option<u32>,
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A news report (the default).
    #[default]
    News,
    /// An official statement or readout.
    Statement,
    /// A transcript.
    Transcript,
    /// An opinion piece.
    Opinion,
    /// A report or study.
    Report,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [SourceKind; 6] = [
        SourceKind::News,
        SourceKind::Statement,
        SourceKind::Transcript,
        SourceKind::Opinion,
        SourceKind::Report,
        SourceKind::Other,
    ];

    /// How readers see the kind (and how the search index names it).
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::News => "News report",
            SourceKind::Statement => "Statement",
            SourceKind::Transcript => "Transcript",
            SourceKind::Opinion => "Opinion",
            SourceKind::Report => "Report",
            SourceKind::Other => "Other",
        }
    }
}

/// `content/sources/<id>.md`: a document the claims are checked against.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    /// Headline or document title.
    pub title: String,
    /// Publisher of the document.
    pub outlet: String,
    /// Date of publication.
    pub published: Date,
    /// Where the original lives.
    pub url: Option<String>,
    /// Authors' names.
    #[serde(default)]
    pub authors: Vec<String>,
    /// What kind of document it is.
    #[serde(default)]
    pub kind: SourceKind,
    /// When the copy was taken.
    pub retrieved: Option<Date>,
    /// Kept out of `build` unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// BCP 47 tag of the document's text; default the briefing's `language`.
    pub language: Option<String>,
    /// An archived copy of the original.
    pub archive_url: Option<String>,
    /// Extension: the editor's note on the copy's provenance (Markdown).
    pub note: Option<String>,
}

impl SourceMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &[
        "title",
        "outlet",
        "published",
        "url",
        "authors",
        "kind",
        "retrieved",
        "draft",
        "language",
        "archive_url",
        "note",
    ];
}

/// How a piece of evidence bears on a claim.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// The passage supports the claim.
    Supports,
    /// The passage contradicts the claim.
    Contradicts,
    /// The passage gives context.
    Context,
}

impl Stance {
    /// All stances, in the order pages show them.
    pub const ALL: [Stance; 3] = [Stance::Supports, Stance::Contradicts, Stance::Context];

    /// The key as written in front matter.
    pub fn key(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Contradicts => "contradicts",
            Stance::Context => "context",
        }
    }

    /// Heading for a group of evidence with this stance.
    pub fn heading(self) -> &'static str {
        match self {
            Stance::Supports => "Supporting",
            Stance::Contradicts => "Contradicting",
            Stance::Context => "Context",
        }
    }
}

/// `content/claims/<id>.md`: a statement checked against sources.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMeta {
    /// The statement being checked.
    pub claim: String,
    /// A key of the rating scale.
    pub verdict: String,
    /// Who made the claim.
    pub claimant: Option<String>,
    /// Whether the claimant is a person or an organisation (ClaimReview).
    #[serde(default)]
    pub claimant_type: ClaimantType,
    /// The desk's conclusion in one sentence.
    pub summary: Option<String>,
    /// When the claim was made.
    pub claimed: Option<Date>,
    /// Source ids in which the claim appears.
    #[serde(default)]
    pub appears_in: Vec<String>,
    /// When the check was made; defaults to the briefing's `published`.
    pub reviewed: Option<Date>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Kept out of `build` unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The evidence, at least one entry.
    pub evidence: Vec<EvidenceMeta>,
    /// Corrections and updates after publication, oldest first.
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// Who made a claim, for ClaimReview's `itemReviewed.author`.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClaimantType {
    /// A person (the default).
    #[default]
    Person,
    /// An organisation.
    Organization,
}

/// A correction or update of a claim after publication.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// When it was made.
    pub date: Date,
    /// What changed (Markdown).
    pub note: String,
}

impl ClaimMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &[
        "claim",
        "verdict",
        "claimant",
        "claimant_type",
        "summary",
        "claimed",
        "appears_in",
        "reviewed",
        "tags",
        "draft",
        "evidence",
        "corrections",
    ];
}

/// One `[[evidence]]` entry of a claim.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceMeta {
    /// The cited source's id.
    pub source: String,
    /// How the passage bears on the claim.
    pub stance: Stance,
    /// A passage copied from the source.
    pub quote: Option<String>,
    /// Why the passage matters (Markdown).
    pub note: Option<String>,
}

impl EvidenceMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &["source", "stance", "quote", "note"];
}

/// `content/pages/<id>.md`: a free page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Page title.
    pub title: String,
    /// One-line summary.
    pub description: Option<String>,
    /// Navigation order (lower first).
    pub weight: Option<i64>,
    /// Kept out of `build` unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

impl PageMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &["title", "description", "weight", "draft"];
}

impl Content {
    /// Whether document `doc` is a draft left out of this build.
    pub fn is_draft(&self, doc: &DocId) -> bool {
        self.drafts.contains(doc)
    }

    /// Whether document `doc` exists but could not be read.
    pub fn is_unreadable(&self, doc: &DocId) -> bool {
        self.unreadable.contains(doc)
    }

    /// Whether document `doc` is in this build.
    pub fn contains(&self, doc: &DocId) -> bool {
        match doc {
            DocId::Index => true,
            DocId::Doc(Kind::Source, id) => self.sources.contains_key(id),
            DocId::Doc(Kind::Claim, id) => self.claims.contains_key(id),
            DocId::Doc(Kind::Page, id) => self.pages.contains_key(id),
        }
    }

    /// The ids of the documents of `kind` in this build, in order.
    pub fn ids(&self, kind: Kind) -> Box<dyn Iterator<Item = &str> + '_> {
        match kind {
            Kind::Source => Box::new(self.sources.keys().map(String::as_str)),
            Kind::Claim => Box::new(self.claims.keys().map(String::as_str)),
            Kind::Page => Box::new(self.pages.keys().map(String::as_str)),
        }
    }

    /// The whole text of document `doc` as it was read, if it is in this
    /// build (read again for a source whose body was left on disk, see
    /// [`Document::whole_text`]).
    pub fn text(&self, doc: &DocId) -> Option<Arc<str>> {
        match doc {
            DocId::Index => Some(self.index.text.clone()),
            DocId::Doc(Kind::Source, id) => self.sources.get(id)?.whole_text(),
            DocId::Doc(Kind::Claim, id) => self.claims.get(id).map(|d| d.text.clone()),
            DocId::Doc(Kind::Page, id) => self.pages.get(id).map(|d| d.text.clone()),
        }
    }

    /// The file of document `doc`, if it is in this build.
    pub fn file(&self, doc: &DocId) -> Option<&std::path::Path> {
        match doc {
            DocId::Index => Some(&self.index.file),
            DocId::Doc(Kind::Source, id) => self.sources.get(id).map(|d| d.file.as_path()),
            DocId::Doc(Kind::Claim, id) => self.claims.get(id).map(|d| d.file.as_path()),
            DocId::Doc(Kind::Page, id) => self.pages.get(id).map(|d| d.file.as_path()),
        }
    }
}

/// Documents of one kind, by id.
pub type Docs<M> = BTreeMap<String, Arc<Document<M>>>;

/// Everything `content/` holds, typed, by id.
#[derive(Debug, Clone)]
pub struct Content {
    /// `content/_index.md`.
    pub index: Arc<Document<IndexMeta>>,
    /// The sources (shared with the next build while none of them changes).
    pub sources: Arc<Docs<SourceMeta>>,
    /// The claims.
    pub claims: Arc<Docs<ClaimMeta>>,
    /// The free pages.
    pub pages: Arc<Docs<PageMeta>>,
    /// Drafts left out of this build, to explain references to them.
    pub drafts: BTreeSet<DocId>,
    /// Documents whose files could not be read (already reported), so
    /// references to them are not reported a second time.
    pub unreadable: BTreeSet<DocId>,
}
