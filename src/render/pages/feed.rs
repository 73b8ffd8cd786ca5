//! `feed.xml` and `tags/<slug>/feed.xml`: Atom feeds of the checks (of one tag), latest first.

use serde::Serialize;

use super::super::view::ShownClaim;
use super::super::{doc_dir, PageCx};
use crate::load::Kind;

/// One entry of the feed.
#[derive(Serialize)]
struct FeedEntry<'a> {
    claim: &'a ShownClaim<'a>,
    id: String,
    url: String,
    /// When first published (the check's date).
    published: Option<String>,
    /// When last changed: the latest correction, else the check.
    updated: String,
    /// Corrections, oldest first: date and note (Markdown source, as text).
    corrections: Vec<(String, &'a str)>,
}

/// Atom needs a date; this one stands for "never said".
const NO_DATE: &str = "1970-01-01T00:00:00Z";

/// The feed of every check, or of the checks tagged `tag` (a slug of the site).
pub(in crate::render) fn fill(cx: &mut PageCx, tag: Option<&str>) {
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
    let t = &site.taxonomies;
    let (ids, dir, title) = match tag.and_then(|slug| Some((slug, t.tags.get(slug)?))) {
        Some((slug, term)) => (
            &term.items,
            format!("tags/{slug}/"),
            format!("{}: {}", s.title, term.name),
        ),
        None => (&t.claims, String::new(), s.title.clone()),
    };
    let entries: Vec<FeedEntry> = ids
        .iter()
        .filter_map(|id| Some((id, site.claims.get(id)?)))
        .map(|(id, linked)| {
            // (The card's path, without making the card.)
            let path = doc_dir(Kind::Claim, id);
            let doc = &site.content.claims[id.as_str()];
            let corrected = doc.meta.corrections.iter().map(|c| c.date).max();
            let published = linked.reviewed.or(s.updated).or(s.published);
            let updated = corrected.max(published);
            FeedEntry {
                claim: cards.claim(id),
                id: id_of(&path),
                url: base.url(&path),
                published: corrected.and(published).map(|d| d.rfc3339()),
                updated: updated.map_or_else(|| NO_DATE.into(), |d| d.rfc3339()),
                corrections: doc
                    .meta
                    .corrections
                    .iter()
                    .map(|c| (cx.tr().date(&c.date), c.note.as_str()))
                    .collect(),
            }
        })
        .collect();
    let updated = ids
        .iter()
        .filter_map(|id| site.claims.get(id)?.reviewed)
        .chain(ids.iter().flat_map(|id| {
            site.content
                .claims
                .get(id)
                .into_iter()
                .flat_map(|d| d.meta.corrections.iter().map(|c| c.date))
        }))
        .chain(s.updated)
        .chain(s.published)
        .max();
    cx.insert("feed_title", &title);
    cx.insert("feed_id", &id_of(&dir));
    cx.insert("feed_url", &base.url(&format!("{dir}feed.xml")));
    cx.insert("home_url", &base.url(&dir));
    cx.insert(
        "updated",
        &updated.map_or_else(|| NO_DATE.into(), |d| d.rfc3339()),
    );
    cx.insert("entries", &entries);
}
