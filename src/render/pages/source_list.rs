//! `sources/index.html`: every source by date.

use super::super::PageCx;

pub(in crate::render) fn fill(cx: &mut PageCx) {
    cx.meta("All sources", None, "sources");
    cx.insert("sources", &cx.r.sources_by_date());
}
