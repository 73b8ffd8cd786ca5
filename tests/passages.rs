//! The output contract of quoted passages (docs/format.md, marked passages), checked on the example briefing:
//! every quote is marked under `q-<id>-<n>`, the marked text is the quote, each name has
//! exactly one element with its id, and each claim page links to it.

mod common;

use std::collections::BTreeMap;

/// Quote matching's folding, restated independently for the test.
fn fold(s: &str) -> String {
    let s = s.replace('…', "...");
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\'' | '"' | '‘' | '’' | '“' | '”' => '"',
            '–' | '—' | '‐' => '-',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_quote_is_marked_and_linked() {
    let rendered = common::render_example(None);
    let pages: BTreeMap<String, String> = common::pages_of(&rendered);
    let content = &rendered.site().unwrap().content;
    let mut checked = 0;
    let mut stances = std::collections::BTreeSet::new();
    let mut verdicts = std::collections::BTreeSet::new();
    for claim in content.claims.values() {
        verdicts.insert(claim.meta.verdict.clone());
        let claim_page = &pages[format!("claims/{}/index.html", claim.id).as_str()];
        for (i, ev) in claim.meta.evidence.iter().enumerate() {
            stances.insert(ev.stance.key());
            let Some(quote) = &ev.quote else { continue };
            let name = format!("q-{}-{}", claim.id.replace('/', "--"), i + 1);
            let source_page = &pages[format!("sources/{}/index.html", ev.source).as_str()];
            assert_eq!(
                source_page.matches(&format!("id=\"{name}\"")).count(),
                1,
                "{name}: one anchor"
            );
            assert_eq!(
                fold(&common::marked_text(source_page, &name)),
                fold(quote),
                "{name}: marked text is the quote"
            );
            let href = format!("href=\"../../sources/{}/#{name}\"", ev.source);
            assert!(
                claim_page.contains(&href),
                "{name}: claim page links to the passage"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} quotes");
    assert_eq!(stances.len(), 3, "all three stances occur");
    assert!(
        verdicts.len() >= 4,
        "at least four verdicts occur: {verdicts:?}"
    );
    assert!(content.claims.len() >= 12);
}
