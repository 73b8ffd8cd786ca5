//! `corrections/`: every correction and update of the briefing, latest first,
//! with the way to report an error.

use serde::Serialize;

use super::super::view::{CorrectionView, ShownClaim};
use super::super::PageCx;
use crate::markdown::Trust;

/// A correction with the claim it corrects.
#[derive(Serialize)]
struct Entry<'a> {
    claim: &'a ShownClaim<'a>,
    correction: CorrectionView,
}

pub(in crate::render) fn fill(cx: &mut PageCx) {
    let site = cx.site();
    let title = cx.t("corrections_title");
    cx.meta(&title, None, "corrections");
    let cards = cx.cards();
    let mut found: Vec<(crate::load::Date, &str, usize, &str)> = Vec::new();
    for (id, doc) in site.content.claims.iter() {
        for (i, c) in doc.meta.corrections.iter().enumerate() {
            found.push((c.date, id.as_str(), i, c.note.as_str()));
        }
    }
    // Latest first; a claim's own corrections in their order.
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
    let entries: Vec<Entry> = found
        .into_iter()
        .map(|(date, id, _, note)| Entry {
            claim: cards.claim(id),
            correction: CorrectionView {
                date: cx.date(&date),
                note: cx.md(note, Trust::Editor, &[]),
            },
        })
        .collect();
    cx.insert("entries", &entries);
}
