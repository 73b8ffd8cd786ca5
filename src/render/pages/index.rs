//! `index.html`: the overview, the count of checks per verdict, the latest
//! checks and sources, and the way to every list.

use super::super::PageCx;
use crate::markdown::Trust;

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let site = cx.site();
    let s = &site.settings;
    cx.meta(&s.title, s.description.as_deref(), "index");
    let overview = cx.md(site.content.index.body(), Trust::Editor, &[]);
    cx.insert("overview", &overview);
    let t = &site.taxonomies;
    let per = s.paginate_by;
    let claims = cx.claim_cards(&t.claims[..t.claims.len().min(per)]);
    let sources = cx.source_cards(&t.sources[..t.sources.len().min(per)]);
    cx.insert("claims", &claims);
    cx.insert("sources", &sources);
    cx.insert("claim_count", &t.claims.len());
    cx.insert("source_count", &t.sources.len());
    cx.insert("tag_count", &t.tags.len());
    cx.insert("outlet_count", &t.outlets.len());
    cx.insert("verdict_counts", &super::terms::verdict_counts(site));
}
