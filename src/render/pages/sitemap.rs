//! `sitemap.xml`: every page readers may land on, with its date.

use serde::Serialize;

use super::super::{Page, PageCx};

/// One URL of the sitemap.
#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: Option<String>,
}

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let site = cx.site();
    let s = &site.settings;
    cx.meta(&s.title, None, "sitemap");
    let site_date = s.updated.or(s.published);
    let mut urls = Vec::new();
    for p in Page::all(site) {
        let lastmod = match &p {
            // The search page has no content of its own to index.
            Page::NotFound
            | Page::Feed
            | Page::TagFeed(_)
            | Page::Sitemap
            | Page::ShareImage(_)
            | Page::ClaimReviews
            | Page::Search => continue,
            Page::Claim(id) => site.claims.get(id).and_then(|c| c.reviewed),
            Page::Source(id) => site.content.sources.get(id).map(|d| d.meta.published),
            _ => site_date,
        };
        let path = p.path();
        urls.push(Url {
            loc: s.base.url(path.trim_end_matches("index.html")),
            lastmod: lastmod.map(|d| d.day().format("%Y-%m-%d").to_string()),
        });
    }
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    cx.insert("urls", &urls);
}
