//! `claims/index.html`: every claim, grouped by verdict in the scale's order.

use serde::Serialize;

use super::super::view::ClaimCard;
use super::super::PageCx;

/// The claims with one verdict.
#[derive(Serialize)]
struct VerdictGroup<'a> {
    key: &'a str,
    label: &'a str,
    claims: Vec<&'a ClaimCard<'a>>,
}

pub(in crate::render) fn fill(cx: &mut PageCx) {
    cx.meta("All claims", None, "claims");
    let site = cx.site();
    let cards = cx.cards();
    let groups: Vec<VerdictGroup> = site
        .settings
        .scale
        .verdicts
        .iter()
        .filter_map(|verdict| {
            let claims: Vec<&ClaimCard> = site
                .claims
                .iter()
                .filter(|(_, l)| l.verdict == verdict.key)
                .map(|(id, _)| cards.claim(id))
                .collect();
            (!claims.is_empty()).then_some(VerdictGroup {
                key: &verdict.key,
                label: &verdict.label,
                claims,
            })
        })
        .collect();
    cx.insert("groups", &groups);
}
