//! The link graph knows which pages an edit touches (the base of incremental rebuilds).

mod common;

use factbrief::load::DocId;
use factbrief::render::{List, Page};

#[test]
fn edits_touch_the_pages_that_show_them() {
    let rendered = common::render_example(None);
    let site = rendered.site().unwrap();
    let claim = DocId::claim("call-lasted-two-hours");
    let voa = DocId::source("voa-2021-12-30-urges-reduce-tensions");

    // A claim: itself and every source it cites (their pages list it).
    let deps = site.dependents(&claim);
    assert!(deps.contains(&claim));
    assert!(deps.contains(&voa));
    assert!(deps.contains(&DocId::source(
        "unidentified-2021-12-30-second-call-spy-plane"
    )));
    assert!(!deps.contains(&DocId::source(
        "presidentialinsider-2021-04-13-putin-calls-meeting"
    )));
    // The overview links to the claim, so it is re-rendered too.
    assert!(deps.contains(&DocId::Index));

    // A source: itself and every claim citing it, and nothing else of its kind.
    let voa_id = "voa-2021-12-30-urges-reduce-tensions";
    let deps = site.dependents(&voa);
    for (id, linked) in site.claims.iter() {
        let cites = linked.evidence.iter().any(|e| e.source == voa_id)
            || linked.appears_in.iter().any(|s| s == voa_id);
        assert_eq!(
            deps.contains(&DocId::claim(id.clone())),
            cites,
            "claim {id}"
        );
    }
    assert!(!deps
        .iter()
        .any(|d| matches!(d, DocId::Doc(factbrief::load::Kind::Source, s) if s != voa_id)));

    // Pages: the aggregates always, the claim's and sources' own pages, not unrelated ones.
    let pages = Page::affected_by(site, &claim);
    for p in [
        Page::Index,
        Page::List(List::Claims, 1),
        Page::List(List::Matrix, 1),
        Page::List(List::Timeline, 1),
        Page::List(List::Tags, 1),
        Page::List(List::Verdict("false".into()), 1),
        Page::Feed,
        Page::Sitemap,
        Page::Claim("call-lasted-two-hours".into()),
        Page::Source(voa_id.into()),
    ] {
        assert!(pages.contains(&p), "{p:?}");
    }
    assert!(!pages.contains(&Page::Claim("s-550-combat-duty".into())));
    assert!(pages.len() < Page::all(site).len());
}
