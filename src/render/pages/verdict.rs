//! `verdicts/<key>/`: the claims of one verdict, latest check first.

use super::super::view::VerdictView;
use super::super::{List, PageCx};

pub(in crate::render) fn fill(cx: &mut PageCx, key: &str, n: usize) {
    let site = cx.site();
    let s = &site.settings;
    let Some(v) = s.scale.get(key) else {
        return;
    };
    let title = cx
        .tr()
        .format(
            "verdict_title",
            None,
            &[("verdict", v.label.clone())],
            false,
        )
        .unwrap_or_default();
    cx.meta(&title, None, "verdict");
    cx.insert("verdict", &VerdictView::of(v, s.scale.best));
    let ids = site.taxonomies.verdict(key);
    let pager = cx.paginate(&List::Verdict(key.to_owned()), n, ids.len());
    let claims = cx.claim_cards(pager.slice(ids));
    cx.insert("claims", &claims);
    let verdicts = super::terms::verdict_counts(site);
    cx.insert("verdict_counts", &verdicts);
}
