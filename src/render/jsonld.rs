//! schema.org `ClaimReview` for each claim page, as JSON-LD, and every one of
//! them as a `DataFeed` (`claimreview.json`, the form fact-check aggregators read).
//!
//! Fields as Google's ClaimReview documentation lists them: `claimReviewed`,
//! `reviewRating` (`name` and `alternateName` always; numeric ratings only for
//! verdicts on the ordered scale), `url`, `author`, `datePublished`,
//! `dateModified` (the latest correction), and `itemReviewed`, a `Claim` with
//! its `author` typed by `claimant_type`, `datePublished` and appearances.

use serde::Serialize;

use super::theme::script_safe_json;
use crate::link::Site;
use crate::load::ClaimantType;

// The types below are the JSON-LD objects, each with its fields in the order
// of their names (so the output has its keys sorted, as it always had).

/// `claimreview.json`: every claim's `ClaimReview` as a schema.org `DataFeed`.
#[derive(Serialize)]
pub struct DataFeed<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dataFeedElement")]
    elements: Vec<FeedItem<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dateCreated", skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
    item: [Review<'a>; 1],
    url: String,
}

#[derive(Serialize)]
struct Review<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: ClaimItem<'a>,
    #[serde(rename = "reviewRating")]
    rating: Rating<'a>,
    url: String,
}

/// An `Organization` (or a `Person`: `kind`).
#[derive(Serialize, Clone)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best: Option<u32>,
    name: &'a str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    value: Option<u32>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst: Option<u32>,
}

#[derive(Serialize)]
struct ClaimItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    appearance: Vec<Appearance<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Organization<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<Appearance<'a>>,
}

/// A `CreativeWork` the claim appeared in.
#[derive(Serialize, Clone)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished")]
    published: String,
    headline: &'a str,
    publisher: Organization<'a>,
    url: String,
}

/// The `ClaimReview` of claim `id`, whose page is at `path`; safe to embed in a `<script>`.
pub fn claim_review(site: &Site, id: &str, path: &str) -> String {
    let Some(review) = review(site, id, path, true) else {
        return String::new();
    };
    let json = serde_json::to_string_pretty(&review).unwrap_or_default();
    script_safe_json(&json)
}

impl<'a> DataFeed<'a> {
    /// Every claim's `ClaimReview`, latest check first.
    pub fn new(site: &'a Site) -> DataFeed<'a> {
        let s = &site.settings;
        let elements = site
            .taxonomies
            .claims
            .iter()
            .filter_map(|id| {
                let path = super::doc_dir(crate::load::Kind::Claim, id);
                let r = review(site, id, &path, false)?;
                Some(FeedItem {
                    kind: "DataFeedItem",
                    created: r.published.clone(),
                    modified: r.modified.clone(),
                    item: [r],
                    url: s.base.url(&path),
                })
            })
            .collect();
        let modified = site
            .content
            .claims
            .values()
            .flat_map(|c| c.meta.corrections.iter().map(|k| k.date))
            .chain(site.claims.values().filter_map(|c| c.reviewed))
            .chain(s.updated)
            .max();
        DataFeed {
            context: "https://schema.org",
            kind: "DataFeed",
            elements,
            modified: modified.map(|d| d.iso()),
            name: format!("{}: fact checks", s.title),
            url: s.base.url("claimreview.json"),
        }
    }

    /// The feed as the file `claimreview.json` holds it.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

/// The `ClaimReview` of claim `id` (with `@context` when `standalone`).
fn review<'a>(site: &'a Site, id: &str, path: &str, standalone: bool) -> Option<Review<'a>> {
    let settings = &site.settings;
    let (Some(doc), Some(linked)) = (site.content.claims.get(id), site.claims.get(id)) else {
        return None;
    };
    let verdict = site.verdict(linked);
    let label = verdict.map_or(linked.verdict.as_str(), |v| v.label.as_str());
    let rating_value = verdict.and_then(|v| v.rating);
    let publisher = Organization {
        kind: "Organization",
        name: &settings.publisher,
        url: settings.base.absolute.as_deref(),
    };
    let rating = Rating {
        kind: "Rating",
        alternate_name: label,
        best: rating_value.map(|_| settings.scale.best),
        name: label,
        value: rating_value,
        worst: rating_value.map(|_| 1),
    };
    let appearance: Vec<Appearance> = linked
        .appears_in
        .iter()
        .filter_map(|s| site.content.sources.get(s))
        .map(|src| Appearance {
            kind: "CreativeWork",
            published: src.meta.published.iso(),
            headline: &src.meta.title,
            publisher: Organization {
                kind: "Organization",
                name: &src.meta.outlet,
                url: None,
            },
            url: src
                .meta
                .url
                .clone()
                .filter(|u| crate::link::is_web_url(u))
                .unwrap_or_else(|| {
                    settings
                        .base
                        .url(&super::doc_dir(crate::load::Kind::Source, &src.id))
                }),
        })
        .collect();
    let item = ClaimItem {
        kind: "Claim",
        first_appearance: appearance.first().cloned(),
        appearance,
        author: doc.meta.claimant.as_deref().map(|who| Organization {
            kind: match doc.meta.claimant_type {
                ClaimantType::Person => "Person",
                ClaimantType::Organization => "Organization",
            },
            name: who,
            url: None,
        }),
        published: doc.meta.claimed.as_ref().map(|d| d.iso()),
    };
    Some(Review {
        context: standalone.then_some("https://schema.org"),
        kind: "ClaimReview",
        author: publisher,
        claim_reviewed: &doc.meta.claim,
        modified: doc
            .meta
            .corrections
            .iter()
            .map(|c| c.date)
            .max()
            .map(|d| d.iso()),
        published: linked.reviewed.as_ref().map(|d| d.iso()),
        item_reviewed: item,
        rating,
        url: settings.base.url(path),
    })
}
