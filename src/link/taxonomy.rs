//! Taxonomies: the claims of each tag and verdict, the sources of each outlet,
//! and the order every list shows them in.
//!
//! Terms are known by slug (`crate::slug`): two tags that slug the same are one
//! tag, shown under the spelling most claims use. Made again on every link (it
//! is one pass over the documents), but for what comes of the sources alone
//! ([`SourceTerms`]), kept while they are the same.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{in_text, LinkedClaim, Settings};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{Content, Date, Docs, Document, SourceMeta};
use crate::slug::slug;

/// The lists of a site, each in the order readers see it.
#[derive(Debug, Default)]
pub struct Taxonomies {
    /// Every claim, latest check first (then latest claimed, then id).
    pub claims: Vec<String>,
    /// Every source, latest published first (then id).
    pub sources: Arc<Vec<String>>,
    /// Tags by slug.
    pub tags: BTreeMap<String, Term>,
    /// Outlets by slug; their `items` are source ids.
    pub outlets: Arc<BTreeMap<String, Term>>,
    /// The claims of each verdict of the scale, in the scale's order (verdicts
    /// no claim has included, with no claims).
    pub verdicts: Vec<(String, Vec<String>)>,
    /// Sources by publication, claims by when they were made (or checked), oldest
    /// first; claims with no date at the end.
    pub timeline: Vec<Dated>,
    /// Each claim's position in `claims`.
    rank: HashMap<String, usize>,
}

/// A source or claim on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dated {
    /// When it was published, made or checked.
    pub date: Option<Date>,
    /// A claim rather than a source.
    pub is_claim: bool,
    /// Its id.
    pub id: String,
    /// What the date is: `published`, `claimed`, `reviewed` or `unknown`.
    pub date_is: &'static str,
}

/// One tag or outlet.
#[derive(Debug, Default)]
pub struct Term {
    /// As readers see it: the spelling most of its documents use (the first
    /// in list order on a tie).
    pub name: String,
    /// Its claims (tags) or sources (outlets), in list order.
    pub items: Vec<String>,
}

/// A slug that is part of a list's own paths: `tags/page/` holds the pages of the tag list.
const RESERVED: &str = "page";

/// What the taxonomies take from the sources alone: kept by linking while
/// the sources are the same (after a claim edit in `serve`), since at 10,000
/// sources it is most of the work (sorting them, slugging every outlet).
#[derive(Debug)]
pub struct SourceTerms {
    /// The sources it was made from.
    of: Arc<Docs<SourceMeta>>,
    /// Every source, latest published first (then id).
    sources: Arc<Vec<String>>,
    /// Outlets by slug.
    outlets: Arc<BTreeMap<String, Term>>,
    /// The sources on the timeline, in its order.
    timeline: Vec<Dated>,
    /// Outlets that make no usable slug.
    diags: Vec<Diagnostic>,
}

/// The error of a term of field `key` of `doc` that [`Terms::add`] refused
/// (its message and help), located at the field, with the document's text.
fn bad_term<M>(doc: &Document<M>, key: &str, (message, help): (String, String)) -> Vec<Diagnostic> {
    let d = Diagnostic::error(Code::BadValue, &doc.file, message)
        .at_line(doc.spans.key_or_start(key))
        .with_help(help);
    in_text(vec![d], &doc.text)
}

impl SourceTerms {
    /// The terms of the sources of `content`.
    pub fn new(content: &Content) -> SourceTerms {
        let mut diags = Vec::new();
        let mut ids: Vec<&String> = content.sources.keys().collect();
        ids.sort_by_cached_key(|id| (Reverse(content.sources[*id].meta.published), *id));
        let mut outlets = Terms::default();
        for id in &ids {
            let doc = &content.sources[*id];
            if let Err(d) = outlets.add(&doc.meta.outlet, id, "outlet") {
                diags.extend(bad_term(doc, "outlet", d));
            }
        }
        let mut timeline: Vec<Dated> = (content.sources.iter())
            .map(|(id, s)| Dated {
                date: Some(s.meta.published),
                is_claim: false,
                id: id.clone(),
                date_is: "published",
            })
            .collect();
        timeline.sort_unstable_by(timeline_order);
        SourceTerms {
            of: content.sources.clone(),
            sources: Arc::new(ids.into_iter().cloned().collect()),
            outlets: Arc::new(outlets.finish()),
            timeline,
            diags,
        }
    }

    /// These terms if they are those of the sources of `content`: made from
    /// the same sources, or from sources with the same ids, outlets and dates
    /// (an edit of a source's text), with no error (whose line may have moved).
    pub fn if_of(mut self, content: &Content) -> Option<SourceTerms> {
        if Arc::ptr_eq(&self.of, &content.sources) {
            return Some(self);
        }
        let same = self.diags.is_empty()
            && self.of.len() == content.sources.len()
            && (self.of.iter().zip(content.sources.iter())).all(|((was_id, was), (id, d))| {
                was_id == id
                    && was.meta.outlet == d.meta.outlet
                    && was.meta.published.same_as(&d.meta.published)
            });
        same.then(|| {
            self.of = content.sources.clone();
            self
        })
    }
}

/// The timeline's order: by day, then time, sources before claims, then id;
/// undated last.
fn timeline_order(a: &Dated, b: &Dated) -> std::cmp::Ordering {
    let key = |d: &Dated| {
        (
            d.date.is_none(),
            d.date.map(|d| d.day()),
            d.date,
            d.is_claim,
        )
    };
    key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
}

impl Taxonomies {
    /// The taxonomies of `content`, and the errors of tags and outlets that make
    /// no usable slug; `sources` are the terms of its sources ([`SourceTerms::new`]).
    pub fn new(
        content: &Content,
        claims: &BTreeMap<String, Arc<LinkedClaim>>,
        settings: &Settings,
        sources: &SourceTerms,
    ) -> (Taxonomies, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        // Each claim with what linking made of it, looked up once.
        let mut linked: Vec<(&String, Option<&LinkedClaim>)> = (content.claims.keys())
            .map(|id| (id, claims.get(id).map(|c| &**c)))
            .collect();
        linked.sort_by_cached_key(|(id, l)| {
            let reviewed = l.and_then(|c| c.reviewed);
            let claimed = content.claims[*id].meta.claimed;
            (Reverse(reviewed), Reverse(claimed), *id)
        });

        let mut tags = Terms::default();
        for (id, _) in &linked {
            let doc = &content.claims[*id];
            for tag in &doc.meta.tags {
                if let Err(d) = tags.add(tag, id, "tag") {
                    diags.extend(bad_term(doc, "tags", d));
                }
            }
        }
        diags.extend(sources.diags.iter().cloned());
        // The claims of each verdict, in one pass over the claims.
        let mut verdicts: Vec<(String, Vec<String>)> = (settings.scale.verdicts.iter())
            .map(|v| (v.key.clone(), Vec::new()))
            .collect();
        for (id, l) in &linked {
            if let Some(slot) = l.and_then(|c| verdicts.iter_mut().find(|(k, _)| *k == c.verdict)) {
                slot.1.push((*id).clone());
            }
        }
        // The claims on the timeline, merged into the sources' (both in its order).
        let mut dated: Vec<Dated> = (linked.iter())
            .map(|(id, l)| {
                let reviewed = l.and_then(|c| c.reviewed);
                let (date, date_is) = match (content.claims[*id].meta.claimed, reviewed) {
                    (Some(d), _) => (Some(d), "claimed"),
                    (None, Some(d)) => (Some(d), "reviewed"),
                    (None, None) => (None, "unknown"),
                };
                Dated {
                    date,
                    is_claim: true,
                    id: (*id).clone(),
                    date_is,
                }
            })
            .collect();
        dated.sort_unstable_by(timeline_order);
        let mut timeline = Vec::with_capacity(dated.len() + sources.timeline.len());
        let mut from_sources = sources.timeline.iter().peekable();
        for d in dated {
            while let Some(s) = from_sources.next_if(|s| timeline_order(s, &d).is_lt()) {
                timeline.push(s.clone());
            }
            timeline.push(d);
        }
        timeline.extend(from_sources.cloned());
        let rank = (linked.iter())
            .enumerate()
            .map(|(i, (id, _))| ((*id).clone(), i))
            .collect();
        let taxonomies = Taxonomies {
            rank,
            timeline,
            claims: linked.into_iter().map(|(id, _)| id.clone()).collect(),
            sources: sources.sources.clone(),
            tags: tags.finish(),
            outlets: sources.outlets.clone(),
            verdicts,
        };
        (taxonomies, diags)
    }

    /// Claim ids in list order (unknown ids last), each once.
    pub fn in_claim_order<'s>(&self, ids: impl IntoIterator<Item = &'s str>) -> Vec<&'s str> {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        // (Each id's rank looked up once, not at each comparison.)
        ids.sort_by_cached_key(|id| (self.rank.get(*id).copied().unwrap_or(usize::MAX), *id));
        ids.dedup();
        ids
    }

    /// The claims of verdict `key`.
    pub fn verdict(&self, key: &str) -> &[String] {
        self.verdicts
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, c)| c.as_slice())
    }
}

/// The spellings of one term and how often each is used, in the order first seen.
type Spellings = Vec<(String, usize)>;

/// Terms being collected: for each slug, its spellings and its items.
#[derive(Default)]
struct Terms {
    by_slug: BTreeMap<String, (Spellings, Vec<String>)>,
    slugs: HashMap<String, String>,
}

impl Terms {
    /// Add `item` under `name`; the error is a message and a help.
    fn add(&mut self, name: &str, item: &str, what: &str) -> Result<(), (String, String)> {
        let s = match self.slugs.get(name) {
            Some(s) => s.clone(),
            None => {
                let s = slug(name);
                self.slugs.insert(name.to_owned(), s.clone());
                s
            }
        };
        if s.is_empty() {
            return Err((
                format!("the {what} `{name}` has no letter or digit to name its page by"),
                format!("write the {what} with at least one letter or digit"),
            ));
        }
        if s == RESERVED {
            return Err((
                format!("the {what} `{name}` would take the folder `{what}s/{RESERVED}/`, where the pages of the {what} list go"),
                format!("name the {what} otherwise, e.g. `{name} (1)`"),
            ));
        }
        let (names, items) = self.by_slug.entry(s).or_default();
        match names.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => names.push((name.to_owned(), 1)),
        }
        if items.last().is_none_or(|last| last != item) {
            items.push(item.to_owned());
        }
        Ok(())
    }

    fn finish(self) -> BTreeMap<String, Term> {
        self.by_slug
            .into_iter()
            .map(|(slug, (names, items))| {
                // Most used; on a tie, the first seen (max_by_key keeps the last maximum).
                let name = names
                    .iter()
                    .rev()
                    .max_by_key(|(_, count)| *count)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                (slug, Term { name, items })
            })
            .collect()
    }
}
