//! `sources/`: every source, latest published first, a page at a time.

use super::super::{List, PageCx};

pub(in crate::render) fn fill(cx: &mut PageCx, n: usize) {
    let title = cx.t("all_sources");
    cx.meta(&title, None, "sources");
    let t = &cx.site().taxonomies;
    let pager = cx.paginate(&List::Sources, n, t.sources.len());
    let sources = cx.source_cards(pager.slice(&t.sources));
    cx.insert("sources", &sources);
}
