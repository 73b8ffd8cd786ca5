//! schema.org `ClaimReview` for each claim page, as JSON-LD.

use serde_json::{json, Map, Value};

use super::theme::script_safe_json;
use crate::link::Site;

/// The `ClaimReview` of claim `id`, whose page is at `path`; safe to embed in a `<script>`.
pub fn claim_review(site: &Site, id: &str, path: &str) -> String {
    let settings = &site.settings;
    let (Some(doc), Some(linked)) = (site.content.claims.get(id), site.claims.get(id)) else {
        return String::new();
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
    rating.insert("alternateName".into(), label.into());
    if let Some(r) = rating_value {
        rating.insert("ratingValue".into(), r.into());
        rating.insert("bestRating".into(), settings.scale.best.into());
        rating.insert("worstRating".into(), 1.into());
    }

    let mut item = Map::new();
    item.insert("@type".into(), "Claim".into());
    if let Some(who) = &doc.meta.claimant {
        // A claimant that is one of the outlets is an organisation; otherwise a person.
        let is_outlet = site.outlets.contains(who.as_str());
        item.insert(
            "author".into(),
            json!({ "@type": if is_outlet { "Organization" } else { "Person" }, "name": who }),
        );
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
    review.insert("@context".into(), "https://schema.org".into());
    review.insert("@type".into(), "ClaimReview".into());
    review.insert("url".into(), settings.base.url(path).into());
    review.insert("claimReviewed".into(), doc.meta.claim.clone().into());
    review.insert("author".into(), Value::Object(publisher));
    if let Some(d) = &linked.reviewed {
        review.insert("datePublished".into(), d.iso().into());
    }
    review.insert("reviewRating".into(), Value::Object(rating));
    review.insert("itemReviewed".into(), Value::Object(item));
    let json = serde_json::to_string_pretty(&Value::Object(review)).unwrap_or_default();
    script_safe_json(&json)
}
