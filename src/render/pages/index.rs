//! `index.html`: the overview, every claim and every source.

use super::super::PageCx;
use crate::markdown::Trust;

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let site = cx.site();
    let s = &site.settings;
    cx.meta(&s.title, s.description.as_deref(), "index");
    let overview = cx.md(site.content.index.body(), Trust::Editor, &[]);
    cx.insert("overview", &overview);
    cx.insert("claims", &cx.cards().all_claims());
    cx.insert("sources", &cx.r.sources_by_date());
}
