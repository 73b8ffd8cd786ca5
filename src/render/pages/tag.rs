//! `tags/<slug>/`: the claims of one tag, latest check first.

use super::super::{List, PageCx};

pub(in crate::render) fn fill(cx: &mut PageCx, slug: &str, n: usize) {
    let site = cx.site();
    let Some(term) = site.taxonomies.tags.get(slug) else {
        return;
    };
    let title = cx
        .tr()
        .format("tag_title", None, &[("tag", term.name.clone())], false)
        .unwrap_or_default();
    cx.meta(&title, None, "tag");
    cx.insert("tag", &term.name);
    cx.insert("feed", &format!("tags/{slug}/feed.xml"));
    let pager = cx.paginate(&List::Tag(slug.to_owned()), n, term.items.len());
    let claims = cx.claim_cards(pager.slice(&term.items));
    cx.insert("claims", &claims);
}
