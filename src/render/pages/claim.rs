//! `claims/<id>/index.html`: the claim, its verdict, analysis and evidence by stance.

use super::super::view::{group_by_stance, CorrectionView, EvidenceView, ShownSource};
use super::super::{jsonld, text_fragment, PageCx};
use crate::load::Stance;
use crate::markdown::Trust;

pub(in crate::render) fn fill(cx: &mut PageCx, id: &str) {
    let site = cx.site();
    let (Some(doc), Some(linked)) = (site.content.claims.get(id), site.claims.get(id)) else {
        return;
    };
    let cards = cx.cards();
    let card = cards.claim(id);
    // What a search result or a shared link shows: the desk's conclusion, or the verdict and the claim.
    let description = match card.summary {
        Some(s) => format!("{}: {s}", card.verdict.label),
        None => format!("{}: {}", card.verdict.label, card.claim),
    };
    cx.meta(&doc.meta.claim, Some(&description), "claim");
    cx.insert("claim", cards.claim(id));
    let body = cx.md(doc.body(), Trust::Editor, &[]);
    cx.insert("body", &body);
    let root = cx.root.clone();
    let evidence: Vec<(Stance, EvidenceView)> = linked
        .evidence
        .iter()
        .map(|e| {
            let meta = &doc.meta.evidence[e.n - 1];
            let source = cards.source(&e.source);
            let anchor = e.passage.as_ref().map(|p| p.name.as_str());
            let href = match anchor {
                Some(a) => format!("{root}{}#{a}", source.path),
                None => format!("{root}{}", source.path),
            };
            let note = meta.note.as_deref().map(|n| cx.md(n, Trust::Editor, &[]));
            let fragment = |url: Option<&str>| {
                let p = e.passage.as_ref()?;
                text_fragment::link(url?, &p.text)
            };
            (
                e.stance,
                EvidenceView {
                    n: e.n,
                    source,
                    quote: meta.quote.as_deref(),
                    href,
                    anchor,
                    occurrences: e.passage.as_ref().map_or(0, |p| p.occurrences),
                    note,
                    original: fragment(source.url),
                    archived: fragment(source.archive_url),
                },
            )
        })
        .collect();
    cx.insert("evidence", &group_by_stance(evidence));
    let appears: Vec<&ShownSource> = linked.appears_in.iter().map(|s| cards.source(s)).collect();
    cx.insert("appears_in", &appears);
    let corrections: Vec<CorrectionView> = doc
        .meta
        .corrections
        .iter()
        .map(|c| CorrectionView {
            date: cx.date(&c.date),
            note: cx.md(&c.note, Trust::Editor, &[]),
        })
        .collect();
    let updated = doc.meta.corrections.iter().map(|c| c.date).max();
    let updated = updated.as_ref().map(|d| cx.date(d));
    cx.insert("updated", &updated);
    cx.insert("corrections", &corrections);
    let jsonld = jsonld::claim_review(site, id, &cx.dir);
    cx.insert("jsonld", &jsonld);
}
