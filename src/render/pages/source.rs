//! `sources/<id>/index.html`: the source's metadata, the editor's note, the
//! claims citing it by stance, and its text with the quoted passages marked.

use std::collections::HashMap;

use super::super::view::{group_by_stance, Citation, CitedPassage, DateView};
use super::super::PageCx;
use crate::link::Passage;
use crate::load::Stance;
use crate::markdown::Trust;

/// Above this many passages a source page highlights only the first piece of a linked passage.
const PASSAGE_CSS_MAX: usize = 2000;

pub(in crate::render) fn fill(cx: &mut PageCx, id: &str) {
    let site = cx.site();
    let (Some(doc), Some(linked)) = (site.content.sources.get(id), site.sources.get(id)) else {
        return;
    };
    let cards = cx.cards();
    cx.meta(&doc.meta.title, None, "source");
    cx.insert("source", cards.source(id));
    cx.insert(
        "retrieved",
        &doc.meta.retrieved.as_ref().map(DateView::from),
    );
    // Every field of a source file is untrusted, the note too: raw HTML shown
    // as text, unsafe URLs dropped, images as links, as in the body.
    let note = doc
        .meta
        .note
        .as_deref()
        .map(|n| cx.md(n, Trust::Untrusted, &[]));
    cx.insert("note", &note);
    let body = cx.md(doc.body(), Trust::Untrusted, &linked.passages);
    cx.insert("body", &body);
    cx.insert("passage_css", &passage_css(&linked.passages));
    // Claims citing this source, grouped by stance, one entry per claim and stance.
    let mut items: Vec<(Stance, Citation)> = Vec::new();
    // Where each (stance, claim) is in `items`: a source may be cited by thousands of claims.
    let mut at: HashMap<(Stance, &str), usize> = HashMap::new();
    for c in &linked.citations {
        let (Some(claim_doc), Some(ev)) = (
            site.content.claims.get(&c.claim),
            site.claims.get(&c.claim).and_then(|l| l.entry(c.n)),
        ) else {
            continue;
        };
        let passage = ev.passage.as_ref().and_then(|p| {
            claim_doc.meta.evidence[ev.n - 1]
                .quote
                .as_deref()
                .map(|q| CitedPassage {
                    n: ev.n,
                    anchor: &p.name,
                    quote: q,
                })
        });
        match at.get(&(ev.stance, c.claim.as_str())) {
            Some(&i) => items[i].1.passages.extend(passage),
            None => {
                at.insert((ev.stance, c.claim.as_str()), items.len());
                items.push((
                    ev.stance,
                    Citation {
                        claim: cards.claim(&c.claim),
                        passages: passage.into_iter().collect(),
                    },
                ));
            }
        }
    }
    cx.insert("cited_by", &group_by_stance(items));
}

/// CSS that highlights every piece of the passage a link points to (`#q-...`),
/// not only the first: one `:has()` rule per passage, no script.
fn passage_css(passages: &[Passage]) -> String {
    if passages.is_empty() || passages.len() > PASSAGE_CSS_MAX {
        return String::new();
    }
    let mut names: Vec<&str> = passages.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let selectors: Vec<String> = names
        .iter()
        .map(|n| format!("body:has(#{n}:target) mark[data-q~=\"{n}\"]"))
        .collect();
    format!(
        "{} {{ background: var(--mark-target); }}",
        selectors.join(",\n")
    )
}
