//! `feed.xml` and `tags/<slug>/feed.xml`: Atom feeds of the checks (of one tag), latest first.

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
    let updated = ids
        .iter()
        .filter_map(|id| site.claims.get(id)?.reviewed)
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
