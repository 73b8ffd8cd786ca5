//! The link graph knows which pages an edit touches (the base of incremental rebuilds).

mod common;

use factbrief::link::DocRef;
use factbrief::render::Page;

#[test]
fn edits_touch_the_pages_that_show_them() {
    let rendered = common::render_example(None);
    let site = &rendered.site;
    let source_ix = |id: &str| {
        site.content
            .sources
            .iter()
            .position(|s| s.id == id)
            .unwrap()
    };
    let claim_ix = |id: &str| site.content.claims.iter().position(|c| c.id == id).unwrap();

    // A claim: itself and every source it cites (their pages list it).
    let claim = claim_ix("call-lasted-two-hours");
    let deps = site.dependents(DocRef::Claim(claim));
    assert!(deps.contains(&DocRef::Claim(claim)));
    assert!(deps.contains(&DocRef::Source(source_ix(
        "voa-2021-12-30-urges-reduce-tensions"
    ))));
    assert!(deps.contains(&DocRef::Source(source_ix(
        "unidentified-2021-12-30-second-call-spy-plane"
    ))));
    assert!(!deps.contains(&DocRef::Source(source_ix(
        "presidentialinsider-2021-04-13-putin-calls-meeting"
    ))));
    // The overview links to the claim, so it is re-rendered too.
    assert!(deps.contains(&DocRef::Index));

    // A source: itself and every claim citing it, and nothing else of its kind.
    let voa = source_ix("voa-2021-12-30-urges-reduce-tensions");
    let deps = site.dependents(DocRef::Source(voa));
    for (c, linked) in site.claims.iter().enumerate() {
        let cites =
            linked.evidence.iter().any(|e| e.source == voa) || linked.appears_in.contains(&voa);
        assert_eq!(
            deps.contains(&DocRef::Claim(c)),
            cites,
            "claim {}",
            site.content.claims[c].id
        );
    }
    assert!(!deps
        .iter()
        .any(|d| matches!(d, DocRef::Source(s) if *s != voa)));

    // Pages: the aggregates always, the claim's and sources' own pages, not unrelated ones.
    let pages = Page::affected_by(site, DocRef::Claim(claim));
    for p in [
        Page::Index,
        Page::ClaimList,
        Page::Matrix,
        Page::Timeline,
        Page::Feed,
        Page::Sitemap,
        Page::Claim(claim),
        Page::Source(voa),
    ] {
        assert!(pages.contains(&p), "{p:?}");
    }
    let unrelated = claim_ix("s-550-combat-duty");
    assert!(!pages.contains(&Page::Claim(unrelated)));
    assert!(pages.len() < Page::all(site).len());
}
