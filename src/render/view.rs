//! What templates see: plain data built from the linked site.
//!
//! Paths in views are relative to the site root (`claims/x/`); templates put
//! the page's `root` in front, so links work under any URL prefix.

use std::sync::OnceLock;

use serde::Serialize;

use super::doc_dir;
use super::fingerprint::Shown;
use super::i18n::Translations;
use crate::link::{LinkedClaim, LinkedSource, Site};
use crate::load::{ClaimMeta, Date, Document, Kind, SourceMeta, Stance};
use crate::slug::slug;

/// A date as templates use it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// Machine form for `datetime` attributes.
    pub iso: String,
    /// Reader form, `30 December 2021`.
    pub human: String,
}

impl From<&Date> for DateView {
    /// The date with its reader form in English.
    fn from(d: &Date) -> Self {
        DateView {
            iso: d.iso(),
            human: d.human(),
        }
    }
}

impl DateView {
    /// The date with its reader form in the language of `tr`.
    pub fn new(d: &Date, tr: &Translations) -> DateView {
        DateView {
            iso: d.iso(),
            human: tr.date(d),
        }
    }
}

/// A verdict as shown with a claim.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView<'a> {
    /// Key as written in claims.
    pub key: &'a str,
    /// Label readers see.
    pub label: &'a str,
    /// Position on the 1..best scale, if on it.
    pub rating: Option<u32>,
    /// The scale's best rating.
    pub best: u32,
    /// The shape shown with it, so that colour is never the only sign:
    /// `check`, `cross`, `half`, `warn`, `question` or `dot`.
    pub shape: &'static str,
}

impl<'a> VerdictView<'a> {
    /// The view of verdict `v` of a scale whose best rating is `best`.
    pub fn of(v: &'a crate::link::Verdict, best: u32) -> VerdictView<'a> {
        VerdictView {
            key: &v.key,
            label: &v.label,
            rating: v.rating,
            best,
            shape: VerdictView::shape_of(&v.key, v.rating, best),
        }
    }

    /// The shape of verdict `key` at `rating` on a 1..`best` scale: the default
    /// keys have their own; a custom verdict's follows its place on the scale.
    pub fn shape_of(key: &str, rating: Option<u32>, best: u32) -> &'static str {
        match key {
            "true" | "mostly-true" => "check",
            "false" | "mostly-false" => "cross",
            "mixed" => "half",
            "misleading" => "warn",
            "unproven" => "question",
            _ => match rating {
                None => "dot",
                // Top third, bottom third, between.
                Some(r) if best > 1 && 3 * (r - 1) >= 2 * (best - 1) => "check",
                Some(r) if best > 1 && 3 * (r - 1) < best => "cross",
                Some(_) => "half",
            },
        }
    }
}

/// How many distinct sources (or citing claims) bear each stance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Supporting.
    pub supports: usize,
    /// Contradicting.
    pub contradicts: usize,
    /// Context.
    pub context: usize,
}

impl Counts {
    fn add(&mut self, stance: Stance) {
        match stance {
            Stance::Supports => self.supports += 1,
            Stance::Contradicts => self.contradicts += 1,
            Stance::Context => self.context += 1,
        }
    }
}

/// A claim as listed anywhere.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimCard<'a> {
    /// Id.
    pub id: &'a str,
    /// `claims/<id>/`.
    pub path: String,
    /// The statement.
    pub claim: &'a str,
    /// Its verdict.
    pub verdict: VerdictView<'a>,
    /// Who made it.
    pub claimant: Option<&'a str>,
    /// The desk's conclusion in one sentence.
    pub summary: Option<&'a str>,
    /// When it was made.
    pub claimed: Option<DateView>,
    /// When it was checked.
    pub reviewed: Option<DateView>,
    /// Tags.
    pub tags: &'a [String],
    /// Tags with their pages (`tags/<slug>/`).
    pub tag_links: Vec<TermLink<'a>>,
    /// `verdicts/<key>/`.
    pub verdict_path: String,
    /// Sources per stance.
    pub counts: Counts,
}

/// A source as listed anywhere.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCard<'a> {
    /// Id.
    pub id: &'a str,
    /// `sources/<id>/`.
    pub path: String,
    /// Headline.
    pub title: &'a str,
    /// Publisher.
    pub outlet: &'a str,
    /// `outlets/<slug>/`.
    pub outlet_path: String,
    /// Publication date.
    pub published: DateView,
    /// Kind key (`news`, ...).
    pub kind: &'static str,
    /// Kind as readers see it.
    pub kind_label: String,
    /// The language of its text, when it differs from the briefing's.
    pub lang: Option<&'a str>,
    /// The direction of its text (`ltr`, `rtl`), when it differs from the briefing's.
    pub dir: Option<&'static str>,
    /// The original's URL.
    pub url: Option<&'a str>,
    /// An archived copy of the original.
    pub archive_url: Option<&'a str>,
    /// Authors.
    pub authors: &'a [String],
    /// Citing claims per stance (a claim citing it with two stances counts under both).
    pub counts: Counts,
    /// How many distinct claims cite it.
    pub cited_by: usize,
}

/// Cards for every claim and source, each made the first time a page needs it
/// (a rebuild of a few pages makes only the cards those pages show); and of
/// those, the value only where a page shows it, not where a fingerprint
/// needs only the card's, when that is known ([`KnownCards`]).
pub struct Cards<'a> {
    site: &'a Site,
    tr: &'a Translations,
    known: &'a KnownCards<'a>,
    /// Claim ids in order, and a slot for each one's card.
    claim_ids: Vec<&'a str>,
    // Boxed: few cards are made for a rebuild of a few pages, and empty slots stay small.
    claims: Vec<OnceLock<Box<ShownClaim<'a>>>>,
    source_ids: Vec<&'a str>,
    sources: Vec<OnceLock<Box<ShownSource<'a>>>>,
}

/// A claim's card, made when first needed.
pub type ShownClaim<'a> = Shown<ClaimCard<'a>, CardOf<'a, Document<ClaimMeta>, LinkedClaim>>;

/// A source's card, made when first needed.
pub type ShownSource<'a> = Shown<SourceCard<'a>, CardOf<'a, Document<SourceMeta>, LinkedSource>>;

/// What a card is made of: its document, what linking found of it, the
/// site and the theme's words.
pub struct CardOf<'a, D, L> {
    site: &'a Site,
    tr: &'a Translations,
    doc: &'a D,
    linked: &'a L,
}

impl<D, L> Clone for CardOf<'_, D, L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D, L> Copy for CardOf<'_, D, L> {}

/// The fingerprint of the card of a document (its kind and id), if known
/// before it is made (see [`Shown`]): one a build into the output folder
/// kept for a document whose page's input fingerprint is the same now
/// ([`super::reuse`]). A card shows only its document and what linking found
/// of the documents its page depends on, in the theme's words: all in its
/// page's input fingerprint.
pub type KnownCards<'k> = dyn Fn(Kind, &str) -> Option<u128> + Sync + 'k;

/// No card known.
pub fn no_cards(_: Kind, _: &str) -> Option<u128> {
    None
}

impl<'a> Cards<'a> {
    /// The cards of `site`, with the fingerprints `known`.
    pub fn new(site: &'a Site, tr: &'a Translations, known: &'a KnownCards<'a>) -> Cards<'a> {
        let claim_ids: Vec<&str> = site.claims.keys().map(String::as_str).collect();
        let source_ids: Vec<&str> = site.sources.keys().map(String::as_str).collect();
        Cards {
            site,
            tr,
            known,
            claims: claim_ids.iter().map(|_| OnceLock::new()).collect(),
            sources: source_ids.iter().map(|_| OnceLock::new()).collect(),
            claim_ids,
            source_ids,
        }
    }

    /// Every claim's card, in the site's order.
    pub fn all_claims(&self) -> Vec<&ShownClaim<'a>> {
        self.site.claims.keys().map(|id| self.claim(id)).collect()
    }

    /// The fingerprints of the cards not known before whose fingerprints
    /// were made since, by kind and id.
    pub fn made_prints(&self) -> Vec<(Kind, String, u128)> {
        let claims = (self.claim_ids.iter().zip(&self.claims))
            .filter_map(|(id, slot)| Some((Kind::Claim, id, slot.get()?.made_print()?)));
        let sources = (self.source_ids.iter().zip(&self.sources))
            .filter_map(|(id, slot)| Some((Kind::Source, id, slot.get()?.made_print()?)));
        (claims.chain(sources))
            .map(|(kind, id, print)| (kind, (*id).to_owned(), print))
            .collect()
    }

    /// The card of claim `id`, a claim of the site.
    pub fn claim(&self, id: &str) -> &ShownClaim<'a> {
        let slot = self
            .claim_ids
            .binary_search(&id)
            .ok()
            .and_then(|i| self.claims.get(i));
        // Made before (most calls): no need to look the documents up.
        if let Some(card) = slot.and_then(OnceLock::get) {
            return card;
        }
        let (Some(slot), Some(doc), Some(linked)) = (
            slot,
            self.site.content.claims.get(id),
            self.site.claims.get(id),
        ) else {
            panic!("no claim `{id}` in the linked site");
        };
        let args = CardOf {
            site: self.site,
            tr: self.tr,
            doc: &**doc,
            linked: &**linked,
        };
        let print = (self.known)(Kind::Claim, id);
        slot.get_or_init(|| Box::new(Shown::lazy(args, claim_card, print)))
    }

    /// The card of source `id`, a source of the site.
    pub fn source(&self, id: &str) -> &ShownSource<'a> {
        let slot = self
            .source_ids
            .binary_search(&id)
            .ok()
            .and_then(|i| self.sources.get(i));
        // Made before (most calls): no need to look the documents up.
        if let Some(card) = slot.and_then(OnceLock::get) {
            return card;
        }
        let (Some(slot), Some(doc), Some(linked)) = (
            slot,
            self.site.content.sources.get(id),
            self.site.sources.get(id),
        ) else {
            panic!("no source `{id}` in the linked site");
        };
        let args = CardOf {
            site: self.site,
            tr: self.tr,
            doc: &**doc,
            linked,
        };
        let print = (self.known)(Kind::Source, id);
        slot.get_or_init(|| Box::new(Shown::lazy(args, source_card, print)))
    }
}

/// The card of a claim.
fn claim_card<'a>(of: CardOf<'a, Document<ClaimMeta>, LinkedClaim>) -> ClaimCard<'a> {
    let CardOf {
        site,
        tr,
        doc,
        linked,
    } = of;
    let mut counts = Counts::default();
    let mut seen = std::collections::BTreeSet::new();
    for e in &linked.evidence {
        if seen.insert((e.stance, &e.source)) {
            counts.add(e.stance);
        }
    }
    let (key, label, rating) = match site.verdict(linked) {
        Some(v) => (v.key.as_str(), v.label.as_str(), v.rating),
        None => (linked.verdict.as_str(), linked.verdict.as_str(), None),
    };
    ClaimCard {
        id: &doc.id,
        path: doc_dir(Kind::Claim, &doc.id),
        claim: &doc.meta.claim,
        verdict: VerdictView {
            key,
            label,
            rating,
            best: site.settings.scale.best,
            shape: VerdictView::shape_of(key, rating, site.settings.scale.best),
        },
        claimant: doc.meta.claimant.as_deref(),
        summary: doc.meta.summary.as_deref(),
        claimed: doc.meta.claimed.as_ref().map(|d| DateView::new(d, tr)),
        reviewed: linked.reviewed.as_ref().map(|d| DateView::new(d, tr)),
        tags: &doc.meta.tags,
        tag_links: doc
            .meta
            .tags
            .iter()
            .map(|t| TermLink {
                name: t,
                path: format!("tags/{}/", slug(t)),
            })
            .collect(),
        verdict_path: format!("verdicts/{key}/"),
        counts,
    }
}

/// The card of a source.
fn source_card<'a>(of: CardOf<'a, Document<SourceMeta>, LinkedSource>) -> SourceCard<'a> {
    let CardOf {
        site,
        tr,
        doc,
        linked,
    } = of;
    let mut counts = Counts::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut claims = std::collections::BTreeSet::new();
    for c in &linked.citations {
        let Some(e) = site.claims.get(&c.claim).and_then(|l| l.entry(c.n)) else {
            continue;
        };
        claims.insert(&c.claim);
        if seen.insert((e.stance, &c.claim)) {
            counts.add(e.stance);
        }
    }
    SourceCard {
        id: &doc.id,
        path: doc_dir(Kind::Source, &doc.id),
        title: &doc.meta.title,
        outlet: &doc.meta.outlet,
        outlet_path: format!("outlets/{}/", slug(&doc.meta.outlet)),
        published: DateView::new(&doc.meta.published, tr),
        kind: kind_key(doc.meta.kind),
        kind_label: tr.t(&format!("{}_kind", kind_key(doc.meta.kind))),
        lang: doc
            .meta
            .language
            .as_deref()
            .filter(|l| !same_language(l, &site.settings.language)),
        dir: doc
            .meta
            .language
            .as_deref()
            .map(super::i18n::direction)
            .filter(|d| *d != super::i18n::direction(&site.settings.language)),
        url: doc
            .meta
            .url
            .as_deref()
            .filter(|u| crate::link::is_web_url(u)),
        archive_url: doc
            .meta
            .archive_url
            .as_deref()
            .filter(|u| crate::link::is_web_url(u)),
        authors: &doc.meta.authors,
        counts,
        cited_by: claims.len(),
    }
}

/// Whether two language tags name the same language (case aside).
fn same_language(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub(super) fn kind_key(kind: crate::load::SourceKind) -> &'static str {
    use crate::load::SourceKind::*;
    match kind {
        News => "news",
        Statement => "statement",
        Transcript => "transcript",
        Opinion => "opinion",
        Report => "report",
        Other => "other",
    }
}

/// One evidence entry on a claim page.
#[derive(Debug, Serialize)]
pub struct EvidenceView<'a> {
    /// 1-based position in the claim file.
    pub n: usize,
    /// The cited source.
    pub source: &'a ShownSource<'a>,
    /// The quoted words, as the editor copied them.
    pub quote: Option<&'a str>,
    /// `sources/<id>/#q-...` (or the source page when there is no quote).
    pub href: String,
    /// The passage's anchor name.
    pub anchor: Option<&'a str>,
    /// How many times the quote occurs in the source.
    pub occurrences: usize,
    /// The editor's note, as HTML.
    pub note: Option<String>,
    /// The passage in the original article (a Text Fragment link), when the source has a `url`.
    pub original: Option<String>,
    /// The passage in the archived copy, when the source has an `archive_url`.
    pub archived: Option<String>,
}

/// A correction or update of a claim, as shown.
#[derive(Debug, Serialize)]
pub struct CorrectionView {
    /// When it was made.
    pub date: DateView,
    /// What changed, as HTML.
    pub note: String,
}

/// Items under one stance heading.
#[derive(Debug, Serialize)]
pub struct StanceGroup<T> {
    /// `supports`, `contradicts` or `context`.
    pub stance: &'static str,
    /// Heading readers see.
    pub heading: &'static str,
    /// The items.
    pub items: Vec<T>,
}

/// A row of the claims-against-sources matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow<'a> {
    /// The claim.
    pub claim: &'a ShownClaim<'a>,
    /// Cells: in grid layout one per column, in list layout one per cited source.
    pub cells: Vec<MatrixCell<'a>>,
}

/// A cell of the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixCell<'a> {
    /// The source of this cell.
    pub source: &'a ShownSource<'a>,
    /// Stances of the claim's evidence from this source (none: not cited).
    pub stances: Vec<&'static str>,
    /// Where to go: the first passage cited, or the source page.
    pub href: String,
}

/// One day of the timeline.
#[derive(Debug, Serialize)]
pub struct TimelineDay<'a> {
    /// The day; none for the claims with no date.
    pub date: Option<DateView>,
    /// Sources published and claims made (or checked) that day.
    pub items: Vec<TimelineItem<'a>>,
}

/// A source or a claim on the timeline.
#[derive(Debug, Serialize)]
pub struct TimelineItem<'a> {
    /// `source` or `claim`.
    pub kind: &'static str,
    /// For a source.
    pub source: Option<&'a ShownSource<'a>>,
    /// For a claim.
    pub claim: Option<&'a ShownClaim<'a>>,
    /// For a claim: whether the date is when it was made (`claimed`) or checked (`reviewed`).
    pub date_is: &'static str,
}

/// A tag, outlet or verdict with the path of its page.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink<'a> {
    /// As readers see it.
    pub name: &'a str,
    /// `tags/<slug>/`.
    pub path: String,
}

/// A tag, outlet or verdict on the index of its kind.
#[derive(Debug, Serialize)]
pub struct TermCount<'a> {
    /// As readers see it.
    pub name: &'a str,
    /// Its page (`tags/<slug>/`).
    pub path: String,
    /// How many claims (tags, verdicts) or sources (outlets) it has.
    pub count: usize,
    /// The verdict's key, for verdicts (for its style).
    pub key: Option<&'a str>,
    /// The verdict's shape, for verdicts (see [`VerdictView::shape`]).
    pub shape: Option<&'static str>,
}

/// The page navigation of a paginated list. Paths are relative to the site root.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// How many items the list has.
    pub items: usize,
    /// The first and last item's position on this page, from 1 (0 and 0 when empty).
    pub first_item: usize,
    /// See `first_item`.
    pub last_item: usize,
    /// The previous page.
    pub prev: Option<String>,
    /// The next page.
    pub next: Option<String>,
    /// Numbered links: the first, the last, and two around the current page;
    /// a link with no number stands for pages left out.
    pub links: Vec<PagerLink>,
}

/// A numbered link of a [`Pager`].
#[derive(Debug, Serialize)]
pub struct PagerLink {
    /// The page's number; none for a gap.
    pub n: Option<usize>,
    /// Its path.
    pub path: String,
    /// Whether it is the page shown.
    pub current: bool,
}

impl Pager {
    /// The pager of page `current` of a list of `items` items at `per` a page,
    /// whose page `n` is at `dir(n)`.
    pub fn new(current: usize, items: usize, per: usize, dir: impl Fn(usize) -> String) -> Pager {
        let total = items.div_ceil(per).max(1);
        let current = current.clamp(1, total);
        let mut links = Vec::new();
        let mut last = 0;
        for n in 1..=total {
            let near = n == 1 || n == total || n.abs_diff(current) <= 2;
            if !near {
                continue;
            }
            if n > last + 1 {
                links.push(PagerLink {
                    n: None,
                    path: String::new(),
                    current: false,
                });
            }
            links.push(PagerLink {
                n: Some(n),
                path: dir(n),
                current: n == current,
            });
            last = n;
        }
        let (first_item, last_item) = if items == 0 {
            (0, 0)
        } else {
            ((current - 1) * per + 1, (current * per).min(items))
        };
        Pager {
            current,
            total,
            items,
            first_item,
            last_item,
            prev: (current > 1).then(|| dir(current - 1)),
            next: (current < total).then(|| dir(current + 1)),
            links,
        }
    }

    /// The items of this page out of all of them.
    pub fn slice<'s, T>(&self, all: &'s [T]) -> &'s [T] {
        if self.items == 0 {
            return &[];
        }
        all.get(self.first_item - 1..self.last_item).unwrap_or(&[])
    }
}

/// A navigation entry.
#[derive(Debug, Serialize)]
pub struct NavItem<'a> {
    /// Title.
    pub title: &'a str,
    /// `pages/<id>/`.
    pub path: String,
}

/// The site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Briefing title.
    pub title: &'a str,
    /// One-line summary.
    pub description: Option<&'a str>,
    /// Publisher.
    pub publisher: &'a str,
    /// Language tag.
    pub language: &'a str,
    /// Text direction of the language: `ltr` or `rtl`.
    pub dir: &'static str,
    /// Path prefix (`/`, `/briefing/`).
    pub base_path: &'a str,
    /// Absolute root URL, if known.
    pub base_url: Option<&'a str>,
    /// Free pages by weight.
    pub nav: Vec<NavItem<'a>>,
    /// The rating scale.
    pub verdicts: Vec<VerdictView<'a>>,
    /// When published.
    pub published: Option<DateView>,
    /// When updated.
    pub updated: Option<DateView>,
    /// `factbrief <version>`.
    pub generator: String,
    /// How readers reach the desk: `text` and `href`.
    pub contact: Option<ContactView<'a>>,
    /// Whether some claim has corrections (the corrections page lists them).
    pub has_corrections: bool,
    /// Every text of the theme's words in the briefing's language, by key, as
    /// its table writes it (placeholders not filled): for a word without
    /// placeholders, `{{ site.words.nav_claims }}` is
    /// `{{ trans(key="nav_claims") }}`, looked up rather than called.
    pub words: &'a std::collections::BTreeMap<String, String>,
}

/// How readers reach the desk.
#[derive(Debug, Serialize)]
pub struct ContactView<'a> {
    /// As shown.
    pub text: &'a str,
    /// As linked (`mailto:` or a web address).
    pub href: &'a str,
}

/// Stance groups in reading order, leaving out empty ones.
pub fn group_by_stance<T>(items: Vec<(Stance, T)>) -> Vec<StanceGroup<T>> {
    let mut groups: Vec<StanceGroup<T>> = Stance::ALL
        .iter()
        .map(|s| StanceGroup {
            stance: s.key(),
            heading: s.heading(),
            items: Vec::new(),
        })
        .collect();
    for (stance, item) in items {
        let i = Stance::ALL.iter().position(|s| *s == stance).unwrap_or(0);
        groups[i].items.push(item);
    }
    groups.retain(|g| !g.items.is_empty());
    groups
}
