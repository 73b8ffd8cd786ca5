//! `tags/`, `verdicts/` and `outlets/`: every term of a taxonomy with its count.

use super::super::view::{TermCount, VerdictView};
use super::super::{List, PageCx};
use crate::link::{Site, Term};

/// Each verdict of the scale with how many claims have it.
pub(super) fn verdict_counts(site: &Site) -> Vec<TermCount<'_>> {
    let s = &site.settings;
    site.taxonomies
        .verdicts
        .iter()
        .filter_map(|(key, claims)| {
            let v = s.scale.get(key)?;
            Some(TermCount {
                name: &v.label,
                path: List::Verdict(key.clone()).dir(),
                count: claims.len(),
                key: Some(&v.key),
                shape: Some(VerdictView::shape_of(&v.key, v.rating, s.scale.best)),
            })
        })
        .collect()
}

fn term_counts<'a>(
    terms: &'a std::collections::BTreeMap<String, Term>,
    list: impl Fn(String) -> List,
) -> Vec<TermCount<'a>> {
    terms
        .iter()
        .map(|(slug, t)| TermCount {
            name: &t.name,
            path: list(slug.clone()).dir(),
            count: t.items.len(),
            key: None,
            shape: None,
        })
        .collect()
}

/// Page `n` of the index of `list` (`List::Tags`, `List::Verdicts` or `List::Outlets`).
pub(in crate::render) fn fill(cx: &mut PageCx, list: &List, n: usize) {
    let site = cx.site();
    let t = &site.taxonomies;
    let (title, kind, terms) = match list {
        List::Verdicts => ("nav_verdicts", "verdicts", verdict_counts(site)),
        List::Outlets => (
            "nav_outlets",
            "outlets",
            term_counts(&t.outlets, List::Outlet),
        ),
        _ => ("nav_tags", "tags", term_counts(&t.tags, List::Tag)),
    };
    let title = cx.t(title);
    cx.meta(&title, None, kind);
    let pager = cx.paginate(list, n, terms.len());
    cx.insert("terms", pager.slice(&terms));
    cx.insert("taxonomy", kind);
}
