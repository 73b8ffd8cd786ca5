//! `search/index.html`: the search box, its filters and results (made in the
//! browser by `static/search.js` from the index in `pagefind/`), and links to
//! the lists, which is all the page shows without JavaScript.
//!
//! The script shows no word of its own: the page gives it the theme's words
//! in the briefing's language (`data-words`, JSON), plural forms included.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::super::i18n::plural_categories;
use super::super::view::kind_key;
use super::super::{Page, PageCx};
use crate::load::{SourceKind, Stance};

/// A list of the site to browse instead of searching.
#[derive(Serialize)]
struct Browse {
    /// `claims/`, relative to the site root.
    path: &'static str,
    title: String,
}

/// The lists linked, where the site has them (the taxonomy indexes come with
/// their pages), with the key of their name.
const LISTS: [(&str, &str); 7] = [
    ("claims/", "all_claims"),
    ("sources/", "all_sources"),
    ("verdicts/", "all_verdicts"),
    ("tags/", "all_tags"),
    ("outlets/", "all_outlets"),
    ("matrix/", "matrix_title"),
    ("timeline/", "nav_timeline"),
];

/// The words `search.js` shows, by the name it knows them by, and the theme key of each.
const WORDS: [(&str, &str); 19] = [
    ("loading", "search_loading"),
    ("filter_type", "search_filter_type"),
    ("filter_verdict", "search_filter_verdict"),
    ("filter_stance", "search_filter_stance"),
    ("filter_outlet", "search_filter_outlet"),
    ("filter_tag", "search_filter_tag"),
    ("filter_kind", "search_filter_kind"),
    ("chosen", "search_chosen"),
    ("no_results", "search_no_results"),
    ("status_query", "search_status_query"),
    ("status_filters", "search_status_filters"),
    ("status_both", "search_status_both"),
    ("failed", "search_failed"),
    ("timeout", "search_timeout"),
    ("kind_claim", "search_kind_claim"),
    ("kind_passage", "search_kind_passage"),
    ("from", "search_from"),
    ("verdict_hidden", "verdict_hidden"),
    ("claimed_by", "claimed_by"),
];

/// Plural families `search.js` picks a form of (with `Intl.PluralRules`).
const PLURALS: [(&str, &str); 2] = [
    ("results", "search_results"),
    ("quoted_by", "search_quoted_by"),
];

/// Words that join a list of names: between two, and before the last.
const JOINERS: [(&str, &str); 4] = [
    ("unavailable", "search_unavailable"),
    ("unavailable_file", "search_unavailable_file"),
    ("list_sep", "search_list_sep"),
    ("list_and", "search_list_and"),
];

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let title = cx.t("search_title");
    cx.meta(&title, None, "search");
    let pages: Vec<String> = Page::all(cx.site())
        .iter()
        .filter(|p| p.is_listing())
        .map(Page::path)
        .collect();
    let browse: Vec<Browse> = LISTS
        .iter()
        .filter(|(path, _)| pages.iter().any(|p| *p == format!("{path}index.html")))
        .map(|&(path, key)| Browse {
            path,
            title: cx.t(key),
        })
        .collect();
    cx.insert("browse", &browse);
    cx.insert("words", &words(cx).to_string());
}

/// The words of the script, as one JSON object.
fn words(cx: &PageCx) -> Value {
    let tr = cx.tr();
    let mut out = serde_json::Map::new();
    for (name, key) in WORDS.iter().chain(JOINERS.iter()) {
        out.insert((*name).to_owned(), json!(tr.t(key)));
    }
    for (name, key) in PLURALS {
        let forms: BTreeMap<&str, String> = plural_categories(&tr.lang)
            .iter()
            .map(|cat| {
                let form = tr
                    .get(&format!("{key}_{cat}"))
                    .or_else(|| tr.get(&format!("{key}_other")))
                    .unwrap_or(key);
                (*cat, form.to_owned())
            })
            .collect();
        out.insert(name.to_owned(), json!(forms));
    }
    // The index's filter values (stable English names) as readers see them.
    let stances: BTreeMap<&str, String> = Stance::ALL
        .iter()
        .map(|s| (stance_value(*s), tr.t(&format!("cell_{}", s.key()))))
        .collect();
    let kinds: BTreeMap<&str, String> = SourceKind::ALL
        .iter()
        .map(|k| (k.label(), tr.t(&format!("{}_kind", kind_key(*k)))))
        .collect();
    out.insert(
        "values".to_owned(),
        json!({
            "type": {"Claim": tr.t("search_type_claims"), "Passage": tr.t("search_type_passages")},
            "stance": stances,
            "kind": kinds,
        }),
    );
    Value::Object(out)
}

/// The filter value of a stance in the index (see `render::search`).
fn stance_value(stance: Stance) -> &'static str {
    crate::render::search::stance_word(stance)
}
