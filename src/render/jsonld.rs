//! schema.org `ClaimReview` for each claim page, as JSON-LD, and every one of
//! them as a `DataFeed` (`claimreview.json`, the form fact-check aggregators read).
//!
//! Fields as Google's ClaimReview documentation lists them: `claimReviewed`,
//! `reviewRating` (`name` and `alternateName` always; numeric ratings only for
//! verdicts on the ordered scale), `url`, `author`, `datePublished`,
//! `dateModified` (the latest correction), and `itemReviewed`, a `Claim` with
//! its `author` typed by `claimant_type`, `datePublished` and appearances.

use serde_json::{json, Map, Value};

use super::theme::script_safe_json;
use crate::link::Site;
use crate::load::ClaimantType;

/// The `ClaimReview` of claim `id`, whose page is at `path`; safe to embed in a `<script>`.
pub fn claim_review(site: &Site, id: &str, path: &str) -> String {
    let Some(review) = review(site, id, path, true) else {
        return String::new();
    };
    let json = serde_json::to_string_pretty(&review).unwrap_or_default();
    script_safe_json(&json)
}

/// Every claim's `ClaimReview` as a schema.org `DataFeed`, latest check first.
pub fn data_feed(site: &Site) -> String {
    let s = &site.settings;
    let items: Vec<Value> = site
        .taxonomies
        .claims
        .iter()
        .filter_map(|id| {
            let path = super::doc_dir(crate::load::Kind::Claim, id);
            let r = review(site, id, &path, false)?;
            let mut item = Map::new();
            item.insert("@type".into(), "DataFeedItem".into());
            if let Some(d) = r.get("datePublished") {
                item.insert("dateCreated".into(), d.clone());
            }
            if let Some(d) = r.get("dateModified") {
                item.insert("dateModified".into(), d.clone());
            }
            item.insert("url".into(), s.base.url(&path).into());
            item.insert("item".into(), Value::Array(vec![r]));
            Some(Value::Object(item))
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
    let mut feed = Map::new();
    feed.insert("@context".into(), "https://schema.org".into());
    feed.insert("@type".into(), "DataFeed".into());
    feed.insert("name".into(), format!("{}: fact checks", s.title).into());
    feed.insert("url".into(), s.base.url("claimreview.json").into());
    if let Some(d) = modified {
        feed.insert("dateModified".into(), d.iso().into());
    }
    feed.insert("dataFeedElement".into(), Value::Array(items));
    let mut json = serde_json::to_string_pretty(&Value::Object(feed)).unwrap_or_default();
    json.push('\n');
    json
}

/// The `ClaimReview` of claim `id` (with `@context` when `standalone`).
fn review(site: &Site, id: &str, path: &str, standalone: bool) -> Option<Value> {
    let settings = &site.settings;
    let (Some(doc), Some(linked)) = (site.content.claims.get(id), site.claims.get(id)) else {
        return None;
    };
    let label = site
        .verdict(linked)
        .map_or(linked.verdict.as_str(), |v| v.label.as_str());
    let rating_value = site.verdict(linked).and_then(|v| v.rating);

    let mut publisher = Map::new();
    publisher.insert("@type".into(), "Organization".into());
    publisher.insert("name".into(), settings.publisher.clone().into());
    if let Some(abs) = &settings.base.absolute {
        publisher.insert("url".into(), abs.clone().into());
    }

    let mut rating = Map::new();
    rating.insert("@type".into(), "Rating".into());
    rating.insert("name".into(), label.into());
    rating.insert("alternateName".into(), label.into());
    if let Some(r) = rating_value {
        rating.insert("ratingValue".into(), r.into());
        rating.insert("bestRating".into(), settings.scale.best.into());
        rating.insert("worstRating".into(), 1.into());
    }

    let mut item = Map::new();
    item.insert("@type".into(), "Claim".into());
    if let Some(who) = &doc.meta.claimant {
        let kind = match doc.meta.claimant_type {
            ClaimantType::Person => "Person",
            ClaimantType::Organization => "Organization",
        };
        item.insert("author".into(), json!({ "@type": kind, "name": who }));
    }
    if let Some(d) = &doc.meta.claimed {
        item.insert("datePublished".into(), d.iso().into());
    }
    let appearances: Vec<Value> = linked
        .appears_in
        .iter()
        .filter_map(|s| site.content.sources.get(s))
        .map(|src| {
            let mut a = Map::new();
            a.insert("@type".into(), "CreativeWork".into());
            a.insert(
                "url".into(),
                src.meta
                    .url
                    .clone()
                    .filter(|u| crate::link::is_web_url(u))
                    .unwrap_or_else(|| {
                        settings
                            .base
                            .url(&super::doc_dir(crate::load::Kind::Source, &src.id))
                    })
                    .into(),
            );
            a.insert("headline".into(), src.meta.title.clone().into());
            a.insert("datePublished".into(), src.meta.published.iso().into());
            a.insert(
                "publisher".into(),
                json!({ "@type": "Organization", "name": src.meta.outlet }),
            );
            Value::Object(a)
        })
        .collect();
    if let Some(first) = appearances.first() {
        item.insert("firstAppearance".into(), first.clone());
        item.insert("appearance".into(), Value::Array(appearances));
    }

    let mut review = Map::new();
    if standalone {
        review.insert("@context".into(), "https://schema.org".into());
    }
    review.insert("@type".into(), "ClaimReview".into());
    review.insert("url".into(), settings.base.url(path).into());
    review.insert("claimReviewed".into(), doc.meta.claim.clone().into());
    review.insert("author".into(), Value::Object(publisher));
    if let Some(d) = &linked.reviewed {
        review.insert("datePublished".into(), d.iso().into());
    }
    if let Some(d) = doc.meta.corrections.iter().map(|c| c.date).max() {
        review.insert("dateModified".into(), d.iso().into());
    }
    review.insert("reviewRating".into(), Value::Object(rating));
    review.insert("itemReviewed".into(), Value::Object(item));
    Some(Value::Object(review))
}
