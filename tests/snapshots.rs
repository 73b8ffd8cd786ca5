//! Snapshots (insta) of each page type of the example briefing, rendered in memory.

mod common;

use std::collections::BTreeMap;

fn example(base_url: Option<&str>) -> BTreeMap<String, String> {
    common::pages_of(&common::render_example(base_url))
}

#[test]
fn every_page_type_of_the_example() {
    let pages = example(None);
    for (name, path) in [
        ("index", "index.html"),
        ("claim", "claims/call-lasted-two-hours/index.html"),
        (
            "claim_misleading",
            "claims/biden-forgot-microphone/index.html",
        ),
        (
            "source",
            "sources/voa-2021-12-30-urges-reduce-tensions/index.html",
        ),
        (
            "source_with_note",
            "sources/presidentialinsider-2021-04-13-putin-calls-meeting/index.html",
        ),
        ("page", "pages/rating-scale/index.html"),
        ("claims_list", "claims/index.html"),
        ("sources_list", "sources/index.html"),
        ("matrix", "matrix/index.html"),
        ("timeline", "timeline/index.html"),
        ("not_found", "404.html"),
        ("feed", "feed.xml"),
        ("sitemap", "sitemap.xml"),
    ] {
        let html = pages
            .get(path)
            .unwrap_or_else(|| panic!("{path} not rendered"));
        insta::assert_snapshot!(name, html);
    }
}

#[test]
fn pages_under_an_absolute_base_url() {
    let pages = example(Some("https://factcheck.example/2021-12-30-call/"));
    insta::assert_snapshot!("feed_with_base_url", pages["feed.xml"]);
    insta::assert_snapshot!("not_found_with_base_url", pages["404.html"]);
}
