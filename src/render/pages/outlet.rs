//! `outlets/<slug>/`: the sources of one outlet, latest first, each with the claims citing it.

use serde::Serialize;

use super::super::view::{ShownClaim, ShownSource};
use super::super::{List, PageCx};

/// A source of the outlet and the claims citing it.
#[derive(Serialize)]
struct OutletSource<'a> {
    source: &'a ShownSource<'a>,
    claims: Vec<&'a ShownClaim<'a>>,
}

pub(in crate::render) fn fill(cx: &mut PageCx, slug: &str, n: usize) {
    let site = cx.site();
    let Some(term) = site.taxonomies.outlets.get(slug) else {
        return;
    };
    cx.meta(&term.name, None, "outlet");
    cx.insert("outlet", &term.name);
    let pager = cx.paginate(&List::Outlet(slug.to_owned()), n, term.items.len());
    let cards = cx.cards();
    let sources: Vec<OutletSource> = pager
        .slice(&term.items)
        .iter()
        .map(|id| {
            // Each citing claim once, in list order.
            let citing = site
                .sources
                .get(id)
                .map(|s| s.citations.iter().map(|c| c.claim.as_str()))
                .into_iter()
                .flatten();
            let claims = site
                .taxonomies
                .in_claim_order(citing)
                .into_iter()
                .map(|c| cards.claim(c))
                .collect();
            OutletSource {
                source: cards.source(id),
                claims,
            }
        })
        .collect();
    cx.insert("sources", &sources);
}
