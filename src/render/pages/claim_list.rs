//! `claims/`: every claim, latest check first, a page at a time.

use super::super::{List, PageCx};

pub(in crate::render) fn fill(cx: &mut PageCx, n: usize) {
    let title = cx.t("all_claims");
    cx.meta(&title, None, "claims");
    let t = &cx.site().taxonomies;
    let pager = cx.paginate(&List::Claims, n, t.claims.len());
    let claims = cx.claim_cards(pager.slice(&t.claims));
    cx.insert("claims", &claims);
    let verdicts = super::terms::verdict_counts(cx.site());
    cx.insert("verdict_counts", &verdicts);
}
