//! `claims/<id>/index.html`: the claim, its verdict, analysis and evidence by stance.

use super::super::view::{group_by_stance, EvidenceView, SourceCard};
use super::super::{jsonld, PageCx};
use crate::load::Stance;
use crate::markdown::Trust;

pub(in crate::render) fn fill(cx: &mut PageCx, id: &str) {
    let site = cx.site();
    let (Some(doc), Some(linked)) = (site.content.claims.get(id), site.claims.get(id)) else {
        return;
    };
    let cards = cx.cards();
    cx.meta(&doc.meta.claim, None, "claim");
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
                },
            )
        })
        .collect();
    cx.insert("evidence", &group_by_stance(evidence));
    let appears: Vec<&SourceCard> = linked.appears_in.iter().map(|s| cards.source(s)).collect();
    cx.insert("appears_in", &appears);
    let jsonld = jsonld::claim_review(site, id, &cx.dir);
    cx.insert("jsonld", &jsonld);
}
