//! `search/index.html`: the search box, its filters and results (made in the
//! browser by `static/search.js` from the index in `pagefind/`), and links to
//! the lists, which is all the page shows without JavaScript.

use serde::Serialize;

use super::super::{Page, PageCx};

/// A list of the site to browse instead of searching.
#[derive(Serialize)]
struct Browse {
    /// `claims/`, relative to the site root.
    path: &'static str,
    title: &'static str,
}

/// The lists linked, where the site has them (the taxonomy indexes come with their pages).
const LISTS: [(&str, &str); 7] = [
    ("claims/", "All claims"),
    ("sources/", "All sources"),
    ("verdicts/", "Verdicts"),
    ("tags/", "Tags"),
    ("outlets/", "Outlets"),
    ("matrix/", "Claims against sources"),
    ("timeline/", "Timeline"),
];

pub(in crate::render) fn fill(cx: &mut PageCx) {
    cx.meta("Search", None, "search");
    let pages: Vec<String> = Page::all(cx.site())
        .iter()
        .filter(|p| p.is_listing())
        .map(Page::path)
        .collect();
    let browse: Vec<Browse> = LISTS
        .iter()
        .filter(|(path, _)| pages.iter().any(|p| *p == format!("{path}index.html")))
        .map(|&(path, title)| Browse { path, title })
        .collect();
    cx.insert("browse", &browse);
}
