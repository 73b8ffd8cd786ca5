//! The typed documents of a briefing, as read from `content/`.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::date::Date;

/// A file of `content/`, its id, its front matter `M` and its Markdown body.
#[derive(Debug, Clone)]
pub struct Document<M> {
    /// The id: the path below the kind's folder without `.md`.
    pub id: String,
    /// The file, relative to the site root (`content/claims/x.md`).
    pub file: PathBuf,
    /// The front matter's fields.
    pub meta: M,
    /// The front matter's text, kept to locate fields in messages.
    pub front_matter: String,
    /// 1-based line of the file where the front matter text starts.
    pub front_matter_line: usize,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
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
    /// How readers see the kind.
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
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMeta {
    /// The statement being checked.
    pub claim: String,
    /// A key of the rating scale.
    pub verdict: String,
    /// Who made the claim.
    pub claimant: Option<String>,
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
}

impl ClaimMeta {
    /// Field names, for "did you mean".
    pub const FIELDS: &'static [&'static str] = &[
        "claim",
        "verdict",
        "claimant",
        "claimed",
        "appears_in",
        "reviewed",
        "tags",
        "draft",
        "evidence",
    ];
}

/// One `[[evidence]]` entry of a claim.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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
    /// Whether document `id` of `kind` is a draft left out of this build.
    pub fn is_draft(&self, kind: &str, id: &str) -> bool {
        self.drafts.iter().any(|(k, i)| *k == kind && i == id)
    }

    /// Whether document `id` of `kind` exists but could not be read.
    pub fn is_unreadable(&self, kind: &str, id: &str) -> bool {
        self.unreadable.iter().any(|(k, i)| *k == kind && i == id)
    }
}

/// Everything `content/` holds, typed and sorted by id.
#[derive(Debug, Clone)]
pub struct Content {
    /// `content/_index.md`.
    pub index: Arc<Document<IndexMeta>>,
    /// The sources, by id.
    pub sources: Vec<Arc<Document<SourceMeta>>>,
    /// The claims, by id.
    pub claims: Vec<Arc<Document<ClaimMeta>>>,
    /// The free pages, by id.
    pub pages: Vec<Arc<Document<PageMeta>>>,
    /// Drafts left out of this build, as (`source`/`claim`/`page`, id), to explain references to them.
    pub drafts: Vec<(&'static str, String)>,
    /// Documents whose files could not be read (already reported), as
    /// (`source`/`claim`/`page`, id), so references to them are not reported a second time.
    pub unreadable: Vec<(&'static str, String)>,
}
