//! `feed.xml`: an Atom feed of the checks, newest first.

use serde::Serialize;

use super::super::view::ClaimCard;
use super::super::PageCx;

/// One entry of the feed.
#[derive(Serialize)]
struct FeedEntry<'a> {
    claim: &'a ClaimCard<'a>,
    id: String,
    url: String,
    updated: String,
}

/// Atom needs a date; this one stands for "never said".
const NO_DATE: &str = "1970-01-01T00:00:00Z";

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let site = cx.site();
    let cards = cx.cards();
    let s = &site.settings;
    cx.meta(&s.title, s.description.as_deref(), "feed");
    let base = &s.base;
    let slug = crate::load::id::slug(&s.title);
    let id_of = |path: &str| match &base.absolute {
        Some(_) => base.url(path),
        None => format!(
            "urn:factbrief:{slug}:{}",
            path.trim_end_matches('/').replace('/', ":")
        )
        .trim_end_matches(':')
        .to_owned(),
    };
    let mut order: Vec<(&String, &std::sync::Arc<crate::link::LinkedClaim>)> =
        site.claims.iter().collect();
    order.sort_by(|a, b| (b.1.reviewed, a.0).cmp(&(a.1.reviewed, b.0)));
    let entries: Vec<FeedEntry> = order
        .iter()
        .map(|(id, linked)| {
            let card = cards.claim(id);
            let updated = linked.reviewed.or(s.updated).or(s.published);
            FeedEntry {
                claim: card,
                id: id_of(&card.path),
                url: base.url(&card.path),
                updated: updated.map_or_else(|| NO_DATE.into(), |d| d.rfc3339()),
            }
        })
        .collect();
    let updated = site
        .claims
        .values()
        .filter_map(|c| c.reviewed)
        .chain(s.updated)
        .chain(s.published)
        .max();
    cx.insert("feed_id", &id_of(""));
    cx.insert("feed_url", &base.url("feed.xml"));
    cx.insert("home_url", &base.url(""));
    cx.insert(
        "updated",
        &updated.map_or_else(|| NO_DATE.into(), |d| d.rfc3339()),
    );
    cx.insert("entries", &entries);
}
