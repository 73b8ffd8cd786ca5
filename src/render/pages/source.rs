//! `sources/<id>/index.html`: the source's metadata and the editor's note, its
//! text with the quoted passages marked and numbered, then each passage with
//! the claims quoting it, and the claims citing the source, each once.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::super::view::ShownClaim;
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
    let description = cx
        .tr()
        .format(
            "source_description",
            None,
            &[
                ("title", doc.meta.title.clone()),
                ("outlet", doc.meta.outlet.clone()),
                ("date", cx.tr().date(&doc.meta.published)),
            ],
            false,
        )
        .unwrap_or_default();
    cx.meta(&doc.meta.title, Some(&description), "source");
    cx.insert("source", cards.source(id));
    cx.insert(
        "retrieved",
        &doc.meta.retrieved.as_ref().map(|d| cx.date(d)),
    );
    // Every field of a source file is untrusted, the note too: raw HTML shown
    // as text, unsafe URLs dropped, images as links, as in the body.
    let note = doc
        .meta
        .note
        .as_deref()
        .map(|n| cx.md(n, Trust::Untrusted, &[]));
    cx.insert("note", &note);
    // Each distinct quoted stretch (same start and end) is one numbered passage,
    // in the order of the text, with a note after it linking to its entry below.
    // (A quote that leaves words out has several pieces: it spans from its first to its last.)
    let mut spans: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in &linked.passages {
        let e = spans
            .entry(p.name.as_str())
            .or_insert((p.range.start, p.range.end));
        e.0 = e.0.min(p.range.start);
        e.1 = e.1.max(p.range.end);
    }
    let mut by_range: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
    for (name, span) in spans {
        by_range.entry(span).or_default().push(name);
    }
    for names in by_range.values_mut() {
        names.sort_unstable();
    }
    let number: HashMap<&str, usize> = by_range
        .values()
        .enumerate()
        .flat_map(|(k, names)| names.iter().map(move |n| (*n, k + 1)))
        .collect();
    let tr = cx.tr();
    let mut notes: Vec<(usize, String)> = by_range
        .iter()
        .enumerate()
        .map(|(k, ((_, end), _))| {
            let k = k + 1;
            // The theme's own words, escaped (a site's table may hold any text).
            let label = tr
                .format("passage_ref", None, &[("n", k.to_string())], true)
                .unwrap_or_default();
            (
                *end,
                format!(
                    "<sup class=\"q-ref\"><a href=\"#passage-{k}\" id=\"ref-{k}\" aria-label=\"{label}\">{k}</a></sup>"
                ),
            )
        })
        .collect();
    notes.sort_by_key(|(at, _)| *at);
    // (Read again from its file in a single build: an error if it changed since.)
    let body = match doc.body() {
        Ok(body) => cx.md_with_notes(&body, Trust::Untrusted, &linked.passages, &notes),
        Err(d) => {
            cx.failed = Some(d);
            return;
        }
    };
    cx.insert("body", &body);
    cx.insert("passage_css", &passage_css(&linked.passages));

    // The passages, numbered, each with the claims quoting it; and the claims
    // citing the source, each once, with its stances and the passages it quotes.
    let mut passages: Vec<QuotedPassage> = by_range
        .values()
        .enumerate()
        .map(|(k, names)| QuotedPassage {
            n: k + 1,
            anchor: names[0],
            text: String::new(),
            quoted_by: Vec::new(),
        })
        .collect();
    let mut claims: Vec<CitingClaim> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for c in &linked.citations {
        let Some(ev) = site.claims.get(&c.claim).and_then(|l| l.entry(c.n)) else {
            continue;
        };
        let i = *at.entry(c.claim.as_str()).or_insert_with(|| {
            claims.push(CitingClaim {
                claim: cards.claim(&c.claim),
                stances: Vec::new(),
                passages: Vec::new(),
            });
            claims.len() - 1
        });
        let entry = &mut claims[i];
        if !entry.stances.contains(&ev.stance.key()) {
            entry.stances.push(ev.stance.key());
        }
        if let Some(p) = &ev.passage {
            if let Some(&k) = number.get(p.name.as_str()) {
                if !entry.passages.contains(&k) {
                    entry.passages.push(k);
                }
                let qp = &mut passages[k - 1];
                if qp.text.is_empty() {
                    qp.text = snippet(&p.text, SNIPPET_CHARS);
                }
                qp.quoted_by.push(QuotedBy {
                    claim: cards.claim(&c.claim),
                    stance: ev.stance.key(),
                });
            }
        }
    }
    for c in &mut claims {
        c.stances
            .sort_by_key(|s| Stance::ALL.iter().position(|t| t.key() == *s));
        c.passages.sort_unstable();
    }
    // Claims in the list's order (latest check first).
    let order = site
        .taxonomies
        .in_claim_order(claims.iter().map(|c| c.claim.id));
    let rank: HashMap<&str, usize> = order.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    claims.sort_by_key(|c| rank.get(c.claim.id).copied().unwrap_or(usize::MAX));
    cx.insert("passages", &passages);
    cx.insert("cited_by", &claims);
}

/// Characters of a passage shown in the list of passages before it is shortened.
const SNIPPET_CHARS: usize = 240;

/// `text` in at most `max` characters, shortened at a word boundary with `…`.
pub(in crate::render) fn snippet(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: usize = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    // The last whole word: cut at the last space (a single long word is cut).
    let head = match head.rfind(' ') {
        Some(i) if i > 0 => &head[..i],
        _ => head,
    };
    let head = head.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ')' && c != '"');
    format!("{head}…")
}

/// A numbered passage of the source, with the claims quoting it.
#[derive(Serialize)]
struct QuotedPassage<'a> {
    n: usize,
    /// Anchor of the passage in the text.
    anchor: &'a str,
    /// Its words, shortened at a word.
    text: String,
    quoted_by: Vec<QuotedBy<'a>>,
}

/// A claim quoting a passage, and how.
#[derive(Serialize)]
struct QuotedBy<'a> {
    claim: &'a ShownClaim<'a>,
    stance: &'static str,
}

/// A claim citing the source: once, with every stance it cites it for.
#[derive(Serialize)]
struct CitingClaim<'a> {
    claim: &'a ShownClaim<'a>,
    stances: Vec<&'static str>,
    /// Numbers of the passages it quotes.
    passages: Vec<usize>,
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
